//! Chinwag's dialogue core.
//!
//! A [`Dialogue`] is a stream of [`Card`]s that branches on the visitor's answers.
//! [`validate`] turns a parsed dialogue into a [`ValidDialogue`] or lists every
//! problem with its path; [`Stream`] runs a valid dialogue as a pure state machine.
//!
//! This crate does no I/O and reads no clock: callers pass the time in, which keeps
//! the engine deterministic and testable natively, in the browser and on the server.

/// Declares a model type with the derives every dialogue type shares: serde both ways,
/// unknown fields rejected (a typo never passes silently) and, with the `schema`
/// feature, a JSON Schema for editors.
macro_rules! model {
    ($(#[$meta:meta])* $vis:vis struct $($rest:tt)*) => {
        #[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        #[serde(deny_unknown_fields)]
        $(#[$meta])* $vis struct $($rest)*
    };
    ($(#[$meta:meta])* $vis:vis enum $($rest:tt)*) => {
        #[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        $(#[$meta])* $vis enum $($rest)*
    };
}
pub(crate) use model;

pub mod cards;
mod check;
pub mod condition;
pub mod context;
pub mod dialogue;
pub mod engine;
pub mod fields;
#[cfg(feature = "json")]
pub mod json;
pub mod page;
pub mod path;
pub mod rehearsal;
pub mod route;
pub mod text;
pub mod validate;

pub use cards::{Card, Hosts};
pub use condition::Condition;
pub use context::VisitorContext;
pub use dialogue::{Appearance, Dialogue, PageRule, Targeting, Trigger};
pub use engine::{
    Answer, AnswerError, Entry, Event, EventKind, Journal, Prompt, Speaker, Status, Step, Stream,
};
pub use path::{CardPath, Seg};
pub use route::{Route, Rule, Target};
pub use text::Text;
pub use validate::{validate, Problem, ValidDialogue};
