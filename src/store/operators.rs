//! Operator accounts: adding, listing, disabling, new passwords, and signing in with its
//! lockout. Passwords are checked with `core::password` (Argon2id); what is stored is the
//! PHC string. Every change and every sign-in, failed or not, is audited.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use crate::core::{Role, password};

use super::{AuditEntry, Store, StoreError, audit, timestamp};

use crate::core::lockout::{Attempt, Lockout};
pub use crate::core::lockout::{FREE_ATTEMPTS, lock_for};
pub use crate::core::roles::valid_login;
pub use crate::records::Operator;

/// What became of a sign-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignIn {
    Welcome(Operator),
    /// Wrong login or password (the two are not told apart).
    Refused,
    /// Too many failures: try again after this time.
    Locked {
        until: DateTime<Utc>,
    },
}

/// Why an account change was not made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountProblem {
    LoginTaken,
    BadLogin,
    NoSuchLogin,
    /// The last active administrator cannot be disabled (nobody could manage operators).
    LastAdmin,
    /// The first account of a database must be an administrator.
    FirstMustBeAdmin,
    /// The first account of a training database must be its trainer (or an administrator).
    FirstMustBeTrainer,
    /// Only the first account is made without an administrator (another desk made it first).
    NotFirst,
    /// The name shown on screen and on papers is empty, too long, or holds characters that
    /// could fake or hide what a line says (tabs, line breaks, escapes, direction marks).
    BadName,
}

impl AccountProblem {
    pub fn message_key(self) -> &'static str {
        match self {
            AccountProblem::LoginTaken => "operator.error.login_taken",
            AccountProblem::BadLogin => "operator.error.bad_login",
            AccountProblem::NoSuchLogin => "operator.error.no_such_login",
            AccountProblem::LastAdmin => "operator.error.last_admin",
            AccountProblem::FirstMustBeAdmin => "operator.error.first_admin",
            AccountProblem::FirstMustBeTrainer => "operator.error.first_trainer",
            AccountProblem::NotFirst => "operator.error.not_first",
            AccountProblem::BadName => "operator.error.bad_name",
        }
    }
}

pub use crate::core::roles::valid_display_name;

