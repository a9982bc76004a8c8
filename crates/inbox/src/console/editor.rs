//! A dialogue's editor: the stream designer (`designer.rs`) and the file as text, one
//! draft under both, with the validator running as you type (the dialogue crate,
//! compiled in: no second copy of any rule), its problems said in words about the
//! cards (each jumps to its card, marked in the tree; the paths stay in the file view),
//! save (refused with the other change when someone saved meanwhile: what was typed
//! stays), publish what is shown (saved first), versions compared card by card, restore
//! (asked first, loaded into the editor), on and off. Leaving with unsaved changes asks.

use super::card_panel::People;
use super::designer::{focus_node, Designer};
use super::diff::{cards, hunks, lines, Change, Difference};
use super::draft::Draft;
use super::metrics::Metrics;
use super::preview::Preview;
use super::said_line;
use super::targeting::TargetingForm;
use super::test_visitors::TestVisitors;
use super::words::in_words;
use crate::api::{call, exchange};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{json, Value};
use wasm_bindgen::JsCast;

/// A dialogue to start from when there is none yet.
fn template(id: &str) -> String {
    format!(
        "{{\n  \"version\": 1,\n  \"id\": \"{id}\",\n  \"name\": \"{id}\",\n  \"stream\": [\n    {{ \"type\": \"message\", \"text\": \"Hello!\" }}\n  ]\n}}\n"
    )
}

