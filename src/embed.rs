//! The widget on a host page, driven by the loader (`chinwag.js`).
//!
//! The loader puts an element with `data-chinwag-*` attributes on the page (the
//! dialogue's JSON or URL, the site and server, the visitor's locale, texts, attributes, the
//! site's CSS and greeting), draws the launcher in its shadow root, and puts a function
//! in its `chinwag` property. The widget mounts from those attributes, taking over the
//! launcher, then calls `chinwag("ready", command)`: the loader
//! sends the host page's calls (`open`, `close`, `toggle`, `identify`, `mount`,
//! `unmount`) through `command(name, value)`, and the widget tells the page what
//! happens through `chinwag(event, detail)`. Any failure is one console warning: the
//! host page never breaks because of us.

use crate::mount::{mount, Placement, Typing, WidgetHandle, WidgetOptions};
use crate::{parse, storage};
use chinwag_dialogue::VisitorContext;
use chinwag_site::{strings::EN, Strings};
use js_sys::{Function, Reflect, JSON};
use leptos::prelude::Set;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::Element;

/// The mounted widget, and the host element when the widget made it (the loader's own
/// stays: the loader removes it, and may already have put it back).
type Slot = Rc<RefCell<Option<(WidgetHandle, Option<Element>)>>>;

pub fn run() {
    let slot = Slot::default();
    spawn(async move {
        on_page().await?;
        show(slot.clone()).await?;
        let command =
            Closure::<dyn FnMut(String, JsValue)>::new(move |name, value| command(&slot, name, value));
        emit(&config()?, "ready", command.as_ref());
        // Lives as long as the page.
        command.forget();
        Ok(())
    });
}

fn spawn(work: impl std::future::Future<Output = Result<(), JsValue>> + 'static) {
    wasm_bindgen_futures::spawn_local(async {
        if let Err(e) = work.await {
            web_sys::console::warn_1(&format!("Chinwag: {}", parse::js_message(&e)).into());
        }
    });
}

/// The loader's element (or a page's own, for a widget without the loader): the
/// loader's first, should the page have an element of its own too.
fn config() -> Result<Element, JsValue> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    document
        .query_selector("chinwag-widget[data-chinwag-dialogue]")?
        .or(document.query_selector("[data-chinwag-dialogue]")?)
        .ok_or_else(|| "no element with data-chinwag-dialogue on this page".into())
}

/// Waits until the element is on the page: a single-page app's navigation may have
/// taken the loader's away before the widget arrived (nothing targets the new page),
/// and the loader puts it back when a dialogue targets a page again. Without the
/// loader, a page with no element is told so, and the widget waits too.
async fn on_page() -> Result<(), JsValue> {
    if config().is_ok() {
        return Ok(());
    }
    let window = web_sys::window().ok_or("no window")?;
    if Reflect::get(&window, &"Chinwag".into())?.is_undefined() {
        web_sys::console::warn_1(&"Chinwag: no element with data-chinwag-dialogue on this page yet".into());
    }
    let document = window.document().ok_or("no document")?;
    JsFuture::from(js_sys::Promise::new(&mut |resolve, _| {
        let seen = Closure::<dyn FnMut(JsValue, web_sys::MutationObserver)>::new(
            move |_, observer: web_sys::MutationObserver| {
                if config().is_ok() {
                    observer.disconnect();
                    let _ = resolve.call0(&JsValue::NULL);
                }
            },
        );
        if let Ok(observer) = web_sys::MutationObserver::new(seen.as_ref().unchecked_ref()) {
            let options = web_sys::MutationObserverInit::new();
            options.set_child_list(true);
            options.set_subtree(true);
            let _ = observer.observe_with_options(&document, &options);
        }
        // Called at most until the element comes: once per page.
        seen.forget();
    }))
    .await
    .map(|_| ())
}

/// Calls the loader's `chinwag(name, detail)`, if it gave one.
fn emit(config: &Element, name: &str, detail: &JsValue) {
    if let Ok(f) = Reflect::get(config, &"chinwag".into()).and_then(|f| f.dyn_into::<Function>()) {
        let _ = f.call2(&JsValue::NULL, &name.into(), detail);
    }
}

/// One call from the host page, through the loader.
fn command(slot: &Slot, name: String, value: JsValue) {
    let chat = slot.borrow().as_ref().map(|(handle, _)| handle.chat);
    match (name.as_str(), chat) {
        ("open", Some(chat)) => chat.open.set(true),
        ("close", Some(chat)) => chat.close(),
        ("toggle", Some(chat)) => chat.toggle(),
        ("identify", Some(chat)) => chat.identify(named(storage::map_from_js(&value).unwrap_or_default())),
        ("unmount", _) => unmount(slot),
        ("mount", _) => spawn(show(slot.clone())),
        _ => {}
    }
}

