//! Group commit. Every stored event goes through one writer task: it takes all the
//! appends waiting, runs each in its own savepoint inside one transaction, commits
//! once (one fsync for the whole group, `synchronous = FULL`), and only then answers
//! each caller. "Acknowledged means stored" holds exactly as before: no caller hears
//! back before the commit that holds its event is durable; a failed commit fails every
//! append of its group (clients resend). Under load, N messages cost one fsync
//! instead of N; alone, a message waits for nothing but its own commit.

use crate::db::{self, Db};
use chinwag_protocol::{Event, EventKind};
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection};
use tokio::sync::{mpsc, oneshot};

/// The most appends in one commit: bounds how long the first of a group waits.
const GROUP: usize = 256;

type Reply = oneshot::Sender<sqlx::Result<(Event, bool)>>;

struct Append {
    conversation: String,
    client_id: Option<String>,
    kind: EventKind,
    reply: Reply,
}

#[derive(Clone)]
pub struct Writer(mpsc::Sender<Append>);

impl Writer {
    /// Starts the writer task on `db`; it ends when every `Writer` is dropped.
    pub fn start(db: Db, tasks: &crate::tasks::Tasks) -> Writer {
        let (tx, rx) = mpsc::channel(4 * GROUP);
        // The queue outlives a failed writer: the one started after it goes on with it.
        let rx = std::sync::Arc::new(tokio::sync::Mutex::new(rx));
        tasks.keep("writer", move |_| run(db.clone(), rx.clone()));
        Writer(tx)
    }

    /// Stores `kind` as the conversation's next event (see `db::append_in`); returns
    /// once it is durable.
    pub async fn append(
        &self,
        conversation: &str,
        client_id: Option<&str>,
        kind: &EventKind,
    ) -> sqlx::Result<(Event, bool)> {
        let (reply, answer) = oneshot::channel();
        let append = Append {
            conversation: conversation.to_owned(),
            client_id: client_id.map(str::to_owned),
            kind: kind.clone(),
            reply,
        };
        self.0.send(append).await.map_err(|_| gone())?;
        answer.await.map_err(|_| gone())?
    }
}

fn gone() -> sqlx::Error {
    sqlx::Error::WorkerCrashed
}

/// How often an append that lost a lock race (a deadlock or serialization failure
/// between nodes on PostgreSQL) is tried again before its caller hears the error.
const ATTEMPTS: usize = 4;

async fn run(db: Db, rx: std::sync::Arc<tokio::sync::Mutex<mpsc::Receiver<Append>>>) {
    let mut rx = rx.lock().await;
    // The writer keeps one connection: no pool acquire (and its liveness check) per
    // group. After an error it takes a fresh one.
    let mut held: Option<PoolConnection<Any>> = None;
    while let Some(first) = rx.recv().await {
        let mut group = vec![first];
        while group.len() < GROUP {
            match rx.try_recv() {
                Ok(next) => group.push(next),
                Err(_) => break,
            }
        }
        // Rows are locked in one order on every node (no deadlock between two nodes'
        // groups); the sort is stable, so each conversation keeps its arrival order.
        group.sort_by(|a, b| a.conversation.cmp(&b.conversation));
        for attempt in 1..=ATTEMPTS {
            let outcomes = match held.take() {
                Some(conn) => Ok(conn),
                None => db.acquire().await,
            };
            let outcomes = match outcomes {
                Ok(mut conn) => {
                    let outcomes = commit(&mut conn, &group).await;
                    if outcomes.iter().all(|o| matches!(o, Some(Ok(_)))) {
                        held = Some(conn);
                    }
                    outcomes
                }
                Err(e) => failed(group.len(), &e),
            };
            let mut again = Vec::new();
            for (append, outcome) in group.into_iter().zip(outcomes) {
                match outcome {
                    Some(outcome) => {
                        let _ = append.reply.send(outcome);
                    }
                    None if attempt < ATTEMPTS => again.push(append),
                    None => {
                        let _ = append.reply.send(Err(sqlx::Error::Protocol(
                            "group commit: lock conflicts or lost connections, 4 times".into(),
                        )));
                    }
                }
            }
            if again.is_empty() {
                break;
            }
            group = again;
        }
    }
}

/// The connection is gone: a broken socket, or the server ending it (PostgreSQL's
/// `57P01` admin shutdown, `57P02` crash shutdown, `57P03` not yet accepting, class `08`
/// connection exceptions).
fn connection_lost(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Io(_) => true,
        sqlx::Error::Database(d) => d
            .code()
            .is_some_and(|c| c.starts_with("57P0") || c.starts_with("08")),
        _ => false,
    }
}

/// A conflict another transaction won: trying again succeeds.
fn lost_race(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if matches!(d.code().as_deref(), Some("40P01" | "40001")))
}

/// One transaction for the group, a savepoint per append (one that fails, or a
/// duplicate, leaves the others untouched). `None`: try again (it lost a lock race, or
/// an earlier append of its conversation did, so it must not overtake it).
async fn commit(conn: &mut AnyConnection, group: &[Append]) -> Vec<Option<sqlx::Result<(Event, bool)>>> {
    let _turn = db::WRITE_TURN.lock().await;
    // An append's first statement writes, so the transaction holds the write lock from
    // there on: a writer committing meanwhile cannot fail the group.
    let mut tx = match sqlx::Connection::begin(conn).await {
        Ok(tx) => tx,
        // The held connection died (the database restarted, or dropped it): nothing was
        // written, so the group goes again on a fresh one instead of failing its callers.
        Err(e) if connection_lost(&e) => return (0..group.len()).map(|_| None).collect(),
        Err(e) => return failed(group.len(), &e),
    };
    // Alone, an append needs no savepoint: the transaction fails or commits with it.
    if let [a] = group {
        let outcome = db::append_in(&mut tx, &a.conversation, a.client_id.as_deref(), &a.kind).await;
        let done = match &outcome {
            Ok((_, false)) => tx.commit().await,
            _ => tx.rollback().await,
        };
        let outcome = done.and(outcome);
        return vec![match &outcome {
            Err(e) if lost_race(e) => None,
            _ => Some(outcome),
        }];
    }
    let mut outcomes = Vec::with_capacity(group.len());
    let mut waiting: Option<&str> = None;
    for a in group {
        if waiting == Some(a.conversation.as_str()) {
            outcomes.push(None);
            continue;
        }
        let outcome = async {
            let mut savepoint = sqlx::Connection::begin(&mut *tx).await?;
            let outcome =
                db::append_in(&mut savepoint, &a.conversation, a.client_id.as_deref(), &a.kind).await;
            match outcome {
                Ok((event, false)) => savepoint.commit().await.map(|()| (event, false)),
                other => {
                    savepoint.rollback().await?;
                    other
                }
            }
        }
        .await;
        outcomes.push(match outcome {
            Err(e) if lost_race(&e) => {
                waiting = Some(&a.conversation);
                None
            }
            outcome => Some(outcome),
        });
    }
    match tx.commit().await {
        Ok(()) => outcomes,
        Err(e) => failed(group.len(), &e),
    }
}

/// Every append of the group failed with `e` (tried again when it lost a lock race).
fn failed(n: usize, e: &sqlx::Error) -> Vec<Option<sqlx::Result<(Event, bool)>>> {
    (0..n)
        .map(|_| match lost_race(e) {
            true => None,
            false => Some(Err(sqlx::Error::Protocol(format!("group commit: {e}")))),
        })
        .collect()
}
