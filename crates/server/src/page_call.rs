//! Calls the widget makes from a site's pages (meetings, activity, the visitor's socket):
//! the site exists,
//! the page's origin is allowed, CORS on the answer, and JSON bodies sent as
//! `text/plain` (a simple request for browsers: no CORS preflight, one round trip less,
//! and what `navigator.sendBeacon` sends).

use crate::db;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use axum::response::Response;
use std::collections::HashMap;

/// The extractor of a call from one of a site's pages: the site named by the route's
/// `{site}`, found, with the page's origin on its list (404 or 403 otherwise, before the
/// body is read). A call whose site comes from elsewhere (a meeting's link) uses [`site`].
pub struct PageSite(pub db::Site);

impl FromRequestParts<AppState> for PageSite {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let unknown = || AppError::NotFound("no such site".into());
        let Path(params) = Path::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .map_err(|_| unknown())?;
        let id = params.get("site").ok_or_else(unknown)?;
        let what = parts.uri.path().to_owned();
        site(state, id, &parts.headers, &what).await.map(PageSite)
    }
}

/// The site a page calls for, once its origin is checked; `what` names the call in the
/// log line of a refusal.
pub async fn site(
    state: &AppState,
    site: &str,
    headers: &HeaderMap,
    what: &str,
) -> Result<db::Site, AppError> {
    let found = db::site(&state.db, site)
        .await?
        .ok_or_else(|| AppError::NotFound("no such site".into()))?;
    if !origin_allowed(&found, headers) {
        tracing::warn!(site, "{what} refused: origin not allowed");
        return Err(AppError::Forbidden(
            "this origin is not allowed for this site".into(),
        ));
    }
    Ok(found)
}

/// Whether the request's `Origin` is on the site's allowlist.
pub fn origin_allowed(site: &db::Site, headers: &HeaderMap) -> bool {
    page_origin(headers).is_some_and(|o| site.origins.contains(&o))
}

/// The requesting page's origin: `Origin`, or, for the same-origin GETs browsers send
/// without one, the origin part of `Referer`.
pub fn page_origin(headers: &HeaderMap) -> Option<String> {
    if let Some(origin) = headers.get(header::ORIGIN) {
        return origin.to_str().ok().map(str::to_owned);
    }
    let referer = headers.get(header::REFERER)?.to_str().ok()?;
    let (scheme, rest) = referer.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    Some(format!("{scheme}://{host}"))
}

/// CORS for the widget on the site's pages (origin already checked).
pub fn cors(mut response: Response, headers: &HeaderMap) -> Response {
    if let Some(origin) = headers.get(header::ORIGIN) {
        response
            .headers_mut()
            .insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
        response
            .headers_mut()
            .insert(header::VARY, header::HeaderValue::from_static("Origin"));
    }
    response
}

/// A JSON body sent as `text/plain`.
pub fn json_body<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, AppError> {
    serde_json::from_str(text).map_err(|e| AppError::BadRequest(format!("the request is not valid: {e}")))
}