/// A full `name` gives its first word as `first_name`, unless the page gave one (here
/// rather than in the loader, whose every byte counts).
fn named(mut attributes: BTreeMap<String, String>) -> BTreeMap<String, String> {
    if let Some(first) = attributes.get("name").and_then(|n| n.split_whitespace().next()) {
        let first = first.to_owned();
        attributes.entry("first_name".into()).or_insert(first);
    }
    attributes
}

fn unmount(slot: &Slot) {
    if let Some((handle, ours)) = slot.take() {
        drop(handle);
        if let Some(host) = ours {
            host.remove();
        }
    }
}

/// Mounts the widget with the dialogue and settings the loader's element names now.
async fn show(slot: Slot) -> Result<(), JsValue> {
    unmount(&slot);
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    let config = config()?;
    let attribute = |name: &str| config.get_attribute(name);
    // The dialogue itself (from the loader), or its URL.
    let mut json = attribute("data-chinwag-dialogue").unwrap_or_default();
    let url = if json.starts_with('{') {
        "the dialogue".into()
    } else {
        std::mem::take(&mut json)
    };
    if json.is_empty() {
        let response: web_sys::Response = JsFuture::from(window.fetch_with_str(&url)).await?.dyn_into()?;
        if !response.ok() {
            return Err(format!("{url} answered {}", response.status()).into());
        }
        json = JsFuture::from(response.text()?)
            .await?
            .as_string()
            .unwrap_or_default();
    }
    // Starting up is split into tasks (instantiate, read, mount), so the host page's
    // main thread is never held for long.
    next_task().await?;
    let dialogue = parse::dialogue(&json).map_err(|problems| {
        let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
        JsValue::from(format!("{url} is not a valid dialogue:\n{}", lines.join("\n")))
    })?;
    let visitor = VisitorContext {
        page_url: window.location().href()?,
        locale: attribute("data-chinwag-locale")
            .or_else(|| window.navigator().language())
            .unwrap_or_else(|| "en".into()),
        attributes: named(
            attribute("data-chinwag-attributes")
                .and_then(|a| JSON::parse(&a).ok())
                .and_then(|a| storage::map_from_js(&a))
                .unwrap_or_default(),
        ),
        // The server evaluated `team_available` before the dialogue left it.
        teams_available: Vec::new(),
    };
    // The loader sends the visitor's texts as lines (see chinwag-site); they live as
    // long as the page.
    let strings: Strings = attribute("data-chinwag-strings")
        .and_then(|lines| Strings::from_lines(Box::leak(lines.into_boxed_str())))
        .unwrap_or_else(|| {
            // No server spoke: nobody said whether anyone is there to reply.
            let mut en = EN;
            (en.reply_soon, en.reply_away) = ("", "");
            en
        });
    let strings: &'static Strings = Box::leak(Box::new(strings));
    next_task().await?;
    // The loader's element, where it drew the launcher already; or one of our own.
    let (host, ours) = match config.shadow_root() {
        Some(_) => (config.clone(), None),
        None => {
            let host = document.create_element("chinwag-widget")?;
            document.body().ok_or("no body")?.append_child(&host)?;
            (host.clone(), Some(host))
        }
    };
    let handle = mount(
        &host,
        WidgetOptions {
            storage_key: Some(format!("chinwag:{}", dialogue.id)),
            dialogue,
            visitor,
            typing: Typing::default(),
            transport: None,
            placement: Placement::Fixed,
            open: config.has_attribute("data-chinwag-open"),
            on_change: None,
            strings,
            css: attribute("data-chinwag-css").unwrap_or_default(),
            greeting: attribute("data-chinwag-greeting"),
            server: server(&config, &window),
            emit: Some(Rc::new(move |name: &str, detail| emit(&config, name, &detail))),
        },
    )?;
    slot.replace(Some((handle, ours)));
    Ok(())
}

/// Lets the browser run other work (a zero-delay timeout) before going on.
async fn next_task() -> Result<JsValue, JsValue> {
    JsFuture::from(js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback(&resolve);
        }
    }))
    .await
}

/// The chat server (`data-chinwag-server`, or this page's own origin) and the site
/// (`data-chinwag-site`); without a site, none.
fn server(config: &Element, window: &web_sys::Window) -> Option<(String, String)> {
    let site = config.get_attribute("data-chinwag-site")?;
    let server = config
        .get_attribute("data-chinwag-server")
        .or_else(|| window.location().origin().ok())
        .unwrap_or_default();
    Some((server, site))
}
