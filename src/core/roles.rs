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
            ChangeStatus(_) => true,
            RevokeConsent => true,
            DailySummary | ViewAudit | Override => decides,
            ManageOperators | ReloadRules | Backup => self == Role::Admin,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ApplicationStatus as S;
    use Permission::*;

    /// Every role against every action, on a real database: the table of the issue.
    #[test]
    fn every_role_and_every_action() {
        let actions = [
            Intake,
            Submit,
            Lookup,
            ChangeStatus(S::UnderReview),
            ChangeStatus(S::Withdrawn),
            ChangeStatus(S::Registered),
            ChangeStatus(S::Refused),
            RevokeConsent,
            DailySummary,
            ViewAudit,
            ManageOperators,
            ReloadRules,
            Backup,
            Override,
        ];
        // operator, supervisor, admin: what each may do (in the order above).
        let table: [(Role, [bool; 14]); 3] = [
            (
                Role::Operator,
                [
                    true, true, true, true, true, false, false, true, false, false, false, false,
                    false, false,
                ],
            ),
            (
                Role::Supervisor,
                [
                    true, true, true, true, true, true, true, true, true, true, false, false,
                    false, true,
                ],
            ),
            (Role::Admin, [true; 14]),
        ];
        for (role, allowed) in table {
            for (action, expected) in actions.iter().zip(allowed) {
                assert_eq!(role.allows(*action, false), expected, "{role:?} {action:?}");
                // The same on a training database.
                assert_eq!(
                    role.allows(*action, true),
                    expected,
                    "{role:?} {action:?} training"
                );
            }
        }
        // A trainer: a supervisor on training data, nothing on real data.
        for action in actions {
            assert!(!Role::Trainer.allows(action, false), "{action:?}");
            assert_eq!(
                Role::Trainer.allows(action, true),
                Role::Supervisor.allows(action, true),
                "{action:?}"
            );
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
