//! The site's look in the preview: `www/appearance.json` (the demo site's settings),
//! with the language, theme and launcher side switchable, so a developer sees what
//! visitors of each locale and theme will see, as the server would send it.

use super::catalog::APPEARANCE;
use chinwag_dialogue::ValidDialogue;
use chinwag_site::{locale, Appearance, Position, Strings, Theme};
use leptos::prelude::*;

/// The switchable parts; `Copy` so every control and the stage can hold it.
#[derive(Clone, Copy)]
pub struct Look {
    pub locale: RwSignal<String>,
    pub theme: RwSignal<String>,
    pub side: RwSignal<String>,
}

/// What the widget gets, as the server's site configuration would give it.
pub struct Applied {
    pub locale: String,
    pub strings: &'static Strings,
    pub css: String,
    pub greeting: Option<String>,
}

impl Look {
    pub fn new() -> Look {
        let browser = window().navigator().language().unwrap_or_default();
        Look {
            locale: RwSignal::new(locale::built_in(&browser).to_owned()),
            theme: RwSignal::new("light".into()),
            side: RwSignal::new("right".into()),
        }
    }

    /// Applies the site's settings to a dialogue (what it does not set itself) and
    /// returns the rest. Tracks the controls.
    pub fn apply(&self, valid: &mut ValidDialogue) -> Applied {
        let mut site: Appearance = serde_json::from_str(APPEARANCE).unwrap_or_default();
        site.theme = match self.theme.get().as_str() {
            "dark" => Theme::Dark,
            "auto" => Theme::Auto,
            _ => Theme::Light,
        };
        site.position = if self.side.get() == "left" {
            Position::Left
        } else {
            Position::Right
        };
        let locale = self.locale.get();
        let mut dialogue = valid.dialogue().clone();
        let css = site.apply_to(dialogue.appearance.get_or_insert_with(Default::default));
        // Only the appearance changed: still valid.
        *valid = ValidDialogue::trusted(dialogue);
        Applied {
            css,
            strings: Strings::for_locale(&locale),
            greeting: site.greeting_in(&locale),
            locale,
        }
    }
}

#[component]
pub fn LookControls(look: Look) -> impl IntoView {
    let select = |label: &'static str, value: RwSignal<String>, options: &'static [&'static str]| {
        view! {
            <label>
                {label} " "
                <select on:change=move |e| value.set(event_target_value(&e)) prop:value=move || value.get()>
                    {options.iter().map(|o| view! { <option value=*o>{*o}</option> }).collect_view()}
                </select>
            </label>
        }
    };
    view! {
        <div class="pv-look" role="group" aria-label="Site appearance">
            {select("Language", look.locale, &locale::SUPPORTED)}
            {select("Theme", look.theme, &["light", "dark", "auto"])}
            {select("Launcher", look.side, &["right", "left"])}
        </div>
    }
}
