//! The console's HTTP API (admins): sites with their origins, snippet, identity secret
//! and chat switch; dialogues as drafts (saved on the revision they were based on, a
//! stale save refused with the other change), published as immutable versions, listed,
//! rolled back, switched off; and the audit log of every change.

use super::store::{self, Status};
use crate::access::auth::Admin;
use crate::db;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chinwag_dialogue::rehearsal::TestVisitor;
use chinwag_dialogue::Problem;
use serde::Deserialize;
use serde_json::{json, Value};

fn snippet(state: &AppState, site: &str) -> String {
    format!(
        "<script async src=\"{}/chinwag.js\" data-site=\"{site}\"></script>",
        state.meetings.public_url.trim_end_matches('/')
    )
}

fn site_view(state: &AppState, s: &db::Site) -> Value {
    json!({
        "id": s.id, "name": s.name, "origins": s.origins, "chat_enabled": s.chat_enabled, "merge_consent": s.merge_consent,
        "identity_secret_set": s.identity_secret.is_some(), "require_verification": s.require_verification,
        "snippet": snippet(state, &s.id),
        "appearance": serde_json::from_str::<Value>(&s.appearance).unwrap_or(Value::Null),
    })
}

async fn found(state: &AppState, site: &str) -> Result<db::Site, AppError> {
    db::site(&state.db, site)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no site {site}")))
}

/// `GET /api/sites`
pub async fn sites(State(state): State<AppState>, _admin: Admin) -> Result<Json<Value>, AppError> {
    let mut out = Vec::new();
    for id in store::site_ids(&state.db).await? {
        out.push(site_view(&state, &found(&state, &id).await?));
    }
    Ok(Json(json!(out)))
}

#[derive(Deserialize)]
pub struct SiteBody {
    id: Option<String>,
    name: String,
    #[serde(default)]
    origins: Vec<String>,
    chat_enabled: Option<bool>,
    merge_consent: Option<bool>,
}

/// `POST /api/sites`: a new site (an existing id is refused, not overwritten).
pub async fn create_site(
    State(state): State<AppState>,
    Admin(signed_in): Admin,
    Json(body): Json<SiteBody>,
) -> Result<Response, AppError> {
    let id = body.id.unwrap_or_default();
    if db::site(&state.db, &id).await?.is_some() {
        return Err(AppError::BadRequest(format!("there is already a site {id}")));
    }
    super::setup::add_site(&state.db, &id, body.name.trim(), &body.origins).await?;
    store::audit(
        &state.db,
        &signed_in.agent.id,
        "site.create",
        &id,
        &body.origins.join(" "),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(site_view(&state, &found(&state, &id).await?)),
    )
        .into_response())
}

/// `PUT /api/sites/{site}`: name, origins, and the switch that stops every dialogue.
pub async fn update_site(
    State(state): State<AppState>,
    Admin(signed_in): Admin,
    Path(site): Path<String>,
    Json(body): Json<SiteBody>,
) -> Result<Json<Value>, AppError> {
    found(&state, &site).await?;
    super::setup::add_site(&state.db, &site, body.name.trim(), &body.origins).await?;
    if let Some(on) = body.chat_enabled {
        store::set_chat_enabled(&state.db, &site, on).await?;
    }
    if let Some(on) = body.merge_consent {
        store::set_merge_consent(&state.db, &site, on).await?;
    }
    let switch = |on: Option<bool>, default| if on.unwrap_or(default) { "on" } else { "off" };
    let detail = format!(
        "origins: {}; chat {}; consent to merge {}",
        body.origins.join(" "),
        switch(body.chat_enabled, true),
        switch(body.merge_consent, false)
    );
    store::audit(&state.db, &signed_in.agent.id, "site.update", &site, &detail).await?;
    Ok(Json(site_view(&state, &found(&state, &site).await?)))
}

#[derive(Deserialize)]
pub struct SecretBody {
    #[serde(default)]
    require: bool,
}

/// `POST /api/sites/{site}/identity-secret`: a new secret, shown this once.
pub async fn identity_secret(
    State(state): State<AppState>,
    Admin(signed_in): Admin,
    Path(site): Path<String>,
    Json(body): Json<SecretBody>,
) -> Result<Json<Value>, AppError> {
    let secret = super::setup::new_identity_secret(&state.db, &state.sealer, &site, body.require).await?;
    store::audit(
        &state.db,
        &signed_in.agent.id,
        "site.identity_secret",
        &site,
        if body.require { "required" } else { "optional" },
    )
    .await?;
    Ok(Json(
        json!({ "secret": secret, "require_verification": body.require }),
    ))
}

