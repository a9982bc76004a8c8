//! The widget in a real browser (headless Chromium via wasm-bindgen-test-runner):
//! mounted in its shadow root, clicked and typed into as a visitor would.
#![cfg(target_arch = "wasm32")]

use chinwag_dialogue::{Route, VisitorContext};
use chinwag_widget::live::{Connection, Handoff, LiveChatTransport, LiveEvent, OnLiveEvent, Unavailable};
use chinwag_widget::mount::{Placement, Typing};
use chinwag_widget::{mount, parse, WidgetHandle, WidgetOptions};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, ShadowRoot};

wasm_bindgen_test_configure!(run_in_browser);

const EXAMPLES: [&str; 5] = [
    include_str!("../www/dialogues/sales-handoff.json"),
    include_str!("../www/dialogues/known-vs-anonymous.json"),
    include_str!("../www/dialogues/pricing-faq.json"),
    include_str!("../www/dialogues/company-size-routing.json"),
    include_str!("../www/dialogues/book-a-demo.json"),
];
const SALES: &str = include_str!("../www/dialogues/sales-handoff.json");
const KNOWN: &str = include_str!("../www/dialogues/known-vs-anonymous.json");

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

fn options(
    json: &str,
    visitor: VisitorContext,
    key: &str,
    transport: Rc<dyn LiveChatTransport>,
) -> WidgetOptions {
    WidgetOptions {
        dialogue: parse::dialogue(json).expect("example dialogue is valid"),
        visitor,
        storage_key: Some(key.into()),
        typing: Typing {
            ms_per_char: 0,
            max_ms: 0,
        },
        transport: Some(transport),
        placement: Placement::Fixed,
        open: true,
        on_change: None,
        strings: &chinwag_site::strings::EN,
        css: String::new(),
        greeting: None,
        emit: None,
        server: None,
    }
}

fn mount_fresh(options: WidgetOptions) -> WidgetHandle {
    if let Some(key) = &options.storage_key {
        chinwag_widget::storage::forget(key);
    }
    mount_again(options)
}

fn mount_again(options: WidgetOptions) -> WidgetHandle {
    let document = web_sys::window().unwrap().document().unwrap();
    let host = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    mount(&host, options).unwrap()
}

/// Lets effects, animation frames and zero-delay timers run.
async fn settle() {
    for _ in 0..3 {
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            web_sys::window()
                .unwrap()
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20)
                .unwrap();
        });
        wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
    }
}

fn all(root: &ShadowRoot, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into().ok())
        .collect()
}

fn texts(root: &ShadowRoot, selector: &str) -> Vec<String> {
    all(root, selector)
        .iter()
        .map(|e| e.text_content().unwrap_or_default())
        .collect()
}

/// Visible error messages (empty error slots are hidden).
fn errors(root: &ShadowRoot) -> Vec<String> {
    texts(root, ".cw-error")
        .into_iter()
        .filter(|t| !t.is_empty())
        .collect()
}

fn click_button(root: &ShadowRoot, label: &str) {
    let button = all(root, "button")
        .into_iter()
        .find(|b| b.text_content().as_deref() == Some(label))
        .unwrap_or_else(|| panic!("no button {label:?}; buttons: {:?}", texts(root, "button")));
    button.unchecked_into::<HtmlElement>().click();
}

fn type_into(root: &ShadowRoot, selector: &str, value: &str) {
    let input: HtmlInputElement = root
        .query_selector(selector)
        .unwrap()
        .expect(selector)
        .unchecked_into();
    input.set_value(value);
    // Like real typing: `input` events bubble.
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict("input", &init).unwrap();
    input.dispatch_event(&event).unwrap();
}

fn submit(root: &ShadowRoot) {
    let button = root
        .query_selector(".cw-card button[type=submit]")
        .unwrap()
        .expect("a submit button");
    button.unchecked_into::<HtmlElement>().click();
}

