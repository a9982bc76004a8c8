//! Reads a dialogue from the browser's `JSON.parse` result by hand, for visitors'
//! bundles.
//!
//! Why not serde here: the derived visitors and a deserializer over JavaScript values
//! were the largest single item in the widget (about 25 KB of wasm). Visitors get
//! dialogues the server has already validated, so a bad shape only needs to be refused
//! (`None`), not explained; the preview (feature `preview`) keeps serde with full
//! messages and paths, and a browser test checks that both read every example alike.
//!
//! Only what the widget runs is read: targeting is the loader's business.

use chinwag_dialogue::cards::{
    AnswerOption, Branch, End, Field, FieldKind, FreeText, Goal, Goto, Hosts, Image, InfoCapture, LinkButton,
    LiveChat, Meeting, Message, Question,
};
use chinwag_dialogue::condition::{Choices, Comparison};
use chinwag_dialogue::dialogue::DEFAULT_LOCALE;
use chinwag_dialogue::{Appearance, Card, Condition, Dialogue, Route, Rule, Target, Text};
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

type Reader<T> = fn(&JsValue) -> Option<T>;

/// The dialogue in `value`, or `None` when it does not have a dialogue's shape.
pub fn dialogue(value: &JsValue) -> Option<Dialogue> {
    Some(Dialogue {
        schema: None,
        // The server serves dialogues in the current version only.
        version: chinwag_dialogue::dialogue::FORMAT_VERSION,
        id: string(&get(value, "id"))?,
        name: string(&get(value, "name"))?,
        default_locale: optional(value, "default_locale", string)?.unwrap_or_else(|| DEFAULT_LOCALE.into()),
        targeting: Default::default(),
        appearance: optional(value, "appearance", appearance)?,
        stream: list(&get(value, "stream"), card)?,
        published: optional(value, "published", number)?,
    })
}

