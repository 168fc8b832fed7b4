//! The database schema as an ordered list of migrations. Migration `i` (0-based) brings the
//! database from `PRAGMA user_version = i` to `i + 1`. Never edit a migration that has shipped:
//! add a new one.
//!
//! Conventions: timestamps are UTC text (`2026-11-21T09:30:00Z`) because laptops may have stale
//! time-zone data; codes (status, kind ...) are the stable `code()` strings of the core types;
//! `*_key` columns hold the folded search form of a name (see `core::search_key`).

pub const MIGRATIONS: &[&str] = &[
    // 1: the initial schema.
    r#"
CREATE TABLE regdesk_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE operators (
    id            INTEGER PRIMARY KEY,
    login         TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL DEFAULT 'operator',   -- operator | supervisor | trainer | admin
    password_hash TEXT,                               -- argon2 PHC string; NULL until set
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL
) STRICT;

CREATE TABLE applicants (
    id                 INTEGER PRIMARY KEY,
    iin                TEXT UNIQUE,                   -- NULL for a person without an IIN yet
    surname            TEXT NOT NULL,
    given_name         TEXT NOT NULL,
    patronymic         TEXT,
    name_key           TEXT NOT NULL,                 -- folded "surname given patronymic"
    birth_date         TEXT,
    sex                TEXT,                          -- male | female
    citizenship_status TEXT NOT NULL,                 -- citizen | refugee | foreign_resident | ...
    capacity           TEXT NOT NULL DEFAULT 'full',  -- full | limited | incapacitated
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
) STRICT;
CREATE INDEX applicants_by_name_key ON applicants(name_key);

CREATE TABLE application_numbers (
    year INTEGER PRIMARY KEY,
    last INTEGER NOT NULL
) STRICT;

CREATE TABLE applications (
    id                   INTEGER PRIMARY KEY,
    number               TEXT NOT NULL UNIQUE,         -- RD-2026-000123
    applicant_id         INTEGER NOT NULL REFERENCES applicants(id),
    registration_type    TEXT NOT NULL,                -- permanent | temporary
    period_months        INTEGER,                      -- temporary only, 1..12
    region               TEXT,
    district             TEXT,
    settlement           TEXT,
    street               TEXT,
    house                TEXT,
    building             TEXT,
    apartment            TEXT,
    rka                  TEXT,                         -- registration code of address, opaque digits
    dwelling_kind        TEXT,                         -- private | state_rental | organization | akimat_address
    applicant_relation   TEXT,                         -- sole_owner | co_owner | listed_in_tenancy | none
    representative_kind  TEXT,                         -- NULL | parent | guardian | trustee | attorney
    representative_iin   TEXT,
    representative_name  TEXT,
    representative_basis TEXT,                         -- document proving the authority
    status               TEXT NOT NULL,
    ruleset_id           TEXT,
    ruleset_version      TEXT,
    ruleset_sha256       TEXT,
    created_by           INTEGER REFERENCES operators(id),
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    CHECK (period_months IS NULL OR period_months BETWEEN 1 AND 12)
) STRICT;
CREATE INDEX applications_by_applicant ON applications(applicant_id);

CREATE TABLE status_history (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications(id),
    status         TEXT NOT NULL,
    reason_code    TEXT,                               -- refusal ground, e.g. no_title_documents
    note           TEXT,
    changed_by     INTEGER REFERENCES operators(id),
    changed_at     TEXT NOT NULL
) STRICT;
CREATE INDEX status_history_by_application ON status_history(application_id, changed_at);

CREATE TABLE documents_presented (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications(id),
    requirement_id TEXT NOT NULL,                      -- e.g. applicant_identity
    document_type  TEXT NOT NULL,                      -- e.g. id_card, passport
    party          TEXT NOT NULL,                      -- applicant | owner | representative | organization
    number         TEXT,
    issued_on      TEXT,
    noted_by       INTEGER REFERENCES operators(id),
    noted_at       TEXT NOT NULL
) STRICT;
CREATE INDEX documents_by_application ON documents_presented(application_id);

-- Owner's and co-owners' consent to the registration, and personal-data consent (Law 94-V),
-- are different records of one table told apart by kind.
CREATE TABLE consents (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER REFERENCES applications(id),
    kind           TEXT NOT NULL,                      -- owner | co_owner | tenant | personal_data
    giver_iin      TEXT,
    giver_name     TEXT NOT NULL,
    giver_role     TEXT NOT NULL,                      -- self | owner | co_owner | legal_representative ...
    form           TEXT NOT NULL,                      -- written | eds | consent_service
    scope          TEXT,                               -- personal data: operator, term, third parties ...
    given_at       TEXT NOT NULL,
    recorded_by    INTEGER REFERENCES operators(id),
    revoked_at     TEXT,
    revoked_by     INTEGER REFERENCES operators(id),
    revoke_reason  TEXT
) STRICT;
CREATE INDEX consents_by_application ON consents(application_id);

-- An interrupted form survives here until it is saved or discarded.
CREATE TABLE drafts (
    id          INTEGER PRIMARY KEY,
    form        TEXT NOT NULL,                         -- intake | consent ...
    operator_id INTEGER REFERENCES operators(id),
    data        TEXT NOT NULL,                         -- JSON of the form fields
    updated_at  TEXT NOT NULL
) STRICT;

-- Append-only: the triggers below refuse every change to a written row.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    operator_id INTEGER REFERENCES operators(id),
    action      TEXT NOT NULL,                         -- e.g. application.create, consent.revoke
    entity      TEXT,
    entity_id   INTEGER,
    details     TEXT                                   -- JSON, never personal data in clear
) STRICT;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
"#,
    // 2: desk sessions, so that the next start can say when one did not end cleanly.
    r#"
