//! `chinwag serve [--demo]`, `chinwag agent add ...`, `chinwag team add ...`,
//! `chinwag webhook verify ...`.

use chinwag_server::console::setup as admin;
use chinwag_server::{config::Config, db, demo};
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
#[command(name = "chinwag", version = chinwag_server::version::long(), about = "Chinwag chat server")]
struct Cli {
    /// TOML configuration file; CHINWAG_* environment variables override it.
    #[arg(long, global = true, env = "CHINWAG_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the widget, sockets and APIs.
    Serve {
        /// Seed a demo site, agents, teams and the example dialogues, and print where to go.
        #[arg(long)]
        demo: bool,
    },
    /// Manage agents.
    Agent {
        #[command(subcommand)]
        action: AgentAction,
    },
    /// Manage teams.
    Team {
        #[command(subcommand)]
        action: TeamAction,
    },
    /// Manage sites: their allowed origins and identity secrets.
    Site {
        #[command(subcommand)]
        action: SiteAction,
    },
    /// Publish dialogue files to a site (from a site owner's CI, say).
    Dialogue {
        #[command(subcommand)]
        action: DialogueAction,
    },
    /// Prints the REST API's OpenAPI description (docs/openapi.json).
    Openapi,
    /// Copies the SQLite database into FILE, consistently, while the server serves.
    Backup {
        /// A new file.
        file: PathBuf,
    },
    /// Checks the configuration, the database, mail and calendars; one line each.
    Doctor,
    /// Exits 0 when the server at URL answers its health check (a container's
    /// HEALTHCHECK: the image has no shell and no curl).
    Health {
        #[arg(long, default_value = "http://127.0.0.1:8787/healthz")]
        url: String,
    },
    /// Puts a backup back as the database (refused while a server runs on it; the
    /// database it replaces is kept beside it).
    Restore { file: PathBuf },
    /// For webhook receivers.
    Webhook {
        #[command(subcommand)]
        action: WebhookAction,
    },
}

#[derive(Subcommand)]
enum WebhookAction {
    /// Prints the JSON Schema of every webhook message, by type (docs/webhooks.schema.json).
    Schema,
    /// Checks a webhook message offline, as a receiver must: reads the body on standard
    /// input; exit 0 when the signature and the timestamp hold.
    Verify {
        /// The endpoint's secret (`whsec_…`).
        #[arg(long, env = "CHINWAG_WEBHOOK_SECRET")]
        secret: String,
        /// The `webhook-id` header.
        #[arg(long)]
        id: String,
        /// The `webhook-timestamp` header (Unix seconds).
        #[arg(long)]
        timestamp: i64,
        /// The `webhook-signature` header.
        #[arg(long)]
        signature: String,
        /// Accept any timestamp (checking an old message from a log).
        #[arg(long)]
        any_time: bool,
    },
}

#[derive(Subcommand)]
enum SiteAction {
    /// Create a site, or update its name and origins.
    Add {
        #[arg(long)]
        id: String,
        #[arg(long)]
        name: String,
        /// A page origin allowed to embed the chat, such as https://www.example.com (repeat).
        #[arg(long = "origin", required = true)]
        origins: Vec<String>,
    },
    /// Make a new identity secret (the previous one stops verifying) and print it.
    Identity {
        #[arg(long)]
        site: String,
        /// Routing decides on verified attributes only.
        #[arg(long)]
        require_verification: bool,
    },
}

