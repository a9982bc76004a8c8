//! A real server on an ephemeral port with a temporary SQLite file, and real
//! WebSocket clients for visitors and agents; `app` calls the router without a port,
//! for tests that speak only HTTP.

#![allow(dead_code)]

pub mod app;
#[allow(unused_imports)]
pub use app::App;
pub mod postgres;

use chinwag_protocol::{ServerFrame, VisitorFrame};
use futures_util::{SinkExt, StreamExt};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub const SITE_ORIGIN: &str = "http://shop.test";
pub const SECRET: &str = "test-secret-of-enough-length";
pub const METRICS_TOKEN: &str = "metrics-token";

/// A dialogue with one live-chat card per routing mode.
const ROUTES: &str = r#"{
  "id": "routes", "name": "One card per route",
  "stream": [{ "type": "question", "text": "Route?", "answers": [
    { "label": "team", "then": [{ "type": "live_chat", "route": { "mode": "team", "team": "billing" }, "fallback": "Billing is away" }] },
    { "label": "round robin", "then": [{ "type": "live_chat", "route": { "mode": "round_robin" }, "fallback": "Everyone is away" }] },
    { "label": "agent", "then": [{ "type": "live_chat", "route": { "mode": "agent", "agent": "ben" }, "fallback": "Ben is away" }] },
    { "label": "rules", "then": [{ "type": "live_chat", "route": { "mode": "rules", "rules": [
      { "when": { "is_not_empty": "vip" }, "to": { "agent": "ben" } },
      { "when": { "is_not_empty": "email" }, "to": { "team": "enterprise" } }
    ] }, "fallback": "Our specialists are away" }] },
    { "label": "verified rules", "then": [{ "type": "live_chat", "route": { "mode": "rules", "rules": [
      { "when": { "equals": { "attribute": "company_size", "value": "More than 1000" } }, "to": { "agent": "ben" }, "verified": true }
    ] }, "fallback": "Only verified enterprises reach Ben" }] }
  ] }]
}"#;

/// The live-chat cards of the `routes` dialogue.
pub const TEAM: &str = "stream[0].answers[0].then[0]";
pub const ROUND_ROBIN: &str = "stream[0].answers[1].then[0]";
pub const AGENT_BEN: &str = "stream[0].answers[2].then[0]";
pub const RULES: &str = "stream[0].answers[3].then[0]";
pub const VERIFIED_RULES: &str = "stream[0].answers[4].then[0]";

pub struct Server {
    pub addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<anyhow::Result<()>>,
}

impl Server {
    /// Starts a server on `db` (seeding the demo site, agents and dialogues once).
    pub async fn start(db: &Path) -> Server {
        Server::start_on(db, "127.0.0.1:0").await
    }

    pub async fn start_on(db: &Path, address: &str) -> Server {
        Server::start_with(db, address, |_| {}).await
    }

    /// Starts a server whose configuration `edit` changes first.
    pub async fn start_with(
        db: &Path,
        address: &str,
        edit: impl FnOnce(&mut chinwag_server::config::Config),
    ) -> Server {
        let listener = tokio::net::TcpListener::bind(address).await.unwrap();
        let addr = listener.local_addr().unwrap();
        let mut config = seeded(db, addr).await;
        edit(&mut config);
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(chinwag_server::serve(config, listener, async {
            let _ = stopped.await;
        }));
        Server {
            addr,
            stop: Some(stop),
            task,
        }
    }

    /// Stops it as SIGTERM does: gracefully, waiting for `serve` to return.
    pub async fn shut_down(mut self) -> anyhow::Result<()> {
        let _ = self.stop.take().map(|s| s.send(()));
        self.task.await.expect("the server task ends")
    }

