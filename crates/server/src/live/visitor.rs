//! The visitor socket. Origins are checked against the site's allowlist before the
//! upgrade (axum does not do it). Then: `hello` (with a token to resume), `handoff`
//! to start, messages acknowledged with their sequence number, and every event the
//! visitor missed sent again on reconnect.

use crate::access::limit::Bucket;
use crate::data::erase_store::Person;
use crate::db::{self, Conversation, Site};
use crate::error::AppError;
use crate::live::conversation;
use crate::live::socket::{self, Outbox, Read};
use crate::peer::Peer;
use crate::state::AppState;
use axum::extract::ws::{WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use chinwag_protocol::{ErrorCode, Role, ServerFrame, VisitorFrame, Welcome, VERSION};
use futures_util::StreamExt;
use tokio::sync::broadcast;

#[derive(serde::Deserialize)]
pub struct SiteQuery {
    site: String,
}

pub async fn upgrade(
    ws: WebSocketUpgrade,
    Query(query): Query<SiteQuery>,
    Peer(ip): Peer,
    headers: HeaderMap,
    State(state): State<AppState>,
) -> Result<Response, AppError> {
    let site = db::site(&state.db, &query.site)
        .await?
        .ok_or_else(|| AppError::NotFound("no such site".into()))?;
    if !crate::page_call::origin_allowed(&site, &headers) {
        tracing::warn!(site = %site.id, origin = ?crate::page_call::page_origin(&headers), "visitor socket refused: origin not allowed");
        return Err(AppError::Forbidden(
            "this origin may not open chats for this site".into(),
        ));
    }
    socket::admit(state, ip, ws, move |socket, state| run(socket, state, site))
}

/// One visitor connection.
struct Visitor {
    state: AppState,
    site: Site,
    conversation: Option<Conversation>,
    events: Option<broadcast::Receiver<ServerFrame>>,
    said_hello: bool,
    bucket: Bucket,
    /// When this socket last said the visitor is here (`mail::offline`).
    told_here: Option<(std::time::Instant, u64)>,
}

async fn run(socket: WebSocket, state: AppState, site: Site) {
    let (sink, mut stream) = socket.split();
    let mut out = Outbox::for_visitor(sink);
    let mut visitor = Visitor {
        state,
        site,
        conversation: None,
        events: None,
        said_hello: false,
        bucket: Bucket::new(20, 5.0),
        told_here: None,
    };
    let mut ticket = visitor.state.shutdown.ticket();
    let _open = crate::telemetry::socket_opened("visitor");
    loop {
        tokio::select! {
            incoming = tokio::time::timeout(socket::IDLE, stream.next()) => {
                match socket::read::<VisitorFrame>(incoming, &mut out, &mut visitor.bucket).await {
                    Read::Frame(frame) => {
                        if visitor.handle(frame, &mut out).await.is_err() { break }
                    }
                    Read::Nothing => {}
                    Read::End => break,
                }
            }
            // Only between frames: the one being handled is finished and stored first.
            _ = ticket.stopping() => {
                out.restart().await;
                break;
            }
            Some(frame) = socket::next_live(&mut visitor.events) => {
                if let Some(c) = &visitor.conversation {
                    if out.follow(&visitor.state.db, &c.id, frame).await.is_err() { break }
                }
            }
        }
        if out.broken() {
            break;
        }
    }
    // Gone: an agent's reply from now on may go by email (unless another socket of
    // theirs said since that they are there).
    if let (Some(c), Some((_, wrote))) = (&visitor.conversation, visitor.told_here) {
        let _ = crate::mail::offline::left(&visitor.state, &c.id, wrote, db::now_ms()).await;
    }
}

impl Visitor {
    /// Handles one frame; `Err` ends the connection.
    async fn handle(&mut self, frame: VisitorFrame, out: &mut Outbox) -> Result<(), ()> {
        if !self.said_hello && !matches!(frame, VisitorFrame::Hello(_)) {
            out.send(&ServerFrame::error(ErrorCode::HelloFirst, "send hello first"))
                .await;
            return Ok(());
        }
        match frame {
            VisitorFrame::Hello(hello) => {
                if hello.version != VERSION {
                    out.fatal(
                        ErrorCode::Version,
                        format!("this server speaks protocol version {VERSION}"),
                    )
                    .await;
                    return Err(());
                }
                self.said_hello = true;
                if let Some(token) = hello.token {
                    let resumed = match self.state.signer.verify(&token) {
                        Some(id) => db::conversation(&self.state.db, &id).await.ok().flatten(),
                        None => None,
                    };
                    match resumed.filter(|c| c.site_id == self.site.id) {
                        Some(c) => {
                            crate::telemetry::visitor_resume("resumed");
                            return self.attach(c, hello.last_seq, out).await;
                        }
                        None => {
                            crate::telemetry::visitor_resume("refused");
                            tracing::warn!(site = %self.site.id, "visitor token refused");
                            out.send(&ServerFrame::error(
                                ErrorCode::Unauthorized,
                                "this token names no conversation of yours",
                            ))
                            .await
                        }
                    }
                }
                out.send(&ServerFrame::Welcome(Welcome {
                    version: VERSION,
                    conversation: None,
                    token: None,
                }))
                .await;
            }
            VisitorFrame::Handoff(handoff) => {
                if let Some(c) = self.conversation.clone() {
                    // Already started (a resent hand-off): answer as before.
                    return self.attach(c, out.last_seq, out).await;
                }
                match conversation::start(&self.state, &self.site.id, handoff).await {
                    Ok(c) => return self.attach(c, 0, out).await,
                    Err(e) => out.send(&socket::error_frame(&e, None)).await,
                }
            }
            VisitorFrame::Message(message) => {
                let Some(c) = self.current().await else {
                    out.send(&ServerFrame::error(
                        ErrorCode::NotFound,
                        "start the conversation with a handoff first",
                    ))
                    .await;
                    return Ok(());
                };
                let author = c
                    .attributes
                    .get("first_name")
                    .cloned()
                    .unwrap_or_else(|| "Visitor".into());
                let id = message.id.clone();
                let received = std::time::Instant::now();
                match conversation::post(&self.state, &c, Role::Visitor, &author, message).await {
                    Ok(event) => {
                        out.send(&ServerFrame::Ack { id, seq: event.seq }).await;
                        crate::telemetry::message_acked("visitor", received);
                    }
                    Err(e) => out.send(&socket::error_frame(&e, Some(id))).await,
                }
            }
            VisitorFrame::Typing(on) => {
                if let Some(c) = &self.conversation {
                    self.state.fanout.to_inbox(ServerFrame::Typing {
                        conversation: c.id.clone(),
                        who: Role::Visitor,
                        on,
                    });
                }
            }
            VisitorFrame::Ping(t) => {
                out.send(&ServerFrame::Pong(t)).await;
                self.here().await;
            }
            VisitorFrame::Erase {} => return self.erase(out).await,
            VisitorFrame::EmailTranscript {} => {
                let answer = match self.current().await {
                    Some(c) => crate::mail::transcript::request(&self.state, &c).await,
                    None => Err(AppError::NotFound("there is no conversation to send".into())),
                };
                match answer {
                    Ok(to) => out.send(&ServerFrame::TranscriptSent { to }).await,
                    Err(e) => out.send(&socket::error_frame(&e, None)).await,
                }
            }
            VisitorFrame::Rate(rating) => {
                let refused = match self.current().await {
                    Some(c) => super::rating::rate(&self.state, &c, rating).await.err(),
                    None => Some(AppError::NotFound("there is no chat to rate".into())),
                };
                if let Some(e) = refused {
                    out.send(&socket::error_frame(&e, None)).await;
                }
            }
        }
        Ok(())
    }

    /// The visitor deletes their conversation: erased as an admin's erasure would
    /// (docs/privacy.md), the inboxes told, and this socket is done with it.
    async fn erase(&mut self, out: &mut Outbox) -> Result<(), ()> {
        let Some(c) = self.conversation.take() else {
            out.send(&ServerFrame::error(
                ErrorCode::NotFound,
                "there is no conversation to delete",
            ))
            .await;
            return Ok(());
        };
        let person = Person {
            email: None,
            visitor: None,
            conversation: Some(c.id.clone()),
        };
        match crate::data::erase_store::erase(&self.state.db, &self.site.id, &person).await {
            Ok(_) => {
                self.events = None;
                let detail = format!("conversation {} deleted by its visitor", c.id);
                let _ = crate::console::store::audit(
                    &self.state.db,
                    "visitor",
                    "conversation.erase",
                    &self.site.id,
                    &detail,
                )
                .await;
                tracing::info!(site = %self.site.id, "{detail}");
                let erased = ServerFrame::Erased { conversation: c.id };
                self.state.fanout.to_inbox(erased.clone());
                out.send(&erased).await;
            }
            Err(e) => {
                self.conversation = Some(c);
                tracing::warn!(site = %self.site.id, "visitor erase: {e}");
                out.send(&ServerFrame::error(
                    ErrorCode::Internal,
                    "could not delete now; try again",
                ))
                .await;
            }
        }
        Ok(())
    }

    /// Says the visitor is here, at most every 20 s (the widget pings every 25 s).
    async fn here(&mut self) {
        let Some(id) = self.conversation.as_ref().map(|c| c.id.clone()) else {
            return;
        };
        if self
            .told_here
            .is_some_and(|(at, _)| at.elapsed() < std::time::Duration::from_secs(20))
        {
            return;
        }
        if let Ok(wrote) = crate::mail::offline::seen(&self.state, &id, db::now_ms()).await {
            self.told_here = Some((std::time::Instant::now(), wrote));
        }
    }

    /// The conversation as stored now (it may have been closed or reassigned).
    async fn current(&mut self) -> Option<Conversation> {
        let id = self.conversation.as_ref()?.id.clone();
        self.conversation = db::conversation(&self.state.db, &id).await.ok().flatten();
        self.conversation.clone()
    }

    /// Follows a conversation: welcome with a fresh token, then everything after `seen`.
    async fn attach(&mut self, c: Conversation, seen: u64, out: &mut Outbox) -> Result<(), ()> {
        self.events = Some(self.state.hub.conversation(&c.id));
        let welcome = Welcome {
            version: VERSION,
            conversation: Some(c.id.clone()),
            token: Some(self.state.signer.sign(&c.id)),
        };
        out.send(&ServerFrame::Welcome(welcome)).await;
        self.conversation = Some(c.clone());
        self.told_here = None;
        self.here().await;
        out.last_seq = seen;
        out.catch_up(&self.state.db, &c.id).await.map_err(|_| ())?;
        self.conversation = Some(c);
        Ok(())
    }
}