#[derive(Subcommand)]
enum DialogueAction {
    /// Validate each file and publish it; nothing is published unless every file is valid.
    Push {
        #[arg(long)]
        site: String,
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

#[derive(Subcommand)]
enum AgentAction {
    Add {
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: String,
        #[arg(long, env = "CHINWAG_AGENT_PASSWORD")]
        password: String,
        #[arg(long, default_value = "agent")]
        role: String,
        #[arg(long)]
        team: Vec<String>,
    },
}

#[derive(Subcommand)]
enum TeamAction {
    Add {
        #[arg(long)]
        id: String,
        #[arg(long)]
        name: String,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let mut config = Config::load(cli.config.as_deref())?;
    // Info by default (start, refusals, errors); RUST_LOG overrides; `log_format = "json"`
    // for log collectors.
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let logs = tracing_subscriber::fmt().with_env_filter(filter);
    match config.log_format.as_str() {
        "json" => logs.json().init(),
        "text" => logs.init(),
        other => anyhow::bail!("log_format is text or json, not {other:?}"),
    }
    // A `CHINWAG_*` variable that is no setting: one line each, and on (docs/server.md).
    let names = std::env::vars_os().filter_map(|(name, _)| name.into_string().ok());
    for warning in Config::unknown_variables(names) {
        tracing::warn!("{warning}");
    }
    match cli.command {
        Command::Backup { file } => {
            let copy = chinwag_server::operations::backup::backup(&config.database, &file).await?;
            println!(
                "backed up {} to {}: {} conversations, {} events, {} bytes",
                config.database,
                file.display(),
                copy.conversations,
                copy.events,
                copy.bytes
            );
            Ok(())
        }
        Command::Restore { file } => {
            let copy = chinwag_server::operations::backup::restore(&file, &config.database).await?;
            println!(
                "restored {} as {}: {} conversations, {} events; start the server again",
                file.display(),
                config.database,
                copy.conversations,
                copy.events
            );
            Ok(())
        }
        Command::Health { url } => {
            let client = reqwest::Client::builder()
                .timeout(std::time::Duration::from_secs(4))
                .build()?;
            let answer = client.get(&url).send().await?;
            anyhow::ensure!(answer.status().is_success(), "{url} answered {}", answer.status());
            println!("{}", answer.text().await?);
            Ok(())
        }
        Command::Doctor => {
            let findings = chinwag_server::operations::doctor::check(&config).await;
            for f in &findings {
                println!("{}", f.line);
            }
            let wrong = findings.iter().filter(|f| !f.ok).count();
            if wrong > 0 {
                eprintln!("{wrong} of {} checks found something wrong", findings.len());
                std::process::exit(1);
            }
            Ok(())
        }
        Command::Openapi => {
            let document = chinwag_server::rest::openapi::document();
            println!("{}", serde_json::to_string_pretty(&document)?);
            Ok(())
        }
        Command::Webhook {
            action: WebhookAction::Schema,
        } => {
            let schema = chinwag_server::data::webhooks::events::schema();
            println!("{}", serde_json::to_string_pretty(&schema)?);
            Ok(())
        }
        Command::Webhook {
            action:
                WebhookAction::Verify {
                    secret,
                    id,
                    timestamp,
                    signature,
                    any_time,
                },
        } => {
            use chinwag_server::data::webhooks::sign;
            let mut body = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut body)?;
            let now = if any_time {
                timestamp
            } else {
                (db::now_ms() / 1000) as i64
            };
            match sign::verify(&secret, &id, timestamp, &body, &signature, now) {
                Ok(()) => println!(
                    "valid: signed with this secret, timestamp within {} s",
                    sign::TOLERANCE_SECONDS
                ),
                Err(why) => anyhow::bail!("invalid: {why}"),
            }
            Ok(())
        }
        Command::Serve { demo } => {
            // Before the demo's seeding opens the database (`serve` shares it).
            let _lock =
                chinwag_server::operations::lock::take(&config.database).map_err(anyhow::Error::msg)?;
            if demo && config.secret.is_empty() {
                // Demo only: a fresh secret each start (visitors start new conversations).
                config.secret = chinwag_server::access::auth::random_token();
            }
            let listener = tokio::net::TcpListener::bind(config.listen).await?;
            let address = listener.local_addr()?;
            if demo {
                let db = db::connect(&config.database).await?;
                let mut origins = vec![
                    format!("http://{address}"),
                    format!("http://localhost:{}", address.port()),
                ];
                // More pages allowed to embed the demo site (`demo_origins`).
                origins.extend(
                    config
                        .demo_origins
                        .split(',')
                        .map(|o| o.trim().to_owned())
                        .filter(|o| !o.is_empty()),
                );
                demo::seed(&db, origins, std::path::Path::new("www/dialogues")).await?;
                let sealer = chinwag_server::access::secrets::Sealer::new(&config.secret);
                let identity = admin::new_identity_secret(&db, &sealer, "demo", false)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                println!("Chinwag demo is running:");
                println!("  demo site:       http://{address}/widget/demo.html   (the one-line loader, a single-page site)");
                println!("  widget bundle:   http://{address}/widget/   (a host page with the widget)");
                println!("  agent inbox:     http://{address}/inbox/   (meetings, my calendar)");
                println!(
                    "  console:         http://{address}/inbox/   (signed in as an admin: Dialogues, Sites)"
                );
                println!("  site config:     http://{address}/api/sites/demo/config");
                println!(
                    "  admin login:     ana@demo.chinwag   (agents: ben@demo.chinwag, alice@demo.chinwag)"
                );
                println!("  password:        {}", demo::PASSWORD);
                println!("  identity secret: {identity}   (signs identity tokens, docs/reliability.md)");
            }
            let shutdown = async {
                let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                    .expect("a SIGTERM handler");
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            };
            chinwag_server::serve(config, listener, shutdown).await
        }
        Command::Agent {
            action:
                AgentAction::Add {
                    name,
                    email,
                    password,
                    role,
                    team,
                },
        } => {
            let db = db::connect(&config.database).await?;
            let id = admin::add_agent(&db, &name, &email, &password, &role, &team)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("agent {id} added");
            Ok(())
        }
        Command::Site { action } => {
            let db = db::connect(&config.database).await?;
            let fail = |e: chinwag_server::error::AppError| anyhow::anyhow!("{e}");
            match action {
                SiteAction::Add { id, name, origins } => {
                    admin::add_site(&db, &id, &name, &origins).await.map_err(fail)?;
                    println!("site {id} saved, allowed origins: {}", origins.join(", "));
                    println!("embed it with: <script async src=\"https://CHAT-HOST/chinwag.js\" data-site=\"{id}\"></script>");
                }
                SiteAction::Identity {
                    site,
                    require_verification,
                } => {
                    anyhow::ensure!(
                        config.secret.len() >= 16,
                        "set CHINWAG_SECRET first: it seals the identity secret"
                    );
                    let sealer = chinwag_server::access::secrets::Sealer::new(&config.secret);
                    let secret = admin::new_identity_secret(&db, &sealer, &site, require_verification)
                        .await
                        .map_err(fail)?;
                    println!("{secret}");
                    eprintln!("the identity secret of site {site}: keep it on your backend only (docs/reliability.md)");
                }
            }
            Ok(())
        }
        Command::Dialogue {
            action: DialogueAction::Push { site, files },
        } => {
            let db = db::connect(&config.database).await?;
            anyhow::ensure!(
                db::site(&db, &site).await?.is_some(),
                "no site {site}: add it with `chinwag site add`"
            );
            let mut bodies = Vec::new();
            let mut problems = Vec::new();
            for file in &files {
                let json =
                    std::fs::read_to_string(file).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
                match chinwag_dialogue::json::check(&json) {
                    Ok(_) => bodies.push((file, json)),
                    Err(found) => problems.extend(found.iter().map(|p| format!("{}: {p}", file.display()))),
                }
            }
            anyhow::ensure!(problems.is_empty(), "nothing published:\n{}", problems.join("\n"));
            for (file, json) in bodies {
                let id = admin::put_dialogue(&db, &site, &json)
                    .await
                    .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
                println!("published {id} to {site}");
            }
            Ok(())
        }
        Command::Team {
            action: TeamAction::Add { id, name },
        } => {
            let db = db::connect(&config.database).await?;
            db::create_team(&db, &id, &name).await?;
            println!("team {id} added");
            Ok(())
        }
    }
}