/// The id and role code of the account with this login.
fn account_of(
    tx: &rusqlite::Transaction<'_>,
    login: &str,
) -> rusqlite::Result<Option<(i64, String)>> {
    tx.query_row(
        "SELECT id, role FROM operators WHERE login = ?1",
        params![login],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()
}

fn operator(r: &rusqlite::Row<'_>) -> rusqlite::Result<Operator> {
    let role: String = r.get(3)?;
    Ok(Operator {
        id: r.get(0)?,
        login: r.get(1)?,
        display_name: r.get(2)?,
        role: Role::from_code(&role).unwrap_or(Role::Operator),
        active: r.get(4)?,
    })
}

impl Store {
    /// Every account, active or not, by login.
    pub fn operators(&self) -> Result<Vec<Operator>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, login, display_name, role, active FROM operators ORDER BY login")
            .map_err(|e| self.sqlite(e))?;
        stmt.query_map([], operator)
            .and_then(|rows| rows.collect())
            .map_err(|e| self.sqlite(e))
    }

    /// Whether any account exists (a new database has none until its first administrator).
    pub fn has_operators(&self) -> Result<bool, StoreError> {
        self.conn
            .query_row("SELECT count(*) > 0 FROM operators", [], |r| r.get(0))
            .map_err(|e| self.sqlite(e))
    }

    /// Whether anyone can sign in: an active account with a password. A training database
    /// holds the seeded and demo staff, who have none; a class's trainer and trainees do.
    pub fn has_accounts(&self) -> Result<bool, StoreError> {
        self.conn
            .query_row(
                "SELECT count(*) > 0 FROM operators
                 WHERE password_hash IS NOT NULL AND active = 1",
                [],
                |r| r.get(0),
            )
            .map_err(|e| self.sqlite(e))
    }

    /// Adds an account with the password's PHC string. `by`: the administrator (none only for
    /// the first account, which must be an administrator).
    pub fn add_operator(
        &mut self,
        login: &str,
        name: &str,
        role: Role,
        password_hash: &str,
        by: Option<i64>,
    ) -> Result<Result<Operator, AccountProblem>, StoreError> {
        if !valid_login(login) {
            return Ok(Err(AccountProblem::BadLogin));
        }
        if !valid_display_name(name) {
            return Ok(Err(AccountProblem::BadName));
        }
        let now = timestamp(Utc::now());
        let training = self.kind() == super::DatabaseKind::Training;
        self.write(|tx| {
            // On a training database the seeded staff (no password) are no accounts: the
            // first one that can sign in is the class's trainer.
            let count: i64 = tx.query_row(
                if training {
                    "SELECT count(*) FROM operators WHERE password_hash IS NOT NULL"
                } else {
                    "SELECT count(*) FROM operators"
                },
                [],
                |r| r.get(0),
            )?;
            if count == 0 && training && !matches!(role, Role::Trainer | Role::Admin) {
                return Ok(Err(AccountProblem::FirstMustBeTrainer));
            }
            if count == 0 && !training && role != Role::Admin {
                return Ok(Err(AccountProblem::FirstMustBeAdmin));
            }
            if count > 0 && by.is_none() {
                return Ok(Err(AccountProblem::NotFirst));
            }
            let taken: bool = tx.query_row(
                "SELECT count(*) > 0 FROM operators WHERE login = ?1",
                params![login],
                |r| r.get(0),
            )?;
            if taken {
                return Ok(Err(AccountProblem::LoginTaken));
            }
            tx.execute(
                "INSERT INTO operators(login, display_name, role, password_hash, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![login, name.trim(), role.code(), password_hash, now],
            )?;
            let id = tx.last_insert_rowid();
            let details = serde_json::json!({ "login": login, "role": role.code() }).to_string();
            audit::append(
                tx,
                &now,
                &AuditEntry {
                    operator: by,
                    action: "operator.add",
                    entity: Some(("operator", id)),
                    details: &details,
                },
            )?;
            Ok(Ok(Operator {
                id,
                login: login.to_owned(),
                display_name: name.trim().to_owned(),
                role,
                active: true,
            }))
        })
    }

    /// A new password for an account (and its lockout lifted).
    pub fn set_password(
        &mut self,
        login: &str,
        password_hash: &str,
        by: Option<i64>,
    ) -> Result<Result<(), AccountProblem>, StoreError> {
        let now = timestamp(Utc::now());
        self.write(|tx| {
            let Some(id) = tx
                .query_row(
                    "SELECT id FROM operators WHERE login = ?1",
                    params![login],
                    |r| r.get::<_, i64>(0),
                )
                .optional()?
            else {
                return Ok(Err(AccountProblem::NoSuchLogin));
            };
            tx.execute(
                "UPDATE operators SET password_hash = ?1, failed_logins = 0, locked_until = NULL
                 WHERE id = ?2",
                params![password_hash, id],
            )?;
            audit::append(
                tx,
                &now,
                &AuditEntry {
                    operator: by,
                    action: "operator.password",
                    entity: Some(("operator", id)),
                    details: "{}",
                },
            )?;
            Ok(Ok(()))
        })
    }

    /// Disables an account; never the last active administrator.
    pub fn disable_operator(
        &mut self,
        login: &str,
        by: Option<i64>,
    ) -> Result<Result<(), AccountProblem>, StoreError> {
        let now = timestamp(Utc::now());
        self.write(|tx| {
            let Some((id, role)) = account_of(tx, login)? else {
                return Ok(Err(AccountProblem::NoSuchLogin));
            };
            // A key file's account is no administrator who could sign in and manage accounts.
            let admins: i64 = tx.query_row(
                "SELECT count(*) FROM operators WHERE role = 'admin' AND active = 1 AND id != ?1
                 AND login != ?2",
                params![id, super::KEY_FILE_LOGIN],
                |r| r.get(0),
            )?;
            if role == "admin" && admins == 0 {
                return Ok(Err(AccountProblem::LastAdmin));
            }
            tx.execute("UPDATE operators SET active = 0 WHERE id = ?1", params![id])?;
            audit::append(
                tx,
                &now,
                &AuditEntry {
                    operator: by,
                    action: "operator.disable",
                    entity: Some(("operator", id)),
                    details: "{}",
                },
            )?;
            Ok(Ok(()))
        })
    }

    /// Checks a login and password at `now`: the account must be active and not locked; a
    /// failure counts towards the lockout, a success clears it. Audited either way (the login
    /// tried, never the password).
    pub fn sign_in(
        &mut self,
        login: &str,
        password_text: &str,
        now: DateTime<Utc>,
    ) -> Result<SignIn, StoreError> {
        let found = self
            .conn
            .query_row(
                "SELECT id, login, display_name, role, active, password_hash, failed_logins,
                        locked_until FROM operators WHERE login = ?1",
                params![login],
                |r| {
                    Ok((
                        operator(r)?,
                        r.get::<_, Option<String>>(5)?,
                        r.get::<_, i64>(6)?,
                        r.get::<_, Option<String>>(7)?,
                    ))
                },
            )
            .optional()
            .map_err(|e| self.sqlite(e))?;
        let Some((account, hash, failures, locked_until)) = found else {
            return self.unknown_login(login, password_text, now);
        };
        let state = Lockout::stored(failures, locked_until.as_deref());
        if let Attempt::Locked(until) = state.attempt(now) {
            self.audit_sign_in(Some(account.id), "login.locked", login)?;
            return Ok(SignIn::Locked { until });
        }
        let matches = hash
            .as_deref()
            .is_some_and(|h| password::verify(password_text, h));
        let next = if matches && account.active {
            Lockout::cleared()
        } else {
            state.failed(now)
        };
        let id = account.id;
        self.write(|tx| {
            tx.execute(
                "UPDATE operators SET failed_logins = ?1, locked_until = ?2 WHERE id = ?3",
                params![next.failures, next.until.map(timestamp), id],
            )?;
            Ok(())
        })?;
        if matches && account.active {
            self.audit_sign_in(Some(account.id), "login.ok", login)?;
            return Ok(SignIn::Welcome(account));
        }
        self.audit_sign_in(Some(account.id), "login.failed", login)?;
        Ok(match next.until {
            Some(until) => SignIn::Locked { until },
            None => SignIn::Refused,
        })
    }

    /// A login that exists nowhere: as slow as a real check, and locked out after as many
    /// failures as a real one, so the answers never tell which logins are real. What was
    /// typed is not recorded (it may be a password typed into the wrong field): its tag is.
    fn unknown_login(
        &mut self,
        login: &str,
        password_text: &str,
        now: DateTime<Utc>,
    ) -> Result<SignIn, StoreError> {
        let tag = crate::core::lockout::unknown_login_tag(login);
        let stored: Option<(i64, Option<String>)> = self
            .conn
            .query_row(
                "SELECT failures, locked_until FROM unknown_logins WHERE tag = ?1",
                params![tag],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| self.sqlite(e))?;
        let state = stored.map_or_else(Lockout::default, |(failures, until)| {
            Lockout::stored(failures, until.as_deref())
        });
        if let Attempt::Locked(until) = state.attempt(now) {
            self.audit_sign_in(None, "login.locked", "(unknown)")?;
            return Ok(SignIn::Locked { until });
        }
        let _ = password::verify(password_text, password::decoy());
        let next = state.failed(now);
        self.write(|tx| {
            tx.execute(
                "INSERT INTO unknown_logins(tag, failures, locked_until) VALUES (?1, ?2, ?3)
                 ON CONFLICT(tag) DO UPDATE SET failures = excluded.failures,
                    locked_until = excluded.locked_until",
                params![tag, next.failures, next.until.map(timestamp)],
            )?;
            Ok(())
        })?;
        self.audit_sign_in(None, "login.failed", "(unknown)")?;
        Ok(match next.until {
            Some(until) => SignIn::Locked { until },
            None => SignIn::Refused,
        })
    }

    fn audit_sign_in(
        &mut self,
        id: Option<i64>,
        action: &str,
        login: &str,
    ) -> Result<(), StoreError> {
        let details = serde_json::json!({ "login": login }).to_string();
        self.audit(&AuditEntry {
            operator: id,
            action,
            entity: id.map(|id| ("operator", id)),
            details: &details,
        })
        .map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::roles::MAX_NAME_CHARS;
    use proptest::prelude::*;

    #[test]
    fn display_names() {
        assert!(valid_display_name("Серікова А."));
        assert!(valid_display_name(&"Ә".repeat(MAX_NAME_CHARS)));
        for bad in [
            "",
            "   ",
            "А\tБ",
            "А\nБ",
            "А\u{1b}[2J",
            "А\u{202e}Б",
            "А\u{2066}Б",
        ] {
            assert!(!valid_display_name(bad), "{bad:?}");
        }
        assert!(!valid_display_name(&"Ә".repeat(MAX_NAME_CHARS + 1)));
    }

    proptest! {
        /// Any text: a name that passes has, once trimmed as it is stored, no control or bidi
        /// character, and fits.
        #[test]
        fn a_valid_name_is_plain_text(name in "\\PC{0,120}|.{0,20}") {
            if valid_display_name(&name) {
                let stored = name.trim();
                prop_assert!(!stored.chars().any(|c| c.is_control() || crate::i18n::is_bidi_control(c)));
                prop_assert!(name.trim().chars().count() <= MAX_NAME_CHARS);
            }
        }
    }
}
