//! How a live-chat card chooses a human: shared with the server, which routes.

use crate::condition::Condition;
use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};
use std::fmt;

// Read in one pass (see `Deserialize` below), like cards.
/// Who receives the conversation when the visitor reaches live chat.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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

crate::model! {
    pub struct Rule {
        pub when: Condition,
        pub to: Target,
        /// Decide on verified attributes only (identity verification, `docs/reliability.md`):
        /// what the page says about the visitor (`identify` without a valid identity
        /// token) does not count. The site may require it for every rule.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        pub verified: bool,
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

#[derive(serde::Deserialize, Clone, Copy, PartialEq)]
#[serde(rename_all = "snake_case")]
enum Mode {
    RoundRobin,
    Agent,
    Team,
    Rules,
}

impl<'de> Deserialize<'de> for Route {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Route, D::Error> {
        deserializer.deserialize_map(RouteVisitor)
    }
}

struct RouteVisitor;

impl<'de> Visitor<'de> for RouteVisitor {
    type Value = Route;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a route: an object with a \"mode\"")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Route, A::Error> {
        let (mut mode, mut id, mut rules, mut keys) = (None, None, None, Vec::<String>::new());
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "mode" => mode = Some(map.next_value::<Mode>()?),
                "agent" | "team" => id = Some(map.next_value::<String>()?),
                "rules" => rules = Some(map.next_value::<Vec<Rule>>()?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            keys.push(key);
        }
        let mode = mode.ok_or_else(|| de::Error::missing_field("mode"))?;
        let allowed: &'static [&'static str] = match mode {
            Mode::RoundRobin => &[],
            Mode::Agent => &["agent"],
            Mode::Team => &["team"],
            Mode::Rules => &["rules"],
        };
        if let Some(stray) = keys
            .iter()
            .find(|k| *k != "mode" && !allowed.contains(&k.as_str()))
        {
            return Err(de::Error::unknown_field(stray, allowed));
        }
        let need = |field| de::Error::missing_field(field);
        Ok(match mode {
            Mode::RoundRobin => Route::RoundRobin,
            Mode::Agent => Route::Agent {
                agent: id.ok_or_else(|| need("agent"))?,
            },
            Mode::Team => Route::Team {
                team: id.ok_or_else(|| need("team"))?,
            },
            Mode::Rules => Route::Rules {
                rules: rules.ok_or_else(|| need("rules"))?,
            },
        })
    }
}
