//! Encryption at rest: creating an encrypted database, keeping its key slots in step with the
//! accounts, and converting a plain database in place.
//!
//! The file is SQLCipher 4 (AES-256-CBC pages with an HMAC-SHA512 each, a random salt per
//! file), keyed with a random 256-bit key given raw, so SQLCipher's own passphrase KDF is not
//! used: the key slots beside the file (`store::keyring`) seal that key per operator with
//! Argon2id and XChaCha20-Poly1305.

use std::path::Path;

use rusqlite::{OptionalExtension, params};

use super::keyring::{Keyring, operator_slot, side};
use super::{OpenOptions, OpenReport, Store, StoreError};
use crate::core::key_wrap::DbKey;

/// What [`Store::encrypt_in_place`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Encrypted {
    /// Active accounts that got no slot (their password is not known here): they sign in once
    /// an administrator has reset their password.
    pub without_slot: Vec<String>,
}

impl Store {
    /// Creates the encrypted database `path` (absent or empty) with a new random key, sealed
    /// for each `(slot, secret)`. The key slots are written first: a power cut between the two
    /// leaves slots beside an empty file, which the next start sets up anew.
    pub fn create_encrypted(
        path: &Path,
        options: &OpenOptions,
        slots: &[(String, &str)],
    ) -> Result<(Store, OpenReport), StoreError> {
        match std::fs::metadata(path) {
            Ok(meta) if !meta.is_file() => {
                return Err(StoreError::NotAFile {
                    path: path.to_path_buf(),
                });
            }
            Ok(meta) if meta.len() > 0 => {
                return Err(StoreError::TargetExists {
                    path: path.to_path_buf(),
                });
            }
            _ => {}
        }
        super::prepare_folder(path)?;
        let key = DbKey::random();
        Keyring::create(path, &key, slots)?;
        let opened = Store::open_with(
            path,
            &OpenOptions {
                key: Some(key),
                ..options.clone()
            },
        )?;
        // The slots name the file they belong to, now that it has its salt.
        if let Some(salt) = super::keyring::file_salt(path) {
            Keyring::open(path)?.bind(salt)?;
        }
        Ok(opened)
    }

    /// Seals this database's key for `login` with `password` (a new account, a new password).
    /// A plain database has no slots: nothing to do.
    pub fn seal_for(&self, login: &str, password: &str) -> Result<(), StoreError> {
        let Some(key) = &self.key else {
            return Ok(());
        };
        Keyring::open(&self.path)?.set_slot(&operator_slot(login), password, key)
    }

    /// Seals this database's key for a key file's `text` (one key file slot per database).
    pub fn seal_for_key_file(&self, text: &str) -> Result<(), StoreError> {
        let Some(key) = &self.key else {
            return Ok(());
        };
        Keyring::open(&self.path)?.set_slot(super::FILE_SLOT, text, key)
    }

    /// Removes the slot of `login` (a disabled account can no longer open the file).
    pub fn unseal_for(&self, login: &str) -> Result<(), StoreError> {
        if self.key.is_none() {
            return Ok(());
        }
        Keyring::open(&self.path)?
            .remove_slot(&operator_slot(login))
            .map(|_| ())
    }

    /// The logins that have a key slot (all of them, for a plain database).
    pub fn slot_logins(&self) -> Result<Option<Vec<String>>, StoreError> {
        if self.key.is_none() {
            return Ok(None);
        }
        let names = Keyring::open(&self.path)?.slot_names()?;
        Ok(Some(
            names
                .iter()
                .filter_map(|n| n.strip_prefix("operator:").map(str::to_owned))
                .collect(),
        ))
    }

    /// Audits a command's unlock through `slot` (by the operator whose slot it was), with the
    /// failed attempts before it.
    pub fn audit_unlock(&mut self, slot: &str, command: &str) -> Result<(), StoreError> {
        self.audit_unlock_failures()?;
        let operator: Option<i64> = match slot.strip_prefix("operator:") {
            Some(login) => self
                .conn
                .query_row(
                    "SELECT id FROM operators WHERE login = ?1",
                    params![login],
                    |r| r.get(0),
                )
                .optional()
                .map_err(|e| self.sqlite(e))?,
            None => None,
        };
        let via = if operator.is_some() {
            "operator"
        } else {
            "key_file"
        };
        let details = serde_json::json!({ "via": via, "command": command }).to_string();
        self.append_audit(operator, "unlock", None, &details)?;
        self.actor = operator;
        Ok(())
    }