    /// Stops it (open sockets are cut, as in a crash of the process).
    pub async fn stop(mut self) {
        let _ = self.stop.take().map(|s| s.send(()));
        self.task.abort();
        let _ = self.task.await;
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

/// The test configuration on `db`, seeded with the demo site, agents and dialogues
/// and the `routes` dialogue.
pub async fn seeded(db: &Path, addr: SocketAddr) -> chinwag_server::config::Config {
    let database = database(db).await;
    seed(&database).await;
    chinwag_server::config::Config {
        listen: addr,
        database,
        secret: SECRET.into(),
        widget_dir: PathBuf::from("."),
        inbox_dir: PathBuf::from("."),
        metrics_token: METRICS_TOKEN.into(),
        ..Default::default()
    }
}

/// Seeds `database` with the demo site, agents and dialogues and the `routes` dialogue.
pub async fn seed(database: &str) {
    let pool = chinwag_server::db::connect(database).await.unwrap();
    let dialogues = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../www/dialogues");
    chinwag_server::demo::seed(&pool, vec![SITE_ORIGIN.into()], &dialogues)
        .await
        .unwrap();
    chinwag_server::console::setup::put_dialogue(&pool, "demo", ROUTES)
        .await
        .unwrap();
    pool.close().await;
}

pub type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

pub async fn connect(
    url: &str,
    headers: &[(&str, &str)],
) -> Result<Socket, tokio_tungstenite::tungstenite::Error> {
    let mut request = url.into_client_request().unwrap();
    for (name, value) in headers {
        request.headers_mut().insert(
            axum::http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
            value.parse().unwrap(),
        );
    }
    tokio_tungstenite::connect_async(request).await.map(|(ws, _)| ws)
}

pub async fn visitor(server: &Server) -> Socket {
    let url = format!("ws://{}/ws/visitor?site=demo", server.addr);
    connect(&url, &[("origin", SITE_ORIGIN)]).await.unwrap()
}

pub async fn send(ws: &mut Socket, frame: &impl serde::Serialize) {
    ws.send(Message::Text(serde_json::to_string(frame).unwrap().into()))
        .await
        .unwrap();
}

pub async fn send_raw(ws: &mut Socket, text: &str) {
    ws.send(Message::Text(text.to_owned().into())).await.unwrap();
}

/// The next frame, failing the test after five seconds.
pub async fn recv(ws: &mut Socket) -> ServerFrame {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(5), ws.next())
            .await
            .expect("a frame within 5 s")
            .expect("socket open")
            .expect("no socket error");
        if let Message::Text(text) = message {
            return serde_json::from_str(&text).unwrap_or_else(|e| panic!("bad frame {text}: {e}"));
        }
    }
}

/// Frames until one matches, returning it (and failing after five seconds).
pub async fn until(ws: &mut Socket, mut wanted: impl FnMut(&ServerFrame) -> bool) -> ServerFrame {
    loop {
        let frame = recv(ws).await;
        if wanted(&frame) {
            return frame;
        }
    }
}

pub fn hello(token: Option<String>, last_seq: u64) -> VisitorFrame {
    VisitorFrame::Hello(chinwag_protocol::VisitorHello {
        version: chinwag_protocol::VERSION,
        site: "demo".into(),
        token,
        last_seq,
    })
}

pub fn handoff(id: &str, card: &str, attributes: &[(&str, &str)]) -> VisitorFrame {
    VisitorFrame::Handoff(chinwag_protocol::Handoff {
        id: id.into(),
        dialogue_id: "routes".into(),
        card: card.into(),
        transcript: vec![chinwag_dialogue::Entry {
            at: 1,
            speaker: chinwag_dialogue::Speaker::Bot,
            card: "stream[0]".into(),
            text: "Hi there!".into(),
            image: None,
            button: None,
        }],
        attributes: attributes
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        page_url: "http://shop.test/pricing".into(),
    })
}

pub fn message(id: &str, text: &str) -> VisitorFrame {
    VisitorFrame::Message(chinwag_protocol::Outgoing {
        id: id.into(),
        text: text.into(),
    })
}

/// Starts a conversation; returns (conversation id, token).
pub async fn start_conversation(ws: &mut Socket, card: &str) -> (String, String) {
    send(ws, &hello(None, 0)).await;
    until(ws, |f| matches!(f, ServerFrame::Welcome(_))).await;
    send(
        ws,
        &handoff("h1", card, &[("first_name", "Vera"), ("email", "vera@shop.test")]),
    )
    .await;
    match until(
        ws,
        |f| matches!(f, ServerFrame::Welcome(w) if w.conversation.is_some()),
    )
    .await
    {
        ServerFrame::Welcome(w) => (w.conversation.unwrap(), w.token.unwrap()),
        _ => unreachable!(),
    }
}

/// The kind of an event of `conversation`, if `frame` is one.
pub fn event_in<'a>(frame: &'a ServerFrame, conversation: &str) -> Option<&'a chinwag_protocol::EventKind> {
    match frame {
        ServerFrame::Event(e) if e.conversation == conversation => Some(&e.kind),
        _ => None,
    }
}

/// Sends a visitor's line and waits for its acknowledgement.
pub async fn say(visitor: &mut Socket, id: &str, text: &str) {
    send(visitor, &message(id, text)).await;
    let ack = until(visitor, |f| {
        matches!(f, ServerFrame::Ack { .. } | ServerFrame::Error(_))
    })
    .await;
    assert!(
        matches!(&ack, ServerFrame::Ack { id: acked, .. } if acked == id),
        "{ack:?}"
    );
}