CREATE TABLE desk_sessions (
    id         INTEGER PRIMARY KEY,
    pid        INTEGER NOT NULL,                       -- the desk process, to tell a live one
    started_at TEXT NOT NULL,
    ended_at   TEXT,                                   -- NULL: running, or ended uncleanly
    reported   INTEGER NOT NULL DEFAULT 0              -- 1 once a later start has said so
) STRICT;
CREATE INDEX desk_sessions_open ON desk_sessions(ended_at) WHERE ended_at IS NULL;
"#,
    // 3: the full decision record of a submitted application, and the draft it came from (so
    // that a second submit of the same draft finds the application instead of making another).
    r#"
ALTER TABLE applications ADD COLUMN decision_record TEXT;  -- JSON: facts, rule set, checklist, marks, consents
ALTER TABLE applications ADD COLUMN source_draft INTEGER;
CREATE UNIQUE INDEX applications_by_source_draft ON applications(source_draft)
    WHERE source_draft IS NOT NULL;
-- Draft ids are never reused (AUTOINCREMENT): a submitted draft is deleted, and a new draft
-- taking its id would be mistaken for the application already made from it.
CREATE TABLE drafts_v3 (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    form        TEXT NOT NULL,
    operator_id INTEGER REFERENCES operators(id),
    data        TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
INSERT INTO drafts_v3(id, form, operator_id, data, updated_at)
    SELECT id, form, operator_id, data, updated_at FROM drafts;
DROP TABLE drafts;
ALTER TABLE drafts_v3 RENAME TO drafts;
"#,
    // 4: lookup and the life cycle. `sort_key` orders names in the Kazakh alphabet (see
    // `core::collation`; filled for existing rows by the migration step in Rust); the period of
    // a registration; the document an arrival still has to bring, and by when.
    r#"
ALTER TABLE applicants ADD COLUMN sort_key TEXT NOT NULL DEFAULT '';
CREATE INDEX applicants_by_sort_key ON applicants(sort_key);
ALTER TABLE applications ADD COLUMN registered_from TEXT;   -- YYYY-MM-DD
ALTER TABLE applications ADD COLUMN registered_until TEXT;  -- YYYY-MM-DD, last day; temporary only
ALTER TABLE applications ADD COLUMN follow_up TEXT;         -- document id still to bring
CREATE INDEX applications_registered_until ON applications(registered_until)
    WHERE status = 'registered';
CREATE INDEX status_history_by_time ON status_history(changed_at);
"#,
    // 5: the audit log as a hash chain (see `store::audit`). The rows already there are chained
    // by the migration step in Rust, with the no-update trigger lifted for it and put back.
    r#"
DROP TRIGGER audit_log_no_update;
ALTER TABLE audit_log ADD COLUMN hash TEXT;
"#,
    // 6: signing in: consecutive failed attempts and the lockout they earn.
    r#"
ALTER TABLE operators ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE operators ADD COLUMN locked_until TEXT;   -- UTC timestamp
"#,
    // 7: the lockout of logins that exist nowhere, so they are answered as real ones are;
    // a tag stands for the text typed, which is never kept (`core::lockout`).
    r#"
CREATE TABLE unknown_logins (
    tag          TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT
) STRICT;
"#,
    // 8: drafts rewritten in version 2 of their codec (`case::draft`), in code below.
    "SELECT 1;",
    // 9: cases closed without an application (registration not required: a child under 14,
    // a stay too short). Kept with what they were decided on, counted, never numbered; the
    // draft they came from is gone, so a second F8 finds the closed case by `draft_id`.
    r#"
CREATE TABLE closed_cases (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    draft_id        INTEGER NOT NULL UNIQUE,
    iin             TEXT,
    closed_as       TEXT NOT NULL,                     -- not_required
    reasons         TEXT NOT NULL,                     -- JSON list of the rules' reason codes
    ruleset_id      TEXT NOT NULL,
    ruleset_version TEXT NOT NULL,
    ruleset_sha256  TEXT NOT NULL,
    decision_record TEXT NOT NULL,                     -- the facts and the evaluation
    case_data       TEXT NOT NULL,                     -- the case, in the draft codec
    closed_by       INTEGER REFERENCES operators(id),
    closed_at       TEXT NOT NULL
) STRICT;
CREATE INDEX closed_cases_iin ON closed_cases(iin);
CREATE INDEX closed_cases_at ON closed_cases(closed_at);
"#,
    // 10: a parent's IIN finds their children's applications (the representative's IIN).
    r#"
CREATE INDEX IF NOT EXISTS applications_representative
    ON applications(representative_iin) WHERE representative_iin IS NOT NULL;
"#,
];

