//! Reads a card from any serde format in one pass: keys are taken as they come, the
//! `type` decides which fields belong, and every error keeps its exact path.

use super::*;
use crate::Text;
use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};
use std::fmt;

#[derive(serde::Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum Kind {
    Message,
    Question,
    InfoCapture,
    Branch,
    LiveChat,
    Meeting,
    Goto,
    End,
    Goal,
}

impl Kind {
    /// The fields each kind accepts besides `type`, as serde names them in errors.
    fn fields(self) -> &'static [&'static str] {
        match self {
            Kind::Message => &["id", "text", "image", "button"],
            Kind::Question => &["id", "text", "answers", "free_text"],
            Kind::InfoCapture => &["id", "text", "fields", "submit_label"],
            Kind::Branch => &["id", "when", "then", "else"],
            Kind::LiveChat => &["id", "text", "route", "fallback"],
            Kind::Meeting => &["id", "text", "hosts", "duration_minutes", "fallback"],
            Kind::Goto => &["id", "to"],
            Kind::End => &["id", "text"],
            Kind::Goal => &["id", "name"],
        }
    }
}

/// Every field some card kind accepts, for keys read before the `type`.
const ANY_FIELD: &[&str] = &[
    "type",
    "id",
    "text",
    "image",
    "button",
    "answers",
    "free_text",
    "fields",
    "submit_label",
    "when",
    "then",
    "else",
    "route",
    "fallback",
    "hosts",
    "duration_minutes",
    "to",
    "name",
];

/// Reads a key and refuses it at once when no card (or, once the `type` is known, not
/// this card) has it, so the error's path ends with the stray key (`then[0].txt`) just
/// as a typo at the top level does.
struct Key(Option<Kind>);

impl<'de> de::DeserializeSeed<'de> for Key {
    type Value = String;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        let key = String::deserialize(deserializer)?;
        let allowed = self.0.map_or(ANY_FIELD, Kind::fields);
        if key == "type" || allowed.contains(&key.as_str()) {
            Ok(key)
        } else {
            Err(de::Error::unknown_field(&key, allowed))
        }
    }
}

/// Every field any card may have; the kind then takes what it needs.
#[derive(Default)]
struct Parts {
    kind: Option<Kind>,
    id: Option<String>,
    text: Option<Text>,
    image: Option<Image>,
    button: Option<LinkButton>,
    answers: Option<Vec<AnswerOption>>,
    free_text: Option<FreeText>,
    fields: Option<Vec<Field>>,
    submit_label: Option<Text>,
    when: Option<crate::Condition>,
    then: Option<Vec<Card>>,
    otherwise: Option<Vec<Card>>,
    route: Option<crate::Route>,
    fallback: Option<Text>,
    hosts: Option<Hosts>,
    duration_minutes: Option<u32>,
    to: Option<String>,
    name: Option<String>,
}

fn need<T, E: de::Error>(value: Option<T>, field: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(field))
}

impl<'de> Deserialize<'de> for Card {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Card, D::Error> {
        deserializer.deserialize_map(CardVisitor)
    }
}

struct CardVisitor;

impl<'de> Visitor<'de> for CardVisitor {
    type Value = Card;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a card: an object with a \"type\"")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Card, A::Error> {
        let mut p = Parts::default();
        let mut keys: Vec<String> = Vec::new();
        while let Some(key) = map.next_key_seed(Key(p.kind))? {
            if keys.contains(&key) {
                return Err(de::Error::custom(format_args!("duplicate field `{key}`")));
            }
            match key.as_str() {
                "type" => p.kind = Some(map.next_value()?),
                "id" => p.id = Some(map.next_value()?),
                "text" => p.text = Some(map.next_value()?),
                "image" => p.image = Some(map.next_value()?),
                "button" => p.button = Some(map.next_value()?),
                "answers" => p.answers = Some(map.next_value()?),
                "free_text" => p.free_text = Some(map.next_value()?),
                "fields" => p.fields = Some(map.next_value()?),
                "submit_label" => p.submit_label = Some(map.next_value()?),
                "when" => p.when = Some(map.next_value()?),
                "then" => p.then = Some(map.next_value()?),
                "else" => p.otherwise = Some(map.next_value()?),
                "route" => p.route = Some(map.next_value()?),
                "fallback" => p.fallback = Some(map.next_value()?),
                "hosts" => p.hosts = Some(map.next_value()?),
                "duration_minutes" => p.duration_minutes = Some(map.next_value()?),
                "to" => p.to = Some(map.next_value()?),
                "name" => p.name = Some(map.next_value()?),
                // Key lets only known fields through; never panic on input all the same.
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            keys.push(key);
        }
        let kind = need(p.kind, "type")?;
        let allowed = kind.fields();
        if let Some(stray) = keys
            .iter()
            .find(|k| *k != "type" && !allowed.contains(&k.as_str()))
        {
            return Err(de::Error::unknown_field(stray, allowed));
        }
        let id = p.id;
        Ok(match kind {
            Kind::Message => Card::Message(Message {
                id,
                text: need(p.text, "text")?,
                image: p.image,
                button: p.button,
            }),
            Kind::Question => Card::Question(Question {
                id,
                text: need(p.text, "text")?,
                answers: p.answers.unwrap_or_default(),
                free_text: p.free_text,
            }),
            Kind::InfoCapture => Card::InfoCapture(InfoCapture {
                id,
                text: p.text,
                fields: need(p.fields, "fields")?,
                submit_label: p.submit_label,
            }),
            Kind::Branch => Card::Branch(Branch {
                id,
                when: need(p.when, "when")?,
                then: p.then.unwrap_or_default(),
                otherwise: p.otherwise.unwrap_or_default(),
            }),
            Kind::LiveChat => Card::LiveChat(LiveChat {
                id,
                text: p.text,
                route: need(p.route, "route")?,
                fallback: need(p.fallback, "fallback")?,
            }),
            Kind::Meeting => Card::Meeting(Meeting {
                id,
                text: p.text,
                hosts: need(p.hosts, "hosts")?,
                duration_minutes: need(p.duration_minutes, "duration_minutes")?,
                fallback: need(p.fallback, "fallback")?,
            }),
            Kind::Goto => Card::Goto(Goto {
                id,
                to: need(p.to, "to")?,
            }),
            Kind::End => Card::End(End { id, text: p.text }),
            Kind::Goal => Card::Goal(Goal {
                id,
                name: need(p.name, "name")?,
            }),
        })
    }
}
