use super::{Connection, Handoff, LiveChatTransport, LiveEvent, OnLiveEvent};
use leptos::leptos_dom::helpers::set_timeout;
use std::cell::RefCell;
use std::time::Duration;

/// The preview's stand-in for a human: connects after a moment and answers each
/// message, so the live-chat card can be seen working without a server.
#[derive(Default)]
pub struct PreviewAgent {
    on_event: RefCell<Option<OnLiveEvent>>,
}

const AGENT: &str = "Sam (preview agent)";

impl LiveChatTransport for PreviewAgent {
    fn connect(&self, _handoff: Handoff, on_event: OnLiveEvent) {
        on_event(LiveEvent::State(Connection::Connecting));
        *self.on_event.borrow_mut() = Some(on_event.clone());
        set_timeout(
            move || on_event(LiveEvent::State(Connection::Connected { agent: AGENT.into() })),
            Duration::from_millis(900),
        );
    }

    fn send(&self, text: String) -> String {
        let id = format!("preview-{}", js_sys::Date::now());
        if let Some(on_event) = self.on_event.borrow().clone() {
            // Acknowledged after `send` returns, as the server's answer comes: the
            // session learns the message's id from the return first.
            let (ack, delivered) = (on_event.clone(), id.clone());
            set_timeout(
                move || ack(LiveEvent::Delivered { id: delivered }),
                Duration::ZERO,
            );
            on_event(LiveEvent::AgentTyping(true));
            let reply =
                format!("Thanks! You said \"{text}\". A real agent answers here once the server is running.");
            set_timeout(
                move || {
                    on_event(LiveEvent::AgentTyping(false));
                    on_event(LiveEvent::AgentMessage {
                        author: AGENT.into(),
                        text: reply,
                        file: None,
                    })
                },
                Duration::from_millis(700),
            );
        }
        id
    }

    fn rate(&self, score: u8, _comment: String) {
        if let Some(on_event) = self.on_event.borrow().clone() {
            on_event(LiveEvent::Rated { score });
        }
    }

    fn email_transcript(&self) {
        if let Some(on_event) = self.on_event.borrow().clone() {
            on_event(LiveEvent::TranscriptSent {
                to: "y…@example.com (preview: nothing is sent)".into(),
            });
        }
    }

    /// Shown from the page's own memory: nothing leaves the browser.
    fn attach(&self, file: web_sys::File) {
        if let Some(on_event) = self.on_event.borrow().clone() {
            let url = web_sys::Url::create_object_url_with_blob(&file).unwrap_or_default();
            let image = chinwag_protocol::IMAGES.contains(&file.type_().as_str());
            let size = file.size() as u64;
            on_event(LiveEvent::VisitorMessage {
                text: file.name(),
                file: Some(super::LiveFile { url, image, size }),
            });
        }
    }

    fn erase(&self) {
        if let Some(on_event) = self.on_event.borrow().clone() {
            set_timeout(move || on_event(LiveEvent::Erased), Duration::from_millis(300));
        }
    }
}
