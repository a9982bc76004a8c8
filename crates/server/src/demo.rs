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
    let appearance = std::fs::read_to_string(dialogues_dir.join("../appearance.json"))
        .unwrap_or_else(|_| APPEARANCE.into());
    admin::put_appearance(db, "demo", &appearance)
        .await
        .map_err(|e| anyhow::anyhow!("appearance.json: {e}"))?;
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
    for (name, json) in dialogues(dialogues_dir)? {
        admin::put_dialogue(db, "demo", &json)
            .await
            .map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
    }
    Ok(())
}

/// The demo's look and dialogues as this binary carries them, for a server started away
/// from a checkout (a release: docs/operations.md). A test keeps the list whole.
const APPEARANCE: &str = include_str!("../../../www/appearance.json");
const DIALOGUES: [(&str, &str); 5] = [
    (
        "book-a-demo.json",
        include_str!("../../../www/dialogues/book-a-demo.json"),
    ),
    (
        "company-size-routing.json",
        include_str!("../../../www/dialogues/company-size-routing.json"),
    ),
    (
        "known-vs-anonymous.json",
        include_str!("../../../www/dialogues/known-vs-anonymous.json"),
    ),
    (
        "pricing-faq.json",
        include_str!("../../../www/dialogues/pricing-faq.json"),
    ),
    (
        "sales-handoff.json",
        include_str!("../../../www/dialogues/sales-handoff.json"),
    ),
];

/// The dialogue files in `dir` (a checkout's, edited freely), else the carried copies.
fn dialogues(dir: &std::path::Path) -> anyhow::Result<Vec<(String, String)>> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(DIALOGUES
            .iter()
            .map(|(n, j)| (n.to_string(), j.to_string()))
            .collect());
    };
    let mut out = Vec::new();
    for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
        if path.extension().is_some_and(|x| x == "json") {
            out.push((path.display().to_string(), std::fs::read_to_string(&path)?));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_binary_carries_every_demo_dialogue() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../www/dialogues");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
            .filter(|n| n.ends_with(".json"))
            .collect();
        on_disk.sort();
        let carried: Vec<&str> = super::DIALOGUES.iter().map(|(n, _)| *n).collect();
        assert_eq!(
            on_disk, carried,
            "list every file of www/dialogues in demo::DIALOGUES"
        );
    }
}