/// Work a migration needs that SQL cannot do: computing `sort_key` of existing applicants.
pub fn after_migration(tx: &rusqlite::Transaction<'_>, version: u32) -> rusqlite::Result<()> {
    if version == 8 {
        // Version 1 drafts (marks and consents as JSON text inside the JSON) as version 2.
        let rows: Vec<(i64, String)> = tx
            .prepare("SELECT id, data FROM drafts")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let mut update = tx.prepare("UPDATE drafts SET data = ?1 WHERE id = ?2")?;
        for (id, data) in rows {
            if let Some(upgraded) = crate::case::draft::upgrade(&data) {
                update.execute(rusqlite::params![upgraded, id])?;
            }
        }
    }
    if version == 5 {
        super::audit::chain_existing(tx)?;
        tx.execute_batch(
            "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
             BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;",
        )?;
    }
    if version == 4 {
        let rows: Vec<(i64, String)> = tx
            .prepare("SELECT id, surname || ' ' || given_name || ' ' || ifnull(patronymic, '') FROM applicants")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let mut update = tx.prepare("UPDATE applicants SET sort_key = ?1 WHERE id = ?2")?;
        for (id, name) in rows {
            update.execute(rusqlite::params![
                crate::core::collation::sort_key(&name),
                id
            ])?;
        }
    }
    Ok(())
}

/// The schema version this build writes and understands.
pub fn latest_version() -> u32 {
    MIGRATIONS.len() as u32
}
