//! A visitor's answer by email (docs/inbox.md, "Answers by email"): a mail to a
//! conversation's signed reply address (`reply_address`), from the conversation's own
//! email, becomes the visitor's messages in it, as if typed in the chat (a closed
//! conversation opens again). Both ways in arrive here: the SMTP listener
//! (`listener.rs`) and a provider's inbound webhook (`routes.rs`).

use super::{fresh, reply_address};
use crate::db;
use crate::live::conversation;
use crate::state::AppState;
use chinwag_protocol::{Outgoing, Role, MAX_TEXT};
use mailparse::MailHeaderMap;
use sha2::{Digest, Sha256};

/// The most chat messages one mail becomes; the rest is cut, and the last says so.
const MAX_PARTS: usize = 10;

/// Why a mail was not taken: each is the sender's to fix (a bounce says it), but for
/// `Failed`, which is ours (the sender's server tries again later).
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    #[error("this address takes answers to Chinwag's mails only")]
    NotOurs,
    #[error("the conversation this answers is no longer kept")]
    Gone,
    #[error("answers to this conversation come from its visitor's address only")]
    NotTheVisitor,
    #[error("the mail could not be read")]
    Unreadable,
    #[error("the mail has no text of its own: write the answer above the quoted mail")]
    Empty,
    #[error("{0} cannot be added to the chat ({1}): send the mail again without it")]
    File(String, String),
    #[error("too many answers to this conversation: try again in {0} s")]
    TooMany(u64),
    #[error("the answer could not be stored: {0}")]
    Failed(String),
}

/// What became of a mail taken.
#[derive(Debug, PartialEq, Eq)]
pub struct Taken {
    pub conversation: String,
    /// Chat messages posted (1 or more).
    pub messages: usize,
}

/// The conversation a recipient names, for the SMTP listener's `RCPT TO` (no mail
/// accepted for anyone else).
pub fn addressee(state: &AppState, recipient: &str) -> Option<String> {
    let config = &state.config;
    reply_address::open(&config.secret, &config.mail_in_domain, recipient)
}

/// Takes a raw RFC 5322 mail. `envelope`: the recipients the SMTP transaction named
/// (empty from a webhook: then the `To`, `Cc` and `Delivered-To` headers).
pub async fn receive(state: &AppState, raw: &[u8], envelope: &[String]) -> Result<Taken, Refused> {
    let mail = mailparse::parse_mail(raw).map_err(|_| Refused::Unreadable)?;
    let mut recipients: Vec<String> = envelope.to_vec();
    for name in ["To", "Cc", "Delivered-To", "X-Original-To"] {
        for header in mail.headers.get_all_headers(name) {
            recipients.extend(addresses(header));
        }
    }
    let id = recipients
        .iter()
        .find_map(|r| addressee(state, r))
        .ok_or(Refused::NotOurs)?;
    let from = mail
        .headers
        .get_first_header("From")
        .and_then(|f| addresses(f).into_iter().next())
        .ok_or(Refused::Unreadable)?;
    let failed = |e: sqlx::Error| Refused::Failed(e.to_string());
    let c = db::conversation(&state.db, &id)
        .await
        .map_err(failed)?
        .ok_or(Refused::Gone)?;
    let visitor = c.attributes.get("email").map(|e| e.trim());
    if !visitor.is_some_and(|v| same_mailbox(v, &from)) {
        return Err(Refused::NotTheVisitor);
    }
    // The same mail delivered twice (a retried SMTP transaction, a webhook sent again)
    // has the same ids: stored once, and not counted again against the limit.
    let key = fresh::message_id(&mail).map_or_else(|| Sha256::digest(raw), |m| Sha256::digest(m.as_bytes()));
    let key = &hex::encode(key)[..24];
    let mut again = false;
    for first in ["0", "f0"] {
        again |= db::stored(&state.db, &id, &format!("mail-{key}-{first}"))
            .await
            .map_err(failed)?
            .is_some();
    }
    if !again {
        state
            .limits
            .mail_in(&id)
            .map_err(|wait| Refused::TooMany(wait.as_secs().max(1)))?;
    }
    let text = fresh::text(&mail);
    let files = fresh::attachments(&mail);
    // Nothing of the visitor's own (a quote sent back alone): a bounce says so, rather
    // than a silent "taken".
    if text.trim().is_empty() && files.is_empty() {
        return Err(Refused::Empty);
    }
    // A file we would not take refuses the whole mail, before anything is posted: the
    // bounce says which and why, and nothing arrives half.
    for (name, bytes) in &files {
        if bytes.len() as u64 > chinwag_protocol::MAX_FILE {
            return Err(Refused::File(name.clone(), "a file has at most 10 MB".into()));
        }
        if let Err(why) = crate::files::kind::of(bytes) {
            return Err(Refused::File(name.clone(), why.into()));
        }
    }
    let parts = parts(&text);
    let author = c
        .attributes
        .get("first_name")
        .cloned()
        .unwrap_or_else(|| "Visitor".into());
    for (i, part) in parts.iter().enumerate() {
        // Read again each time: the first part may have opened a closed conversation.
        let c = db::conversation(&state.db, &id)
            .await
            .map_err(failed)?
            .ok_or(Refused::Gone)?;
        let line = Outgoing {
            id: format!("mail-{key}-{i}"),
            text: part.clone(),
        };
        conversation::post(state, &c, Role::Visitor, &author, line)
            .await
            .map_err(|e| Refused::Failed(e.to_string()))?;
    }
    for (i, (name, bytes)) in files.iter().enumerate() {
        let c = db::conversation(&state.db, &id)
            .await
            .map_err(failed)?
            .ok_or(Refused::Gone)?;
        let client_id = format!("mail-{key}-f{i}");
        crate::files::attach::attach(state, &c, Role::Visitor, &author, &client_id, name, bytes)
            .await
            .map_err(|e| Refused::Failed(e.to_string()))?;
    }
    Ok(Taken {
        conversation: id,
        messages: parts.len() + files.len(),
    })
}

