//! A site's look: accent colour, light or dark, the launcher's corner, the bot's name
//! and picture, the greeting and typing speed, with a swatch of the colours and a
//! warning before saving an accent that text cannot be read on (WCAG AA, 4.5:1); the
//! server checks every value again and names each problem.

use super::said_line;
use crate::api::call;
use chinwag_site::appearance::parse_hex;
use chinwag_site::theme::contrast;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{json, Map, Value};

/// The better of white or near-black text on `accent`, and its contrast ratio.
pub fn readable_text(accent: &str) -> Option<(&'static str, f64)> {
    let rgb = parse_hex(accent)?;
    let (white, black) = (contrast(rgb, [255, 255, 255]), contrast(rgb, [27, 31, 36]));
    Some(if white >= black {
        ("#ffffff", white)
    } else {
        ("#1b1f24", black)
    })
}

/// What the appearance preview shows.
fn sample() -> Value {
    json!({ "id": "appearance-preview", "name": "Preview", "stream": [
        { "type": "message", "text": "Hi! This is how your chat looks." },
        { "type": "question", "text": "What brings you here?", "answers": [
            { "label": "Pricing", "then": [] }, { "label": "Talk to someone", "then": [] } ] } ] })
}

#[component]
pub fn Appearance(site: String, appearance: Value, csrf: String) -> impl IntoView {
    let field = |k: &str| RwSignal::new(appearance[k].as_str().unwrap_or_default().to_owned());
    let accent = RwSignal::new(
        appearance["accent_color"]
            .as_str()
            .unwrap_or("#1f5fbf")
            .to_owned(),
    );
    let (theme, position) = (
        RwSignal::new(appearance["theme"].as_str().unwrap_or("light").to_owned()),
        RwSignal::new(appearance["position"].as_str().unwrap_or("right").to_owned()),
    );
    let (bot_name, avatar_url, greeting) = (field("bot_name"), field("avatar_url"), field("greeting"));
    let hours_team = field("hours_team");
    let said = RwSignal::new(None::<Result<String, String>>);
    let confirmed = RwSignal::new(false);
    let csrf = StoredValue::new(csrf);
    let low = move || readable_text(&accent.get()).filter(|(_, ratio)| *ratio < 4.5);
    // The settings as the form has them now (tracked: the preview follows them).
    let settings = move || {
        let mut body = Map::new();
        body.insert("accent_color".into(), json!(accent.get()));
        body.insert("theme".into(), json!(theme.get()));
        body.insert("position".into(), json!(position.get()));
        for (key, value) in [
            ("bot_name", bot_name),
            ("avatar_url", avatar_url),
            ("greeting", greeting),
            ("hours_team", hours_team),
        ] {
            let v = value.get();
            if !v.trim().is_empty() {
                body.insert(key.into(), json!(v.trim()));
            }
        }
        body
    };
    let save = move |e: leptos::ev::SubmitEvent| {
        e.prevent_default();
        if low().is_some() && !confirmed.get_untracked() {
            confirmed.set(true);
            said.set(Some(Err("Text on this accent colour is hard to read. Save again to keep it anyway, or pick a darker or lighter colour.".into())));
            return;
        }
        let body = untrack(settings);
        let path = format!("/api/sites/{site}/appearance");
        spawn_local(async move {
            let r = call::<Value>(
                "PUT",
                &path,
                Some(Value::Object(body).to_string()),
                &csrf.get_value(),
            )
            .await;
            confirmed.set(false);
            said.set(Some(
                r.map(|_| "Saved: visitors see it on their next page.".into()),
            ));
        });
    };
    view! {
        <form class="card appearance" on:submit=save>
            <h3>"Appearance"</h3>
            <div class="row">
                <label>"Accent colour " <input type="color" prop:value=accent on:input=move |e| { confirmed.set(false); accent.set(event_target_value(&e)) } /></label>
                <label>"as hex " <input pattern="#[0-9a-fA-F]{6}" prop:value=accent on:input=move |e| { confirmed.set(false); accent.set(event_target_value(&e)) } /></label>
            </div>
            <div class="swatch" aria-hidden="true" style=move || {
                let (text, _) = readable_text(&accent.get()).unwrap_or(("#ffffff", 0.0));
                format!("background:{};color:{text}", accent.get())
            }>{move || if bot_name.get().is_empty() { "Chinwag".to_owned() } else { bot_name.get() }}</div>
            {move || low().map(|(_, ratio)| view! { <p class="warning" role="alert">{format!("Contrast {ratio:.1}:1 — WCAG AA asks for 4.5:1 for text on this colour.")}</p> })}
            <label>"Theme " <select prop:value=theme on:change=move |e| theme.set(event_target_value(&e))>
                <option value="light">"Light"</option><option value="dark">"Dark"</option><option value="auto">"The visitor's system setting"</option>
            </select></label>
            <label>"Launcher corner " <select prop:value=position on:change=move |e| position.set(event_target_value(&e))>
                <option value="right">"Bottom right"</option><option value="left">"Bottom left"</option>
            </select></label>
            <label>"Bot name " <input prop:value=bot_name on:input=move |e| bot_name.set(event_target_value(&e)) /></label>
            <label>"Bot picture URL (https) " <input type="url" prop:value=avatar_url on:input=move |e| avatar_url.set(event_target_value(&e)) /></label>
            <label>"Greeting beside the launcher " <input prop:value=greeting on:input=move |e| greeting.set(event_target_value(&e)) /></label>
            <label>"Reply times follow the business hours of team (its id; empty: no line under the header) " <input prop:value=hours_team on:input=move |e| hours_team.set(event_target_value(&e)) placeholder="sales" /></label>
            <button type="submit">"Save appearance"</button>
            <p class="hint">"In the real widget, as it will look (a sample dialogue; the corner shows at full width only):"</p>
            <iframe class="appearance-frame" title="The widget with these settings" srcdoc=move || {
                // Settings the server would refuse show as the defaults they fall back to.
                let look = serde_json::from_value::<chinwag_site::appearance::Appearance>(Value::Object(settings()))
                    .ok()
                    .filter(|a| a.problems().is_empty())
                    .unwrap_or_default();
                super::preview::page(&sample(), &look, "en", &json!({}))
            }></iframe>
            {move || said_line(said.get())}
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readable_text_picks_the_better_colour() {
        assert_eq!(readable_text("#1f5fbf").unwrap().0, "#ffffff");
        assert_eq!(readable_text("#ffd400").unwrap().0, "#1b1f24");
        assert!(
            readable_text("#7f7f7f").unwrap().1 < 4.5,
            "mid grey fails either way"
        );
        assert!(readable_text("blue").is_none());
    }
}
