//! The meeting card (docs/meetings.md): a day picker and the free times in the
//! visitor's zone and language, booking, and the booked meeting with "add to calendar",
//! reschedule and cancel. It lives in the widget's meeting part (`cards/part.rs`), so
//! visitors who never reach a meeting card download none of it; its texts come from
//! the server with the slots (chinwag-site), in the visitor's language. The same card
//! shows on the page behind an invitation's link (`page.rs`).
//!
//! The card is drawn from one state value, as a whole, on every change: what is typed
//! into the name and email fields is kept apart, so a redraw never loses it.

mod calls;
mod page;
#[cfg(feature = "preview")]
pub mod stand_in;
mod when;

pub use calls::{Calls, Server};
use js_sys::{Object, Reflect};
use leptos::html;
use leptos::leptos_dom::helpers::request_animation_frame;
use leptos::prelude::*;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use when::Formats;

const CSS: &str = include_str!(concat!(env!("OUT_DIR"), "/meeting.min.css"));
const DAYS_PER_PAGE: usize = 4;

/// Tells where the card shows what happened: an event's name and its detail.
pub type Done = Rc<dyn Fn(&str, JsValue)>;

/// What the card needs from where it shows.
pub struct Setup {
    pub calls: Rc<dyn Calls>,
    /// The chat server, for the calendar file's link.
    pub server: String,
    pub site: String,
    pub dialogue: String,
    pub card: String,
    pub locale: String,
    /// What the visitor already said (not asked again).
    pub name: String,
    pub email: String,
    /// Shown, with `next`, when there is no free time.
    pub fallback: String,
    /// The chat's Continue; `None` on the page behind an email's link.
    pub next: Option<String>,
    /// `meetingBooked`, `meetingRescheduled`, `meetingCancelled` (with the meeting) and
    /// `continue` (the visitor goes on).
    pub done: Done,
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Pick,
    Booked,
    ConfirmCancel,
    Cancelled,
    Error,
    Busy,
    /// No free time: the card's fallback.
    Fallback,
}

#[derive(Clone, Copy, PartialEq)]
struct Slot {
    start: f64,
    end: f64,
}

#[derive(Clone)]
struct Booking {
    id: String,
    token: String,
    booked: bool,
    start: f64,
    end: f64,
    host: Option<String>,
}

/// The texts the server sent with the slots.
#[derive(Clone)]
struct Texts(JsValue);

impl Texts {
    fn get(&self, key: &str) -> String {
        Reflect::get(&self.0, &key.into())
            .ok()
            .and_then(|t| t.as_string())
            .unwrap_or_default()
    }
    /// The text with `{name}` replaced by `value`.
    fn fill(&self, key: &str, name: &str, value: &str) -> String {
        self.get(key).replace(&format!("{{{name}}}"), value)
    }
}

#[derive(Clone)]
struct State {
    texts: Option<Texts>,
    slots: Rc<Vec<Slot>>,
    page: usize,
    day: Option<String>,
    chosen: Option<Slot>,
    meeting: Option<Booking>,
    mode: Mode,
    message: String,
    /// The name's and the email's problem.
    problems: [Option<String>; 2],
}

struct Env {
    setup: Setup,
    formats: Formats,
    /// Where the booked meeting is kept in the browser, and the prefix of the ids.
    key: String,
    /// What the visitor typed: name, email.
    typed: [String; 2],
}

#[derive(Clone, Copy)]
enum Focus {
    /// The first control (the pressed day, a field, a button).
    First,
    /// The field to fill in or the main button.
    Last,
}

#[derive(Clone, Copy)]
struct Card {
    state: RwSignal<State, LocalStorage>,
    env: StoredValue<Env, LocalStorage>,
    root: NodeRef<html::Div>,
}

