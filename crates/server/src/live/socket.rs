//! What both sockets share: parsing frames into error frames instead of dropped
//! connections, rate limits, and sending events in order without gaps or repeats.

use crate::access::limit::Bucket;
use crate::db::{self, Db};
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::ws::{Message, WebSocket};
use axum::response::Response;
use chinwag_protocol::{ErrorCode, ErrorFrame, Event, ServerFrame, MAX_FRAME};
use futures_util::stream::SplitSink;
use futures_util::SinkExt;
use std::net::IpAddr;
use std::time::Duration;
use tokio::sync::broadcast;

/// A connection that sends nothing (not even `ping`) for this long is closed: browsers
/// cannot send WebSocket pings, so clients ping with frames.
pub const IDLE: Duration = Duration::from_secs(75);

/// Small buffers: most sockets sit idle, and tungstenite's defaults (128 KiB to read)
/// would cost each one far more memory than its conversation. Frames above the limit
/// are refused with an error frame (see `parse`), a little higher still closes.
pub fn small(ws: axum::extract::WebSocketUpgrade) -> axum::extract::WebSocketUpgrade {
    ws.read_buffer_size(4 * 1024)
        .write_buffer_size(4 * 1024)
        .max_message_size(MAX_FRAME * 2)
}

/// Opens a socket for a caller already let in (a site's page, a signed-in agent),
/// counted against its address's limit for as long as it stays open: 429 beyond it.
pub fn admit<F, Fut>(
    state: AppState,
    ip: Option<IpAddr>,
    ws: axum::extract::WebSocketUpgrade,
    run: F,
) -> Result<Response, AppError>
where
    F: FnOnce(WebSocket, AppState) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let Some(counted) = state.limits.socket(ip, state.config.sockets_per_address) else {
        tracing::warn!(ip = ?ip, "socket refused: too many open from this address");
        return Err(AppError::too_many_sockets());
    };
    Ok(small(ws).on_upgrade(move |socket| async move {
        let _counted = counted;
        run(socket, state).await
    }))
}

/// The sending half, remembering the last event sequence number sent.
pub struct Outbox {
    sink: SplitSink<WebSocket, Message>,
    pub last_seq: u64,
    broken: bool,
    /// A visitor's: events only agents may see (notes) are passed over, here, where
    /// every event to a visitor goes through.
    visitor: bool,
}

impl Outbox {
    /// An agent's.
    pub fn new(sink: SplitSink<WebSocket, Message>) -> Outbox {
        Outbox {
            sink,
            last_seq: 0,
            broken: false,
            visitor: false,
        }
    }

    pub fn for_visitor(sink: SplitSink<WebSocket, Message>) -> Outbox {
        Outbox {
            visitor: true,
            ..Outbox::new(sink)
        }
    }

    /// The next event in order: sent, unless it is for agents only and this is a
    /// visitor's socket (its number is passed over all the same).
    async fn send_event(&mut self, event: Event) {
        self.last_seq = event.seq;
        if !(self.visitor && event.kind.is_internal()) {
            self.send(&ServerFrame::Event(event)).await;
        }
    }

    pub async fn send(&mut self, frame: &ServerFrame) {
        let json = serde_json::to_string(frame).unwrap_or_default();
        if self.sink.send(Message::Text(json.into())).await.is_err() {
            self.broken = true;
        }
    }

    /// The server is stopping: a close the clients answer by reconnecting at once.
    pub async fn restart(&mut self) {
        let close = axum::extract::ws::CloseFrame {
            code: crate::shutdown::RESTART,
            reason: "server restarting".into(),
        };
        let _ = self.sink.send(Message::Close(Some(close))).await;
    }

    pub fn broken(&self) -> bool {
        self.broken
    }

    pub async fn fatal(&mut self, code: ErrorCode, message: String) {
        self.send(&ServerFrame::Error(ErrorFrame {
            code,
            message,
            id: None,
            fatal: true,
        }))
        .await;
        let _ = self.sink.send(Message::Close(None)).await;
    }

    /// Sends the stored events after `last_seq`.
    pub async fn catch_up(&mut self, db: &Db, conversation: &str) -> Result<(), AppError> {
        for event in db::events_after(db, conversation, self.last_seq).await? {
            self.send_event(event).await;
        }
        Ok(())
    }

