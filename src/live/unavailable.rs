use super::{Connection, Handoff, LiveChatTransport, LiveEvent, OnLiveEvent};

/// A transport with no server behind it: the visitor sees the card's fallback
/// message at once. Used until the widget is given a real connection.
pub struct Unavailable;

impl LiveChatTransport for Unavailable {
    fn connect(&self, _handoff: Handoff, on_event: OnLiveEvent) {
        on_event(LiveEvent::State(Connection::Unavailable));
    }

    fn send(&self, _text: String) -> String {
        String::new()
    }

    /// Never closed, so never rated.
    fn rate(&self, _score: u8, _comment: String) {}

    /// No server, no mail.
    fn email_transcript(&self) {}

    /// No server to send it to.
    fn attach(&self, _file: web_sys::File) {}
}
