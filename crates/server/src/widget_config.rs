//! What the loader gets for a site: its dialogues with the site's appearance merged
//! in and their targeting's defaults written out, highest priority first; the CSS each
//! one needs; the visitor's locale with the built-in texts in it; and the launcher to
//! draw: a pure function of the stored site and dialogues and of who can answer now
//! (`Now`), and its route for the site's pages.
//!
//! `team_available` conditions are decided here, when the page asks: each becomes a
//! condition that always or never holds, so neither the loader nor the widget needs to
//! know the teams, and no byte of either is spent on it.

use crate::db::{self, Site};
use crate::error::AppError;
use crate::page_call::PageSite;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chinwag_dialogue::{Targeting, Trigger};
use chinwag_site::{launcher, locale, Appearance, Strings};
use serde::Deserialize;
use serde_json::{json, Map, Value};
use std::collections::BTreeSet;

/// Who can answer at the moment the page asks (`crate::hours`).
#[derive(Default)]
pub struct Now {
    /// The teams for which `team_available` holds.
    pub teams_available: BTreeSet<String>,
    /// Whether the site's hours team is within its hours; none: no reply-time line.
    pub within: Option<bool>,
}

/// Replaces every `{"team_available": "team"}` in a dialogue with a condition that
/// holds (`page_url_matches "*"`) or never does (`is_empty page_url`: a page always
/// has one), as the team can answer now or not.
fn decide_team_available(value: &mut Value, available: &BTreeSet<String>) {
    match value {
        Value::Object(object) => {
            if let (1, Some(team)) = (object.len(), object.get("team_available").and_then(Value::as_str)) {
                *value = match available.contains(team) {
                    true => json!({ "page_url_matches": "*" }),
                    false => json!({ "is_empty": "page_url" }),
                };
                return;
            }
            object
                .values_mut()
                .for_each(|v| decide_team_available(v, available));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| decide_team_available(v, available)),
        _ => {}
    }
}

/// `dialogues` are published bodies with their versions; `page_locale` is the page's
/// `data-locale`, `browser_locale` the browser's language; the site's own setting sits
/// between them.
pub fn widget_config(
    site: &Site,
    dialogues: &[(String, i64)],
    page_locale: Option<&str>,
    browser_locale: Option<&str>,
    now: &Now,
) -> Value {
    let appearance: Appearance = serde_json::from_str(&site.appearance).unwrap_or_default();
    let visitor_locale = locale::visitor_locale(page_locale, appearance.locale.as_deref(), browser_locale);
    let mut css = Map::new();
    let mut dialogues: Vec<(i32, Value)> = dialogues
        .iter()
        .filter_map(|(body, version)| Some((serde_json::from_str::<Value>(body).ok()?, *version)))
        .map(|(mut dialogue, version)| {
            decide_team_available(&mut dialogue, &now.teams_available);
            let mut priority = 0;
            if let Some(object) = dialogue.as_object_mut() {
                // The widget reports metrics for this version (docs/metrics.md).
                object.insert("published".into(), version.into());
                // Every default written out, so the loader spends no bytes on them.
                let targeting: Targeting = object
                    .get("targeting")
                    .and_then(|t| serde_json::from_value(t.clone()).ok())
                    .unwrap_or_default();
                priority = targeting.priority;
                object.insert("targeting".into(), loader_targeting(&targeting));
                let mut own: chinwag_dialogue::Appearance = object
                    .get("appearance")
                    .and_then(|a| serde_json::from_value(a.clone()).ok())
                    .unwrap_or_default();
                let style = appearance.apply_to(&mut own);
                object.insert("appearance".into(), serde_json::to_value(own).unwrap_or_default());
                if let Some(id) = object.get("id").and_then(Value::as_str) {
                    css.insert(id.into(), style.into());
                }
            }
            (priority, dialogue)
        })
        .collect();
    // Highest priority first (ties in stored order): the loader takes the first that
    // targets the visitor.
    dialogues.sort_by_key(|(priority, _)| std::cmp::Reverse(*priority));
    let dialogues: Vec<Value> = dialogues.into_iter().map(|(_, d)| d).collect();
    let greeting = appearance.greeting_in(&visitor_locale);
    // The reply-time line: the one that is true now, or none.
    let mut strings: Strings = *Strings::for_locale(&visitor_locale);
    if now.within != Some(true) {
        strings.reply_soon = "";
    }
    if now.within != Some(false) {
        strings.reply_away = "";
    }
    let strings = &strings;
    json!({
        "site": site.id,
        "name": site.name,
        "locale": visitor_locale,
        "strings": strings.lines(),
        // Drawn by the loader at once, before the widget's wasm arrives.
        "launcher": {
            "host": launcher::HOST_STYLE,
            "css": launcher::CSS,
            "html": launcher::markup(strings),
        },
        "greeting": greeting,
        "css": css,
        "dialogues": dialogues,
    })
}

