//! Search in the inbox (docs/inbox.md, "Search"): a box above the list; while it holds
//! words, the list shows the matching lines (messages, notes, visitors) with the words
//! marked, as text, never HTML; Enter or a click opens the conversation; Escape empties
//! the box.

use crate::api::call;
use crate::state::Inbox;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Deserialize;

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Hit {
    pub conversation: String,
    pub kind: String,
    pub text: String,
    pub visitor: String,
    /// Byte ranges of `text` to mark.
    pub marks: Vec<(usize, usize)>,
}

#[derive(Deserialize)]
struct Found {
    results: Vec<Hit>,
}

/// The line cut at its marks: each piece and whether it is marked. Ranges that are not
/// on character boundaries, out of order or past the end are left unmarked.
pub fn pieces(text: &str, marks: &[(usize, usize)]) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut at = 0;
    for &(start, end) in marks {
        let fits = at <= start && start < end && end <= text.len();
        if !fits || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            continue;
        }
        if at < start {
            out.push((text[at..start].to_owned(), false));
        }
        out.push((text[start..end].to_owned(), true));
        at = end;
    }
    if at < text.len() {
        out.push((text[at..].to_owned(), false));
    }
    out
}

/// The search box and, while it holds words, the results in place of the list.
#[component]
pub fn Search(inbox: Inbox, query: RwSignal<String>) -> impl IntoView {
    let results = RwSignal::new(None::<Result<Vec<Hit>, String>>);
    // Each search answers only if it is still the latest one asked.
    let asked = StoredValue::new(0u32);
    let run = move |q: String| {
        let n = asked.get_value() + 1;
        asked.set_value(n);
        if q.trim().is_empty() {
            results.set(None);
            return;
        }
        spawn_local(async move {
            let path = format!("/api/search?q={}", js_sys::encode_uri_component(&q));
            let answer = call::<Found>("GET", &path, None, "").await.map(|f| f.results);
            if asked.get_value() == n {
                results.set(Some(answer));
            }
        });
    };
    let open = move |id: String| {
        inbox.selected.set(Some(id.clone()));
        spawn_local(crate::load::load_events(inbox, id));
    };
    view! {
        <form class="search" role="search" on:submit=move |e| { e.prevent_default(); run(query.get_untracked()) }>
            <label for="search" class="sr-only">"Search conversations"</label>
            <input id="search" type="search" placeholder="Search messages, notes, visitors" autocomplete="off"
                prop:value=move || query.get()
                on:input=move |e| { let q = event_target_value(&e); query.set(q.clone()); run(q) }
                on:keydown=move |e: leptos::ev::KeyboardEvent| if e.key() == "Escape" { query.set(String::new()); run(String::new()) } />
        </form>
        {move || results.get().map(|answer| match answer {
            Err(e) => view! { <p class="problem" role="alert">{e}</p> }.into_any(),
            Ok(hits) if hits.is_empty() => view! { <p class="search-none" role="status">"Nothing matches."</p> }.into_any(),
            Ok(hits) => view! {
                <p class="sr-only" role="status">{format!("{} found", hits.len())}</p>
                <ul class="search-results" aria-label="Search results">
                    {hits.into_iter().map(|hit| {
                        let id = hit.conversation.clone();
                        let kind = match hit.kind.as_str() { "note" => "Private note", "visitor" => "Visitor", _ => "Message" };
                        view! {
                            <li>
                                <button class="item" on:click=move |_| open(id.clone())>
                                    <span class="name">{hit.visitor.clone()}</span>
                                    <span class="kind">{kind}</span>
                                    <span class="line">{pieces(&hit.text, &hit.marks).into_iter().map(|(piece, marked)| match marked {
                                        true => view! { <mark>{piece}</mark> }.into_any(),
                                        false => piece.into_any(),
                                    }).collect_view()}</span>
                                </button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any(),
        })}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_cut_at_its_marks_and_bad_ranges_are_left_unmarked() {
        let text = "Über pricing, über alles";
        let marks = [(0, 5), (6, 13), (3, 4), (40, 50), (15, 20)];
        let cut = pieces(text, &marks);
        assert_eq!(
            cut,
            [
                ("Über".to_owned(), true),
                (" ".to_owned(), false),
                ("pricing".to_owned(), true),
                (", ".to_owned(), false),
                ("über".to_owned(), true),
                (" alles".to_owned(), false),
            ]
        );
        assert_eq!(pieces("text", &[]), [("text".to_owned(), false)]);
    }
}
