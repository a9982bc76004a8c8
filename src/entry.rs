//! Lines of the conversation as DOM nodes. The log only ever grows (or is cleared when
//! the visitor starts over), so lines are appended imperatively: far fewer bytes than a
//! keyed list of views, and old lines are never re-rendered or re-announced.
//!
//! Text is always set as text (`textContent`), never as HTML; only `http(s)://` and
//! `mailto:` links become `<a>` elements.

use chinwag_dialogue::engine::{Entry, Speaker};
use chinwag_dialogue::text::{is_safe_url, segments, Segment};
use web_sys::{Document, Element};

/// A line typed during live chat, by the visitor or the agent.
#[derive(Clone, Debug, PartialEq)]
pub struct LiveLine {
    pub from_visitor: bool,
    pub author: String,
    /// The message; an attachment's name when `file` is there.
    pub text: String,
    pub file: Option<crate::live::LiveFile>,
}

/// A size in words, without floating point (it would cost the bundle its formatting).
fn size(bytes: u64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < 1024 * 1024 => format!("{} KB", b.div_ceil(1024)),
        b => {
            let tenths = b * 10 / (1024 * 1024);
            format!("{}.{} MB", tenths / 10, tenths % 10)
        }
    }
}

fn element(document: &Document, parent: &Element, tag: &str, class: &str) -> Option<Element> {
    let el = document.create_element(tag).ok()?;
    if !class.is_empty() {
        el.set_class_name(class);
    }
    parent.append_child(&el).ok()?;
    Some(el)
}

fn text(document: &Document, parent: &Element, text: &str) {
    let _ = parent.append_child(&document.create_text_node(text));
}

fn link(document: &Document, parent: &Element, url: &str, class: &str) -> Option<Element> {
    let a = element(document, parent, "a", class)?;
    let _ = a.set_attribute("href", url);
    let _ = a.set_attribute("target", "_blank");
    let _ = a.set_attribute("rel", "noopener noreferrer");
    Some(a)
}

/// One line: a visually hidden speaker name (for screen readers), the bubble, and
/// for bot messages an optional image and call-to-action link.
fn line(document: &Document, log: &Element, from_bot: bool, speaker: &str, body: &str) -> Option<Element> {
    let class = if from_bot {
        "cw-line cw-bot"
    } else {
        "cw-line cw-visitor"
    };
    let line = element(document, log, "div", class)?;
    let who = element(document, &line, "span", "cw-visually-hidden")?;
    text(document, &who, &format!("{speaker}: "));
    let bubble = element(document, &line, "p", "cw-bubble")?;
    for segment in segments(body) {
        match segment {
            Segment::Link(url) if is_safe_url(url) => text(document, &link(document, &bubble, url, "")?, url),
            Segment::Link(plain) | Segment::Plain(plain) => text(document, &bubble, plain),
        }
    }
    Some(line)
}

pub fn append_entry(document: &Document, log: &Element, entry: &Entry, bot: &str, you: &str, new_tab: &str) {
    let from_bot = entry.speaker == Speaker::Bot;
    let Some(el) = line(
        document,
        log,
        from_bot,
        if from_bot { bot } else { you },
        &entry.text,
    ) else {
        return;
    };
    if let Some(image) = entry.image.as_ref().filter(|i| is_safe_url(&i.url)) {
        if let Some(img) = element(document, &el, "img", "cw-image") {
            let _ = img.set_attribute("src", &image.url);
            let _ = img.set_attribute("alt", &image.alt);
            let _ = img.set_attribute("loading", "lazy");
        }
    }
    if let Some(button) = entry.button.as_ref().filter(|b| is_safe_url(&b.url)) {
        if let Some(a) = link(document, &el, &button.url, "cw-cta") {
            text(document, &a, &button.label);
            if let Some(hint) = element(document, &a, "span", "cw-visually-hidden") {
                text(document, &hint, &format!(" {new_tab}"));
            }
        }
    }
}

pub fn append_live(document: &Document, log: &Element, live: &LiveLine, you: &str) {
    let speaker = if live.from_visitor { you } else { &live.author };
    let body = if live.file.is_some() { "" } else { &live.text };
    if let Some(el) = line(document, log, !live.from_visitor, speaker, body) {
        // An attachment: a link to it (a new tab), an image shown in it.
        if let (Some(file), Some(bubble)) = (&live.file, el.last_element_child()) {
            if let Some(a) = link(document, &bubble, &file.url, "cw-file") {
                if file.image {
                    if let Some(img) = element(document, &a, "img", "cw-image") {
                        let _ = img.set_attribute("src", &file.url);
                        let _ = img.set_attribute("alt", "");
                    }
                }
                text(document, &a, &format!("{} ({})", live.text, size(file.size)));
            }
        }
        el.set_class_name(&format!("{} cw-live", el.class_name()));
        if !live.from_visitor {
            // Agents are named visibly: the visitor should know who answers.
            if let Some(author) = element(document, &el, "span", "cw-author") {
                text(document, &author, &live.author);
                let _ = el.insert_before(&author, el.first_child().as_ref());
            }
        }
    }
}