/// Targeting as the loader reads it: every field present, and the trigger always an
/// object (`immediately` is `after_seconds: 0`), still a valid dialogue's targeting.
fn loader_targeting(targeting: &Targeting) -> Value {
    let mut value = serde_json::to_value(targeting).unwrap_or_default();
    let trigger = match &targeting.trigger {
        Trigger::Immediately => json!({ "after_seconds": 0 }),
        Trigger::ExitIntent => json!({ "exit_intent": null }),
        _ => value["trigger"].take(),
    };
    value["trigger"] = trigger;
    value
}

/// The page's `data-locale` and the browser's language, sent by the loader.
#[derive(Deserialize)]
pub struct LocaleQuery {
    locale: Option<String>,
    lang: Option<String>,
}

/// A site's dialogues, appearance and texts for the widget, to allowed origins only
/// (with CORS for them).
pub async fn site_config(
    State(state): State<AppState>,
    PageSite(site): PageSite,
    Query(query): Query<LocaleQuery>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    // The site's switch: off, no dialogue at all.
    let dialogues = match site.chat_enabled {
        true => db::dialogues(&state.db, &site.id).await?,
        false => Vec::new(),
    };
    let config = widget_config(
        &site,
        &dialogues,
        query.locale.as_deref().filter(|l| !l.is_empty()),
        query.lang.as_deref().filter(|l| !l.is_empty()),
        &now(&state, &site).await?,
    );
    Ok(crate::page_call::cors(Json(config).into_response(), &headers))
}

