//! A visitor's attachment: its bytes posted to the chat server with the conversation's
//! token, the message's id and the file's name in headers, never in the URL, where
//! proxies' logs would keep them (the browser asks the server first, a CORS preflight,
//! and keeps its answer: the URL is the same for every upload). The message it becomes
//! comes back on the socket like any other; a refusal comes back as `FileRefused` with
//! the server's reason.

use super::{LiveEvent, OnLiveEvent};
use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

pub fn upload(server: &str, site: &str, token: &str, file: web_sys::File, on_event: OnLiveEvent) {
    let name = file.name();
    let enc = |s: &str| String::from(js_sys::encode_uri_component(s));
    let url = format!("{server}/api/sites/{}/files", enc(site));
    let headers = [
        ("authorization", format!("Bearer {token}")),
        ("chinwag-message-id", crate::clock::random_id()),
        ("chinwag-file-name", enc(&name)),
    ];
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(why) = post(&url, headers, file.into()).await {
            on_event(LiveEvent::FileRefused { name, why });
        }
    });
}

async fn post(url: &str, named: [(&str, String); 3], body: JsValue) -> Result<(), String> {
    let failed = |_| "the connection failed".to_owned();
    let window: JsValue = web_sys::window().ok_or("no window")?.into();
    let fetch: Function = Reflect::get(&window, &"fetch".into())
        .map_err(failed)?
        .unchecked_into();
    let init = Object::new();
    let headers = Object::new();
    let _ = Reflect::set(&headers, &"content-type".into(), &"text/plain".into());
    for (name, value) in named {
        let _ = Reflect::set(&headers, &name.into(), &value.into());
    }
    let _ = Reflect::set(&init, &"method".into(), &"POST".into());
    let _ = Reflect::set(&init, &"headers".into(), &headers);
    let _ = Reflect::set(&init, &"body".into(), &body);
    let call = fetch.call2(&window, &url.into(), &init).map_err(failed)?;
    let response: web_sys::Response = JsFuture::from(call.unchecked_into::<Promise>())
        .await
        .map_err(failed)?
        .unchecked_into();
    if response.ok() {
        return Ok(());
    }
    let answer = match response.json() {
        Ok(json) => JsFuture::from(json).await.unwrap_or(JsValue::NULL),
        Err(_) => JsValue::NULL,
    };
    Err(Reflect::get(&answer, &"error".into())
        .ok()
        .and_then(|e| e.as_string())
        .unwrap_or_else(|| format!("the server answered {}", response.status())))
}
