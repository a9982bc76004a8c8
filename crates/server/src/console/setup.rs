//! Creating agents, teams, sites and dialogues: shared by the CLI, the admin API and
//! the demo.

use crate::db::{self, Db};
use crate::error::AppError;

pub async fn add_agent(
    db: &Db,
    name: &str,
    email: &str,
    password: &str,
    role: &str,
    teams: &[String],
) -> Result<String, AppError> {
    let role: db::Role = role
        .parse()
        .map_err(|_| AppError::BadRequest("role is admin or agent".into()))?;
    if password.chars().count() < 10 {
        return Err(AppError::BadRequest(
            "passwords have at least 10 characters".into(),
        ));
    }
    if !chinwag_dialogue::fields::is_email(email.trim()) {
        return Err(AppError::BadRequest("that is not an email address".into()));
    }
    let id = email
        .trim()
        .split('@')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    db::create_agent(
        db,
        &id,
        name,
        email,
        &crate::access::auth::hash_password(password)?,
        role,
    )
    .await?;
    for team in teams {
        db::add_member(db, team, &id).await?;
    }
    Ok(id)
}

/// Publishes a dialogue file for a site after validating it (visitors only ever get
/// valid ones), as a new version by `author`.
pub async fn publish_dialogue(db: &Db, site: &str, json: &str, author: &str) -> Result<String, AppError> {
    let valid = chinwag_dialogue::json::check(json).map_err(|problems| {
        let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
        AppError::BadRequest(lines.join("\n"))
    })?;
    db::put_dialogue(db, site, &valid.id, json, author).await?;
    Ok(valid.id.clone())
}

/// Publishes a dialogue file from the command line or the demo seed.
pub async fn put_dialogue(db: &Db, site: &str, json: &str) -> Result<String, AppError> {
    publish_dialogue(db, site, json, "file").await
}

/// Stores a site's appearance after checking it: every problem is reported at once.
pub async fn put_appearance(db: &Db, site: &str, json: &str) -> Result<(), AppError> {
    let appearance: chinwag_site::Appearance =
        serde_json::from_str(json).map_err(|e| AppError::BadRequest(format!("not an appearance: {e}")))?;
    let problems = appearance.problems();
    if !problems.is_empty() {
        let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
        return Err(AppError::BadRequest(lines.join("\n")));
    }
    if let Some(team) = &appearance.hours_team {
        if !db::teams(db).await?.iter().any(|t| t.id == *team) {
            return Err(AppError::BadRequest(format!(
                "hours_team: there is no team {team}"
            )));
        }
    }
    let stored = serde_json::to_string(&appearance).map_err(anyhow::Error::from)?;
    if !db::put_appearance(db, site, &stored).await? {
        return Err(AppError::NotFound("no such site".into()));
    }
    Ok(())
}

/// Creates (or updates) a site and its allowed origins. Each origin must be a bare
/// `scheme://host[:port]`, as browsers send it in `Origin`.
pub async fn add_site(db: &Db, id: &str, name: &str, origins: &[String]) -> Result<(), AppError> {
    let well_formed = |o: &str| {
        o.split_once("://").is_some_and(|(scheme, host)| {
            matches!(scheme, "http" | "https") && !host.is_empty() && !host.contains(['/', '?', '#', ' '])
        })
    };
    if let Some(bad) = origins.iter().find(|o| !well_formed(o)) {
        return Err(AppError::BadRequest(format!(
            "{bad:?} is not an origin: write scheme://host[:port], such as https://www.example.com"
        )));
    }
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(AppError::BadRequest(
            "a site id has letters, digits, - and _ only".into(),
        ));
    }
    let site = db::Site {
        id: id.into(),
        name: name.into(),
        origins: origins.to_vec(),
        ..Default::default()
    };
    db::put_site(db, &site).await?;
    Ok(())
}

/// Gives a site a new identity secret (the old one stops verifying at once) and sets
/// whether it requires verification; returns the secret, for the site's backend.
pub async fn new_identity_secret(
    db: &Db,
    sealer: &crate::access::secrets::Sealer,
    site: &str,
    require: bool,
) -> Result<String, AppError> {
    let secret = crate::access::auth::random_token();
    if !db::set_identity(db, site, &sealer.seal(&secret), require).await? {
        return Err(AppError::NotFound("no such site".into()));
    }
    Ok(secret)
}
