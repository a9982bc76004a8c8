-- Meetings (docs/meetings.md), PostgreSQL's twin of ../0004_meetings.sql: the same
-- tables (tests/postgres.rs compares every table and column of both), and the same
-- no-double-booking rule as SQLite's triggers, in PL/pgSQL. Not an exclusion
-- constraint: the rule compares one meeting's buffered span with the other's meeting
-- itself, both ways (buffers may touch each other), which no symmetric operator says.
-- A lock per host in the trigger makes concurrent bookings of one host take turns, so
-- two transactions can never both pass the check.

-- An agent's working hours: JSON of chinwag_scheduling::Availability.
CREATE TABLE agent_availability (
    agent_id TEXT PRIMARY KEY,
    body TEXT NOT NULL
);

-- An agent's calendar: CalDAV (busy times read, meetings written) or an iCalendar
-- feed URL (busy times only).
CREATE TABLE agent_calendars (
    agent_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL, -- 'caldav' or 'ics'
    url TEXT NOT NULL,
    username TEXT NOT NULL DEFAULT '',
    password TEXT NOT NULL DEFAULT '', -- sealed with the server's key (secrets.rs)
    problem TEXT, -- why the last read failed; NULL when it worked
    checked_at BIGINT
);

-- Per site: slot rules and the round-robin strategy (JSON of meetings::Settings).
CREATE TABLE meeting_settings (
    site_id TEXT PRIMARY KEY,
    body TEXT NOT NULL
);

CREATE TABLE meetings (
    id TEXT PRIMARY KEY,
    site_id TEXT NOT NULL,
    dialogue_id TEXT NOT NULL,
    card TEXT NOT NULL,
    host_id TEXT NOT NULL,
    start_at BIGINT NOT NULL,
    end_at BIGINT NOT NULL,
    -- The meeting with its buffers: no other meeting of the host may touch it.
    busy_from BIGINT NOT NULL,
    busy_until BIGINT NOT NULL,
    status TEXT NOT NULL, -- 'booked' or 'cancelled'
    outcome TEXT, -- 'held' or 'no_show', set by the host afterwards
    visitor_name TEXT NOT NULL,
    visitor_email TEXT NOT NULL,
    visitor_zone TEXT NOT NULL,
    locale TEXT NOT NULL,
    reason TEXT NOT NULL, -- JSON of chinwag_scheduling::Pick: why this host
    sequence INTEGER NOT NULL DEFAULT 0, -- iCalendar SEQUENCE, bumped on each change
    transcript TEXT NOT NULL DEFAULT '[]', -- JSON lines of the dialogue before booking
    calendar_synced INTEGER NOT NULL DEFAULT 0, -- 1: the host's CalDAV calendar has this version
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX meetings_host_time ON meetings (host_id, start_at);
CREATE INDEX meetings_site_time ON meetings (site_id, start_at);

-- No double booking, held by the database: a booked meeting's buffered span never
-- overlaps another booked meeting of the same host, and the other way round.
CREATE FUNCTION meetings_no_overlap() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status = 'booked' THEN
        PERFORM pg_advisory_xact_lock(hashtext('meetings:' || NEW.host_id));
        IF EXISTS (
            SELECT 1 FROM meetings m WHERE m.host_id = NEW.host_id AND m.status = 'booked' AND m.id <> NEW.id
            AND ((NEW.busy_from < m.end_at AND NEW.busy_until > m.start_at)
              OR (m.busy_from < NEW.end_at AND m.busy_until > NEW.start_at))
        ) THEN
            RAISE EXCEPTION 'meeting overlaps';
        END IF;
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER meetings_no_overlap_insert BEFORE INSERT ON meetings
FOR EACH ROW EXECUTE FUNCTION meetings_no_overlap();

CREATE TRIGGER meetings_no_overlap_update BEFORE UPDATE OF start_at, end_at, busy_from, busy_until, status, host_id ON meetings
FOR EACH ROW EXECUTE FUNCTION meetings_no_overlap();

-- Invitations waiting to go out, sent and retried by one worker; never dropped.
CREATE TABLE meeting_emails (
    id TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL,
    recipient TEXT NOT NULL, -- 'visitor' or 'host'
    kind TEXT NOT NULL, -- 'request' (booked or moved) or 'cancel'
    sequence INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at BIGINT NOT NULL,
    sent_at BIGINT,
    last_error TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX meeting_emails_due ON meeting_emails (sent_at, next_at);
