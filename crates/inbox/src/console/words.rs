//! The dialogue said in the marketer's words, not the file's paths: a card named by its
//! kind and its text ("Question “Shall we talk?”"), each validator problem turned into a
//! sentence about the card it concerns (paths stay for the file view only), and ids
//! made from words.

use super::tree::{nodes, Node};
use serde_json::Value;

/// A problem said about a card: the card to mark and jump to (its path), and the words.
#[derive(Clone, Debug, PartialEq)]
pub struct Worded {
    pub card: Option<String>,
    pub text: String,
}

/// What a kind of card is called.
fn kind_name(kind: &str) -> &'static str {
    match kind {
        "message" => "Message",
        "question" => "Question",
        "answer" => "Answer",
        "info_capture" => "Form",
        "branch" => "Condition",
        "then" => "Its “yes” side",
        "else" => "Its “no” side",
        "live_chat" => "Live chat",
        "meeting" => "Meeting",
        "goto" => "Go to",
        "end" => "End",
        "goal" => "Goal",
        _ => "Card",
    }
}

/// A card in words: its kind and the start of its text.
pub fn card_words(node: &Node) -> String {
    // The tree's own prefixes ("Goal: …", "→ …") say the kind, which is said here.
    let full = node.label.trim_start_matches("Goal: ").trim_start_matches("→ ");
    let label: String = full.chars().take(40).collect();
    let cut = if label.chars().count() < full.chars().count() {
        "…"
    } else {
        ""
    };
    match label.trim() {
        "" => kind_name(&node.kind).to_owned(),
        l => format!("{} “{l}{cut}”", kind_name(&node.kind)),
    }
}

/// Where a visitor is (a card's path, or `end`) in words: the card there, or "the end".
pub fn place_words(doc: &Value, place: &str) -> String {
    match nodes(doc).iter().find(|n| n.path == place) {
        Some(node) => card_words(node),
        None if place == "end" => "the end".to_owned(),
        None => place.to_owned(),
    }
}

