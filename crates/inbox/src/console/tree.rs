//! The stream as a tree, read from the draft's JSON as it is (even a draft with
//! problems): each card with its path, depth, type and first text, answers' and
//! branches' cards nested under them; a branch's `then` and `else` are nodes of their
//! own (even empty), so a card can be added or dropped into them.

use serde_json::Value;

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub path: String,
    pub depth: usize,
    pub kind: String,
    pub label: String,
}

impl Node {
    /// A card (not an answer or a branch's side).
    pub fn is_card(&self) -> bool {
        !matches!(self.kind.as_str(), "answer" | "then" | "else")
    }

    /// Where a card goes when it is added at this node (`after` a card) or dropped on
    /// it (before a card): the end of an answer's or a branch side's list otherwise.
    pub fn place(&self, after: bool) -> (String, usize) {
        match (self.kind.as_str(), super::stream_edit::split(&self.path)) {
            ("answer", _) => (format!("{}.then", self.path), usize::MAX),
            ("then" | "else", _) => (self.path.clone(), usize::MAX),
            (_, Some((list, i))) => (list.to_owned(), i + usize::from(after)),
            _ => ("stream".into(), usize::MAX),
        }
    }
}

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Object(map) => map.values().next().map(text).unwrap_or_default(),
        _ => String::new(),
    }
}

pub fn nodes(dialogue: &Value) -> Vec<Node> {
    let mut out = Vec::new();
    walk(&dialogue["stream"], "stream", 0, &mut out);
    out
}

fn walk(cards: &Value, base: &str, depth: usize, out: &mut Vec<Node>) {
    let Some(cards) = cards.as_array() else { return };
    for (i, card) in cards.iter().enumerate() {
        let path = format!("{base}[{i}]");
        let kind = card["type"].as_str().unwrap_or("?").to_owned();
        let label = match kind.as_str() {
            "goto" => format!("→ {}", card["to"].as_str().unwrap_or("?")),
            "goal" => format!("Goal: {}", card["name"].as_str().unwrap_or("?")),
            "meeting" => text(&card["text"]).to_owned() + &format!(" ({} min)", card["duration_minutes"]),
            _ => text(&card["text"]),
        };
        out.push(Node {
            path: path.clone(),
            depth,
            kind,
            label,
        });
        if let Some(answers) = card["answers"].as_array() {
            for (a, answer) in answers.iter().enumerate() {
                out.push(Node {
                    path: format!("{path}.answers[{a}]"),
                    depth: depth + 1,
                    kind: "answer".into(),
                    label: text(&answer["label"]),
                });
                walk(
                    &answer["then"],
                    &format!("{path}.answers[{a}].then"),
                    depth + 2,
                    out,
                );
            }
        }
        walk(
            &card["free_text"]["then"],
            &format!("{path}.free_text.then"),
            depth + 1,
            out,
        );
        if card["type"] == "branch" {
            for (key, label) in [("then", "when it holds"), ("else", "otherwise")] {
                out.push(Node {
                    path: format!("{path}.{key}"),
                    depth: depth + 1,
                    kind: key.into(),
                    label: label.into(),
                });
                walk(&card[key], &format!("{path}.{key}"), depth + 2, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cards_go_after_a_card_or_into_an_answer_or_a_side() {
        let node = |path: &str, kind: &str| Node {
            path: path.into(),
            depth: 0,
            kind: kind.into(),
            label: String::new(),
        };
        assert_eq!(node("stream[1]", "message").place(true), ("stream".into(), 2));
        assert_eq!(node("stream[1]", "message").place(false), ("stream".into(), 1));
        assert_eq!(
            node("stream[0].answers[1]", "answer").place(true),
            ("stream[0].answers[1].then".into(), usize::MAX)
        );
        assert_eq!(
            node("stream[2].else", "else").place(false),
            ("stream[2].else".into(), usize::MAX)
        );
    }

    #[test]
    fn answers_and_branches_nest() {
        let d: Value = serde_json::from_str(
            r#"{"stream":[{"type":"question","text":{"en":"Hi?"},"answers":[{"label":"Yes","then":[{"type":"live_chat"}]}]},
                {"type":"branch","then":[{"type":"end"}],"else":[{"type":"goto","to":"x"}]}]}"#,
        )
        .unwrap();
        let paths: Vec<(String, usize)> = nodes(&d).into_iter().map(|n| (n.path, n.depth)).collect();
        assert_eq!(
            paths,
            [
                ("stream[0]".into(), 0),
                ("stream[0].answers[0]".into(), 1),
                ("stream[0].answers[0].then[0]".into(), 2),
                ("stream[1]".into(), 0),
                ("stream[1].then".into(), 1),
                ("stream[1].then[0]".into(), 2),
                ("stream[1].else".into(), 1),
                ("stream[1].else[0]".into(), 2),
            ]
        );
    }
}
