//! What happens to a conversation, whoever asks: starting it from a hand-off (and
//! routing it), posting messages, transfers and closing. Sockets stay thin.

use crate::access::identity;
use crate::data::leads_store;
use crate::db::{self, Conversation};
use crate::error::AppError;
use crate::live::routing::{self, Decision};
use crate::state::AppState;
use chinwag_dialogue::{Route, Speaker, Target, VisitorContext};
use chinwag_protocol::{ConversationState, Event, EventKind, Handoff, Outgoing, Role, MAX_TEXT};

/// Creates the conversation from the widget's hand-off: stores the bot part, routes
/// it, and tells the inboxes. Returns the conversation and its events so far.
pub async fn start(state: &AppState, site: &str, handoff: Handoff) -> Result<Conversation, AppError> {
    let settings = db::site(&state.db, site).await?;
    let secret = settings
        .as_ref()
        .and_then(|s| s.identity_secret.as_deref())
        .and_then(|sealed| state.sealer.open(sealed));
    let sorted = identity::sort(handoff.attributes.clone(), secret.as_deref(), db::now_ms() / 1000);
    if let Some(refusal) = sorted.refused {
        tracing::warn!(site, "identity token refused: {refusal}");
    }
    let (route, fallback) = live_chat_card(state, site, &handoff.dialogue_id, &handoff.card).await;
    let conversation = Conversation {
        id: db::new_id(),
        site_id: site.to_owned(),
        dialogue_id: handoff.dialogue_id.clone(),
        page_url: handoff.page_url.clone(),
        attributes: sorted.attributes,
        verified: sorted.verified,
        agent_id: None,
        state: ConversationState::Open,
        snoozed_until: None,
        last_seq: 0,
        created_at: db::now_ms(),
        active_at: db::now_ms(),
        route: serde_json::to_string(&route).ok(),
        queued_at: None,
    };
    db::create_conversation(&state.db, &conversation).await?;
    let owned = (leads_store::Owned::Conversation, conversation.id.as_str());
    leads_store::record(
        &state.db,
        site,
        &conversation.attributes,
        &conversation.verified,
        "live chat",
        owned,
    )
    .await;
    let visitor = visitor_name(&conversation);
    publish(
        state,
        &conversation.id,
        None,
        EventKind::Started {
            visitor,
            page_url: conversation.page_url.clone(),
        },
    )
    .await?;
    for (i, entry) in handoff.transcript.iter().enumerate() {
        let (role, author) = match entry.speaker {
            Speaker::Bot => (Role::Bot, "Bot".to_owned()),
            Speaker::Visitor => (Role::Visitor, visitor_name(&conversation)),
        };
        // Marked, so a resuming widget (which replays the bot part itself) skips them.
        let id = format!("{}{}:{i}", chinwag_protocol::TRANSCRIPT_ID, handoff.id);
        let kind = EventKind::Message {
            role,
            author,
            text: entry.text.clone(),
            id: id.clone(),
            file: None,
        };
        publish(state, &conversation.id, Some(&id), kind).await?;
    }
    let require_verification = settings.is_some_and(|s| s.require_verification);
    let (context, verified) = contexts(&conversation, require_verification);
    match decide(state, &route, &context, &verified).await? {
        Decision::Assign { agent, .. } => {
            crate::telemetry::routed("assigned");
            assign(state, &conversation.id, &agent).await?;
        }
        Decision::Fallback(why) => {
            crate::telemetry::routed(match why {
                routing::Why::NoRuleMatched => "no_rule_matched",
                routing::Why::NobodyAvailable => "nobody_available",
                routing::Why::AtCapacity => "at_capacity",
                routing::Why::OutsideHours => "outside_hours",
            });
            let queued = why == routing::Why::AtCapacity;
            if queued {
                db::queue(&state.db, &conversation.id, db::now_ms()).await?;
            }
            publish(
                state,
                &conversation.id,
                None,
                EventKind::Unassigned { fallback, queued },
            )
            .await?;
        }
    }
    Ok(db::conversation(&state.db, &conversation.id)
        .await?
        .unwrap_or(conversation))
}

