//! HTTP calls to the server, with the session cookie and the CSRF token.

use serde::de::DeserializeOwned;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestCredentials, RequestInit, Response};

pub async fn call<T: DeserializeOwned>(
    method: &str,
    path: &str,
    body: Option<String>,
    csrf: &str,
) -> Result<T, String> {
    let init = RequestInit::new();
    init.set_method(method);
    init.set_credentials(RequestCredentials::SameOrigin);
    if let Some(body) = &body {
        init.set_body(&body.into());
    }
    let request = Request::new_with_str_and_init(path, &init).map_err(|_| "bad request".to_string())?;
    let headers = request.headers();
    let _ = headers.set("content-type", "application/json");
    if !csrf.is_empty() {
        let _ = headers.set("x-csrf-token", csrf);
    }
    let window = web_sys::window().ok_or("no window")?;
    let response: Response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(|_| "the server cannot be reached".to_string())?
        .unchecked_into();
    let text = JsFuture::from(response.text().map_err(|_| "no body")?)
        .await
        .ok()
        .and_then(|t| t.as_string())
        .unwrap_or_default();
    if !response.ok() {
        let message = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|v| v["error"].as_str().map(str::to_owned));
        return Err(message.unwrap_or_else(|| format!("the server answered {}", response.status())));
    }
    serde_json::from_str(&text).map_err(|e| e.to_string())
}
