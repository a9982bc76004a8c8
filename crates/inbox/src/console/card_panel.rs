//! The side panel: the selected card's settings as a form (texts per locale with the
//! default first, answers, fields, routing with agents and teams picked from lists,
//! meeting hosts and length, goto targets picked from the cards that exist). Every
//! change writes the draft, so the validator and the tree follow as you type.

use super::draft::Draft;
use super::stream_edit::card_ids;
use leptos::prelude::*;
use serde_json::{json, Value};

/// Agents and teams, for routing and meeting hosts.
#[derive(Clone, Default)]
pub struct People {
    pub agents: Vec<(String, String)>,
    pub teams: Vec<(String, String)>,
}

impl People {
    pub fn from_directory(d: &Value) -> People {
        let pairs = |list: &Value| {
            list.as_array()
                .into_iter()
                .flatten()
                .filter_map(|x| {
                    let id = x["id"].as_str()?.to_owned();
                    let name = x["name"].as_str().unwrap_or(&id).to_owned();
                    Some((id, name))
                })
                .collect()
        };
        People {
            agents: pairs(&d["agents"]),
            teams: pairs(&d["teams"]),
        }
    }
}

const FIELD_KINDS: [&str; 7] = [
    "first_name",
    "last_name",
    "email",
    "phone",
    "company",
    "job_title",
    "custom",
];
const ROUTES: [(&str, &str); 4] = [
    ("round_robin", "Next available agent (round robin)"),
    ("agent", "One agent"),
    ("team", "A team (round robin inside it)"),
    ("rules", "Rules (first that holds)"),
];

/// An id for a form control from a draft path (`stream[0].text` → `f-stream-0--text`).
fn control_id(path: &str) -> String {
    let mut id = String::from("f-");
    for c in path.chars() {
        id.push(if c.is_ascii_alphanumeric() { c } else { '-' });
    }
    id
}

/// How a text is asked for.
#[derive(Clone, Copy, PartialEq)]
enum Shape {
    /// A one-line box; empty is a problem the validator names.
    Line,
    /// A box of a few lines; empty is a problem the validator names.
    Lines,
    /// A box of a few lines the card may do without: emptied, the text is taken out.
    Optional,
}