    /// Writes the failed unlocks kept in the key slots into the audit trail (they could not be
    /// written before the file was open), then forgets them there.
    pub fn audit_unlock_failures(&mut self) -> Result<(), StoreError> {
        if self.key.is_none() {
            return Ok(());
        }
        let mut ring = Keyring::open(&self.path)?;
        let failures = ring.failures()?;
        let Some(last) = failures.last().map(|(id, _)| *id) else {
            return Ok(());
        };
        for (_, failure) in &failures {
            let login = failure
                .slot
                .strip_prefix("operator:")
                .unwrap_or(&failure.slot);
            let details =
                serde_json::json!({ "login": login, "at": failure.at, "via": "key_slots" })
                    .to_string();
            let action = if failure.locked {
                "login.locked"
            } else {
                "login.failed"
            };
            self.append_audit(None, action, None, &details)?;
        }
        ring.forget_failures(last)
    }

    /// Encrypts this database in place with a new key sealed for each `(slot, secret)`: a
    /// plain file is converted, an encrypted one gets a new key (its old slots are dropped).
    /// An encrypted copy is written beside (`.encrypting`) and checked, the new key slots are
    /// staged (`.keys.new`, naming the copy by its salt), the copy is renamed over the file,
    /// then the slots over the old ones. A power cut at any point leaves the old file with its
    /// old slots, or the new file with the new ones (see `keyring::settle`). Nobody else may
    /// have the file open (the caller checked there is no `-wal` beside it). The store comes
    /// back open on the new file, the change audited in it.
    pub fn encrypt_in_place(
        self,
        slots: &[(String, &str)],
        by: Option<i64>,
    ) -> Result<(Store, Encrypted), StoreError> {
        let path = self.path.clone();
        let kind = self.kind;
        let rekey = self.key.is_some();
        let staged = side(&path, ".encrypting");
        let sqlite = |e| StoreError::from_sqlite(&path, e);
        let _ = std::fs::remove_file(&staged);
        let _ = std::fs::remove_file(side(&staged, "-journal"));
        crate::files::create_private_file(&staged).map_err(|e| {
            StoreError::DirectoryNotWritable {
                path: staged.clone(),
                detail: e.to_string(),
            }
        })?;
        let key = DbKey::random();
        let exported = (|| {
            let conn = &self.conn;
            let version = self.schema_version()?;
            conn.execute(
                "ATTACH DATABASE ?1 AS encrypted KEY ?2",
                params![staged.to_string_lossy(), key.pragma_value()],
            )
            .map_err(sqlite)?;
            let copied = conn
                .query_row("SELECT sqlcipher_export('encrypted')", [], |_| Ok(()))
                .and_then(|_| {
                    conn.execute_batch(&format!(
                        "PRAGMA encrypted.user_version = {version};
                         PRAGMA encrypted.application_id = {};",
                        super::APPLICATION_ID
                    ))
                });
            let detached = conn.execute_batch("DETACH DATABASE encrypted");
            copied.and(detached).map_err(sqlite)?;
            crate::platform::sync_file(&staged).map_err(|e| StoreError::DirectoryNotWritable {
                path: staged.clone(),
                detail: e.to_string(),
            })?;
            // The copy must be whole before anything replaces the plain file.
            let copy = super::backup::check_backup(
                &staged,
                &OpenOptions {
                    kind,
                    key: Some(key.clone()),
                    ..OpenOptions::default()
                },
            );
            copy?;
            let users: Vec<String> = {
                let mut statement = conn
                    .prepare("SELECT login FROM operators WHERE active = 1 ORDER BY login")
                    .map_err(sqlite)?;
                statement
                    .query_map([], |r| r.get(0))
                    .and_then(|rows| rows.collect())
                    .map_err(sqlite)?
            };
            Ok(users)
        })();
        let active = match exported {
            Ok(active) => active,
            Err(error) => {
                let _ = std::fs::remove_file(&staged);
                return Err(error);
            }
        };
        let salt = super::keyring::file_salt(&staged);
        if let Err(error) = Keyring::stage(&path, &key, slots, salt) {
            let _ = std::fs::remove_file(&staged);
            return Err(error);
        }
        // The old file's last connection closes (its WAL folded in and removed) before the
        // encrypted copy takes its name.
        drop(self);
        std::fs::rename(&staged, &path).map_err(|e| StoreError::DirectoryNotWritable {
            path: path.clone(),
            detail: e.to_string(),
        })?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            crate::platform::sync_dir(dir);
        }
        Keyring::commit_staged(&path)?;
        let (mut store, _) = Store::open_with(
            &path,
            &OpenOptions {
                kind,
                key: Some(key),
                ..OpenOptions::default()
            },
        )?;
        let sealed: Vec<&str> = slots
            .iter()
            .filter_map(|(name, _)| name.strip_prefix("operator:"))
            .collect();
        let without_slot = active
            .into_iter()
            .filter(|login| !sealed.contains(&login.as_str()))
            .collect();
        let details = serde_json::json!({ "slots": slots.len() }).to_string();
        let action = if rekey {
            "database.rekey"
        } else {
            "database.encrypt"
        };
        store.append_audit(by, action, None, &details)?;
        Ok((store, Encrypted { without_slot }))
    }
}
