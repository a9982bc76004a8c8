//! The error handlers return: one place maps it to an HTTP status and a JSON body
//! (`{"error": "..."}`), and `socket::error_frame` to an error frame. A leaf.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

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
    /// The request does not fit what is stored (a gap in a run's marks, say).
    #[error("{0}")]
    Conflict(String),
    /// A body over its limit (413).
    #[error("{0}")]
    TooLarge(String),
    /// A body of a type not taken (415).
    #[error("{0}")]
    Unsupported(String),
    /// A limit refused: what, and the seconds to wait (`Retry-After`).
    #[error("{0}")]
    TooMany(String, u64),
    #[error("storage failed: {0}")]
    Db(#[from] sqlx::Error),
    #[error("{0}")]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    /// A rate limit's refusal: what was limited and when to try again (whole seconds,
    /// rounded up: trying again then succeeds).
    pub fn too_many(what: &str, wait: std::time::Duration) -> AppError {
        let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        let seconds = seconds.max(1);
        AppError::TooMany(format!("too many {what}: try again in {seconds} s"), seconds)
    }

    /// A socket refused for the sockets its address has open: when one closes is not
    /// known, so the client is told to wait a little rather than hammer.
    pub fn too_many_sockets() -> AppError {
        AppError::too_many("open chats from this address", std::time::Duration::from_secs(10))
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = match &self {
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) | AppError::Closed => StatusCode::BAD_REQUEST,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Unsupported(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::TooMany(..) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Db(_) | AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        if status == StatusCode::INTERNAL_SERVER_ERROR {
            tracing::error!("{self}");
        }
        let body = Json(serde_json::json!({ "error": self.to_string() }));
        match self {
            AppError::TooMany(_, seconds) => {
                (status, [(header::RETRY_AFTER, seconds.to_string())], body).into_response()
            }
            _ => (status, body).into_response(),
        }
    }
}