#[wasm_bindgen_test]
async fn an_answer_follows_its_branch() {
    let w = mount_fresh(options(SALES, visitor(&[]), "t:branch", Rc::new(Unavailable)));
    settle().await;
    assert_eq!(texts(&w.shadow, ".cw-answer"), ["Talk to sales", "Just browsing"]);
    click_button(&w.shadow, "Just browsing");
    settle().await;
    let log = texts(&w.shadow, ".cw-log .cw-bubble");
    assert!(log.contains(&"Just browsing".to_owned()), "{log:?}");
    assert!(
        log.iter().any(|t| t.starts_with("No problem! Our pricing")),
        "{log:?}"
    );
    assert!(
        !log.iter().any(|t| t.contains("A few details")),
        "the other branch stays hidden: {log:?}"
    );
    let links: Vec<String> = all(&w.shadow, ".cw-log a")
        .iter()
        .filter_map(|a| a.get_attribute("href"))
        .collect();
    assert_eq!(
        links,
        ["https://chinwag.example/pricing", "https://chinwag.example/docs"]
    );
    assert_eq!(texts(&w.shadow, ".cw-note"), ["This conversation has ended."]);
}

#[wasm_bindgen_test]
async fn an_invalid_email_is_blocked_with_a_visible_message_and_a_valid_one_accepted() {
    let w = mount_fresh(options(SALES, visitor(&[]), "t:email", Rc::new(Unavailable)));
    settle().await;
    click_button(&w.shadow, "Talk to sales");
    settle().await;
    type_into(&w.shadow, "#cw-field-first_name", "Ana");
    type_into(&w.shadow, "#cw-field-email", "ana@acme");
    submit(&w.shadow);
    settle().await;
    assert_eq!(
        errors(&w.shadow),
        ["Please use your work email, like ana@company.com"]
    );
    let email = w.shadow.query_selector("#cw-field-email").unwrap().unwrap();
    assert_eq!(email.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(
        email.get_attribute("aria-describedby").as_deref(),
        Some("cw-error-email")
    );
    assert!(all(&w.shadow, ".cw-live-card").is_empty(), "still on the form");

    type_into(&w.shadow, "#cw-field-email", "ana@acme.com");
    settle().await;
    assert!(errors(&w.shadow).is_empty(), "typing clears the error");
    submit(&w.shadow);
    settle().await;
    assert!(texts(&w.shadow, ".cw-log .cw-bubble").contains(&"Ana · ana@acme.com".to_owned()));
    assert_eq!(all(&w.shadow, ".cw-live-card").len(), 1);
}

#[wasm_bindgen_test]
async fn known_attributes_are_skipped() {
    let w = mount_fresh(options(
        KNOWN,
        visitor(&[("first_name", "Ana")]),
        "t:known1",
        Rc::new(Unavailable),
    ));
    settle().await;
    let inputs: Vec<String> = all(&w.shadow, ".cw-form input").iter().map(|i| i.id()).collect();
    assert_eq!(
        inputs,
        ["cw-field-email"],
        "first name is known, only email is asked"
    );
    drop(w);

    let w = mount_fresh(options(
        KNOWN,
        visitor(&[("email", "ana@acme.com")]),
        "t:known2",
        Rc::new(Unavailable),
    ));
    settle().await;
    assert!(
        all(&w.shadow, ".cw-form").is_empty(),
        "a known visitor sees no form"
    );
    assert_eq!(
        texts(&w.shadow, ".cw-log .cw-bubble")[0],
        "Welcome back! We have your details, so let's skip the forms."
    );
}

/// Records the hand-off and the ratings, and reports that an agent joined.
#[derive(Default)]
struct Recorder {
    handoff: RefCell<Option<Handoff>>,
    on_event: RefCell<Option<OnLiveEvent>>,
    rated: RefCell<Vec<(u8, String)>>,
}

impl LiveChatTransport for Recorder {
    fn connect(&self, handoff: Handoff, on_event: OnLiveEvent) {
        *self.handoff.borrow_mut() = Some(handoff);
        on_event(LiveEvent::State(Connection::Connected { agent: "Ben".into() }));
        *self.on_event.borrow_mut() = Some(on_event);
    }
    fn send(&self, _text: String) -> String {
        String::new()
    }
    fn rate(&self, score: u8, comment: String) {
        self.rated.borrow_mut().push((score, comment));
    }
    fn email_transcript(&self) {}
    fn attach(&self, _file: web_sys::File) {}
}

impl Recorder {
    /// What the server would say next.
    fn hear(&self, event: LiveEvent) {
        let on_event = self.on_event.borrow().clone().expect("connected");
        on_event(event);
    }
}

#[wasm_bindgen_test]
async fn files_show_as_links_and_images_show_in_them_as_text_never_html() {
    use chinwag_widget::live::LiveFile;
    let recorder = Rc::new(Recorder::default());
    let w = mount_fresh(options(SALES, visitor(&[]), "t:files", recorder.clone()));
    to_sales(&w.shadow).await;
    let file = |url: &str, image, size| {
        Some(LiveFile {
            url: url.into(),
            image,
            size,
        })
    };
    recorder.hear(LiveEvent::AgentMessage {
        author: "Ben".into(),
        text: "<b>price</b>.pdf".into(),
        file: file("https://chat.test/files/p", false, 1536),
    });
    recorder.hear(LiveEvent::AgentMessage {
        author: "Ben".into(),
        text: "map.png".into(),
        file: file("https://chat.test/files/m", true, 3 * 1024 * 1024),
    });
    settle().await;
    let links = w.shadow.query_selector_all("a.cw-file").unwrap();
    assert_eq!(links.length(), 2);
    let pdf: Element = links.get(0).unwrap().unchecked_into();
    assert_eq!(
        pdf.get_attribute("href").as_deref(),
        Some("https://chat.test/files/p")
    );
    assert_eq!(
        pdf.text_content().as_deref(),
        Some("<b>price</b>.pdf (2 KB)"),
        "a name is text"
    );
    assert!(pdf.query_selector("b, img").unwrap().is_none());
    let map: Element = links.get(1).unwrap().unchecked_into();
    let img = map.query_selector("img").unwrap().expect("an image shows");
    assert_eq!(
        img.get_attribute("src").as_deref(),
        Some("https://chat.test/files/m")
    );
    assert_eq!(map.text_content().as_deref(), Some("map.png (3.0 MB)"));
    assert!(
        w.shadow
            .query_selector(".cw-attach input[type=file]")
            .unwrap()
            .is_some(),
        "the visitor can send one too"
    );
}

/// Through the sales dialogue to its live-chat card, as Ana.
async fn to_sales(root: &ShadowRoot) {
    settle().await;
    click_button(root, "Talk to sales");
    settle().await;
    type_into(root, "#cw-field-first_name", "Ana");
    type_into(root, "#cw-field-email", "ana@acme.com");
    submit(root);
    settle().await;
}

/// Whether the first element `selector` finds is shown (no `hidden` on it).
fn shown(root: &ShadowRoot, selector: &str) -> bool {
    let found = root.query_selector(selector).unwrap().expect(selector);
    !found.has_attribute("hidden")
}

#[wasm_bindgen_test]
async fn a_closed_chat_asks_for_a_rating_and_thanks_only_once_it_is_stored() {
    let recorder = Rc::new(Recorder::default());
    let w = mount_fresh(options(SALES, visitor(&[]), "t:rate", recorder.clone()));
    to_sales(&w.shadow).await;
    assert!(
        !shown(&w.shadow, ".cw-rating"),
        "no rating while the chat is open"
    );

    recorder.hear(LiveEvent::State(Connection::Closed));
    settle().await;
    assert!(shown(&w.shadow, ".cw-rating"));
    let four = w
        .shadow
        .query_selector("button[aria-label='4 out of 5']")
        .unwrap()
        .expect("a star named by its score");
    four.unchecked_into::<HtmlElement>().click();
    settle().await;
    assert_eq!(*recorder.rated.borrow(), [(4, String::new())]);
    assert!(
        !shown(&w.shadow, ".cw-thanks"),
        "no thanks before the server has it"
    );

    recorder.hear(LiveEvent::Rated { score: 4 });
    settle().await;
    assert!(shown(&w.shadow, ".cw-thanks"));
    assert!(!shown(&w.shadow, ".cw-rating"), "the stars give way");
    type_into(&w.shadow, "#cw-rating-comment", "Quick");
    settle().await;
    let send = w
        .shadow
        .query_selector("#cw-rating-comment + button")
        .unwrap()
        .expect("the comment's Send");
    send.unchecked_into::<HtmlElement>().click();
    settle().await;
    assert_eq!(
        *recorder.rated.borrow(),
        [(4, String::new()), (4, "Quick".into())],
        "the comment goes with the score"
    );

    // Open again (the visitor wrote), then closed again: asked again.
    recorder.hear(LiveEvent::State(Connection::Connected { agent: "Ben".into() }));
    settle().await;
    assert!(!shown(&w.shadow, ".cw-rating"));
    recorder.hear(LiveEvent::State(Connection::Closed));
    settle().await;
    assert!(shown(&w.shadow, ".cw-rating"));
}

#[wasm_bindgen_test]
async fn the_live_chat_card_comes_last_and_hands_over_everything() {
    let recorder = Rc::new(Recorder::default());
    let w = mount_fresh(options(SALES, visitor(&[]), "t:live", recorder.clone()));
    to_sales(&w.shadow).await;
    assert!(
        all(&w.shadow, ".cw-answer").is_empty(),
        "no bot card after live chat"
    );
    assert_eq!(texts(&w.shadow, ".cw-status"), ["Ben joined the chat"]);
    let handoff = recorder.handoff.borrow().clone().expect("connected once");
    assert_eq!(handoff.route, Route::Team { team: "sales".into() });
    assert_eq!(
        handoff.attributes.get("email").map(String::as_str),
        Some("ana@acme.com")
    );
    assert_eq!(
        handoff.transcript.last().unwrap().text,
        "Thanks! Connecting you with our sales team…"
    );
}

#[wasm_bindgen_test]
async fn nobody_available_shows_the_fallback() {
    let w = mount_fresh(options(
        KNOWN,
        visitor(&[("email", "ana@acme.com")]),
        "t:fallback",
        Rc::new(Unavailable),
    ));
    settle().await;
    click_button(&w.shadow, "A billing question");
    settle().await;
    assert_eq!(
        texts(&w.shadow, ".cw-status"),
        ["Billing is offline now; leave a message and we'll reply by email."]
    );
    assert!(
        all(&w.shadow, "#cw-live-input").len() == 1,
        "the visitor can still leave a message"
    );
}

#[wasm_bindgen_test]
async fn state_restores_after_a_remount() {
    let w = mount_fresh(options(SALES, visitor(&[]), "t:restore", Rc::new(Unavailable)));
    settle().await;
    click_button(&w.shadow, "Talk to sales");
    settle().await;
    let before = texts(&w.shadow, ".cw-log .cw-bubble");
    drop(w);
    let w = mount_again(options(SALES, visitor(&[]), "t:restore", Rc::new(Unavailable)));
    settle().await;
    assert_eq!(texts(&w.shadow, ".cw-log .cw-bubble"), before);
    assert_eq!(all(&w.shadow, "#cw-field-email").len(), 1, "back on the form");
}

#[wasm_bindgen_test]
async fn text_is_never_html() {
    let json = r#"{"id": "x", "name": "X", "stream": [
        {"type": "message", "text": "<img src=x onerror=alert(1)><script>alert(2)</script>"},
        {"type": "question", "text": "Pick", "answers": [{"label": "<b>bold</b>"}]}
    ]}"#;
    let w = mount_fresh(options(json, visitor(&[]), "t:xss", Rc::new(Unavailable)));
    settle().await;
    assert!(all(&w.shadow, ".cw-log img, .cw-log script, .cw-card b").is_empty());
    assert_eq!(
        texts(&w.shadow, ".cw-log .cw-bubble")[0],
        "<img src=x onerror=alert(1)><script>alert(2)</script>"
    );
    assert_eq!(texts(&w.shadow, ".cw-answer"), ["<b>bold</b>"]);
}

