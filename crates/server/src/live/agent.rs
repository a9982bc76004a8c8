//! The agent socket: the inbox's live feed and its actions. Signed in by session
//! cookie; the `Origin` must be this server's own (no cross-site socket hijacking).

use crate::access::auth::SignedIn;
use crate::access::limit::Bucket;
use crate::cluster::presence;
use crate::db::{self, Agent, Conversation};
use crate::error::AppError;
use crate::live::socket::{self, Live, Outbox, Read};
use crate::live::{conversation, notes};
use crate::peer::Peer;
use crate::state::AppState;
use axum::extract::ws::{WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::Response;
use chinwag_protocol::{
    AgentFrame, AgentStatus, ConversationState, ErrorCode, Event, EventKind, Role, ServerFrame, Welcome,
    VERSION,
};
use futures_util::StreamExt;

fn same_origin(headers: &HeaderMap) -> bool {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let origin = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok());
    match (host, origin) {
        (Some(host), Some(origin)) => origin.split_once("://").is_some_and(|(_, rest)| rest == host),
        _ => false,
    }
}

pub async fn upgrade(
    ws: WebSocketUpgrade,
    signed_in: SignedIn,
    Peer(ip): Peer,
    headers: HeaderMap,
    State(state): State<AppState>,
) -> Result<Response, AppError> {
    if !same_origin(&headers) {
        tracing::warn!(agent = %signed_in.agent.id, "agent socket refused: not this server's origin");
        return Err(AppError::Forbidden(
            "the inbox socket only opens from this server's pages".into(),
        ));
    }
    socket::admit(state, ip, ws, move |socket, state| {
        run(socket, state, signed_in.agent)
    })
}

