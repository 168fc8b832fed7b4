//! Who may do what. Checked here, in the core, by everything that acts (the desk, the store,
//! the command line); the desk also hides what a role cannot do, but hiding is not the check.

use super::ApplicationStatus;

/// An operator's role. Codes are stored in the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Intake, checklist, consents, submission, lookup.
    Operator,
    /// An operator who also decides applications (registered, refused), overrides with a
    /// reason, reads the audit trail and the daily summary.
    Supervisor,
    /// Everything: operators, rule sets, backups, and a supervisor's work.
    Admin,
    /// A supervisor's work, on a training database only.
    Trainer,
}

/// Something an operator asks to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    Intake,
    Submit,
    Lookup,
    /// Moving an application to this status.
    ChangeStatus(ApplicationStatus),
    RevokeConsent,
    DailySummary,
    ViewAudit,
    ManageOperators,
    ReloadRules,
    Backup,
    /// A step outside the life cycle, with a written reason (`ApplicationStatus::overrides`).
    Override,
    /// `regdesk expire`: the expiry run (temporary registrations whose last day has passed).
    Expire,
    /// Putting a backup in place of the database.
    Restore,
    /// Anonymising the applicants past the retention period.
    Retention,
    /// Encrypting, re-keying, making key files.
    ManageKeys,
}

impl Permission {
    /// Every permission, for the tables and the tests that walk them (a status change once
    /// per status).
    pub fn all() -> Vec<Permission> {
        use Permission::*;
        let mut all = vec![Intake, Submit, Lookup];
        all.extend(ApplicationStatus::ALL.into_iter().map(ChangeStatus));
        all.extend([
            RevokeConsent,
            DailySummary,
            ViewAudit,
            ManageOperators,
            ReloadRules,
            Backup,
            Override,
            Expire,
            Restore,
            Retention,
            ManageKeys,
        ]);
        all
    }

    /// The name in an audit row.
    pub fn code(self) -> &'static str {
        use Permission::*;
        match self {
            Intake => "intake",
            Submit => "submit",
            Lookup => "lookup",
            ChangeStatus(_) => "change_status",
            RevokeConsent => "revoke_consent",
            DailySummary => "daily_summary",
            ViewAudit => "view_audit",
            ManageOperators => "manage_operators",
            ReloadRules => "reload_rules",
            Backup => "backup",
            Override => "override",
            Expire => "expire",
            Restore => "restore",
            Retention => "retention",
            ManageKeys => "manage_keys",
        }
    }

    /// The catalog key of what it lets one do, as a refusal names it.
    pub fn message_key(self) -> &'static str {
        use Permission::*;
        match self {
            Intake => "permission.intake",
            Submit => "permission.submit",
            Lookup => "permission.lookup",
            ChangeStatus(_) => "permission.change_status",
            RevokeConsent => "permission.revoke_consent",
            DailySummary => "permission.daily_summary",
            ViewAudit => "permission.view_audit",
            ManageOperators => "permission.manage_operators",
            ReloadRules => "permission.reload_rules",
            Backup => "permission.backup",
            Override => "permission.override",
            Expire => "permission.expire",
            Restore => "permission.restore",
            Retention => "permission.retention",
            ManageKeys => "permission.manage_keys",
        }
    }

    /// The least role that has it (on a real database), as a refusal says who to ask.
    pub fn least_role(self) -> Option<Role> {
        [Role::Operator, Role::Supervisor, Role::Admin]
            .into_iter()
            .find(|role| role.allows(self, false))
    }
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Operator, Role::Supervisor, Role::Admin, Role::Trainer];

    pub fn code(self) -> &'static str {
        match self {
            Role::Operator => "operator",
            Role::Supervisor => "supervisor",
            Role::Admin => "admin",
            Role::Trainer => "trainer",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn message_key(self) -> &'static str {
        match self {
            Role::Operator => "role.operator",
            Role::Supervisor => "role.supervisor",
            Role::Admin => "role.admin",
            Role::Trainer => "role.trainer",
        }
    }

    /// Whether this role may do `what`, on a training database or a real one.
    pub fn allows(self, what: Permission, training: bool) -> bool {
        use Permission::*;
        if self == Role::Trainer && !training {
            return false;
        }
        let decides = matches!(self, Role::Supervisor | Role::Admin | Role::Trainer);
        match what {
            Intake | Submit | Lookup => true,
            // The decision on an application is a supervisor's; the other steps (under
            // review, withdrawn at the applicant's request ...) any operator's.
            ChangeStatus(ApplicationStatus::Registered | ApplicationStatus::Refused) => decides,
            // A registration expires when its last day has passed, by the expiry run only:
            // nobody picks "expired" by hand.
            ChangeStatus(ApplicationStatus::Expired) => false,
            ChangeStatus(_) => true,
            RevokeConsent => true,
            DailySummary | ViewAudit | Override | Expire => decides,
            // A trainer keeps the accounts of their class, on a training database only.
            ManageOperators => self == Role::Admin || (self == Role::Trainer && training),
            ReloadRules | Backup | Restore | Retention | ManageKeys => self == Role::Admin,
        }
    }
}

