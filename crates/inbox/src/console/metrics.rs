//! A dialogue's metrics (docs/metrics.md): the numbers with their definitions beside
//! them, filtered by dates, version, visitors and language; a chart per day of any of
//! them, drawn as accessible SVG; the funnel card by card (whose numbers the designer also shows on
//! each card); and the CSV of it all.

use crate::api::call;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;

/// Every number: its key in the API, its name, and what it counts (as docs/metrics.md
/// words it).
pub const DEFINITIONS: [(&str, &str, &str); 9] = [
    (
        "triggered",
        "Triggered",
        "Runs that started: the dialogue's launcher showed to a visitor, whether or not they opened the chat (openings are not counted).",
    ),
    (
        "engaged",
        "Engaged",
        "Runs where the visitor answered at least one card.",
    ),
    (
        "completed",
        "Completed",
        "Runs that reached an end card, the end of the stream, or live chat.",
    ),
    (
        "people_acquired",
        "People acquired",
        "Emails given by visitors the page had not identified by email.",
    ),
    (
        "meetings_booked",
        "Meetings booked",
        "Meetings booked from this dialogue's meeting cards.",
    ),
    ("live_chats", "Live chats", "Runs that reached a live-chat card."),
    (
        "goals_reached",
        "Goals reached",
        "Goal cards passed (once per goal card per run).",
    ),
    ("engagement_rate", "Engagement rate", "Engaged ÷ triggered."),
    ("conversion_rate", "Conversion rate", "People acquired ÷ engaged."),
];

fn shown(key: &str, v: &Value) -> String {
    match (key.ends_with("_rate"), v.as_f64()) {
        (_, None) => "—".into(),
        (true, Some(r)) => format!("{:.0} %", r * 100.0),
        (false, Some(n)) => format!("{n}"),
    }
}

/// The per-card line the designer shows: `12 reached · 3 left`.
pub fn card_numbers(step: &Value) -> String {
    let n = |k: &str| step[k].as_i64().unwrap_or(0);
    let mut line = format!("{} reached", n("reached"));
    if n("answered") > 0 || n("left") > 0 {
        line += &format!(" · {} answered · {} left", n("answered"), n("left"));
    }
    if n("goals") > 0 {
        line += &format!(" · {} goals", n("goals"));
    }
    line
}

