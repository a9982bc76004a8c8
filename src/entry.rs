//! One line of the conversation. Text is always rendered as text nodes; only
//! `http(s)://` and `mailto:` links become `<a>` elements.

use crate::widget::Chat;
use chinwag_dialogue::engine::{Entry, Speaker};
use chinwag_dialogue::text::{is_safe_url, segments, Segment};
use leptos::prelude::*;

/// A line typed during live chat, by the visitor or the agent.
#[derive(Clone, Debug, PartialEq)]
pub struct LiveLine {
    pub from_visitor: bool,
    pub author: String,
    pub text: String,
}

fn rich_text(text: &str) -> impl IntoView {
    segments(text)
        .into_iter()
        .map(|segment| match segment {
            Segment::Link(url) if is_safe_url(url) => {
                view! { <a href=url.to_owned() target="_blank" rel="noopener noreferrer">{url.to_owned()}</a> }
                    .into_any()
            }
            Segment::Link(text) | Segment::Plain(text) => text.to_owned().into_any(),
        })
        .collect_view()
}

#[component]
pub fn EntryView(entry: Entry) -> impl IntoView {
    let chat = expect_context::<Chat>();
    let from_bot = entry.speaker == Speaker::Bot;
    let image = entry.image.filter(|i| is_safe_url(&i.url)).map(|i| {
        view! { <img class="cw-image" src=i.url alt=i.alt loading="lazy" /> }
    });
    let button = entry.button.filter(|b| is_safe_url(&b.url)).map(|b| {
        view! {
            <a class="cw-cta" href=b.url target="_blank" rel="noopener noreferrer">
                {b.label}
                <span class="cw-visually-hidden">" " {chat.strings.opens_new_tab}</span>
            </a>
        }
    });
    view! {
        <div class="cw-line" class:cw-bot=from_bot class:cw-visitor=!from_bot>
            <span class="cw-visually-hidden">{if from_bot { chat.bot_name() } else { chat.strings.you.to_owned() }} ": "</span>
            <p class="cw-bubble">{rich_text(&entry.text)}</p>
            {image}
            {button}
        </div>
    }
}

#[component]
pub fn LiveLineView(line: LiveLine) -> impl IntoView {
    let chat = expect_context::<Chat>();
    let author = if line.from_visitor {
        chat.strings.you.to_owned()
    } else {
        line.author.clone()
    };
    view! {
        <div class="cw-line cw-live" class:cw-bot=!line.from_visitor class:cw-visitor=line.from_visitor>
            <span class="cw-author" class:cw-visually-hidden=line.from_visitor>{author} ": "</span>
            <p class="cw-bubble">{rich_text(&line.text)}</p>
        </div>
    }
}
