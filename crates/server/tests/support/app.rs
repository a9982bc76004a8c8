//! The server's router called directly (`oneshot`), for tests that speak only HTTP:
//! the same routes, state and database as a served server, without a port or a client.

use super::{seeded, SITE_ORIGIN};
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use std::path::Path;
use tower::ServiceExt;

pub struct App {
    router: axum::Router,
}

/// A response, read whole.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    /// The body as JSON (`null` when it is not JSON).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

/// An agent signed in: the session cookie and the CSRF token that go with every call.
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

impl App {
    /// The router on `db`, seeded as `Server::start` seeds it.
    pub async fn start(db: &Path) -> App {
        let config = seeded(db, "127.0.0.1:8080".parse().unwrap()).await;
        let state = chinwag_server::state(config).await.unwrap();
        App {
            router: chinwag_server::app::router(state),
        }
    }

    /// One request; `body` is sent as JSON when it is given.
    pub async fn call(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> Reply {
        let mut request = Request::builder().method(method).uri(path);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if body.is_some() {
            request = request.header("content-type", "application/json");
        }
        let request = request
            .body(body.map_or_else(Body::empty, |b| Body::from(b.to_owned())))
            .unwrap();
        let response = self.router.clone().oneshot(request).await.unwrap();
        let (parts, body) = response.into_parts();
        let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap();
        Reply {
            status: parts.status,
            headers: parts.headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    /// A call as the embedding page on the demo site's origin makes it.
    pub async fn as_site(&self, path: &str) -> Reply {
        self.call("GET", path, &[("origin", SITE_ORIGIN)], None).await
    }

    /// Signs `email` in with the demo password.
    pub async fn sign_in(&self, email: &str) -> Session {
        let login = serde_json::json!({ "email": email, "password": chinwag_server::demo::PASSWORD });
        let reply = self
            .call("POST", "/api/login", &[], Some(&login.to_string()))
            .await;
        assert!(reply.status.is_success(), "login {email}: {}", reply.status);
        let cookie = reply.headers["set-cookie"].to_str().unwrap();
        Session {
            cookie: cookie.split(';').next().unwrap().to_owned(),
            csrf: reply.json()["csrf"].as_str().unwrap().to_owned(),
        }
    }

    /// A call by a signed-in agent.
    pub async fn as_agent(&self, session: &Session, method: &str, path: &str, body: Option<&str>) -> Reply {
        let headers = [
            ("cookie", session.cookie.as_str()),
            ("x-csrf-token", session.csrf.as_str()),
        ];
        self.call(method, path, &headers, body).await
    }
}