/// The card, starting at once: it fetches the free times (and a meeting kept in this
/// browser) and shows them.
pub fn card(setup: Setup) -> AnyView {
    let key = format!("chinwag:meeting:{}:{}:{}", setup.site, setup.dialogue, setup.card);
    let typed = [setup.name.clone(), setup.email.clone()];
    let formats = Formats::new(&setup.locale);
    let card = Card {
        state: RwSignal::new_local(State {
            texts: None,
            slots: Rc::default(),
            page: 0,
            day: None,
            chosen: None,
            meeting: None,
            mode: Mode::Busy,
            message: String::new(),
            problems: [None, None],
        }),
        env: StoredValue::new_local(Env {
            setup,
            formats,
            key,
            typed,
        }),
        root: NodeRef::new(),
    };
    crate::effect::on_load(card.root, move |el| {
        crate::style::adopt(&el, CSS, "__chinwagMeeting");
        leptos::task::spawn_local(card.start());
    });
    view! { <div class="cw-meeting" node_ref=card.root>{move || card.draw()}</div> }.into_any()
}

fn number(value: &JsValue, key: &str) -> f64 {
    Reflect::get(value, &key.into())
        .ok()
        .and_then(|n| n.as_f64())
        .unwrap_or(0.0)
}

fn text(value: &JsValue, key: &str) -> Option<String> {
    Reflect::get(value, &key.into()).ok().and_then(|t| t.as_string())
}

fn slots(value: &JsValue) -> Vec<Slot> {
    Reflect::get(value, &"slots".into())
        .ok()
        .and_then(|s| s.dyn_into::<js_sys::Array>().ok())
        .map(|list| {
            list.iter()
                .map(|s| Slot {
                    start: number(&s, "start"),
                    end: number(&s, "end"),
                })
                .collect()
        })
        .unwrap_or_default()
}

fn booking(value: &JsValue) -> Booking {
    Booking {
        id: text(value, "id").unwrap_or_default(),
        token: text(value, "token").unwrap_or_default(),
        booked: text(value, "status").as_deref() == Some("booked"),
        start: number(value, "start"),
        end: number(value, "end"),
        host: text(value, "host").filter(|h| !h.is_empty()),
    }
}

fn object(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        let _ = Reflect::set(&o, &(*k).into(), v);
    }
    o.into()
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// A plausible address: something, @, something with a dot. The server checks again.
fn plausible_email(email: &str) -> bool {
    let Some((user, domain)) = email.split_once('@') else {
        return false;
    };
    let ok = |s: &str| !s.is_empty() && !s.contains(char::is_whitespace) && !s.contains('@');
    ok(user)
        && ok(domain)
        && domain
            .split_once('.')
            .is_some_and(|(a, b)| !a.is_empty() && !b.is_empty() && !b.ends_with('.'))
}

fn encode(s: &str) -> String {
    String::from(js_sys::encode_uri_component(s))
}

impl Card {
    fn with_env<R>(&self, f: impl FnOnce(&Env) -> R) -> R {
        self.env.with_value(f)
    }

    fn update(&self, f: impl FnOnce(&mut State), focus: Option<Focus>) {
        self.state.update(f);
        if let Some(focus) = focus {
            self.focus(focus);
        }
    }

