use crate::{cards::Card, check::Checker, condition::Condition};

crate::model! {
    /// Goes to `then` when the condition holds, else to `else`; either may be empty,
    /// and the stream continues after the branch card when its list runs out.
    pub struct Branch {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub id: Option<String>,
        pub when: Condition,
        #[serde(default)]
        pub then: Vec<Card>,
        #[serde(default, rename = "else")]
        pub otherwise: Vec<Card>,
    }
}

impl Branch {
    pub(crate) fn check(&self, at: &str, c: &mut Checker) {
        c.condition(format!("{at}.when"), &self.when);
    }
}
