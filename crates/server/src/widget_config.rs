//! What the loader gets for a site: its dialogues with the site's appearance merged
//! in, the CSS each one needs, and the visitor's locale with the built-in texts in
//! it. A pure function of the stored site and dialogues.

use crate::db::Site;
use chinwag_site::{locale, theme, Appearance, Strings};
use serde_json::{json, Map, Value};

/// Appearance fields a dialogue inherits from its site unless it sets them.
const INHERITED: [&str; 4] = ["bot_name", "avatar_url", "typing_ms_per_char", "typing_max_ms"];

/// `page_locale` is the page's `data-locale`, `browser_locale` the browser's
/// language; the site's own setting sits between them.
pub fn widget_config(
    site: &Site,
    dialogues: &[String],
    page_locale: Option<&str>,
    browser_locale: Option<&str>,
) -> Value {
    let appearance: Appearance = serde_json::from_str(&site.appearance).unwrap_or_default();
    let inherited = serde_json::to_value(&appearance).unwrap_or_default();
    let visitor_locale = locale::visitor_locale(page_locale, appearance.locale.as_deref(), browser_locale);
    let mut css = Map::new();
    let dialogues: Vec<Value> = dialogues
        .iter()
        .filter_map(|body| serde_json::from_str::<Value>(body).ok())
        .map(|mut dialogue| {
            let own = dialogue
                .as_object_mut()
                .and_then(|d| d.entry("appearance").or_insert_with(|| json!({})).as_object_mut());
            if let Some(own) = own {
                for key in INHERITED {
                    if let (false, Some(value)) = (own.contains_key(key), inherited.get(key)) {
                        own.insert(key.into(), value.clone());
                    }
                }
            }
            let accent = dialogue["appearance"]["accent_color"].as_str();
            if let Some(id) = dialogue["id"].as_str() {
                css.insert(id.into(), theme::css(&appearance, accent).into());
            }
            dialogue
        })
        .collect();
    let site_locale = appearance.locale.as_deref().unwrap_or("en");
    let greeting = appearance
        .greeting
        .as_ref()
        .map(|g| g.resolve(&visitor_locale, site_locale).to_owned());
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
