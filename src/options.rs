//! What a host (the embed script, the preview) chooses when it mounts the widget.

use crate::live::LiveChatTransport;
use chinwag_dialogue::{Stream, ValidDialogue, VisitorContext};
use chinwag_site::Strings;
use std::rc::Rc;
use wasm_bindgen::JsValue;

/// Typing time shown before each bot message.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Typing {
    pub ms_per_char: u32,
    pub max_ms: u32,
}

impl Default for Typing {
    fn default() -> Self {
        Typing {
            ms_per_char: 18,
            max_ms: 1_200,
        }
    }
}

/// Where the widget sits: fixed to the viewport's corner on a host page, or filling
/// its host element (the preview's stage).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Placement {
    #[default]
    Fixed,
    Inline,
}

/// Called with the stream after every change.
pub type OnChange = Rc<dyn Fn(&Stream)>;

/// Tells the host page what happened: `triggered`, `engaged`, `leadCaptured`,
/// `completed`, `closed` or `message`, with details (or `undefined`).
pub type Emit = Rc<dyn Fn(&str, JsValue)>;

pub struct WidgetOptions {
    pub dialogue: ValidDialogue,
    pub visitor: VisitorContext,
    /// localStorage key for resuming after a reload; `None` keeps nothing.
    pub storage_key: Option<String>,
    pub typing: Typing,
    /// The live chat's transport (the preview's, a test's); `None` for the chat
    /// server's socket (`server`), made when the live-chat part first needs it, or none
    /// without a server (the card's fallback shows).
    pub transport: Option<Rc<dyn LiveChatTransport>>,
    pub placement: Placement,
    /// Open the panel at once instead of showing only the launcher.
    pub open: bool,
    /// Called with the stream after every change (the preview's state panel).
    pub on_change: Option<OnChange>,
    /// The built-in texts, in the visitor's language.
    pub strings: &'static Strings,
    /// The site's appearance as CSS (custom properties), added after the widget's own.
    pub css: String,
    /// A line shown beside the closed launcher until the visitor opens the chat.
    pub greeting: Option<String>,
    pub emit: Option<Emit>,
    /// The chat server and site, for the cards that call the server themselves
    /// (meetings); `None`: those cards show their fallback.
    pub server: Option<(String, String)>,
}
