//! Invitations by SMTP (`lettre`): a plain-text body and an iCalendar part
//! (`text/calendar; method=REQUEST` or `CANCEL`), in the recipient's language: the
//! visitor's texts in the visitor's locale, the host's own texts in the host's (the
//! agent's `locale`, English unless set). Sending happens in the worker (`worker.rs`),
//! which retries; nothing is dropped silently.

use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

#[derive(Clone)]
pub struct Mailer {
    transport: Option<AsyncSmtpTransport<Tokio1Executor>>,
    from: Mailbox,
}

impl Mailer {
    /// `url` as lettre reads it: `smtp://host:port` (plain, for loopback and tests),
    /// `smtp://host:587?tls=required`, `smtps://user:password@host`. Empty: no server,
    /// and invitations wait (shown in the meetings list) until one is configured.
    pub fn new(url: &str, from: &str) -> anyhow::Result<Mailer> {
        let from: Mailbox = from
            .parse()
            .map_err(|e| anyhow::anyhow!("mail_from `{from}`: {e}"))?;
        let transport = match url.trim() {
            "" => None,
            url => Some(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| anyhow::anyhow!("smtp_url: {e}"))?
                    .timeout(Some(std::time::Duration::from_secs(20)))
                    .build(),
            ),
        };
        Ok(Mailer { transport, from })
    }

    /// A plain-text mail (a transcript; the mail outbox, `crate::mail`).
    pub async fn send_text(
        &self,
        to: (&str, &str),
        subject: &str,
        body: &str,
        reply_to: Option<&str>,
    ) -> Result<(), String> {
        let mut builder = self.addressed(to.0, to.1, subject)?;
        if let Some(reply_to) = reply_to {
            let reply_to: Mailbox = reply_to
                .parse()
                .map_err(|e| format!("the reply address is not valid: {e}"))?;
            builder = builder.reply_to(reply_to);
        }
        let message = builder
            .singlepart(SinglePart::plain(body.to_owned()))
            .map_err(|e| e.to_string())?;
        self.deliver(message).await
    }

    /// An invitation: the text and its iCalendar part.
    pub async fn send(
        &self,
        to: &str,
        to_name: &str,
        subject: &str,
        body: &str,
        ics: String,
        cancel: bool,
    ) -> Result<(), String> {
        let method = if cancel { "CANCEL" } else { "REQUEST" };
        let calendar = ContentType::parse(&format!("text/calendar; charset=utf-8; method={method}"))
            .map_err(|e| e.to_string())?;
        let message = self
            .addressed(to, to_name, subject)?
            .multipart(
                MultiPart::alternative()
                    .singlepart(SinglePart::plain(body.to_owned()))
                    .singlepart(SinglePart::builder().header(calendar).body(ics)),
            )
            .map_err(|e| e.to_string())?;
        self.deliver(message).await
    }

    /// A message from us to `to`, with its subject, still without a body.
    fn addressed(
        &self,
        to: &str,
        to_name: &str,
        subject: &str,
    ) -> Result<lettre::message::MessageBuilder, String> {
        let to = Mailbox::new(
            Some(to_name.to_owned()),
            to.parse()
                .map_err(|e| format!("the recipient's address is not valid: {e}"))?,
        );
        Ok(Message::builder().from(self.from.clone()).to(to).subject(subject))
    }

    async fn deliver(&self, message: Message) -> Result<(), String> {
        let transport = self
            .transport
            .as_ref()
            .ok_or("no SMTP server is configured (smtp_url)")?;
        transport
            .send(message)
            .await
            .map(drop)
            .map_err(|e| format!("the SMTP server refused: {e}"))
    }
}

/// The built-in texts: subject and body for a booked, moved or cancelled meeting.
pub struct Texts {
    pub booked: &'static str,
    pub moved: &'static str,
    pub cancelled: &'static str,
    pub body: &'static str,
    /// The body of a moved meeting's email (the visitor's: the same as `body`).
    pub moved_body: &'static str,
    pub cancelled_body: &'static str,
}

