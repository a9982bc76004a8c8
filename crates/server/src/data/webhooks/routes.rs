//! Webhook endpoints for admins: add (the secret shown once), list, turn on and off,
//! rotate the secret (the old one signs too for 24 hours), remove; each endpoint's
//! delivery log, and replay of any delivery.

use super::store::{self, Endpoint};
use super::{sign, worker};
use crate::access::auth::Admin;
use crate::db::{new_id, now_ms};
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Value};

pub use super::events::TYPES;

/// How long a rotated-out secret still signs.
const ROTATION_MS: i64 = 24 * 3600 * 1000;

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewEndpoint {
    url: String,
    #[serde(default)]
    description: String,
    #[serde(default = "all")]
    events: Vec<String>,
}

fn all() -> Vec<String> {
    vec!["*".into()]
}

fn seal(state: &AppState, secrets: &[(String, Option<i64>)]) -> String {
    state
        .sealer
        .seal(&serde_json::to_string(secrets).unwrap_or_default())
}

async fn found(state: &AppState, site: &str, id: &str) -> Result<(Endpoint, String), AppError> {
    store::endpoint(&state.db, site, id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no webhook endpoint {id}")))
}

/// `GET /api/sites/{site}/webhooks`
pub async fn list(
    State(state): State<AppState>,
    _admin: Admin,
    Path(site): Path<String>,
) -> Result<Json<Value>, AppError> {
    Ok(Json(
        json!({ "endpoints": store::endpoints(&state.db, &site).await?, "types": TYPES }),
    ))
}

/// `POST /api/sites/{site}/webhooks`: the endpoint, with its secret (shown this once).
pub async fn create(
    State(state): State<AppState>,
    Admin(signed_in): Admin,
    Path(site): Path<String>,
    Json(body): Json<NewEndpoint>,
) -> Result<Json<Value>, AppError> {
    worker::reachable(&body.url, state.config.webhook_private_addresses)
        .await
        .map_err(|e| AppError::BadRequest(format!("url: {e}")))?;
    if let Some(unknown) = body
        .events
        .iter()
        .find(|e| *e != "*" && !TYPES.contains(&e.as_str()))
    {
        return Err(AppError::BadRequest(format!("events: no event type `{unknown}`")));
    }
    let secret = sign::new_secret();
    let endpoint = Endpoint {
        id: new_id(),
        site_id: site.clone(),
        url: body.url,
        description: body.description.chars().take(200).collect(),
        events: body.events,
        enabled: true,
        disabled_reason: None,
        created_at: now_ms() as i64,
    };
    store::create(&state.db, &endpoint, &seal(&state, &[(secret.clone(), None)])).await?;
    crate::console::store::audit(
        &state.db,
        &signed_in.agent.id,
        "webhook.create",
        &endpoint.id,
        &endpoint.url,
    )
    .await?;
    Ok(Json(json!({ "endpoint": endpoint, "secret": secret })))
}

#[derive(serde::Deserialize)]
pub struct Switch {
    enabled: bool,
}

/// `PUT /api/sites/{site}/webhooks/{id}`: on or off.
pub async fn switch(
    State(state): State<AppState>,
    _admin: Admin,
    Path((site, id)): Path<(String, String)>,
    Json(body): Json<Switch>,
) -> Result<Json<Value>, AppError> {
    found(&state, &site, &id).await?;
    let reason = (!body.enabled).then_some("turned off by an admin");
    store::set_enabled(&state.db, &id, body.enabled, reason).await?;
    Ok(Json(json!({ "enabled": body.enabled })))
}

/// `POST /api/sites/{site}/webhooks/{id}/rotate`: a new secret (shown this once); the
/// old one signs as well for 24 hours, so receivers switch without losing a message.
pub async fn rotate(
    State(state): State<AppState>,
    Admin(signed_in): Admin,
    Path((site, id)): Path<(String, String)>,
) -> Result<Json<Value>, AppError> {
    let (_, sealed) = found(&state, &site, &id).await?;
    let now = now_ms() as i64;
    let current = worker::live_secrets(&state, &sealed, now);
    let secret = sign::new_secret();
    let mut secrets = vec![(secret.clone(), None)];
    secrets.extend(current.into_iter().take(1).map(|s| (s, Some(now + ROTATION_MS))));
    store::set_secrets(&state.db, &id, &seal(&state, &secrets)).await?;
    crate::console::store::audit(&state.db, &signed_in.agent.id, "webhook.rotate", &id, "").await?;
    Ok(Json(
        json!({ "secret": secret, "previous_signs_until": now + ROTATION_MS }),
    ))
}

/// `DELETE /api/sites/{site}/webhooks/{id}`
pub async fn delete(
    State(state): State<AppState>,
    Admin(signed_in): Admin,
    Path((site, id)): Path<(String, String)>,
) -> Result<Json<Value>, AppError> {
    if !store::delete(&state.db, &site, &id).await? {
        return Err(AppError::NotFound(format!("no webhook endpoint {id}")));
    }
    crate::console::store::audit(&state.db, &signed_in.agent.id, "webhook.delete", &id, "").await?;
    Ok(Json(json!({ "deleted": id })))
}

/// `GET /api/sites/{site}/webhooks/{id}/deliveries`: the latest 100.
pub async fn deliveries(
    State(state): State<AppState>,
    _admin: Admin,
    Path((site, id)): Path<(String, String)>,
) -> Result<Json<Value>, AppError> {
    found(&state, &site, &id).await?;
    Ok(Json(json!(store::log(&state.db, &id, 100).await?)))
}

/// `POST /api/sites/{site}/webhooks/{id}/deliveries/{delivery}/replay`: the same message
/// (same id) again, now.
pub async fn replay(
    State(state): State<AppState>,
    _admin: Admin,
    Path((site, id, delivery)): Path<(String, String, String)>,
) -> Result<Json<Value>, AppError> {
    found(&state, &site, &id).await?;
    if !store::replay(&state.db, &id, &delivery, now_ms() as i64).await? {
        return Err(AppError::NotFound(format!("no delivery {delivery}")));
    }
    Ok(Json(json!({ "replayed": delivery })))
}

/// `POST /api/sites/{site}/webhooks/{id}/test`: a `webhook.test` message (to every
/// endpoint of the site that takes it).
pub async fn test(
    State(state): State<AppState>,
    _admin: Admin,
    Path((site, id)): Path<(String, String)>,
) -> Result<Json<Value>, AppError> {
    found(&state, &site, &id).await?;
    let mut tx = crate::db::write_tx(&state.db).await?;
    let event = super::events::Event::WebhookTest(super::events::Test { endpoint: id.clone() });
    let message = store::enqueue(&mut tx, &site, &event, now_ms() as i64)
        .await?
        .ok_or_else(|| AppError::BadRequest("this endpoint is off or does not take webhook.test".into()))?;
    tx.commit().await?;
    Ok(Json(json!({ "message": message })))
}
