//! The data layer: every query the server runs, in portable SQL (SQLite now,
//! PostgreSQL later). Handlers never write SQL themselves.

use crate::data::webhooks::events::{self, Event as Webhook};
use chinwag_protocol::{AgentStatus, ConversationState, Event, EventKind};
use sqlx::any::AnyPoolOptions;
use sqlx::any::AnyRow;
use sqlx::{Executor, FromRow, Row};
use std::collections::BTreeMap;

/// A pool on either engine: every query is written once, with `$N` placeholders,
/// which both SQLite and PostgreSQL bind by number.
pub type Db = sqlx::AnyPool;

/// The two engines: SQLite, a file (the default, one node), or PostgreSQL, a URL
/// (several nodes; docs/deployment.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    /// `database` is a file path or a `postgres://` URL.
    pub fn of(database: &str) -> Engine {
        match database.starts_with("postgres://") || database.starts_with("postgresql://") {
            true => Engine::Postgres,
            false => Engine::Sqlite,
        }
    }
}

/// The engine `db` runs on.
pub fn engine(db: &Db) -> Engine {
    Engine::of(db.connect_options().database_url.as_str())
}

/// Opens the database (a SQLite file, created when missing, or a PostgreSQL URL) and
/// applies the migrations it lacks.
pub async fn connect(database: &str) -> anyhow::Result<Db> {
    sqlx::any::install_default_drivers();
    let options = AnyPoolOptions::new().max_connections(8).after_release(|conn, _| {
        // A connection still in a transaction when it comes back is one whose
        // `begin` was dropped after the database began it (a request cancelled
        // mid-way; sqlx's SQLite worker can have answered into a channel nobody reads):
        // nothing will ever end that transaction, and on SQLite it holds the write
        // lock. Close it (closing rolls back) instead of lending it out again.
        // tests/cancelled_transaction.rs.
        Box::pin(async move { Ok(!sqlx::Connection::is_in_transaction(conn)) })
    });
    let db = match Engine::of(database) {
        Engine::Postgres => {
            let db = options.connect(database).await?;
            sqlx::migrate!("./migrations/postgres").run(&db).await?;
            db
        }
        Engine::Sqlite => {
            let db = options
                .after_connect(|conn, _| {
                    Box::pin(async move {
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        // Deleted rows are overwritten with zeros, not left in free
                        // space: erased means gone from the file (docs/privacy.md).
                        conn.execute("PRAGMA secure_delete = ON").await?;
                        Ok(())
                    })
                })
                .connect(&format!("sqlite://{database}?mode=rwc"))
                .await?;
            sqlx::migrate!("./migrations").run(&db).await?;
            db
        }
    };
    Ok(db)
}

