use crate::{check::Checker, text::Text};

crate::model! {
    /// Jumps to the card with id `to`, for "anything else?" loops.
    pub struct Goto {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub id: Option<String>,
        pub to: String,
    }
}

crate::model! {
    /// Ends the dialogue, optionally with a last message.
    pub struct End {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub text: Option<Text>,
    }
}

impl Goto {
    pub(crate) fn check(&self, at: &str, c: &mut Checker) {
        if !c.has_card_id(&self.to) {
            c.problem(
                format!("{at}.to"),
                format!("goto points to an unknown card id \"{}\"", self.to),
            );
        }
    }
}

impl End {
    pub(crate) fn check(&self, at: &str, c: &mut Checker) {
        if let Some(text) = &self.text {
            c.text(format!("{at}.text"), text);
        }
    }
}
