//! HTTP calls to the server, with the session cookie and the CSRF token (gloo-net's
//! fetch: same-origin credentials are the browser's default).

use gloo_net::http::{Method, RequestBuilder};
use serde::de::DeserializeOwned;

pub async fn call<T: DeserializeOwned>(
    method: &str,
    path: &str,
    body: Option<String>,
    csrf: &str,
) -> Result<T, String> {
    let method = method.parse::<Method>().map_err(|_| "bad method".to_string())?;
    let mut request = RequestBuilder::new(path)
        .method(method)
        .header("content-type", "application/json");
    if !csrf.is_empty() {
        request = request.header("x-csrf-token", csrf);
    }
    let request = match body {
        Some(body) => request.body(body),
        None => request.build(),
    }
    .map_err(|e| e.to_string())?;
    let response = request
        .send()
        .await
        .map_err(|_| "the server cannot be reached".to_string())?;
    let text = response.text().await.unwrap_or_default();
    if !response.ok() {
        let message = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|v| v["error"].as_str().map(str::to_owned));
        return Err(message.unwrap_or_else(|| format!("the server answered {}", response.status())));
    }
    serde_json::from_str(&text).map_err(|e| e.to_string())
}
