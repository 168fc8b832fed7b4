//! Reading a submitted application back: what the receipt (and its reprint) shows.

use chrono::Utc;
use rusqlite::{OptionalExtension, params};

use crate::core::ApplicationStatus;

use super::{Store, StoreError, SubmittedAddress, timestamp};
pub use crate::records::{StoredApplication, StoredConsent};

/// What the record view reads of an application besides what the receipt shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct RecordExtra {
    pub applicant: i64,
    pub decision_record: Option<String>,
    pub registered_from: Option<String>,
    pub registered_until: Option<String>,
    pub follow_up: Option<String>,
}

impl Store {
    /// The application with this number, or `None` when there is none.
    pub fn application(&self, number: &str) -> Result<Option<StoredApplication>, StoreError> {
        Ok(self
            .application_row(number)?
            .map(|(_, _, application)| application))
    }

    /// The application with its row id and what the record view adds (one read of the row).
    pub(super) fn application_row(
        &self,
        number: &str,
    ) -> Result<Option<(i64, RecordExtra, StoredApplication)>, StoreError> {
        let sqlite = |e| StoreError::from_sqlite(&self.path, e);
        let found = self
            .conn
            .query_row(
                "SELECT a.id, a.number, a.created_at, a.status, p.iin, p.surname, p.given_name,
                        p.patronymic, a.registration_type, a.period_months, a.region, a.district,
                        a.settlement, a.street, a.house, a.building, a.apartment, a.rka,
                        a.representative_name, a.representative_kind, a.applicant_id,
                        a.decision_record, a.registered_from, a.registered_until, a.follow_up,
                        (SELECT o.display_name FROM operators o WHERE o.id = a.created_by)
                 FROM applications a JOIN applicants p ON p.id = a.applicant_id
                 WHERE a.number = ?1",
                params![number],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        RecordExtra {
                            applicant: r.get(20)?,
                            decision_record: r.get(21)?,
                            registered_from: r.get(22)?,
                            registered_until: r.get(23)?,
                            follow_up: r.get(24)?,
                        },
                        StoredApplication {
                            number: r.get(1)?,
                            created_at: r.get(2)?,
                            status: r.get(3)?,
                            // None once anonymised (retention).
                            iin: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
                            surname: r.get(5)?,
                            given_name: r.get(6)?,
                            patronymic: r.get(7)?,
                            registration_type: r.get(8)?,
                            period_months: r.get(9)?,
                            address: SubmittedAddress {
                                region: r.get(10)?,
                                district: r.get(11)?,
                                settlement: r.get(12)?,
                                street: r.get(13)?,
                                house: r.get(14)?,
                                building: r.get(15)?,
                                apartment: r.get(16)?,
                                rka: r.get(17)?,
                            },
                            representative_name: r.get(18)?,
                            representative_kind: r.get(19)?,
                            taken_by: r.get(25)?,
                            documents: Vec::new(),
                            consents: Vec::new(),
                        },
                    ))
                },
            )
            .optional()
            .map_err(sqlite)?;
        let Some((id, extra, mut application)) = found else {
            return Ok(None);
        };
        let mut documents = self
            .conn
            .prepare(
                "SELECT requirement_id, document_type, party, number FROM documents_presented
                 WHERE application_id = ?1 ORDER BY id",
            )
            .map_err(sqlite)?;
        application.documents = documents
            .query_map(params![id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .and_then(|rows| rows.collect())
            .map_err(sqlite)?;
        let mut consents = self
            .conn
            .prepare(
                "SELECT kind, giver_name, giver_role, form, given_at, revoked_at, id, revoke_reason
                 FROM consents
                 WHERE application_id = ?1 ORDER BY id",
            )
            .map_err(sqlite)?;
        application.consents = consents
            .query_map(params![id], |r| {
                Ok(StoredConsent {
                    kind: r.get(0)?,
                    name: r.get(1)?,
                    role: r.get(2)?,
                    form: r.get(3)?,
                    given_at: r.get(4)?,
                    revoked_at: r.get(5)?,
                    id: r.get(6)?,
                    revoke_reason: r.get(7)?,
                })
            })
            .and_then(|rows| rows.collect())
            .map_err(sqlite)?;
        Ok(Some((id, extra, application)))
    }
}

