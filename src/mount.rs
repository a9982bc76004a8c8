//! Mounting the widget inside a Shadow DOM root on any host element.

use crate::chat::Chat;
use crate::effect::effect;
pub use crate::options::{Emit, OnChange, Placement, Typing, WidgetOptions};
use crate::storage;
use crate::widget::Widget;
use js_sys::Reflect;
use leptos::prelude::*;
use std::any::Any;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlElement, ShadowRoot, ShadowRootInit, ShadowRootMode};

// `widget.css`, minified by build.rs.
const CSS: &str = include_str!(concat!(env!("OUT_DIR"), "/widget.min.css"));

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

/// After every change of the stream: the report to the server, the copy in storage
/// and the host's callback.
fn follow_changes(chat: Chat, on_change: Option<OnChange>) {
    let report = crate::report::follow(chat);
    effect(move || {
        chat.stream.with(|s| {
            if let Some(report) = &report {
                report(s);
            }
            chat.setup.with_value(|setup| {
                if let Some(key) = &setup.storage_key {
                    storage::save(key, s);
                }
            });
            if let Some(on_change) = &on_change {
                on_change(s);
            }
        })
    });
}

/// Attaches a shadow root to `host` (or takes over the one where the loader drew the
/// launcher), adds the widget's CSS inside it, and starts the dialogue (or resumes it
/// from storage).
pub fn mount(host: &Element, mut options: WidgetOptions) -> Result<WidgetHandle, JsValue> {
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
            let on_change = options.on_change.take();
            let chat = Chat::new(options);
            follow_changes(chat, on_change);
            chat.connect_live_when_due();
            chat.follow_other_tabs();
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
