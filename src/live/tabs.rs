//! One socket per visitor, however many tabs: the tab holding the Web Lock
//! `chinwag:live:{site}` owns the socket (the leader); the others talk through it over
//! a `BroadcastChannel` of the same name. The leader passes on every frame the server
//! sends (and, when a tab joins, every frame so far); other tabs hand it the frames they
//! would send. When the leader's tab closes, its lock passes to another tab, which opens
//! the socket and resumes the conversation. Browsers without Web Locks give every tab
//! its own socket, as before.
//!
//! Messages between tabs are `[kind, text]`: `"f"` a server frame (leader to tabs),
//! `"s"` a frame to send (tab to leader), `"h"` a joining tab asking for what was said.

use super::socket::{lead, receive_text, transmit, Inner};
use js_sys::{Array, Function, Promise, Reflect};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{BroadcastChannel, MessageEvent};

/// Joins the visitor's other tabs; leads at once when the browser has no Web Locks.
pub fn join(inner: &Rc<RefCell<Inner>>) {
    let name = inner.borrow().key.clone();
    if let Ok(channel) = BroadcastChannel::new(&name) {
        let on_message = {
            let inner = inner.clone();
            Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
                let data: Array = event.unchecked_into::<MessageEvent>().data().unchecked_into();
                heard(
                    &inner,
                    &data.get(0).as_string().unwrap_or_default(),
                    data.get(1).as_string().unwrap_or_default(),
                );
            })
        };
        channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        let mut i = inner.borrow_mut();
        i.channel = Some(channel);
        i.callbacks.push(on_message);
    }
    let locks = web_sys::window()
        .and_then(|w| Reflect::get(&w.navigator(), &"locks".into()).ok())
        .filter(|l| !l.is_undefined());
    let request = locks
        .as_ref()
        .and_then(|l| Reflect::get(l, &"request".into()).ok())
        .and_then(|r| r.dyn_into::<Function>().ok());
    let (Some(locks), Some(request)) = (locks, request) else {
        return lead(inner);
    };
    // Granted when no other tab leads; held until the page goes or the widget is
    // removed (the promise resolves then).
    let granted = {
        let inner = inner.clone();
        Closure::<dyn FnMut(JsValue) -> JsValue>::new(move |_| {
            let held = Promise::new(&mut |resolve, _| inner.borrow_mut().release = Some(resolve));
            lead(&inner);
            held.into()
        })
    };
    let _ = request.call2(&locks, &name.into(), granted.as_ref());
    inner.borrow_mut().callbacks_with_result.push(granted);
    // A leader may already be talking: ask it for the conversation so far.
    post(inner, "h", "");
}

/// Sends to the other tabs of this visitor.
pub fn post(inner: &Rc<RefCell<Inner>>, kind: &str, text: &str) {
    if let Some(channel) = &inner.borrow().channel {
        let _ = channel.post_message(&Array::of2(&kind.into(), &text.into()));
    }
}

fn heard(inner: &Rc<RefCell<Inner>>, kind: &str, text: String) {
    let leader = inner.borrow().leader;
    match (kind, leader) {
        ("f", false) => receive_text(inner, &text),
        ("s", true) => transmit(inner, &text),
        ("h", true) => {
            let said = inner.borrow().said.clone();
            for frame in said {
                post(inner, "f", &frame);
            }
        }
        _ => {}
    }
}