/// Whether two addresses reach one mailbox: letter case aside, and a `+tag` aside (the
/// visitor typed `vera+shop@gmail.com`, Gmail answers from `vera@gmail.com`). Who may
/// answer is a second check: the signed reply address is the first.
fn same_mailbox(a: &str, b: &str) -> bool {
    let mailbox = |address: &str| {
        let address = address.trim().to_lowercase();
        match address.rsplit_once('@') {
            Some((local, domain)) => {
                let local = local.split_once('+').map_or(local, |(l, _)| l);
                format!("{local}@{domain}")
            }
            None => address,
        }
    };
    mailbox(a) == mailbox(b)
}

/// The addresses in a header (`Name <a@b>, c@d`), read before its words are decoded:
/// a decoded name may hold a comma ("Müller, Vera" from `=?iso-8859-1?Q?M=FCller=2C_Vera?=`).
fn addresses(header: &mailparse::MailHeader) -> Vec<String> {
    let Ok(list) = mailparse::addrparse_header(header) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in list.iter() {
        match item {
            mailparse::MailAddr::Single(one) => out.push(one.addr.clone()),
            mailparse::MailAddr::Group(group) => out.extend(group.addrs.iter().map(|a| a.addr.clone())),
        }
    }
    out
}

/// The text as chat messages of at most `MAX_TEXT` characters, cut between lines where
/// it can be; at most `MAX_PARTS`, the last saying when the rest was cut.
fn parts(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        if out.len() == MAX_PARTS - 1 && rest.chars().count() > MAX_TEXT {
            let cut = "\n[The rest of this email was too long for the chat.]";
            let keep = MAX_TEXT - cut.chars().count();
            out.push(format!("{}{cut}", head(rest, keep).trim_end()));
            break;
        }
        let part = head(rest, MAX_TEXT);
        let part = match part.rfind('\n') {
            Some(at) if part.len() < rest.len() && at > 0 => &part[..at],
            _ => part,
        };
        out.push(part.trim().to_owned());
        rest = rest[part.len()..].trim_start();
    }
    out
}

/// The first `n` characters of `s`.
fn head(s: &str, n: usize) -> &str {
    s.char_indices().nth(n).map_or(s, |(at, _)| &s[..at])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_mail_becomes_several_messages_and_the_rest_is_cut_with_a_word() {
        assert_eq!(parts("  hello \n"), vec!["hello"]);
        assert!(parts(" \n ").is_empty());
        let line = "é".repeat(999);
        let long = [line.as_str(); 9].join("\n");
        let got = parts(&long);
        assert_eq!(got.len(), 3, "cut between lines");
        assert!(got.iter().all(|p| p.chars().count() <= MAX_TEXT));
        assert_eq!(
            got.concat().chars().filter(|c| *c == 'é').count(),
            9 * 999,
            "nothing lost"
        );
        let huge = "x".repeat(MAX_TEXT * 12);
        let got = parts(&huge);
        assert_eq!(got.len(), MAX_PARTS);
        assert!(got.iter().all(|p| p.chars().count() <= MAX_TEXT));
        assert!(got[MAX_PARTS - 1].ends_with("too long for the chat.]"));
    }

    #[test]
    fn addresses_are_read_from_names_and_groups() {
        let read = |value: &str| {
            let line = format!("To: {value}");
            addresses(&mailparse::parse_header(line.as_bytes()).unwrap().0)
        };
        assert_eq!(
            read("Vera <vera@shop.test>, team: a@b.test, c@d.test;"),
            vec!["vera@shop.test", "a@b.test", "c@d.test"]
        );
        assert!(read("").is_empty());
        // Outlook's "Surname, First name", encoded: the comma is in the name.
        assert_eq!(
            read("=?iso-8859-1?Q?M=FCller=2C_Vera?= <vera@web.test>"),
            vec!["vera@web.test"]
        );
    }

    #[test]
    fn one_mailbox_whatever_the_case_or_tag() {
        assert!(same_mailbox("vera+shop@gmail.test", "Vera@GMAIL.test"));
        assert!(same_mailbox("vera@bücher.test", "VERA@BÜCHER.TEST"));
        assert!(!same_mailbox("vera@shop.test", "vera.b@shop.test"));
        assert!(!same_mailbox("vera@shop.test", "vera@shop.test.evil.test"));
    }
}
