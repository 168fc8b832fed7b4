//! Writing generated demo data through the real schema: many applicants per transaction,
//! with durability relaxed while the new file is filled (nobody else uses it yet; a crash
//! leaves a file to delete and generate again) and restored before it is handed over.

use rusqlite::{Transaction, params};

use crate::core::collation::sort_key;
use crate::core::{ApplicationNumber, ApplicationStatus, search_key};
use crate::demo::{Application, Person};
use crate::training::seed::Seeded;

use super::DatabaseKind;
use super::audit::{self, AuditEntry};

use super::{Store, StoreError};

/// What the demo writer keeps between batches.
#[derive(Debug, Default)]
pub struct DemoState {
    /// The last application number of each year.
    pub sequences: std::collections::BTreeMap<i32, u32>,
    /// Ids of the demo operators, who make the status changes.
    pub operators: Vec<i64>,
    /// The decision record of each case template.
    pub records: Vec<String>,
}

fn at(day: chrono::NaiveDate, salt: u64) -> String {
    // Office hours in Kazakhstan (UTC+5): 04:00 to 12:59 UTC.
    format!(
        "{day}T{:02}:{:02}:{:02}Z",
        4 + salt % 9,
        (salt / 9) % 60,
        (salt / 540) % 60
    )
}

impl Store {
    /// Makes the fresh file fast to fill: no waiting for the disk per transaction, a large
    /// page cache. [`Store::finish_demo`] puts the desk's settings back.
    pub fn begin_demo(&mut self, operators: &[(&str, &str)]) -> Result<DemoState, StoreError> {
        let sqlite = |e| StoreError::from_sqlite(&self.path, e);
        // Without a journal every page is written once (WAL writes it twice: to the log,
        // then into the file).
        self.conn
            .query_row("PRAGMA journal_mode = OFF", [], |_| Ok(()))
            .map_err(sqlite)?;
        self.conn
            .execute_batch("PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;")
            .map_err(sqlite)?;
        let now = super::timestamp(chrono::Utc::now());
        let ids = self.write(|tx| {
            let mut ids = Vec::new();
            for (login, name) in operators {
                tx.execute(
                    "INSERT INTO operators(login, display_name, created_at) VALUES (?1, ?2, ?3)",
                    params![login, name, now],
                )?;
                ids.push(tx.last_insert_rowid());
            }
            Ok(ids)
        })?;
        Ok(DemoState {
            operators: ids,
            ..DemoState::default()
        })
    }

    /// Writes one batch of people with their applications in one transaction.
    pub fn write_demo(
        &mut self,
        state: &mut DemoState,
        batch: &[(Person, Vec<Application>)],
    ) -> Result<(), StoreError> {
        self.write(|tx| write_people(tx, state, batch))
    }

    /// Puts a training database back to its seeded state, in one transaction: the
    /// applicants, applications, histories, consents, documents, drafts and closed cases go,
    /// the seeded ones come. Accounts and the audit log stay (a class's audit shows who did
    /// what, up to the reset, which is audited too). Refused on a real database. Returns the
    /// number of applications seeded.
    pub fn reset_training(&mut self, seeded: &Seeded) -> Result<usize, StoreError> {
        if self.kind() != DatabaseKind::Training {
            return Err(StoreError::WrongKind {
                path: self.path.clone(),
                training: false,
            });
        }
        let actor = self.actor;
        let now = super::timestamp(chrono::Utc::now());
        self.write(|tx| {
            for table in [
                "status_history",
                "documents_presented",
                "consents",
                "applications",
                "applicants",
                "drafts",
                "closed_cases",
                "application_numbers",
            ] {
                tx.execute(&format!("DELETE FROM {table}"), [])?;
            }
            // Numbered from 1 again, as in the seeded state (a lesson's note is note 1).
            tx.execute(
                "DELETE FROM sqlite_sequence WHERE name IN ('drafts', 'closed_cases')",
                [],
            )?;
            let mut state = DemoState {
                records: seeded.records.clone(),
                ..DemoState::default()
            };
            for (login, name) in SEED_OPERATORS {
                tx.execute(
                    "INSERT OR IGNORE INTO operators(login, display_name, created_at)
                     VALUES (?1, ?2, ?3)",
                    params![login, name, now],
                )?;
                state.operators.push(tx.query_row(
                    "SELECT id FROM operators WHERE login = ?1",
                    [login],
                    |r| r.get(0),
                )?);
            }
            write_people(tx, &mut state, &seeded.people)?;
            write_sequences(tx, &state)?;
            let details = serde_json::json!({ "applications": seeded.applications() });
            audit::append(
                tx,
                &now,
                &AuditEntry {
                    operator: actor,
                    action: "training.reset",
                    entity: None,
                    details: &details.to_string(),
                },
            )?;
            Ok(seeded.applications())
        })
    }

    /// Records the number counters and puts the desk's journal and durability back, so that
    /// the file opens like any other database.
    pub fn finish_demo(&mut self, state: &DemoState) -> Result<(), StoreError> {
        self.write(|tx| write_sequences(tx, state))?;
        let sqlite = |e| StoreError::from_sqlite(&self.path, e);
        self.conn
            .execute_batch("PRAGMA optimize; PRAGMA synchronous = FULL; PRAGMA cache_size = -2000;")
            .map_err(sqlite)?;
        self.conn
            .query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))
            .map_err(sqlite)
    }
}

