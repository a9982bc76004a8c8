//! The engine's state beside the widget: current card, captured attributes, events.

use chinwag_dialogue::{Stream, ValidDialogue};
use leptos::prelude::*;

#[component]
pub fn StatePanel(dialogue: ValidDialogue, state: RwSignal<Option<Stream>>) -> impl IntoView {
    let dialogue = StoredValue::new(dialogue);
    let current = move || {
        state.with(|s| {
            let s = s.as_ref()?;
            let path = s.position()?;
            let kind = dialogue.with_value(|d| path.card(&d.stream).map(|c| c.kind_name()))?;
            Some(format!("{path} ({kind})"))
        })
    };
    let status = move || {
        state.with(|s| {
            s.as_ref()
                .map(|s| dialogue.with_value(|d| format!("{:?}", s.status(d))))
        })
    };
    let captured = move || state.with(|s| s.as_ref().map(|s| s.captured.clone()).unwrap_or_default());
    let events = move || state.with(|s| s.as_ref().map(|s| s.events.clone()).unwrap_or_default());
    let started = move || events().first().map_or(0, |e| e.at);
    view! {
        <dl class="pv-facts">
            <dt>"Dialogue"</dt>
            <dd>{dialogue.with_value(|d| format!("{} ({})", d.name, d.id))}</dd>
            <dt>"Status"</dt>
            <dd data-testid="status">{status}</dd>
            <dt>"Current card"</dt>
            <dd data-testid="current-card">{move || current().unwrap_or_else(|| "none (ended)".into())}</dd>
        </dl>
        <h3>"Captured attributes"</h3>
        <table class="pv-table" data-testid="captured">
            <tbody>
                {move || {
                    let rows = captured();
                    if rows.is_empty() {
                        return view! { <tr><td colspan="2">"nothing yet"</td></tr> }.into_any();
                    }
                    rows.into_iter()
                        .map(|(k, v)| view! { <tr><th scope="row">{k}</th><td>{v}</td></tr> })
                        .collect_view()
                        .into_any()
                }}
            </tbody>
        </table>
        <h3>"Events"</h3>
        <ol class="pv-events" data-testid="events">
            {move || {
                let start = started();
                events()
                    .into_iter()
                    .map(|e| view! { <li>{format!("{:?}", e.kind).to_ascii_lowercase()} " " <small>{format!("+{} ms", e.at.saturating_sub(start))}</small></li> })
                    .collect_view()
            }}
        </ol>
    }
}