/// After an erasure or a purge: no byte of what was deleted stays in the files. With
/// `secure_delete` the database file holds zeros where the rows were; the write-ahead
/// log still holds earlier copies of their pages until a checkpoint copies it back and
/// truncates it, which waits for readers (tried again for up to 5 s). PostgreSQL keeps
/// dead rows until `VACUUM` and old WAL segments until they are recycled: there this is
/// it does nothing, and docs/privacy.md says what that means.
pub async fn forget_deleted(db: &Db) {
    if engine(db) != Engine::Sqlite {
        return;
    }
    for _ in 0..50 {
        match sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").fetch_one(db).await {
            // (busy, log frames, checkpointed frames): 0 busy is a complete checkpoint.
            Ok(row) if row.try_get::<i64, _>(0).unwrap_or(1) == 0 => return,
            Ok(_) => {}
            Err(e) => tracing::warn!("checkpoint after a deletion: {e}"),
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    tracing::error!("deleted rows may stay in the write-ahead log until the next checkpoint: readers kept it busy for 5 s");
}

/// A transaction that takes the write lock at once (SQLite's `BEGIN IMMEDIATE`), for
/// work that reads before it writes: a deferred one could not turn from reading into
/// writing once another writer committed (`database is locked`, at once, no waiting);
/// this one waits its turn (busy timeout). PostgreSQL locks rows as it writes: a plain `BEGIN`.
pub async fn write_tx(db: &Db) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Any>> {
    match engine(db) {
        Engine::Sqlite => begun(db, Some("BEGIN IMMEDIATE")).await,
        Engine::Postgres => begun(db, None).await,
    }
}

/// A transaction (`BEGIN`), for work that writes first or only reads.
pub async fn begin(db: &Db) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Any>> {
    begun(db, None).await
}

/// Begins in a task of its own, so a caller dropped mid-way (a request the browser
/// abandoned) cannot leave a connection inside a transaction nobody ends: sqlx 0.8's
/// `begin` can be cut after the database began (SQLite: while it checks a custom
/// `BEGIN`; PostgreSQL: before it counts the transaction), and the connection goes back
/// to the pool holding SQLite's write lock or PostgreSQL's row locks. Here the task
/// finishes; when nobody waits for its transaction, dropping it rolls back.
/// tests/cancelled_transaction.rs.
async fn begun(
    db: &Db,
    statement: Option<&'static str>,
) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Any>> {
    let db = db.clone();
    #[allow(clippy::disallowed_methods)] // the one place that calls them
    let task = tokio::spawn(async move {
        match statement {
            Some(statement) => db.begin_with(statement).await,
            None => db.begin().await,
        }
    });
    task.await.map_err(|_| sqlx::Error::WorkerCrashed)?
}

/// Long writers that work in chunks (the retention purge) and the group commit take
/// turns here between chunks, in this process, first come first served: a waiting
/// group commit gets in after one chunk instead of sleeping through SQLite's busy
/// handler, whose backoff steps (up to 100 ms) would show in the relay's latency.
pub static WRITE_TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// How many of this build's migrations the database has not applied (readiness).
pub async fn pending_migrations(db: &Db) -> Result<usize, sqlx::Error> {
    let applied: Vec<i64> = sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success")
        .fetch_all(db)
        .await?;
    let migrator = match engine(db) {
        Engine::Sqlite => sqlx::migrate!("./migrations"),
        Engine::Postgres => sqlx::migrate!("./migrations/postgres"),
    };
    Ok(migrator.iter().filter(|m| !applied.contains(&m.version)).count())
}

/// An `IN` list with one placeholder per id, numbered from `$first`: `($2, $3)`; for
/// none, `('')`, which no id equals. The ids are bound ([`bind_ids`]), never written
/// into the SQL.
pub fn in_list(first: usize, n: usize) -> String {
    if n == 0 {
        return "('')".into();
    }
    let marks: Vec<String> = (first..first + n)
        .map(|k| ["$", &k.to_string()].concat())
        .collect();
    ["(", &marks.join(", "), ")"].concat()
}

/// A statement with its arguments, on either engine.
pub type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// Binds each id, in order, to the placeholders [`in_list`] wrote.
pub fn bind_ids<'q>(mut query: AnyQuery<'q>, ids: &'q [String]) -> AnyQuery<'q> {
    for id in ids {
        query = query.bind(id.as_str());
    }
    query
}

pub use crate::ids::new_id;

/// The server's one clock: every "now" the server uses is read here (scheduling and the
/// dialogue core take it as an input). Tests set it for the whole process with
/// `faketime` (`scripts/test-clock.sh`), so no test-only branch exists in the product.
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

#[derive(Clone, Debug, Default)]
pub struct Site {
    pub id: String,
    pub name: String,
    pub origins: Vec<String>,
    /// The site's appearance settings as JSON, validated before they are stored.
    pub appearance: String,
    /// The identity-verification secret, sealed (`access/secrets.rs`); `None`: not set yet.
    pub identity_secret: Option<String>,
    /// Routing decides on verified attributes only.
    pub require_verification: bool,
    /// Off: the loader gets no dialogue (the console's switch).
    pub chat_enabled: bool,
    /// A capture joins a known lead only with the visitor's consent (docs/leads.md).
    pub merge_consent: bool,
}

pub async fn put_site(db: &Db, site: &Site) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO sites (id, name, origins) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET name = excluded.name, origins = excluded.origins")
        .bind(&site.id)
        .bind(&site.name)
        .bind(serde_json::to_string(&site.origins).unwrap_or_default())
        .execute(db)
        .await?;
    Ok(())
}

pub async fn site(db: &Db, id: &str) -> sqlx::Result<Option<Site>> {
    sqlx::query_as(
        "SELECT id, name, origins, appearance, identity_secret, require_verification, chat_enabled, merge_consent \
         FROM sites WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db)
    .await
}

/// By hand: the origins are JSON text and the switches integers.
impl sqlx::FromRow<'_, AnyRow> for Site {
    fn from_row(r: &AnyRow) -> sqlx::Result<Self> {
        Ok(Site {
            id: r.try_get("id")?,
            name: r.try_get("name")?,
            origins: serde_json::from_str(r.try_get("origins")?).unwrap_or_default(),
            appearance: r.try_get("appearance")?,
            identity_secret: r.try_get("identity_secret")?,
            require_verification: r.try_get::<i64, _>("require_verification")? != 0,
            chat_enabled: r.try_get::<i64, _>("chat_enabled")? != 0,
            merge_consent: r.try_get::<i64, _>("merge_consent")? != 0,
        })
    }
}