#[wasm_bindgen_test]
async fn styles_live_in_the_shadow_root_only() {
    let w = mount_fresh(options(SALES, visitor(&[]), "t:shadow", Rc::new(Unavailable)));
    settle().await;
    let sheets = js_sys::Reflect::get(&w.shadow, &"adoptedStyleSheets".into()).unwrap();
    assert_eq!(js_sys::Array::from(&sheets).length(), 1);
    let document = web_sys::window().unwrap().document().unwrap();
    let page_sheets = js_sys::Reflect::get(&document, &"adoptedStyleSheets".into()).unwrap();
    assert_eq!(js_sys::Array::from(&page_sheets).length(), 0);
    assert!(
        document.query_selector(".cw-panel").unwrap().is_none(),
        "nothing leaks into the page"
    );
}

/// A part's own rules come back when the widget is mounted again on the same shadow
/// root (the host page's `unmount`, then `mount`, as the loader does it): the form
/// keeps its look the second time too.
#[wasm_bindgen_test]
async fn a_widget_mounted_again_on_its_root_gets_its_parts_rules_again() {
    let document = web_sys::window().unwrap().document().unwrap();
    let host = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    let sheets = |shadow: &ShadowRoot| {
        js_sys::Array::from(&js_sys::Reflect::get(shadow, &"adoptedStyleSheets".into()).unwrap()).length()
    };
    for time in ["first", "second"] {
        chinwag_widget::storage::forget("t:restyle");
        let w = mount(
            &host,
            options(SALES, visitor(&[]), "t:restyle", Rc::new(Unavailable)),
        )
        .unwrap();
        settle().await;
        assert_eq!(sheets(&w.shadow), 1, "{time}: the widget's own sheet");
        click_button(&w.shadow, "Talk to sales");
        settle().await;
        assert!(!all(&w.shadow, ".cw-form").is_empty(), "{time}: the form shows");
        assert_eq!(sheets(&w.shadow), 2, "{time}: the widget's sheet and the form's");
        drop(w);
    }
}

