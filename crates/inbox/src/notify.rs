//! Telling an agent a chat arrived: the tab title count, a desktop notification when
//! allowed, and a short tone unless muted (remembered in localStorage).

use wasm_bindgen::JsValue;

const MUTED: &str = "chinwag:inbox:muted";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn muted() -> bool {
    storage().and_then(|s| s.get_item(MUTED).ok().flatten()).is_some()
}

pub fn set_muted(muted: bool) {
    if let Some(s) = storage() {
        let _ = if muted {
            s.set_item(MUTED, "1")
        } else {
            s.remove_item(MUTED)
        };
    }
}

pub fn title(unread: u32) {
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        match unread {
            0 => document.set_title("Chinwag inbox"),
            n => document.set_title(&format!("({n}) Chinwag inbox")),
        }
    }
}

pub fn permission_granted() -> bool {
    web_sys::Notification::permission() == web_sys::NotificationPermission::Granted
}

pub fn ask_permission() {
    let _ = web_sys::Notification::request_permission();
}

/// A new conversation: desktop notification (when allowed) and a tone (unless muted).
pub fn new_chat(visitor: &str, muted: bool) {
    if permission_granted() {
        let options = web_sys::NotificationOptions::new();
        options.set_body(&format!("{visitor} is waiting"));
        let _ = web_sys::Notification::new_with_options("New chat", &options);
    }
    if !muted {
        let _ = tone();
    }
}

/// A meeting booked, moved or cancelled with this agent (`title` "Meeting"), or a note
/// mentioning them ("Note"): the same signals as a chat.
pub fn news(title: &str, text: &str, muted: bool) {
    if permission_granted() {
        let options = web_sys::NotificationOptions::new();
        options.set_body(text);
        let _ = web_sys::Notification::new_with_options(title, &options);
    }
    if !muted {
        let _ = tone();
    }
}

fn tone() -> Result<(), JsValue> {
    let audio = web_sys::AudioContext::new()?;
    let oscillator = audio.create_oscillator()?;
    let gain = audio.create_gain()?;
    gain.gain().set_value(0.08);
    oscillator.frequency().set_value(880.0);
    oscillator.connect_with_audio_node(&gain)?;
    gain.connect_with_audio_node(&audio.destination())?;
    oscillator.start()?;
    oscillator.stop_with_when(audio.current_time() + 0.15)?;
    Ok(())
}