/// Sets a site's sealed identity secret and whether it requires verification.
pub async fn set_identity(db: &Db, site: &str, sealed: &str, require: bool) -> sqlx::Result<bool> {
    let done = sqlx::query("UPDATE sites SET identity_secret = $1, require_verification = $2 WHERE id = $3")
        .bind(sealed)
        .bind(i64::from(require))
        .bind(site)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn put_appearance(db: &Db, site: &str, json: &str) -> sqlx::Result<bool> {
    let done = sqlx::query("UPDATE sites SET appearance = $1 WHERE id = $2")
        .bind(json)
        .bind(site)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Publishes a dialogue: its body becomes an immutable version (unless it equals the
/// latest one, so seeding again changes nothing) and what visitors get. A dialogue
/// switched off stays off. Returns the version.
pub async fn put_dialogue(db: &Db, site: &str, id: &str, body: &str, author: &str) -> sqlx::Result<i64> {
    let mut tx = write_tx(db).await?;
    let latest = sqlx::query(
        "SELECT version, body FROM dialogue_versions WHERE site_id = $1 AND dialogue_id = $2 ORDER BY version DESC LIMIT 1",
    )
    .bind(site)
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let version = match latest {
        Some(row) if row.get::<String, _>("body") == body => row.get("version"),
        latest => {
            let version = latest.map_or(1, |r| r.get::<i64, _>("version") + 1);
            sqlx::query(
                "INSERT INTO dialogue_versions (site_id, dialogue_id, version, body, author, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(site)
            .bind(id)
            .bind(version)
            .bind(body)
            .bind(author)
            .bind(now_ms() as i64)
            .execute(&mut *tx)
            .await?;
            version
        }
    };
    sqlx::query(
        "INSERT INTO dialogues (site_id, id, body, version) VALUES ($1, $2, $3, $4)
         ON CONFLICT (site_id, id) DO UPDATE SET body = excluded.body, version = excluded.version",
    )
    .bind(site)
    .bind(id)
    .bind(body)
    .bind(version)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(version)
}

/// What the loader gets: the site's published dialogues that are on, with their
/// versions.
pub async fn dialogues(db: &Db, site: &str) -> sqlx::Result<Vec<(String, i64)>> {
    sqlx::query_as(
        "SELECT body, version FROM dialogues WHERE site_id = $1 AND status = 'published' ORDER BY id",
    )
    .bind(site)
    .fetch_all(db)
    .await
}

/// Every published dialogue of a site, on or off: a conversation or a booking under way
/// finishes even when its dialogue was switched off meanwhile.
pub async fn all_dialogues(db: &Db, site: &str) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar("SELECT body FROM dialogues WHERE site_id = $1 ORDER BY id")
        .bind(site)
        .fetch_all(db)
        .await
}

/// A column of text whose values are an enum's names (`strum`), read with
/// `#[sqlx(try_from = "String")]` and refused with the value when unknown.
macro_rules! text_column {
    ($($name:ty),+) => {$(
        impl TryFrom<String> for $name {
            type Error = strum::ParseError;
            fn try_from(text: String) -> Result<Self, Self::Error> {
                text.parse()
            }
        }
    )+};
}
pub(crate) use text_column;

/// What an agent may do: an admin also runs the console and sees every chat.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, strum::EnumString, strum::IntoStaticStr)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Role {
    Admin,
    Agent,
}
text_column!(Role);

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Agent {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub status: AgentStatus,
    /// Deactivated agents cannot sign in and get nothing.
    pub active: bool,
    /// Routing gives chats only to agents with this permission.
    pub live_chat: bool,
    /// The most open chats routing gives them at once (capacity).
    pub max_chats: u32,
}

fn status_of(text: &str) -> AgentStatus {
    match text {
        "available" => AgentStatus::Available,
        "away" => AgentStatus::Away,
        _ => AgentStatus::Offline,
    }
}

pub fn status_text(status: AgentStatus) -> &'static str {
    match status {
        AgentStatus::Available => "available",
        AgentStatus::Away => "away",
        AgentStatus::Offline => "offline",
    }
}

pub async fn create_agent(
    db: &Db,
    id: &str,
    name: &str,
    email: &str,
    password_hash: &str,
    role: Role,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO agents (id, name, email, password_hash, role) VALUES ($1, $2, $3, $4, $5)")
        .bind(id)
        .bind(name)
        .bind(email.trim().to_ascii_lowercase())
        .bind(password_hash)
        .bind(<&str>::from(role))
        .execute(db)
        .await?;
    Ok(())
}

/// By hand: flags are integers (sqlx's `Any` decodes `bool` only from a boolean
/// column, which SQLite has not), and the status is the protocol's enum.
impl sqlx::FromRow<'_, AnyRow> for Agent {
    fn from_row(r: &AnyRow) -> sqlx::Result<Self> {
        Ok(Agent {
            id: r.try_get("id")?,
            name: r.try_get("name")?,
            email: r.try_get("email")?,
            // Only the two are ever written (`console::setup::add_agent` parses the role).
            role: r.try_get::<&str, _>("role")?.parse().unwrap_or(Role::Agent),
            status: status_of(r.try_get("status")?),
            active: r.try_get::<i64, _>("active")? != 0,
            live_chat: r.try_get::<i64, _>("live_chat")? != 0,
            max_chats: r.try_get::<i64, _>("max_chats")?.clamp(0, u32::MAX as i64) as u32,
        })
    }
}

/// The agent and their password hash, by email.
pub async fn agent_login(db: &Db, email: &str) -> sqlx::Result<Option<(Agent, String)>> {
    let row = sqlx::query("SELECT * FROM agents WHERE email = $1")
        .bind(email.trim().to_ascii_lowercase())
        .fetch_optional(db)
        .await?;
    row.map(|r| Ok((Agent::from_row(&r)?, r.try_get("password_hash")?)))
        .transpose()
}

