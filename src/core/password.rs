//! Operators' passwords, hashed with Argon2id. Parameters: 19 MiB of memory, 2 passes, one
//! lane (the OWASP minimum for Argon2id): about 40 ms on the 2-core build machine, so a stolen
//! file costs an attacker that much per guess and a desk's sign-in stays quick. The PHC string
//! stored carries its parameters, so they can be raised later without locking anyone out.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

/// Memory in KiB, passes, lanes.
pub const MEMORY_KIB: u32 = 19 * 1024;
pub const PASSES: u32 = 2;
pub const LANES: u32 = 1;

/// Shortest password accepted.
pub const MIN_LENGTH: usize = 10;

fn argon2() -> Argon2<'static> {
    let params = Params::new(MEMORY_KIB, PASSES, LANES, None).expect("valid Argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Why a new password is not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordProblem {
    TooShort,
    /// Only one kind of character (all digits, all letters of one case ...).
    TooSimple,
}

impl PasswordProblem {
    pub fn message_key(self) -> &'static str {
        match self {
            PasswordProblem::TooShort => "operator.error.password_short",
            PasswordProblem::TooSimple => "operator.error.password_simple",
        }
    }
}

/// Checks a new password: at least [`MIN_LENGTH`] characters, not all of one kind.
pub fn check_new(password: &str) -> Result<(), PasswordProblem> {
    if password.chars().count() < MIN_LENGTH {
        return Err(PasswordProblem::TooShort);
    }
    let kinds = [
        password.chars().any(|c| c.is_lowercase()),
        password.chars().any(|c| c.is_uppercase()),
        password.chars().any(|c| c.is_numeric()),
        password.chars().any(|c| !c.is_alphanumeric()),
    ];
    if kinds.iter().filter(|k| **k).count() < 2 {
        return Err(PasswordProblem::TooSimple);
    }
    Ok(())
}

/// The PHC string of `password` with a new random salt.
pub fn hash(password: &str) -> String {
    let salt = SaltString::generate(&mut password_hash::rand_core::OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .expect("Argon2id hashing with valid parameters")
}

/// Whether `password` matches the stored PHC string (any damage to it is a mismatch).
pub fn verify(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|parsed| {
            argon2()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash that no password matches, verified against for unknown logins, so that a wrong
/// login takes as long as a wrong password and does not tell which logins exist.
pub fn decoy() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash("decoy: no operator has this password"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_argon2id_with_the_stated_parameters_and_a_fresh_salt() {
        let a = hash("Тұран-2026 көктем");
        assert!(a.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{a}");
        let b = hash("Тұран-2026 көктем");
        assert_ne!(a, b, "a new salt every time");
        assert!(verify("Тұран-2026 көктем", &a));
        assert!(verify("Тұран-2026 көктем", &b));
        assert!(!verify("Тұран-2026 коктем", &a));
        assert!(!verify("", &a));
        assert!(!verify("Тұран-2026 көктем", "not a hash"));
        assert!(!verify("Тұран-2026 көктем", decoy()));
    }

    #[test]
    fn new_passwords_must_be_long_and_mixed() {
        assert_eq!(check_new("Ab1!"), Err(PasswordProblem::TooShort));
        assert_eq!(check_new("1234567890123"), Err(PasswordProblem::TooSimple));
        assert_eq!(check_new("ааааааааааааа"), Err(PasswordProblem::TooSimple));
        assert_eq!(check_new("көктем 2026 жыл"), Ok(()));
    }
}
