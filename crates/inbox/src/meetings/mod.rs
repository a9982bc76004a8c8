//! The inbox's meetings section: the list (agents their own, admins all; upcoming,
//! past, cancelled; search; CSV), with why each host got it and whether the
//! invitations went out; and the agent's own working hours and calendar.

mod calendar;
mod list;
mod time;

pub use calendar::CalendarSettings;
pub use list::MeetingList;
pub use time::local as local_time;

use crate::api::call;
use leptos::prelude::*;
use serde::Deserialize;

/// A calendar that cannot be read, shown at the top until it reads again.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct CalendarProblem {
    pub name: String,
    pub problem: String,
}

/// The problem banner: an agent's own calendar, or (admins) everyone's.
#[component]
pub fn CalendarProblems() -> impl IntoView {
    let problems = LocalResource::new(|| async {
        call::<Vec<CalendarProblem>>("GET", "/api/calendar-problems", None, "")
            .await
            .unwrap_or_default()
    });
    view! {
        {move || problems.get().filter(|p| !p.is_empty()).map(|list| view! {
            <div class="calendar-problems" role="alert">
                <strong>"Calendars that cannot be read (those agents are offered as busy): "</strong>
                {list.into_iter().map(|p| view! { <span>{p.name} ": " {p.problem}</span> }).collect_view()}
            </div>
        })}
    }
}
