//! The real database at the desk, before and at sign-in. An encrypted file cannot be read
//! before an operator's password opened its key slot, so the desk shows the sign-in first and
//! opens the file with it: one password for both. A first start creates the database
//! encrypted, with its administrator's slot. An older plain file opens before the sign-in, as
//! it did, until an administrator converts it (`regdesk encrypt`).

use std::path::{Path, PathBuf};

use crate::i18n::Message;
use crate::store::{
    Keyring, OpenOptions, OpenReport, Operator, SignIn, Store, StoreError, Unlock, operator_slot,
};
use crate::ui::Msg;
use crate::ui::sign_in::{Mode, SignInRequest};

/// The database as the sign-in finds it.
pub enum Opening {
    /// No file yet (or an empty one): the first administrator creates it, encrypted.
    New(PathBuf),
    /// An encrypted file: an operator's password opens it.
    Encrypted(PathBuf),
    /// A plain file, already open.
    Open(Store, OpenReport),
}

fn options(key: Option<crate::core::key_wrap::DbKey>) -> OpenOptions {
    OpenOptions {
        // The desk runs a checkpointer thread.
        checkpoint_in_background: true,
        key,
        ..OpenOptions::default()
    }
}

impl Opening {
    /// What is at `path`: without writing anything, a file that is not ours is refused here,
    /// before the terminal switches to the desk. A plain file is opened (and migrated). For a
    /// new database its folder is made now (its owner's only), so that one that cannot be is
    /// said before the form, and the log has its place.
    pub fn probe(path: &Path) -> Result<Opening, StoreError> {
        let new = match std::fs::metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => true,
            Ok(meta) => meta.is_file() && meta.len() == 0,
            Err(_) => false,
        };
        if new {
            crate::store::prepare_folder(path)?;
            return Ok(Opening::New(path.to_path_buf()));
        }
        if crate::store::is_encrypted_file(path) {
            // Its key slots must be ours, or it is not a regdesk database at all (their header
            // says so; they are opened by the sign-in).
            Keyring::check(path)?;
            return Ok(Opening::Encrypted(path.to_path_buf()));
        }
        let (store, report) = Store::open_with(path, &options(None))?;
        Ok(Opening::Open(store, report))
    }

    /// The sign-in form this database needs.
    pub fn mode(&self) -> Result<Mode, StoreError> {
        Ok(match self {
            Opening::New(_) => Mode::FirstAdmin,
            Opening::Encrypted(_) => Mode::SignIn,
            Opening::Open(store, _) if store.has_operators()? => Mode::SignIn,
            Opening::Open(..) => Mode::FirstAdmin,
        })
    }

    /// Runs a request of the sign-in form: the open database and who signed in, or `None`
    /// with the reason shown on the form (and the form switched, when another desk made the
    /// first administrator meanwhile).
    pub fn sign_in(
        &mut self,
        replies: &mut Vec<Msg>,
        request: SignInRequest,
    ) -> Option<(Store, OpenReport, Operator)> {
        // Another desk may have created the file since the form was shown.
        if let Opening::New(path) = self
            && std::fs::metadata(&*path).is_ok_and(|m| m.len() > 0)
        {
            match Opening::probe(&path.clone()) {
                Ok(now) => {
                    *self = now;
                    if let Ok(mode) = self.mode() {
                        replies.push(Msg::SignInForm(mode));
                    }
                    replies.push(Msg::SignInRefused(Message::new("operator.error.not_first")));
                }
                Err(error) => {
                    replies.push(Msg::SignInRefused(error.message()));
                }
            }
            return None;
        }
        match self {
            Opening::Open(store, _) => {
                let operator = sign_in_on(store, replies, request)?;
                let Opening::Open(store, report) =
                    std::mem::replace(self, Opening::New(PathBuf::new()))
                else {
                    unreachable!("matched above");
                };
                Some((store, report, operator))
            }
            Opening::New(path) => {
                let SignInRequest::FirstAdmin {
                    login, password, ..
                } = &request
                else {
                    return None;
                };
                let slots = [(operator_slot(login), password.as_str())];
                let (mut store, report) =
                    match Store::create_encrypted(path, &options(None), &slots) {
                        Ok(created) => created,
                        Err(error) => {
                            tracing::error!(kind = error.message_key(), "database not created");
                            replies.push(Msg::SignInRefused(error.message()));
                            return None;
                        }
                    };
                let operator = sign_in_on(&mut store, replies, request)?;
                Some((store, report, operator))
            }
            Opening::Encrypted(path) => {
                let (SignInRequest::SignIn { login, password }
                | SignInRequest::Unlock { login, password }) = &request
                else {
                    return None;
                };
                let unlocked = Keyring::open(path).and_then(|mut ring| {
                    ring.unlock(&operator_slot(login), password, chrono::Utc::now())
                });
                let key = match unlocked {
                    Ok(Unlock::Key(key)) => key,
                    Ok(Unlock::Refused) => {
                        replies.push(Msg::SignInRefused(Message::new("login.refused")));
                        return None;
                    }
                    Ok(Unlock::Locked { until }) => {
                        replies.push(Msg::SignInRefused(locked_message(until)));
                        return None;
                    }
                    Err(error) => {
                        replies.push(Msg::SignInRefused(error.message()));
                        return None;
                    }
                };
                let (mut store, report) = match Store::open_with(path, &options(Some(key))) {
                    Ok(opened) => opened,
                    Err(error) => {
                        tracing::error!(kind = error.message_key(), "database not opened");
                        replies.push(Msg::SignInRefused(error.message()));
                        return None;
                    }
                };
                if let Err(error) = store.audit_unlock_failures() {
                    tracing::error!(kind = error.message_key(), "failed unlocks not audited");
                }
                let operator = sign_in_on(&mut store, replies, request)?;
                Some((store, report, operator))
            }
        }
    }
}

