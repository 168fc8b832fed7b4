//! Registration types and the life cycle of an application.

use std::fmt;

/// Shortest and longest temporary registration, in months.
pub const TEMPORARY_MONTHS: std::ops::RangeInclusive<u8> = 1..=12;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RegistrationType {
    /// At the place of residence; replaces any earlier permanent registration.
    Permanent,
    /// At a place of stay of more than a month, for 1 to 12 months; the permanent one stays.
    Temporary { months: u8 },
}

impl RegistrationType {
    pub fn temporary(months: u8) -> Option<Self> {
        TEMPORARY_MONTHS
            .contains(&months)
            .then_some(RegistrationType::Temporary { months })
    }

    /// Stable code stored in the database.
    pub fn code(&self) -> &'static str {
        match self {
            RegistrationType::Permanent => "permanent",
            RegistrationType::Temporary { .. } => "temporary",
        }
    }
}

/// Where an application is in its life. Codes are stored in the database: never rename them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApplicationStatus {
    Draft,
    AwaitingConsent,
    Submitted,
    UnderReview,
    Registered,
    Refused,
    Withdrawn,
    /// A temporary registration whose period has ended.
    Expired,
}

/// A status change that the life cycle does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusChangeError {
    pub from: ApplicationStatus,
    pub to: ApplicationStatus,
}

impl fmt::Display for StatusChangeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "an application cannot go from {} to {}",
            self.from.code(),
            self.to.code()
        )
    }
}

impl std::error::Error for StatusChangeError {}

impl ApplicationStatus {
    pub const ALL: [ApplicationStatus; 8] = [
        ApplicationStatus::Draft,
        ApplicationStatus::AwaitingConsent,
        ApplicationStatus::Submitted,
        ApplicationStatus::UnderReview,
        ApplicationStatus::Registered,
        ApplicationStatus::Refused,
        ApplicationStatus::Withdrawn,
        ApplicationStatus::Expired,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ApplicationStatus::Draft => "draft",
            ApplicationStatus::AwaitingConsent => "awaiting_consent",
            ApplicationStatus::Submitted => "submitted",
            ApplicationStatus::UnderReview => "under_review",
            ApplicationStatus::Registered => "registered",
            ApplicationStatus::Refused => "refused",
            ApplicationStatus::Withdrawn => "withdrawn",
            ApplicationStatus::Expired => "expired",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Key of the translated status name.
    pub fn message_key(self) -> &'static str {
        match self {
            ApplicationStatus::Draft => "status.draft",
            ApplicationStatus::AwaitingConsent => "status.awaiting_consent",
            ApplicationStatus::Submitted => "status.submitted",
            ApplicationStatus::UnderReview => "status.under_review",
            ApplicationStatus::Registered => "status.registered",
            ApplicationStatus::Refused => "status.refused",
            ApplicationStatus::Withdrawn => "status.withdrawn",
            ApplicationStatus::Expired => "status.expired",
        }
    }

    /// Not yet decided: the application still needs the applicant's data to be processed
    /// (so the personal-data consent given for it cannot be revoked, Law No. 94-V art. 8).
    pub fn in_process(self) -> bool {
        matches!(
            self,
            ApplicationStatus::Draft
                | ApplicationStatus::AwaitingConsent
                | ApplicationStatus::Submitted
                | ApplicationStatus::UnderReview
        )
    }

    /// Still in progress: neither decided (registered) nor closed.
    pub fn is_open(self) -> bool {
        self != ApplicationStatus::Registered && !self.is_final()
    }

