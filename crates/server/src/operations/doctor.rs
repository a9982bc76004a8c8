//! `chinwag doctor`: checks what a server needs before it is started, one line each, and
//! says what is wrong in words: the configuration, the database (reachable, its
//! migrations), where the widget and inbox come from, outgoing mail, answers by email,
//! each agent's calendar, and the public URL's scheme against the session cookie. It
//! changes nothing (no migration is applied, no mail sent).

use crate::config::Config;
use crate::db::Engine;
use crate::meetings::calendar::Calendar;
use crate::meetings::store::CalendarKind;
use sqlx::{Connection, Row};

/// One check's outcome: passed, or not, and the line to print.
pub struct Finding {
    pub ok: bool,
    pub line: String,
}

fn ok(what: &str, detail: impl std::fmt::Display) -> Finding {
    Finding {
        ok: true,
        line: format!("ok    {what}: {detail}"),
    }
}

fn wrong(what: &str, detail: impl std::fmt::Display) -> Finding {
    Finding {
        ok: false,
        line: format!("WRONG {what}: {detail}"),
    }
}

pub async fn check(config: &Config) -> Vec<Finding> {
    let mut out = vec![settings(config)];
    out.push(cookies(config));
    let (widget, inbox) = crate::assets::sources(config);
    for (found, line) in [
        widget.describe("the widget", "widget_dir"),
        inbox.describe("the inbox", "inbox_dir"),
    ] {
        out.push(if found {
            ok("assets", line)
        } else {
            wrong("assets", line)
        });
    }
    let db = database(config, &mut out).await;
    out.push(smtp(config).await);
    out.push(mail_in(config));
    if !config.mail_in_listen.is_empty() || !config.mail_in_tls_cert.is_empty() {
        out.push(mail_in_tls(config));
    }
    if let Some(mut db) = db {
        calendars(config, &mut db, &mut out).await;
        let _ = db.close().await;
    }
    out
}

fn settings(config: &Config) -> Finding {
    if config.secret.len() < 16 {
        return wrong(
            "secret",
            "set a secret of at least 16 characters (CHINWAG_SECRET)",
        );
    }
    if !matches!(config.log_format.as_str(), "text" | "json") {
        return wrong("log_format", format!("text or json, not {:?}", config.log_format));
    }
    ok("configuration", format!("listening on {}", config.listen))
}

/// The session cookie is `Secure` only when the public URL is https; a public server
/// on plain http sends agents' sessions in the clear.
fn cookies(config: &Config) -> Finding {
    let url = config.public_url.trim();
    let local = config.listen.ip().is_loopback();
    match url {
        "" if local => ok("public_url", "not set: links use http://listen, fine on this machine only"),
        "" => wrong(
            "public_url",
            "not set on a server others reach: set it (https://…) for links in emails and Secure session cookies",
        ),
        u if u.starts_with("https://") => ok("public_url", format!("{u}: session cookies are Secure")),
        u if u.starts_with("http://localhost") || u.starts_with("http://127.0.0.1") => {
            ok("public_url", format!("{u}: plain http, on this machine only"))
        }
        u if u.starts_with("http://") => wrong(
            "public_url",
            format!("{u} is plain http: agents' session cookies would cross the network unencrypted; put TLS in front and use https://"),
        ),
        u => wrong("public_url", format!("{u} is not an http(s) address")),
    }
}

async fn database(config: &Config, out: &mut Vec<Finding>) -> Option<sqlx::AnyConnection> {
    sqlx::any::install_default_drivers();
    let engine = Engine::of(&config.database);
    let url = match engine {
        Engine::Postgres => config.database.clone(),
        Engine::Sqlite if !std::path::Path::new(&config.database).exists() => {
            out.push(ok(
                "database",
                format!("{} does not exist yet: the server creates it", config.database),
            ));
            return None;
        }
        Engine::Sqlite => format!("sqlite://{}?mode=ro", config.database),
    };
    let mut c = match sqlx::AnyConnection::connect(&url).await {
        Ok(c) => c,
        Err(e) => {
            out.push(wrong("database", format!("cannot connect: {e}")));
            return None;
        }
    };
    let migrator = match engine {
        Engine::Sqlite => sqlx::migrate!("./migrations"),
        Engine::Postgres => sqlx::migrate!("./migrations/postgres"),
    };
    let applied: Vec<i64> = match sqlx::query("SELECT version FROM _sqlx_migrations WHERE success")
        .fetch_all(&mut c)
        .await
    {
        Ok(rows) => rows.iter().map(|r| r.get(0)).collect(),
        Err(_) => Vec::new(),
    };
    let known = migrator.iter().count();
    let newer: Vec<i64> = applied
        .iter()
        .copied()
        .filter(|v| !migrator.iter().any(|m| m.version == *v))
        .collect();
    let pending = migrator.iter().filter(|m| !applied.contains(&m.version)).count();
    out.push(match (newer.is_empty(), pending) {
        (false, _) => wrong(
            "database",
            format!("it has migrations this build does not know ({newer:?}): a newer Chinwag wrote it; run that version"),
        ),
        (true, 0) => ok("database", format!("reachable, all {known} migrations applied")),
        (true, n) => ok(
            "database",
            format!("reachable; {n} of {known} migrations will be applied when the server starts (back it up first: chinwag backup)"),
        ),
    });
    Some(c)
}

