//! The stream as a tree, read from the draft's JSON as it is (even a draft with
//! problems): each card with its path, depth, type and first text, answers' and
//! branches' cards nested under them.

use serde_json::Value;

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub path: String,
    pub depth: usize,
    pub kind: String,
    pub label: String,
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
        walk(&card["then"], &format!("{path}.then"), depth + 1, out);
        walk(&card["else"], &format!("{path}.else"), depth + 1, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
                ("stream[1].then[0]".into(), 1),
                ("stream[1].else[0]".into(), 1),
            ]
        );
    }
}