    /// Passes on a live frame of `conversation`: events only in order (a gap or a lag is
    /// filled from the database), everything else as it comes.
    pub async fn follow(&mut self, db: &Db, conversation: &str, frame: Live) -> Result<(), AppError> {
        match frame {
            Live::Frame(ServerFrame::Event(e)) if e.conversation == conversation => {
                if e.seq == self.last_seq + 1 {
                    self.send_event(e).await;
                } else if e.seq > self.last_seq {
                    self.catch_up(db, conversation).await?;
                }
            }
            Live::Frame(ServerFrame::Typing {
                conversation: c,
                who,
                on,
            }) if c == conversation => {
                self.send(&ServerFrame::Typing {
                    conversation: c,
                    who,
                    on,
                })
                .await;
            }
            Live::Frame(_) => {}
            Live::Lagged => self.catch_up(db, conversation).await?,
        }
        Ok(())
    }
}

/// A live frame, or news that some were missed.
pub enum Live {
    Frame(ServerFrame),
    Lagged,
}

/// The next live frame; pending forever when there is no subscription yet.
pub async fn next_live(rx: &mut Option<broadcast::Receiver<ServerFrame>>) -> Option<Live> {
    let Some(rx) = rx else {
        return std::future::pending().await;
    };
    match rx.recv().await {
        Ok(frame) => Some(Live::Frame(frame)),
        Err(broadcast::error::RecvError::Lagged(_)) => Some(Live::Lagged),
        Err(broadcast::error::RecvError::Closed) => None,
    }
}

/// What a socket's next message comes to.
pub enum Read<T> {
    /// A frame to handle.
    Frame(T),
    /// Nothing to handle: a ping, or a refused frame already answered with an error frame.
    Nothing,
    /// Closed, broken, or silent for longer than [`IDLE`].
    End,
}

/// Reads what `stream.next()` gave within [`IDLE`]: frames are JSON text, limited by
/// `bucket` and [`parse`]d; binary frames are answered with an error frame.
pub async fn read<T: serde::de::DeserializeOwned>(
    incoming: Result<Option<Result<Message, axum::Error>>, tokio::time::error::Elapsed>,
    out: &mut Outbox,
    bucket: &mut Bucket,
) -> Read<T> {
    let Ok(Some(Ok(message))) = incoming else {
        return Read::End;
    };
    match message {
        Message::Text(text) => parse(out, text.as_str(), bucket)
            .await
            .map_or(Read::Nothing, Read::Frame),
        Message::Binary(_) => {
            out.send(&ServerFrame::error(ErrorCode::Malformed, "frames are JSON text"))
                .await;
            Read::Nothing
        }
        Message::Close(_) => Read::End,
        _ => Read::Nothing,
    }
}

/// Parses a text frame, answering bad ones with an error frame (`None` then).
pub async fn parse<T: serde::de::DeserializeOwned>(
    out: &mut Outbox,
    text: &str,
    bucket: &mut Bucket,
) -> Option<T> {
    if !bucket.take() {
        out.send(&ServerFrame::error(
            ErrorCode::RateLimited,
            "too many frames: slow down and resend",
        ))
        .await;
        return None;
    }
    if text.len() > MAX_FRAME {
        out.send(&ServerFrame::error(
            ErrorCode::TooLarge,
            format!("frames are at most {MAX_FRAME} bytes"),
        ))
        .await;
        return None;
    }
    match serde_json::from_str(text) {
        Ok(frame) => Some(frame),
        Err(e) => {
            out.send(&ServerFrame::error(
                ErrorCode::Malformed,
                format!("not a frame: {e}"),
            ))
            .await;
            None
        }
    }
}

pub fn error_frame(error: &AppError, id: Option<String>) -> ServerFrame {
    let code = match error {
        AppError::Unauthorized | AppError::Forbidden(_) => ErrorCode::Unauthorized,
        AppError::NotFound(_) => ErrorCode::NotFound,
        AppError::BadRequest(_) | AppError::Conflict(_) | AppError::Unsupported(_) => ErrorCode::Malformed,
        AppError::TooLarge(_) => ErrorCode::TooLarge,
        AppError::TooMany(..) => ErrorCode::RateLimited,
        AppError::Closed => ErrorCode::Closed,
        AppError::Db(_) | AppError::Internal(_) => ErrorCode::Internal,
    };
    if code == ErrorCode::Internal {
        tracing::error!("{error}");
    }
    ServerFrame::Error(ErrorFrame {
        code,
        message: error.to_string(),
        id,
        fatal: false,
    })
}
