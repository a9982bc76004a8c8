//! `chinwag backup FILE`: a consistent copy of a SQLite database while the server serves
//! it (SQLite's `VACUUM INTO`: one read transaction, so every acknowledged message of
//! that instant is in it, and nothing half-written). `chinwag restore FILE`: puts a copy
//! back, after checking it, only while no server runs on the database; the file it
//! replaces is kept beside it. PostgreSQL has `pg_dump` and `pg_restore` for both.

use crate::db::Engine;
use sqlx::{Connection, Row};
use std::path::Path;

const POSTGRES: &str = "this database is PostgreSQL: back it up with pg_dump --format=custom and restore it with pg_restore (docs/operations.md)";

/// What a copy holds, to print.
#[derive(Debug)]
pub struct Copy {
    pub conversations: i64,
    pub events: i64,
    pub bytes: u64,
}

/// Copies `database` into `to`, a new file.
pub async fn backup(database: &str, to: &Path) -> anyhow::Result<Copy> {
    anyhow::ensure!(matches!(Engine::of(database), Engine::Sqlite), POSTGRES);
    anyhow::ensure!(Path::new(database).exists(), "there is no database at {database}");
    anyhow::ensure!(!to.exists(), "{} exists: name a new file", to.display());
    let mut source = open(Path::new(database), true).await?;
    sqlx::query("VACUUM INTO $1")
        .bind(to.to_string_lossy().into_owned())
        .execute(&mut source)
        .await?;
    source.close().await?;
    inspect(to).await
}

/// Puts the copy `from` back as `database`; refuses while a server runs on it. The
/// copy is written beside the database first (through SQLite, so a copy with its own
/// write-ahead log comes whole), given the replaced file's owner (a restore run as root
/// for a service's database), and only then moved into place: a failure half-way leaves
/// the database as it was. The one it replaces is renamed
/// `<database>.before-restore-<unix seconds>`.
pub async fn restore(from: &Path, database: &str) -> anyhow::Result<Copy> {
    anyhow::ensure!(matches!(Engine::of(database), Engine::Sqlite), POSTGRES);
    let copy = inspect(from)
        .await
        .map_err(|e| anyhow::anyhow!("{} is not a Chinwag backup: {e}", from.display()))?;
    let _held = super::lock::take(database).map_err(anyhow::Error::msg)?;
    let target = Path::new(database);
    let incoming = format!("{database}.restoring");
    let _ = std::fs::remove_file(&incoming);
    let mut source = open(from, true).await?;
    sqlx::query("VACUUM INTO $1")
        .bind(&incoming)
        .execute(&mut source)
        .await?;
    source.close().await?;
    std::fs::File::open(&incoming)?.sync_all()?;
    let owner = std::fs::metadata(target).or_else(|_| {
        std::fs::metadata(
            target
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new(".")),
        )
    });
    if let Ok(owner) = owner {
        use std::os::unix::fs::MetadataExt;
        std::os::unix::fs::chown(&incoming, Some(owner.uid()), Some(owner.gid()))?;
    }
    if target.exists() {
        let seconds = crate::db::now_ms() / 1000;
        for suffix in ["", "-wal", "-shm"] {
            let file = format!("{database}{suffix}");
            if Path::new(&file).exists() {
                std::fs::rename(&file, format!("{database}.before-restore-{seconds}{suffix}"))?;
            }
        }
    }
    std::fs::rename(&incoming, target)?;
    Ok(copy)
}

/// Opens a SQLite file (read-only or not) without touching its schema.
async fn open(file: &Path, read_only: bool) -> anyhow::Result<sqlx::AnyConnection> {
    sqlx::any::install_default_drivers();
    let mode = if read_only { "ro" } else { "rw" };
    Ok(sqlx::AnyConnection::connect(&format!("sqlite://{}?mode={mode}", file.display())).await?)
}

/// A whole, readable Chinwag database: its integrity checked, what it holds counted.
async fn inspect(file: &Path) -> anyhow::Result<Copy> {
    anyhow::ensure!(file.exists(), "there is no file {}", file.display());
    let mut c = open(file, true).await?;
    let check: String = sqlx::query("PRAGMA integrity_check")
        .fetch_one(&mut c)
        .await?
        .get(0);
    anyhow::ensure!(check == "ok", "its integrity check says: {check}");
    let count = |table: &str| format!("SELECT COUNT(*) FROM {table}");
    let conversations: i64 = sqlx::query(&count("conversations"))
        .fetch_one(&mut c)
        .await?
        .get(0);
    let events: i64 = sqlx::query(&count("events")).fetch_one(&mut c).await?.get(0);
    c.close().await?;
    Ok(Copy {
        conversations,
        events,
        bytes: std::fs::metadata(file)?.len(),
    })
}
