//! Chinwag's chat widget: a Leptos CSR app mounted in a Shadow DOM on the host page.
//!
//! [`mount`] attaches a shadow root to a host element, injects the widget's CSS
//! there (so the host page's CSS cannot reach it and ours cannot leak out), and
//! runs a dialogue with the pure engine from `chinwag-dialogue`. Nothing here
//! touches the network until the live-chat card, through [`live::LiveChatTransport`].

pub mod cards;
pub mod chat;
pub mod clock;
mod effect;
pub mod embed;
pub mod entry;
pub mod live;
pub mod meeting;
pub mod mount;
pub mod options;
pub mod parse;
mod part;
pub mod read;
mod report;
pub mod storage;
mod style;
mod tell;
pub mod widget;

#[cfg(feature = "preview")]
pub mod preview;

pub use mount::{mount, WidgetHandle, WidgetOptions};
