//! The trunk preview's stand-in for the chat server's meeting API (there is no server
//! under `trunk serve`): the same calls as the card makes, the same answers, kept in
//! memory, behind the same [`Calls`] as the server. Free times: the next ten weekdays,
//! 09:00–17:00 in the browser's zone, every 30 minutes, four hours' notice; one host,
//! "Preview host".

use super::calls::{Answer, Call, Calls};
use super::{number, object};
use js_sys::{Array, Date};
use std::cell::RefCell;
use wasm_bindgen::JsValue;

const STEP: f64 = 30.0 * 60.0;
const NOTICE: f64 = 4.0 * 3600.0;

struct Booked {
    id: String,
    start: f64,
    cancelled: bool,
}

pub struct StandIn {
    texts: JsValue,
    meetings: RefCell<Vec<Booked>>,
}

impl StandIn {
    pub fn new(locale: &str) -> StandIn {
        StandIn {
            texts: serde_wasm_bindgen::to_value(chinwag_site::meeting::texts(locale))
                .unwrap_or(JsValue::NULL),
            meetings: RefCell::default(),
        }
    }

    fn free(&self) -> Vec<f64> {
        let now = Date::now() / 1000.0;
        let today = Date::new_0();
        let mut out = Vec::new();
        let (mut d, mut weekdays) = (0, 0);
        while weekdays < 10 && d < 20 {
            let date = Date::new_with_year_month_day(
                today.get_full_year(),
                today.get_month() as i32,
                (today.get_date() + d) as i32,
            );
            d += 1;
            if date.get_day() == 0 || date.get_day() == 6 {
                continue;
            }
            weekdays += 1;
            for minutes in (9 * 60..17 * 60).step_by(30) {
                date.set_hours(0);
                date.set_minutes(minutes);
                let start = date.get_time() / 1000.0;
                let taken = self
                    .meetings
                    .borrow()
                    .iter()
                    .any(|m| !m.cancelled && m.start == start);
                if start >= now + NOTICE && !taken {
                    out.push(start);
                }
            }
        }
        out
    }

    fn slots(&self) -> JsValue {
        let list = Array::new();
        for start in self.free() {
            list.push(&object(&[
                ("start", start.into()),
                ("end", (start + STEP).into()),
            ]));
        }
        list.into()
    }

    fn meeting(&self, m: &Booked) -> JsValue {
        object(&[
            ("id", m.id.as_str().into()),
            ("token", "preview".into()),
            ("status", if m.cancelled { "cancelled" } else { "booked" }.into()),
            ("start", m.start.into()),
            ("end", (m.start + STEP).into()),
            ("host", "Preview host".into()),
        ])
    }

    fn taken(&self) -> Answer {
        Answer {
            status: 409,
            body: object(&[("error", "taken".into()), ("slots", self.slots())]),
        }
    }

    fn answer(&self, path: &str, body: Option<JsValue>) -> Answer {
        let route = path.split('?').next().unwrap_or_default();
        let start = body.as_ref().map(|b| number(b, "start"));
        if route.ends_with("/meetings/slots") {
            return Answer {
                status: 200,
                body: object(&[
                    ("texts", self.texts.clone()),
                    ("slots", self.slots()),
                    ("length_minutes", 30.into()),
                ]),
            };
        }
        if route.ends_with("/meetings") && body.is_some() {
            let start = start.unwrap_or_default();
            if !self.free().contains(&start) {
                return self.taken();
            }
            let id = format!("preview-{}", self.meetings.borrow().len() + 1);
            self.meetings.borrow_mut().push(Booked {
                id,
                start,
                cancelled: false,
            });
            let made = self.meeting(self.meetings.borrow().last().expect("just added"));
            return Answer {
                status: 201,
                body: made,
            };
        }
        let rest = route.split("/api/meetings/").nth(1).unwrap_or_default();
        let (id, action) = rest.split_once('/').unwrap_or((rest, ""));
        let id = String::from(js_sys::decode_uri_component(id).unwrap_or_default());
        let free = self.free();
        let mut meetings = self.meetings.borrow_mut();
        let Some(m) = meetings.iter_mut().find(|m| m.id == id) else {
            return Answer {
                status: 404,
                body: object(&[("error", "no such meeting".into())]),
            };
        };
        match action {
            "cancel" => m.cancelled = true,
            "reschedule" => match start {
                Some(start) if free.contains(&start) => m.start = start,
                _ => {
                    drop(meetings);
                    return self.taken();
                }
            },
            _ => {}
        }
        Answer {
            status: 200,
            body: self.meeting(m),
        }
    }
}

impl Calls for StandIn {
    fn call(&self, path: String, body: Option<JsValue>) -> Call {
        let answer = self.answer(&path, body);
        Box::pin(async move { Ok(answer) })
    }
}