/// What routing decides on: the visitor as the page and the dialogue told us, and with
/// only what an identity token vouched for. A site that requires verification decides
/// every rule on the verified attributes.
fn contexts(c: &Conversation, require_verification: bool) -> (VisitorContext, VisitorContext) {
    let verified = VisitorContext {
        attributes: c
            .attributes
            .iter()
            .filter(|(k, _)| c.verified.contains(k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        page_url: c.page_url.clone(),
        locale: String::new(),
        teams_available: Vec::new(),
    };
    let context = match require_verification {
        true => verified.clone(),
        false => VisitorContext {
            attributes: c.attributes.clone(),
            page_url: c.page_url.clone(),
            locale: String::new(),
            teams_available: Vec::new(),
        },
    };
    (context, verified)
}

/// One queue round at a time on a node: two at once could both give an agent their
/// last free slot.
static SERVING_QUEUE: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Gives chats waiting in the queue (longest waiting first) to agents with room, each
/// by the route it was handed over with. Runs when a slot may have freed (a chat
/// closed, snoozed or transferred, an agent available again, a capacity raised) and
/// every few seconds (`snooze.rs`), so a slot freed through another node fills too.
pub async fn serve_queue(state: &AppState) -> Result<(), AppError> {
    let _one = SERVING_QUEUE.lock().await;
    let queued = db::queued(&state.db, 50).await?;
    if queued.is_empty() {
        return Ok(());
    }
    for c in queued {
        let route: Route = c
            .route
            .as_deref()
            .and_then(|r| serde_json::from_str(r).ok())
            .unwrap_or(Route::RoundRobin);
        let require_verification = db::site(&state.db, &c.site_id)
            .await?
            .is_some_and(|s| s.require_verification);
        let (context, verified) = contexts(&c, require_verification);
        if let Decision::Assign { agent, .. } = decide(state, &route, &context, &verified).await? {
            if db::assign_queued(&state.db, &c.id, &agent).await? {
                crate::telemetry::routed("from_queue");
                announce(state, &c.id, &agent).await?;
            }
        }
    }
    Ok(())
}

/// `serve_queue` in the background, after a change that may have freed a slot: the
/// change's own answer does not wait for it, nor fail with it.
pub fn serve_queue_soon(state: &AppState) {
    let state = state.clone();
    tokio::spawn(async move {
        if let Err(e) = serve_queue(&state).await {
            tracing::warn!("the queue: {e}");
        }
    });
}

/// How often routing tries again when another node advanced a round-robin position
/// between its read and its write.
const ROUTING_ATTEMPTS: usize = 8;

/// Routes, and when the agent came from a pool, advances the pool's round-robin
/// position from the one routing read to that agent in one conditional write: when
/// another node (or request) advanced it meanwhile, routing decides again on the new
/// position, so two chats routed at the same moment never both go to the same "next"
/// agent. Routing itself stays a pure function of what was read.
async fn decide(
    state: &AppState,
    route: &Route,
    context: &VisitorContext,
    verified: &VisitorContext,
) -> Result<Decision, AppError> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        let agents = db::routing_agents(&state.db).await?;
        let positions = db::positions(&state.db).await?;
        let hours = crate::hours::store::all(&state.db).await?;
        let now = (db::now_ms() / 1000) as i64;
        let closed = crate::hours::closed(&hours, now);
        // A rule may ask `team_available`: decided on what is true now.
        let available: Vec<String> = crate::hours::available(&hours, &agents, now)
            .into_iter()
            .collect();
        let context = &VisitorContext {
            teams_available: available.clone(),
            ..context.clone()
        };
        let verified = &VisitorContext {
            teams_available: available,
            ..verified.clone()
        };
        let decision = routing::route(route, context, verified, &agents, &positions, &closed);
        let Decision::Assign {
            agent,
            pool: Some(pool),
        } = &decision
        else {
            return Ok(decision);
        };
        let key = pool.key();
        let read = positions.get(&key).map(String::as_str);
        if db::advance_position(&state.db, &key, read, agent).await? || attempt == ROUTING_ATTEMPTS {
            return Ok(decision);
        }
    }
}

/// The route and fallback (in the default locale) of the site's live-chat card at
/// `card`. A dialogue or card the server does not know (a stale page) still reaches a
/// human: round robin, with a generic fallback.
async fn live_chat_card(state: &AppState, site: &str, dialogue_id: &str, card: &str) -> (Route, String) {
    let dialogues = db::all_dialogues(&state.db, site).await.unwrap_or_default();
    let found = dialogues
        .iter()
        .filter_map(|body| serde_json::from_str::<chinwag_dialogue::Dialogue>(body).ok())
        .find(|d| d.id == dialogue_id)
        .and_then(|d| {
            let mut live = None;
            chinwag_dialogue::path::walk(&d.stream, |path, c| {
                if let (true, chinwag_dialogue::Card::LiveChat(lc)) = (path.to_string() == card, c) {
                    let fallback = lc
                        .fallback
                        .resolve(&d.default_locale, &d.default_locale)
                        .to_owned();
                    live = Some((lc.route.clone(), fallback));
                }
            });
            live
        });
    found.unwrap_or_else(|| {
        let text = "Nobody is available right now. Leave a message and we'll get back to you.";
        (Route::RoundRobin, text.to_owned())
    })
}

