//! The part of wasm-streams' API that server_fn's browser client names, without
//! streaming: Chinwag's bundles define no server functions, so none of this runs; if
//! it ever did, every stream fails at once with an error that says why.

use futures_util::stream::{self, Stream};
use wasm_bindgen::{JsCast, JsValue};

const UNSUPPORTED: &str = "streaming server functions are not supported in Chinwag's bundles";

/// A readable stream that is never read: see the crate's documentation.
pub struct ReadableStream(web_sys::ReadableStream);

impl ReadableStream {
    /// Wraps a browser stream (which is left unread).
    pub fn from_raw(raw: web_sys::ReadableStream) -> Self {
        Self(raw)
    }

    /// Drops the Rust stream: no request body is streamed from these bundles.
    pub fn from_stream<St>(_stream: St) -> Self
    where
        St: Stream<Item = Result<JsValue, JsValue>> + 'static,
    {
        Self(JsValue::UNDEFINED.unchecked_into())
    }

    /// The browser stream this wraps.
    pub fn into_raw(self) -> web_sys::ReadableStream {
        self.0
    }

    /// A stream that ends after one error saying streaming is unsupported.
    pub fn into_stream(self) -> impl Stream<Item = Result<JsValue, JsValue>> + Unpin {
        stream::iter([Err(JsValue::from_str(UNSUPPORTED))])
    }
}
