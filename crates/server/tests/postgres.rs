//! PostgreSQL beside SQLite (issue 13's first step): one schema, two engines. A real,
//! throw-away PostgreSQL (`support::postgres`) gets `migrations/postgres/` (the same
//! files as SQLite's, linked, but for 0004's triggers): every table and column SQLite
//! has, PostgreSQL has; and the rule that a host is never booked twice holds the same
//! on both, and on PostgreSQL also under concurrent bookings.

mod support;

use chinwag_server::db::Db;
use std::collections::BTreeMap;
use support::postgres::Postgres;
use support::temp_db;

/// Every table (but sqlx's own) with its columns in order: (name, not null).
type Schema = BTreeMap<String, Vec<(String, bool)>>;

/// Rows of (table, column, nullable `YES` or `NO`), each table's columns in order.
fn schema(rows: Vec<(String, String, String)>) -> Schema {
    let mut schema = Schema::new();
    for (table, column, nullable) in rows {
        schema.entry(table).or_default().push((column, nullable == "NO"));
    }
    schema
}

async fn sqlite_schema(db: &Db) -> Schema {
    // A key column is never null on PostgreSQL; SQLite only says so for some. FTS5's
    // own tables behind the search index (`search_lines_data`, …) are SQLite's alone.
    let rows = sqlx::query_as(
        "SELECT m.name, p.name, CASE WHEN p.\"notnull\" <> 0 OR p.pk > 0 THEN 'NO' ELSE 'YES' END FROM sqlite_master m JOIN pragma_table_info(m.name) p \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations' \
         AND substr(m.name, 1, 13) <> 'search_lines_' ORDER BY m.name, p.cid",
    )
    .fetch_all(db)
    .await
    .unwrap();
    schema(rows)
}

async fn postgres_schema(db: &Db) -> Schema {
    let rows = sqlx::query_as(
        "SELECT table_name::text, column_name::text, is_nullable::text FROM information_schema.columns \
         WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations' ORDER BY table_name, ordinal_position",
    )
    .fetch_all(db)
    .await
    .unwrap();
    schema(rows)
}

async fn both() -> (Postgres, Db, tempfile::TempDir, Db) {
    let pg = Postgres::start();
    let postgres = chinwag_server::db::connect(&pg.url("postgres")).await.unwrap();
    let (dir, path) = temp_db();
    let sqlite = chinwag_server::db::connect(path.to_str().unwrap()).await.unwrap();
    (pg, postgres, dir, sqlite)
}

#[tokio::test]
async fn postgres_has_every_migration_table_and_column_of_sqlite() {
    let (_pg, postgres, _dir, sqlite) = both().await;
    let versions = |m: sqlx::migrate::Migrator| m.iter().map(|m| m.version).collect::<Vec<_>>();
    assert_eq!(
        versions(sqlx::migrate!("./migrations/postgres")),
        versions(sqlx::migrate!("./migrations")),
        "every migration has its PostgreSQL twin"
    );
    let (lite, pg) = (sqlite_schema(&sqlite).await, postgres_schema(&postgres).await);
    assert!(lite.len() > 20, "{lite:?}");
    assert_eq!(
        pg.keys().collect::<Vec<_>>(),
        lite.keys().collect::<Vec<_>>(),
        "the same tables"
    );
    for (table, columns) in &lite {
        // The search index is each engine's own (FTS5; a tsvector column): the same
        // lines, compared by the search tests on both engines instead.
        if table == "search_lines" {
            continue;
        }
        assert_eq!(
            &pg[table], columns,
            "{table}: the same columns, in order, null or not alike"
        );
    }
}

/// A booking tried against a booked meeting of host `h` from 1000 to 2000 with 100 of
/// buffer each side, and whether it is accepted.
struct Booking {
    id: &'static str,
    host: &'static str,
    /// Start, end, busy from, busy until.
    span: [i64; 4],
    status: &'static str,
    accepted: bool,
}

const fn booking(
    id: &'static str,
    host: &'static str,
    span: [i64; 4],
    status: &'static str,
    accepted: bool,
) -> Booking {
    Booking {
        id,
        host,
        span,
        status,
        accepted,
    }
}

const BOOKINGS: [Booking; 6] = [
    booking("first", "h", [1000, 2000, 900, 2100], "booked", true),
    booking("inside", "h", [1500, 2500, 1400, 2600], "booked", false),
    // Buffers may touch each other; neither may touch the other meeting itself.
    booking("buffers touch", "h", [2100, 3000, 2000, 3100], "booked", true),
    booking("in its buffer", "h", [3050, 3500, 2950, 3600], "booked", false),
    booking("cancelled", "h", [1500, 2500, 1400, 2600], "cancelled", true),
    booking("other host", "k", [1500, 2500, 1400, 2600], "booked", true),
];

const INSERT: &str = "INSERT INTO meetings (id, site_id, dialogue_id, card, host_id, start_at, end_at, busy_from, busy_until, \
     status, visitor_name, visitor_email, visitor_zone, locale, reason, created_at, updated_at) \
     VALUES ($1, 's', 'd', 'c', $2, $3, $4, $5, $6, $7, 'V', 'v@x.test', 'UTC', 'en', '{}', 0, 0)";

#[tokio::test]
async fn no_host_is_booked_twice_on_either_engine() {
    let (_pg, postgres, _dir, sqlite) = both().await;
    for b in BOOKINGS {
        let insert = || {
            let [start, end, from, until] = b.span;
            sqlx::query(INSERT)
                .bind(b.id)
                .bind(b.host)
                .bind(start)
                .bind(end)
                .bind(from)
                .bind(until)
                .bind(b.status)
        };
        let on_sqlite = insert().execute(&sqlite).await;
        let on_postgres = insert().execute(&postgres).await;
        assert_eq!(on_sqlite.is_ok(), b.accepted, "SQLite, {}: {on_sqlite:?}", b.id);
        assert_eq!(
            on_postgres.is_ok(),
            b.accepted,
            "PostgreSQL, {}: {on_postgres:?}",
            b.id
        );
    }
    // Moving a booked meeting onto another is refused too.
    let moved = "UPDATE meetings SET start_at = 1800, end_at = 2200, busy_from = 1700, busy_until = 2300 WHERE id = 'buffers touch'";
    assert!(sqlx::query(moved).execute(&sqlite).await.is_err());
    assert!(sqlx::query(moved).execute(&postgres).await.is_err());

    // Twelve bookings of one slot of one host at once, each transaction held open a
    // moment after its check (as a booking that also writes its invitations is):
    // exactly one gets it.
    let mut tries = Vec::new();
    for n in 0..12 {
        let db = postgres.clone();
        tries.push(tokio::spawn(async move {
            let mut tx = chinwag_server::db::begin(&db).await.unwrap();
            let booked = sqlx::query(INSERT)
                .bind(format!("race {n}"))
                .bind("r")
                .bind(5000_i64)
                .bind(6000_i64)
                .bind(4900_i64)
                .bind(6100_i64)
                .bind("booked")
                .execute(&mut *tx)
                .await;
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            booked.is_ok() && tx.commit().await.is_ok()
        }));
    }
    let mut won = 0;
    for t in tries {
        won += usize::from(t.await.unwrap());
    }
    assert_eq!(won, 1, "one booking of the slot, whatever the timing");
}
