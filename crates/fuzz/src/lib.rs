//! The fuzz targets: each takes arbitrary bytes and must never panic. Where a target
//! can also check an invariant cheaply (a journal replays to the same stream, a frame
//! survives a round trip), it asserts it, so the fuzzer finds wrong answers too.
//!
//! The widget's own readers (`src/read.rs`, `src/live/frames.rs`) work on JavaScript
//! values and run in the browser: `tests/web.rs` feeds them mutated inputs there.

pub mod mutate;

use chinwag_dialogue::engine::{Answer, Prompt};
use chinwag_dialogue::{validate, Dialogue, Stream, VisitorContext};
use std::collections::BTreeMap;

/// Dialogue JSON → validator → engine. The bytes after the first NUL (if any) drive
/// the visitor: each byte picks an action (answer, type, fill fields, continue, close,
/// identify) and the following bytes its argument.
pub fn dialogue(data: &[u8]) {
    let (json, moves) = match data.iter().position(|b| *b == 0) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &[][..]),
    };
    let Ok(dialogue) = serde_json::from_slice::<Dialogue>(json) else {
        return;
    };
    for text in texts(&dialogue) {
        let _ = chinwag_dialogue::text::segments(&text);
        let _ = chinwag_dialogue::text::is_safe_url(&text);
    }
    let valid = match validate(dialogue) {
        Ok(valid) => valid,
        Err(problems) => {
            assert!(!problems.is_empty());
            for problem in problems {
                let _ = problem.to_string();
            }
            return;
        }
    };
    let visitor = VisitorContext {
        attributes: BTreeMap::new(),
        page_url: "https://example.com/pricing".into(),
        locale: word(moves, 0).to_owned(),
        teams_available: Vec::new(),
    };
    let mut stream = Stream::start(&valid, visitor, 0);
    let mut at = 0;
    let mut now = 0;
    while at < moves.len() {
        let (op, arg) = (moves[at], moves.get(at + 1).copied().unwrap_or(0));
        at += 2;
        now += 1_000;
        let text = word(moves, at).to_owned();
        match op % 6 {
            0 => {
                let _ = stream.answer(&valid, Answer::Choice(arg.into()), now);
            }
            1 => {
                let _ = stream.answer(&valid, Answer::Text(text), now);
            }
            2 => {
                let fields = match stream.prompt(&valid) {
                    Prompt::InfoCapture { fields, .. } => fields
                        .into_iter()
                        .enumerate()
                        .filter(|(i, _)| arg >> (i % 8) & 1 == 1)
                        .map(|(_, f)| (f.attribute, text.clone()))
                        .collect(),
                    _ => BTreeMap::new(),
                };
                let _ = stream.answer(&valid, Answer::Fields(fields), now);
            }
            3 => {
                let _ = stream.answer(&valid, Answer::Continue, now);
            }
            4 => stream.close(now),
            _ => {
                let attributes = BTreeMap::from([(word(moves, at + 1).to_owned(), text)]);
                stream.identify(&valid, attributes, now);
            }
        }
        let _ = stream.prompt(&valid);
        let _ = stream.status(&valid);
    }
    // What the widget stores is the journal: replaying it must give the same stream.
    let replayed = Stream::replay(&valid, stream.journal().clone()).expect("a journal replays");
    assert_eq!(replayed.transcript, stream.transcript, "replayed transcript");
    assert_eq!(replayed.events, stream.events, "replayed events");
    assert_eq!(replayed.position(), stream.position(), "replayed position");
}

/// Every string in the dialogue's JSON, for the text helpers.
fn texts(dialogue: &Dialogue) -> Vec<String> {
    fn walk(value: &serde_json::Value, out: &mut Vec<String>) {
        match value {
            serde_json::Value::String(s) => out.push(s.clone()),
            serde_json::Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
            serde_json::Value::Object(o) => o.values().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Ok(value) = serde_json::to_value(dialogue) {
        walk(&value, &mut out);
    }
    out
}

/// A short text taken from the bytes at `at`: up to 12 bytes, lossily as UTF-8.
fn word(data: &[u8], at: usize) -> &str {
    let bytes = data.get(at..).unwrap_or_default();
    let bytes = &bytes[..bytes.len().min(12)];
    match std::str::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default(),
    }
}

/// The wire frames the server parses (visitor and agent) and the widget and inbox
/// read (server frames): a frame that parses survives a round trip unchanged.
pub fn frames(data: &[u8]) {
    use chinwag_protocol::{AgentFrame, ServerFrame, VisitorFrame};
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    fn round_trip<T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug>(
        text: &str,
    ) {
        if let Ok(frame) = serde_json::from_str::<T>(text) {
            let again = serde_json::to_string(&frame).expect("a frame serializes");
            let back = serde_json::from_str::<T>(&again).expect("a serialized frame parses");
            assert_eq!(back, frame, "round trip of {text}");
        }
    }
    round_trip::<VisitorFrame>(text);
    round_trip::<AgentFrame>(text);
    round_trip::<ServerFrame>(text);
}

/// A site's appearance settings (from the admin API or the console): checked, merged
/// into a dialogue's own appearance, turned into CSS; locales negotiated.
pub fn site(data: &[u8]) {
    use chinwag_site::{locale, Appearance};
    let Ok(appearance) = serde_json::from_slice::<Appearance>(data) else {
        let text = String::from_utf8_lossy(data);
        let mut parts = text.split('\n');
        let (page, site, browser) = (parts.next(), parts.next(), parts.next());
        let chosen = locale::visitor_locale(page, site, browser);
        let _ = locale::is_well_formed(&chosen);
        let _ = chinwag_site::Strings::for_locale(&chosen).unread_count(data.len(), "one");
        return;
    };
    let problems = appearance.problems();
    let mut own = chinwag_dialogue::Appearance::default();
    let css = appearance.apply_to(&mut own);
    if problems.is_empty() {
        // Settings that pass the check never break out of a CSS rule.
        assert_eq!(css.matches('{').count(), css.matches('}').count(), "{css}");
    }
    for l in ["en", "pt-BR", "zh-Hans", "", "x"] {
        let _ = appearance.greeting_in(l);
    }
}