async fn run(socket: WebSocket, state: AppState, agent: Agent) {
    presence::opened(&state.db, &state.hub, state.fanout.node(), &agent.id).await;
    let (sink, mut stream) = socket.split();
    let mut out = Outbox::new(sink);
    let mut inbox = Some(state.hub.inbox());
    let mut bucket = Bucket::new(40, 10.0);
    let mut ticket = state.shutdown.ticket();
    let _open = crate::telemetry::socket_opened("agent");
    loop {
        tokio::select! {
            incoming = tokio::time::timeout(socket::IDLE, stream.next()) => {
                match socket::read::<AgentFrame>(incoming, &mut out, &mut bucket).await {
                    Read::Frame(frame) => {
                        if let Err(e) = handle(&state, &agent, frame, &mut out).await {
                            out.send(&socket::error_frame(&e, None)).await;
                        }
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
            Some(live) = socket::next_live(&mut inbox) => {
                match live {
                    Live::Frame(frame) => {
                        if may_see_frame(&state, &agent, &frame).await {
                            out.send(&frame).await;
                        }
                    }
                    // The inbox reloads its lists over HTTP when told it fell behind.
                    Live::Lagged => out.send(&ServerFrame::error(ErrorCode::Internal, "fell behind: reload the conversations")).await,
                }
            }
        }
        if out.broken() {
            break;
        }
    }
    presence::closed(&state.db, &state.hub, state.fanout.node(), &agent.id).await;
}

/// Admins see everything; agents see their conversations and unassigned ones.
pub fn may_see(agent: &Agent, c: &Conversation) -> bool {
    agent.role == db::Role::Admin || c.agent_id.is_none() || c.agent_id.as_deref() == Some(agent.id.as_str())
}

async fn may_see_frame(state: &AppState, agent: &Agent, frame: &ServerFrame) -> bool {
    let id = match frame {
        // A note that mentions them, wherever it is.
        ServerFrame::Event(Event {
            kind: EventKind::Note { mentions, .. },
            ..
        }) if mentions.contains(&agent.id) => return true,
        ServerFrame::Event(e) => &e.conversation,
        ServerFrame::Typing { conversation, .. } => conversation,
        // A meeting: its host, and admins (who see every meeting in the list).
        ServerFrame::Meeting(m) => return agent.role == db::Role::Admin || m.host == agent.id,
        // Gone for good: an id that names nothing any more, so every inbox may drop it.
        ServerFrame::Erased { .. } => return true,
        _ => return false,
    };
    if agent.role == db::Role::Admin {
        return true;
    }
    let assigned = match state.hub.assignment(id) {
        Some(assigned) => assigned,
        None => match db::conversation(&state.db, id).await {
            Ok(Some(c)) => {
                state.hub.fill_assignment(id, c.agent_id.clone());
                c.agent_id
            }
            _ => return false,
        },
    };
    assigned.is_none_or(|a| a == agent.id)
}

async fn visible(state: &AppState, agent: &Agent, id: &str) -> Result<Conversation, AppError> {
    db::conversation(&state.db, id)
        .await?
        .filter(|c| may_see(agent, c))
        .ok_or_else(|| AppError::NotFound("no such conversation".into()))
}

async fn handle(
    state: &AppState,
    agent: &Agent,
    frame: AgentFrame,
    out: &mut Outbox,
) -> Result<(), AppError> {
    match frame {
        AgentFrame::Hello { version } if version != VERSION => {
            out.fatal(
                ErrorCode::Version,
                format!("this server speaks protocol version {VERSION}"),
            )
            .await;
        }
        AgentFrame::Hello { .. } => {
            out.send(&ServerFrame::Welcome(Welcome {
                version: VERSION,
                conversation: None,
                token: None,
            }))
            .await
        }
        AgentFrame::Message {
            conversation: id,
            message,
        } => {
            let c = visible(state, agent, &id).await?;
            if c.agent_id.is_none() {
                // Replying to a waiting conversation takes it.
                conversation::assign(state, &id, &agent.id).await?;
            }
            let client_id = message.id.clone();
            let received = std::time::Instant::now();
            let event = conversation::post(state, &c, Role::Agent, &agent.name, message).await?;
            out.send(&ServerFrame::Ack {
                id: client_id,
                seq: event.seq,
            })
            .await;
            crate::telemetry::message_acked("agent", received);
        }
        AgentFrame::Note {
            conversation: id,
            note,
        } => {
            let c = visible(state, agent, &id).await?;
            let client_id = note.id.clone();
            let event = notes::add(state, &c, agent, note).await?;
            out.send(&ServerFrame::Ack {
                id: client_id,
                seq: event.seq,
            })
            .await;
        }
        AgentFrame::Typing { conversation: id, on } => {
            visible(state, agent, &id).await?;
            state.fanout.to_visitor(
                &id,
                ServerFrame::Typing {
                    conversation: id.clone(),
                    who: Role::Agent,
                    on,
                },
            );
        }
        // Offline follows the inbox (closed everywhere); an agent who takes no chats is away.
        AgentFrame::Status(status) => {
            let status = match status {
                AgentStatus::Offline => AgentStatus::Away,
                other => other,
            };
            db::set_status(&state.db, &agent.id, status).await?;
            // Back with room: the longest-waiting chats in the queue may be theirs.
            if status == AgentStatus::Available {
                conversation::serve_queue_soon(state);
            }
        }
        AgentFrame::Claim { conversation: id } => {
            visible(state, agent, &id).await?;
            conversation::assign(state, &id, &agent.id).await?;
        }
        AgentFrame::Transfer { conversation: id, to } => {
            visible(state, agent, &id).await?;
            conversation::transfer(state, &id, to).await?;
        }
        AgentFrame::Close { conversation: id } => {
            visible(state, agent, &id).await?;
            conversation::close(state, &id, Role::Agent).await?;
        }
        AgentFrame::Snooze {
            conversation: id,
            until,
        } => {
            visible(state, agent, &id).await?;
            conversation::snooze(state, &id, until).await?;
        }
        AgentFrame::Reopen { conversation: id } => {
            let c = visible(state, agent, &id).await?;
            conversation::reopen(state, &c, Role::Agent).await?;
            // Whoever reopens a closed chat answers it.
            if c.state == ConversationState::Closed && c.agent_id.as_deref() != Some(agent.id.as_str()) {
                conversation::assign(state, &id, &agent.id).await?;
            }
        }
        AgentFrame::Ping(t) => out.send(&ServerFrame::Pong(t)).await,
    }
    Ok(())
}