/// A text of the card: one box, or one per locale (the dialogue's default first).
fn text_field(draft: Draft, label: &'static str, path: String, shape: Shape) -> impl IntoView {
    let multiline = shape != Shape::Line;
    let value = draft.read(&path);
    let default = draft.read("default_locale").as_str().unwrap_or("en").to_owned();
    let mut boxes: Vec<(String, String, String)> = match &value {
        Value::Object(map) => map
            .iter()
            .map(|(locale, t)| {
                (
                    format!("{path}.{locale}"),
                    format!("{label} ({locale})"),
                    t.as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect(),
        other => vec![(
            path.clone(),
            label.to_owned(),
            other.as_str().unwrap_or_default().to_owned(),
        )],
    };
    boxes.sort_by_key(|(p, _, _)| !p.ends_with(&format!(".{default}")));
    boxes
        .into_iter()
        .map(|(path, label, text)| {
            let id = control_id(&path);
            let write = move |e: leptos::ev::Event| {
                let typed = event_target_value(&e);
                // An emptied optional text is taken out rather than stored empty.
                let v = if typed.is_empty() && shape == Shape::Optional {
                    Value::Null
                } else {
                    json!(typed)
                };
                draft.write(&path, v)
            };
            let input = if multiline {
                view! { <textarea id=id.clone() rows="2" prop:value=text on:input=write></textarea> }
                    .into_any()
            } else {
                view! { <input id=id.clone() prop:value=text on:input=write /> }.into_any()
            };
            view! { <label for=id>{label}</label> {input} }
        })
        .collect_view()
}

fn select_field(
    draft: Draft,
    label: &'static str,
    path: String,
    options: Vec<(String, String)>,
    current: String,
) -> impl IntoView {
    let id = control_id(&path);
    // A choice can change what else the card asks: an undo step that redraws the panel.
    let on_change = move |e: leptos::ev::Event| {
        let (path, v) = (path.clone(), json!(event_target_value(&e)));
        draft.edit(move |d| super::stream_edit::set(d, &path, v).map(|()| None))
    };
    view! {
        <label for=id.clone()>{label}</label>
        <select id=id on:change=on_change prop:value=current.clone()>
            {(!options.iter().any(|(v, _)| *v == current)).then(|| view! { <option value="" selected>"Choose…"</option> })}
            {options.into_iter().map(|(v, name)| { let chosen = v == current; view! { <option value=v selected=chosen>{name}</option> } }).collect_view()}
        </select>
    }
}

/// Replaces a part of the card with another shape (an undo step; the panel follows).
fn replace(draft: Draft, path: &str, value: Value) {
    let path = path.to_owned();
    draft.edit(move |d| super::stream_edit::set(d, &path, value).map(|()| None))
}

/// The panel for the card at `path`.
pub fn card_panel(draft: Draft, path: String, people: People) -> impl IntoView {
    let card = draft.read(&path);
    let kind = card["type"].as_str().unwrap_or_default().to_owned();
    let p = |key: &str| format!("{path}.{key}");
    let heading = super::stream_edit::KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or("Answer", |(_, name)| name);
    let body = match kind.as_str() {
        "message" => text_field(draft, "Text", p("text"), Shape::Lines).into_any(),
        "end" => text_field(draft, "Text (optional)", p("text"), Shape::Optional).into_any(),
        "goal" => text_field(draft, "Goal name (in the metrics)", p("name"), Shape::Line).into_any(),
        "question" => view! {
            {text_field(draft, "Question", p("text"), Shape::Lines)}
            {answers(draft, &path, &card)}
        }
        .into_any(),
        "info_capture" => view! {
            {text_field(draft, "Text above the form (optional)", p("text"), Shape::Optional)}
            {fields(draft, &path, &card)}
        }
        .into_any(),
        "branch" => condition(draft, p("when"), &card["when"], "Go to “then” when").into_any(),
        "live_chat" => view! {
            {text_field(draft, "Text while connecting (optional)", p("text"), Shape::Optional)}
            {route(draft, &path, &card, &people)}
            {text_field(draft, "When nobody is available", p("fallback"), Shape::Lines)}
        }
        .into_any(),
        "meeting" => view! {
            {text_field(draft, "Text (optional)", p("text"), Shape::Optional)}
            {hosts(draft, &path, &card, &people)}
            <label for=control_id(&p("duration_minutes"))>"Length (minutes)"</label>
            <input id=control_id(&p("duration_minutes")) type="number" min="5" max="480" step="5"
                prop:value=card["duration_minutes"].as_i64().unwrap_or(30).to_string()
                on:input={ let d = p("duration_minutes"); move |e| draft.write(&d, json!(event_target_value(&e).parse::<i64>().unwrap_or(0))) } />
            {text_field(draft, "When no time is free", p("fallback"), Shape::Lines)}
        }
        .into_any(),
        "goto" => go_to(draft, &path, &card).into_any(),
        // An answer of a question.
        _ => text_field(draft, "Button label", p("label"), Shape::Line).into_any(),
    };
    let id_path = p("id");
    // A card's id shows only when a "go to" card needs it (it is given one when a go-to
    // card picks it): the marketer never has to invent ids.
    let current_id = card["id"].as_str().unwrap_or_default().to_owned();
    view! {
        <section class="card-panel" aria-labelledby="card-panel-title">
            <h4 id="card-panel-title">{heading}</h4>
            {body}
            {(!kind.is_empty() && !current_id.is_empty()).then(|| {
                let id = control_id(&id_path);
                view! {
                    <label for=id.clone()>"Its name for “go to” cards"</label>
                    <input id=id prop:value=current_id on:input=move |e| { let v = event_target_value(&e); draft.write(&id_path, if v.is_empty() { Value::Null } else { json!(v) }) } />
                }
            })}
        </section>
    }
}

/// A "go to" card's target, picked from every card by its words; a card picked that
/// has no id yet is given one made from its text.
fn go_to(draft: Draft, path: &str, card: &Value) -> impl IntoView {
    let doc = draft.peek().unwrap_or(Value::Null);
    let targets: Vec<(String, String, Option<String>)> = super::tree::nodes(&doc)
        .into_iter()
        .filter(|n| n.is_card() && n.path != path)
        .map(|n| {
            let id = super::stream_edit::get(&doc, &n.path).and_then(|c| c["id"].as_str().map(str::to_owned));
            (n.path.clone(), super::words::card_words(&n), id)
        })
        .collect();
    let to = card["to"].as_str().unwrap_or_default().to_owned();
    let chosen = targets
        .iter()
        .find(|(_, _, id)| id.as_deref() == Some(&to))
        .map(|(p, _, _)| p.clone());
    let control = control_id(&format!("{path}.to"));
    let to_path = format!("{path}.to");
    let on_change = {
        let targets = targets.clone();
        move |e: leptos::ev::Event| {
            let picked = event_target_value(&e);
            let Some((card_path, words, id)) = targets.iter().find(|(p, _, _)| *p == picked).cloned() else {
                return;
            };
            let to_path = to_path.clone();
            draft.edit(move |d| {
                let id = match id {
                    Some(id) => id,
                    None => {
                        let taken = card_ids(d);
                        let made = super::words::id_from_name(
                            words
                                .split('“')
                                .nth(1)
                                .unwrap_or(&words)
                                .trim_end_matches(['”', '…']),
                            &taken,
                        );
                        super::stream_edit::set(d, &format!("{card_path}.id"), json!(made))?;
                        made
                    }
                };
                super::stream_edit::set(d, &to_path, json!(id)).map(|()| None)
            })
        }
    };
    view! {
        <label for=control.clone()>"Go to the card"</label>
        <select id=control on:change=on_change>
            {chosen.is_none().then(|| view! { <option value="" selected>"Choose…"</option> })}
            {targets.into_iter().map(|(p, words, _)| { let selected = chosen.as_deref() == Some(&p); view! { <option value=p selected=selected>{words}</option> } }).collect_view()}
        </select>
    }
}

/// A click that adds `item` at the end of the list at `list`.
fn append(draft: Draft, list: String, item: Value) -> impl Fn(leptos::ev::MouseEvent) {
    move |_| {
        let (list, item) = (list.clone(), item.clone());
        draft.edit(move |d| super::stream_edit::insert(d, &list, usize::MAX, item).map(|_| None))
    }
}

/// A click that removes the list item at `at`.
fn take_out(draft: Draft, at: String) -> impl Fn(leptos::ev::MouseEvent) {
    move |_| {
        let at = at.clone();
        draft.edit(move |d| super::stream_edit::remove(d, &at).map(|_| None))
    }
}

fn answers(draft: Draft, path: &str, card: &Value) -> impl IntoView {
    let list = card["answers"].as_array().cloned().unwrap_or_default();
    let add = append(
        draft,
        format!("{path}.answers"),
        json!({ "label": "Another answer", "then": [] }),
    );
    view! {
        <fieldset>
            <legend>"Answer buttons"</legend>
            {list.iter().enumerate().map(|(i, _)| {
                let at = format!("{path}.answers[{i}]");
                let remove_at = at.clone();
                view! {
                    <div class="row">
                        {text_field(draft, "Button", format!("{at}.label"), Shape::Line)}
                        <button type="button" on:click=take_out(draft, remove_at)>"Remove answer " {i + 1}</button>
                    </div>
                }
            }).collect_view()}
            <button type="button" on:click=add>"Add an answer"</button>
        </fieldset>
    }
}

fn fields(draft: Draft, path: &str, card: &Value) -> impl IntoView {
    let list = card["fields"].as_array().cloned().unwrap_or_default();
    let add = append(draft, format!("{path}.fields"), json!({ "kind": "first_name" }));
    view! {
        <fieldset>
            <legend>"Form fields"</legend>
            {list.iter().enumerate().map(|(i, field)| {
                let at = format!("{path}.fields[{i}]");
                let kinds = FIELD_KINDS.iter().map(|k| (k.to_string(), k.replace('_', " "))).collect();
                let kind = field["kind"].as_str().unwrap_or_default().to_owned();
                let required = field["required"].as_bool().unwrap_or(true);
                let (req, remove_at) = (format!("{at}.required"), at.clone());
                let custom = kind == "custom";
                view! {
                    <div class="row field-row">
                        {select_field(draft, "Field", format!("{at}.kind"), kinds, kind)}
                        {custom.then(|| text_field(draft, "Saved as attribute", format!("{at}.attribute"), Shape::Line))}
                        <label class="switch"><input type="checkbox" prop:checked=required on:change=move |e| draft.write(&req, if event_target_checked(&e) { Value::Null } else { json!(false) }) /> " Required"</label>
                        <button type="button" on:click=take_out(draft, remove_at)>"Remove field " {i + 1}</button>
                    </div>
                }
            }).collect_view()}
            <button type="button" on:click=add>"Add a field"</button>
        </fieldset>
    }
}

/// A branch's condition: the one-attribute kinds as a form; others (all/any, page)
/// as their JSON, which the validator checks like the rest.
pub fn condition(draft: Draft, path: String, when: &Value, legend: &'static str) -> impl IntoView {
    let simple = ["is_empty", "is_not_empty", "equals", "contains"]
        .into_iter()
        .find(|op| when.get(op).is_some());
    match simple {
        Some(op) => {
            let attribute = match &when[op] {
                Value::String(a) => a.clone(),
                other => other["attribute"].as_str().unwrap_or_default().to_owned(),
            };
            let value = when[op]["value"].as_str().unwrap_or_default().to_owned();
            let ops = [
                ("is_not_empty", "is known"),
                ("is_empty", "is unknown"),
                ("equals", "equals"),
                ("contains", "contains"),
            ];
            let (attr_id, op_id, value_id) = (
                control_id(&format!("{path}-attribute")),
                control_id(&format!("{path}-op")),
                control_id(&format!("{path}-value")),
            );
            let write = move |op: String, attribute: String, value: String| {
                let condition = match op.as_str() {
                    "is_empty" | "is_not_empty" => json!({ op: attribute }),
                    _ => json!({ op: { "attribute": attribute, "value": value } }),
                };
                draft.write(&path, condition)
            };
            let (op_s, attr_s, value_s) = (
                StoredValue::new(op.to_owned()),
                StoredValue::new(attribute.clone()),
                StoredValue::new(value.clone()),
            );
            let write = StoredValue::new(write);
            let needs_value = !op.starts_with("is_");
            view! {
                <fieldset>
                    <legend>{legend}</legend>
                    <label for=attr_id.clone()>"Visitor attribute"</label>
                    <input id=attr_id prop:value=attribute on:input=move |e| { attr_s.set_value(event_target_value(&e)); write.with_value(|w| w(op_s.get_value(), attr_s.get_value(), value_s.get_value())) } />
                    <label for=op_id.clone()>"Test"</label>
                    <select id=op_id on:change=move |e| { op_s.set_value(event_target_value(&e)); write.with_value(|w| w(op_s.get_value(), attr_s.get_value(), value_s.get_value())); draft.replaced() }>
                        {ops.into_iter().map(|(v, name)| view! { <option value=v selected={v == op}>{name}</option> }).collect_view()}
                    </select>
                    {needs_value.then(|| view! {
                        <label for=value_id.clone()>"Value"</label>
                        <input id=value_id prop:value=value on:input=move |e| { value_s.set_value(event_target_value(&e)); write.with_value(|w| w(op_s.get_value(), attr_s.get_value(), value_s.get_value())) } />
                    })}

                </fieldset>
            }
            .into_any()
        }
        None => json_field(
            draft,
            "Condition (JSON: all, any, one_of, page_url_matches, team_available)",
            path,
            when,
        )
        .into_any(),
    }
}

/// A part of the card the form does not cover, as JSON: applied when it parses.
fn json_field(draft: Draft, label: &'static str, path: String, value: &Value) -> impl IntoView {
    let id = control_id(&path);
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    let bad = RwSignal::new(false);
    let on_input = move |e: leptos::ev::Event| match serde_json::from_str::<Value>(&event_target_value(&e)) {
        Ok(v) => {
            bad.set(false);
            draft.write(&path, v)
        }
        Err(_) => bad.set(true),
    };
    view! {
        <label for=id.clone()>{label}</label>
        <textarea id=id rows="6" spellcheck="false" class="json" prop:value=text
            aria-invalid=move || bad.get().to_string()
            on:input=on_input></textarea>
        {move || bad.get().then(|| view! { <p role="alert" class="hint error">"Not JSON yet: the card keeps its last valid value."</p> })}
    }
}

fn route(draft: Draft, path: &str, card: &Value, people: &People) -> impl IntoView {
    let route = &card["route"];
    let mode = route["mode"].as_str().unwrap_or("round_robin").to_owned();
    let rp = format!("{path}.route");
    let mode_path = rp.clone();
    let on_mode = move |e: leptos::ev::Event| {
        let next = event_target_value(&e);
        let value = match next.as_str() {
            "agent" => json!({ "mode": "agent", "agent": "" }),
            "team" => json!({ "mode": "team", "team": "" }),
            "rules" => {
                json!({ "mode": "rules", "rules": [{ "when": { "is_not_empty": "email" }, "to": { "team": "" } }] })
            }
            _ => json!({ "mode": "round_robin" }),
        };
        replace(draft, &mode_path, value)
    };
    let detail = match mode.as_str() {
        "agent" => select_field(
            draft,
            "Agent",
            format!("{rp}.agent"),
            people.agents.clone(),
            route["agent"].as_str().unwrap_or_default().to_owned(),
        )
        .into_any(),
        "team" => select_field(
            draft,
            "Team",
            format!("{rp}.team"),
            people.teams.clone(),
            route["team"].as_str().unwrap_or_default().to_owned(),
        )
        .into_any(),
        "rules" => json_field(
            draft,
            "Rules (JSON: when → to agent or team, in order)",
            format!("{rp}.rules"),
            &route["rules"],
        )
        .into_any(),
        _ => ().into_any(),
    };
    view! {
        <label for="route-mode">"Who gets the chat"</label>
        <select id="route-mode" on:change=on_mode>
            {ROUTES.into_iter().map(|(v, name)| view! { <option value=v selected={v == mode}>{name}</option> }).collect_view()}
        </select>
        {detail}
    }
}

fn hosts(draft: Draft, path: &str, card: &Value, people: &People) -> impl IntoView {
    let hosts = &card["hosts"];
    let hp = format!("{path}.hosts");
    if let Some(team) = hosts["team"].as_str() {
        return view! {
            {select_field(draft, "Hosts: team", format!("{hp}.team"), people.teams.clone(), team.to_owned())}
            <button type="button" on:click=move |_| replace(draft, &hp, json!({ "agents": [] }))>"Pick agents instead"</button>
        }
        .into_any();
    }
    let chosen: Vec<String> = hosts["agents"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a.as_str().map(str::to_owned))
        .collect();
    let chosen = StoredValue::new(chosen);
    let team_path = hp.clone();
    view! {
        <fieldset>
            <legend>"Hosts (round robin among those free)"</legend>
            {people.agents.clone().into_iter().map(|(id, name)| {
                let on = chosen.with_value(|c| c.contains(&id));
                let hp = hp.clone();
                view! {
                    <label class="switch"><input type="checkbox" prop:checked=on on:change=move |e| {
                        let checked = event_target_checked(&e);
                        chosen.update_value(|c| { c.retain(|x| x != &id); if checked { c.push(id.clone()) } });
                        draft.write(&format!("{hp}.agents"), json!(chosen.get_value()))
                    } /> " " {name}</label>
                }
            }).collect_view()}
            <button type="button" on:click=move |_| replace(draft, &team_path, json!({ "team": "" }))>"A team instead"</button>
        </fieldset>
    }
    .into_any()
}
