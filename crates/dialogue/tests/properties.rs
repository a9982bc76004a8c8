//! Properties over generated dialogues: validation never panics; for any dialogue
//! that validates, any sequence of answers runs without a panic, the engine is
//! deterministic, a live-chat card is always terminal, and state survives a
//! serialise/restore round trip.

use chinwag_dialogue::cards::*;
use chinwag_dialogue::engine::{Answer, MarkKind, Prompt, Run, Status, Stream};
use chinwag_dialogue::{validate, Condition, Dialogue, Route, Text, VisitorContext};
use proptest::prelude::*;
use std::collections::BTreeMap;

const IDS: [&str; 4] = ["a", "b", "c", "d"];

fn text() -> impl Strategy<Value = Text> {
    prop_oneof![8 => Just(Text::from("Hello")), 8 => Just(Text::from("Pick")), 1 => Just(Text::from(""))]
}

fn id() -> impl Strategy<Value = Option<String>> {
    prop_oneof![3 => Just(None), 1 => prop::sample::select(&IDS[..]).prop_map(|s| Some(s.to_owned()))]
}

fn condition() -> impl Strategy<Value = Condition> {
    prop_oneof![
        Just(Condition::IsEmpty("email".into())),
        Just(Condition::IsNotEmpty("company".into())),
        Just(Condition::PageUrlMatches("*pricing*".into())),
        Just(Condition::TeamAvailable("sales".into())),
    ]
}

fn field() -> impl Strategy<Value = Field> {
    (
        prop::sample::select(vec![FieldKind::Email, FieldKind::FirstName, FieldKind::Phone]),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(kind, required, skip_if_known)| Field {
            kind,
            attribute: None,
            label: None,
            required,
            error: None,
            skip_if_known,
        })
}

fn leaf() -> impl Strategy<Value = Card> {
    prop_oneof![
        (id(), text()).prop_map(|(id, text)| Card::Message(Message {
            id,
            text,
            image: None,
            button: None
        })),
        (
            id(),
            prop::collection::vec(field(), 0..4).prop_map(|mut f| {
                f.dedup_by_key(|f| f.kind);
                f
            })
        )
            .prop_map(|(id, fields)| Card::InfoCapture(InfoCapture {
                id,
                text: None,
                fields,
                submit_label: None
            })),
        id().prop_map(|id| Card::LiveChat(LiveChat {
            id,
            text: None,
            route: Route::RoundRobin,
            fallback: "Away".into()
        })),
        id().prop_map(|id| Card::Meeting(Meeting {
            id,
            text: None,
            hosts: Hosts::Team("sales".into()),
            duration_minutes: 30,
            fallback: "Soon".into()
        })),
        (id(), prop::sample::select(&IDS[..])).prop_map(|(id, to)| Card::Goto(Goto {
            id,
            to: to.to_owned()
        })),
        id().prop_map(|id| Card::End(End { id, text: None })),
        id().prop_map(|id| Card::Goal(Goal {
            id,
            name: "Demo requested".into()
        })),
    ]
}

fn card() -> impl Strategy<Value = Card> {
    leaf().prop_recursive(3, 24, 4, |inner| {
        let list = prop::collection::vec(inner, 0..4);
        prop_oneof![
            (
                id(),
                text(),
                prop::collection::vec((text(), list.clone()), 0..4),
                any::<bool>(),
                list.clone()
            )
                .prop_map(|(id, text, answers, free, free_then)| Card::Question(Question {
                    id,
                    text,
                    answers: answers
                        .into_iter()
                        .map(|(label, then)| AnswerOption { label, then })
                        .collect(),
                    free_text: free.then(|| FreeText {
                        attribute: "note".into(),
                        placeholder: None,
                        then: free_then
                    }),
                })),
            (id(), condition(), list.clone(), list).prop_map(|(id, when, then, otherwise)| Card::Branch(
                Branch {
                    id,
                    when,
                    then,
                    otherwise
                }
            )),
        ]
    })
}

/// Mostly repaired so that ids are unique, gotos resolve and live chat ends its list;
/// the rest stay raw so the validator's refusals are exercised too.
fn dialogue() -> impl Strategy<Value = Dialogue> {
    (prop::collection::vec(card(), 1..6), prop::bool::weighted(0.85)).prop_map(|(mut stream, fix)| {
        if fix {
            let mut seen = Vec::new();
            repair(&mut stream, &mut seen);
            drop_dangling_gotos(&mut stream, &seen);
        }
        dialogue_of(stream)
    })
}

