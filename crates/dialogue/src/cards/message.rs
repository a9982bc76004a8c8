use crate::{check::Checker, text::Text};

crate::model! {
    /// Bot text with an optional image and call-to-action link button. Text is shown
    /// as text; `https://` and `mailto:` links in it become clickable.
    pub struct Message {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub id: Option<String>,
        pub text: Text,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub image: Option<Image>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub button: Option<LinkButton>,
    }
}

crate::model! {
    pub struct Image {
        pub url: String,
        /// Describes the image to screen-reader users.
        pub alt: Text,
    }
}

crate::model! {
    /// A link styled as a button; opens in a new tab.
    pub struct LinkButton {
        pub label: Text,
        pub url: String,
    }
}

impl Message {
    pub(crate) fn check(&self, at: &str, c: &mut Checker) {
        c.text(format!("{at}.text"), &self.text);
        if let Some(image) = &self.image {
            c.url(format!("{at}.image.url"), &image.url);
            c.text(format!("{at}.image.alt"), &image.alt);
        }
        if let Some(button) = &self.button {
            c.url(format!("{at}.button.url"), &button.url);
            c.text(format!("{at}.button.label"), &button.label);
        }
    }
}