/// What became of a request to revoke a recorded consent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Revocation {
    /// Revoked; `owner`: an owner's, co-owner's or tenant's consent to the registration.
    Revoked { owner: bool },
    /// It had been revoked before: nothing changed.
    AlreadyRevoked,
    /// A personal-data consent while its application is still in process: the law lets the
    /// data be processed for it, so the consent stays (and says so).
    StillNeeded { number: String },
    /// A revocation needs its reason.
    NeedsReason,
    /// No consent with this id.
    NotFound,
}

impl Revocation {
    /// What the operator is told.
    pub fn message(&self) -> crate::i18n::Message {
        use crate::i18n::Message;
        match self {
            Revocation::Revoked { owner: false } => Message::new("consents.revocation.revoked"),
            // What it does and does not do to a registration (assumed: the sources are silent).
            Revocation::Revoked { owner: true } => {
                Message::new("consents.revocation.revoked_owner")
            }
            Revocation::AlreadyRevoked => Message::new("consents.revocation.already"),
            Revocation::StillNeeded { number } => {
                Message::new("consents.revocation.still_needed").arg("number", number)
            }
            Revocation::NeedsReason => Message::new("consents.error.reason"),
            Revocation::NotFound => Message::new("consents.revocation.not_found"),
        }
    }
}

impl Store {
    /// Revokes a recorded consent with its reason, in one transaction with its audit row; the
    /// row keeps who gave it and when, so the history stays whole.
    pub fn revoke_consent(
        &mut self,
        consent_id: i64,
        reason: &str,
    ) -> Result<Revocation, StoreError> {
        self.revoke_consent_by(consent_id, reason, None)
    }

    /// [`Store::revoke_consent`] by the operator `by`, who is recorded with it.
    pub fn revoke_consent_by(
        &mut self,
        consent_id: i64,
        reason: &str,
        by: Option<i64>,
    ) -> Result<Revocation, StoreError> {
        if reason.trim().is_empty() {
            return Ok(Revocation::NeedsReason);
        }
        let now = timestamp(Utc::now());
        self.write(|tx| {
            let found = tx
                .query_row(
                    "SELECT c.kind, c.revoked_at, a.status, a.number FROM consents c
                     JOIN applications a ON a.id = c.application_id WHERE c.id = ?1",
                    params![consent_id],
                    |r| {
                        Ok((
                            r.get::<_, String>(0)?,
                            r.get::<_, Option<String>>(1)?,
                            r.get::<_, String>(2)?,
                            r.get::<_, String>(3)?,
                        ))
                    },
                )
                .optional()?;
            let Some((kind, revoked_at, status, number)) = found else {
                return Ok(Revocation::NotFound);
            };
            if revoked_at.is_some() {
                return Ok(Revocation::AlreadyRevoked);
            }
            let in_process = ApplicationStatus::from_code(&status).is_none_or(|s| s.in_process());
            if kind == "personal_data" && in_process {
                return Ok(Revocation::StillNeeded { number });
            }
            tx.execute(
                "UPDATE consents SET revoked_at = ?1, revoke_reason = ?2, revoked_by = ?4
                 WHERE id = ?3",
                params![now, reason.trim(), consent_id, by],
            )?;
            let details = serde_json::json!({ "consent": consent_id, "kind": kind }).to_string();
            super::audit::append(
                tx,
                &now,
                &super::AuditEntry {
                    operator: by,
                    action: "consent.revoke",
                    entity: Some(("consent", consent_id)),
                    details: &details,
                },
            )?;
            Ok(Revocation::Revoked {
                owner: kind != "personal_data",
            })
        })
    }
}
