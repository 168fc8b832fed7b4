//! The sign-in lockout: one state machine for every place a password is tried (an account in
//! the database, a key slot beside it) and for logins that exist nowhere, so that a wrong
//! password and an unknown login are answered alike and no one can find out which logins
//! are real by counting failures.
//!
//! Five failures in a row are free; the fifth locks for 30 s, and each further failure
//! doubles the lock, up to an hour. A success clears it. An attempt while locked is not tried
//! (and does not count).

use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};

/// Failed attempts in a row before the lock.
pub const FREE_ATTEMPTS: i64 = 5;
/// The first lock; each further failure doubles it, up to [`MAX_LOCK_SECONDS`].
pub const FIRST_LOCK_SECONDS: i64 = 30;
pub const MAX_LOCK_SECONDS: i64 = 3600;

/// How long a failure locks after `failures` in a row (zero: not yet).
pub fn lock_for(failures: i64) -> Duration {
    if failures < FREE_ATTEMPTS {
        return Duration::zero();
    }
    let doublings = (failures - FREE_ATTEMPTS).min(10) as u32;
    Duration::seconds((FIRST_LOCK_SECONDS << doublings).min(MAX_LOCK_SECONDS))
}

/// The lockout of one login (or slot): failures in a row and the lock they earned.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Lockout {
    pub failures: i64,
    pub until: Option<DateTime<Utc>>,
}

/// What an attempt may do now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    /// Try the password.
    Try,
    /// Locked: not tried, answered with the time the lock ends.
    Locked(DateTime<Utc>),
}

impl Lockout {
    /// As stored: the count and the lock's end as an RFC 3339 timestamp (an unreadable one
    /// counts as no lock; the count still does).
    pub fn stored(failures: i64, until: Option<&str>) -> Lockout {
        let until = until
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            .map(|t| t.with_timezone(&Utc));
        Lockout {
            failures: failures.max(0),
            until,
        }
    }

    /// Whether a password may be tried at `now`.
    pub fn attempt(&self, now: DateTime<Utc>) -> Attempt {
        match self.until {
            Some(until) if until > now => Attempt::Locked(until),
            _ => Attempt::Try,
        }
    }

    /// After a wrong password at `now`: one more failure, and the lock it earns (if any).
    pub fn failed(self, now: DateTime<Utc>) -> Lockout {
        let failures = self.failures.saturating_add(1);
        let lock = lock_for(failures);
        Lockout {
            failures,
            until: (lock > Duration::zero()).then(|| now + lock),
        }
    }

    /// After a right password: nothing held against the login.
    pub fn cleared() -> Lockout {
        Lockout::default()
    }
}

/// A short tag standing for a login that exists nowhere, so its failures can be counted
/// without keeping what was typed (it may be a password typed into the login field): 32
/// bits of a SHA-256, which many texts share, so the tag does not give the text back.
pub fn unknown_login_tag(login: &str) -> String {
    let digest = Sha256::digest(format!("regdesk unknown login\0{login}").as_bytes());
    digest[..4].iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + seconds, 0).unwrap()
    }

    #[test]
    fn five_free_then_doubling_up_to_an_hour() {
        let mut state = Lockout::default();
        for _ in 0..FREE_ATTEMPTS - 1 {
            state = state.failed(at(0));
            assert_eq!(state.attempt(at(0)), Attempt::Try);
        }
        state = state.failed(at(0));
        assert_eq!(state.attempt(at(0)), Attempt::Locked(at(30)));
        assert_eq!(state.attempt(at(30)), Attempt::Try, "the lock has ended");
        state = state.failed(at(30));
        assert_eq!(state.until, Some(at(90)), "doubled: 60 s");
        assert_eq!(lock_for(4), Duration::zero());
        assert_eq!(lock_for(30), Duration::seconds(MAX_LOCK_SECONDS));
        assert_eq!(Lockout::cleared().attempt(at(0)), Attempt::Try);
    }

    #[test]
    fn stored_states_read_back() {
        let state = Lockout::default().failed(at(0));
        let text = state.until.map(|t| t.to_rfc3339());
        assert_eq!(Lockout::stored(state.failures, text.as_deref()), state);
        assert_eq!(
            Lockout::stored(7, Some("not a time")),
            Lockout {
                failures: 7,
                until: None
            }
        );
    }

    #[test]
    fn unknown_logins_are_tagged_not_kept() {
        let tag = unknown_login_tag("мой пароль 2026");
        assert_eq!(tag.len(), 8);
        assert_eq!(tag, unknown_login_tag("мой пароль 2026"));
        assert_ne!(tag, unknown_login_tag("bob"));
        assert!(!tag.contains("пароль"));
    }

    proptest! {
        /// Any run of failures: the lock never shrinks, never passes an hour, and never
        /// comes before the free attempts are used.
        #[test]
        fn the_lock_grows_within_its_bounds(n in 0i64..200) {
            let mut state = Lockout::default();
            let mut last = Duration::zero();
            for _ in 0..n {
                state = state.failed(at(0));
                let lock = state.until.map_or(Duration::zero(), |u| u - at(0));
                prop_assert!(lock >= last);
                prop_assert!(lock <= Duration::seconds(MAX_LOCK_SECONDS));
                prop_assert_eq!(lock > Duration::zero(), state.failures >= FREE_ATTEMPTS);
                last = lock;
            }
        }
    }
}
