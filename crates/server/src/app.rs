//! The router: every route of every area, assembled in one place (as in axum's
//! examples). State lives in `state.rs`, errors in `error.rs`.

use crate::access::routes as sign_in;
use crate::console::people;
use crate::console::routes as console;
use crate::data::lead_routes as leads;
use crate::data::privacy_routes as privacy;
use crate::data::routes as data;
use crate::data::webhooks::routes as webhooks;
use crate::live::inbox;
use crate::live::{agent, visitor};
use crate::meetings::routes as meetings;
use crate::rest::routes as rest;
use crate::state::AppState;
use crate::{health, labels, replies, widget_config};
use axum::routing::{delete, get, post, put};
use axum::Router;

pub fn router(state: AppState) -> Router {
    // The widget's files are public and load from any site's pages (CORS), as does the
    // loader at /chinwag.js; what a site may do is checked at its config and sockets.
    let public = tower_http::cors::CorsLayer::new().allow_origin(tower_http::cors::Any);
    // The loader is the widget's `/chinwag.js`: the same service, at the same path.
    let (widget, inbox) = crate::assets::sources(&state.config);
    let widget = crate::assets::widget(&widget);
    let loader = widget.clone();
    let inbox = crate::assets::inbox(&inbox);
    // Caches must keep the encodings apart.
    let vary = tower_http::set_header::SetResponseHeaderLayer::appending(
        axum::http::header::VARY,
        axum::http::HeaderValue::from_static("accept-encoding"),
    );
    Router::new()
        .route("/ws/visitor", get(visitor::upgrade))
        .route("/ws/agent", get(agent::upgrade))
        .route("/api/login", post(sign_in::login))
        .route("/api/logout", post(sign_in::logout))
        .route("/api/me", get(sign_in::me))
        .route("/api/conversations", get(inbox::conversations))
        .route("/api/conversations/{id}/events", get(inbox::events))
        .route("/api/agents", post(people::create_agent))
        .route("/api/agents/{id}", put(people::update_agent))
        .route("/api/routing", get(people::routing_order))
        .route("/api/agents/{id}/invitation", post(people::invite_agent))
        .route("/api/invitations/accept", post(sign_in::accept_invitation))
        .route("/api/teams", post(people::create_team))
        .route("/api/teams/{id}/hours", put(crate::hours::routes::set))
        .route("/api/reports", get(crate::reports::routes::json))
        .route("/api/reports.csv", get(crate::reports::routes::csv))
        .route("/files/{id}", get(crate::files::routes::serve))
        .route("/api/sites/{site}/config", get(widget_config::site_config))
        .route("/api/sites", get(console::sites).post(console::create_site))
        .route("/api/sites/{site}", put(console::update_site))
        .route(
            "/api/sites/{site}/identity-secret",
            post(console::identity_secret),
        )
        .route("/api/sites/{site}/dialogues", get(console::dialogues))
        .route(
            "/api/sites/{site}/dialogues/{id}",
            get(console::dialogue).delete(console::delete),
        )
        .route("/api/templates", get(console::templates))
        .route(
            "/api/sites/{site}/dialogues/{id}/test-visitors",
            get(console::test_visitors).put(console::put_test_visitors),
        )
        .route("/api/sites/{site}/dialogues/{id}/draft", put(console::save_draft))
        .route("/api/sites/{site}/dialogues/{id}/publish", post(console::publish))
        .route("/api/sites/{site}/dialogues/{id}/status", put(console::status))
        .route("/api/sites/{site}/dialogues/{id}/file", get(console::file))
        .route(
            "/api/sites/{site}/dialogues/{id}/versions",
            get(console::versions),
        )
        .route(
            "/api/sites/{site}/dialogues/{id}/versions/{n}",
            get(console::version),
        )
        .route(
            "/api/sites/{site}/dialogues/{id}/versions/{n}/restore",
            post(console::restore),
        )
        .route("/api/audit", get(console::audit))
        .route(
            "/api/sites/{site}/activity",
            post(data::post_activity).layer(axum::extract::DefaultBodyLimit::max(64 * 1024)),
        )
        .route("/api/sites/{site}/metrics", get(data::site_metrics))
        .route(
            "/api/sites/{site}/webhooks",
            get(webhooks::list).post(webhooks::create),
        )
        .route(
            "/api/sites/{site}/webhooks/{id}",
            put(webhooks::switch).delete(webhooks::delete),
        )
        .route("/api/sites/{site}/webhooks/{id}/rotate", post(webhooks::rotate))
        .route("/api/sites/{site}/webhooks/{id}/test", post(webhooks::test))
        .route(
            "/api/sites/{site}/webhooks/{id}/deliveries",
            get(webhooks::deliveries),
        )
        .route(
            "/api/sites/{site}/webhooks/{id}/deliveries/{delivery}/replay",
            post(webhooks::replay),
        )
        .route(
            "/api/sites/{site}/retention",
            get(privacy::windows).put(privacy::set_windows),
        )
        .route("/api/sites/{site}/retention/preview", get(privacy::preview_route))
        .route("/api/sites/{site}/retention/purge", post(privacy::purge_now))
        .route("/api/sites/{site}/erase", post(privacy::erase))
        .route("/api/sites/{site}/people", get(privacy::export))
        .route(
            "/api/sites/{site}/api-keys",
            get(rest::list_keys).post(rest::create_key),
        )
        .route(
            "/api/sites/{site}/api-keys/{id}",
            axum::routing::delete(rest::revoke_key),
        )
        // The REST API, routed from the table that describes it (rest/openapi.rs).
        .merge(crate::rest::openapi::router())
        .route("/api/sites/{site}/leads", get(leads::list))
        .route("/api/sites/{site}/leads.csv", get(leads::export))
        .route("/api/sites/{site}/leads/import", post(leads::import))
        .route("/api/sites/{site}/leads/{id}", get(leads::story))
        .route(
            "/api/sites/{site}/dialogues/{id}/metrics",
            get(data::dialogue_metrics),
        )
        .route(
            "/api/sites/{site}/dialogues/{id}/metrics.csv",
            get(data::dialogue_metrics_csv),
        )
        .route(
            "/api/sites/{site}/dialogues/{id}/marks.ndjson",
            get(data::marks_ndjson),
        )
        .route("/api/sites/{site}/appearance", put(console::put_appearance))
        .route("/api/directory", get(inbox::directory))
        .route("/api/saved-replies", get(replies::list).post(replies::create))
        .route("/api/saved-replies/{id}", delete(replies::delete))
        .route("/api/search", get(crate::search::search))
        .route("/api/labels", get(labels::list).post(labels::create))
        .route("/api/labels/{id}", delete(labels::delete))
        .route("/api/conversations/{id}/labels", put(inbox::put_labels))
        .route("/api/sites/{site}/meetings/slots", get(meetings::slots))
        .route("/api/sites/{site}/meetings", post(meetings::create))
        .route(
            "/api/sites/{site}/meeting-settings",
            get(meetings::settings).put(meetings::put_settings),
        )
        .route("/api/meetings", get(meetings::list))
        .route("/api/meetings/{id}", get(meetings::show))
        .route("/api/meetings/{id}/invite.ics", get(meetings::ics))
        .route("/api/meetings/{id}/outcome", post(meetings::outcome))
        .route("/api/meetings/{id}/{action}", post(meetings::change))
        .route(
            "/api/me/availability",
            get(meetings::my_availability).put(meetings::put_availability),
        )
        .route("/api/me/locale", get(meetings::my_locale).put(meetings::put_locale))
        .route(
            "/api/me/calendar",
            get(meetings::my_calendar)
                .put(meetings::put_calendar)
                .delete(meetings::delete_calendar),
        )
        .route("/api/calendar-problems", get(meetings::calendar_problems))
        .route("/meetings/manage", get(crate::meetings::manage::page))
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
        .route("/healthz", get(health::alive))
        .route("/readyz", get(health::ready))
        .route("/metrics", get(crate::telemetry::scrape))
        // Bodies are small JSON (the largest, a dialogue, is far below this); no request
        // takes longer than this (socket upgrades answer at once).
        .layer(axum::extract::DefaultBodyLimit::max(1024 * 1024))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            std::time::Duration::from_secs(30),
        ))
        // Files and mails of up to 10 MB: their own body limits, and the time a slow
        // phone connection needs (10 MB at 300 kbit/s is under 5 minutes).
        .merge(
            Router::new()
                .route(
                    "/api/sites/{site}/files",
                    post(crate::files::routes::from_visitor)
                        .options(crate::files::routes::preflight)
                        .layer(crate::files::routes::body_limit()),
                )
                .route(
                    "/api/conversations/{id}/files",
                    post(crate::files::routes::from_agent).layer(crate::files::routes::body_limit()),
                )
                .route(
                    "/api/mail/inbound",
                    post(crate::mail::routes::inbound).layer(crate::mail::routes::body_limit()),
                )
                .layer(tower_http::timeout::TimeoutLayer::with_status_code(
                    axum::http::StatusCode::REQUEST_TIMEOUT,
                    std::time::Duration::from_secs(300),
                )),
        )
        // A span per request: method, path, status and time in the logs. Never the query
        // string: it carries emails and search terms (`?email=`, `?q=`) into files no
        // erasure reaches.
        .layer(
            tower_http::trace::TraceLayer::new_for_http()
                .make_span_with(|request: &axum::http::Request<_>| {
                    tracing::info_span!("request", method = %request.method(), path = %request.uri().path())
                })
                .on_response(tower_http::trace::DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .with_state(state)
}
