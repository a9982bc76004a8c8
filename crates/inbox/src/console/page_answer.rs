//! "Does this page show it?": which dialogue a visitor on an address would get, and why,
//! as the loader decides (highest priority first, ties in id order, the first whose page
//! rules and audience fit; a live chat under way keeps its dialogue). The draft is taken
//! as if it were published; the site's other dialogues as visitors get them now.

use super::targeting::trigger_line;
use chinwag_dialogue::Targeting;
use serde_json::Value;

/// A dialogue that could be shown: from the site's list (`live`) or the draft.
struct Candidate {
    id: String,
    name: String,
    targeting: Value,
}

impl Candidate {
    fn priority(&self) -> i64 {
        self.targeting["priority"].as_i64().unwrap_or(0)
    }

    fn has_audience(&self) -> bool {
        self.targeting.get("audience").is_some_and(|a| !a.is_null())
    }

    fn targets(&self, url: &str) -> bool {
        serde_json::from_value::<Targeting>(self.targeting.clone())
            .unwrap_or_default()
            .targets_page(url)
    }
}

/// The answer for `url`, a sentence per line. `draft` is the editor's dialogue,
/// `list` the site's dialogues as `GET /api/sites/{site}/dialogues` gives them, `off`
/// whether this dialogue is switched off.
pub fn page_answer(url: &str, draft: &Value, list: &[Value], off: bool) -> Vec<String> {
    let id = draft["id"].as_str().unwrap_or_default();
    let this = Candidate {
        id: id.to_owned(),
        name: draft["name"].as_str().unwrap_or(id).to_owned(),
        targeting: draft["targeting"].clone(),
    };
    let mut all: Vec<Candidate> = list
        .iter()
        .filter(|d| d["id"] != id && d["live"].is_object())
        .map(|d| Candidate {
            id: d["id"].as_str().unwrap_or_default().to_owned(),
            name: d["live"]["name"]
                .as_str()
                .or(d["id"].as_str())
                .unwrap_or_default()
                .to_owned(),
            targeting: d["live"]["targeting"].clone(),
        })
        .collect();
    all.push(this);
    // The server sends the highest priority first, ties in id order.
    all.sort_by(|a, b| b.priority().cmp(&a.priority()).then_with(|| a.id.cmp(&b.id)));
    let fits: Vec<&Candidate> = all.iter().filter(|c| c.targets(url)).collect();
    let mut out = Vec::new();
    match fits.iter().position(|c| c.id == id) {
        None => {
            out.push("No: none of its page rules matches this address.".to_owned());
            if let Some(first) = fits.first() {
                out.push(format!(
                    "A visitor there gets “{}” (priority {}){}.",
                    first.name,
                    first.priority(),
                    if first.has_audience() {
                        " if they fit its audience"
                    } else {
                        ""
                    }
                ));
            }
        }
        Some(at) => {
            let me = fits[at];
            let before = &fits[..at];
            match before.iter().find(|c| !c.has_audience()) {
                Some(winner) => out.push(format!(
                    "No: a visitor there gets “{}” instead: {}.",
                    winner.name,
                    why_first(winner, me)
                )),
                None => {
                    out.push(format!(
                        "Yes: a visitor there gets it {}{}.",
                        trigger_line(&me.targeting["trigger"]),
                        if me.has_audience() {
                            ", if they fit its audience"
                        } else {
                            ""
                        }
                    ));
                    for earlier in before {
                        out.push(format!(
                            "Except visitors who fit the audience of “{}”: they get that one ({}).",
                            earlier.name,
                            why_first(earlier, me)
                        ));
                    }
                }
            }
        }
    }
    if off {
        out.push("It is switched off now: nobody gets it until you switch it on.".to_owned());
    }
    out.push("A visitor already in a live chat keeps that chat's dialogue on every page.".to_owned());
    out
}

/// Why `first` comes before `then` in the loader's order.
fn why_first(first: &Candidate, then: &Candidate) -> String {
    match first.priority() == then.priority() {
        true => format!(
            "the same priority ({}), and its id “{}” comes first",
            first.priority(),
            first.id
        ),
        false => format!(
            "its priority ({}) is higher than this one's ({})",
            first.priority(),
            then.priority()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn listed(id: &str, name: &str, targeting: Value) -> Value {
        json!({ "id": id, "live": { "name": name, "targeting": targeting } })
    }

    #[test]
    fn a_higher_priority_dialogue_on_the_page_wins_and_says_why() {
        let draft = json!({ "id": "spring", "name": "Spring", "targeting": { "pages": [{ "url_contains": "/pricing" }] } });
        let list = [
            listed(
                "faq",
                "Pricing FAQ",
                json!({ "pages": [{ "url_contains": "/pricing" }], "priority": 10 }),
            ),
            json!({ "id": "spring", "live": null }),
            json!({ "id": "draft-only", "live": null }),
        ];
        let answer = page_answer("https://x.test/pricing", &draft, &list, false);
        assert_eq!(
            answer[0],
            "No: a visitor there gets “Pricing FAQ” instead: its priority (10) is higher than this one's (0)."
        );
        // Elsewhere it wins; on an address no rule matches, the page's dialogue is named.
        let answer = page_answer("https://x.test/about", &draft, &list, true);
        assert_eq!(answer[0], "No: none of its page rules matches this address.");
        assert_eq!(
            answer[1],
            "It is switched off now: nobody gets it until you switch it on."
        );
    }

    #[test]
    fn this_one_wins_unless_an_earlier_audience_fits() {
        let draft = json!({ "id": "b", "name": "B", "targeting": { "trigger": { "after_seconds": 5 } } });
        let list = [
            listed(
                "a",
                "A",
                json!({ "audience": { "attribute": "plan", "equals": "pro" } }),
            ),
            listed("z", "Z", json!({ "priority": -1 })),
        ];
        let answer = page_answer("https://x.test/", &draft, &list, false);
        assert_eq!(answer[0], "Yes: a visitor there gets it after 5 s.");
        assert_eq!(
            answer[1],
            "Except visitors who fit the audience of “A”: they get that one (the same priority (0), and its id “a” comes first)."
        );
        assert_eq!(
            answer.last().unwrap(),
            "A visitor already in a live chat keeps that chat's dialogue on every page."
        );
    }
}