pub async fn agent(db: &Db, id: &str) -> sqlx::Result<Option<Agent>> {
    sqlx::query_as("SELECT * FROM agents WHERE id = $1")
        .bind(id)
        .fetch_optional(db)
        .await
}

pub async fn set_status(db: &Db, agent: &str, status: AgentStatus) -> sqlx::Result<()> {
    sqlx::query("UPDATE agents SET status = $1 WHERE id = $2")
        .bind(status_text(status))
        .bind(agent)
        .execute(db)
        .await?;
    Ok(())
}

/// An agent as routing sees them (`live::routing` takes these): who, whether they can
/// take a chat now, and their teams.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub id: String,
    pub status: AgentStatus,
    pub teams: Vec<String>,
    /// Their open chats (snoozed ones are not counted), and their capacity.
    pub open_chats: u32,
    pub max_chats: u32,
}

impl Candidate {
    /// Whether routing may give them one more chat.
    pub fn has_room(&self) -> bool {
        self.open_chats < self.max_chats
    }
}

/// Every agent with status and teams, as routing needs them.
pub async fn routing_agents(db: &Db) -> sqlx::Result<Vec<Candidate>> {
    let agents = sqlx::query(
        "SELECT a.id, a.status, a.active, a.live_chat, a.max_chats, \
         (SELECT COUNT(*) FROM conversations c WHERE c.agent_id = a.id AND c.status = 'open') AS open_chats \
         FROM agents a",
    )
    .fetch_all(db)
    .await?;
    let members = sqlx::query("SELECT team_id, agent_id FROM team_members")
        .fetch_all(db)
        .await?;
    Ok(agents
        .into_iter()
        .map(|a| {
            let id: String = a.get("id");
            let teams = members
                .iter()
                .filter(|m| m.get::<&str, _>("agent_id") == id)
                .map(|m| m.get("team_id"))
                .collect();
            // Routing never picks an agent who is deactivated or may not chat.
            let may_chat = a.get::<i64, _>("active") != 0 && a.get::<i64, _>("live_chat") != 0;
            Candidate {
                status: if may_chat {
                    status_of(a.get("status"))
                } else {
                    AgentStatus::Offline
                },
                id,
                teams,
                open_chats: a.get::<i64, _>("open_chats").clamp(0, u32::MAX as i64) as u32,
                max_chats: a.get::<i64, _>("max_chats").clamp(0, u32::MAX as i64) as u32,
            }
        })
        .collect())
}