/// Writes people with their applications, their histories and consents, inside the caller's
/// transaction; numbers the applications on from `state.sequences`.
fn write_people(
    tx: &Transaction<'_>,
    state: &mut DemoState,
    batch: &[(Person, Vec<Application>)],
) -> rusqlite::Result<()> {
    let mut person_stmt = tx.prepare_cached(
        "INSERT INTO applicants(iin, surname, given_name, patronymic, name_key, sort_key,
                birth_date, sex, citizenship_status, capacity, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'full', ?10, ?10)",
    )?;
    let mut app_stmt = tx.prepare_cached(
        "INSERT INTO applications(number, applicant_id, registration_type, period_months,
                region, street, house, apartment, dwelling_kind, status, ruleset_id,
                ruleset_version, created_by, created_at, updated_at, decision_record,
                registered_from, registered_until, follow_up)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?17, ?9, 'regdesk-kz', 'demo',
                ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
    )?;
    let mut history_stmt = tx.prepare_cached(
        "INSERT INTO status_history(application_id, status, reason_code, changed_by,
                changed_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut document_stmt = tx.prepare_cached(
        "INSERT INTO documents_presented(application_id, requirement_id, document_type,
                party, noted_by, noted_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    let mut consent_stmt = tx.prepare_cached(
        "INSERT INTO consents(application_id, kind, giver_name, giver_role, form, scope,
                given_at, recorded_by) VALUES (?1, ?2, ?3, ?4, 'in_person', ?5, ?6, ?7)",
    )?;
    for (index, (person, applications)) in batch.iter().enumerate() {
        let full = format!(
            "{} {} {}",
            person.surname,
            person.given_name,
            person.patronymic.as_deref().unwrap_or("")
        );
        let first_day = applications.iter().map(|a| a.steps[0].1).min();
        let created = at(first_day.unwrap_or_default(), index as u64);
        person_stmt.execute(params![
            person.iin,
            person.surname,
            person.given_name,
            person.patronymic,
            search_key(full.trim()),
            sort_key(&full),
            person.birth_date.to_string(),
            person.sex.code(),
            person.citizenship,
            created
        ])?;
        let applicant = tx.last_insert_rowid();
        for (n, a) in applications.iter().enumerate() {
            let sequence = state.sequences.entry(a.year).or_insert(0);
            *sequence += 1;
            let number = ApplicationNumber::new(a.year, *sequence)
                .ok_or(rusqlite::Error::InvalidQuery)?
                .to_string();
            let salt = (index * 7 + n) as u64;
            let operator = state
                .operators
                .get(salt as usize % state.operators.len().max(1))
                .copied();
            let (last, last_day, _) = *a.steps.last().unwrap_or(&a.steps[0]);
            let registered = a
                .steps
                .iter()
                .find(|s| s.0 == ApplicationStatus::Registered)
                .map(|s| s.1);
            let until = registered.and_then(|from| super::registration_end(from, a.period_months?));
            let record = state
                .records
                .get(a.template)
                .map(String::as_str)
                .unwrap_or("{}");
            app_stmt.execute(params![
                number,
                applicant,
                a.registration_type,
                a.period_months,
                a.city,
                a.street,
                a.house.to_string(),
                a.apartment.map(|n| n.to_string()),
                last.code(),
                operator,
                at(a.steps[0].1, salt),
                at(last_day, salt + 1),
                record,
                registered.map(|d| d.to_string()),
                until.map(|d| d.to_string()),
                a.follow_up.then_some("deregistration_document"),
                a.dwelling_kind
            ])?;
            let application = tx.last_insert_rowid();
            for (k, (status, day, reason)) in a.steps.iter().enumerate() {
                history_stmt.execute(params![
                    application,
                    status.code(),
                    reason,
                    operator,
                    at(*day, salt + k as u64)
                ])?;
            }
            for (requirement, document, party) in &a.documents {
                document_stmt.execute(params![
                    application,
                    requirement,
                    document,
                    party,
                    operator,
                    at(a.steps[0].1, salt)
                ])?;
            }
            let given = a.steps[0].1.to_string();
            consent_stmt.execute(params![
                application,
                "personal_data",
                full.trim(),
                "applicant",
                Some("law_94_v"),
                given,
                operator
            ])?;
            for (kind, name) in &a.consents {
                consent_stmt.execute(params![
                    application,
                    kind,
                    name,
                    kind,
                    None::<String>,
                    given,
                    operator
                ])?;
            }
        }
    }
    Ok(())
}

/// The last application number of each year, as the numbers written left them.
fn write_sequences(tx: &Transaction<'_>, state: &DemoState) -> rusqlite::Result<()> {
    for (year, last) in &state.sequences {
        tx.execute(
            "INSERT INTO application_numbers(year, last) VALUES (?1, ?2)
             ON CONFLICT(year) DO UPDATE SET last = max(last, excluded.last)",
            params![year, last],
        )?;
    }
    Ok(())
}

/// The fictional desk staff whose hands the seeded status changes are in. They have no
/// password: nobody signs in as them.
const SEED_OPERATORS: [(&str, &str); 2] = [
    ("seed.aigerim", "Серікова А."),
    ("seed.nurlan", "Жұмабаев Н."),
];
