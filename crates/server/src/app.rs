//! The application state, the error type handlers return, and the router, assembled
//! in one place (as in axum's examples).

use crate::config::Config;
use crate::db::Db;
use crate::hub::Hub;
use crate::token::Signer;
use crate::{agent, api, visitor};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub hub: Arc<Hub>,
    pub signer: Signer,
    pub config: Arc<Config>,
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("sign in first")]
    Unauthorized,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    BadRequest(String),
    #[error("the conversation is closed")]
    Closed,
    #[error("storage failed: {0}")]
    Db(#[from] sqlx::Error),
    #[error("{0}")]
    Internal(#[from] anyhow::Error),
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = match &self {
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) | AppError::Closed => StatusCode::BAD_REQUEST,
            AppError::Db(_) | AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        if status == StatusCode::INTERNAL_SERVER_ERROR {
            tracing::error!("{self}");
        }
        (status, Json(serde_json::json!({ "error": self.to_string() }))).into_response()
    }
}

pub fn router(state: AppState) -> Router {
    // The widget's files are public and load from any site's pages (CORS), as does the
    // loader at /chinwag.js; what a site may do is checked at its config and sockets.
    let public = tower_http::cors::CorsLayer::new().allow_origin(tower_http::cors::Any);
    // The build writes .br and .gz copies beside the files (scripts/precompress.mjs).
    let widget = tower_http::services::ServeDir::new(&state.config.widget_dir)
        .precompressed_br()
        .precompressed_gzip();
    let loader = tower_http::services::ServeFile::new(state.config.widget_dir.join("chinwag.js"))
        .precompressed_br()
        .precompressed_gzip();
    let inbox = tower_http::services::ServeDir::new(&state.config.inbox_dir)
        .precompressed_br()
        .precompressed_gzip();
    // Caches must keep the encodings apart.
    let vary = tower_http::set_header::SetResponseHeaderLayer::appending(
        axum::http::header::VARY,
        axum::http::HeaderValue::from_static("accept-encoding"),
    );
    Router::new()
        .route("/ws/visitor", get(visitor::upgrade))
        .route("/ws/agent", get(agent::upgrade))
        .route("/api/login", post(api::login))
        .route("/api/logout", post(api::logout))
        .route("/api/me", get(api::me))
        .route("/api/conversations", get(api::conversations))
        .route("/api/conversations/{id}/events", get(api::events))
        .route("/api/agents", post(api::create_agent))
        .route("/api/teams", post(api::create_team))
        .route("/api/sites/{site}/config", get(api::site_config))
        .route("/api/sites/{site}/appearance", put(api::put_appearance))
        .route("/api/directory", get(api::directory))
        .nest_service(
            "/widget",
            tower::ServiceBuilder::new()
                .layer(public.clone())
                .layer(vary.clone())
                .service(widget),
        )
        .route_service(
            "/chinwag.js",
            tower::ServiceBuilder::new()
                .layer(public)
                .layer(vary.clone())
                .service(loader),
        )
        .nest_service("/inbox", tower::ServiceBuilder::new().layer(vary).service(inbox))
        .route("/", get(|| async { axum::response::Redirect::to("/inbox/") }))
        .with_state(state)
}