pub use crate::clock::lock_ends;

pub fn locked_message(until: chrono::DateTime<chrono::Utc>) -> Message {
    Message::new("login.locked").arg("until", lock_ends(until))
}

/// Signs in on an open database (creating the first administrator first when asked), and
/// says what became of it in `replies`, for the state: the operator, or why not.
pub fn sign_in_on(
    store: &mut Store,
    replies: &mut Vec<Msg>,
    request: SignInRequest,
) -> Option<Operator> {
    let first = matches!(request, SignInRequest::FirstAdmin { .. });
    let (login, password) = match request {
        SignInRequest::SignIn { login, password } | SignInRequest::Unlock { login, password } => {
            (login, password)
        }
        SignInRequest::FirstAdmin {
            login,
            name,
            password,
        } => {
            let hash = crate::core::password::hash(&password);
            match store.add_operator(&login, &name, crate::core::Role::Admin, &hash, None) {
                Ok(Ok(_)) => (login, password),
                Ok(Err(problem)) => {
                    if problem == crate::store::AccountProblem::NotFirst {
                        // Another desk made the administrator meanwhile: sign in instead.
                        replies.push(Msg::SignInForm(Mode::SignIn));
                    }
                    replies.push(Msg::SignInRefused(Message::new(problem.message_key())));
                    return None;
                }
                Err(error) => {
                    tracing::error!(kind = error.message_key(), "first account not saved");
                    replies.push(Msg::SignInRefused(Message::new("lookup.not_saved")));
                    return None;
                }
            }
        }
    };
    match store.sign_in(&login, &password, chrono::Utc::now()) {
        Ok(SignIn::Welcome(operator))
            if operator.role == crate::core::Role::Trainer
                && store.kind() == crate::store::DatabaseKind::Real =>
        {
            // A trainer works on fictional people only: real records are not theirs to read.
            store.set_actor(Some(operator.id));
            let _ = store.audit_refusal(crate::core::Permission::Lookup, "desk");
            store.set_actor(None);
            replies.push(Msg::SignInRefused(Message::new("sign_in.trainer_real")));
            None
        }
        Ok(SignIn::Welcome(operator)) => {
            tracing::info!(operator = operator.id, "signed in");
            // The store checks the role again on what it is asked to do.
            store.set_actor(Some(operator.id));
            // At least daily, the chain's end goes to the anchor file outside the database.
            let anchors = crate::center::anchor_path(store.path());
            if let Err(error) = store.anchor_daily(&anchors) {
                tracing::warn!(kind = error.message_key(), "audit anchor not written");
            }
            replies.push(Msg::SignedIn(Box::new(operator.clone())));
            if first {
                // The first start made the administrator: say how operators are added.
                replies.push(Msg::Notice(Message::new("accounts.first_admin_next")));
            }
            Some(operator)
        }
        Ok(SignIn::Refused) => {
            replies.push(Msg::SignInRefused(Message::new("login.refused")));
            None
        }
        Ok(SignIn::Locked { until }) => {
            replies.push(Msg::SignInRefused(locked_message(until)));
            None
        }
        Err(error) => {
            tracing::error!(kind = error.message_key(), "sign-in not checked");
            replies.push(Msg::SignInRefused(Message::new("lookup.failed")));
            None
        }
    }
}
