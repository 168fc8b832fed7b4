//! Submitting an application: its number, the applicant, the application, its documents,
//! consents, history and audit row, all in one transaction (a second submit of the same
//! draft finds the application it made).

#[allow(unused_imports)]
use super::*;

impl Store {
    /// Takes the next application number of `year`. The counter lives in the database, so two
    /// desks on one file never hand out the same number.
    pub fn next_application_number(&mut self, year: i32) -> Result<ApplicationNumber, StoreError> {
        let sequence: u32 = self.write(|tx| {
            tx.query_row(
                "INSERT INTO application_numbers(year, last) VALUES (?1, 1)
                 ON CONFLICT(year) DO UPDATE SET last = last + 1
                 RETURNING last",
                params![year],
                |r| r.get(0),
            )
        })?;
        ApplicationNumber::new(year, sequence).ok_or_else(|| StoreError::Sqlite {
            path: self.path.clone(),
            detail: format!("application numbers of {year} are exhausted"),
        })
    }

    /// Submits an application in one `BEGIN IMMEDIATE` transaction: the applicant (new, or
    /// updated by IIN), the next application number, the application with its decision record,
    /// status "submitted" with its history row, the documents and consents, audit rows, and the
    /// draft closed. Submitting the same draft again (a second key press, another desk) finds
    /// the application already made and returns it, adding nothing.
    pub fn submit(&mut self, s: &Submission) -> Result<Submitted, StoreError> {
        let now = timestamp(Utc::now());
        let year = s.year;
        self.write(|tx| {
            if let Some((id, number)) = tx
                .query_row(
                    "SELECT id, number FROM applications WHERE source_draft = ?1",
                    params![s.draft_id],
                    |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)),
                )
                .optional()?
            {
                return Ok(Submitted {
                    id,
                    number,
                    already: true,
                });
            }
            let p = &s.person;
            let full_name = format!(
                "{} {} {}",
                p.surname,
                p.given_name,
                p.patronymic.as_deref().unwrap_or("")
            );
            let name_key = crate::core::search_key(&full_name);
            let sort_key = crate::core::collation::sort_key(&full_name);
            tx.execute(
                "INSERT INTO applicants(iin, surname, given_name, patronymic, name_key, birth_date,
                    sex, citizenship_status, capacity, created_at, updated_at, sort_key)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11)
                 ON CONFLICT(iin) DO UPDATE SET surname = excluded.surname,
                    given_name = excluded.given_name, patronymic = excluded.patronymic,
                    name_key = excluded.name_key, birth_date = excluded.birth_date,
                    sex = excluded.sex, citizenship_status = excluded.citizenship_status,
                    capacity = excluded.capacity, updated_at = excluded.updated_at,
                    sort_key = excluded.sort_key",
                params![
                    s.iin,
                    p.surname,
                    p.given_name,
                    p.patronymic,
                    name_key,
                    p.birth_date,
                    p.sex,
                    p.status,
                    p.capacity,
                    now,
                    sort_key
                ],
            )?;
            let applicant_id: i64 = tx.query_row(
                "SELECT id FROM applicants WHERE iin = ?1",
                params![s.iin],
                |r| r.get(0),
            )?;
            let sequence: u32 = tx.query_row(
                "INSERT INTO application_numbers(year, last) VALUES (?1, 1)
                 ON CONFLICT(year) DO UPDATE SET last = last + 1 RETURNING last",
                params![year],
                |r| r.get(0),
            )?;
            let number = ApplicationNumber::new(year, sequence)
                .ok_or(rusqlite::Error::InvalidQuery)?
                .to_string();
            let a = &s.address;
            tx.execute(
                "INSERT INTO applications(number, applicant_id, registration_type, period_months,
                    region, district, settlement, street, house, building, apartment, rka,
                    dwelling_kind, applicant_relation, representative_kind, representative_iin,
                    representative_name, representative_basis, status, ruleset_id,
                    ruleset_version, ruleset_sha256, created_at, updated_at, decision_record,
                    source_draft, follow_up, created_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                    ?17, ?18, 'submitted', ?19, ?20, ?21, ?22, ?22, ?23, ?24, ?25, ?26)",
                params![
                    number,
                    applicant_id,
                    s.registration_type,
                    s.period_months,
                    a.region,
                    a.district,
                    a.settlement,
                    a.street,
                    a.house,
                    a.building,
                    a.apartment,
                    a.rka,
                    s.dwelling_kind,
                    s.applicant_relation,
                    s.representative_kind,
                    s.representative_iin,
                    s.representative_name,
                    s.representative_basis,
                    s.ruleset.0,
                    s.ruleset.1,
                    s.ruleset.2,
                    now,
                    s.decision_record,
                    s.draft_id,
                    s.follow_up,
                    s.operator
                ],
            )?;
            let application_id = tx.last_insert_rowid();
            tx.execute(
                "INSERT INTO status_history(application_id, status, changed_by, changed_at)
                 VALUES (?1, 'submitted', ?3, ?2)",
                params![application_id, now, s.operator],
            )?;
            for d in &s.documents {
                tx.execute(
                    "INSERT INTO documents_presented(application_id, requirement_id, document_type,
                        party, number, issued_on, noted_at, noted_by)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    params![
                        application_id,
                        d.requirement,
                        d.document,
                        d.party,
                        d.number,
                        d.issued_on,
                        now,
                        s.operator
                    ],
                )?;
            }
            for c in &s.consents {
                tx.execute(
                    "INSERT INTO consents(application_id, kind, giver_iin, giver_name, giver_role,
                        form, scope, given_at, recorded_by)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                    params![
                        application_id,
                        c.kind,
                        c.iin,
                        c.name,
                        c.role,
                        c.form,
                        c.scope,
                        c.given_at,
                        s.operator
                    ],
                )?;
            }
            let details = format!(r#"{{"number":"{number}"}}"#);
            audit::append(
                tx,
                &now,
                &AuditEntry {
                    operator: s.operator,
                    action: "application.submit",
                    entity: Some(("application", application_id)),
                    details: &details,
                },
            )?;
            tx.execute("DELETE FROM drafts WHERE id = ?1", params![s.draft_id])?;
            Ok(Submitted {
                id: application_id,
                number,
                already: false,
            })
        })
    }

    /// What the database already knows of the person with `iin`: the applicant's recorded
    /// data (name, birth date as `YYYY-MM-DD`, sex, status, capacity) and the numbers and
    /// statuses of their open applications.
    pub fn find_by_iin(&self, iin: &str) -> Result<IinMatches, StoreError> {
        let sqlite = |e| StoreError::from_sqlite(&self.path, e);
        let applicant = self
            .conn
            .query_row(
                "SELECT id, surname, given_name, patronymic, birth_date, sex,
                        citizenship_status, capacity
                 FROM applicants WHERE iin = ?1",
                params![iin],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        KnownApplicant {
                            surname: r.get(1)?,
                            given_name: r.get(2)?,
                            patronymic: r.get(3)?,
                            birth_date: r.get(4)?,
                            sex: r.get(5)?,
                            status: r.get(6)?,
                            capacity: r.get(7)?,
                        },
                    ))
                },
            )
            .optional()
            .map_err(sqlite)?;
        let mut open_applications = Vec::new();
        let mut registered = Vec::new();
        if let Some((id, _)) = &applicant {
            let mut stmt = self
                .conn
                .prepare(
                    "SELECT number, region, district, settlement, street, house, building,
                            apartment, rka
                     FROM applications WHERE applicant_id = ?1 AND status = 'registered'
                     ORDER BY created_at DESC",
                )
                .map_err(sqlite)?;
            registered = stmt
                .query_map(params![id], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        SubmittedAddress {
                            region: r.get(1)?,
                            district: r.get(2)?,
                            settlement: r.get(3)?,
                            street: r.get(4)?,
                            house: r.get(5)?,
                            building: r.get(6)?,
                            apartment: r.get(7)?,
                            rka: r.get(8)?,
                        },
                    ))
                })
                .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
                .map_err(sqlite)?;
            let mut stmt = self
                .conn
                .prepare(&format!(
                    "SELECT number, status FROM applications WHERE applicant_id = ?1
                         AND status IN {} ORDER BY created_at DESC",
                    status_list(ApplicationStatus::is_open)
                ))
                .map_err(sqlite)?;
            open_applications = stmt
                .query_map(params![id], |r| Ok((r.get(0)?, r.get(1)?)))
                .and_then(|rows| rows.collect::<Result<Vec<(String, String)>, _>>())
                .map_err(sqlite)?;
        }
        Ok(IinMatches {
            applicant: applicant.map(|(_, a)| a),
            open_applications,
            registered,
        })
    }
}