    /// No further change is possible except the expiry of a registration.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            ApplicationStatus::Refused | ApplicationStatus::Withdrawn | ApplicationStatus::Expired
        )
    }

    /// Steps outside the life cycle that a supervisor may take with a written reason: a
    /// refused or withdrawn application reopened for review (an error, a court's decision),
    /// a registration annulled (it was made on false documents).
    pub fn overrides(self) -> Vec<ApplicationStatus> {
        use ApplicationStatus::*;
        match self {
            Refused | Withdrawn => vec![UnderReview],
            Registered => vec![Refused],
            _ => Vec::new(),
        }
    }

    /// The statuses this one may change to, in the order of [`ApplicationStatus::ALL`].
    pub fn next_allowed(self) -> Vec<ApplicationStatus> {
        Self::ALL
            .into_iter()
            .filter(|&to| self.change_to(to).is_ok())
            .collect()
    }

    /// Checks one step of the life cycle:
    /// draft → awaiting consent → submitted → (under review →) registered | refused,
    /// withdrawal from any open state, expiry of a registration.
    pub fn change_to(self, to: ApplicationStatus) -> Result<ApplicationStatus, StatusChangeError> {
        use ApplicationStatus::*;
        let allowed = match (self, to) {
            (Draft, AwaitingConsent | Submitted) => true,
            (AwaitingConsent, Submitted | Draft) => true,
            // A plain case is decided at once; one that needs checking goes under review.
            (Submitted, UnderReview | Registered | Refused) => true,
            (UnderReview, Registered | Refused) => true,
            (Registered, Expired) => true,
            (Draft | AwaitingConsent | Submitted | UnderReview, Withdrawn) => true,
            _ => false,
        };
        if allowed {
            Ok(to)
        } else {
            Err(StatusChangeError { from: self, to })
        }
    }
}

/// The last day of a temporary registration of `months` from `from`.
pub fn registration_end(from: chrono::NaiveDate, months: u32) -> Option<chrono::NaiveDate> {
    from.checked_add_months(chrono::Months::new(months))?
        .pred_opt()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ApplicationStatus::*;

    #[test]
    fn temporary_period_is_one_to_twelve_months() {
        assert_eq!(RegistrationType::temporary(0), None);
        assert_eq!(
            RegistrationType::temporary(1),
            Some(RegistrationType::Temporary { months: 1 })
        );
        assert_eq!(
            RegistrationType::temporary(12).map(|t| t.code()),
            Some("temporary")
        );
        assert_eq!(RegistrationType::temporary(13), None);
    }

    #[test]
    fn codes_round_trip() {
        for s in ApplicationStatus::ALL {
            assert_eq!(ApplicationStatus::from_code(s.code()), Some(s));
        }
        assert_eq!(ApplicationStatus::from_code("approved"), None);
    }

    #[test]
    fn the_happy_path_is_allowed() {
        let path = [AwaitingConsent, Submitted, UnderReview, Registered, Expired];
        let mut status = Draft;
        for next in path {
            status = status.change_to(next).unwrap();
        }
        assert_eq!(status, Expired);
    }

    #[test]
    fn final_states_do_not_move_and_skips_are_refused() {
        for from in [Refused, Withdrawn, Expired] {
            assert!(from.is_final());
            for to in ApplicationStatus::ALL {
                assert!(from.change_to(to).is_err(), "{from:?} -> {to:?}");
            }
        }
        assert_eq!(
            Draft.change_to(Registered),
            Err(StatusChangeError {
                from: Draft,
                to: Registered
            })
        );
        assert!(Registered.change_to(Withdrawn).is_err());
    }

    /// Every pair of statuses, against the table of the life cycle.
    #[test]
    fn every_allowed_and_forbidden_transition() {
        let allowed: &[(ApplicationStatus, &[ApplicationStatus])] = &[
            (Draft, &[AwaitingConsent, Submitted, Withdrawn]),
            (AwaitingConsent, &[Draft, Submitted, Withdrawn]),
            (Submitted, &[UnderReview, Registered, Refused, Withdrawn]),
            (UnderReview, &[Registered, Refused, Withdrawn]),
            (Registered, &[Expired]),
            (Refused, &[]),
            (Withdrawn, &[]),
            (Expired, &[]),
        ];
        for (from, to_list) in allowed {
            for to in ApplicationStatus::ALL {
                assert_eq!(
                    from.change_to(to).is_ok(),
                    to_list.contains(&to),
                    "{from:?} -> {to:?}"
                );
            }
            assert_eq!(&from.next_allowed(), to_list);
            // An override is never a step the life cycle allows anyway.
            for to in from.overrides() {
                assert!(from.change_to(to).is_err(), "{from:?} -> {to:?}");
            }
        }
        assert_eq!(Refused.overrides(), [UnderReview]);
        assert_eq!(Withdrawn.overrides(), [UnderReview]);
        assert_eq!(Registered.overrides(), [Refused]);
        assert!(Submitted.overrides().is_empty() && Expired.overrides().is_empty());
    }
}
