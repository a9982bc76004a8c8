//! What the loader gets for a site: its dialogues with the site's appearance merged
//! in, the CSS each one needs, and the visitor's locale with the built-in texts in
//! it. A pure function of the stored site and dialogues.

use crate::db::Site;
use chinwag_site::{locale, Appearance, Strings};
use serde_json::{json, Map, Value};

/// `page_locale` is the page's `data-locale`, `browser_locale` the browser's
/// language; the site's own setting sits between them.
pub fn widget_config(
    site: &Site,
    dialogues: &[String],
    page_locale: Option<&str>,
    browser_locale: Option<&str>,
) -> Value {
    let appearance: Appearance = serde_json::from_str(&site.appearance).unwrap_or_default();
    let visitor_locale = locale::visitor_locale(page_locale, appearance.locale.as_deref(), browser_locale);
    let mut css = Map::new();
    let dialogues: Vec<Value> = dialogues
        .iter()
        .filter_map(|body| serde_json::from_str::<Value>(body).ok())
        .map(|mut dialogue| {
            if let Some(object) = dialogue.as_object_mut() {
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
            dialogue
        })
        .collect();
    let greeting = appearance.greeting_in(&visitor_locale);
    json!({
        "site": site.id,
        "name": site.name,
        "locale": visitor_locale,
        "strings": Strings::for_locale(&visitor_locale).lines(),
        "greeting": greeting,
        "css": css,
        "dialogues": dialogues,
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
            &[DIALOGUE.into()],
            None,
            None,
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
    fn the_locale_comes_from_the_page_then_the_site_then_the_browser() {
        let sv_site = site(r#"{"locale":"sv","greeting":{"en":"Hi!","sv":"Hej!","pt":"Olá!"}}"#);
        let config = widget_config(&sv_site, &[], Some("pt-BR"), Some("it"));
        assert_eq!(config["locale"], "pt-BR");
        assert_eq!(config["greeting"], "Olá!");
        assert!(config["strings"].as_str().unwrap().starts_with("Abrir chat\n"));
        let config = widget_config(&sv_site, &[], None, Some("it"));
        assert_eq!(
            (config["locale"].as_str(), config["greeting"].as_str()),
            (Some("sv"), Some("Hej!"))
        );
        let config = widget_config(&site("{}"), &[], None, Some("zh-CN"));
        assert!(config["strings"].as_str().unwrap().starts_with("打开聊天\n"));
        assert_eq!(config["greeting"], Value::Null);
    }
}
