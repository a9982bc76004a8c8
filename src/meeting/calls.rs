//! Where the meeting card's calls go: the chat server's meeting API, or (in the trunk
//! preview, which has no server) an in-page stand-in with the same answers.

use js_sys::{Function, Object, Promise, Reflect, JSON};
use std::future::Future;
use std::pin::Pin;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// An answer: the HTTP status and the JSON body (`{}` when it is not JSON).
pub struct Answer {
    pub status: u16,
    pub body: JsValue,
}

pub type Call = Pin<Box<dyn Future<Output = Result<Answer, JsValue>>>>;

/// The meeting API: a GET when `body` is `None`, else a POST of the JSON body.
pub trait Calls {
    fn call(&self, path: String, body: Option<JsValue>) -> Call;
}

/// The chat server at `origin` (no trailing slash).
pub struct Server(pub String);

impl Calls for Server {
    fn call(&self, path: String, body: Option<JsValue>) -> Call {
        let url = format!("{}{path}", self.0);
        Box::pin(async move {
            let window: JsValue = web_sys::window().ok_or("no window")?.into();
            let fetch: Function = Reflect::get(&window, &"fetch".into())?.dyn_into()?;
            let init = Object::new();
            if let Some(body) = body {
                // JSON as text/plain: a simple request, no CORS preflight.
                let headers = Object::new();
                Reflect::set(
                    &headers,
                    &"content-type".into(),
                    &"text/plain;charset=UTF-8".into(),
                )?;
                Reflect::set(&init, &"method".into(), &"POST".into())?;
                Reflect::set(&init, &"headers".into(), &headers)?;
                Reflect::set(&init, &"body".into(), &JSON::stringify(&body)?.into())?;
            }
            let response =
                JsFuture::from(fetch.call2(&window, &url.into(), &init)?.dyn_into::<Promise>()?).await?;
            let response: web_sys::Response = response.dyn_into()?;
            let body = match response.json() {
                Ok(json) => JsFuture::from(json)
                    .await
                    .unwrap_or_else(|_| Object::new().into()),
                Err(_) => Object::new().into(),
            };
            Ok(Answer {
                status: response.status(),
                body,
            })
        })
    }
}
