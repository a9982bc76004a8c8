//! `chinwag serve [--demo]`, `chinwag agent add ...`, `chinwag team add ...`.

use chinwag_server::{admin, config::Config, db, demo};
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
#[command(version, about = "Chinwag chat server")]
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
    // Info by default (start, refusals, errors); RUST_LOG overrides; CHINWAG_LOG_FORMAT=json
    // for log collectors.
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let logs = tracing_subscriber::fmt().with_env_filter(filter);
    if std::env::var("CHINWAG_LOG_FORMAT").is_ok_and(|f| f == "json") {
        logs.json().init();
    } else {
        logs.init();
    }
    let cli = Cli::parse();
    let mut config = Config::load(cli.config.as_deref())?;
    match cli.command {
        Command::Serve { demo } => {
            if demo && config.secret.is_empty() {
                // Demo only: a fresh secret each start (visitors start new conversations).
                config.secret = chinwag_server::auth::random_token();
            }
            let listener = tokio::net::TcpListener::bind(config.listen).await?;
            let address = listener.local_addr()?;
            if demo {
                let db = db::connect(&config.database).await?;
                let mut origins = vec![
                    format!("http://{address}"),
                    format!("http://localhost:{}", address.port()),
                ];
                // More pages allowed to embed the demo site (CHINWAG_DEMO_ORIGINS, comma-separated).
                if let Ok(more) = std::env::var("CHINWAG_DEMO_ORIGINS") {
                    origins.extend(
                        more.split(',')
                            .map(|o| o.trim().to_owned())
                            .filter(|o| !o.is_empty()),
                    );
                }
                demo::seed(&db, origins, std::path::Path::new("www/dialogues")).await?;
                println!("Chinwag demo is running:");
                println!("  demo site:       http://{address}/widget/demo.html   (the one-line loader, a single-page site)");
                println!("  widget bundle:   http://{address}/widget/   (a host page with the widget)");
                println!("  agent inbox:     http://{address}/inbox/");
                println!("  site config:     http://{address}/api/sites/demo/config");
                println!("  agents:          ana@demo.chinwag (admin), ben@demo.chinwag, alice@demo.chinwag");
                println!("  password:        {}", demo::PASSWORD);
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