fn get(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

/// A field that may be missing (`Some(None)`); present with a bad shape is `None`.
fn optional<T>(object: &JsValue, key: &str, read: Reader<T>) -> Option<Option<T>> {
    let value = get(object, key);
    if value.is_undefined() || value.is_null() {
        Some(None)
    } else {
        read(&value).map(Some)
    }
}

/// A list of cards that defaults to empty.
fn cards(object: &JsValue, key: &str) -> Option<Vec<Card>> {
    Some(optional(object, key, |v| list(v, card))?.unwrap_or_default())
}

fn list<T>(value: &JsValue, read: Reader<T>) -> Option<Vec<T>> {
    value.dyn_ref::<Array>()?.iter().map(|item| read(&item)).collect()
}

fn string(value: &JsValue) -> Option<String> {
    value.as_string()
}

fn number(value: &JsValue) -> Option<u32> {
    let n = value.as_f64()?;
    (n >= 0.0 && n <= u32::MAX as f64 && n.fract() == 0.0).then_some(n as u32)
}

fn text(value: &JsValue) -> Option<Text> {
    match value.as_string() {
        Some(plain) => Some(Text::Plain(plain)),
        None => crate::storage::map_from_js(value).map(Text::Localized),
    }
}

/// An externally tagged enum: `{"tag": value}`.
fn tagged(value: &JsValue) -> Option<(String, JsValue)> {
    let entries = Object::entries(value.dyn_ref()?);
    let entry: Array = entries.get(0).dyn_into().ok()?;
    (entries.length() == 1).then_some((entry.get(0).as_string()?, entry.get(1)))
}

fn card(v: &JsValue) -> Option<Card> {
    let id = optional(v, "id", string)?;
    let optional_text = |key| optional(v, key, text);
    let required_text = |key| text(&get(v, key));
    Some(match string(&get(v, "type"))?.as_str() {
        "message" => Card::Message(Message {
            id,
            text: required_text("text")?,
            image: optional(v, "image", |i| {
                Some(Image {
                    url: string(&get(i, "url"))?,
                    alt: text(&get(i, "alt"))?,
                })
            })?,
            button: optional(v, "button", |b| {
                Some(LinkButton {
                    label: text(&get(b, "label"))?,
                    url: string(&get(b, "url"))?,
                })
            })?,
        }),
        "question" => Card::Question(Question {
            id,
            text: required_text("text")?,
            answers: optional(v, "answers", |a| list(a, answer))?.unwrap_or_default(),
            free_text: optional(v, "free_text", |f| {
                Some(FreeText {
                    attribute: string(&get(f, "attribute"))?,
                    placeholder: optional(f, "placeholder", text)?,
                    then: cards(f, "then")?,
                })
            })?,
        }),
        "info_capture" => Card::InfoCapture(InfoCapture {
            id,
            text: optional_text("text")?,
            fields: list(&get(v, "fields"), field)?,
            submit_label: optional_text("submit_label")?,
        }),
        "branch" => Card::Branch(Branch {
            id,
            when: condition(&get(v, "when"))?,
            then: cards(v, "then")?,
            otherwise: cards(v, "else")?,
        }),
        "live_chat" => Card::LiveChat(LiveChat {
            id,
            text: optional_text("text")?,
            route: route(&get(v, "route"))?,
            fallback: required_text("fallback")?,
        }),
        "meeting" => Card::Meeting(Meeting {
            id,
            text: optional_text("text")?,
            hosts: match tagged(&get(v, "hosts"))? {
                (tag, agents) if tag == "agents" => Hosts::Agents(list(&agents, string)?),
                (tag, team) if tag == "team" => Hosts::Team(string(&team)?),
                _ => return None,
            },
            duration_minutes: number(&get(v, "duration_minutes"))?,
            fallback: required_text("fallback")?,
        }),
        "goto" => Card::Goto(Goto {
            id,
            to: string(&get(v, "to"))?,
        }),
        "end" => Card::End(End {
            id,
            text: optional_text("text")?,
        }),
        "goal" => Card::Goal(Goal {
            id,
            name: string(&get(v, "name"))?,
        }),
        _ => return None,
    })
}

fn answer(v: &JsValue) -> Option<AnswerOption> {
    Some(AnswerOption {
        label: text(&get(v, "label"))?,
        then: cards(v, "then")?,
    })
}

fn field(v: &JsValue) -> Option<Field> {
    let yes_unless = |key| Some(optional(v, key, JsValue::as_bool)?.unwrap_or(true));
    Some(Field {
        kind: match string(&get(v, "kind"))?.as_str() {
            "first_name" => FieldKind::FirstName,
            "last_name" => FieldKind::LastName,
            "email" => FieldKind::Email,
            "phone" => FieldKind::Phone,
            "company" => FieldKind::Company,
            "job_title" => FieldKind::JobTitle,
            "custom" => FieldKind::Custom,
            _ => return None,
        },
        attribute: optional(v, "attribute", string)?,
        label: optional(v, "label", text)?,
        required: yes_unless("required")?,
        error: optional(v, "error", text)?,
        skip_if_known: yes_unless("skip_if_known")?,
    })
}

fn condition(v: &JsValue) -> Option<Condition> {
    let (tag, value) = tagged(v)?;
    let comparison = |c: &JsValue| {
        Some(Comparison {
            attribute: string(&get(c, "attribute"))?,
            value: string(&get(c, "value"))?,
        })
    };
    Some(match tag.as_str() {
        "all" => Condition::All(list(&value, condition)?),
        "any" => Condition::Any(list(&value, condition)?),
        "is_empty" => Condition::IsEmpty(string(&value)?),
        "is_not_empty" => Condition::IsNotEmpty(string(&value)?),
        "equals" => Condition::Equals(comparison(&value)?),
        "contains" => Condition::Contains(comparison(&value)?),
        "one_of" => Condition::OneOf(Choices {
            attribute: string(&get(&value, "attribute"))?,
            values: list(&get(&value, "values"), string)?,
        }),
        "page_url_matches" => Condition::PageUrlMatches(string(&value)?),
        "team_available" => Condition::TeamAvailable(string(&value)?),
        _ => return None,
    })
}

fn route(v: &JsValue) -> Option<Route> {
    Some(match string(&get(v, "mode"))?.as_str() {
        "round_robin" => Route::RoundRobin,
        "agent" => Route::Agent {
            agent: string(&get(v, "agent"))?,
        },
        "team" => Route::Team {
            team: string(&get(v, "team"))?,
        },
        "rules" => Route::Rules {
            rules: list(&get(v, "rules"), rule)?,
        },
        _ => return None,
    })
}

fn rule(v: &JsValue) -> Option<Rule> {
    Some(Rule {
        when: condition(&get(v, "when"))?,
        to: match tagged(&get(v, "to"))? {
            (tag, agent) if tag == "agent" => Target::Agent(string(&agent)?),
            (tag, team) if tag == "team" => Target::Team(string(&team)?),
            _ => return None,
        },
        verified: get(v, "verified").as_bool().unwrap_or(false),
    })
}

fn appearance(v: &JsValue) -> Option<Appearance> {
    let whole = |key| optional(v, key, number);
    Some(Appearance {
        bot_name: optional(v, "bot_name", string)?,
        avatar_url: optional(v, "avatar_url", string)?,
        accent_color: optional(v, "accent_color", string)?,
        typing_ms_per_char: whole("typing_ms_per_char")?,
        typing_max_ms: whole("typing_max_ms")?,
    })
}
