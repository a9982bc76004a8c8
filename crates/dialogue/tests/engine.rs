//! The stream engine, driven through the shipped example dialogues.

use chinwag_dialogue::engine::{
    Answer, AnswerError, EventKind, Mark, MarkKind, Prompt, Run, Speaker, Status, Stream,
};
use chinwag_dialogue::fields::FieldProblem;
use chinwag_dialogue::{validate, Dialogue, Route, ValidDialogue, VisitorContext};
use std::collections::BTreeMap;

fn example(name: &str) -> ValidDialogue {
    let path = format!("{}/../../www/dialogues/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let dialogue: Dialogue = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    validate(dialogue).unwrap()
}

fn visitor(attributes: &[(&str, &str)]) -> VisitorContext {
    VisitorContext {
        attributes: attributes
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        page_url: "https://shop.example/pricing".into(),
        locale: "en".into(),
        teams_available: Vec::new(),
    }
}

fn fields(pairs: &[(&str, &str)]) -> Answer {
    Answer::Fields(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<BTreeMap<_, _>>(),
    )
}

fn kinds(stream: &Stream) -> Vec<EventKind> {
    stream.events.iter().map(|e| e.kind).collect()
}

#[test]
fn sales_handoff_runs_question_then_info_capture_then_live_chat() {
    let d = example("sales-handoff");
    let mut s = Stream::start(&d, visitor(&[]), 1_000);
    assert_eq!(kinds(&s), [EventKind::Triggered]);
    assert_eq!(s.transcript.len(), 2, "greeting and question are shown");
    assert!(
        matches!(s.prompt(&d), Prompt::Question { answers, .. } if answers == ["Talk to sales", "Just browsing"])
    );

    s.answer(&d, Answer::Choice(0), 2_000).unwrap();
    let Prompt::InfoCapture { fields: asked, .. } = s.prompt(&d) else {
        panic!("expected the form")
    };
    let attributes: Vec<&str> = asked.iter().map(|f| f.attribute.as_str()).collect();
    assert_eq!(attributes, ["first_name", "email", "company"]);

    let refused = s.answer(&d, fields(&[("first_name", "Ana"), ("email", "ana@")]), 3_000);
    assert_eq!(
        refused,
        Err(AnswerError::Fields(vec![(
            "email".into(),
            FieldProblem::InvalidEmail
        )]))
    );
    assert!(
        !s.captured.contains_key("first_name"),
        "a refused form changes nothing"
    );

    s.answer(
        &d,
        fields(&[("first_name", "Ana"), ("email", "ana@acme.com")]),
        4_000,
    )
    .unwrap();
    assert_eq!(s.captured.get("email").map(String::as_str), Some("ana@acme.com"));
    assert_eq!(s.status(&d), Status::LiveChat);
    assert!(
        matches!(s.prompt(&d), Prompt::LiveChat { route: Route::Team { ref team }, .. } if team == "sales")
    );
    assert_eq!(
        kinds(&s),
        [
            EventKind::Triggered,
            EventKind::Engaged,
            EventKind::LeadCaptured,
            EventKind::Completed
        ]
    );
    assert_eq!(
        s.answer(&d, Answer::Choice(0), 5_000),
        Err(AnswerError::NotWaiting),
        "live chat is terminal"
    );
    let last = s.transcript.last().unwrap();
    assert_eq!((last.speaker, last.at), (Speaker::Bot, 4_000));
    assert_eq!(last.text, "Thanks! Connecting you with our sales team…");
}

#[test]
fn texts_resolve_to_the_visitor_locale() {
    let d = example("sales-handoff");
    let s = Stream::start(
        &d,
        VisitorContext {
            locale: "pt-BR".into(),
            teams_available: Vec::new(),
            ..visitor(&[])
        },
        0,
    );
    assert_eq!(s.transcript[1].text, "O que o traz cá hoje?");
}

#[test]
fn known_visitors_skip_forms_and_take_their_own_branch() {
    let d = example("known-vs-anonymous");
    let known = Stream::start(&d, visitor(&[("email", "ana@acme.com")]), 0);
    assert_eq!(
        known.transcript[0].text,
        "Welcome back! We have your details, so let's skip the forms."
    );

    let mut anonymous = Stream::start(&d, visitor(&[("first_name", "Ana")]), 0);
    let Prompt::InfoCapture { fields, .. } = anonymous.prompt(&d) else {
        panic!("expected the form")
    };
    assert_eq!(fields.len(), 1, "first name is known and skipped");
    anonymous
        .answer(&d, fields_answer("email", "ana@acme.com"), 1)
        .unwrap();
    assert_eq!(anonymous.status(&d), Status::LiveChat);
}

fn fields_answer(attribute: &str, value: &str) -> Answer {
    fields(&[(attribute, value)])
}

#[test]
fn goto_loops_back_and_end_completes() {
    let d = example("pricing-faq");
    let mut s = Stream::start(&d, visitor(&[]), 0);
    for round in 0..3 {
        s.answer(&d, Answer::Choice(round), 1).unwrap();
        s.answer(&d, Answer::Choice(0), 2).unwrap(); // "Another question" → goto topics
        assert!(matches!(s.prompt(&d), Prompt::Question { ref answers, .. } if answers.len() == 3));
    }
    s.answer(&d, Answer::Choice(1), 3).unwrap();
    s.answer(&d, Answer::Choice(2), 4).unwrap(); // "No, thanks"
    assert_eq!(s.status(&d), Status::Ended);
    assert_eq!(s.transcript.last().unwrap().text, "Happy to help. Bye for now!");
    assert_eq!(
        s.events.iter().filter(|e| e.kind == EventKind::Completed).count(),
        1
    );
}

#[test]
fn free_text_answers_are_saved_and_drive_routing_context() {
    let d = example("company-size-routing");
    let mut s = Stream::start(&d, visitor(&[]), 0);
    assert_eq!(
        s.answer(&d, Answer::Text("   ".into()), 1),
        Err(AnswerError::EmptyText)
    );
    s.answer(&d, Answer::Text(" 450 ".into()), 1).unwrap();
    assert_eq!(s.visitor.attributes["company_size"], "450");
    let Prompt::InfoCapture { fields, .. } = s.prompt(&d) else {
        panic!("expected the form")
    };
    assert!(
        fields.iter().all(|f| f.attribute != "company_size"),
        "size was just given"
    );
}

#[test]
fn meeting_card_lets_the_visitor_continue() {
    let d = example("book-a-demo");
    let mut s = Stream::start(
        &d,
        visitor(&[("first_name", "Ana"), ("email", "ana@acme.com")]),
        0,
    );
    assert!(
        matches!(
            s.prompt(&d),
            Prompt::Meeting {
                duration_minutes: 20,
                ..
            }
        ),
        "known fields skip the form"
    );
    assert_eq!(s.answer(&d, Answer::Choice(0), 1), Err(AnswerError::WrongKind));
    s.answer(&d, Answer::Continue, 1).unwrap();
    assert_eq!(s.status(&d), Status::Ended);
}

#[test]
fn state_serialises_and_resumes_where_it_stopped() {
    let d = example("sales-handoff");
    let mut s = Stream::start(&d, visitor(&[]), 0);
    s.answer(&d, Answer::Choice(0), 1).unwrap();
    let saved = serde_json::to_string(&s).unwrap();
    let restored = Stream::restore(serde_json::from_str(&saved).unwrap(), &d).unwrap();
    assert_eq!(restored, s);
    assert!(matches!(restored.prompt(&d), Prompt::InfoCapture { .. }));
    assert!(
        Stream::restore(restored, &example("pricing-faq")).is_none(),
        "another dialogue's state is refused"
    );
}

#[test]
fn close_is_recorded_once_and_the_visitor_can_carry_on() {
    let d = example("pricing-faq");
    let mut s = Stream::start(&d, visitor(&[]), 0);
    s.close(5);
    s.close(6);
    assert_eq!(s.events.iter().filter(|e| e.kind == EventKind::Closed).count(), 1);
    s.answer(&d, Answer::Choice(0), 7).unwrap();
}

fn attributes(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn identify_before_the_first_answer_turns_the_anonymous_branch_into_the_known_one() {
    let d = example("known-vs-anonymous");
    let mut stream = Stream::start(&d, visitor(&[]), 0);
    assert_eq!(
        stream.transcript[0].text,
        "Hi! Let's get you to the right person."
    );
    stream.close(5);

    assert!(stream.identify(&d, attributes(&[("email", "ana@acme.com")]), 10));
    assert_eq!(
        stream.transcript[0].text,
        "Welcome back! We have your details, so let's skip the forms."
    );
    assert_eq!(
        kinds(&stream),
        [EventKind::Triggered, EventKind::Closed],
        "the dismissal is kept"
    );
    let replayed = Stream::replay(&d, stream.journal().clone()).unwrap();
    assert_eq!(replayed, stream);
}

#[test]
fn identify_after_an_answer_keeps_the_conversation_and_counts_from_then_on() {
    let d = example("sales-handoff");
    let mut stream = Stream::start(&d, visitor(&[]), 0);
    stream.answer(&d, Answer::Choice(0), 1).unwrap();
    let before = stream.transcript.clone();

    assert!(!stream.identify(&d, attributes(&[("email", "ana@acme.com")]), 2));
    assert_eq!(stream.transcript, before);
    assert_eq!(stream.visitor.get("email"), Some("ana@acme.com"));
    let replayed = Stream::replay(&d, stream.journal().clone()).unwrap();
    assert_eq!(replayed, stream, "a reload rebuilds the same stream");
}

#[test]
fn a_goal_is_invisible_and_counts_once_per_run_however_often_it_is_passed() {
    let d = example("pricing-faq");
    let mut s = Stream::start(&d, visitor(&[]), 0);
    s.answer(&d, Answer::Choice(2), 1).unwrap(); // discounts: passes the goal
    s.answer(&d, Answer::Choice(0), 2).unwrap(); // another question: back to topics
    s.answer(&d, Answer::Choice(2), 3).unwrap(); // discounts again
    let goal = "stream[1].answers[2].then[1]";
    let marks = |kind| {
        s.marks
            .iter()
            .filter(|m| m.kind == kind && m.card.as_deref() == Some(goal))
            .count()
    };
    assert_eq!(marks(MarkKind::Reached), 2, "each arrival is a reach");
    assert_eq!(marks(MarkKind::Goal), 1, "the goal counts once per run");
    assert!(
        s.transcript.iter().all(|e| e.card != goal),
        "nothing is shown for it"
    );
}

#[test]
fn the_run_check_refuses_marks_the_engine_never_makes() {
    let d = example("pricing-faq");
    let mark = |kind, card: Option<&str>, at| Mark {
        kind,
        card: card.map(str::to_owned),
        at,
    };
    let started = || {
        let mut run = Run::default();
        run.take(&d, &mark(MarkKind::Triggered, None, 10)).unwrap();
        run.take(&d, &mark(MarkKind::Reached, Some("stream[0]"), 10))
            .unwrap();
        run.take(&d, &mark(MarkKind::Reached, Some("stream[1]"), 10))
            .unwrap();
        run
    };
    let refused = |marks: &[Mark]| {
        let mut run = started();
        marks
            .iter()
            .try_for_each(|m| run.take(&d, m).map(drop))
            .unwrap_err()
    };
    assert!(
        Run::default()
            .take(&d, &mark(MarkKind::Engaged, None, 1))
            .is_err(),
        "triggered first"
    );
    assert!(refused(&[mark(MarkKind::Triggered, None, 11)]).contains("only once"));
    assert!(refused(&[mark(MarkKind::Answered, Some("stream[2]"), 11)]).contains("not the card"));
    assert!(refused(&[mark(MarkKind::Engaged, None, 11)]).contains("before any answer"));
    assert!(refused(&[mark(MarkKind::Reached, Some("stream[9]"), 11)]).contains("no card"));
    assert!(refused(&[mark(MarkKind::Reached, Some("stream[2]"), 9)]).contains("order"));
    assert!(refused(&[mark(MarkKind::Goal, Some("stream[0]"), 11)]).contains("not a goal"));
    let answered = [
        mark(MarkKind::Answered, Some("stream[1]"), 11),
        mark(MarkKind::Engaged, None, 11),
        mark(MarkKind::Engaged, None, 12),
    ];
    assert!(refused(&answered).contains("twice"));
    let mut run = started();
    assert_eq!(
        run.take(&d, &answered[0]),
        Ok(Some(1)),
        "answered 1 ms after it was reached"
    );
    assert_eq!(run.take(&d, &answered[1]), Ok(None));
}
