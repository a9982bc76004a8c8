//! The trunk preview for frontend developers: pick a dialogue from `www/dialogues/`,
//! run it in the widget, and watch the engine's state beside it. Invalid dialogues
//! show their problems instead of a blank widget.

mod look;
mod state_panel;

use crate::live::PreviewAgent;
use crate::mount::{mount, Placement, Typing, WidgetOptions};
use crate::{parse, storage};
use chinwag_dialogue::{Problem, Stream, ValidDialogue, VisitorContext};
use leptos::html;
use leptos::prelude::*;
use look::{Look, LookControls};
use state_panel::StatePanel;
use std::rc::Rc;

mod catalog {
    include!(concat!(env!("OUT_DIR"), "/dialogues.rs"));
}

fn storage_key(id: &str) -> String {
    format!("chinwag:preview:{id}")
}

fn selected_from_hash() -> String {
    let hash = window().location().hash().unwrap_or_default();
    let name = hash.trim_start_matches('#');
    let known = catalog::EXAMPLES
        .iter()
        .chain(catalog::INVALID)
        .any(|(n, _)| *n == name);
    match known {
        true => name.to_owned(),
        false => catalog::EXAMPLES
            .first()
            .map(|(n, _)| n.to_string())
            .unwrap_or_default(),
    }
}

pub fn run() {
    leptos::mount::mount_to_body(Preview);
}

#[component]
fn Preview() -> impl IntoView {
    let selected = RwSignal::new(selected_from_hash());
    let _ = window_event_listener(leptos::ev::hashchange, move |_| {
        selected.set(selected_from_hash())
    });
    let run = RwSignal::new(0u32);
    let look = Look::new();
    let state = RwSignal::new(None::<Stream>);
    let parsed = Memo::new(move |_| {
        let name = selected.get();
        let json = catalog::EXAMPLES
            .iter()
            .chain(catalog::INVALID)
            .find(|(n, _)| *n == name)
            .map(|(_, j)| *j);
        json.map(|json| parse::dialogue(json).map_err(|p| (name, p)))
    });
    let restart = move |_| {
        if let Some(Ok(d)) = parsed.get_untracked() {
            storage::forget(&storage_key(&d.id));
        }
        run.update(|r| *r += 1);
    };
    let link = move |name: &'static str| {
        view! {
            <li>
                <a href=format!("#{name}") aria-current=move || (selected.get() == name).then_some("page")>{name}</a>
            </li>
        }
    };
    view! {
        <header class="pv-header">
            <h1>"Chinwag dialogue preview"</h1>
            <p>"Edit a file in " <code>"www/dialogues/"</code> " (or the site's " <code>"www/appearance.json"</code> ") and this page reloads with it."</p>
            <LookControls look />
        </header>
        <main class="pv-main">
            <nav class="pv-list" aria-label="Dialogues">
                <h2>"Dialogues"</h2>
                <ul>{catalog::EXAMPLES.iter().map(|(n, _)| link(n)).collect_view()}</ul>
                <h2>"Invalid fixtures"</h2>
                <ul>{catalog::INVALID.iter().map(|(n, _)| link(n)).collect_view()}</ul>
            </nav>
            <section class="pv-stage" aria-label="Widget preview">
                {move || {
                    run.track();
                    match parsed.get() {
                        Some(Ok(mut dialogue)) => {
                            let applied = look.apply(&mut dialogue);
                            view! { <Stage dialogue applied state /> }.into_any()
                        }
                        Some(Err((name, problems))) => {
                            state.set(None);
                            view! { <Problems name problems /> }.into_any()
                        }
                        None => view! { <p>"No dialogues in www/dialogues/."</p> }.into_any(),
                    }
                }}
            </section>
            <aside class="pv-state" aria-label="Engine state">
                <div class="pv-state-head">
                    <h2>"Engine state"</h2>
                    <button on:click=restart>"Restart dialogue"</button>
                </div>
                {move || match parsed.get() {
                    Some(Ok(dialogue)) => view! { <StatePanel dialogue state /> }.into_any(),
                    _ => view! { <p>"No dialogue running."</p> }.into_any(),
                }}
            </aside>
        </main>
    }
}

/// Mounts the widget, in its own shadow root, into a fresh host element.
#[component]
fn Stage(dialogue: ValidDialogue, applied: look::Applied, state: RwSignal<Option<Stream>>) -> impl IntoView {
    let host = NodeRef::<html::Div>::new();
    let handle = StoredValue::new_local(None);
    host.on_load(move |host| {
        let key = storage_key(&dialogue.id);
        let visitor = VisitorContext {
            page_url: window().location().href().unwrap_or_default(),
            locale: applied.locale,
            teams_available: Vec::new(),
            ..Default::default()
        };
        let options = WidgetOptions {
            dialogue,
            visitor,
            storage_key: Some(key),
            typing: Typing::default(),
            transport: Some(Rc::new(PreviewAgent::default())),
            placement: Placement::Inline,
            open: true,
            on_change: Some(Rc::new(move |s: &Stream| {
                state.try_set(Some(s.clone()));
            })),
            strings: applied.strings,
            css: applied.css,
            greeting: applied.greeting,
            emit: None,
            // The meeting card books against an in-page stand-in (`meeting::stand_in`),
            // for this site: no real site id has parentheses.
            server: Some((String::new(), "(preview)".into())),
        };
        match mount(&host, options) {
            Ok(mounted) => handle.set_value(Some(mounted)),
            Err(e) => web_sys::console::error_1(&e),
        }
    });
    on_cleanup(move || handle.set_value(None));
    view! { <div class="pv-host" node_ref=host></div> }
}

#[component]
fn Problems(name: String, problems: Vec<Problem>) -> impl IntoView {
    view! {
        <div class="pv-problems" role="alert">
            <h2>{format!("{name}.json has {} problem(s)", problems.len())}</h2>
            <ul>
                {problems.into_iter().map(|p| view! {
                    <li><code>{p.path}</code> ": " {p.message}</li>
                }).collect_view()}
            </ul>
        </div>
    }
}
