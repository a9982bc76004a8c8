//! A serving process holds an exclusive lock on `<database>.lock` (SQLite only: a
//! PostgreSQL database has its own server) from before it opens the database until it
//! stops. `chinwag restore` takes the same lock first and refuses while a server holds
//! it; a second server on the same file refuses to start. The operating system drops
//! the lock with the process, so a crash never leaves it stale. Within one process the
//! lock is shared (the CLI's `serve` and the library's, tests' servers one after another).

use std::fs::{File, OpenOptions, TryLockError};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, Weak};

/// Held while it lives.
#[derive(Clone)]
pub struct Held(#[allow(dead_code)] Arc<File>);

/// The locks this process holds, by file.
static HELD: Mutex<Vec<(PathBuf, Weak<File>)>> = Mutex::new(Vec::new());

/// Takes the lock, or says who holds it: `Ok(None)` for PostgreSQL.
pub fn take(database: &str) -> Result<Option<Held>, String> {
    if matches!(crate::db::Engine::of(database), crate::db::Engine::Postgres) {
        return Ok(None);
    }
    let path = PathBuf::from(format!("{database}.lock"));
    let mut held = HELD.lock().unwrap_or_else(|p| p.into_inner());
    held.retain(|(_, f)| f.strong_count() > 0);
    if let Some(file) = held
        .iter()
        .find(|(p, _)| *p == path)
        .and_then(|(_, f)| f.upgrade())
    {
        return Ok(Some(Held(file)));
    }
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    match file.try_lock() {
        Ok(()) => {
            let file = Arc::new(file);
            held.push((path, Arc::downgrade(&file)));
            Ok(Some(Held(file)))
        }
        Err(TryLockError::WouldBlock) => Err(format!(
            "a server is running on {database} (or a restore into it): stop it first"
        )),
        Err(TryLockError::Error(e)) => Err(format!("cannot lock {}: {e}", path.display())),
    }
}