/// Visitors' bundles read dialogues by hand (`read`); that reader must read every
/// example exactly as serde (the preview's and the server's reader) does, and refuse
/// bad shapes.
#[wasm_bindgen_test]
fn the_hand_reader_agrees_with_serde() {
    use chinwag_dialogue::Dialogue;
    for json in EXAMPLES {
        let by_hand = chinwag_widget::read::dialogue(&js_sys::JSON::parse(json).unwrap()).unwrap();
        let mut reference: Dialogue =
            serde_wasm_bindgen::from_value(js_sys::JSON::parse(json).unwrap()).unwrap();
        // Targeting is the loader's business: the widget does not read it.
        reference.schema = None;
        reference.targeting = Default::default();
        assert_eq!(by_hand, reference);
    }
    for bad in [
        r#"{"id": 5, "name": "x", "stream": []}"#,
        r#"{"id": "x", "name": "x", "stream": [{"type": "nope"}]}"#,
        r#"{"id": "x", "name": "x", "stream": [{"type": "message"}]}"#,
        r#"{"id": "x", "name": "x", "stream": [{"type": "branch", "when": {"is_empty": "a", "equals": 1}}]}"#,
        r#"{"id": "x", "name": "x", "stream": [{"type": "meeting", "text": "Hi", "hosts": {"team": "s"}, "duration_minutes": 2.5, "fallback": "f"}]}"#,
        "[]",
    ] {
        let value = js_sys::JSON::parse(bad).unwrap();
        assert!(chinwag_widget::read::dialogue(&value).is_none(), "{bad}");
    }
}

