//! HTTP calls to the server, with the session cookie and the CSRF token (gloo-net's
//! fetch: same-origin credentials are the browser's default).

use gloo_net::http::{Method, RequestBuilder};
use serde::de::DeserializeOwned;

/// A JSON call: the answer's status and body (`null` when it is not JSON), whatever the
/// status; `Err` only when the server cannot be reached.
pub async fn exchange(
    method: &str,
    path: &str,
    body: Option<String>,
    csrf: &str,
) -> Result<(u16, serde_json::Value), String> {
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
    Ok((
        response.status(),
        serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
    ))
}

/// A JSON call whose refusal is its `error` text.
pub async fn call<T: DeserializeOwned>(
    method: &str,
    path: &str,
    body: Option<String>,
    csrf: &str,
) -> Result<T, String> {
    let (status, answer) = exchange(method, path, body, csrf).await?;
    if !(200..300).contains(&status) {
        return Err(answer["error"]
            .as_str()
            .map_or_else(|| format!("the server answered {status}"), str::to_owned));
    }
    serde_json::from_value(answer).map_err(|e| e.to_string())
}

/// Uploads `body` (a file's bytes) with a POST; `Err` is the server's reason.
pub async fn upload(
    path: &str,
    described: [(&str, String); 2],
    body: wasm_bindgen::JsValue,
    csrf: &str,
) -> Result<(), String> {
    let mut request = RequestBuilder::new(path)
        .method(Method::POST)
        .header("x-csrf-token", csrf);
    for (name, value) in &described {
        request = request.header(name, value);
    }
    let response = request
        .body(body)
        .map_err(|e| e.to_string())?
        .send()
        .await
        .map_err(|_| "the server cannot be reached".to_string())?;
    if (200..300).contains(&response.status()) {
        return Ok(());
    }
    let answer: serde_json::Value = response.json().await.unwrap_or_default();
    Err(answer["error"].as_str().map_or_else(
        || format!("the server answered {}", response.status()),
        str::to_owned,
    ))
}