/// Who can answer for this site's pages now.
async fn now(state: &AppState, site: &Site) -> Result<Now, AppError> {
    let hours = crate::hours::store::all(&state.db).await?;
    let agents = db::routing_agents(&state.db).await?;
    let at = (db::now_ms() / 1000) as i64;
    let appearance: Appearance = serde_json::from_str(&site.appearance).unwrap_or_default();
    Ok(Now {
        teams_available: crate::hours::available(&hours, &agents, at),
        within: appearance
            .hours_team
            .as_deref()
            .and_then(|team| crate::hours::within(&hours, team, at)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(appearance: &str) -> Site {
        Site {
            id: "s".into(),
            name: "S".into(),
            origins: vec![],
            appearance: appearance.into(),
            ..Default::default()
        }
    }

    const DIALOGUE: &str = r#"{"id":"d","appearance":{"bot_name":"Own"},"stream":[]}"#;

    #[test]
    fn dialogues_inherit_what_they_do_not_set() {
        let config = widget_config(
            &site(r#"{"bot_name":"Site bot","avatar_url":"https://x.test/a.png"}"#),
            &[(DIALOGUE.into(), 1)],
            None,
            None,
            &Now::default(),
        );
        let appearance = &config["dialogues"][0]["appearance"];
        assert_eq!(appearance["bot_name"], "Own");
        assert_eq!(appearance["avatar_url"], "https://x.test/a.png");
        assert!(config["css"]["d"]
            .as_str()
            .unwrap()
            .starts_with(".cw{--cw-accent:#1f5fbf"));
    }

    #[test]
    fn dialogues_come_highest_priority_first_with_targeting_defaults() {
        let bodies = [
            r#"{"id":"low","stream":[]}"#,
            r#"{"id":"high","targeting":{"priority":5,"trigger":{"after_seconds":3}},"stream":[]}"#,
            r#"{"id":"tie","stream":[]}"#,
        ];
        let config = widget_config(
            &site("{}"),
            &bodies.map(|b| (b.to_owned(), 1)),
            None,
            None,
            &Now::default(),
        );
        let ids: Vec<&str> = (0..3)
            .map(|i| config["dialogues"][i]["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["high", "low", "tie"]);
        let low = &config["dialogues"][1]["targeting"];
        assert_eq!(
            (&low["pages"], &low["trigger"], &low["priority"]),
            (&json!([]), &json!({"after_seconds": 0}), &json!(0))
        );
        assert_eq!(
            config["dialogues"][0]["targeting"]["trigger"],
            json!({"after_seconds": 3})
        );
    }

    #[test]
    fn every_trigger_reaches_the_widget_as_a_valid_dialogue() {
        for trigger in [r#""immediately""#, r#""exit_intent""#, r#"{"scroll_percent":50}"#] {
            let body = format!(r#"{{"id":"d","targeting":{{"trigger":{trigger}}},"stream":[]}}"#);
            let config = widget_config(&site("{}"), &[(body, 1)], None, None, &Now::default());
            let sent = &config["dialogues"][0];
            let targeting: Targeting = serde_json::from_value(sent["targeting"].clone()).unwrap();
            let original: Targeting = serde_json::from_str(&format!(r#"{{"trigger":{trigger}}}"#)).unwrap();
            let same = targeting.trigger == original.trigger
                || (original.trigger == Trigger::Immediately
                    && targeting.trigger == Trigger::AfterSeconds(0));
            assert!(same, "{trigger} became {}", sent["targeting"]["trigger"]);
            assert!(sent["targeting"]["trigger"].is_object(), "{trigger}");
        }
    }

    #[test]
    fn the_locale_comes_from_the_page_then_the_site_then_the_browser() {
        let sv_site = site(r#"{"locale":"sv","greeting":{"en":"Hi!","sv":"Hej!","pt":"Olá!"}}"#);
        let config = widget_config(&sv_site, &[], Some("pt-BR"), Some("it"), &Now::default());
        assert_eq!(config["locale"], "pt-BR");
        assert_eq!(config["greeting"], "Olá!");
        assert!(config["strings"].as_str().unwrap().starts_with("Abrir chat\n"));
        assert!(config["launcher"]["html"]
            .as_str()
            .unwrap()
            .contains("\"Abrir chat\""));
        let config = widget_config(&sv_site, &[], None, Some("it"), &Now::default());
        assert_eq!(
            (config["locale"].as_str(), config["greeting"].as_str()),
            (Some("sv"), Some("Hej!"))
        );
        let config = widget_config(&site("{}"), &[], None, Some("zh-CN"), &Now::default());
        assert!(config["strings"].as_str().unwrap().starts_with("打开聊天\n"));
        assert_eq!(config["greeting"], Value::Null);
    }

    #[test]
    fn team_available_is_decided_before_the_dialogue_leaves_and_the_reply_line_is_the_true_one() {
        let body = r#"{"id":"d","targeting":{"audience":{"team_available":"sales"}},
            "stream":[{"branch":{"when":{"any":[{"team_available":"billing"},{"is_empty":"email"}]}}}]}"#;
        let now = Now {
            teams_available: BTreeSet::from(["sales".to_string()]),
            within: Some(false),
        };
        let config = widget_config(&site("{}"), &[(body.into(), 1)], None, None, &now);
        let sent = &config["dialogues"][0];
        assert_eq!(sent["targeting"]["audience"], json!({ "page_url_matches": "*" }));
        assert_eq!(
            sent["stream"][0]["branch"]["when"],
            json!({ "any": [{ "is_empty": "page_url" }, { "is_empty": "email" }] })
        );
        assert!(!config.to_string().contains("team_available"));
        let strings = Strings::from_lines(Box::leak(
            config["strings"].as_str().unwrap().to_owned().into_boxed_str(),
        ))
        .unwrap();
        assert_eq!((strings.reply_soon, strings.reply_away.is_empty()), ("", false));
        let config = widget_config(&site("{}"), &[], None, None, &Now::default());
        let strings = Strings::from_lines(Box::leak(
            config["strings"].as_str().unwrap().to_owned().into_boxed_str(),
        ))
        .unwrap();
        assert_eq!(
            (strings.reply_soon, strings.reply_away),
            ("", ""),
            "no hours team: no line"
        );
    }
}
