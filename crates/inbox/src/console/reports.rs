//! Reports (docs/reports.md defines every figure): a period's conversations, answered
//! and missed, first response and resolution times, and ratings, for everyone, each
//! agent and each team; a bar per day; the same as CSV.

use super::said_line;
use crate::api::call;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;

/// Seconds as people read a wait: "45 s", "3 min 20 s", "2 h 5 min"; none: "—".
pub fn duration(seconds: &Value) -> String {
    let Some(s) = seconds.as_f64() else {
        return "—".into();
    };
    let s = s.round() as u64;
    match s {
        0..=59 => format!("{s} s"),
        60..=3599 if s.is_multiple_of(60) => format!("{} min", s / 60),
        60..=3599 => format!("{} min {} s", s / 60, s % 60),
        _ => format!("{} h {} min", s / 3600, s % 3600 / 60),
    }
}

fn rating(stats: &Value) -> String {
    match stats["ratings"]["average"].as_f64() {
        Some(avg) => format!("{avg:.1} of 5 ({})", stats["ratings"]["count"]),
        None => "—".into(),
    }
}

/// A table row of one group's figures.
fn row(name: String, s: &Value) -> impl IntoView {
    let cells = [
        s["conversations"].to_string(),
        s["answered"].to_string(),
        s["missed"].to_string(),
        format!(
            "{} / {}",
            duration(&s["first_response"]["median_s"]),
            duration(&s["first_response"]["p90_s"])
        ),
        format!(
            "{} / {}",
            duration(&s["resolution"]["median_s"]),
            duration(&s["resolution"]["p90_s"])
        ),
        rating(s),
    ];
    view! {
        <tr>
            <th scope="row">{name}</th>
            {cells.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}
        </tr>
    }
}

fn table(caption: &'static str, groups: Vec<(String, Value)>) -> impl IntoView {
    view! {
        <div class="table-scroll">
            <table class="report">
                <caption>{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Who"</th>
                        <th scope="col">"Conversations"</th>
                        <th scope="col">"Answered"</th>
                        <th scope="col">"Missed"</th>
                        <th scope="col">"First response (median / 90%)"</th>
                        <th scope="col">"Resolution (median / 90%)"</th>
                        <th scope="col">"Rating"</th>
                    </tr>
                </thead>
                <tbody>{groups.into_iter().map(|(name, s)| row(name, &s)).collect_view()}</tbody>
            </table>
        </div>
    }
}

/// Conversations (wide bars) and missed ones (narrow, dark) per day.
fn chart(days: &[Value]) -> impl IntoView {
    let (width, height) = (640.0, 120.0);
    let n = |d: &Value, k: &str| d[k].as_f64().unwrap_or(0.0);
    let top = days.iter().map(|d| n(d, "conversations")).fold(1.0, f64::max);
    let bar = (width / days.len().max(1) as f64).min(40.0);
    let description = match days.is_empty() {
        true => "No conversations in this period.".to_owned(),
        false => days
            .iter()
            .map(|d| {
                format!(
                    "{}: {} conversations, {} missed",
                    d["day"].as_str().unwrap_or(""),
                    d["conversations"],
                    d["missed"]
                )
            })
            .collect::<Vec<_>>()
            .join("; "),
    };
    let bars = days
        .iter()
        .enumerate()
        .flat_map(|(i, d)| {
            let x = i as f64 * bar;
            [("bar-all", "conversations", 1.0), ("bar-missed", "missed", 0.5)].map(|(class, k, share)| {
                let h = n(d, k) / top * (height - 10.0);
                let w = bar * share;
                view! { <rect class=class x=x + (bar - w) / 2.0 + 1.0 y=height - h width=(w - 2.0).max(1.0) height=h /> }
            })
        })
        .collect_view();
    view! {
        <svg class="chart" role="img" aria-labelledby="report-chart-title report-chart-desc" viewBox=format!("0 0 {width} {height}") preserveAspectRatio="none">
            <title id="report-chart-title">"Conversations (wide bars) and missed ones (narrow bars) per day"</title>
            <desc id="report-chart-desc">{description}</desc>
            {bars}
        </svg>
    }
}

#[component]
pub fn Reports() -> impl IntoView {
    let (from, to) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let report = RwSignal::new(Value::Null);
    let said = RwSignal::new(None::<Result<String, String>>);
    let query = move || format!("?from={}&to={}", from.get(), to.get());
    let load = move || {
        let path = format!("/api/reports{}", query());
        spawn_local(async move {
            match call::<Value>("GET", &path, None, "").await {
                Ok(r) => {
                    from.set(r["from"].as_str().unwrap_or_default().to_owned());
                    to.set(r["to"].as_str().unwrap_or_default().to_owned());
                    report.set(r["report"].clone());
                    said.set(None);
                }
                Err(e) => said.set(Some(Err(e))),
            }
        });
    };
    load();
    let show = move |e: leptos::ev::SubmitEvent| {
        e.prevent_default();
        load();
    };
    let named = |list: &Value| -> Vec<(String, Value)> {
        list.as_array()
            .into_iter()
            .flatten()
            .map(|g| {
                (
                    g["name"].as_str().unwrap_or_default().to_owned(),
                    g["stats"].clone(),
                )
            })
            .collect()
    };
    view! {
        <section class="console reports" aria-labelledby="reports-title">
            <h2 id="reports-title">"Reports"</h2>
            <form class="row" on:submit=show>
                <label>"From " <input type="date" prop:value=from on:input=move |e| from.set(event_target_value(&e)) /></label>
                <label>"To " <input type="date" prop:value=to on:input=move |e| to.set(event_target_value(&e)) /></label>
                <button type="submit">"Show"</button>
                <a href=move || format!("/api/reports.csv{}", query()) download="">"Download CSV"</a>
            </form>
            {move || said_line(said.get())}
            <p class="hint">"Days are UTC, both ends included. A conversation counts in the period it was handed to a human, for the agent who first answered it (or who had it last, when nobody did) and the team its card routed to. Definitions: docs/reports.md."</p>
            {move || {
                let r = report.get();
                (!r.is_null()).then(|| {
                    let days = r["days"].as_array().cloned().unwrap_or_default();
                    view! {
                        {chart(&days)}
                        {table("Everyone", vec![("Everyone".to_owned(), r["overall"].clone())])}
                        {table("Per agent", named(&r["agents"]))}
                        {table("Per team", named(&r["teams"]))}
                    }
                })
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn waits_read_as_people_say_them() {
        assert_eq!(duration(&json!(null)), "—");
        assert_eq!(duration(&json!(44.6)), "45 s");
        assert_eq!(duration(&json!(180)), "3 min");
        assert_eq!(duration(&json!(200)), "3 min 20 s");
        assert_eq!(duration(&json!(7500)), "2 h 5 min");
    }
}