/// A part of a card (`fields[1].label`) in words (`field 2, label`).
fn part_words(rest: &str) -> String {
    rest.split('.')
        .filter(|s| !s.is_empty())
        .map(|segment| {
            let (key, index) = match segment.strip_suffix(']').and_then(|s| s.split_once('[')) {
                Some((key, n)) => (key, n.parse::<usize>().ok()),
                None => (segment, None),
            };
            let word = match key {
                "text" => "text",
                "fallback" => "text when nobody can answer",
                "label" => "label",
                "route" => "who gets the chat",
                "team" => "team",
                "agent" => "agent",
                "rules" => "rule",
                "to" => "where it goes",
                "fields" => "field",
                "answers" => "answer",
                "options" => "option",
                "hosts" => "host",
                "duration_minutes" => "length",
                "condition" | "if" => "condition",
                "name" => "name",
                "id" => "id",
                "pages" => "page rule",
                "audience" => "audience",
                "trigger" => "start",
                "priority" => "priority",
                other => other,
            };
            match index {
                Some(n) => format!("{word} {}", n + 1),
                None => word.to_owned(),
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A dialogue-level part (`targeting.pages[0]`, `name`) in words.
fn dialogue_part(path: &str) -> String {
    let (head, rest) = path.split_once('.').unwrap_or((path, ""));
    let (head_key, _) = head.split_once('[').unwrap_or((head, ""));
    let head = match head_key {
        "targeting" => "Targeting",
        "name" => "The dialogue's name",
        "id" => "The dialogue's id",
        "stream" => "The dialogue's cards",
        "appearance" => "Appearance",
        "default_locale" | "locales" => "Languages",
        "version" => "The file's format version",
        _ => "The dialogue",
    };
    match part_words(rest) {
        r if r.is_empty() => head.to_owned(),
        r => format!("{head}, {r}"),
    }
}

/// Where a list of cards sits, for "the last card of its …".
fn container(list: &str) -> &'static str {
    let parent = list.strip_suffix(".then").unwrap_or(list);
    let last = parent.rsplit('.').next().unwrap_or_default();
    match (list, last.starts_with("answers[")) {
        ("stream", _) => "the dialogue",
        (_, true) => "its answer",
        _ => "its side of the condition",
    }
}

/// An id from a name: lower-case letters, digits and dashes, not one of `taken`.
pub fn id_from_name(name: &str, taken: &[String]) -> String {
    let mut id = String::new();
    for c in name.trim().to_lowercase().chars() {
        // Accented Latin letters keep their base letter.
        let c = match c {
            'à'..='å' => 'a',
            'ç' => 'c',
            'è'..='ë' => 'e',
            'ì'..='ï' => 'i',
            'ñ' => 'n',
            'ò'..='ö' | 'ø' => 'o',
            'ù'..='ü' => 'u',
            'ý' | 'ÿ' => 'y',
            c => c,
        };
        match c {
            'a'..='z' | '0'..='9' => id.push(c),
            _ if !id.is_empty() && !id.ends_with('-') => id.push('-'),
            _ => {}
        }
    }
    let id: String = id.trim_end_matches('-').chars().take(40).collect();
    let id = match id.trim_end_matches('-') {
        "" => "dialogue".to_owned(),
        id => id.to_owned(),
    };
    (1..)
        .map(|n| if n == 1 { id.clone() } else { format!("{id}-{n}") })
        .find(|candidate| !taken.contains(candidate))
        .unwrap_or(id)
}

/// A validator problem in words about the card it concerns.
pub fn in_words(doc: &Value, path: &str, message: &str) -> Worded {
    let tree = nodes(doc);
    let find = |p: &str| tree.iter().find(|n| n.path == p);
    // A live chat card with cards after it: the card after it is the one misplaced.
    if message.starts_with("a live chat card must be the last card") {
        if let (Some(live), Some((list, i))) = (find(path), super::stream_edit::split(path)) {
            let next = format!("{list}[{}]", i + 1);
            if let Some(after) = find(&next) {
                let name: String = live.label.trim().chars().take(40).collect();
                let live = match name.is_empty() {
                    true => "live chat card".to_owned(),
                    false => format!("live chat card “{name}”"),
                };
                return Worded {
                    text: format!(
                        "{} comes after the {live}: a live chat card must be the last card of {}, so this card would never show. Move it above the live chat card, or remove it.",
                        card_words(after),
                        container(list)
                    ),
                    card: Some(next),
                };
            }
        }
    }
    let deepest = tree
        .iter()
        .filter(|n| path == n.path || path.starts_with(&format!("{}.", n.path)))
        .max_by_key(|n| n.path.len());
    match deepest {
        Some(node) => {
            let part = part_words(path[node.path.len()..].trim_start_matches('.'));
            let at = match part.is_empty() {
                true => card_words(node),
                false => format!("{}, {part}", card_words(node)),
            };
            Worded {
                card: Some(node.path.clone()),
                text: format!("{at}: {message}"),
            }
        }
        None => Worded {
            card: None,
            text: format!("{}: {message}", dialogue_part(path)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spring() -> Value {
        json!({ "version": 1, "id": "s", "stream": [
            { "type": "message", "text": "Welcome to the spring sale!" },
            { "type": "question", "text": "Shall we talk?", "answers": [
                { "label": "Talk to someone", "then": [
                    { "type": "live_chat", "text": "Connecting you", "route": { "mode": "round_robin" }, "fallback": "" },
                    { "type": "message", "text": "Thanks!" }
                ] },
                { "label": "Just looking", "then": [] }
            ] }
        ] })
    }

    #[test]
    fn a_card_after_a_live_chat_is_the_one_flagged_in_words() {
        let w = in_words(
            &spring(),
            "stream[1].answers[0].then[0]",
            "a live chat card must be the last card of its branch; cards after it would never show",
        );
        assert_eq!(w.card.as_deref(), Some("stream[1].answers[0].then[1]"));
        assert_eq!(
            w.text,
            "Message “Thanks!” comes after the live chat card “Connecting you”: a live chat card must be the last card of its answer, so this card would never show. Move it above the live chat card, or remove it."
        );
    }

    #[test]
    fn a_problem_in_a_part_of_a_card_names_the_card_and_the_part() {
        let w = in_words(
            &spring(),
            "stream[1].answers[0].then[0].fallback",
            "text is empty",
        );
        assert_eq!(w.card.as_deref(), Some("stream[1].answers[0].then[0]"));
        assert_eq!(
            w.text,
            "Live chat “Connecting you”, text when nobody can answer: text is empty"
        );
        let w = in_words(&spring(), "stream[1].answers[1].label", "x");
        assert_eq!(w.text, "Answer “Just looking”, label: x");
    }

    #[test]
    fn a_problem_of_the_whole_dialogue_names_its_part() {
        let w = in_words(&spring(), "targeting.pages[0].url_matches", "not a valid pattern");
        assert_eq!(w.card, None);
        assert_eq!(w.text, "Targeting, page rule 1, url_matches: not a valid pattern");
        assert_eq!(
            in_words(&spring(), "name", "is empty").text,
            "The dialogue's name: is empty"
        );
    }

    #[test]
    fn a_goal_and_a_go_to_are_named_once() {
        let doc =
            json!({ "stream": [{ "type": "goal", "name": "Lead" }, { "type": "goto", "to": "start" }] });
        let tree = nodes(&doc);
        assert_eq!(card_words(&tree[0]), "Goal “Lead”");
        assert_eq!(card_words(&tree[1]), "Go to “start”");
    }

    #[test]
    fn a_place_in_words() {
        assert_eq!(
            place_words(&spring(), "stream[1].answers[0].then[1]"),
            "Message “Thanks!”"
        );
        assert_eq!(place_words(&spring(), "end"), "the end");
    }

    #[test]
    fn long_texts_are_cut() {
        let doc = json!({ "stream": [{ "type": "message", "text": "a".repeat(60) }] });
        let w = in_words(&doc, "stream[0]", "m");
        assert_eq!(w.text, format!("Message “{}…”: m", "a".repeat(40)));
    }

    #[test]
    fn an_id_made_from_the_name_and_free() {
        assert_eq!(id_from_name("Spring offer!", &[]), "spring-offer");
        assert_eq!(id_from_name("  Été 2027 — promo ", &[]), "ete-2027-promo");
        assert_eq!(id_from_name("???", &[]), "dialogue");
        let taken = ["spring-offer".to_owned(), "spring-offer-2".to_owned()];
        assert_eq!(id_from_name("Spring offer", &taken), "spring-offer-3");
    }
}