pub fn texts(locale: &str) -> Texts {
    match chinwag_site::locale::built_in(locale) {
        "pt" => Texts {
            booked: "Reunião marcada: {{meeting.start}} com {{agent.name}}",
            moved: "Reunião remarcada: {{meeting.start}} com {{agent.name}}",
            cancelled: "Reunião cancelada: {{meeting.start}}",
            body: "Olá {{visitor.first_name}},\n\na sua reunião com {{agent.name}} é em {{meeting.start}}.\n{{meeting.link}}\nRemarcar ou cancelar: {{meeting.manage}}\n",
            moved_body: "Olá {{visitor.first_name}},\n\na sua reunião com {{agent.name}} é em {{meeting.start}}.\n{{meeting.link}}\nRemarcar ou cancelar: {{meeting.manage}}\n",
            cancelled_body: "Olá {{visitor.first_name}},\n\na reunião de {{meeting.start}} com {{agent.name}} foi cancelada.\n",
        },
        "it" => Texts {
            booked: "Riunione fissata: {{meeting.start}} con {{agent.name}}",
            moved: "Riunione spostata: {{meeting.start}} con {{agent.name}}",
            cancelled: "Riunione annullata: {{meeting.start}}",
            body: "Ciao {{visitor.first_name}},\n\nla tua riunione con {{agent.name}} è il {{meeting.start}}.\n{{meeting.link}}\nSpostare o annullare: {{meeting.manage}}\n",
            moved_body: "Ciao {{visitor.first_name}},\n\nla tua riunione con {{agent.name}} è il {{meeting.start}}.\n{{meeting.link}}\nSpostare o annullare: {{meeting.manage}}\n",
            cancelled_body: "Ciao {{visitor.first_name}},\n\nla riunione del {{meeting.start}} con {{agent.name}} è stata annullata.\n",
        },
        "sv" => Texts {
            booked: "Möte bokat: {{meeting.start}} med {{agent.name}}",
            moved: "Möte flyttat: {{meeting.start}} med {{agent.name}}",
            cancelled: "Möte avbokat: {{meeting.start}}",
            body: "Hej {{visitor.first_name}},\n\nditt möte med {{agent.name}} är {{meeting.start}}.\n{{meeting.link}}\nBoka om eller avboka: {{meeting.manage}}\n",
            moved_body: "Hej {{visitor.first_name}},\n\nditt möte med {{agent.name}} är {{meeting.start}}.\n{{meeting.link}}\nBoka om eller avboka: {{meeting.manage}}\n",
            cancelled_body: "Hej {{visitor.first_name}},\n\nmötet {{meeting.start}} med {{agent.name}} är avbokat.\n",
        },
        "zh-Hans" => Texts {
            booked: "会议已预约：{{meeting.start}}，与 {{agent.name}}",
            moved: "会议已改期：{{meeting.start}}，与 {{agent.name}}",
            cancelled: "会议已取消：{{meeting.start}}",
            body: "{{visitor.first_name}}，您好：\n\n您与 {{agent.name}} 的会议时间为 {{meeting.start}}。\n{{meeting.link}}\n改期或取消：{{meeting.manage}}\n",
            moved_body: "{{visitor.first_name}}，您好：\n\n您与 {{agent.name}} 的会议时间为 {{meeting.start}}。\n{{meeting.link}}\n改期或取消：{{meeting.manage}}\n",
            cancelled_body: "{{visitor.first_name}}，您好：\n\n{{meeting.start}} 与 {{agent.name}} 的会议已取消。\n",
        },
        _ => Texts {
            booked: "Meeting booked: {{meeting.start}} with {{agent.name}}",
            moved: "Meeting moved: {{meeting.start}} with {{agent.name}}",
            cancelled: "Meeting cancelled: {{meeting.start}}",
            body: "Hi {{visitor.first_name}},\n\nyour meeting with {{agent.name}} is on {{meeting.start}}.\n{{meeting.link}}\nReschedule or cancel: {{meeting.manage}}\n",
            moved_body: "Hi {{visitor.first_name}},\n\nyour meeting with {{agent.name}} is on {{meeting.start}}.\n{{meeting.link}}\nReschedule or cancel: {{meeting.manage}}\n",
            cancelled_body: "Hi {{visitor.first_name}},\n\nthe meeting on {{meeting.start}} with {{agent.name}} is cancelled.\n",
        },
    }
}