/// The widget writes and reads its protocol frames by hand (to stay small); they must
/// match the protocol crate's types exactly.
#[wasm_bindgen_test]
fn hand_written_frames_match_the_protocol() {
    use chinwag_protocol::{ErrorCode, Event, EventKind, Outgoing, Role, ServerFrame, VisitorFrame, Welcome};
    use chinwag_widget::live::frames::{self, Incoming, Kind};
    let parse = |json: String| -> VisitorFrame {
        serde_wasm_bindgen::from_value(js_sys::JSON::parse(&json).unwrap()).unwrap()
    };
    assert_eq!(
        parse(frames::message("c1", "Hi")),
        VisitorFrame::Message(Outgoing {
            id: "c1".into(),
            text: "Hi".into()
        })
    );
    assert_eq!(parse(frames::typing(true)), VisitorFrame::Typing(true));
    assert_eq!(parse(frames::ping(5.0)), VisitorFrame::Ping(5));
    assert_eq!(
        parse(frames::email_transcript()),
        VisitorFrame::EmailTranscript {}
    );
    assert_eq!(
        parse(frames::rate(4, "Quick")),
        VisitorFrame::Rate(chinwag_protocol::Rating {
            score: 4,
            comment: "Quick".into()
        })
    );
    assert!(
        matches!(parse(frames::hello("demo", Some("t"), 7)), VisitorFrame::Hello(h) if h.token.as_deref() == Some("t") && h.last_seq == 7 && h.site == "demo")
    );
    let handoff = Handoff {
        dialogue_id: "d".into(),
        card: "stream[1]".into(),
        transcript: vec![chinwag_dialogue::Entry {
            at: 3,
            speaker: chinwag_dialogue::Speaker::Visitor,
            card: "stream[0]".into(),
            text: "Yes".into(),
            image: None,
            button: None,
        }],
        attributes: [("email".to_string(), "a@b.co".to_string())].into(),
        page_url: "https://x.test/".into(),
        route: Route::RoundRobin,
    };
    let VisitorFrame::Handoff(read) = parse(frames::handoff("h1", &handoff)) else {
        panic!("a handoff")
    };
    assert_eq!(
        (
            read.id.as_str(),
            read.card.as_str(),
            read.transcript,
            read.attributes
        ),
        ("h1", "stream[1]", handoff.transcript, handoff.attributes)
    );

    let wire = |frame: ServerFrame| {
        let value =
            serde::Serialize::serialize(&frame, &serde_wasm_bindgen::Serializer::json_compatible()).unwrap();
        frames::read(&String::from(js_sys::JSON::stringify(&value).unwrap()))
    };
    let event = |kind| {
        ServerFrame::Event(Event {
            conversation: "c".into(),
            seq: 4,
            at: 1,
            kind,
        })
    };
    let message = EventKind::Message {
        role: Role::Agent,
        author: "Ben".into(),
        text: "Hi".into(),
        id: "a1".into(),
        file: Some(chinwag_protocol::File {
            id: "f1".into(),
            name: "Hi".into(),
            mime: "image/png".into(),
            size: 2048,
        }),
    };
    assert_eq!(
        wire(event(message)),
        Some(Incoming::Event {
            seq: 4,
            kind: Kind::Message {
                from_agent: true,
                author: "Ben".into(),
                text: "Hi".into(),
                id: "a1".into(),
                file: Some(frames::File {
                    id: "f1".into(),
                    mime: "image/png".into(),
                    size: 2048
                })
            }
        })
    );
    let assigned = EventKind::Assigned {
        agent_id: "ben".into(),
        agent_name: "Ben".into(),
    };
    assert_eq!(
        wire(event(assigned)),
        Some(Incoming::Event {
            seq: 4,
            kind: Kind::Assigned {
                agent_name: "Ben".into()
            }
        })
    );
    for queued in [false, true] {
        let fallback = "f".into();
        assert_eq!(
            wire(event(EventKind::Unassigned { fallback, queued })),
            Some(Incoming::Event {
                seq: 4,
                kind: Kind::Unassigned { queued }
            })
        );
    }
    assert_eq!(
        wire(event(EventKind::Closed { by: Role::Agent })),
        Some(Incoming::Event {
            seq: 4,
            kind: Kind::Closed
        })
    );
    assert_eq!(
        wire(ServerFrame::TranscriptSent {
            to: "v…@shop.test".into()
        }),
        Some(Incoming::TranscriptSent {
            to: "v…@shop.test".into()
        })
    );
    let rated = EventKind::Rated {
        score: 5,
        comment: "Great".into(),
    };
    assert_eq!(
        wire(event(rated)),
        Some(Incoming::Event {
            seq: 4,
            kind: Kind::Rated { score: 5 }
        })
    );
    assert_eq!(
        wire(ServerFrame::Ack {
            id: "c1".into(),
            seq: 2
        }),
        Some(Incoming::Ack { id: "c1".into() })
    );
    let welcome = Welcome {
        version: 1,
        conversation: Some("c".into()),
        token: Some("t".into()),
    };
    assert_eq!(
        wire(ServerFrame::Welcome(welcome)),
        Some(Incoming::Welcome {
            token: Some("t".into())
        })
    );
    let typing = ServerFrame::Typing {
        conversation: "c".into(),
        who: Role::Agent,
        on: true,
    };
    assert_eq!(wire(typing), Some(Incoming::Typing(true)));
    assert_eq!(wire(ServerFrame::Pong(1)), None);
    // Refusals: send again later (rate limits, a server hiccup), or not at all.
    let refused = |code| ServerFrame::error(code, "no");
    assert_eq!(
        wire(refused(ErrorCode::RateLimited)),
        Some(Incoming::Refused { retry: true })
    );
    assert_eq!(
        wire(refused(ErrorCode::Internal)),
        Some(Incoming::Refused { retry: true })
    );
    assert_eq!(
        wire(refused(ErrorCode::Closed)),
        Some(Incoming::Refused { retry: false })
    );
}

