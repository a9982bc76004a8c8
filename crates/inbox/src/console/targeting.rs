//! Targeting: where, to whom and when a dialogue starts. A one-line summary for the
//! dialogues list, and the form in the editor (page rules, audience, trigger,
//! priority, days before a dismissed dialogue shows again).

use super::card_panel::condition;
use super::draft::Draft;
use super::stream_edit::{get, set};
use leptos::prelude::*;
use serde_json::{json, Value};

const RULES: [(&str, &str); 5] = [
    ("url_contains", "address contains"),
    ("url_starts_with", "address starts with"),
    ("url_equals", "address is"),
    ("url_matches", "address matches (* = anything)"),
    ("query_param", "query parameter"),
];

fn rule_line(rule: &Value) -> String {
    let Some((kind, value)) = rule.as_object().and_then(|m| m.iter().next()) else {
        return "?".into();
    };
    let name = RULES
        .iter()
        .find(|(k, _)| k == kind)
        .map_or(kind.as_str(), |(_, n)| n);
    match value {
        Value::String(s) => format!("{name} “{s}”"),
        v => match v["equals"].as_str() {
            Some(eq) => format!("{name} {}={eq}", v["name"].as_str().unwrap_or("?")),
            None => format!("{name} {}", v["name"].as_str().unwrap_or("?")),
        },
    }
}

pub fn trigger_line(trigger: &Value) -> String {
    match trigger {
        Value::String(s) if s == "exit_intent" => "when leaving the page".into(),
        Value::Object(_) if trigger.get("after_seconds").is_some() => {
            format!("after {} s", trigger["after_seconds"])
        }
        Value::Object(_) if trigger.get("scroll_percent").is_some() => {
            format!("at {}% scrolled", trigger["scroll_percent"])
        }
        _ => "at once".into(),
    }
}

/// "Pages: address contains “/pricing” · everyone · after 5 s · priority 10".
pub fn summary(targeting: &Value) -> String {
    let pages = targeting["pages"].as_array().cloned().unwrap_or_default();
    let pages = if pages.is_empty() {
        "every page".to_owned()
    } else {
        pages.iter().map(rule_line).collect::<Vec<_>>().join(" or ")
    };
    let audience = if targeting.get("audience").is_some_and(|a| !a.is_null()) {
        "some visitors"
    } else {
        "everyone"
    };
    let mut line = format!("{pages} · {audience} · {}", trigger_line(&targeting["trigger"]));
    if let Some(p) = targeting["priority"].as_i64().filter(|p| *p != 0) {
        line += &format!(" · priority {p}");
    }
    line
}

/// An edit of the targeting, made first when the dialogue has none.
fn change(draft: Draft, key: &'static str, value: Value) {
    draft.edit(move |d| {
        if get(d, "targeting").is_none() {
            set(d, "targeting", json!({}))?;
        }
        set(d, &format!("targeting.{key}"), value).map(|()| None)
    })
}

fn number(e: &leptos::ev::Event) -> Value {
    event_target_value(e)
        .trim()
        .parse::<i64>()
        .map_or(Value::Null, |n| json!(n))
}

