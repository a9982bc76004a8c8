//! The REST API's extractors: axum's `Json`, `Query` and `Path`, refusing in the API's
//! one error shape (`{"error": "…"}`, docs/api.md). A body without its JSON content
//! type, not JSON, or of the wrong shape, and a query or path that does not parse, are
//! all a 400 with the reason (axum alone answers 415 or 422 in plain text); a body over
//! the size limit is a 413.

use crate::error::AppError;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

/// A refusal in the API's shape.
fn refused(status: StatusCode, why: String) -> Response {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        return (status, axum::Json(serde_json::json!({ "error": why }))).into_response();
    }
    AppError::BadRequest(why).into_response()
}

/// axum's reason without its prefix ("Failed to deserialize …: ").
fn reason(text: String) -> String {
    match text.split_once(": ") {
        Some((head, rest)) if head.starts_with("Failed to") => rest.to_owned(),
        _ => text,
    }
}

/// A JSON body.
pub struct Body<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Body<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Response> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(Body(value)),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(refused(
                StatusCode::BAD_REQUEST,
                "send a JSON body with `Content-Type: application/json`".into(),
            )),
            Err(JsonRejection::JsonSyntaxError(e)) => Err(refused(
                StatusCode::BAD_REQUEST,
                format!("the body is not JSON: {}", reason(e.body_text())),
            )),
            Err(JsonRejection::JsonDataError(e)) => Err(refused(
                StatusCode::BAD_REQUEST,
                format!("the body does not fit: {}", reason(e.body_text())),
            )),
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => Err(refused(
                StatusCode::PAYLOAD_TOO_LARGE,
                "the body is too large (1 MB at most)".into(),
            )),
            Err(e) => Err(refused(
                StatusCode::BAD_REQUEST,
                format!("the body could not be read: {}", reason(e.body_text())),
            )),
        }
    }
}

/// A query string.
pub struct Params<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Params<T> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| Params(q.0))
            .map_err(|e: QueryRejection| {
                refused(
                    StatusCode::BAD_REQUEST,
                    format!("the query does not fit: {}", reason(e.body_text())),
                )
            })
    }
}

/// The path's `{id}`.
pub struct Id(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        axum::extract::Path::<String>::from_request_parts(parts, state)
            .await
            .map(|p| Id(p.0))
            .map_err(|e: PathRejection| {
                refused(
                    StatusCode::BAD_REQUEST,
                    format!("the path does not fit: {}", reason(e.body_text())),
                )
            })
    }
}
