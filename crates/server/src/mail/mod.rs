//! Mail to visitors that is not a meeting's: the outbox (`store.rs`) and the worker
//! that sends it with retries (`worker.rs`); the transcript a visitor asks for
//! (`transcript.rs`). The SMTP client is the meetings' (`meetings::email::Mailer`).

pub mod store;
pub mod transcript;
pub mod worker;
