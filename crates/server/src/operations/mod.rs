//! What a self-hoster runs beside the server (docs/operations.md): `chinwag backup`
//! and `chinwag restore` on SQLite (`backup.rs`), and the lock a serving process holds
//! on its database file so a restore cannot pull it from under it (`lock.rs`).

pub mod backup;
pub mod doctor;
pub mod lock;
