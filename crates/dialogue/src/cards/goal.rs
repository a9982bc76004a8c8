use crate::check::Checker;

crate::model! {
    /// Invisible: counts "goal reached" under its name when the stream passes it (once
    /// per card per run), as Marketo's goal card does.
    pub struct Goal {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub id: Option<String>,
        /// What the site owner calls this goal in the metrics ("Demo requested").
        pub name: String,
    }
}

/// The longest goal name.
pub const MAX_GOAL_NAME: usize = 80;

impl Goal {
    pub(crate) fn check(&self, at: &str, c: &mut Checker) {
        let length = self.name.trim().chars().count();
        if length == 0 || length > MAX_GOAL_NAME {
            c.problem(
                format!("{at}.name"),
                format!("a goal needs a name of 1 to {MAX_GOAL_NAME} characters"),
            );
        }
    }
}
