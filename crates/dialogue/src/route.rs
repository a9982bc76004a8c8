//! How a live-chat card chooses a human: shared with the server, which routes.

use crate::condition::Condition;

crate::model! {
    /// Who receives the conversation when the visitor reaches live chat.
    #[serde(tag = "mode", rename_all = "snake_case", deny_unknown_fields)]
    pub enum Route {
        /// The next available agent after whoever got the previous chat.
        RoundRobin,
        /// One agent, by id.
        Agent { agent: String },
        /// Round robin among the available members of a team.
        Team { team: String },
        /// Ordered rules; the first whose condition holds wins.
        Rules { rules: Vec<Rule> },
    }
}

crate::model! {
    pub struct Rule {
        pub when: Condition,
        pub to: Target,
    }
}

crate::model! {
    /// An agent or a team: `{"agent": "ana"}` or `{"team": "sales"}`.
    #[serde(rename_all = "snake_case", deny_unknown_fields)]
    pub enum Target {
        Agent(String),
        Team(String),
    }
}