/// A dialogue's problems, as the validator words them (with paths); none: it can go out.
fn problems(body: &str) -> Vec<Problem> {
    chinwag_dialogue::json::check(body).err().unwrap_or_default()
}

/// `GET /api/sites/{site}/dialogues`: each with its status, version and draft.
pub async fn dialogues(
    State(state): State<AppState>,
    _admin: Admin,
    Path(site): Path<String>,
) -> Result<Json<Value>, AppError> {
    found(&state, &site).await?;
    let list: Vec<Value> = store::list(&state.db, &site)
        .await?
        .into_iter()
        // Deleted, and not started again since.
        .filter(|(_, draft, published)| {
            draft.is_some() || published.as_ref().is_some_and(|p| p.status != Status::Deleted)
        })
        .map(|(id, draft, published)| {
            let status = match &published {
                None => "draft",
                Some(p) => match p.status {
                    Status::Deleted => "draft",
                    Status::Off => "off",
                    Status::Published => "published",
                },
            };
            let changed = match (&draft, &published) {
                (Some(d), Some(p)) => d.body != p.body,
                (Some(_), None) => true,
                _ => false,
            };
            // The draft's name and targeting, else the published one's.
            let latest = [
                draft.as_ref().map(|d| &d.body),
                published.as_ref().map(|p| &p.body),
            ]
            .into_iter()
            .flatten()
            .find_map(|b| serde_json::from_str::<Value>(b).ok())
            .unwrap_or(Value::Null);
            json!({
                "id": id, "name": latest["name"], "status": status,
                "targeting": latest["targeting"],
                // What visitors get now, for "which dialogue would a page show".
                "live": published.as_ref().filter(|p| p.status == Status::Published).and_then(|p| {
                    let v = serde_json::from_str::<Value>(&p.body).ok()?;
                    Some(json!({ "name": v["name"], "targeting": v["targeting"] }))
                }),
                "version": published.as_ref().map(|p| p.version),
                "revision": draft.as_ref().map_or(0, |d| d.revision),
                "unpublished_changes": changed,
            })
        })
        .collect();
    Ok(Json(json!(list)))
}

/// `GET /api/sites/{site}/dialogues/{id}`: the draft (or the published body, to start
/// one from), its revision and problems, and what visitors get.
pub async fn dialogue(
    State(state): State<AppState>,
    _admin: Admin,
    Path((site, id)): Path<(String, String)>,
) -> Result<Json<Value>, AppError> {
    let draft = store::draft(&state.db, &site, &id).await?;
    let published = store::published(&state.db, &site, &id).await?;
    if draft.is_none() && published.is_none() {
        return Err(AppError::NotFound(format!("no dialogue {id}")));
    }
    let body = draft
        .as_ref()
        .map(|d| d.body.clone())
        .or_else(|| published.as_ref().map(|p| p.body.clone()))
        .unwrap_or_default();
    Ok(Json(json!({
        "id": id,
        "body": body,
        "revision": draft.as_ref().map_or(0, |d| d.revision),
        "problems": problems(&body),
        "draft": draft,
        "published": published,
    })))
}

#[derive(Deserialize)]
pub struct DraftBody {
    body: String,
    /// The revision this edit started from (0: a new draft).
    revision: i64,
}

/// The answer to a save on a stale revision: what the other person saved.
async fn conflict(state: &AppState, site: &str, id: &str) -> Result<Response, AppError> {
    let current = store::draft(&state.db, site, id).await?;
    let who = current.as_ref().map_or_else(String::new, |d| d.author.clone());
    Ok((
        StatusCode::CONFLICT,
        Json(json!({
            "error": format!("{who} saved this dialogue after you opened it: your change is kept here, compare it with theirs and save again"),
            "current": current,
        })),
    )
        .into_response())
}

