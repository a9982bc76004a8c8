//! `/meetings/manage?id=&token=`: the page behind the link in every invitation, where a
//! visitor reschedules or cancels without signing in. The same card the widget shows
//! (the widget's `meeting` module, from its bundle), on a page of its own; the signed
//! token is the permission.

use super::routes::owned;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::response::Html;
use chinwag_site::html::escape;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct Link {
    id: String,
    token: String,
}

pub async fn page(State(state): State<AppState>, Query(link): Query<Link>) -> Result<Html<String>, AppError> {
    let m = owned(&state, &link.id, &link.token).await?;
    let lang = chinwag_site::locale::built_in(&m.locale);
    let texts = chinwag_site::meeting::texts(&m.locale);
    let field = |name: &str, value: &str| format!(" data-{name}=\"{}\"", escape(value));
    let data: String = [
        field("site", &m.site_id),
        field("dialogue", &m.dialogue_id),
        field("card", &m.card),
        field("locale", &m.locale),
        field("name", &m.visitor_name),
        field("email", &m.visitor_email),
        field("id", &m.id),
        field("token", &link.token),
    ]
    .concat();
    Ok(Html(format!(
        r#"<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ margin: 0; font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #1b1f24; background: #f6f8fa; }}
main {{ --cw-accent: #1f5fbf; --cw-accent-text: #fff; --cw-bg: #fff; --cw-text: #1b1f24; --cw-muted: #57606a;
  --cw-bot-bubble: #eef1f5; --cw-border: #d0d7de; --cw-error: #b42318; --cw-ink: #1f5fbf;
  max-width: 420px; margin: 40px auto; padding: 20px; background: #fff; border-radius: 14px; border: 1px solid #d0d7de; }}
h1 {{ font-size: 20px; margin: 0 0 12px; }}
.cw-note {{ margin: 0 0 10px; }} .cw-answer {{ min-height: 44px; padding: 8px 16px; border-radius: 999px; }}
</style></head>
<body><main><h1>{title}</h1><div id="meeting"{data}></div></main>
<script type="module">
import init, {{ meeting_page }} from '/widget/chinwag-widget.js';
const el = document.getElementById('meeting'), d = el.dataset;
try {{ localStorage.setItem(`chinwag:meeting:${{d.site}}:${{d.dialogue}}:${{d.card}}`, JSON.stringify({{ id: d.id, token: d.token }})); }} catch (_) {{}}
await init();
meeting_page(el);
</script></body></html>"#,
        title = escape(texts.your_meeting),
    )))
}
