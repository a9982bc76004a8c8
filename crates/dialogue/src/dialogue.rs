//! The top of a dialogue file: identity, targeting, appearance and the stream.

use crate::{cards::Card, condition::Condition};

crate::model! {
    /// One dialogue file. See `docs/dialogues.md` for the format.
    pub struct Dialogue {
        /// Lets editors find the JSON Schema; ignored by Chinwag.
        #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
        pub schema: Option<String>,
        /// The format version this file is written in (`FORMAT_VERSION` when absent).
        /// Older versions are migrated when read (`json::check`); newer ones refused.
        #[serde(default = "format_version")]
        pub version: u32,
        /// Stable identifier, such as `sales-handoff`.
        pub id: String,
        /// Name shown to site owners and agents.
        pub name: String,
        /// The locale every localised text must have; the fallback for visitors.
        #[serde(default = "default_locale")]
        pub default_locale: String,
        #[serde(default)]
        pub targeting: Targeting,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub appearance: Option<Appearance>,
        /// The cards, shown in order; answers open nested branches.
        pub stream: Vec<Card>,
        /// The published version this copy is: the server writes it into what visitors
        /// get, so metrics count per version. Ignored in files (the console numbers
        /// versions when it publishes).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub published: Option<u32>,
    }
}

/// The dialogue format's version: raised by any change an older Chinwag would misread,
/// with a migration from the previous version in `json.rs` (see `docs/dialogues.md`).
pub const FORMAT_VERSION: u32 = 1;

fn format_version() -> u32 {
    FORMAT_VERSION
}

/// The locale of dialogues that do not name one.
pub const DEFAULT_LOCALE: &str = "en";

fn default_locale() -> String {
    DEFAULT_LOCALE.to_owned()
}

crate::model! {
    /// Where, to whom and when the dialogue starts. Evaluated by the embedding loader.
    #[derive(Default)]
    pub struct Targeting {
        /// Pages where the dialogue may start; empty means every page.
        #[serde(default)]
        pub pages: Vec<PageRule>,
        /// Who may see it; absent means everyone.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub audience: Option<Condition>,
        #[serde(default)]
        pub trigger: Trigger,
        /// When several dialogues match, the highest priority wins.
        #[serde(default)]
        pub priority: i32,
        /// Days before a dismissed dialogue may show again; absent means never again.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub dismissed_days: Option<u32>,
    }
}

crate::model! {
    /// A test on the page URL.
    #[serde(rename_all = "snake_case", deny_unknown_fields)]
    pub enum PageRule {
        UrlEquals(String),
        UrlContains(String),
        UrlStartsWith(String),
        /// `*` stands for any characters: `https://shop.example/products/*`.
        UrlMatches(String),
        QueryParam(QueryParam),
    }
}

crate::model! {
    /// A query parameter is present, or equals `equals` when given.
    pub struct QueryParam {
        pub name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub equals: Option<String>,
    }
}

crate::model! {
    /// When the dialogue starts on a matching page.
    #[derive(Default)]
    #[serde(rename_all = "snake_case", deny_unknown_fields)]
    pub enum Trigger {
        #[default]
        Immediately,
        AfterSeconds(u32),
        ScrollPercent(u8),
        ExitIntent,
    }
}

crate::model! {
    /// Per-dialogue overrides of the site's appearance.
    #[derive(Default)]
    pub struct Appearance {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub bot_name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub avatar_url: Option<String>,
        /// Accent colour as `#rrggbb`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub accent_color: Option<String>,
        /// Typing time per character of a bot message, in milliseconds.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub typing_ms_per_char: Option<u32>,
        /// Cap on the typing time of one message, in milliseconds.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub typing_max_ms: Option<u32>,
    }
}
