-- Portable SQL (SQLite and PostgreSQL). Failed sign-ins per account (and invitation
-- attempts per address), in rows so that every node counts the same ones: guessing a
-- password is as slow behind ten nodes as behind one (src/sign_in.rs).
CREATE TABLE sign_in_failures (
    account TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX sign_in_failures_account ON sign_in_failures (account, at);
CREATE INDEX sign_in_failures_at ON sign_in_failures (at);
