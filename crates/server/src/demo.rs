//! Demo data: a site, agents and teams, and the example dialogues. Idempotent.

use crate::console::setup as admin;
use crate::db::{self, Db, Site};

pub const PASSWORD: &str = "chinwag-demo";

const DEMO_HOURS: &str = r#"{"time_zone": "Europe/Lisbon", "weekly": {
  "mon": [{"start": "09:00", "end": "17:00"}], "tue": [{"start": "09:00", "end": "17:00"}],
  "wed": [{"start": "09:00", "end": "17:00"}], "thu": [{"start": "09:00", "end": "17:00"}],
  "fri": [{"start": "09:00", "end": "17:00"}]}}"#;

pub async fn seed(db: &Db, origins: Vec<String>, dialogues_dir: &std::path::Path) -> anyhow::Result<()> {
    db::put_site(
        db,
        &Site {
            id: "demo".into(),
            name: "Demo site".into(),
            origins,
            ..Default::default()
        },
    )
    .await?;
    // The demo site's look, shared with the trunk preview: www/appearance.json.
    if let Ok(json) = std::fs::read_to_string(dialogues_dir.join("../appearance.json")) {
        admin::put_appearance(db, "demo", &json)
            .await
            .map_err(|e| anyhow::anyhow!("appearance.json: {e}"))?;
    }
    for (id, name) in [
        ("sales", "Sales"),
        ("billing", "Billing"),
        ("enterprise", "Enterprise"),
    ] {
        db::create_team(db, id, name).await?;
    }
    let agents: [(&str, &str, &str, &[&str]); 3] = [
        ("Ana Admin", "ana@demo.chinwag", "admin", &["sales", "enterprise"]),
        ("Ben Agent", "ben@demo.chinwag", "agent", &["sales", "billing"]),
        ("Alice Specialist", "alice@demo.chinwag", "agent", &["enterprise"]),
    ];
    for (name, email, role, teams) in agents {
        if db::agent_login(db, email).await?.is_none() {
            let teams: Vec<String> = teams.iter().map(|t| t.to_string()).collect();
            admin::add_agent(db, name, email, PASSWORD, role, &teams)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
        }
    }
    // Working hours for every demo agent (weekdays, 09:00–17:00 in Lisbon), so the
    // book-a-demo dialogue is bookable; an agent's own settings are kept.
    let week: chinwag_scheduling::Availability = serde_json::from_str(DEMO_HOURS)?;
    for agent in db::agents(db).await? {
        if crate::meetings::store::availability(db, &agent.id)
            .await?
            .is_none()
        {
            crate::meetings::store::put_availability(db, &agent.id, &week).await?;
        }
    }
    if let Ok(entries) = std::fs::read_dir(dialogues_dir) {
        for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
            if path.extension().is_some_and(|x| x == "json") {
                let json = std::fs::read_to_string(&path)?;
                admin::put_dialogue(db, "demo", &json)
                    .await
                    .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
            }
        }
    }
    Ok(())
}
