//! The SMTP listener for visitors' answers by email (`mail_in_listen`): SMTP through
//! `mailin`'s session (the protocol's state machine; the I/O is ours), with STARTTLS
//! when a certificate is configured (`tls.rs`; offered, never required: RFC 3207 asks
//! a public MX not to refuse plain mail). A
//! recipient that is not a conversation's signed reply address is refused at `RCPT TO`;
//! a mail is taken (`inbound::receive`) before the server says so at the end of `DATA`,
//! so a refused or failed one is the sending server's to bounce or retry: never lost.

use super::inbound::{self, Refused};
use super::tls::Certificate;
use crate::state::AppState;
use mailin::{Action, Handler, Response, SessionBuilder};
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// The largest mail taken (the same as an attachment's limit).
pub const MAX_MAIL: usize = 10 * 1024 * 1024;
/// The longest line read at once (RFC 5321 allows 1,000 characters; longer is read in pieces).
const MAX_LINE: u64 = 64 * 1024;
/// A client silent this long is closed.
const IDLE: Duration = Duration::from_secs(300);
/// The longest a TLS handshake may take.
const HANDSHAKE: Duration = Duration::from_secs(30);
/// Connections served at once, from every client together.
const AT_ONCE: usize = 64;
/// Connections from one address at once: one client cannot hold every slot.
const PER_ADDRESS: usize = 4;
/// The longest a whole session may last, however active.
const SESSION: Duration = Duration::from_secs(600);
/// Recipients in one mail (RFC 5321 asks servers to take at least 100).
const MAX_RECIPIENTS: usize = 100;

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
    let certificate =
        Certificate::load(&state.config.mail_in_tls_cert, &state.config.mail_in_tls_key)?.map(Arc::new);
    let listener = TcpListener::bind(at)
        .await
        .map_err(|e| anyhow::anyhow!("mail_in_listen {at}: {e}"))?;
    tracing::info!(
        "taking visitors' answers by email on smtp://{}{}",
        listener.local_addr()?,
        if certificate.is_some() {
            " (STARTTLS offered)"
        } else {
            ""
        }
    );
    let listener = Arc::new(listener);
    let slots = Arc::new(tokio::sync::Semaphore::new(AT_ONCE));
    let open = Arc::new(Mutex::new(std::collections::HashMap::<IpAddr, usize>::new()));
    let state = state.clone();
    state.tasks.clone().keep("mail listener", move |_| {
        let (state, listener, slots, open, certificate) = (
            state.clone(),
            listener.clone(),
            slots.clone(),
            open.clone(),
            certificate.clone(),
        );
        async move {
            loop {
                let Ok((stream, peer)) = listener.accept().await else {
                    // Out of file descriptors, say: wait rather than spin.
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                };
                let Ok(slot) = slots.clone().try_acquire_owned() else {
                    let mut stream = stream;
                    let _ = stream
                        .write_all(b"421 4.3.2 too many connections, try again later\r\n")
                        .await;
                    continue;
                };
                let Some(counted) = Counted::new(&open, peer.ip()) else {
                    let mut stream = stream;
                    let _ = stream
                        .write_all(b"421 4.7.0 too many connections from your address\r\n")
                        .await;
                    continue;
                };
                let (state, certificate) = (state.clone(), certificate.clone());
                tokio::spawn(async move {
                    let serving = serve(&state, certificate.as_deref(), stream, peer.ip());
                    let _ = tokio::time::timeout(SESSION, serving).await;
                    drop((slot, counted));
                });
            }
        }
    });
    Ok(())
}

/// One connection counted against its address while it lasts.
struct Counted(Arc<Mutex<std::collections::HashMap<IpAddr, usize>>>, IpAddr);