async fn smtp(config: &Config) -> Finding {
    if config.smtp_url.is_empty() {
        return ok("smtp_url", "not set: invitations and mails wait until it is");
    }
    type Transport = lettre::AsyncSmtpTransport<lettre::Tokio1Executor>;
    let transport: Transport = match Transport::from_url(&config.smtp_url) {
        Ok(builder) => builder.timeout(Some(std::time::Duration::from_secs(10))).build(),
        Err(e) => return wrong("smtp_url", format!("not an SMTP address: {e}")),
    };
    match transport.test_connection().await {
        Ok(true) => ok("smtp_url", "the mail server answers"),
        Ok(false) => wrong("smtp_url", "the mail server does not answer"),
        Err(e) => wrong("smtp_url", format!("the mail server cannot be reached: {e}")),
    }
}

fn mail_in(config: &Config) -> Finding {
    let (domain, listen, secret) = (
        &config.mail_in_domain,
        &config.mail_in_listen,
        &config.mail_in_secret,
    );
    match (domain.is_empty(), listen.is_empty() && secret.is_empty()) {
        (true, true) => ok("answers by email", "off"),
        (true, false) => wrong("answers by email", "mail_in_listen or mail_in_secret is set without mail_in_domain"),
        (false, true) => wrong(
            "answers by email",
            format!("mail_in_domain is {domain}, but nothing takes its mail: set mail_in_listen or mail_in_secret"),
        ),
        (false, false) if !secret.is_empty() && secret.len() < 16 => {
            wrong("answers by email", "mail_in_secret has at least 16 characters")
        }
        (false, false) => ok("answers by email", format!("replies go to reply-…@{domain}")),
    }
}

/// The listener's STARTTLS: the certificate and key read as the server will read them.
fn mail_in_tls(config: &Config) -> Finding {
    if config.mail_in_listen.is_empty() {
        return wrong(
            "mail listener TLS",
            "mail_in_tls_cert is set, but mail_in_listen is not: no listener uses it",
        );
    }
    match crate::mail::tls::Certificate::load(&config.mail_in_tls_cert, &config.mail_in_tls_key) {
        Ok(None) => ok(
            "mail listener TLS",
            "off: answers by email come in plain SMTP (mail_in_tls_cert)",
        ),
        Ok(Some(_)) => ok("mail listener TLS", "STARTTLS offered with mail_in_tls_cert"),
        Err(e) => wrong("mail listener TLS", format!("{e:#}")),
    }
}

async fn calendars(config: &Config, db: &mut sqlx::AnyConnection, out: &mut Vec<Finding>) {
    let Ok(rows) = sqlx::query(
        "SELECT a.name, c.kind, c.url, c.username, c.password FROM agent_calendars c JOIN agents a ON a.id = c.agent_id ORDER BY a.name",
    )
    .fetch_all(&mut *db)
    .await
    else {
        return;
    };
    let sealer = crate::access::secrets::Sealer::new(&config.secret);
    let client = reqwest::Client::new();
    let now = crate::db::now_ms() as i64 / 1000;
    for row in rows {
        let name: String = row.get(0);
        let kind: String = row.get(1);
        let url: String = row.get(2);
        let calendar = match CalendarKind::try_from(kind) {
            Ok(CalendarKind::Ics) => Calendar::Feed { url },
            Ok(CalendarKind::CalDav) => match sealer.open(&row.get::<String, _>(4)) {
                Some(password) => Calendar::CalDav {
                    url,
                    username: row.get(3),
                    password,
                },
                None => {
                    out.push(wrong(
                        &format!("{name}'s calendar"),
                        "its password cannot be unsealed (the secret changed): they must enter it again",
                    ));
                    continue;
                }
            },
            Err(e) => {
                out.push(wrong(&format!("{name}'s calendar"), e));
                continue;
            }
        };
        let what = format!("{name}'s calendar");
        out.push(
            match calendar
                .busy(&client, &jiff::tz::TimeZone::UTC, now, now + 86_400)
                .await
            {
                Ok(busy) => ok(&what, format!("read ({} busy spans today)", busy.len())),
                Err(e) => wrong(&what, e),
            },
        );
    }
}