/// `PUT /api/sites/{site}/dialogues/{id}/draft`: saved even with problems (they come
/// back with their paths); refused when based on a stale revision.
pub async fn save_draft(
    State(state): State<AppState>,
    Admin(signed_in): Admin,
    Path((site, id)): Path<(String, String)>,
    Json(body): Json<DraftBody>,
) -> Result<Response, AppError> {
    found(&state, &site).await?;
    same_id(&id, &body.body)?;
    match store::save_draft(
        &state.db,
        &site,
        &id,
        &body.body,
        body.revision,
        &signed_in.agent.id,
    )
    .await?
    {
        Some(revision) => {
            Ok(Json(json!({ "revision": revision, "problems": problems(&body.body) })).into_response())
        }
        None => conflict(&state, &site, &id).await,
    }
}

/// A draft's text keeps the dialogue's id: another id would be another dialogue.
fn same_id(id: &str, text: &str) -> Result<(), AppError> {
    let declared = serde_json::from_str::<Value>(text)
        .ok()
        .and_then(|v| v["id"].as_str().map(str::to_owned));
    match declared {
        Some(d) if d != id => Err(AppError::BadRequest(format!(
            "id: this dialogue is {id}; a different id makes a new dialogue"
        ))),
        _ => Ok(()),
    }
}

#[derive(Deserialize)]
pub struct PublishBody {
    revision: i64,
    /// What the editor shows: saved as the draft first (on `revision`), then published,
    /// so what is published is what the marketer sees. Without it, the saved draft.
    #[serde(default)]
    body: Option<String>,
}