fn repair(cards: &mut Vec<Card>, seen: &mut Vec<String>) {
    if let Some(live) = cards.iter().position(|c| matches!(c, Card::LiveChat(_))) {
        cards.truncate(live + 1);
    }
    for card in cards.iter_mut() {
        let id = match card {
            Card::Message(c) => &mut c.id,
            Card::Question(c) => &mut c.id,
            Card::InfoCapture(c) => &mut c.id,
            Card::Branch(c) => &mut c.id,
            Card::LiveChat(c) => &mut c.id,
            Card::Meeting(c) => &mut c.id,
            Card::Goto(c) => &mut c.id,
            Card::End(c) => &mut c.id,
            Card::Goal(c) => &mut c.id,
        };
        if id.as_ref().is_some_and(|i| seen.contains(i)) {
            *id = None;
        }
        seen.extend(id.clone());
        match card {
            Card::Question(q) => {
                for (i, answer) in q.answers.iter_mut().enumerate() {
                    answer.label = Text::from(format!("Answer {i}").as_str());
                    repair(&mut answer.then, seen);
                }
                if let Some(free) = &mut q.free_text {
                    repair(&mut free.then, seen);
                }
            }
            Card::InfoCapture(ic) if ic.fields.is_empty() => ic.fields.push(Field {
                kind: FieldKind::Email,
                attribute: None,
                label: None,
                required: true,
                error: None,
                skip_if_known: true,
            }),
            Card::Branch(b) => {
                repair(&mut b.then, seen);
                repair(&mut b.otherwise, seen);
            }
            _ => {}
        }
    }
}

fn drop_dangling_gotos(cards: &mut [Card], ids: &[String]) {
    for card in cards {
        match card {
            Card::Goto(g) if !ids.contains(&g.to) => {
                *card = Card::End(End {
                    id: g.id.clone(),
                    text: None,
                })
            }
            Card::Question(q) => {
                for answer in &mut q.answers {
                    drop_dangling_gotos(&mut answer.then, ids);
                }
                if let Some(free) = &mut q.free_text {
                    drop_dangling_gotos(&mut free.then, ids);
                }
            }
            Card::Branch(b) => {
                drop_dangling_gotos(&mut b.then, ids);
                drop_dangling_gotos(&mut b.otherwise, ids);
            }
            _ => {}
        }
    }
}

fn dialogue_of(stream: Vec<Card>) -> Dialogue {
    Dialogue {
        schema: None,
        version: chinwag_dialogue::dialogue::FORMAT_VERSION,
        id: "generated".into(),
        name: "Generated".into(),
        default_locale: "en".into(),
        targeting: Default::default(),
        appearance: None,
        stream,
        published: None,
    }
}

fn answer() -> impl Strategy<Value = Answer> {
    prop_oneof![
        (0usize..4).prop_map(Answer::Choice),
        prop::sample::select(vec!["", "  hi ", "ana@acme.com"]).prop_map(|s| Answer::Text(s.to_owned())),
        Just(Answer::Continue),
        prop::sample::select(vec!["ana@acme.com", "nope", ""]).prop_map(|v| {
            let values = ["email", "first_name", "phone"].map(|k| (k.to_owned(), v.to_owned()));
            Answer::Fields(BTreeMap::from(values))
        }),
    ]
}

