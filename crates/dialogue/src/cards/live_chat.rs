use crate::{check::Checker, route::Route, text::Text};

crate::model! {
    /// Hands the visitor to a human. It must be the last card of its branch: from
    /// here on the conversation is live.
    pub struct LiveChat {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub id: Option<String>,
        /// Shown while connecting, such as "Let me find someone for you".
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub text: Option<Text>,
        pub route: Route,
        /// Shown when no rule matches or nobody is available; the visitor can still
        /// leave a message.
        pub fallback: Text,
    }
}

impl LiveChat {
    pub(crate) fn check(&self, at: &str, c: &mut Checker) {
        if let Some(text) = &self.text {
            c.text(format!("{at}.text"), text);
        }
        c.text(format!("{at}.fallback"), &self.fallback);
        c.route(format!("{at}.route"), &self.route);
    }
}