#[component]
pub fn TargetingForm(draft: Draft) -> impl IntoView {
    view! {
        <details class="targeting">
            <summary>"Targeting: " {move || draft.with_value(|d| d.map(|d| summary(&d["targeting"])).unwrap_or_default())}</summary>
            {move || {
                draft.shape.track();
                let t = draft.read("targeting");
                let pages = t["pages"].as_array().cloned().unwrap_or_default();
                let trigger = t["trigger"].clone();
                let trigger_kind = match &trigger {
                    Value::String(s) => s.clone(),
                    Value::Object(m) => m.keys().next().cloned().unwrap_or_default(),
                    _ => "immediately".into(),
                };
                let trigger_value = trigger.as_object().and_then(|m| m.values().next()).and_then(Value::as_i64).unwrap_or(5);
                let everyone = t.get("audience").is_none_or(Value::is_null);
                let rules = pages.clone();
                view! {
                    <fieldset>
                        <legend>"Pages (any rule; none: every page)"</legend>
                        {rules.into_iter().enumerate().map(|(i, rule)| {
                            let (kind, value) = rule.as_object().and_then(|m| m.iter().next()).map(|(k, v)| (k.clone(), v.clone())).unwrap_or_default();
                            let at = format!("targeting.pages[{i}]");
                            let kind_id = format!("page-rule-{i}");
                            let value_id = format!("page-value-{i}");
                            let on_kind = { let at = at.clone(); move |e: leptos::ev::Event| {
                                let next = event_target_value(&e);
                                let rule = if next == "query_param" { json!({ "query_param": { "name": "utm_campaign" } }) } else { json!({ next: "" }) };
                                let at = at.clone();
                                draft.edit(move |d| { super::stream_edit::remove(d, &at)?; let (list, i) = super::stream_edit::split(&at).unwrap_or(("targeting.pages", 0)); super::stream_edit::insert(d, list, i, rule).map(|_| None) })
                            }};
                            let is_param = kind == "query_param";
                            let text_path = if is_param { format!("{at}.query_param.name") } else { format!("{at}.{kind}") };
                            let shown = if is_param { value["name"].as_str().unwrap_or_default().to_owned() } else { value.as_str().unwrap_or_default().to_owned() };
                            let remove_at = at.clone();
                            view! {
                                <div class="row">
                                    <label class="sr-only" for=kind_id.clone()>{format!("Rule {}", i + 1)}</label>
                                    <select id=kind_id on:change=on_kind>
                                        {RULES.into_iter().map(|(k, name)| view! { <option value=k selected={k == kind}>{name}</option> }).collect_view()}
                                    </select>
                                    <label class:sr-only=!is_param for=value_id.clone()>{if is_param { "Parameter name" } else { "Address text" }}</label>
                                    <input id=value_id prop:value=shown on:input=move |e| draft.write(&text_path, json!(event_target_value(&e))) />
                                    {is_param.then(|| {
                                        let eq_path = format!("{at}.query_param.equals");
                                        let eq = value["equals"].as_str().unwrap_or_default().to_owned();
                                        view! {
                                            <label for=format!("page-equals-{i}")>"equals (optional)"</label>
                                            <input id=format!("page-equals-{i}") prop:value=eq on:input=move |e| { let v = event_target_value(&e); draft.write(&eq_path, if v.is_empty() { Value::Null } else { json!(v) }) } />
                                        }
                                    })}
                                    <button type="button" on:click=move |_| { let r = remove_at.clone(); draft.edit(move |d| super::stream_edit::remove(d, &r).map(|_| None)) }>"Remove rule " {i + 1}</button>
                                </div>
                            }
                        }).collect_view()}
                        <button type="button" on:click=move |_| {
                            let mut next = pages.clone();
                            next.push(json!({ "url_contains": "/" }));
                            change(draft, "pages", json!(next))
                        }>"Add a page rule"</button>
                    </fieldset>
                    <fieldset>
                        <legend>"Audience"</legend>
                        <label class="switch"><input type="checkbox" prop:checked=everyone on:change=move |e| {
                            let all = event_target_checked(&e);
                            change(draft, "audience", if all { Value::Null } else { json!({ "is_empty": "email" }) })
                        } /> " Everyone"</label>
                        {(!everyone).then(|| condition(draft, "targeting.audience".into(), &t["audience"], "Shown to visitors whose"))}
                    </fieldset>
                    <fieldset>
                        <legend>"When"</legend>
                        <label for="trigger-kind">"Starts"</label>
                        <select id="trigger-kind" on:change=move |e| {
                            let value = match event_target_value(&e).as_str() {
                                "after_seconds" => json!({ "after_seconds": 5 }),
                                "scroll_percent" => json!({ "scroll_percent": 50 }),
                                "exit_intent" => json!("exit_intent"),
                                _ => Value::Null,
                            };
                            change(draft, "trigger", value)
                        }>
                            {[("immediately", "at once"), ("after_seconds", "after some seconds"), ("scroll_percent", "when the page is scrolled"), ("exit_intent", "when the visitor is leaving")].into_iter().map(|(k, name)| view! { <option value=k selected={k == trigger_kind}>{name}</option> }).collect_view()}
                        </select>
                        {matches!(trigger_kind.as_str(), "after_seconds" | "scroll_percent").then(|| {
                            let (label, key) = if trigger_kind == "after_seconds" { ("Seconds", "after_seconds") } else { ("Percent scrolled", "scroll_percent") };
                            view! {
                                <label for="trigger-value">{label}</label>
                                <input id="trigger-value" type="number" min="0" prop:value=trigger_value.to_string() on:change=move |e| change(draft, "trigger", json!({ key: number(&e) })) />
                            }
                        })}
                        <label for="priority">"Priority (the highest wins when several match)"</label>
                        <input id="priority" type="number" prop:value=t["priority"].as_i64().unwrap_or(0).to_string() on:change=move |e| change(draft, "priority", number(&e)) />
                        <label for="dismissed-days">"Days before it shows again after a visitor closes it"</label>
                        <input id="dismissed-days" type="number" min="0" aria-describedby="dismissed-days-hint" prop:value=t["dismissed_days"].as_i64().map(|n| n.to_string()).unwrap_or_default() on:change=move |e| change(draft, "dismissed_days", number(&e)) />
                        <p class="hint" id="dismissed-days-hint">"Leave it empty and a visitor who closes it never sees it again."</p>
                    </fieldset>
                }
            }}
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_for_the_list() {
        assert_eq!(summary(&Value::Null), "every page · everyone · at once");
        let t = json!({ "pages": [{ "url_contains": "/pricing" }, { "query_param": { "name": "utm", "equals": "x" } }],
            "audience": { "is_empty": "email" }, "trigger": { "after_seconds": 5 }, "priority": 10 });
        assert_eq!(
            summary(&t),
            "address contains “/pricing” or query parameter utm=x · some visitors · after 5 s · priority 10"
        );
    }
}