/// The host's texts, in the host's language: who booked, when, and the link. A site's
/// own `subject`/`body` are written to visitors and are never used for hosts.
pub fn host_texts(locale: &str) -> Texts {
    match chinwag_site::locale::built_in(locale) {
        "pt" => Texts {
            booked: "Nova reunião com {{visitor.name}} em {{meeting.start}}",
            moved: "Reunião remarcada: {{visitor.name}} em {{meeting.start}}",
            cancelled: "Reunião cancelada: {{visitor.name}} em {{meeting.start}}",
            body: "{{visitor.name}} ({{visitor.email}}) marcou uma reunião consigo em {{meeting.start}}.\n{{meeting.link}}\n",
            moved_body: "{{visitor.name}} ({{visitor.email}}) remarcou a reunião consigo para {{meeting.start}}.\n{{meeting.link}}\n",
            cancelled_body: "A reunião com {{visitor.name}} ({{visitor.email}}) em {{meeting.start}} foi cancelada.\n",
        },
        "it" => Texts {
            booked: "Nuova riunione con {{visitor.name}} il {{meeting.start}}",
            moved: "Riunione spostata: {{visitor.name}} il {{meeting.start}}",
            cancelled: "Riunione annullata: {{visitor.name}} il {{meeting.start}}",
            body: "{{visitor.name}} ({{visitor.email}}) ha fissato una riunione con te il {{meeting.start}}.\n{{meeting.link}}\n",
            moved_body: "{{visitor.name}} ({{visitor.email}}) ha spostato la riunione con te al {{meeting.start}}.\n{{meeting.link}}\n",
            cancelled_body: "La riunione con {{visitor.name}} ({{visitor.email}}) del {{meeting.start}} è stata annullata.\n",
        },
        "sv" => Texts {
            booked: "Nytt möte med {{visitor.name}} {{meeting.start}}",
            moved: "Möte flyttat: {{visitor.name}} {{meeting.start}}",
            cancelled: "Möte avbokat: {{visitor.name}} {{meeting.start}}",
            body: "{{visitor.name}} ({{visitor.email}}) har bokat ett möte med dig {{meeting.start}}.\n{{meeting.link}}\n",
            moved_body: "{{visitor.name}} ({{visitor.email}}) har flyttat mötet med dig till {{meeting.start}}.\n{{meeting.link}}\n",
            cancelled_body: "Mötet med {{visitor.name}} ({{visitor.email}}) {{meeting.start}} är avbokat.\n",
        },
        "zh-Hans" => Texts {
            booked: "新会议：{{visitor.name}}，{{meeting.start}}",
            moved: "会议已改期：{{visitor.name}}，{{meeting.start}}",
            cancelled: "会议已取消：{{visitor.name}}，{{meeting.start}}",
            body: "{{visitor.name}}（{{visitor.email}}）预约了与您的会议，时间为 {{meeting.start}}。\n{{meeting.link}}\n",
            moved_body: "{{visitor.name}}（{{visitor.email}}）将与您的会议改到 {{meeting.start}}。\n{{meeting.link}}\n",
            cancelled_body: "与 {{visitor.name}}（{{visitor.email}}）在 {{meeting.start}} 的会议已取消。\n",
        },
        _ => Texts {
            booked: "New meeting with {{visitor.name}} on {{meeting.start}}",
            moved: "Meeting moved: {{visitor.name}} on {{meeting.start}}",
            cancelled: "Meeting cancelled: {{visitor.name}} on {{meeting.start}}",
            body: "{{visitor.name}} ({{visitor.email}}) booked a meeting with you on {{meeting.start}}.\n{{meeting.link}}\n",
            moved_body: "{{visitor.name}} ({{visitor.email}}) moved the meeting with you to {{meeting.start}}.\n{{meeting.link}}\n",
            cancelled_body: "The meeting with {{visitor.name}} ({{visitor.email}}) on {{meeting.start}} is cancelled.\n",
        },
    }
}

/// Fills `{{name}}` placeholders; unknown ones are left as written.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_owned();
    for (name, value) in values {
        out = out.replace(&format!("{{{{{name}}}}}"), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_and_languages() {
        assert_eq!(
            fill(
                "Hi {{visitor.first_name}} {{x}}",
                &[("visitor.first_name", "Ana")]
            ),
            "Hi Ana {{x}}"
        );
        assert!(texts("pt-BR").booked.starts_with("Reunião"));
        assert!(texts("zh-CN").booked.starts_with("会议"));
        assert!(texts("de").booked.starts_with("Meeting"));
        assert!(host_texts("en").booked.starts_with("New meeting with"));
        assert!(host_texts("pt").booked.starts_with("Nova reunião"));
        assert!(host_texts("zh-Hans").body.contains("{{visitor.email}}"));
    }
}
