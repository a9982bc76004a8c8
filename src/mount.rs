//! Mounting the widget inside a Shadow DOM root on any host element.

use crate::chat::Chat;
use crate::live::LiveChatTransport;
use crate::widget::Widget;
use chinwag_dialogue::{Stream, ValidDialogue, VisitorContext};
use chinwag_site::Strings;
use js_sys::Reflect;
use leptos::prelude::*;
use std::any::Any;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlElement, ShadowRoot, ShadowRootInit, ShadowRootMode};

// `widget.css`, minified by build.rs.
const CSS: &str = include_str!(concat!(env!("OUT_DIR"), "/widget.min.css"));

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
    pub transport: Rc<dyn LiveChatTransport>,
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

/// A mounted widget. Dropping it removes the widget from the page.
pub struct WidgetHandle {
    pub shadow: ShadowRoot,
    /// The widget's state, for the host page's commands (open, identify, ...).
    pub chat: Chat,
    _view: Box<dyn Any>,
}

/// Inline styles on the host element itself, which the page's CSS could otherwise
/// move, hide or transform; `!important` inline wins over any stylesheet rule.
fn host_style(placement: Placement) -> &'static str {
    match placement {
        Placement::Fixed => chinwag_site::launcher::HOST_STYLE,
        Placement::Inline => {
            "all:initial!important;display:block!important;position:relative!important;\
             width:100%!important;height:100%!important"
        }
    }
}

/// Attaches a shadow root to `host` (or takes over the one where the loader drew the
/// launcher), adds the widget's CSS inside it, and starts the dialogue (or resumes it
/// from storage).
pub fn mount(host: &Element, options: WidgetOptions) -> Result<WidgetHandle, JsValue> {
    // Styles go in through the CSSOM (`style.cssText`, a constructed stylesheet), which
    // a Content-Security-Policy without 'unsafe-inline' styles allows.
    let style = Reflect::get(host, &"style".into())?;
    Reflect::set(&style, &"cssText".into(), &host_style(options.placement).into())?;
    let shadow = match host.shadow_root() {
        Some(shadow) => shadow,
        None => host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))?,
    };
    // The loader's launcher, replaced in this same task: no frame without one.
    let drawn = shadow.first_element_child();
    let focused = shadow.active_element().is_some();
    let document = host.owner_document().ok_or("host is not in a document")?;
    let sheet = web_sys::CssStyleSheet::new()?;
    sheet.replace_sync(&(CSS.to_owned() + &options.css))?;
    Reflect::set(&shadow, &"adoptedStyleSheets".into(), &js_sys::Array::of1(&sheet))?;
    let root: HtmlElement = document.create_element("div")?.unchecked_into();
    shadow.append_child(&root)?;
    let made = Rc::new(Cell::new(None));
    let view = leptos::mount::mount_to(root, {
        let made = made.clone();
        move || {
            let chat = Chat::new(options);
            made.set(Some(chat));
            view! { <Widget chat /> }
        }
    });
    if let Some(drawn) = drawn {
        drawn.remove();
        if let Some(Ok(launcher)) = shadow
            .query_selector(".cw-launcher")
            .ok()
            .flatten()
            .filter(|_| focused)
            .map(JsCast::dyn_into::<HtmlElement>)
        {
            let _ = launcher.focus();
        }
    }
    Ok(WidgetHandle {
        shadow,
        chat: made.get().ok_or("the widget did not start")?,
        _view: Box::new(view),
    })
}
