//! An administrator's changes to the accounts, whole: the account row and its audit, then its
//! key slot (an encrypted file opens with the account's password). The command line and the
//! desk make them through here alike, so the rules and the audit are the same.

use super::operators::AccountProblem;
use super::{Store, StoreError};
use crate::core::password;

pub use crate::records::AccountChange;

/// Why a change was not made.
#[derive(Debug)]
pub enum AccountFailure {
    /// The rules refused it (a login taken, the last administrator ...).
    Refused(AccountProblem),
    /// The new password is too weak.
    Password(password::PasswordProblem),
    /// The account was disabled, but its key slot could not be removed.
    SlotNotRemoved,
    Store(StoreError),
}

impl From<StoreError> for AccountFailure {
    fn from(error: StoreError) -> Self {
        AccountFailure::Store(error)
    }
}

impl AccountFailure {
    /// As a message for the screens.
    pub fn message(&self) -> crate::i18n::Message {
        match self {
            AccountFailure::Refused(problem) => crate::i18n::Message::new(problem.message_key()),
            AccountFailure::Password(problem) => crate::i18n::Message::new(problem.message_key()),
            AccountFailure::SlotNotRemoved => {
                crate::i18n::Message::new("operator.cli.slot_not_removed")
            }
            AccountFailure::Store(error) => error.message(),
        }
    }

    /// In the reader's words.
    pub fn text(&self, tr: &crate::i18n::Tr) -> String {
        self.message().text(tr)
    }
}

impl Store {
    /// Makes `change` as the administrator `by` (none only for a database's first account).
    pub fn change_account(
        &mut self,
        change: &AccountChange,
        by: Option<i64>,
    ) -> Result<(), AccountFailure> {
        match change {
            AccountChange::Add {
                login,
                name,
                role,
                password: text,
            } => {
                password::check_new(text).map_err(AccountFailure::Password)?;
                let hash = password::hash(text);
                self.add_operator(login, name, *role, &hash, by)?
                    .map_err(AccountFailure::Refused)?;
                // The account first, then its slot: a failure between leaves an account
                // whose password an administrator resets, never a slot without an account.
                self.seal_for(login, text)?;
            }
            AccountChange::ResetPassword {
                login,
                password: text,
            } => {
                password::check_new(text).map_err(AccountFailure::Password)?;
                let hash = password::hash(text);
                self.set_password(login, &hash, by)?
                    .map_err(AccountFailure::Refused)?;
                self.seal_for(login, text)?;
            }
            AccountChange::Disable { login } => {
                self.disable_operator(login, by)?
                    .map_err(AccountFailure::Refused)?;
                // A disabled account's password must no longer open the file either.
                self.unseal_for(login)
                    .map_err(|_| AccountFailure::SlotNotRemoved)?;
            }
        }
        Ok(())
    }
}