fn visitor() -> impl Strategy<Value = VisitorContext> {
    (any::<bool>(), any::<bool>()).prop_map(|(known, pricing)| VisitorContext {
        attributes: known
            .then(|| ("email".to_owned(), "ana@acme.com".to_owned()))
            .into_iter()
            .collect(),
        page_url: if pricing {
            "https://x.example/pricing"
        } else {
            "https://x.example/"
        }
        .into(),
        locale: "en".into(),
        teams_available: Vec::new(),
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn any_answers_to_a_valid_dialogue_run_without_panic(
        d in dialogue(),
        v in visitor(),
        answers in prop::collection::vec(answer(), 0..40),
    ) {
        let Ok(d) = validate(d) else { return Ok(()) };
        let mut s = Stream::start(&d, v.clone(), 0);
        let mut twin = Stream::start(&d, v, 0);
        for (t, a) in answers.into_iter().enumerate() {
            let was_live = s.status(&d) == Status::LiveChat;
            let result = s.answer(&d, a.clone(), t as u64);
            prop_assert_eq!(&result, &twin.answer(&d, a, t as u64), "deterministic");
            if was_live {
                prop_assert!(result.is_err(), "live chat is terminal");
                prop_assert_eq!(s.status(&d), Status::LiveChat);
            }
            if s.status(&d) == Status::LiveChat {
                let live = matches!(s.prompt(&d), Prompt::LiveChat { .. });
                prop_assert!(live);
            }
            let json = serde_json::to_string(&s).unwrap();
            let restored = Stream::restore(serde_json::from_str(&json).unwrap(), &d);
            prop_assert_eq!(restored.as_ref(), Some(&s), "state round-trips");
        }
        s.close(99);
        let replayed = Stream::replay(&d, s.journal().clone());
        prop_assert_eq!(replayed.as_ref(), Some(&s), "the journal rebuilds the stream");
        // Every mark the engine makes is one the server's check takes.
        let mut run = Run::default();
        for mark in &s.marks {
            let taken = run.take(&d, mark);
            prop_assert!(taken.is_ok(), "{:?}: {:?} in {:?}", taken, mark, s.marks);
        }
        prop_assert_eq!(&s.marks[0].kind, &MarkKind::Triggered);
        twin.close(99);
        prop_assert_eq!(s, twin);
    }

    /// The widget may run dialogues validated upstream without validating them again,
    /// so the engine must not panic or spin on any dialogue at all.
    #[test]
    fn any_dialogue_runs_without_panic_even_unvalidated(
        d in dialogue(),
        v in visitor(),
        answers in prop::collection::vec(answer(), 0..20),
    ) {
        let d = chinwag_dialogue::ValidDialogue::trusted(d);
        let mut s = Stream::start(&d, v, 0);
        for (t, a) in answers.into_iter().enumerate() {
            let _ = s.answer(&d, a, t as u64);
            let _ = s.prompt(&d);
            let _ = s.status(&d);
        }
    }

    /// A validated live chat card has nothing after it in its list.
    #[test]
    fn live_chat_is_last_in_every_valid_dialogue(d in dialogue()) {
        if let Ok(d) = validate(d) {
            chinwag_dialogue::path::walk(&d.stream, |path, card| {
                if matches!(card, Card::LiveChat(_)) {
                    assert!(path.is_last_in_list(&d.stream), "{path}");
                }
            });
        }
    }

    /// Restoring arbitrary positions never panics: a stale or tampered save is
    /// refused or runs safely.
    #[test]
    fn restoring_any_position_never_panics(
        d in dialogue(),
        segs in prop::collection::vec((prop::sample::select(vec!["\"stream\"", "\"then\"", "\"else\"", "\"free_text\"", "{\"answer\":1}"]), 0usize..5), 0..4),
    ) {
        if let Ok(d) = validate(d) {
            let position: Vec<String> = segs.iter().map(|(l, i)| format!("{{\"list\":{l},\"index\":{i}}}")).collect();
            let json = format!(
                "{{\"dialogue_id\":\"generated\",\"visitor\":{{}},\"captured\":{{}},\"position\":[{}],\"transcript\":[],\"events\":[],\"journal\":{{\"dialogue_id\":\"generated\",\"visitor\":{{}},\"started_at\":0,\"steps\":[]}}}}",
                position.join(",")
            );
            let saved: Stream = serde_json::from_str(&json).unwrap();
            if let Some(mut s) = Stream::restore(saved, &d) {
                for choice in 0..3 {
                    let _ = s.answer(&d, Answer::Choice(choice), 0);
                    let _ = s.prompt(&d);
                }
            }
        }
    }
}

#[test]
fn generator_makes_enough_valid_dialogues() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = dialogue();
    let valid = (0..500)
        .filter(|_| validate(strategy.new_tree(&mut runner).unwrap().current()).is_ok())
        .count();
    assert!(
        valid >= 100,
        "only {valid} of 500 generated dialogues validate: the properties test too little"
    );
}
