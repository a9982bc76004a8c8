//! A dialogue's editor: the stream designer (`designer.rs`) and the file as text, one
//! draft under both, with the validator running as you type (the dialogue crate,
//! compiled in: no second copy of any rule), its problems listed (each jumps to its
//! card) and marked on the card they concern in the tree, save (refused with the other change
//! when someone saved meanwhile: what was typed stays), publish, versions and rollback,
//! on and off.

use super::card_panel::People;
use super::designer::{focus_node, node_for, Designer};
use super::diff::{hunks, lines, Change};
use super::draft::Draft;
use super::metrics::Metrics;
use super::preview::Preview;
use super::said_line;
use super::targeting::TargetingForm;
use super::test_visitors::TestVisitors;
use super::tree::nodes;
use crate::api::call;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{json, Value};

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
    let said = RwSignal::new(None::<Result<String, String>>);
    let theirs = RwSignal::new(None::<Value>);
    let versions = RwSignal::new(Vec::<Value>::new());
    let status = RwSignal::new(String::new());
    // A version's body beside the editor's text: (version, body).
    let compared = RwSignal::new(None::<(i64, String)>);
    let tested_url = RwSignal::new(String::new());
    let base = format!("/api/sites/{site}/dialogues/{id}");
    let csrf = StoredValue::new(csrf);
    let load_versions = {
        let base = base.clone();
        move || {
            let base = base.clone();
            spawn_local(async move {
                versions.set(
                    call("GET", &format!("{base}/versions"), None, "")
                        .await
                        .unwrap_or_default(),
                )
            });
        }
    };
    {
        let (base, id) = (base.clone(), id.clone());
        spawn_local(async move {
            match call::<Value>("GET", &base, None, "").await {
                Ok(d) => {
                    body.set(d["body"].as_str().unwrap_or_default().to_owned());
                    revision.set(d["revision"].as_i64().unwrap_or(0));
                    status.set(d["published"]["status"].as_str().unwrap_or("draft").to_owned());
                }
                Err(_) => {
                    body.set(start.unwrap_or_else(|| template(&id)));
                    status.set("draft".into());
                }
            }
            draft.replaced();
        });
    }
    load_versions();
    let found = Memo::new(move |_| {
        draft.checked.with(|c| match c {
            Ok(_) => Vec::new(),
            Err(found) => found
                .iter()
                .map(|p| (p.path.clone(), p.message.clone()))
                .collect(),
        })
    });
    let save = {
        let base = base.clone();
        move || {
            let payload =
                json!({ "body": body.get_untracked(), "revision": revision.get_untracked() }).to_string();
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
    let publish = {
        let base = base.clone();
        let load_versions = load_versions.clone();
        move || {
            let payload = json!({ "revision": revision.get_untracked() }).to_string();
            let base = base.clone();
            let load_versions = load_versions.clone();
            spawn_local(async move {
                match call::<Value>(
                    "POST",
                    &format!("{base}/publish"),
                    Some(payload),
                    &csrf.get_value(),
                )
                .await
                {
                    Ok(v) => {
                        said.set(Some(Ok(format!("Published as version {}.", v["version"]))));
                        status.set("published".into());
                        load_versions();
                    }
                    Err(e) => said.set(Some(Err(format!("Not published: {e}")))),
                }
            });
        }
    };
    let restore = {
        let base = base.clone();
        let load_versions = load_versions.clone();
        move |n: i64| {
            let base = base.clone();
            let load_versions = load_versions.clone();
            spawn_local(async move {
                match call::<Value>(
                    "POST",
                    &format!("{base}/versions/{n}/restore"),
                    Some("{}".into()),
                    &csrf.get_value(),
                )
                .await
                {
                    Ok(v) => {
                        said.set(Some(Ok(format!(
                            "Version {n} published again as version {}.",
                            v["version"]
                        ))));
                        load_versions();
                    }
                    Err(e) => said.set(Some(Err(e))),
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
    let jump = move |problem: String| {
        let tree = draft.peek().map(|v| nodes(&v)).unwrap_or_default();
        if let Some(path) = node_for(&tree, &problem) {
            focus_node(draft, path);
        }
    };
    view! {
        <div class="editor">
            <div class="row">
                <button on:click=move |_| on_close.run(())>"← All dialogues"</button>
                <h3>{id.clone()}</h3>
                <span class="status">{move || status.get()}</span>
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
                        <pre>{their_body.clone()}</pre>
                        <button on:click=move |_| { body.set(their_body.clone()); draft.replaced(); revision.set(their_revision); theirs.set(None); }>"Take theirs"</button>
                        <button on:click=move |_| { revision.set(their_revision); theirs.set(None); save.with_value(|f| f()); }>"Keep mine (save over theirs)"</button>
                    </div>
                }
            })}
            <div class="design-and-preview">
                <Designer draft problems=found people=people.into() funnel=funnel.into() />
                <Preview draft site=site.clone() />
            </div>
            <h4>{move || match found.with(Vec::len) { 0 => "No problems".to_owned(), 1 => "1 problem".to_owned(), n => format!("{n} problems") }}</h4>
            <ul class="problems" aria-live="polite">
                {move || found.get().into_iter().map(|(path, message)| {
                    let at = path.clone();
                    view! { <li><button type="button" class="link" on:click=move |_| jump(at.clone())><code>{path}</code></button> ": " {message}</li> }
                }).collect_view()}
            </ul>
            <Metrics base=base.clone() funnel />
            <TargetingForm draft />
            <TestVisitors draft base=base.clone() csrf=csrf.get_value() />
            <div class="editor-panes">
                <div>
                    <label for="dialogue-file">"Dialogue file (JSON): checked as you type"</label>
                    <textarea id="dialogue-file" spellcheck="false" rows="24" prop:value=body on:input=move |e| { body.set(event_target_value(&e)); draft.replaced(); }></textarea>
                </div>
                <div>
                    <label for="url-tester">"Does this page show it? (targeting's page rules)"</label>
                    <input id="url-tester" type="url" placeholder="https://www.example.com/pricing?plan=pro" prop:value=tested_url on:input=move |e| tested_url.set(event_target_value(&e)) />
                    <p class="url-answer" role="status">{move || {
                        let url = tested_url.get();
                        if url.trim().is_empty() {
                            return String::new();
                        }
                        let targeting = draft.with_value(|v| v.map(|v| serde_json::from_value::<chinwag_dialogue::Targeting>(v["targeting"].clone()).unwrap_or_default()));
                        match targeting {
                            None => "Fix the file first.".into(),
                            Some(t) if t.targets_page(&url) => "Yes: its page rules let it start there (its audience and trigger still apply).".into(),
                            Some(_) => "No: none of its page rules matches this address.".into(),
                        }
                    }}</p>
                    <h4>"Versions"</h4>
                    <ul class="versions">
                        {move || versions.get().into_iter().map(|v| {
                            let n = v["version"].as_i64().unwrap_or(0);
                            let when = crate::meetings::local_time(v["created_at"].as_i64().unwrap_or(0) / 1000);
                            view! {
                                <li>
                                    {format!("v{n} by {} on {when} ", v["author"].as_str().unwrap_or("?"))}
                                    <button on:click=move |_| compare.with_value(|f| f(n))>"Compare"</button>
                                    " "
                                    <button on:click=move |_| restore.with_value(|f| f(n))>"Restore"</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    {move || compared.get().map(|(n, old)| {
                        let new = body.get();
                        let all = lines(&old, &new);
                        let shown = hunks(&all, 2);
                        view! {
                            <h4>{format!("Version {n} → the editor")}</h4>
                            {shown.is_empty().then(|| view! { <p>"No difference."</p> })}
                            <pre class="diff">
                                {shown.into_iter().map(|line| match line {
                                    None => view! { <span class="gap">"…\n"</span> }.into_any(),
                                    Some((Change::Same, t)) => view! { <span>{format!("  {t}\n")}</span> }.into_any(),
                                    Some((Change::Added, t)) => view! { <ins>{format!("+ {t}\n")}</ins> }.into_any(),
                                    Some((Change::Removed, t)) => view! { <del>{format!("- {t}\n")}</del> }.into_any(),
                                }).collect_view()}
                            </pre>
                        }
                    })}
                </div>
            </div>
        </div>
    }
}