/// The most characters of a display name ("Серікова А.", "Петрова Елена Викторовна").
pub const MAX_NAME_CHARS: usize = 100;

/// A display name: 1 to [`MAX_NAME_CHARS`] characters once trimmed, none of them a control
/// character or a bidi mark (they would reorder or hide what a paper or a screen says).
pub fn valid_display_name(name: &str) -> bool {
    let name = name.trim();
    let count = name.chars().count();
    (1..=MAX_NAME_CHARS).contains(&count)
        && !name
            .chars()
            .any(|c| c.is_control() || super::person_name::is_bidi_control(c))
}

/// A login: 2 to 32 lower-case Latin letters, digits, dots, hyphens, underscores.
pub fn valid_login(login: &str) -> bool {
    (2..=32).contains(&login.len())
        && login
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ApplicationStatus as S;
    use Permission::*;

    /// The least role for each action (None: nobody, by hand); roles are ranked operator <
    /// supervisor < administrator, and each has what the ones below have.
    fn least(what: Permission) -> Option<Role> {
        match what {
            ChangeStatus(S::Expired) => None,
            ChangeStatus(S::Registered | S::Refused) => Some(Role::Supervisor),
            Intake | Submit | Lookup | RevokeConsent | ChangeStatus(_) => Some(Role::Operator),
            DailySummary | ViewAudit | Override | Expire => Some(Role::Supervisor),
            ManageOperators | ReloadRules | Backup | Restore | Retention | ManageKeys => {
                Some(Role::Admin)
            }
        }
    }

    fn rank(role: Role) -> u8 {
        match role {
            Role::Operator => 0,
            Role::Supervisor => 1,
            Role::Admin => 2,
            Role::Trainer => 9,
        }
    }

    /// Every role against every action, on a real and on a training database.
    #[test]
    fn every_role_and_every_action() {
        for what in Permission::all() {
            for role in [Role::Operator, Role::Supervisor, Role::Admin] {
                let expected = least(what).is_some_and(|l| rank(role) >= rank(l));
                assert_eq!(role.allows(what, false), expected, "{role:?} {what:?}");
                assert_eq!(
                    role.allows(what, true),
                    expected,
                    "{role:?} {what:?} training"
                );
            }
            assert_eq!(what.least_role(), least(what), "{what:?}");
            // A trainer: a supervisor on training data who also keeps the class's accounts;
            // nothing on real data.
            assert!(!Role::Trainer.allows(what, false), "{what:?}");
            assert_eq!(
                Role::Trainer.allows(what, true),
                Role::Supervisor.allows(what, true) || what == ManageOperators,
                "{what:?}"
            );
        }
        // The table covers every status.
        assert_eq!(Permission::all().len(), 14 + ApplicationStatus::ALL.len());
    }

    #[test]
    fn nobody_expires_a_registration_by_hand() {
        for role in Role::ALL {
            assert!(!role.allows(ChangeStatus(S::Expired), true), "{role:?}");
        }
    }

    #[test]
    fn codes_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Some(role));
        }
        assert_eq!(Role::from_code("root"), None);
    }
}
