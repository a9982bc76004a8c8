//! The standalone widget: reads a dialogue URL from the page, fetches and validates
//! the dialogue, and mounts the widget fixed in the corner. Until the server exists
//! the live-chat card reports that nobody is available. Any failure is one console
//! warning: the host page never breaks because of us.

use crate::live::{LiveChatTransport, ServerSocket, Unavailable};
use crate::mount::{mount, Placement, Typing, WidgetOptions};
use crate::parse;
use chinwag_dialogue::VisitorContext;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

pub fn run() {
    wasm_bindgen_futures::spawn_local(async {
        if let Err(e) = start().await {
            web_sys::console::warn_1(&format!("Chinwag: {}", parse::js_message(&e)).into());
        }
    });
}

async fn start() -> Result<(), JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    let config = document
        .query_selector("[data-chinwag-dialogue]")?
        .ok_or("no element with data-chinwag-dialogue on this page")?;
    let url = config.get_attribute("data-chinwag-dialogue").unwrap_or_default();
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(&url)).await?.dyn_into()?;
    if !response.ok() {
        return Err(format!("{url} answered {}", response.status()).into());
    }
    let json = JsFuture::from(response.text()?)
        .await?
        .as_string()
        .unwrap_or_default();
    let dialogue = parse::dialogue(&json).map_err(|problems| {
        let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
        JsValue::from(format!("{url} is not a valid dialogue:\n{}", lines.join("\n")))
    })?;
    let host = document.create_element("chinwag-widget")?;
    document.body().ok_or("no body")?.append_child(&host)?;
    let visitor = VisitorContext {
        page_url: window.location().href()?,
        locale: window.navigator().language().unwrap_or_else(|| "en".into()),
        ..Default::default()
    };
    let handle = mount(
        &host,
        WidgetOptions {
            storage_key: Some(format!("chinwag:{}", dialogue.id)),
            dialogue,
            visitor,
            typing: Typing::default(),
            transport: transport(&config, &window),
            placement: Placement::Fixed,
            open: false,
            on_change: None,
        },
    )?;
    // The widget lives as long as the page.
    std::mem::forget(handle);
    Ok(())
}

/// The live-chat connection: the Chinwag server named by `data-chinwag-server` (or
/// this page's own origin) for the site in `data-chinwag-site`; without a site, none.
fn transport(config: &web_sys::Element, window: &web_sys::Window) -> Rc<dyn LiveChatTransport> {
    let Some(site) = config.get_attribute("data-chinwag-site") else {
        return Rc::new(Unavailable);
    };
    let server = config
        .get_attribute("data-chinwag-server")
        .or_else(|| window.location().origin().ok())
        .unwrap_or_default();
    Rc::new(ServerSocket::new(&server, &site))
}