#[component]
pub fn Editor(
    site: String,
    id: String,
    csrf: String,
    on_close: Callback<()>,
    /// The body a new dialogue starts from (a template or a copy); none: one message.
    start: Option<String>,
) -> impl IntoView {
    let body = RwSignal::new(String::new());
    let draft = Draft::new(body);
    let people = RwSignal::new(People::default());
    // The funnel of the version the metrics show: its numbers go on the designer's cards.
    let funnel = RwSignal::new(Vec::<Value>::new());
    spawn_local(async move {
        if let Ok(d) = call::<Value>("GET", "/api/directory", None, "").await {
            people.set(People::from_directory(&d));
        }
    });
    let revision = RwSignal::new(0i64);
    // The text as the server has it: anything else in the editor is unsaved.
    let saved = RwSignal::new(None::<String>);
    let dirty = Memo::new(move |_| saved.with(|s| body.with(|b| s.as_deref() != Some(b.as_str()))));
    // The site's dialogues as visitors get them, for "Does this page show it?".
    let site_list = RwSignal::new(Vec::<Value>::new());
    {
        let site = site.clone();
        spawn_local(async move {
            site_list.set(
                call("GET", &format!("/api/sites/{site}/dialogues"), None, "")
                    .await
                    .unwrap_or_default(),
            )
        });
    }
    let said = RwSignal::new(None::<Result<String, String>>);
    let theirs = RwSignal::new(None::<Value>);
    let versions = RwSignal::new(Vec::<Value>::new());
    let status = RwSignal::new(String::new());
    // A version's body beside the editor's text: (version, body).
    let compared = RwSignal::new(None::<(i64, String)>);
    let tested_url = RwSignal::new(String::new());
    let base = format!("/api/sites/{site}/dialogues/{id}");
    let csrf = StoredValue::new(csrf);
    // Only the newest request's answer is shown: an older one arriving late (a publish
    // right after another) would mark a version live that no longer is. A failed
    // answer keeps the list shown.
    let asked = StoredValue::new(0u32);
    let load_versions = {
        let base = base.clone();
        move || {
            let base = base.clone();
            asked.update_value(|n| *n += 1);
            let this = asked.get_value();
            spawn_local(async move {
                let answer = call("GET", &format!("{base}/versions"), None, "").await;
                if let (Ok(list), Some(true)) = (answer, asked.try_with_value(|n| *n == this)) {
                    versions.set(list);
                }
            });
        }
    };
    {
        let (base, id) = (base.clone(), id.clone());
        spawn_local(async move {
            match call::<Value>("GET", &base, None, "").await {
                Ok(d) => {
                    let text = d["body"].as_str().unwrap_or_default().to_owned();
                    // A published body with no draft yet is what the server has too.
                    saved.set(Some(text.clone()));
                    // What the marketer typed before the answer came is kept (it then
                    // shows as unsaved), never replaced.
                    if body.with_untracked(String::is_empty) {
                        body.set(text);
                    }
                    revision.set(d["revision"].as_i64().unwrap_or(0));
                    status.set(d["published"]["status"].as_str().unwrap_or("draft").to_owned());
                }
                Err(_) => {
                    if body.with_untracked(String::is_empty) {
                        body.set(start.unwrap_or_else(|| template(&id)));
                    }
                    status.set("draft".into());
                }
            }
            draft.replaced();
        });
    }
    load_versions();
    // Each problem: (the card it concerns, in words, the path, the validator's message).
    let found = Memo::new(move |_| {
        draft.checked.with(|c| match c {
            Ok(_) => Vec::new(),
            Err(found) => draft.with_value(|doc| {
                let empty = Value::Null;
                let doc = doc.unwrap_or(&empty);
                found
                    .iter()
                    .map(|p| {
                        (
                            in_words(doc, &p.path, &p.message),
                            p.path.clone(),
                            p.message.clone(),
                        )
                    })
                    .collect::<Vec<_>>()
            }),
        })
    });
    // What the tree marks: the card of each problem, with its words.
    let marks = Memo::new(move |_| {
        found.with(|f| {
            f.iter()
                .filter_map(|(w, _, _)| Some((w.card.clone()?, w.text.clone())))
                .collect::<Vec<_>>()
        })
    });
    // The name the editor's own confirmations and the leave guard use.
    let shown_name = {
        let id = id.clone();
        move || {
            draft
                .with_value(|v| v.and_then(|v| v["name"].as_str().map(str::to_owned)))
                .filter(|n| !n.trim().is_empty())
                .unwrap_or_else(|| id.clone())
        }
    };
    {
        let shown_name = shown_name.clone();
        Effect::new(move |_| super::set_unsaved(dirty.get().then(&shown_name)));
    }
    on_cleanup(|| super::set_unsaved(None));
    // Closing the tab with unsaved changes: the browser asks.
    let unload = window_event_listener_untyped("beforeunload", move |e| {
        if dirty.get_untracked() {
            e.prevent_default();
            if let Some(e) = e.dyn_ref::<web_sys::BeforeUnloadEvent>() {
                e.set_return_value("unsaved");
            }
        }
    });
    on_cleanup(move || unload.remove());
    let save = {
        let base = base.clone();
        move || {
            let text = body.get_untracked();
            let payload = json!({ "body": text, "revision": revision.get_untracked() }).to_string();
            let base = base.clone();
            spawn_local(async move {
                let r = gloo_net::http::Request::put(&format!("{base}/draft"))
                    .header("content-type", "application/json")
                    .header("x-csrf-token", &csrf.get_value())
                    .body(payload);
                let Ok(r) = r else { return };
                match r.send().await {
                    Ok(response) => {
                        let answer: Value = response.json().await.unwrap_or(Value::Null);
                        match response.status() {
                            200 => {
                                revision.set(answer["revision"].as_i64().unwrap_or(0));
                                saved.set(Some(text));
                                theirs.set(None);
                                said.set(Some(Ok(format!(
                                    "Draft saved (revision {}).",
                                    revision.get_untracked()
                                ))));
                            }
                            409 => {
                                said.set(Some(Err(answer["error"]
                                    .as_str()
                                    .unwrap_or("saved meanwhile")
                                    .to_owned())));
                                theirs.set(Some(answer["current"].clone()));
                            }
                            _ => said.set(Some(Err(answer["error"]
                                .as_str()
                                .unwrap_or("not saved")
                                .to_owned()))),
                        }
                    }
                    Err(_) => said.set(Some(Err(
                        "the server cannot be reached: your text is kept here".into()
                    ))),
                }
            });
        }
    };
    // A refused publish or restore: why, and someone else's change beside ours (409).
    let refused = move |verb: &str, answer: Result<(u16, Value), String>| match answer {
        Ok((409, v)) => {
            said.set(Some(Err(format!(
                "{verb}: {}",
                v["error"].as_str().unwrap_or("saved meanwhile")
            ))));
            theirs.set(Some(v["current"].clone()));
        }
        Ok((_, v)) => said.set(Some(Err(format!(
            "{verb}: {}",
            v["error"].as_str().unwrap_or("the server refused it")
        )))),
        Err(e) => said.set(Some(Err(format!("{verb}: {e}. Your text is kept here.")))),
    };
    // Publishes what the editor shows: the server saves it on the editor's revision,
    // then publishes that (a stale revision refuses both, with the other change).
    let publish = {
        let base = base.clone();
        let load_versions = load_versions.clone();
        move || {
            let count = found.with_untracked(Vec::len);
            if count > 0 {
                said.set(Some(Err(format!(
                    "Not published: fix the {} below first. Your changes are kept here.",
                    if count == 1 {
                        "problem".to_owned()
                    } else {
                        format!("{count} problems")
                    }
                ))));
                return;
            }
            let text = body.get_untracked();
            // Unchanged since the last save: publish that revision as it is.
            let payload = match dirty.get_untracked() {
                true => json!({ "revision": revision.get_untracked(), "body": text }),
                false => json!({ "revision": revision.get_untracked() }),
            }
            .to_string();
            let base = base.clone();
            let load_versions = load_versions.clone();
            spawn_local(async move {
                match exchange(
                    "POST",
                    &format!("{base}/publish"),
                    Some(payload),
                    &csrf.get_value(),
                )
                .await
                {
                    Ok((200, v)) => {
                        revision.set(v["revision"].as_i64().unwrap_or(0));
                        saved.set(Some(text));
                        said.set(Some(Ok(format!("Published as version {}.", v["version"]))));
                        status.set("published".into());
                        load_versions();
                    }
                    other => refused("Not published", other),
                }
            });
        }
    };
    // Restore asks first, then publishes that version again and loads it here.
    let restore = {
        let base = base.clone();
        let load_versions = load_versions.clone();
        let shown_name = shown_name.clone();
        move |n: i64| {
            let lose = if dirty.get_untracked() {
                " Your unsaved changes here are replaced by it."
            } else {
                ""
            };
            let sure = window()
                .confirm_with_message(&format!(
                    "Publish version {n} of “{}” again? Visitors get it at once, and the editor loads it.{lose}",
                    shown_name()
                ))
                .unwrap_or(false);
            if !sure {
                return;
            }
            let base = base.clone();
            let load_versions = load_versions.clone();
            let payload = json!({ "revision": revision.get_untracked() }).to_string();
            spawn_local(async move {
                match exchange(
                    "POST",
                    &format!("{base}/versions/{n}/restore"),
                    Some(payload),
                    &csrf.get_value(),
                )
                .await
                {
                    Ok((200, v)) => {
                        let text = v["body"].as_str().unwrap_or_default().to_owned();
                        saved.set(Some(text.clone()));
                        body.set(text);
                        draft.replaced();
                        revision.set(v["revision"].as_i64().unwrap_or(0));
                        status.set("published".into());
                        compared.set(None);
                        said.set(Some(Ok(format!(
                            "Version {n} published again as version {}: the editor shows it.",
                            v["version"]
                        ))));
                        load_versions();
                    }
                    other => refused("Not restored", other),
                }
            });
        }
    };
    let toggle = {
        let base = base.clone();
        move || {
            let next = if status.get_untracked() == "off" {
                "published"
            } else {
                "off"
            };
            let base = base.clone();
            spawn_local(async move {
                let payload = json!({ "status": next }).to_string();
                match call::<Value>("PUT", &format!("{base}/status"), Some(payload), &csrf.get_value()).await
                {
                    Ok(_) => status.set(next.into()),
                    Err(e) => said.set(Some(Err(e))),
                }
            });
        }
    };
    let compare = {
        let base = base.clone();
        move |n: i64| {
            let base = base.clone();
            spawn_local(async move {
                if let Ok(v) = call::<Value>("GET", &format!("{base}/versions/{n}"), None, "").await {
                    compared.set(Some((n, v["body"].as_str().unwrap_or_default().to_owned())));
                }
            });
        }
    };
    let compare = StoredValue::new(compare);
    // A dialogue file from disk: into the editor, where its problems show at once.
    let import = move |e: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&e);
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        spawn_local(async move {
            if let Ok(text) = wasm_bindgen_futures::JsFuture::from(file.text()).await {
                body.set(text.as_string().unwrap_or_default());
                draft.replaced();
                said.set(Some(Ok(format!(
                    "Imported {}: save the draft to keep it.",
                    file.name()
                ))));
            }
        });
    };
    let (save, publish, toggle) = (
        StoredValue::new(save),
        StoredValue::new(publish),
        StoredValue::new(toggle),
    );
    let restore = StoredValue::new(restore);
    // A problem's card, selected and focused in the tree.
    let jump = move |card: String| focus_node(draft, card);
    let leave = move || {
        if super::may_leave() {
            on_close.run(());
        }
    };
    let name_value = move || {
        draft
            .with_value(|v| v.and_then(|v| v["name"].as_str().map(str::to_owned)))
            .unwrap_or_default()
    };
    let page_answer = {
        move || {
            let url = tested_url.get();
            if url.trim().is_empty() {
                return Vec::new();
            }
            let off = status.get() == "off";
            draft.with_value(|v| match v {
                None => vec!["Fix the file first.".to_owned()],
                Some(v) => site_list.with(|list| super::page_answer::page_answer(&url, v, list, off)),
            })
        }
    };
    view! {
        <div class="editor">
            <div class="row">
                <button on:click=move |_| leave()>"← All dialogues"</button>
                <h3 class="sr-only">{let shown_name = shown_name.clone(); move || format!("Editing “{}”", shown_name())}</h3>
                <label class="dialogue-name">"Name "
                    <input prop:value=name_value on:input=move |e| draft.write("name", json!(event_target_value(&e))) />
                </label>
                <code class="dialogue-id" title="Its id, in the file and the API">{id.clone()}</code>
                <span class="status">{move || status.get()}</span>
                <span class="unsaved" role="status">{move || dirty.get().then_some("Unsaved changes")}</span>
                <button on:click=move |_| save.with_value(|f| f())>"Save draft"</button>
                <button class="primary" on:click=move |_| publish.with_value(|f| f())>"Publish"</button>
                <button on:click=move |_| toggle.with_value(|f| f())>{move || if status.get() == "off" { "Switch on" } else { "Switch off" }}</button>
                <a class="button" href=format!("{base}/file")>"Export file"</a>
                <label class="import">"Import file " <input type="file" accept=".json,application/json" on:change=import /></label>
            </div>
            {move || said_line(said.get())}
            {move || theirs.get().map(|t| {
                let their_body = t["body"].as_str().unwrap_or_default().to_owned();
                let their_revision = t["revision"].as_i64().unwrap_or(0);
                view! {
                    <div class="conflict">
                        <p>"Your text is kept in the editor. Their saved version (revision " {their_revision} "):"</p>
                        <pre tabindex="0">{their_body.clone()}</pre>
                        <button on:click=move |_| { saved.set(Some(their_body.clone())); body.set(their_body.clone()); draft.replaced(); revision.set(their_revision); theirs.set(None); }>"Take theirs"</button>
                        <button on:click=move |_| { revision.set(their_revision); theirs.set(None); save.with_value(|f| f()); }>"Keep mine (save over theirs)"</button>
                    </div>
                }
            })}
            <div class="design-and-preview">
                <Designer draft problems=marks people=people.into() funnel=funnel.into() />
                <Preview draft site=site.clone() />
            </div>
            <h4>{move || match found.with(Vec::len) { 0 => "No problems".to_owned(), 1 => "1 problem".to_owned(), n => format!("{n} problems") }}</h4>
            <ul class="problems" aria-live="polite">
                {move || found.get().into_iter().map(|(words, _, _)| match words.card {
                    Some(card) => view! { <li><button type="button" class="link" on:click=move |_| jump(card.clone())>{words.text}</button></li> }.into_any(),
                    None => view! { <li>{words.text}</li> }.into_any(),
                }).collect_view()}
            </ul>
            <Metrics base=base.clone() funnel />
            <TargetingForm draft />
            <TestVisitors draft base=base.clone() csrf=csrf.get_value() />
            <div class="editor-panes">
                <div>
                    <label for="dialogue-file">"Dialogue file (JSON): checked as you type"</label>
                    <textarea id="dialogue-file" spellcheck="false" rows="24" prop:value=body on:input=move |e| { body.set(event_target_value(&e)); draft.replaced(); }></textarea>
                    <ul class="file-problems" aria-label="Problems by their place in the file">
                        {move || found.get().into_iter().map(|(_, path, message)| view! { <li><code>{path}</code> ": " {message}</li> }).collect_view()}
                    </ul>
                </div>
                <div>
                    <label for="url-tester">"Does this page show it? Type an address of your site"</label>
                    <input id="url-tester" type="url" placeholder="https://www.example.com/pricing?plan=pro" prop:value=tested_url on:input=move |e| tested_url.set(event_target_value(&e)) />
                    <div class="url-answer" role="status">{move || page_answer().into_iter().map(|line| view! { <p>{line}</p> }).collect_view()}</div>
                    <h4>"Versions"</h4>
                    // Keyed by version: a list reloaded after a publish inserts the new
                    // row, so a focused "Compare version 1" stays version 1's instead of
                    // becoming the new first row's; which one is live is read as it changes.
                    <ul class="versions">
                        <For each=move || versions.get() key=|v| v["version"].as_i64() children=move |v| {
                            let n = v["version"].as_i64().unwrap_or(0);
                            let live = move || versions.with(|all| all.iter().any(|v| v["version"].as_i64() == Some(n) && v["live"].as_bool() == Some(true)));
                            let when = crate::meetings::local_time(v["created_at"].as_i64().unwrap_or(0) / 1000);
                            view! {
                                <li class:live=live>
                                    {format!("v{n} by {} on {when} ", v["author"].as_str().unwrap_or("?"))}
                                    {move || live().then(|| view! { <strong class="live-badge">"Live: visitors get this one"</strong> " " })}
                                    <button on:click=move |_| compare.with_value(|f| f(n)) aria-label=format!("Compare version {n} with the editor")>"Compare"</button>
                                    " "
                                    {move || (!live()).then(|| view! { <button on:click=move |_| restore.with_value(|f| f(n)) aria-label=format!("Restore version {n}")>"Restore"</button> })}
                                </li>
                            }
                        } />
                    </ul>
                    {move || compared.get().map(|(n, old)| {
                        let new = body.get();
                        let in_cards = match (serde_json::from_str::<Value>(&old), serde_json::from_str::<Value>(&new)) {
                            (Ok(a), Ok(b)) => Some(cards(&a, &b)),
                            _ => None,
                        };
                        let all = lines(&old, &new);
                        let shown = hunks(&all, 2);
                        let same = shown.is_empty();
                        view! {
                            <h4>{format!("Version {n} → the editor")}</h4>
                            {same.then(|| view! { <p>"No difference."</p> })}
                            {in_cards.map(|list| view! {
                                <ul class="card-changes">
                                    {list.into_iter().map(|d| match d {
                                        // A name is quoted; a targeting line has its own quotes.
                                        Difference::Setting { what: "Name", from, to } => view! { <li class="changed">{format!("Name: “{from}” → “{to}”")}</li> }.into_any(),
                                        Difference::Setting { what, from, to } => view! { <li class="changed">{format!("{what}: {from} → {to}")}</li> }.into_any(),
                                        Difference::Changed { depth, from, to } => view! { <li class="changed" style=format!("margin-left: {}px", depth * 18)>"Changed: " {from} " → " {to}</li> }.into_any(),
                                        Difference::Added { depth, card } => view! { <li class="added" style=format!("margin-left: {}px", depth * 18)>"Added: " {card}</li> }.into_any(),
                                        Difference::Removed { depth, card } => view! { <li class="removed" style=format!("margin-left: {}px", depth * 18)>"Removed: " {card}</li> }.into_any(),
                                    }).collect_view()}
                                </ul>
                            })}
                            {(!same).then(|| view! {
                                <details class="file-diff">
                                    <summary>"The file's differences (JSON)"</summary>
                                    <pre class="diff" tabindex="0" aria-label=format!("Differences between version {n} and the editor, line by line")>
                                        {shown.into_iter().map(|line| match line {
                                            None => view! { <span class="gap">"…\n"</span> }.into_any(),
                                            Some((Change::Same, t)) => view! { <span>{format!("  {t}\n")}</span> }.into_any(),
                                            Some((Change::Added, t)) => view! { <ins>{format!("+ {t}\n")}</ins> }.into_any(),
                                            Some((Change::Removed, t)) => view! { <del>{format!("- {t}\n")}</del> }.into_any(),
                                        }).collect_view()}
                                    </pre>
                                </details>
                            })}
                        }
                    })}
                </div>
            </div>
        </div>
    }
}
