//! Test visitors: saved visitors (attributes, page, language, answers) with the card
//! each must reach, walked through the draft by the real engine on every change
//! (`chinwag_dialogue::rehearsal`); the ones that now end elsewhere are said at once.
//! Adding one records where it stops now, so "this is right" is one click.

use super::draft::Draft;
use super::said_line;
use crate::api::call;
use chinwag_dialogue::rehearsal::{walk, TestVisitor, Walk};
use chinwag_dialogue::{Problem, ValidDialogue};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::collections::BTreeMap;

/// `key=value` lines into attributes (blank and malformed lines are left out).
fn attributes(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .filter(|(k, _)| !k.is_empty())
        .collect()
}

/// Each visitor's walk through the draft, or why none could run.
fn walks(draft: &Result<ValidDialogue, Vec<Problem>>, visitors: &[TestVisitor]) -> Result<Vec<Walk>, String> {
    let dialogue = draft
        .as_ref()
        .map_err(|_| "Fix the dialogue's problems to run the test visitors.".to_owned())?;
    Ok(visitors.iter().map(|v| walk(dialogue, v)).collect())
}

#[component]
pub fn TestVisitors(draft: Draft, base: String, csrf: String) -> impl IntoView {
    let visitors = RwSignal::new(Vec::<TestVisitor>::new());
    let said = RwSignal::new(None::<Result<String, String>>);
    let path = format!("{base}/test-visitors");
    {
        let path = path.clone();
        spawn_local(async move {
            visitors.set(call("GET", &path, None, "").await.unwrap_or_default());
        });
    }
    let results = Memo::new(move |_| visitors.with(|v| draft.checked.with(|c| walks(c, v))));
    let failing = move || {
        results.with(|r| match r {
            Ok(walks) => visitors.with(|v| walks.iter().zip(v).filter(|(w, v)| !w.passes(v)).count()),
            Err(_) => 0,
        })
    };
    let save = StoredValue::new(move |list: Vec<TestVisitor>| {
        let (path, csrf) = (path.clone(), csrf.clone());
        let body = serde_json::to_string(&list).unwrap_or_default();
        spawn_local(async move {
            match call::<serde_json::Value>("PUT", &path, Some(body), &csrf).await {
                Ok(_) => {
                    visitors.set(list);
                    said.set(Some(Ok("Test visitors saved.".into())));
                }
                Err(e) => said.set(Some(Err(format!("Not saved: {e}")))),
            }
        });
    });
    let (name, attrs, page, locale, answers) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let add = move |e: leptos::ev::SubmitEvent| {
        e.prevent_default();
        let mut visitor = TestVisitor {
            name: name.get_untracked().trim().to_owned(),
            attributes: attributes(&attrs.get_untracked()),
            page: page.get_untracked().trim().to_owned(),
            locale: locale.get_untracked().trim().to_owned(),
            answers: answers
                .get_untracked()
                .lines()
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(str::to_owned)
                .collect(),
            expect: String::new(),
        };
        if visitor.name.is_empty() {
            said.set(Some(Err("Give the test visitor a name.".into())));
            return;
        }
        // Where it stops now is what it must reach from now on.
        match draft
            .checked
            .with_untracked(|c| walks(c, std::slice::from_ref(&visitor)))
        {
            Ok(w) => visitor.expect = w[0].reached.clone(),
            Err(e) => {
                said.set(Some(Err(e)));
                return;
            }
        }
        let mut list = visitors.get_untracked();
        list.push(visitor);
        save.with_value(|s| s(list));
        name.set(String::new());
    };
    view! {
        <details class="test-visitors">
            <summary>"Test visitors " {move || {
                let n = visitors.with(Vec::len);
                match failing() { 0 if n > 0 => format!("({n}, all reach their card)"), 0 => "(none yet)".into(), f => format!("({f} of {n} now end elsewhere)") }
            }}</summary>
            {move || said_line(said.get())}
            <table class="list-table">
                <thead><tr><th scope="col">"Visitor"</th><th scope="col">"Must reach"</th><th scope="col">"Now"</th><th scope="col">"Actions"</th></tr></thead>
                <tbody>
                    {move || {
                        let list = visitors.get();
                        let now = results.get();
                        list.iter().enumerate().map(|(i, v)| {
                            let outcome = match &now {
                                Ok(w) => w.get(i).cloned(),
                                Err(_) => None,
                            };
                            let ok = outcome.as_ref().is_some_and(|w| w.passes(v));
                            // Places in words, as the designer's tree names the cards.
                            let doc = draft.peek().unwrap_or_default();
                            let place = |p: &str| super::words::place_words(&doc, p);
                            let now_text = match &outcome {
                                None => "—".to_owned(),
                                Some(w) if ok => format!("✓ {}", place(&w.reached)),
                                Some(w) => format!("✗ ends at {}{}", place(&w.reached), w.problem.as_ref().map(|p| format!(": {p}")).unwrap_or_default()),
                            };
                            let reached = outcome.map(|w| w.reached);
                            let who = format!("{}{}{}", v.name, if v.answers.is_empty() { String::new() } else { format!(" · answers {}", v.answers.join(" → ")) }, if v.attributes.is_empty() { String::new() } else { format!(" · {}", v.attributes.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(", ")) });
                            let label = v.name.clone();
                            view! {
                                <tr class=if ok { "pass" } else { "fail" }>
                                    <td>{who}</td>
                                    <td>{place(&v.expect)}</td>
                                    <td>{now_text}</td>
                                    <td><div class="row">
                                        {(!ok).then(|| reached.map(|r| view! {
                                            <button type="button" aria-label=format!("Accept where {label} ends now") on:click=move |_| {
                                                let mut list = visitors.get_untracked();
                                                list[i].expect = r.clone();
                                                save.with_value(|s| s(list));
                                            }>"Accept"</button>
                                        }))}
                                        <button type="button" aria-label=format!("Remove test visitor {}", v.name) on:click=move |_| {
                                            let mut list = visitors.get_untracked();
                                            list.remove(i);
                                            save.with_value(|s| s(list));
                                        }>"Remove"</button>
                                    </div></td>
                                </tr>
                            }
                        }).collect_view()
                    }}
                </tbody>
            </table>
            <form class="test-visitor-form" on:submit=add>
                <label>"Name" <input prop:value=name on:input=move |e| name.set(event_target_value(&e)) placeholder="Enterprise lead on the pricing page" /></label>
                <label>"Answers, one per line (button labels or typed text)" <textarea rows="3" prop:value=answers on:input=move |e| answers.set(event_target_value(&e))></textarea></label>
                <label>"Attributes, one key=value per line" <textarea rows="2" prop:value=attrs on:input=move |e| attrs.set(event_target_value(&e)) placeholder="company_size=More than 1000"></textarea></label>
                <label>"Page address" <input prop:value=page on:input=move |e| page.set(event_target_value(&e)) placeholder="https://www.example.com/pricing" /></label>
                <label>"Language" <input prop:value=locale on:input=move |e| locale.set(event_target_value(&e)) placeholder="en" /></label>
                <button type="submit">"Add test visitor (records where it ends now)"</button>
            </form>
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_lines() {
        let a = attributes("plan = pro\nnonsense\n=x\nemail=a@b.c");
        assert_eq!(a.len(), 2);
        assert_eq!(a["plan"], "pro");
    }
}
