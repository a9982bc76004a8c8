//! The SMTP listener for visitors' answers by email (`mail_in_listen`): plain SMTP
//! through `mailin`'s session (the protocol's state machine; the I/O is ours). A
//! recipient that is not a conversation's signed reply address is refused at `RCPT TO`;
//! a mail is taken (`inbound::receive`) before the server says so at the end of `DATA`,
//! so a refused or failed one is the sending server's to bounce or retry: never lost.

use super::inbound::{self, Refused};
use crate::state::AppState;
use mailin::{Action, Handler, Response, SessionBuilder};
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// The largest mail taken (the same as an attachment's limit).
pub const MAX_MAIL: usize = 10 * 1024 * 1024;
/// The longest line read at once (RFC 5321 allows 1,000 characters; longer is read in pieces).
const MAX_LINE: u64 = 64 * 1024;
/// A client silent this long is closed.
const IDLE: Duration = Duration::from_secs(300);
/// Connections served at once, from every client together.
const AT_ONCE: usize = 64;

/// Listens on `mail_in_listen`, when set; fails at start when the address cannot be had.
pub async fn start(state: &AppState) -> anyhow::Result<()> {
    let at = state.config.mail_in_listen.trim();
    if at.is_empty() {
        return Ok(());
    }
    anyhow::ensure!(
        !state.config.mail_in_domain.is_empty(),
        "mail_in_listen needs mail_in_domain: the domain of the reply addresses"
    );
    let listener = TcpListener::bind(at)
        .await
        .map_err(|e| anyhow::anyhow!("mail_in_listen {at}: {e}"))?;
    tracing::info!(
        "taking visitors' answers by email on smtp://{}",
        listener.local_addr()?
    );
    let listener = Arc::new(listener);
    let slots = Arc::new(tokio::sync::Semaphore::new(AT_ONCE));
    let state = state.clone();
    state.tasks.clone().keep("mail listener", move |_| {
        let (state, listener, slots) = (state.clone(), listener.clone(), slots.clone());
        async move {
            loop {
                let Ok((stream, peer)) = listener.accept().await else {
                    continue;
                };
                let Ok(slot) = slots.clone().try_acquire_owned() else {
                    let mut stream = stream;
                    let _ = stream
                        .write_all(b"421 4.3.2 too many connections, try again later\r\n")
                        .await;
                    continue;
                };
                let state = state.clone();
                tokio::spawn(async move {
                    serve(&state, stream, peer.ip()).await;
                    drop(slot);
                });
            }
        }
    });
    Ok(())
}

/// A mail's envelope and content as the session hands them over.
#[derive(Default)]
struct Transaction {
    to: Vec<String>,
    data: Vec<u8>,
    too_big: bool,
    /// Set at the end of `DATA`: the mail to take.
    ended: bool,
}

/// `mailin`'s callbacks, sharing the transaction with the connection's loop.
struct Collect {
    state: AppState,
    mail: Arc<Mutex<Transaction>>,
}

impl Collect {
    fn with<T>(&self, f: impl FnOnce(&mut Transaction) -> T) -> T {
        f(&mut self.mail.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

impl Handler for Collect {
    fn mail(&mut self, _ip: IpAddr, _domain: &str, _from: &str) -> Response {
        self.with(|m| *m = Transaction::default());
        mailin::response::OK
    }

    fn rcpt(&mut self, to: &str) -> Response {
        if inbound::addressee(&self.state, to).is_none() {
            return Response::custom(
                550,
                "5.1.1 this address takes answers to Chinwag's mails only".into(),
            );
        }
        self.with(|m| m.to.push(to.to_owned()));
        mailin::response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.with(|m| {
            if m.data.len() + buf.len() > MAX_MAIL {
                m.too_big = true;
            } else {
                m.data.extend_from_slice(buf);
            }
        });
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        self.with(|m| m.ended = true);
        mailin::response::OK
    }
}

async fn serve(state: &AppState, stream: TcpStream, ip: IpAddr) {
    let Some(_counted) = state.limits.socket(Some(ip), state.config.sockets_per_address) else {
        let mut stream = stream;
        let _ = stream
            .write_all(b"421 4.7.0 too many connections from your address\r\n")
            .await;
        return;
    };
    let mail = Arc::new(Mutex::new(Transaction::default()));
    let handler = Collect {
        state: state.clone(),
        mail: mail.clone(),
    };
    let name = state.config.mail_in_domain.clone();
    let mut session = SessionBuilder::new(name).build(ip, handler);
    let (read, mut write) = stream.into_split();
    let mut read = BufReader::new(read);
    if write.write_all(&greeting(&session)).await.is_err() {
        return;
    }
    let mut line = Vec::new();
    loop {
        line.clear();
        let got = tokio::time::timeout(IDLE, (&mut read).take(MAX_LINE).read_until(b'\n', &mut line)).await;
        if !matches!(got, Ok(Ok(n)) if n > 0) {
            return;
        }
        let mut response = session.process(&line);
        let ended = {
            let mut m = mail.lock().unwrap_or_else(|p| p.into_inner());
            m.ended.then(|| {
                m.ended = false;
                (
                    std::mem::take(&mut m.data),
                    std::mem::take(&mut m.to),
                    std::mem::take(&mut m.too_big),
                )
            })
        };
        if let Some((data, to, too_big)) = ended {
            response = taken(state, &data, &to, too_big).await;
        }
        if response.action == Action::NoReply {
            continue;
        }
        let Ok(bytes) = response.buffer() else {
            return;
        };
        if write.write_all(&bytes).await.is_err() || response.action == Action::Close {
            return;
        }
    }
}

fn greeting(session: &mailin::Session<Collect>) -> Vec<u8> {
    session.greeting().buffer().unwrap_or_default()
}

/// The answer at the end of `DATA`, once the mail is stored or refused.
async fn taken(state: &AppState, data: &[u8], to: &[String], too_big: bool) -> Response {
    if too_big {
        return Response::custom(
            552,
            format!("5.3.4 a mail here has at most {} MB", MAX_MAIL >> 20),
        );
    }
    match inbound::receive(state, data, to).await {
        Ok(taken) => {
            tracing::info!(conversation = %taken.conversation, messages = taken.messages, "visitor's answer by email taken");
            Response::custom(250, "2.0.0 taken into the conversation".into())
        }
        Err(refused) => {
            tracing::info!("visitor's answer by email refused: {refused}");
            // Ours to fix: the sending server tries again later. The sender's: a bounce.
            let (number, status) = match refused {
                Refused::Failed(_) | Refused::TooMany(_) => (451, "4.3.0"),
                _ => (550, "5.7.1"),
            };
            Response::custom(number, format!("{status} {refused}"))
        }
    }
}
