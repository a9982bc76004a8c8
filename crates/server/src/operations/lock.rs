//! A serving process holds an exclusive lock on `<database>.lock` (SQLite only: a
//! PostgreSQL database has its own server). `chinwag restore` takes the same lock first
//! and refuses while a server holds it. The operating system drops the lock with the
//! process, so a crash never leaves it stale.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::PathBuf;

/// The lock file beside a SQLite database.
fn path(database: &str) -> PathBuf {
    PathBuf::from(format!("{database}.lock"))
}

/// Held while the process serves `database`; `None` for PostgreSQL.
pub struct Held(#[allow(dead_code)] File);

/// Takes the lock, or says who holds it: `Ok(None)` for PostgreSQL.
pub fn take(database: &str) -> Result<Option<Held>, String> {
    if matches!(crate::db::Engine::of(database), crate::db::Engine::Postgres) {
        return Ok(None);
    }
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path(database))
        .map_err(|e| format!("cannot open {}: {e}", path(database).display()))?;
    match file.try_lock() {
        Ok(()) => Ok(Some(Held(file))),
        Err(TryLockError::WouldBlock) => Err(format!("a server is running on {database}: stop it first")),
        Err(TryLockError::Error(e)) => Err(format!("cannot lock {}: {e}", path(database).display())),
    }
}
