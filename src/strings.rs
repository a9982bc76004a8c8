//! The widget's built-in texts. English for now; other locales plug in here
//! (`Strings::for_locale`) without touching the components.

use chinwag_dialogue::cards::FieldKind;
use chinwag_dialogue::fields::FieldProblem;

pub struct Strings {
    pub open_chat: &'static str,
    pub close_chat: &'static str,
    pub chat_with: &'static str,
    pub typing: &'static str,
    pub send: &'static str,
    pub your_answer: &'static str,
    pub type_answer: &'static str,
    pub submit: &'static str,
    pub optional: &'static str,
    pub continue_: &'static str,
    pub start_over: &'static str,
    pub conversation_ended: &'static str,
    pub connecting: &'static str,
    pub agent_joined: &'static str,
    pub message_sent: &'static str,
    pub type_message: &'static str,
    pub chat_closed: &'static str,
    pub you: &'static str,
    pub sending: &'static str,
    pub delivered: &'static str,
    pub opens_new_tab: &'static str,
}

pub const EN: Strings = Strings {
    open_chat: "Open chat",
    close_chat: "Close chat",
    chat_with: "Chat with",
    typing: "is typing…",
    send: "Send",
    your_answer: "Your answer",
    type_answer: "Type your answer…",
    submit: "Send",
    optional: "(optional)",
    continue_: "Continue",
    start_over: "Start over",
    conversation_ended: "This conversation has ended.",
    connecting: "Connecting you to a human…",
    agent_joined: "joined the chat",
    message_sent: "Message sent",
    type_message: "Type a message…",
    chat_closed: "The chat was closed.",
    you: "You",
    sending: "Sending…",
    delivered: "Delivered",
    opens_new_tab: "(opens in a new tab)",
};

impl Strings {
    pub fn for_locale(_locale: &str) -> &'static Strings {
        &EN
    }

    pub fn field_label(&self, kind: FieldKind) -> &'static str {
        match kind {
            FieldKind::FirstName => "First name",
            FieldKind::LastName => "Last name",
            FieldKind::Email => "Email",
            FieldKind::Phone => "Phone",
            FieldKind::Company => "Company",
            FieldKind::JobTitle => "Job title",
            FieldKind::Custom => "Answer",
        }
    }

    pub fn field_problem(&self, problem: FieldProblem) -> &'static str {
        match problem {
            FieldProblem::Required => "Please fill this in.",
            FieldProblem::InvalidEmail => "Please enter a valid email address, like name@example.com.",
            FieldProblem::InvalidPhone => "Please enter a valid phone number, like +44 20 7946 0958.",
            FieldProblem::TooLong => "This is too long.",
        }
    }
}