fn visitor_name(c: &Conversation) -> String {
    c.attributes
        .get("first_name")
        .cloned()
        .unwrap_or_else(|| "Visitor".into())
}

/// Stores an event and publishes it. A duplicate client id is not published again.
pub async fn publish(
    state: &AppState,
    conversation: &str,
    client_id: Option<&str>,
    kind: EventKind,
) -> Result<Event, AppError> {
    let (event, duplicate) = state.writer.append(conversation, client_id, &kind).await?;
    if !duplicate {
        state.fanout.stored(event.clone());
    }
    Ok(event)
}

/// Posts a visitor's or agent's message; returns the stored event (the same one again
/// for a resent id). A visitor writing to a snoozed or closed conversation opens it
/// again first; an agent must reopen a closed one before replying.
pub async fn post(
    state: &AppState,
    conversation: &Conversation,
    role: Role,
    author: &str,
    message: Outgoing,
) -> Result<Event, AppError> {
    let text = checked(&message, "message")?.to_owned();
    let line = Line {
        role,
        author,
        id: &message.id,
        text,
        file: None,
    };
    post_line(state, conversation, line).await
}

/// Posts an attachment stored in `files` as a message whose text is its name, with the
/// same rules as [`post`].
pub async fn post_file(
    state: &AppState,
    conversation: &Conversation,
    role: Role,
    author: &str,
    id: &str,
    file: chinwag_protocol::File,
) -> Result<Event, AppError> {
    let line = Line {
        role,
        author,
        id,
        text: file.name.clone(),
        file: Some(file),
    };
    post_line(state, conversation, line).await
}

/// A message's parts.
struct Line<'a> {
    role: Role,
    author: &'a str,
    id: &'a str,
    text: String,
    file: Option<chinwag_protocol::File>,
}

async fn post_line(state: &AppState, conversation: &Conversation, line: Line<'_>) -> Result<Event, AppError> {
    let role = line.role;
    match (conversation.state, role) {
        (ConversationState::Open, _) => {}
        (_, Role::Visitor) => {
            // A message stored before (sent again after the chat was closed: a socket's
            // retry, a mail delivered twice) is no news: it opens nothing.
            if let Some(event) = crate::db::stored(&state.db, &conversation.id, line.id).await? {
                return Ok(event);
            }
            reopen(state, conversation, Role::Visitor).await?
        }
        (ConversationState::Closed, _) => return Err(AppError::Closed),
        (ConversationState::Snoozed, _) => {}
    }
    let kind = EventKind::Message {
        role,
        author: line.author.to_owned(),
        text: line.text,
        id: line.id.to_owned(),
        file: line.file,
    };
    let event = publish(state, &conversation.id, Some(line.id), kind).await?;
    // The visitor may have left: the reply goes by email too (`mail::offline`). The
    // message is stored and acknowledged whatever the mail does.
    if role == Role::Agent {
        if let Err(e) = crate::mail::offline::after_reply(state, conversation).await {
            tracing::warn!(conversation = %conversation.id, "reply mail not queued: {e}");
        }
    }
    Ok(event)
}

/// The text of a message or note (`what`), trimmed, when it and its id have a length
/// the protocol allows.
pub fn checked<'a>(line: &'a Outgoing, what: &str) -> Result<&'a str, AppError> {
    let text = line.text.trim();
    if text.is_empty() || text.chars().count() > MAX_TEXT {
        return Err(AppError::BadRequest(format!(
            "a {what} has 1 to {MAX_TEXT} characters"
        )));
    }
    if line.id.is_empty() || line.id.len() > 100 {
        return Err(AppError::BadRequest(format!(
            "a {what} needs an id of 1 to 100 characters"
        )));
    }
    Ok(text)
}

pub async fn assign(state: &AppState, conversation: &str, agent: &str) -> Result<(), AppError> {
    db::agent(&state.db, agent)
        .await?
        .ok_or_else(|| AppError::NotFound("no such agent".into()))?;
    db::assign(&state.db, conversation, Some(agent)).await?;
    announce(state, conversation, agent).await
}

/// Tells everyone the conversation is now `agent`'s.
async fn announce(state: &AppState, conversation: &str, agent: &str) -> Result<(), AppError> {
    let agent = db::agent(&state.db, agent)
        .await?
        .ok_or_else(|| AppError::NotFound("no such agent".into()))?;
    publish(
        state,
        conversation,
        None,
        EventKind::Assigned {
            agent_id: agent.id,
            agent_name: agent.name,
        },
    )
    .await?;
    Ok(())
}