#[component]
pub fn Metrics(base: String, funnel: RwSignal<Vec<Value>>) -> impl IntoView {
    let (from, to, version, visitors, locale) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let data = RwSignal::new(Value::Null);
    let charted = RwSignal::new("triggered".to_owned());
    let query = move || {
        let mut q = vec![];
        for (k, v) in [
            ("from", from),
            ("to", to),
            ("version", version),
            ("known", visitors),
            ("locale", locale),
        ] {
            let v = v.get();
            if !v.is_empty() {
                q.push(format!("{k}={}", js_sys::encode_uri_component(&v)));
            }
        }
        q.join("&")
    };
    let metrics_url = {
        let base = base.clone();
        move || format!("{base}/metrics?{}", query())
    };
    Effect::new(move |_| {
        let url = metrics_url();
        spawn_local(async move {
            let got: Value = call("GET", &url, None, "").await.unwrap_or(Value::Null);
            funnel.set(got["funnel"].as_array().cloned().unwrap_or_default());
            data.set(got);
        });
    });
    let csv = move || format!("{base}/metrics.csv?{}", query());
    let date = |label: &'static str, signal: RwSignal<String>| {
        view! { <label>{label} " " <input type="date" prop:value=signal on:change=move |e| signal.set(event_target_value(&e)) /></label> }
    };
    view! {
        <section class="metrics" aria-labelledby="metrics-title">
            <h4 id="metrics-title">{move || {
                let d = data.get();
                format!("Metrics, {} to {}", d["from"].as_str().unwrap_or("…"), d["to"].as_str().unwrap_or("…"))
            }}</h4>
            <div class="row">
                {date("From", from)}
                {date("To", to)}
                <label>"Version " <select on:change=move |e| version.set(event_target_value(&e))>
                    <option value="">"Newest with activity"</option>
                    {move || data.get()["versions"].as_array().cloned().unwrap_or_default().into_iter().map(|v| {
                        let v = v.to_string();
                        view! { <option value=v.clone()>{format!("v{v}")}</option> }
                    }).collect_view()}
                </select></label>
                <label>"Visitors " <select on:change=move |e| visitors.set(event_target_value(&e))>
                    <option value="">"All"</option>
                    <option value="true">"Known (identified by email)"</option>
                    <option value="false">"Anonymous"</option>
                </select></label>
                <label>"Language " <input size="5" placeholder="any" prop:value=locale on:change=move |e| locale.set(event_target_value(&e)) /></label>
                <a class="button" href=csv>"Download CSV"</a>
            </div>
            <dl class="numbers">
                {DEFINITIONS.into_iter().map(|(key, name, meaning)| view! {
                    <div>
                        <dt>{name}</dt>
                        <dd class="figure">{move || shown(key, &data.get()["totals"][key])}</dd>
                        <dd class="meaning">{meaning}</dd>
                    </div>
                }).collect_view()}
            </dl>
            <div class="row"><label>"Chart " <select on:change=move |e| charted.set(event_target_value(&e))>
                {DEFINITIONS.into_iter().filter(|d| d.0 != "engaged").map(|(key, name, _)| {
                    let name = if key == "triggered" { "Triggered and engaged" } else { name };
                    view! { <option value=key>{name}</option> }
                }).collect_view()}
            </select></label></div>
            {move || chart(&data.get(), &charted.get())}
            // At narrow widths the funnel scrolls sideways: focusable, so the keyboard can too.
            <table class="list-table funnel" tabindex="0">
                <caption>{move || match data.get()["version"].as_i64() {
                    Some(v) => format!("Funnel of version {v}: every card, each branch under its own path"),
                    None => "Funnel: no visitor has seen this dialogue yet".to_owned(),
                }}</caption>
                <thead><tr><th scope="col">"Card"</th><th scope="col">"Kind"</th><th scope="col">"Reached"</th><th scope="col">"Answered"</th><th scope="col">"Left here"</th><th scope="col">"Median time to answer"</th><th scope="col">"p90"</th></tr></thead>
                <tbody>
                    {move || funnel.get().into_iter().map(|s| {
                        let seconds = |k: &str| s[k].as_u64().map_or("—".to_owned(), |ms| format!("{:.1} s", ms as f64 / 1000.0));
                        view! {
                            <tr>
                                <td>{s["label"].as_str().unwrap_or_default().to_owned()}</td>
                                <td>{s["kind"].as_str().unwrap_or_default().replace('_', " ")}</td>
                                <td>{s["reached"].to_string()}</td>
                                <td>{s["answered"].to_string()}</td>
                                <td>{s["left"].to_string()}</td>
                                <td>{seconds("median_ms")}</td>
                                <td>{seconds("p90_ms")}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

/// A metric per day as bars (triggered with engaged inside it, or any one number of
/// `DEFINITIONS`): an SVG image whose title and description say every number, for
/// screen readers.
fn chart(data: &Value, key: &str) -> impl IntoView {
    let days = data["days"].as_array().cloned().unwrap_or_default();
    let name = |k: &str| DEFINITIONS.iter().find(|d| d.0 == k).map_or("", |d| d.1);
    // (class, key, bar width as a share of the day's slot)
    let series: Vec<(&str, &str, f64)> = match key {
        "triggered" => vec![
            ("bar-triggered", "triggered", 1.0),
            ("bar-engaged", "engaged", 0.5),
        ],
        _ => vec![("bar-triggered", key, 1.0)],
    };
    let n = |d: &Value, k: &str| d[k].as_f64().unwrap_or(0.0);
    let rate = key.ends_with("_rate");
    let top = match rate {
        true => 1.0,
        false => days.iter().map(|d| n(d, series[0].1)).fold(1.0, f64::max),
    };
    // A bar per day, at most 40 wide (one day alone is not a wall of colour).
    let (width, height) = (640.0, 120.0);
    let bar = (width / days.len().max(1) as f64).min(40.0);
    let described: Vec<String> = days
        .iter()
        .map(|d| {
            let said: Vec<String> = series
                .iter()
                .map(|(_, k, _)| format!("{} {}", shown(k, &d[*k]), name(k).to_lowercase()))
                .collect();
            format!("{}: {}", d["day"].as_str().unwrap_or(""), said.join(", "))
        })
        .collect();
    let description = match described.is_empty() {
        true => "No activity in this range.".to_owned(),
        false => described.join("; "),
    };
    let bars = days
        .iter()
        .enumerate()
        .flat_map(|(i, d)| {
            let x = i as f64 * bar;
            series.iter().map(move |(class, k, share)| {
                let h = n(d, k) / top * (height - 10.0);
                let w = bar * share;
                view! { <rect class=*class x=x + (bar - w) / 2.0 + 1.0 y=height - h width=(w - 2.0).max(1.0) height=h /> }
            })
        })
        .collect_view();
    let title = match key {
        "triggered" => "Triggered (wide bars) and engaged (narrow bars) per day".to_owned(),
        _ => format!("{} per day", name(key)),
    };
    view! {
        <svg class="chart" role="img" aria-labelledby="chart-title chart-desc" viewBox=format!("0 0 {width} {height}") preserveAspectRatio="none">
            <title id="chart-title">{title}</title>
            <desc id="chart-desc">{description}</desc>
            {bars}
        </svg>
    }
}
