//! Who acts on this store, and whether their role lets them: the second check behind the
//! desk's and the command line's (`commands::access`), so a caller that forgets the first
//! still cannot anonymise, back up or restore as the wrong role.
//!
//! The role is read from the database at every check, never taken from the caller: a role
//! changed or an account disabled since sign-in counts at once.

use rusqlite::{OptionalExtension, params};

use super::{AuditEntry, DatabaseKind, Operator, Store, StoreError, timestamp};
use crate::core::{Permission, Role};

/// The account a key file acts as: not a login anyone can type (a login has no `@`), with
/// no password, so it never signs in at a desk. Its role is chosen when the key file is made.
pub const KEY_FILE_LOGIN: &str = "@key-file";

impl Store {
    /// The operator this store acts for: their id goes on audit rows that name nobody else,
    /// and [`Store::require`] checks their role.
    pub fn set_actor(&mut self, operator: Option<i64>) {
        self.actor = operator;
    }

    pub fn actor(&self) -> Option<i64> {
        self.actor
    }

    /// Whether the actor may do `what` here. A training database holds fictional people
    /// only: anything goes. A real database without any account yet (made by a script or a
    /// test, before its first administrator) has nobody to ask.
    pub fn allowed(&self, what: Permission) -> Result<bool, StoreError> {
        if self.kind == DatabaseKind::Training {
            return Ok(true);
        }
        let Some(id) = self.actor else {
            return Ok(!self.has_operators()?);
        };
        let role: Option<String> = self
            .conn
            .query_row(
                "SELECT role FROM operators WHERE id = ?1 AND active = 1",
                params![id],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.sqlite(e))?;
        Ok(role
            .as_deref()
            .and_then(Role::from_code)
            .is_some_and(|role| role.allows(what, false)))
    }

    /// [`Store::allowed`], a refusal audited (`permission.refused`) and returned as
    /// [`StoreError::NotPermitted`].
    pub fn require(&mut self, what: Permission) -> Result<(), StoreError> {
        if self.allowed(what)? {
            return Ok(());
        }
        self.audit_refusal(what, "store")?;
        Err(StoreError::NotPermitted {
            path: self.path.clone(),
            what: what.message_key(),
        })
    }

    /// Audits a refused `what`, by the actor; `via`: who refused it (the desk, a command, the
    /// store).
    pub fn audit_refusal(&mut self, what: Permission, via: &str) -> Result<(), StoreError> {
        let details = serde_json::json!({ "what": what.code(), "via": via }).to_string();
        self.append_audit(None, "permission.refused", None, &details)
            .map(|_| ())
    }

    /// The key file's account, if a key file with a role was made for this database.
    pub fn key_file_account(&self) -> Result<Option<Operator>, StoreError> {
        Ok(self
            .operators()?
            .into_iter()
            .find(|op| op.login == KEY_FILE_LOGIN && op.active))
    }

    /// Gives the key file (made now, replacing any earlier one) its account with `role`,
    /// audited as the administrator `by`'s act.
    pub fn set_key_file_role(&mut self, role: Role, by: Option<i64>) -> Result<i64, StoreError> {
        let now = timestamp(chrono::Utc::now());
        self.write(|tx| {
            tx.execute(
                "INSERT INTO operators(login, display_name, role, password_hash, created_at)
                 VALUES (?1, 'key file', ?2, NULL, ?3)
                 ON CONFLICT(login) DO UPDATE SET role = excluded.role, active = 1",
                params![KEY_FILE_LOGIN, role.code(), now],
            )?;
            let id: i64 = tx.query_row(
                "SELECT id FROM operators WHERE login = ?1",
                params![KEY_FILE_LOGIN],
                |r| r.get(0),
            )?;
            let details = serde_json::json!({ "role": role.code() }).to_string();
            super::audit::append(
                tx,
                &now,
                &AuditEntry {
                    operator: by,
                    action: "key_file.made",
                    entity: Some(("operator", id)),
                    details: &details,
                },
            )?;
            Ok(id)
        })
    }
}