/// Ben, a visitor, and the visitor's chat once it is Ben's: the conversation and the
/// visitor's token.
pub async fn bens_chat(server: &Server) -> (Agent, Socket, String, String) {
    let mut ben = agent(server, "ben@demo.chinwag").await;
    let mut visitor = visitor(server).await;
    let (conversation, token) = start_conversation(&mut visitor, AGENT_BEN).await;
    until(&mut ben.ws, |f| {
        matches!(
            event_in(f, &conversation),
            Some(chinwag_protocol::EventKind::Assigned { .. })
        )
    })
    .await;
    (ben, visitor, conversation, token)
}

/// Closes a conversation as `agent` and waits until `hears` (the visitor's socket, or
/// the agent's own) is told.
pub async fn close_chat(agent: &mut Agent, hears: Option<&mut Socket>, conversation: &str) {
    let close = chinwag_protocol::AgentFrame::Close {
        conversation: conversation.to_owned(),
    };
    send(&mut agent.ws, &close).await;
    let ws = match hears {
        Some(ws) => ws,
        None => &mut agent.ws,
    };
    until(ws, |f| {
        matches!(
            event_in(f, conversation),
            Some(chinwag_protocol::EventKind::Closed { .. })
        )
    })
    .await;
}

/// A webhook endpoint of the demo site for `events`, made by Ana, pointing at a closed
/// port: its messages are stored (to read from the database), never delivered.
/// The server must allow private addresses (`webhook_private_addresses`).
pub async fn closed_port_hook(server: &Server, events: &[&str]) -> Agent {
    let ana = agent(server, "ana@demo.chinwag").await;
    let made = ana
        .post_json(
            server,
            "/api/sites/demo/webhooks",
            serde_json::json!({ "url": "http://127.0.0.1:9/hook", "events": events }),
        )
        .await;
    assert!(made["endpoint"]["id"].is_string(), "{made}");
    ana
}

/// An agent signed in over HTTP, with their inbox socket open.
pub struct Agent {
    pub http: reqwest::Client,
    pub csrf: String,
    /// The session cookie, `name=value`, to open the inbox socket again.
    pub cookie: String,
    pub ws: Socket,
}

impl Agent {
    /// A GET of the agent's HTTP API, as JSON.
    pub async fn get_json(&self, server: &Server, path: &str) -> serde_json::Value {
        self.get_json_url(&server.url(path)).await
    }

    /// A GET of any URL with the agent's session, as JSON.
    pub async fn get_json_url(&self, url: &str) -> serde_json::Value {
        self.http.get(url).send().await.unwrap().json().await.unwrap()
    }

    /// A POST of JSON to the agent's HTTP API (with the CSRF token), the answer as JSON.
    pub async fn post_json(&self, server: &Server, path: &str, body: serde_json::Value) -> serde_json::Value {
        let response = self
            .http
            .post(server.url(path))
            .header("x-csrf-token", &self.csrf)
            .json(&body)
            .send()
            .await
            .unwrap();
        response.json().await.unwrap()
    }

    /// The conversation's stored events, as JSON text, over the inbox's HTTP API.
    pub async fn history(&self, server: &Server, conversation: &str) -> String {
        let url = server.url(&format!("/api/conversations/{conversation}/events"));
        let body: serde_json::Value = self.http.get(url).send().await.unwrap().json().await.unwrap();
        body["events"].to_string()
    }
}

pub async fn agent(server: &Server, email: &str) -> Agent {
    agent_at(server.addr, email).await
}

/// An agent signed in at `addr` (a server, or a balancer in front of several).
pub async fn agent_at(addr: SocketAddr, email: &str) -> Agent {
    let http = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let response = http
        .post(format!("http://{addr}/api/login"))
        .json(&serde_json::json!({ "email": email, "password": chinwag_server::demo::PASSWORD }))
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_success(),
        "login {email}: {}",
        response.status()
    );
    let cookie = response
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let body: serde_json::Value = response.json().await.unwrap();
    let origin = format!("http://{addr}");
    let url = format!("ws://{addr}/ws/agent");
    let mut ws = connect(&url, &[("origin", &origin), ("cookie", &cookie)])
        .await
        .unwrap();
    send(
        &mut ws,
        &chinwag_protocol::AgentFrame::Hello {
            version: chinwag_protocol::VERSION,
        },
    )
    .await;
    until(&mut ws, |f| matches!(f, ServerFrame::Welcome(_))).await;
    Agent {
        http,
        csrf: body["csrf"].as_str().unwrap().to_owned(),
        cookie,
        ws,
    }
}