/// Hands the conversation to an agent, or to the next available member of a team.
pub async fn transfer(state: &AppState, conversation: &str, to: Target) -> Result<(), AppError> {
    let route = match to {
        Target::Agent(agent) => chinwag_dialogue::Route::Agent { agent },
        Target::Team(team) => chinwag_dialogue::Route::Team { team },
    };
    let nobody = VisitorContext::default();
    match decide(state, &route, &nobody, &nobody).await? {
        Decision::Assign { agent, .. } => {
            assign(state, conversation, &agent).await?;
            serve_queue_soon(state);
            Ok(())
        }
        Decision::Fallback(routing::Why::AtCapacity) => Err(AppError::BadRequest(
            "everyone there who is available is at capacity".into(),
        )),
        Decision::Fallback(routing::Why::OutsideHours) => Err(AppError::BadRequest(
            "that team is outside its business hours".into(),
        )),
        Decision::Fallback(_) => Err(AppError::BadRequest("nobody there is available".into())),
    }
}

/// Hands an open conversation to the next available agent (round robin over
/// everyone), or leaves it unassigned in every inbox when nobody is, with `fallback`
/// for the visitor: what happens to a deactivated agent's chats.
pub async fn reroute(state: &AppState, conversation: &str, fallback: &str) -> Result<(), AppError> {
    let nobody = VisitorContext::default();
    match decide(state, &Route::RoundRobin, &nobody, &nobody).await? {
        Decision::Assign { agent, .. } => assign(state, conversation, &agent).await,
        Decision::Fallback(_) => {
            db::assign(&state.db, conversation, None).await?;
            let fallback = fallback.to_owned();
            let kind = EventKind::Unassigned {
                fallback,
                queued: false,
            };
            publish(state, conversation, None, kind).await?;
            Ok(())
        }
    }
}

/// The longest an agent may snooze a conversation for.
const LONGEST_SNOOZE_MS: u64 = 366 * 24 * 3600 * 1000;

/// Puts an open or snoozed conversation aside until `until` (in the future, within a
/// year) or, with none, until the visitor writes.
pub async fn snooze(state: &AppState, conversation: &str, until: Option<u64>) -> Result<(), AppError> {
    let now = db::now_ms();
    if until.is_some_and(|t| t <= now || t > now + LONGEST_SNOOZE_MS) {
        return Err(AppError::BadRequest(
            "snooze until a time in the future, at most a year away".into(),
        ));
    }
    if !db::snooze(&state.db, conversation, until).await? {
        return Err(AppError::BadRequest(
            "only an open or snoozed conversation can be snoozed; reopen a closed one first".into(),
        ));
    }
    publish(state, conversation, None, EventKind::Snoozed { until }).await?;
    serve_queue_soon(state);
    Ok(())
}

/// Opens a snoozed or closed conversation again, with its history (`by`: the visitor
/// who wrote, an agent, or `System` when a snooze's time came). A snoozed one keeps its
/// agent. A closed one reopened by its visitor goes back to its agent when they are
/// available, else it is routed again (round robin over everyone available) or waits
/// unassigned; the agent who reopens one takes it.
pub async fn reopen(state: &AppState, c: &Conversation, by: Role) -> Result<(), AppError> {
    let by_name = match by {
        Role::Visitor => "visitor",
        Role::Agent => "agent",
        Role::Bot | Role::System => "system",
    };
    // Another request (or node) that reopened it first has told everyone already.
    if c.state == ConversationState::Open || !db::reopen(&state.db, &c.id, c.state, by_name).await? {
        return Ok(());
    }
    publish(state, &c.id, None, EventKind::Reopened { by }).await?;
    if c.state != ConversationState::Closed || by != Role::Visitor {
        return Ok(());
    }
    let agents = db::routing_agents(&state.db).await?;
    let previous = c.agent_id.as_deref().filter(|id| {
        agents
            .iter()
            .any(|a| a.id == *id && a.status == chinwag_protocol::AgentStatus::Available)
    });
    match previous {
        Some(agent) => assign(state, &c.id, agent).await,
        None => reroute(state, &c.id, REOPENED_FALLBACK).await,
    }
}

/// What a visitor reads when they wrote to a closed chat and nobody is there.
const REOPENED_FALLBACK: &str =
    "Nobody is available right now; your message is kept and we will answer here.";

pub async fn close(state: &AppState, conversation: &str, by: Role) -> Result<(), AppError> {
    db::close(&state.db, conversation).await?;
    publish(state, conversation, None, EventKind::Closed { by }).await?;
    serve_queue_soon(state);
    Ok(())
}
