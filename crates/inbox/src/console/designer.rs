//! The stream designer: the dialogue as a tree (cards in order, each answer's and
//! branch side's cards nested under it) with the validator's problems on their cards;
//! add, move (drag, or Alt+↑/↓ and the buttons), duplicate and remove cards; undo and
//! redo (also Ctrl+Z / Ctrl+Shift+Z in the tree); search cards by their text; the
//! selected card's settings in the side panel. The card with the keyboard focus is the
//! selected one, so the keys act on what the keyboard user is on.

use super::card_panel::{card_panel, People};
use super::draft::Draft;
use super::stream_edit::{self as edit, KINDS};
use super::tree::{nodes, Node};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The tree item's element id for a node path.
pub fn node_id(path: &str) -> String {
    let mut id = String::from("node-");
    for c in path.chars() {
        id.push(if c.is_ascii_alphanumeric() { c } else { '-' });
    }
    id
}

/// Selects the node at `path` and moves the keyboard focus to it (after the tree is
/// drawn again).
pub fn focus_node(draft: Draft, path: String) {
    draft.selected.set(Some(path.clone()));
    request_animation_frame(move || {
        if let Some(el) = document()
            .get_element_by_id(&node_id(&path))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
}

#[component]
pub fn Designer(
    draft: Draft,
    /// (the card's path, the problem in words) for each problem on a card.
    problems: Memo<Vec<(String, String)>>,
    people: Signal<People>,
    /// The metrics' funnel: each card shows its numbers (by path, when the card there is
    /// still of the same kind as in the version the numbers are from).
    funnel: Signal<Vec<serde_json::Value>>,
) -> impl IntoView {
    let numbers = move |n: &Node| {
        funnel.with(|f| {
            f.iter()
                .find(|s| s["card"] == n.path.as_str() && s["kind"] == n.kind.as_str())
                .map(super::metrics::card_numbers)
        })
    };
    let tree = Memo::new(move |_| draft.with_value(|v| v.map(nodes).unwrap_or_default()));
    let query = RwSignal::new(String::new());
    let adding = RwSignal::new("message".to_owned());
    let dragged = StoredValue::new(None::<String>);
    let selected_node = move || {
        let path = draft.selected.get()?;
        tree.with(|t| t.iter().find(|n| n.path == path).cloned())
    };
    let add = move |_| {
        let (list, index) = selected_node().map_or(("stream".into(), usize::MAX), |n| n.place(true));
        let card = edit::new_card(&adding.get_untracked());
        draft.edit(move |d| edit::insert(d, &list, index, card).map(Some));
    };
    let on_card = move |change: fn(&mut serde_json::Value, &str) -> Result<Option<String>, String>| {
        let Some(n) = selected_node().filter(Node::is_card) else {
            draft.note.set(Some("Select a card in the tree first.".into()));
            return;
        };
        draft.edit(move |d| change(d, &n.path));
        if let Some(path) = draft.selected.get_untracked() {
            focus_node(draft, path);
        }
    };
    let up = move |d: &mut serde_json::Value, p: &str| edit::shift(d, p, -1).map(Some);
    let down = move |d: &mut serde_json::Value, p: &str| edit::shift(d, p, 1).map(Some);
    let copy = move |d: &mut serde_json::Value, p: &str| edit::duplicate(d, p).map(Some);
    let remove = move |d: &mut serde_json::Value, p: &str| edit::remove(d, p).map(|_| None);
    let confirm_remove = move || {
        let asked = window()
            .confirm_with_message("Remove this card and every card under it? (Undo brings it back.)")
            .unwrap_or(false);
        if asked {
            on_card(remove);
            draft.selected.set(None);
        }
    };
    let keys = move |e: leptos::ev::KeyboardEvent| {
        let ctrl = e.ctrl_key() || e.meta_key();
        match (e.key().as_str(), e.alt_key(), ctrl, e.shift_key()) {
            ("ArrowUp", true, _, _) => on_card(up),
            ("ArrowDown", true, _, _) => on_card(down),
            ("z" | "Z", _, true, false) => draft.undo(),
            ("z" | "Z", _, true, true) | ("y", _, true, _) => draft.redo(),
            ("Delete", false, false, _) => confirm_remove(),
            _ => return,
        }
        e.prevent_default();
    };
    let problem_titles = move |path: &str| {
        problems.with(|f| {
            f.iter()
                .filter(|(p, _)| p == path)
                .map(|(_, t)| t.clone())
                .collect::<Vec<_>>()
                .join("\n")
        })
    };
    let matches = move |n: &Node| {
        let q = query.get().trim().to_lowercase();
        !q.is_empty() && n.label.to_lowercase().contains(&q)
    };
    let find = move |e: leptos::ev::KeyboardEvent| {
        if e.key() == "Enter" {
            e.prevent_default();
            if let Some(n) = tree.with_untracked(|t| t.iter().find(|n| matches(n)).cloned()) {
                focus_node(draft, n.path);
            }
        }
    };
    // Each problem is marked on the one card it concerns (`words::in_words` chose it).
    let marked = move |n: &Node| problems.with(|f| f.iter().filter(|(p, _)| p == &n.path).count());
    view! {
        <div class="designer">
            <div class="row designer-tools" role="toolbar" aria-label="Cards">
                <label for="add-kind">"New card"</label>
                <select id="add-kind" on:change=move |e| adding.set(event_target_value(&e))>
                    {KINDS.into_iter().map(|(k, name)| view! { <option value=k>{name}</option> }).collect_view()}
                </select>
                <button type="button" on:click=add>"Add card"</button>
                <button type="button" on:click=move |_| on_card(up)>"Move up"</button>
                <button type="button" on:click=move |_| on_card(down)>"Move down"</button>
                <button type="button" on:click=move |_| on_card(copy)>"Duplicate"</button>
                <button type="button" on:click=move |_| confirm_remove()>"Remove"</button>
                <button type="button" disabled=move || !draft.can_undo() on:click=move |_| draft.undo()>"Undo"</button>
                <button type="button" disabled=move || !draft.can_redo() on:click=move |_| draft.redo()>"Redo"</button>
            </div>
            <div class="row">
                <label for="card-search">"Find a card"</label>
                <input id="card-search" type="search" placeholder="Text on the card; Enter selects the first" prop:value=query on:input=move |e| query.set(event_target_value(&e)) on:keydown=find />
                <span role="status" class="hint">{move || {
                    let q = query.get();
                    if q.trim().is_empty() { return String::new(); }
                    match tree.with(|t| t.iter().filter(|n| matches(n)).count()) { 0 => "No card has that text.".into(), 1 => "1 card".into(), n => format!("{n} cards") }
                }}</span>
            </div>
            {move || draft.note.get().map(|t| view! { <p role="alert" class="said error">{t}</p> })}
            <div class="designer-panes">
                <ol class="tree" aria-label="Stream (select a card; Alt+↑/↓ moves it, Delete removes it)" on:keydown=keys>
                    {move || tree.get().into_iter().map(|n| {
                        let count = marked(&n);
                        let path = n.path.clone();
                        let is_selected = { let path = path.clone(); move || draft.selected.get().as_deref() == Some(&path) };
                        let class = format!("{}{}{}", if count > 0 { "has-problem " } else { "" }, if matches(&n) { "match " } else { "" }, if n.is_card() { "step" } else { "side" });
                        let style = format!("margin-left: {}px", n.depth * 18);
                        let (drag_from, drop_on, pick) = (path.clone(), n.clone(), path.clone());
                        view! {
                            <li style=style class=class draggable=if n.is_card() { "true" } else { "false" }
                                on:dragstart=move |_| dragged.set_value(Some(drag_from.clone()))
                                on:dragover=move |e| e.prevent_default()
                                on:drop=move |e| {
                                    e.prevent_default();
                                    if let Some(from) = dragged.get_value() {
                                        let (list, index) = drop_on.place(false);
                                        draft.edit(move |d| edit::move_to(d, &from, &list, index).map(Some));
                                    }
                                    dragged.set_value(None);
                                }>
                                <button type="button" class="node" id=node_id(&path) aria-pressed=move || is_selected().to_string()
                                    on:focus={ let pick = pick.clone(); move |_| draft.selected.set(Some(pick.clone())) }
                                    on:click=move |_| draft.selected.set(Some(pick.clone()))>
                                    <span class="kind">{n.kind.replace('_', " ")}</span> " " {n.label.clone()}
                                    {(count > 0).then(|| view! { <span class="problem-mark" title=problem_titles(&n.path)>{format!(" ⚠ {count}")}</span> })}
                                    {numbers(&n).map(|line| view! { <span class="card-numbers">{line}</span> })}
                                </button>
                            </li>
                        }
                    }).collect_view()}
                </ol>
                <div class="panel-slot">
                    {move || {
                        draft.shape.track();
                        match draft.selected.get() {
                        Some(path) if tree.with_untracked(|t| t.iter().any(|n| n.path == path)) => card_panel(draft, path, people.get()).into_any(),
                        _ => view! { <p class="hint">"Select a card to edit it, or add one: it goes after the selected card (or into the selected answer or branch side)."</p> }.into_any(),
                    }}}
                </div>
            </div>
        </div>
    }
}