/// The database a test's server runs on for `path`: that SQLite file, or, when
/// `TEST_POSTGRES` names a PostgreSQL server (`scripts/test.sh` starts one
/// and runs every server test again), a fresh database there, the same one for the
/// same path for the whole test binary (a restarted server finds its data).
pub async fn database(path: &Path) -> String {
    let Ok(server) = std::env::var("TEST_POSTGRES") else {
        return path.to_str().expect("a UTF-8 path").to_owned();
    };
    static NAMES: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());
    let (name, new) = {
        let mut names = NAMES.lock().unwrap();
        let known = names.iter().position(|p| p == path);
        let index = known.unwrap_or_else(|| {
            names.push(path.to_path_buf());
            names.len() - 1
        });
        (format!("t{}_{index}", std::process::id()), known.is_none())
    };
    if new {
        use sqlx::{Connection, Executor};
        let mut admin = sqlx::PgConnection::connect(&format!("{server}/postgres"))
            .await
            .unwrap();
        admin
            .execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .unwrap();
    }
    format!("{server}/{name}")
}

/// A pool on the test's database (see `database`), for tests that look inside.
pub async fn db(path: &Path) -> chinwag_server::db::Db {
    chinwag_server::db::connect(&database(path).await).await.unwrap()
}

/// A loopback port nobody listens on now, never one this process handed out before:
/// the kernel may offer a port again once it is released, and two services of tests
/// running side by side would then race for it.
pub fn free_port() -> u16 {
    static GIVEN: std::sync::Mutex<Vec<u16>> = std::sync::Mutex::new(Vec::new());
    let mut given = GIVEN.lock().unwrap();
    loop {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        if !given.contains(&port) {
            given.push(port);
            return port;
        }
    }
}

/// A run of the demo's sales-handoff dialogue through its form, as the widget reports
/// it to `/api/sites/demo/activity`.
pub fn handoff_report(run: &str, visitor: &str, fields: &[(&str, &str)], start: u64) -> serde_json::Value {
    use chinwag_dialogue::engine::{Answer, Stream};
    let d =
        chinwag_dialogue::json::check(include_str!("../../../../www/dialogues/sales-handoff.json")).unwrap();
    let context = chinwag_dialogue::VisitorContext {
        attributes: Default::default(),
        page_url: "http://shop.test/pricing".into(),
        locale: "en".into(),
        teams_available: Vec::new(),
    };
    let mut s = Stream::start(&d, context, start);
    s.answer(&d, Answer::Choice(0), start + 1_000).unwrap();
    let fields = fields
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    s.answer(&d, Answer::Fields(fields), start + 2_000).unwrap();
    serde_json::json!({ "run": run, "visitor": visitor, "dialogue": "sales-handoff", "version": 1, "locale": "en",
        "known": false, "from": 0, "marks": s.marks, "captured": s.captured })
}

/// A test that cannot run here says so and passes; with `CI=true` (`.ci/run`) it fails
/// instead: in CI every test runs in the pass meant for it (scripts/test.sh leaves the
/// others out by name), so a skip there is a missing service or a wrong pass.
pub fn skipped(why: &str) {
    let test = std::thread::current().name().unwrap_or("a test").to_owned();
    assert_ne!(
        std::env::var("CI").as_deref(),
        Ok("true"),
        "{test} cannot run here: {why}"
    );
    eprintln!("SKIPPED {test}: {why}");
}

pub fn temp_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("chinwag.db");
    (dir, path)
}

/// A meeting booked on the demo site with Ana for `visitor` (name, email), as the
/// booking flow stores it: for tests that need one in the database.
pub fn booked_meeting(
    id: &str,
    visitor: (&str, &str),
    said: &str,
    now_secs: i64,
) -> chinwag_server::meetings::store::Meeting {
    chinwag_server::meetings::store::Meeting {
        id: id.into(),
        site_id: "demo".into(),
        dialogue_id: "book-a-demo".into(),
        card: "stream[2]".into(),
        host_id: "ana".into(),
        start_at: 4_000_000_000,
        end_at: 4_000_001_800,
        busy_from: 4_000_000_000,
        busy_until: 4_000_001_800,
        status: chinwag_server::meetings::store::Status::Booked,
        outcome: None,
        visitor_name: visitor.0.into(),
        visitor_email: visitor.1.into(),
        visitor_zone: "Europe/Lisbon".into(),
        locale: "en".into(),
        reason: serde_json::json!({}),
        sequence: 0,
        transcript: serde_json::json!([["visitor", said]]),
        calendar_synced: false,
        created_at: now_secs,
        updated_at: now_secs,
    }
}