#[wasm_bindgen_test]
async fn a_closed_widget_greets_counts_unread_messages_and_tells_the_page() {
    let told = Rc::new(RefCell::new(Vec::<String>::new()));
    let mut o = options(SALES, visitor(&[]), "t:unread", Rc::new(Unavailable));
    o.open = false;
    o.greeting = Some("Hi! Questions?".into());
    o.emit = Some({
        let told = told.clone();
        Rc::new(move |name: &str, _| told.borrow_mut().push(name.to_owned()))
    });
    let w = mount_fresh(o);
    settle().await;
    assert_eq!(texts(&w.shadow, ".cw-greeting"), ["Hi! Questions?"]);
    let launcher = w.shadow.query_selector(".cw-launcher").unwrap().unwrap();
    let label = launcher.get_attribute("aria-label").unwrap();
    assert!(
        label.starts_with("Open chat (") && label.ends_with(" unread)"),
        "{label}"
    );
    assert!(launcher.get_attribute("data-unread").is_some());
    assert_eq!(told.borrow()[0], "triggered");
    assert!(told.borrow().iter().any(|t| t == "message"));

    w.chat.toggle();
    settle().await;
    assert_eq!(
        launcher.get_attribute("aria-label").as_deref(),
        Some("Close chat")
    );
    assert!(launcher.get_attribute("data-unread").is_none(), "read once open");
    assert!(w
        .shadow
        .query_selector(".cw-greeting")
        .unwrap()
        .unwrap()
        .has_attribute("hidden"));
}

