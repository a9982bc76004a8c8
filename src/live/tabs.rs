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

use js_sys::{Array, Function, Promise, Reflect};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{BroadcastChannel, MessageEvent};

/// The socket's side, as the tabs see it (so this module knows nothing of the socket).
pub trait Host {
    /// This tab now owns the socket.
    fn lead(&self);
    /// Whether this tab owns the socket.
    fn leads(&self) -> bool;
    /// A server frame the leader passed on (other tabs only).
    fn frame(&self, text: &str);
    /// A frame another tab wants sent (the leader only).
    fn send(&self, text: &str);
    /// The conversation's frames so far, for a tab that joins (the leader only).
    fn said(&self) -> Vec<String>;
}

/// This tab's membership: its channel, and the lock it may hold. Dropping it leaves:
/// the channel closes and another tab may lead.
pub struct Tabs {
    channel: Option<BroadcastChannel>,
    release: Rc<RefCell<Option<Function>>>,
    _heard: Option<Closure<dyn FnMut(JsValue)>>,
    _granted: Option<Closure<dyn FnMut(JsValue) -> JsValue>>,
}

/// Joins the visitor's other tabs; leads at once when the browser has no Web Locks.
pub fn join(name: &str, host: Rc<dyn Host>) -> Tabs {
    let channel = BroadcastChannel::new(name).ok();
    let heard = channel.as_ref().map(|channel| {
        let host = host.clone();
        let channel_ = channel.clone();
        let on_message = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
            let data: Array = event.unchecked_into::<MessageEvent>().data().unchecked_into();
            let (kind, text) = (
                data.get(0).as_string().unwrap_or_default(),
                data.get(1).as_string().unwrap_or_default(),
            );
            match (kind.as_str(), host.leads()) {
                ("f", false) => host.frame(&text),
                ("s", true) => host.send(&text),
                ("h", true) => host
                    .said()
                    .iter()
                    .for_each(|frame| send_on(&channel_, "f", frame)),
                _ => {}
            }
        });
        channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message
    });
    let release = Rc::new(RefCell::new(None));
    let mut tabs = Tabs {
        channel,
        release: release.clone(),
        _heard: heard,
        _granted: None,
    };
    let locks = web_sys::window()
        .and_then(|w| Reflect::get(&w.navigator(), &"locks".into()).ok())
        .filter(|l| !l.is_undefined());
    let request = locks
        .as_ref()
        .and_then(|l| Reflect::get(l, &"request".into()).ok())
        .and_then(|r| r.dyn_into::<Function>().ok());
    let (Some(locks), Some(request)) = (locks, request) else {
        host.lead();
        return tabs;
    };
    // Granted when no other tab leads; held until the page goes or the widget is
    // removed (the promise resolves then).
    let granted = Closure::<dyn FnMut(JsValue) -> JsValue>::new(move |_| {
        let held = Promise::new(&mut |resolve, _| *release.borrow_mut() = Some(resolve));
        host.lead();
        held.into()
    });
    let _ = request.call2(&locks, &name.into(), granted.as_ref());
    tabs._granted = Some(granted);
    // A leader may already be talking: ask it for the conversation so far.
    tabs.post("h", "");
    tabs
}

impl Tabs {
    /// Sends to the other tabs of this visitor.
    pub fn post(&self, kind: &str, text: &str) {
        if let Some(channel) = &self.channel {
            send_on(channel, kind, text);
        }
    }
}

fn send_on(channel: &BroadcastChannel, kind: &str, text: &str) {
    let _ = channel.post_message(&Array::of2(&kind.into(), &text.into()));
}

impl Drop for Tabs {
    fn drop(&mut self) {
        if let Some(channel) = self.channel.take() {
            channel.set_onmessage(None);
            channel.close();
        }
        // Another tab may lead now.
        if let Some(release) = self.release.borrow_mut().take() {
            let _ = release.call0(&JsValue::NULL);
        }
        // A lock not granted yet still may be: its callback must outlive us (it then
        // finds the socket shut down and does nothing).
        if let Some(granted) = self._granted.take() {
            granted.forget();
        }
    }
}