/// Sets what an agent may do; deactivating also ends their sessions and sets them
/// offline. Returns whether the agent exists.
pub async fn set_access(db: &Db, agent: &str, active: bool, live_chat: bool) -> sqlx::Result<bool> {
    let mut tx = begin(db).await?;
    let done = sqlx::query("UPDATE agents SET active = $1, live_chat = $2 WHERE id = $3")
        .bind(i64::from(active))
        .bind(i64::from(live_chat))
        .bind(agent)
        .execute(&mut *tx)
        .await?;
    if !active {
        sqlx::query("DELETE FROM sessions WHERE agent_id = $1")
            .bind(agent)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE agents SET status = 'offline' WHERE id = $1")
            .bind(agent)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(done.rows_affected() == 1)
}

/// The agent's teams, all at once.
pub async fn set_teams(db: &Db, agent: &str, teams: &[String]) -> sqlx::Result<()> {
    let mut tx = begin(db).await?;
    sqlx::query("DELETE FROM team_members WHERE agent_id = $1")
        .bind(agent)
        .execute(&mut *tx)
        .await?;
    for team in teams {
        sqlx::query("INSERT INTO team_members (team_id, agent_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(team)
            .bind(agent)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await
}

/// The open and snoozed conversations assigned to an agent.
pub async fn open_conversations_of(db: &Db, agent: &str) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar("SELECT id FROM conversations WHERE agent_id = $1 AND status <> 'closed'")
        .bind(agent)
        .fetch_all(db)
        .await
}

pub async fn create_team(db: &Db, id: &str, name: &str) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO teams (id, name) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET name = excluded.name",
    )
    .bind(id)
    .bind(name)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn add_member(db: &Db, team: &str, agent: &str) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO team_members (team_id, agent_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .bind(team)
        .bind(agent)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn positions(db: &Db) -> sqlx::Result<BTreeMap<String, String>> {
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT pool, agent_id FROM positions")
        .fetch_all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

/// Moves a pool's round-robin position from `from` (what routing read; `None`: no
/// position yet) to `to`, only if it is still `from`: whether it moved. A compare and
/// set, so nodes routing at once cannot both take the same turn.
pub async fn advance_position(db: &Db, pool: &str, from: Option<&str>, to: &str) -> sqlx::Result<bool> {
    let done = match from {
        Some(from) => {
            sqlx::query("UPDATE positions SET agent_id = $1 WHERE pool = $2 AND agent_id = $3")
                .bind(to)
                .bind(pool)
                .bind(from)
                .execute(db)
                .await?
        }
        None => {
            sqlx::query(
                "INSERT INTO positions (pool, agent_id) VALUES ($1, $2) ON CONFLICT (pool) DO NOTHING",
            )
            .bind(pool)
            .bind(to)
            .execute(db)
            .await?
        }
    };
    Ok(done.rows_affected() == 1)
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct Conversation {
    pub id: String,
    pub site_id: String,
    pub dialogue_id: String,
    pub page_url: String,
    pub attributes: BTreeMap<String, String>,
    /// The names of the attributes a valid identity token vouched for.
    pub verified: Vec<String>,
    pub agent_id: Option<String>,
    pub state: ConversationState,
    /// Snoozed until this time (milliseconds since the Unix epoch); none: until the
    /// visitor writes.
    pub snoozed_until: Option<u64>,
    pub last_seq: u64,
    pub created_at: u64,
    /// Its latest event's time: lists show the newest activity first.
    pub active_at: u64,
    /// The route it was handed over with (the dialogue's, as JSON): a chat waiting in
    /// the queue is routed again by it. The inbox reads it as `team`: the team a team
    /// card routed it to (its filter by team).
    #[serde(rename = "team", serialize_with = "team_of_route")]
    pub route: Option<String>,
    /// Since when it waits in the queue (everyone who could take it at capacity).
    pub queued_at: Option<u64>,
}

/// The team of a stored route, when a team card routed the chat (else none).
pub fn team_of(route: Option<&str>) -> Option<String> {
    match serde_json::from_str::<chinwag_dialogue::Route>(route?).ok()? {
        chinwag_dialogue::Route::Team { team } => Some(team),
        _ => None,
    }
}

fn team_of_route<S: serde::Serializer>(route: &Option<String>, s: S) -> Result<S::Ok, S::Error> {
    serde::Serialize::serialize(&team_of(route.as_deref()), s)
}

/// By hand: attributes are JSON text, and the status is a state's name.
impl sqlx::FromRow<'_, AnyRow> for Conversation {
    fn from_row(r: &AnyRow) -> sqlx::Result<Self> {
        Ok(Conversation {
            id: r.try_get("id")?,
            site_id: r.try_get("site_id")?,
            dialogue_id: r.try_get("dialogue_id")?,
            page_url: r.try_get("page_url")?,
            attributes: serde_json::from_str(r.try_get("attributes")?).unwrap_or_default(),
            verified: serde_json::from_str(r.try_get("verified")?).unwrap_or_default(),
            agent_id: r.try_get("agent_id")?,
            state: ConversationState::parse(r.try_get("status")?).unwrap_or(ConversationState::Closed),
            snoozed_until: r.try_get::<Option<i64>, _>("snoozed_until")?.map(|t| t as u64),
            last_seq: r.try_get::<i64, _>("last_seq")? as u64,
            created_at: r.try_get::<i64, _>("created_at")? as u64,
            active_at: r.try_get::<i64, _>("active_at")? as u64,
            route: r.try_get("route")?,
            queued_at: r.try_get::<Option<i64>, _>("queued_at")?.map(|t| t as u64),
        })
    }
}

/// Stores a new conversation, with its webhook's message (docs/webhooks.md).
pub async fn create_conversation(db: &Db, c: &Conversation) -> sqlx::Result<()> {
    let mut tx = begin(db).await?;
    sqlx::query("INSERT INTO conversations (id, site_id, dialogue_id, page_url, attributes, verified, agent_id, status, last_seq, created_at, active_at, route) VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', 0, $8, $8, $9)")
        .bind(&c.id)
        .bind(&c.site_id)
        .bind(&c.dialogue_id)
        .bind(&c.page_url)
        .bind(serde_json::to_string(&c.attributes).unwrap_or_default())
        .bind(serde_json::to_string(&c.verified).unwrap_or_default())
        .bind(&c.agent_id)
        .bind(c.created_at as i64)
        .bind(&c.route)
        .execute(&mut *tx)
        .await?;
    let a = &c.attributes;
    let visitor = [a.get("first_name"), a.get("last_name"), a.get("email")]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(" ");
    index_line(&mut tx, &c.id, 0, "visitor", &visitor).await?;
    let event = Webhook::ConversationStarted(events::ConversationStarted {
        id: c.id.clone(),
        dialogue: c.dialogue_id.clone(),
        page_url: c.page_url.clone(),
        attributes: c.attributes.clone(),
        verified: c.verified.clone(),
    });
    tell(&mut tx, &c.site_id, &event).await?;
    tx.commit().await
}

/// A conversation's webhook message, in the change's transaction (docs/webhooks.md).
pub(crate) async fn tell(conn: &mut sqlx::AnyConnection, site: &str, event: &Webhook) -> sqlx::Result<()> {
    crate::data::webhooks::outbox::enqueue(conn, site, event, now_ms() as i64).await?;
    Ok(())
}

pub async fn conversation(db: &Db, id: &str) -> sqlx::Result<Option<Conversation>> {
    sqlx::query_as("SELECT * FROM conversations WHERE id = $1")
        .bind(id)
        .fetch_optional(db)
        .await
}

/// The latest 200 conversations in `state` an agent may see, newest activity first:
/// all for admins; otherwise theirs and unassigned ones.
pub async fn conversations_for(
    db: &Db,
    agent: &Agent,
    state: ConversationState,
) -> sqlx::Result<Vec<Conversation>> {
    // An admin's id never matches the agent-or-nobody test's first half alone: `$3`
    // says whether to skip the test.
    sqlx::query_as(
        "SELECT * FROM conversations WHERE status = $1 AND ($2 = 1 OR agent_id = $3 OR agent_id IS NULL) \
         ORDER BY active_at DESC, id DESC LIMIT 200",
    )
    .bind(state.as_str())
    .bind(i64::from(agent.role == Role::Admin))
    .bind(&agent.id)
    .fetch_all(db)
    .await
}

/// Gives the conversation to `agent` (or to nobody); it leaves the queue.
pub async fn assign(db: &Db, conversation: &str, agent: Option<&str>) -> sqlx::Result<()> {
    assign_where(db, conversation, agent, false).await.map(|_| ())
}

/// Gives a chat waiting in the queue to `agent`, unless it left the queue meanwhile
/// (another node gave it out, an agent claimed it, it closed): whether this did.
pub async fn assign_queued(db: &Db, conversation: &str, agent: &str) -> sqlx::Result<bool> {
    assign_where(db, conversation, Some(agent), true).await
}

async fn assign_where(
    db: &Db,
    conversation: &str,
    agent: Option<&str>,
    queued_only: bool,
) -> sqlx::Result<bool> {
    let mut tx = begin(db).await?;
    let site: Option<String> = sqlx::query_scalar(
        "UPDATE conversations SET agent_id = $1, queued_at = NULL WHERE id = $2 \
         AND ($3 = 0 OR (queued_at IS NOT NULL AND agent_id IS NULL AND status = 'open')) RETURNING site_id",
    )
    .bind(agent)
    .bind(conversation)
    .bind(i64::from(queued_only))
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(site) = &site {
        let event = Webhook::ConversationAssigned(events::ConversationAssigned {
            id: conversation.to_owned(),
            agent: agent.map(str::to_owned),
        });
        tell(&mut tx, site, &event).await?;
    }
    tx.commit().await?;
    Ok(site.is_some())
}

pub async fn close(db: &Db, conversation: &str) -> sqlx::Result<()> {
    let mut tx = begin(db).await?;
    let site: Option<String> = sqlx::query_scalar(
        "UPDATE conversations SET status = 'closed', snoozed_until = NULL, queued_at = NULL WHERE id = $1 AND status <> 'closed' RETURNING site_id",
    )
    .bind(conversation)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(site) = &site {
        let event = Webhook::ConversationClosed(events::Gone {
            id: conversation.to_owned(),
        });
        tell(&mut tx, site, &event).await?;
    }
    tx.commit().await
}

/// Snoozes an open or snoozed conversation (`until`: see `Conversation`); false when
/// it is closed or gone.
pub async fn snooze(db: &Db, conversation: &str, until: Option<u64>) -> sqlx::Result<bool> {
    let mut tx = begin(db).await?;
    let site: Option<String> = sqlx::query_scalar(
        "UPDATE conversations SET status = 'snoozed', snoozed_until = $1 WHERE id = $2 AND status <> 'closed' RETURNING site_id",
    )
    .bind(until.map(|t| t as i64))
    .bind(conversation)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(site) = &site {
        let event = Webhook::ConversationSnoozed(events::Snoozed {
            id: conversation.to_owned(),
            until: until.map(|t| t as i64),
        });
        tell(&mut tx, site, &event).await?;
    }
    tx.commit().await?;
    Ok(site.is_some())
}

/// Opens a conversation again when it is still in the state `from` (read by the
/// caller): true when this call did it, so two callers never both reopen it.
pub async fn reopen(db: &Db, conversation: &str, from: ConversationState, by: &str) -> sqlx::Result<bool> {
    let mut tx = begin(db).await?;
    let site: Option<String> = sqlx::query_scalar(
        "UPDATE conversations SET status = 'open', snoozed_until = NULL WHERE id = $1 AND status = $2 AND status <> 'open' RETURNING site_id",
    )
    .bind(conversation)
    .bind(from.as_str())
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(site) = &site {
        let event = Webhook::ConversationReopened(events::Reopened {
            id: conversation.to_owned(),
            by: by.to_owned(),
        });
        tell(&mut tx, site, &event).await?;
    }
    tx.commit().await?;
    Ok(site.is_some())
}

/// Puts an unassigned chat in the queue (since `at`).
pub async fn queue(db: &Db, conversation: &str, at: u64) -> sqlx::Result<()> {
    sqlx::query("UPDATE conversations SET queued_at = $1 WHERE id = $2 AND agent_id IS NULL")
        .bind(at as i64)
        .bind(conversation)
        .execute(db)
        .await
        .map(|_| ())
}

/// The open chats waiting in the queue, longest waiting first, at most `limit`.
pub async fn queued(db: &Db, limit: i64) -> sqlx::Result<Vec<Conversation>> {
    sqlx::query_as(
        "SELECT * FROM conversations WHERE queued_at IS NOT NULL AND agent_id IS NULL AND status = 'open' \
         ORDER BY queued_at, id LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db)
    .await
}

/// An agent's capacity: the most open chats routing gives them at once.
pub async fn set_max_chats(db: &Db, agent: &str, max: u32) -> sqlx::Result<()> {
    sqlx::query("UPDATE agents SET max_chats = $1 WHERE id = $2")
        .bind(i64::from(max))
        .bind(agent)
        .execute(db)
        .await
        .map(|_| ())
}

/// Snoozed conversations whose time has come (at `now`), oldest first, at most 100.
pub async fn snoozes_due(db: &Db, now: u64) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT id FROM conversations WHERE status = 'snoozed' AND snoozed_until <= $1 ORDER BY snoozed_until LIMIT 100",
    )
    .bind(now as i64)
    .fetch_all(db)
    .await
}

/// A line search finds (`search::store`): a message or note (`seq` its event), or the
/// visitor's name and email (`visitor`, seq 0).
pub async fn index_line(
    conn: &mut sqlx::AnyConnection,
    conversation: &str,
    seq: i64,
    kind: &str,
    text: &str,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO search_lines (text, conversation_id, seq, kind) VALUES ($1, $2, $3, $4)")
        .bind(text)
        .bind(conversation)
        .bind(seq)
        .bind(kind)
        .execute(conn)
        .await
        .map(|_| ())
}

/// Stores an event as the conversation's next sequence number, inside the caller's
/// transaction (`live/commit.rs` groups many into one commit). A client id already stored
/// is not stored again: its event comes back with `duplicate` set, and the caller must
/// roll back (the sequence number was taken).
pub async fn append_in(
    conn: &mut sqlx::AnyConnection,
    conversation: &str,
    client_id: Option<&str>,
    kind: &EventKind,
) -> sqlx::Result<(Event, bool)> {
    // Write first: taking the write lock up front means concurrent writers wait their
    // turn (busy timeout) instead of failing to upgrade a read snapshot (SQLITE_BUSY).
    let at = now_ms();
    let row = sqlx::query(
        "UPDATE conversations SET last_seq = last_seq + 1, active_at = $2 WHERE id = $1 RETURNING last_seq, site_id",
    )
    .bind(conversation)
    .bind(at as i64)
    .fetch_one(&mut *conn)
    .await?;
    let (seq, site): (i64, String) = (row.get(0), row.get(1));
    // A client id already stored inserts nothing (the unique index): only then is the
    // stored event read, so a new message costs two statements, not three.
    let inserted = sqlx::query(
        "INSERT INTO events (conversation_id, seq, at, client_id, body) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (conversation_id, client_id) WHERE client_id IS NOT NULL DO NOTHING",
    )
    .bind(conversation)
    .bind(seq)
    .bind(at as i64)
    .bind(client_id)
    .bind(serde_json::to_string(kind).unwrap_or_default())
    .execute(&mut *conn)
    .await?
    .rows_affected();
    // A chat message's webhook, in the same transaction (docs/webhooks.md); transcript
    // lines copied from the bot part at the hand-off are not news.
    if let (
        EventKind::Message {
            role,
            author,
            text,
            id,
            file,
        },
        1,
    ) = (kind, inserted)
    {
        if !id.starts_with(chinwag_protocol::TRANSCRIPT_ID) {
            let event = Webhook::MessageCreated(events::MessageCreated {
                conversation: conversation.to_owned(),
                seq,
                id: id.clone(),
                role: serde_json::to_value(role).unwrap_or_default(),
                author: author.clone(),
                text: text.clone(),
                file: file.as_ref().map(|f| events::AttachedFile {
                    name: f.name.clone(),
                    mime: f.mime.clone(),
                    size: f.size,
                    path: f.path(),
                }),
            });
            crate::data::webhooks::outbox::enqueue(conn, &site, &event, at as i64).await?;
        }
    }
    // What search finds (docs/inbox.md, "Search"), in the same transaction.
    let line = match kind {
        EventKind::Message { text, .. } => Some(("message", text)),
        EventKind::Note { text, .. } => Some(("note", text)),
        _ => None,
    };
    if let (Some((line_kind, text)), 1) = (line, inserted) {
        index_line(conn, conversation, seq, line_kind, text).await?;
    }
    if inserted == 0 {
        let existing =
            sqlx::query("SELECT seq, at, body FROM events WHERE conversation_id = $1 AND client_id = $2")
                .bind(conversation)
                .bind(client_id)
                .fetch_one(&mut *conn)
                .await?;
        return Ok((event_row(conversation, existing), true));
    }
    Ok((
        Event {
            conversation: conversation.into(),
            seq: seq as u64,
            at,
            kind: kind.clone(),
        },
        false,
    ))
}

/// The event a client id was stored with, if it was: a message sent again is found
/// before it changes anything (such as opening a closed conversation).
pub async fn stored(db: &Db, conversation: &str, client_id: &str) -> sqlx::Result<Option<Event>> {
    let row = sqlx::query("SELECT seq, at, body FROM events WHERE conversation_id = $1 AND client_id = $2")
        .bind(conversation)
        .bind(client_id)
        .fetch_optional(db)
        .await?;
    Ok(row.map(|r| event_row(conversation, r)))
}

fn event_row(conversation: &str, r: sqlx::any::AnyRow) -> Event {
    Event {
        conversation: conversation.into(),
        seq: r.get::<i64, _>("seq") as u64,
        at: r.get::<i64, _>("at") as u64,
        kind: serde_json::from_str(r.get::<&str, _>("body")).unwrap_or(EventKind::Closed {
            by: chinwag_protocol::Role::System,
        }),
    }
}

pub async fn events_after(db: &Db, conversation: &str, seq: u64) -> sqlx::Result<Vec<Event>> {
    events_from(
        db,
        conversation,
        "SELECT seq, at, body FROM events WHERE conversation_id = $1 AND seq > $2 ORDER BY seq",
        seq,
    )
    .await
}

/// A conversation's events stored at or after `since` (ms), in order.
pub async fn events_since(db: &Db, conversation: &str, since: u64) -> sqlx::Result<Vec<Event>> {
    // From the first such event on, by number: one stored a little late by a node
    // whose clock is behind still comes out.
    events_from(
        db,
        conversation,
        "SELECT seq, at, body FROM events WHERE conversation_id = $1 \
         AND seq >= (SELECT MIN(seq) FROM events WHERE conversation_id = $1 AND at >= $2) ORDER BY seq",
        since,
    )
    .await
}

/// A conversation's events by `sql` (`$1` the conversation, `$2` the bound).
async fn events_from(db: &Db, conversation: &str, sql: &'static str, bound: u64) -> sqlx::Result<Vec<Event>> {
    let rows = sqlx::query(sql)
        .bind(conversation)
        .bind(bound as i64)
        .fetch_all(db)
        .await?;
    Ok(rows.into_iter().map(|r| event_row(conversation, r)).collect())
}

/// The latest sequence number of every open conversation and of `also` (closed ones
/// among them keep their last event), for delivery's sweep: (id, last, open).
pub async fn latest_seqs(db: &Db, also: &[String]) -> sqlx::Result<Vec<(String, u64, bool)>> {
    let mut latest: Vec<(String, u64, bool)> = Vec::new();
    let open = sqlx::query("SELECT id, last_seq FROM conversations WHERE status <> 'closed'")
        .fetch_all(db)
        .await?;
    latest.extend(
        open.into_iter()
            .map(|r| (r.get(0), r.get::<i64, _>(1) as u64, true)),
    );
    for ids in also.chunks(500) {
        let sql = [
            "SELECT id, last_seq FROM conversations WHERE status = 'closed' AND id IN ",
            &in_list(1, ids.len()),
        ]
        .concat();
        let rows = bind_ids(sqlx::query(&sql), ids).fetch_all(db).await?;
        latest.extend(
            rows.into_iter()
                .map(|r| (r.get(0), r.get::<i64, _>(1) as u64, false)),
        );
    }
    Ok(latest)
}

pub async fn create_session(db: &Db, agent: &str) -> sqlx::Result<(String, String)> {
    let (id, csrf) = (crate::ids::random_token(), crate::ids::random_token());
    sqlx::query("INSERT INTO sessions (id, agent_id, csrf, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(&id)
        .bind(agent)
        .bind(&csrf)
        .bind((now_ms() + 30 * 24 * 3600 * 1000) as i64)
        .execute(db)
        .await?;
    Ok((id, csrf))
}

/// The agent and CSRF token of a live session.
pub async fn session(db: &Db, id: &str) -> sqlx::Result<Option<(Agent, String)>> {
    let row = sqlx::query("SELECT a.*, s.csrf FROM sessions s JOIN agents a ON a.id = s.agent_id WHERE s.id = $1 AND s.expires_at > $2")
        .bind(id)
        .bind(now_ms() as i64)
        .fetch_optional(db)
        .await?;
    row.map(|r| Ok((Agent::from_row(&r)?, r.try_get("csrf")?)))
        .transpose()
}

pub async fn delete_session(db: &Db, id: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM sessions WHERE id = $1")
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn agents(db: &Db) -> sqlx::Result<Vec<Agent>> {
    sqlx::query_as("SELECT * FROM agents ORDER BY name")
        .fetch_all(db)
        .await
}

#[derive(Clone, Debug, serde::Serialize, sqlx::FromRow)]
pub struct Team {
    pub id: String,
    pub name: String,
}

pub async fn teams(db: &Db) -> sqlx::Result<Vec<Team>> {
    sqlx::query_as("SELECT id, name FROM teams ORDER BY name")
        .fetch_all(db)
        .await
}