/// `POST /api/sites/{site}/dialogues/{id}/publish`: the draft at `revision`, if it is
/// still the latest and valid, becomes a new version; with a `body`, that text is saved
/// as the draft first (a stale revision refuses both).
pub async fn publish(
    State(state): State<AppState>,
    Admin(signed_in): Admin,
    Path((site, id)): Path<(String, String)>,
    Json(body): Json<PublishBody>,
) -> Result<Response, AppError> {
    let mut revision = body.revision;
    if let Some(text) = &body.body {
        found(&state, &site).await?;
        same_id(&id, text)?;
        match store::save_draft(&state.db, &site, &id, text, revision, &signed_in.agent.id).await? {
            Some(saved) => revision = saved,
            None => return conflict(&state, &site, &id).await,
        }
    }
    let draft = store::draft(&state.db, &site, &id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no draft of {id}")))?;
    if draft.revision != revision {
        return conflict(&state, &site, &id).await;
    }
    let found = problems(&draft.body);
    if !found.is_empty() {
        return Ok((
            StatusCode::BAD_REQUEST,
            Json(json!({ "error": "fix these problems first", "problems": found })),
        )
            .into_response());
    }
    let version = db::put_dialogue(&state.db, &site, &id, &draft.body, &signed_in.agent.id).await?;
    // A deleted dialogue started again and published is back for visitors.
    if store::published(&state.db, &site, &id)
        .await?
        .is_some_and(|p| p.status == Status::Deleted)
    {
        store::set_status(&state.db, &site, &id, Status::Published).await?;
    }
    store::audit(
        &state.db,
        &signed_in.agent.id,
        "dialogue.publish",
        &format!("{site}/{id}"),
        &format!("version {version}"),
    )
    .await?;
    Ok(Json(json!({ "version": version, "revision": revision })).into_response())
}

/// `GET /api/sites/{site}/dialogues/{id}/versions`
pub async fn versions(
    State(state): State<AppState>,
    _admin: Admin,
    Path((site, id)): Path<(String, String)>,
) -> Result<Json<Value>, AppError> {
    // The version visitors get now is marked `live` (none while the dialogue is off).
    let live = store::published(&state.db, &site, &id)
        .await?
        .filter(|p| p.status == Status::Published)
        .map(|p| p.version);
    let list: Vec<Value> = store::versions(&state.db, &site, &id)
        .await?
        .into_iter()
        .map(|v| {
            let mut row = json!(v);
            row["live"] = json!(Some(v.version) == live);
            row
        })
        .collect();
    Ok(Json(json!(list)))
}

/// `GET /api/sites/{site}/dialogues/{id}/versions/{n}`: the body, to compare.
pub async fn version(
    State(state): State<AppState>,
    _admin: Admin,
    Path((site, id, n)): Path<(String, String, i64)>,
) -> Result<Json<Value>, AppError> {
    let body = store::version_body(&state.db, &site, &id, n)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no version {n}")))?;
    Ok(Json(json!({ "version": n, "body": body })))
}

#[derive(Deserialize, Default)]
pub struct RestoreBody {
    /// The draft revision the editor has: the draft becomes version n's text too, so
    /// the editor and visitors agree; a stale revision (someone saved meanwhile) is
    /// refused with their change. Without it, the draft is replaced whatever it was.
    #[serde(default)]
    revision: Option<i64>,
}

/// `POST /api/sites/{site}/dialogues/{id}/versions/{n}/restore`: rolls back by
/// publishing version n's body again (a new version; history is never rewritten) and
/// making it the draft: `{version, revision, body}`.
pub async fn restore(
    State(state): State<AppState>,
    Admin(signed_in): Admin,
    Path((site, id, n)): Path<(String, String, i64)>,
    body: Option<Json<RestoreBody>>,
) -> Result<Response, AppError> {
    let asked = body.map(|Json(b)| b).unwrap_or_default();
    let restored = store::version_body(&state.db, &site, &id, n)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no version {n}")))?;
    let current = store::draft(&state.db, &site, &id)
        .await?
        .map_or(0, |d| d.revision);
    let based_on = asked.revision.unwrap_or(current);
    let Some(revision) =
        store::save_draft(&state.db, &site, &id, &restored, based_on, &signed_in.agent.id).await?
    else {
        return conflict(&state, &site, &id).await;
    };
    let version = db::put_dialogue(&state.db, &site, &id, &restored, &signed_in.agent.id).await?;
    store::audit(
        &state.db,
        &signed_in.agent.id,
        "dialogue.restore",
        &format!("{site}/{id}"),
        &format!("version {n} published again as {version}"),
    )
    .await?;
    Ok(Json(json!({ "version": version, "revision": revision, "body": restored })).into_response())
}

#[derive(Deserialize)]
pub struct StatusBody {
    status: String,
}

/// `PUT /api/sites/{site}/dialogues/{id}/status`: `published` or `off`.
pub async fn status(
    State(state): State<AppState>,
    Admin(signed_in): Admin,
    Path((site, id)): Path<(String, String)>,
    Json(body): Json<StatusBody>,
) -> Result<Json<Value>, AppError> {
    let status = match body.status.parse() {
        Ok(status @ (Status::Published | Status::Off)) => status,
        _ => return Err(AppError::BadRequest("status is `published` or `off`".into())),
    };
    if !store::set_status(&state.db, &site, &id, status).await? {
        return Err(AppError::NotFound(format!("{id} was never published")));
    }
    store::audit(
        &state.db,
        &signed_in.agent.id,
        "dialogue.status",
        &format!("{site}/{id}"),
        &body.status,
    )
    .await?;
    Ok(Json(json!({ "id": id, "status": body.status })))
}

/// The most test visitors a dialogue keeps.
const MOST_TEST_VISITORS: usize = 50;

/// `GET /api/sites/{site}/dialogues/{id}/test-visitors`
pub async fn test_visitors(
    State(state): State<AppState>,
    _admin: Admin,
    Path((site, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let body = store::test_visitors(&state.db, &site, &id).await?;
    Ok(([(axum::http::header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// `PUT /api/sites/{site}/dialogues/{id}/test-visitors`: the whole list.
pub async fn put_test_visitors(
    State(state): State<AppState>,
    Admin(signed_in): Admin,
    Path((site, id)): Path<(String, String)>,
    Json(list): Json<Vec<TestVisitor>>,
) -> Result<Json<Value>, AppError> {
    found(&state, &site).await?;
    if list.len() > MOST_TEST_VISITORS {
        return Err(AppError::BadRequest(format!(
            "at most {MOST_TEST_VISITORS} test visitors a dialogue"
        )));
    }
    if let Some(v) = list
        .iter()
        .find(|v| v.name.trim().is_empty() || v.expect.trim().is_empty())
    {
        return Err(AppError::BadRequest(format!(
            "every test visitor needs a name and the card they must reach ({:?} has not)",
            v.name
        )));
    }
    store::put_test_visitors(
        &state.db,
        &site,
        &id,
        &serde_json::to_string(&list).unwrap_or_default(),
    )
    .await?;
    store::audit(
        &state.db,
        &signed_in.agent.id,
        "dialogue.test_visitors",
        &format!("{site}/{id}"),
        &format!("{} visitors", list.len()),
    )
    .await?;
    Ok(Json(json!({ "saved": list.len() })))
}

/// `DELETE /api/sites/{site}/dialogues/{id}` (the console asks first).
pub async fn delete(
    State(state): State<AppState>,
    Admin(signed_in): Admin,
    Path((site, id)): Path<(String, String)>,
) -> Result<Json<Value>, AppError> {
    if !store::delete(&state.db, &site, &id).await? {
        return Err(AppError::NotFound(format!("no dialogue {id}")));
    }
    store::audit(
        &state.db,
        &signed_in.agent.id,
        "dialogue.delete",
        &format!("{site}/{id}"),
        "",
    )
    .await?;
    Ok(Json(json!({ "id": id, "deleted": true })))
}

/// The templates of `www/templates/`, built in, in the order the console offers them:
/// each file, and the one sentence the console shows beside its name (the dialogue
/// format has no description field). The files are the one source of every id, name
/// and card; they target every page, everyone, after 5 seconds, at priority 0.
const TEMPLATES: [(&str, &str); 6] = [
    (
        include_str!("../../../../www/templates/lead-capture.json"),
        "Greets visitors, asks what they need and collects their name and email so your team can follow up.",
    ),
    (
        include_str!("../../../../www/templates/book-a-demo.json"),
        "Asks how big the visitor's team is, takes their details and lets them book a 30-minute demo with your sales team.",
    ),
    (
        include_str!("../../../../www/templates/pricing-questions.json"),
        "Answers the most common pricing questions, then offers a live chat or a reply by email.",
    ),
    (
        include_str!("../../../../www/templates/route-by-company-size.json"),
        "Asks how big the visitor's company is: small teams get a self-serve message and an email form, larger ones a live chat with sales.",
    ),
    (
        include_str!("../../../../www/templates/support-handoff.json"),
        "Answers common support questions first, then hands the visitor to a live agent when they still need help.",
    ),
    (
        include_str!("../../../../www/templates/newsletter-signup.json"),
        "A short pitch for your newsletter, then an email sign-up with consent text.",
    ),
];

/// `GET /api/templates`: `[{id, name, description, body}]`, the dialogues a new one can
/// start from (`www/templates/`), lead capture first.
pub async fn templates(_admin: Admin) -> Result<Json<Value>, AppError> {
    let list: Vec<Value> = TEMPLATES
        .iter()
        .filter_map(|(body, description)| {
            let v: Value = serde_json::from_str(body).ok()?;
            Some(json!({ "id": v["id"], "name": v["name"], "description": description, "body": body }))
        })
        .collect();
    Ok(Json(json!(list)))
}

/// `GET /api/audit`: the latest 500 changes.
pub async fn audit(State(state): State<AppState>, _admin: Admin) -> Result<Json<Value>, AppError> {
    Ok(Json(json!(store::audit_log(&state.db, 500).await?)))
}

/// `GET /api/sites/{site}/dialogues/{id}/file`: the draft (or what is published) as a
/// file in the format's own key order, as `www/dialogues/` keeps them; refused with its
/// problems while it has any.
pub async fn file(
    State(state): State<AppState>,
    _admin: Admin,
    Path((site, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let body = match store::draft(&state.db, &site, &id).await? {
        Some(d) => d.body,
        None => {
            store::published(&state.db, &site, &id)
                .await?
                .ok_or_else(|| AppError::NotFound(format!("no dialogue {id}")))?
                .body
        }
    };
    let valid = chinwag_dialogue::json::check(&body).map_err(|p| {
        let lines: Vec<String> = p.iter().map(ToString::to_string).collect();
        AppError::BadRequest(format!("fix these problems first:\n{}", lines.join("\n")))
    })?;
    let disposition = format!("attachment; filename=\"{id}.json\"");
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/json; charset=utf-8".to_owned(),
            ),
            (axum::http::header::CONTENT_DISPOSITION, disposition),
        ],
        chinwag_dialogue::json::to_file(valid.dialogue()),
    )
        .into_response())
}

/// Replaces a site's appearance (admins only).
pub async fn put_appearance(
    State(state): State<AppState>,
    Admin(signed_in): Admin,
    Path(site): Path<String>,
    body: String,
) -> Result<Json<Value>, AppError> {
    super::setup::put_appearance(&state.db, &site, &body).await?;
    store::audit(&state.db, &signed_in.agent.id, "site.appearance", &site, &body).await?;
    Ok(Json(json!({ "site": site })))
}
