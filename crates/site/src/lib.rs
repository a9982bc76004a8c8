//! What a site owner sets once for the whole site: how the widget looks
//! ([`Appearance`], turned into CSS by [`theme::css`]) and which language its built-in
//! texts speak ([`locale::negotiate`], [`strings`]).
//!
//! The server does this work, not the visitor's browser: the widget receives a few
//! lines of CSS and its texts as data, so five languages and the colour arithmetic
//! cost visitors no bytes of code.

pub mod appearance;
pub mod html;
pub mod launcher;
pub mod locale;
pub mod meeting;
pub mod strings;
pub mod theme;

pub use appearance::{Appearance, Position, Theme};
pub use strings::Strings;