/// The widget's own readers (`read.rs` for dialogues, `live/frames.rs` for frames) run
/// on whatever `JSON.parse` gives: mutated examples never make them panic, and when
/// serde also reads a mutated dialogue, both read the same thing. (The server-side
/// parsers are fuzzed with AFL++ in `crates/fuzz`.)
#[wasm_bindgen_test]
fn the_widget_readers_survive_mutated_input_and_agree_with_serde() {
    use chinwag_dialogue::Dialogue;
    use chinwag_widget::live::frames;
    let frames_seen = [
        r#"{"welcome":{"version":1,"conversation":"c","token":"t"}}"#,
        r#"{"ack":{"id":"m1","seq":5}}"#,
        r#"{"event":{"conversation":"c","seq":5,"at":1,"kind":{"message":{"role":"agent","author":"Ben","text":"Hi","id":"a1"}}}}"#,
        r#"{"error":{"code":"rate_limited","message":"slow","id":null,"fatal":false}}"#,
        r#"{"typing":{"conversation":"c","who":"agent","on":true}}"#,
    ];
    let seeds: Vec<&str> = EXAMPLES.iter().copied().chain(frames_seen).collect();
    let mut rng = chinwag_fuzz::mutate::Rng(0x2545_f491_4f6c_dd1d);
    let (mut parsed, mut agreed) = (0, 0);
    for _ in 0..3_000 {
        let seed = seeds[rng.below(seeds.len())];
        let bytes = chinwag_fuzz::mutate::mutate(&mut rng, seed.as_bytes());
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let _ = frames::read(&text);
        let Ok(value) = js_sys::JSON::parse(&text) else {
            continue;
        };
        parsed += 1;
        let by_hand = chinwag_widget::read::dialogue(&value);
        if let (Some(by_hand), Ok(mut reference)) =
            (by_hand, serde_wasm_bindgen::from_value::<Dialogue>(value))
        {
            reference.schema = None;
            reference.targeting = Default::default();
            assert_eq!(by_hand, reference, "{text}");
            agreed += 1;
        }
    }
    assert!(parsed > 300 && agreed > 30, "parsed {parsed}, compared {agreed}");
}