impl Counted {
    fn new(open: &Arc<Mutex<std::collections::HashMap<IpAddr, usize>>>, ip: IpAddr) -> Option<Counted> {
        let mut all = open.lock().unwrap_or_else(|p| p.into_inner());
        let n = all.entry(ip).or_default();
        if *n >= PER_ADDRESS {
            return None;
        }
        *n += 1;
        Some(Counted(open.clone(), ip))
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        let mut all = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = all.get_mut(&self.1) {
            *n -= 1;
            if *n == 0 {
                all.remove(&self.1);
            }
        }
    }
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
        // One conversation per mail: a single answer at the end of DATA cannot say that
        // one was taken and another not.
        let conversation = inbound::addressee(&self.state, to);
        let refused = self.with(|m| {
            let other = m.to.first().and_then(|t| inbound::addressee(&self.state, t));
            if m.to.len() >= MAX_RECIPIENTS {
                Some("4.5.3 too many recipients")
            } else if other.is_some() && other != conversation {
                Some("4.5.3 one conversation per mail: send it again for this one")
            } else {
                m.to.push(to.to_owned());
                None
            }
        });
        match refused {
            Some(why) => Response::custom(452, why.into()),
            None => mailin::response::OK,
        }
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

/// How a stretch of the conversation ended.
enum Ended {
    Closed,
    /// The client asked for STARTTLS and was told to go ahead.
    Upgrade,
}

async fn serve(state: &AppState, certificate: Option<&Certificate>, stream: TcpStream, ip: IpAddr) {
    let mail = Arc::new(Mutex::new(Transaction::default()));
    let handler = Collect {
        state: state.clone(),
        mail: mail.clone(),
    };
    let name = state.config.mail_in_domain.clone();
    let mut builder = SessionBuilder::new(name);
    if certificate.is_some() {
        builder.enable_start_tls();
    }
    let mut session = builder.build(ip, handler);
    let mut plain = BufReader::new(stream);
    if plain.write_all(&greeting(&session)).await.is_err() {
        return;
    }
    if let Ended::Closed = converse(state, &mut session, &mail, &mut plain).await {
        return;
    }
    // Whatever the client sent after STARTTLS and before the handshake came in the clear
    // and is not to be obeyed (RFC 3207, section 5): such a client is closed.
    let (Some(certificate), true) = (certificate, plain.buffer().is_empty()) else {
        return;
    };
    let handshake = certificate.acceptor().accept(plain.into_inner());
    let Ok(Ok(secure)) = tokio::time::timeout(HANDSHAKE, handshake).await else {
        return;
    };
    // The client starts again with EHLO; anything from before the handshake is forgotten.
    session.tls_active();
    *mail.lock().unwrap_or_else(|p| p.into_inner()) = Transaction::default();
    converse(state, &mut session, &mail, &mut BufReader::new(secure)).await;
}

/// Reads commands and the mail, and answers, until the client leaves or asks for TLS.
async fn converse<S: AsyncRead + AsyncWrite + Unpin>(
    state: &AppState,
    session: &mut mailin::Session<Collect>,
    mail: &Mutex<Transaction>,
    stream: &mut BufReader<S>,
) -> Ended {
    let mut line = Vec::new();
    // Between the server's 354 and the mail's end: lines are the mail's, not commands.
    let mut in_data = false;
    loop {
        line.clear();
        let got =
            tokio::time::timeout(IDLE, (&mut *stream).take(MAX_LINE).read_until(b'\n', &mut line)).await;
        if !matches!(got, Ok(Ok(n)) if n > 0) {
            return Ended::Closed;
        }
        // A line longer than any mail program writes is never cut into pieces (a piece
        // could read as the mail's end): it is skipped to its end, and the mail refused.
        if !line.ends_with(b"\n") {
            let mut rest = Vec::new();
            loop {
                rest.clear();
                let more =
                    tokio::time::timeout(IDLE, (&mut *stream).take(MAX_LINE).read_until(b'\n', &mut rest))
                        .await;
                match more {
                    Ok(Ok(n)) if n > 0 && rest.ends_with(b"\n") => break,
                    Ok(Ok(n)) if n > 0 => continue,
                    _ => return Ended::Closed,
                }
            }
            if in_data {
                mail.lock().unwrap_or_else(|p| p.into_inner()).too_big = true;
                continue;
            }
            let said = stream.write_all(b"500 5.5.2 line too long\r\n").await.is_ok()
                && stream.flush().await.is_ok();
            if !said {
                return Ended::Closed;
            }
            continue;
        }
        let mut response = session.process(&line);
        if response.code == 354 {
            in_data = true;
        }
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
            in_data = false;
            response = taken(state, &data, &to, too_big).await;
        }
        if response.action == Action::NoReply {
            continue;
        }
        let Ok(bytes) = response.buffer() else {
            return Ended::Closed;
        };
        // Flushed: over TLS, written bytes may wait in the session's buffer.
        let sent = stream.write_all(&bytes).await.is_ok() && stream.flush().await.is_ok();
        if !sent || response.action == Action::Close {
            return Ended::Closed;
        }
        if response.action == Action::UpgradeTls {
            return Ended::Upgrade;
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