    fn focus(&self, focus: Focus) {
        let root = self.root;
        request_animation_frame(move || {
            let Some(root) = root.try_get_untracked().flatten() else {
                return;
            };
            let found = match focus {
                Focus::First => root.query_selector(r#"button[aria-pressed="true"], input, button, a"#),
                Focus::Last => root
                    .query_selector("input")
                    .and_then(|i| i.map_or_else(|| root.query_selector(".cw-meeting-main"), |i| Ok(Some(i)))),
            };
            if let Ok(Some(el)) = found {
                let _ = el.unchecked_into::<web_sys::HtmlElement>().focus();
            }
        });
    }

    fn kept(&self) -> Option<(String, String)> {
        let kept = storage()?.get_item(&self.with_env(|e| e.key.clone())).ok()??;
        let kept = js_sys::JSON::parse(&kept).ok()?;
        Some((text(&kept, "id")?, text(&kept, "token")?))
    }

    fn keep(&self, meeting: Option<&Booking>) {
        let key = self.with_env(|e| e.key.clone());
        let Some(storage) = storage() else { return };
        let _ = match meeting {
            Some(m) => js_sys::JSON::stringify(&object(&[
                ("id", m.id.as_str().into()),
                ("token", m.token.as_str().into()),
            ]))
            .map(|json| storage.set_item(&key, &String::from(json))),
            None => Ok(storage.remove_item(&key)),
        };
    }

    async fn call(&self, path: String, body: Option<JsValue>) -> Result<calls::Answer, JsValue> {
        let call = self.with_env(|e| e.setup.calls.call(path, body));
        call.await
    }

    /// The free times, with the texts.
    async fn refresh(&self) -> Result<(), JsValue> {
        let path = self.with_env(|e| {
            let s = &e.setup;
            format!(
                "/api/sites/{}/meetings/slots?dialogue={}&card={}&zone={}&locale={}",
                encode(&s.site),
                encode(&s.dialogue),
                encode(&s.card),
                encode(&e.formats.zone),
                encode(&s.locale)
            )
        });
        let answer = self.call(path, None).await?;
        if answer.status != 200 {
            return Err(text(&answer.body, "error")
                .unwrap_or_else(|| answer.status.to_string())
                .into());
        }
        let texts = Reflect::get(&answer.body, &"texts".into())?;
        let free = slots(&answer.body);
        self.state.update(|s| {
            s.texts = Some(Texts(texts));
            s.slots = Rc::new(free);
        });
        Ok(())
    }

    async fn start(self) {
        self.update(|s| s.mode = Mode::Busy, None);
        let result: Result<(), JsValue> = async {
            self.refresh().await?;
            let mut meeting = None;
            if let Some((id, token)) = self.kept() {
                let answer = self
                    .call(
                        format!("/api/meetings/{}?token={}", encode(&id), encode(&token)),
                        None,
                    )
                    .await?;
                let kept = booking(&answer.body);
                if answer.status == 200 && kept.booked {
                    meeting = Some(kept);
                } else {
                    self.keep(None);
                }
            }
            let fallback = meeting.is_none() && self.state.with_untracked(|s| s.slots.is_empty());
            self.update(
                |s| {
                    s.mode = match (&meeting, fallback) {
                        (Some(_), _) => Mode::Booked,
                        (None, true) => Mode::Fallback,
                        (None, false) => Mode::Pick,
                    };
                    s.meeting = meeting;
                },
                Some(Focus::First),
            );
            Ok(())
        }
        .await;
        if let Err(e) = result {
            web_sys::console::warn_1(&format!("Chinwag: {}", e.as_string().unwrap_or_default()).into());
            self.update(|s| s.mode = Mode::Error, Some(Focus::First));
        }
    }

    fn done(&self, kind: &str, detail: JsValue) {
        let done = self.with_env(|e| e.setup.done.clone());
        done(kind, detail);
    }

    /// The conversation so far, as the chat shows it, for the host's list of meetings:
    /// read from the widget's log, so the widget sends nothing more.
    fn transcript(&self) -> JsValue {
        let lines = js_sys::Array::new();
        let Some(root) = self.root.get_untracked() else {
            return lines.into();
        };
        let Ok(found) = root
            .get_root_node()
            .unchecked_into::<web_sys::DocumentFragment>()
            .query_selector_all(".cw-line")
        else {
            return lines.into();
        };
        let all: Vec<web_sys::Element> = (0..found.length())
            .filter_map(|i| found.item(i))
            .map(JsCast::unchecked_into)
            .collect();
        for line in all.iter().skip(all.len().saturating_sub(100)) {
            let said = line
                .query_selector(".cw-bubble")
                .ok()
                .flatten()
                .and_then(|b| b.text_content())
                .unwrap_or_default();
            if !said.is_empty() {
                let who = if line.class_list().contains("cw-visitor") {
                    "visitor"
                } else {
                    "bot"
                };
                lines.push(&js_sys::Array::of2(&who.into(), &said.into()));
            }
        }
        lines.into()
    }

    fn check(&self) -> bool {
        let [name, email] = self.with_env(|e| e.typed.clone());
        let texts = self.state.with_untracked(|s| s.texts.clone());
        let Some(t) = texts else { return false };
        let name_problem = name.trim().is_empty().then(|| t.get("required"));
        let email_problem = match email.trim() {
            "" => Some(t.get("required")),
            e if !plausible_email(e) => Some(t.get("invalid_email")),
            _ => None,
        };
        let fine = name_problem.is_none() && email_problem.is_none();
        self.update(|s| s.problems = [name_problem, email_problem], None);
        fine
    }

    async fn send(self, path: String, body: JsValue, event: &'static str) {
        let before = self.state.with_untracked(|s| s.mode);
        self.update(|s| s.mode = Mode::Busy, None);
        let answer = self.call(path, Some(body)).await;
        let unreachable = self
            .state
            .with_untracked(|s| s.texts.as_ref().map(|t| t.get("unreachable")).unwrap_or_default());
        match answer {
            Ok(a) if a.status == 200 || a.status == 201 => {
                let m = booking(&a.body);
                self.keep(m.booked.then_some(&m));
                let detail = object(&[
                    ("id", m.id.as_str().into()),
                    ("start", when::iso(m.start)),
                    ("end", when::iso(m.end)),
                ]);
                let booked = m.booked;
                self.state.update(|s| {
                    s.message.clear();
                    s.mode = if booked { Mode::Booked } else { Mode::Cancelled };
                    s.meeting = Some(m);
                });
                if !booked {
                    let _ = self.refresh().await;
                }
                self.done(event, detail);
            }
            Ok(a) if a.status == 409 => {
                let free = slots(&a.body);
                self.state.update(|s| {
                    s.slots = Rc::new(free);
                    s.message = s.texts.as_ref().map(|t| t.get("taken")).unwrap_or_default();
                    s.chosen = None;
                    s.mode = if before == Mode::Booked {
                        Mode::Pick
                    } else {
                        before
                    };
                });
            }
            Ok(a) => {
                self.state.update(|s| {
                    s.message = text(&a.body, "error").unwrap_or(unreachable);
                    s.mode = before;
                });
            }
            Err(_) => {
                self.state.update(|s| {
                    s.message = unreachable;
                    s.mode = before;
                });
            }
        }
        self.focus(Focus::First);
    }

    fn book(self) {
        if !self.check() {
            self.focus(Focus::Last);
            return;
        }
        let Some(chosen) = self.state.with_untracked(|s| s.chosen) else {
            return;
        };
        let (path, body) = self.with_env(|e| {
            let s = &e.setup;
            let body = object(&[
                ("dialogue", s.dialogue.as_str().into()),
                ("card", s.card.as_str().into()),
                ("start", chosen.start.into()),
                ("zone", e.formats.zone.as_str().into()),
                ("locale", s.locale.as_str().into()),
                ("name", e.typed[0].trim().into()),
                ("email", e.typed[1].trim().into()),
                ("transcript", self.transcript()),
            ]);
            (format!("/api/sites/{}/meetings", encode(&s.site)), body)
        });
        leptos::task::spawn_local(self.send(path, body, "meetingBooked"));
    }

    fn reschedule(self) {
        let Some((m, chosen)) = self.state.with_untracked(|s| s.meeting.clone().zip(s.chosen)) else {
            return;
        };
        let body = object(&[("token", m.token.as_str().into()), ("start", chosen.start.into())]);
        let path = format!("/api/meetings/{}/reschedule", encode(&m.id));
        leptos::task::spawn_local(self.send(path, body, "meetingRescheduled"));
    }

    fn cancel(self) {
        let Some(m) = self.state.with_untracked(|s| s.meeting.clone()) else {
            return;
        };
        let body = object(&[("token", m.token.as_str().into())]);
        let path = format!("/api/meetings/{}/cancel", encode(&m.id));
        leptos::task::spawn_local(self.send(path, body, "meetingCancelled"));
    }

    /// Every button of the card: one shape, so the part carries one button's code.
    fn button(self, label: String, class: Option<&'static str>, act: impl Fn(Card) + 'static) -> Button {
        Button {
            card: self,
            label,
            class,
            pressed: None,
            aria_label: None,
            disabled: false,
            act: Rc::new(act),
        }
    }

    fn draw(self) -> AnyView {
        let s = self.state.get();
        let t = s.texts.clone().unwrap_or(Texts(JsValue::UNDEFINED));
        // Before the texts came (the calendar was unreachable at once): English.
        let tx = |key: &str, fallback: &str| {
            Some(t.get(key))
                .filter(|t| !t.is_empty())
                .unwrap_or_else(|| fallback.into())
        };
        let done = |c: Card| c.done("continue", JsValue::UNDEFINED);
        let parts = match s.mode {
            Mode::Busy => vec![para(Some("status"), None, tx("booking", "…"))],
            Mode::Error => vec![
                para(
                    Some("alert"),
                    None,
                    tx("unreachable", "The calendar cannot be reached right now."),
                ),
                row(
                    "cw-meeting-row",
                    None,
                    vec![
                        self.button(tx("retry", "Try again"), Some("cw-meeting-main"), |c| {
                            leptos::task::spawn_local(c.start())
                        })
                        .view(),
                        self.button(tx("continue_", "Continue"), None, done).view(),
                    ],
                ),
            ],
            Mode::Fallback => {
                let (fallback, next) = self.with_env(|e| (e.setup.fallback.clone(), e.setup.next.clone()));
                let mut parts = vec![para(None, Some("cw-note"), fallback)];
                parts.extend(next.map(|next| self.button(next, Some("cw-answer"), done).view()));
                parts
            }
            Mode::Booked | Mode::ConfirmCancel => self.draw_booked(&s, &t),
            Mode::Pick | Mode::Cancelled => self.draw_pick(&s, &t),
        };
        parts.into_any()
    }

    fn draw_booked(self, s: &State, t: &Texts) -> Vec<AnyView> {
        let Some(m) = s.meeting.clone() else {
            return Vec::new();
        };
        let (server, next, full) = self.with_env(|e| {
            (
                e.setup.server.clone(),
                e.setup.next.clone(),
                e.formats.full(m.start, m.end),
            )
        });
        let ics = format!(
            "{server}/api/meetings/{}/invite.ics?token={}",
            encode(&m.id),
            encode(&m.token)
        );
        let with = m
            .host
            .as_ref()
            .map(|h| format!(" {}", t.fill("with", "host", h)))
            .unwrap_or_default();
        let mut parts = vec![view! {
            <p class="cw-meeting-done" role="status">
                <strong>{t.fill("booked", "time", &full)}</strong>
                {format!(" ({}){with}", t.get("your_time"))}
            </p>
        }
        .into_any()];
        if s.mode == Mode::ConfirmCancel {
            parts.push(para(None, None, t.fill("confirm_cancel", "time", &full)));
            parts.push(row(
                "cw-meeting-row",
                None,
                vec![
                    self.button(t.get("cancel"), Some("cw-meeting-main"), Card::cancel)
                        .view(),
                    self.button(t.get("keep"), None, |c| {
                        c.update(|s| s.mode = Mode::Booked, Some(Focus::First))
                    })
                    .view(),
                ],
            ));
        } else {
            parts.push(row(
                "cw-meeting-row",
                None,
                vec![
                    view! { <a href=ics download="meeting.ics">{t.get("add_to_calendar")}</a> }.into_any(),
                    self.button(t.get("reschedule"), None, |c| {
                        c.update(
                            |s| {
                                s.mode = Mode::Pick;
                                s.chosen = None;
                            },
                            Some(Focus::First),
                        )
                    })
                    .view(),
                    self.button(t.get("cancel"), None, |c| {
                        c.update(|s| s.mode = Mode::ConfirmCancel, Some(Focus::First))
                    })
                    .view(),
                ],
            ));
            // In the chat the dialogue goes on; the page behind an email's link has no `next`.
            parts.extend(next.map(|next| {
                self.button(next, Some("cw-meeting-main"), |c| {
                    c.done("continue", JsValue::UNDEFINED)
                })
                .view()
            }));
        }
        parts
    }

    fn draw_pick(self, s: &State, t: &Texts) -> Vec<AnyView> {
        let key = self.with_env(|e| e.key.clone());
        // The free times by day, in order.
        let mut days: Vec<(String, Vec<Slot>)> = Vec::new();
        self.with_env(|e| {
            for slot in s.slots.iter() {
                let k = e.formats.day_key(slot.start);
                match days.last_mut() {
                    Some((last, list)) if *last == k => list.push(*slot),
                    _ => days.push((k, vec![*slot])),
                }
            }
        });
        let pages = days.len().div_ceil(DAYS_PER_PAGE).max(1);
        let page = s.page.min(pages - 1);
        let shown =
            &days[(page * DAYS_PER_PAGE).min(days.len())..((page + 1) * DAYS_PER_PAGE).min(days.len())];
        let day = s
            .day
            .clone()
            .filter(|d| days.iter().any(|(k, _)| k == d))
            .or_else(|| shown.first().map(|(k, _)| k.clone()));
        let mut parts = Vec::new();
        if !s.message.is_empty() {
            parts.push(para(Some("alert"), None, s.message.clone()));
        }
        if s.mode == Mode::Cancelled {
            parts.push(para(Some("status"), None, t.get("cancelled")));
        }
        parts.push(heading(format!("{key}:days"), t.get("days")));
        let nav = |label: &str, aria: String, disabled: bool, to: usize| {
            let mut b = self.button(label.into(), Some("cw-meeting-nav"), move |c| {
                c.update(
                    |s| {
                        s.page = to;
                        s.day = None;
                        s.chosen = None;
                    },
                    Some(Focus::First),
                )
            });
            b.aria_label = Some(aria);
            b.disabled = disabled;
            b.view()
        };
        let day_buttons = shown
            .iter()
            .map(|(k, list)| {
                let k2 = k.clone();
                let mut b = self.button(
                    self.with_env(|e| e.formats.day_name(list[0].start)),
                    None,
                    move |c| {
                        let k = k2.clone();
                        c.update(
                            |s| {
                                s.day = Some(k);
                                s.chosen = None;
                                s.page = page;
                            },
                            Some(Focus::First),
                        )
                    },
                );
                b.pressed = Some(Some(k) == day.as_ref());
                b.view()
            })
            .collect();
        let mut choose = Vec::new();
        if pages > 1 {
            choose.push(nav("‹", t.get("earlier"), page == 0, page.saturating_sub(1)));
        }
        choose.push(row("cw-meeting-days", Some(format!("{key}:days")), day_buttons));
        if pages > 1 {
            choose.push(nav("›", t.get("later"), page + 1 >= pages, page + 1));
        }
        parts.push(row("cw-meeting-row", None, choose));
        if let Some((k, list)) = days.iter().find(|(k, _)| Some(k) == day.as_ref()) {
            let label = t.fill(
                "times",
                "day",
                &self.with_env(|e| e.formats.day_long(list[0].start)),
            );
            parts.push(heading(format!("{key}:times"), label));
            let buttons = list
                .iter()
                .map(|slot| {
                    let (slot, k) = (*slot, k.clone());
                    let mut b = self.button(self.with_env(|e| e.formats.time(slot.start)), None, move |c| {
                        let k = k.clone();
                        c.update(
                            |s| {
                                s.chosen = Some(slot);
                                s.page = page;
                                s.day = Some(k);
                            },
                            Some(Focus::Last),
                        )
                    });
                    b.pressed = Some(s.chosen == Some(slot));
                    b.view()
                })
                .collect();
            parts.push(row("cw-meeting-times", Some(format!("{key}:times")), buttons));
        }
        let moving = s.meeting.as_ref().is_some_and(|m| m.booked);
        if let Some(chosen) = s.chosen {
            let (known, when) = self.with_env(|e| {
                (
                    [!e.setup.name.is_empty(), !e.setup.email.is_empty()],
                    format!(
                        "{} {}",
                        e.formats.day_name(chosen.start),
                        e.formats.time(chosen.start)
                    ),
                )
            });
            for (i, name, kind) in [(0, "name", "text"), (1, "email", "email")] {
                if !moving && !known[i] {
                    parts.push(self.field(i, name, kind, &key, t.get(name), s.problems[i].clone()));
                }
            }
            parts.push(
                self.button(t.fill("book", "time", &when), Some("cw-meeting-main"), move |c| {
                    if moving {
                        c.reschedule()
                    } else {
                        c.book()
                    }
                })
                .view(),
            );
        }
        if moving {
            parts.push(
                self.button(t.get("keep"), None, |c| {
                    c.update(
                        |s| {
                            s.mode = Mode::Booked;
                            s.message.clear();
                        },
                        Some(Focus::First),
                    )
                })
                .view(),
            );
        }
        parts
    }

    fn field(
        self,
        i: usize,
        name: &'static str,
        kind: &'static str,
        key: &str,
        label: String,
        error: Option<String>,
    ) -> AnyView {
        let id = format!("{key}:{name}-error");
        let value = self.with_env(|e| e.typed[i].clone());
        let card = self;
        view! {
            <label>
                {label}
                <input type=kind name=name autocomplete=name required prop:value=value
                    aria-invalid=error.is_some().then_some("true")
                    aria-describedby=error.is_some().then(|| id.clone())
                    on:input=move |e| { let v = event_target_value(&e); card.env.update_value(|env| env.typed[i] = v); } />
                {error.map(|error| view! { <span id=id class="cw-meeting-error">{error}</span> })}
            </label>
        }
        .into_any()
    }
}

struct Button {
    card: Card,
    label: String,
    class: Option<&'static str>,
    pressed: Option<bool>,
    aria_label: Option<String>,
    disabled: bool,
    act: Rc<dyn Fn(Card)>,
}

impl Button {
    fn view(self) -> AnyView {
        let Button { card, act, .. } = self;
        view! {
            <button type="button" class=self.class aria-pressed=self.pressed.map(|p| if p { "true" } else { "false" })
                aria-label=self.aria_label disabled=self.disabled on:click=move |_| act(card)>
                {self.label}
            </button>
        }
        .into_any()
    }
}

fn para(role: Option<&'static str>, class: Option<&'static str>, text: String) -> AnyView {
    view! { <p role=role class=class>{text}</p> }.into_any()
}

fn heading(id: String, text: String) -> AnyView {
    view! { <h3 id=id>{text}</h3> }.into_any()
}

/// A row of controls; a group (named by a heading) when `labelled_by` is given.
fn row(class: &'static str, labelled_by: Option<String>, children: Vec<AnyView>) -> AnyView {
    let role = labelled_by.is_some().then_some("group");
    view! { <div class=class role=role aria-labelledby=labelled_by>{children}</div> }.into_any()
}
