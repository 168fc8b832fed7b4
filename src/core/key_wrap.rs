//! The database key and its key slots, the way LUKS keeps a disk's key: the database is
//! encrypted with one random 256-bit key, and that key is stored once per operator, sealed
//! with a key derived from the operator's password. Signing in unseals it (one password, not
//! two), an administrator's password reset seals it anew for that operator, and disabling an
//! account removes its slot. A key file for kiosks and scripts is one more slot.
//!
//! Sealing: XChaCha20-Poly1305 (a random 24-byte nonce per seal, so nonces never repeat)
//! under a key from Argon2id with the password parameters of [`super::password`] and a
//! random 16-byte salt per slot. The slot's name is the associated data: a slot copied under
//! another login does not open. Pure: no files, only the OS's randomness.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use password_hash::rand_core::{OsRng, RngCore};

use super::password;

/// The key the database file is encrypted with. Its bytes are wiped when it is dropped, and
/// it never prints.
#[derive(Clone, PartialEq, Eq)]
pub struct DbKey([u8; 32]);

impl DbKey {
    /// A new random key.
    pub fn random() -> DbKey {
        let mut bytes = [0u8; 32];
        OsRng.fill_bytes(&mut bytes);
        DbKey(bytes)
    }

    pub fn from_bytes(bytes: [u8; 32]) -> DbKey {
        DbKey(bytes)
    }

    /// The SQLCipher `PRAGMA key` value of a raw key (`x'…'`, 64 hex digits): used as the
    /// page key as it is, without SQLCipher's own passphrase derivation.
    pub fn pragma_value(&self) -> String {
        let mut text = String::with_capacity(67);
        text.push_str("x'");
        for byte in self.0 {
            text.push_str(&format!("{byte:02x}"));
        }
        text.push('\'');
        text
    }
}

impl Drop for DbKey {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.0);
    }
}

impl std::fmt::Debug for DbKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DbKey(…)")
    }
}

/// The largest Argon2id parameters a slot may name (1 GiB, 16 passes, 8 lanes): far above
/// what regdesk writes, far below what would hang or exhaust a desk.
pub const MAX_MEMORY_KIB: u32 = 1024 * 1024;
pub const MAX_PASSES: u32 = 16;
pub const MAX_LANES: u32 = 8;

/// A sealed copy of the database key, as a slot stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    /// Argon2id memory (KiB), passes, lanes: stored, so they can be raised for new slots
    /// without making old ones unreadable.
    pub memory_kib: u32,
    pub passes: u32,
    pub lanes: u32,
    pub salt: Vec<u8>,
    pub nonce: Vec<u8>,
    /// The key and Poly1305's tag.
    pub sealed: Vec<u8>,
}

/// Argon2id of `secret`: the key that seals a slot.
fn slot_key(
    secret: &str,
    salt: &[u8],
    memory_kib: u32,
    passes: u32,
    lanes: u32,
) -> Option<[u8; 32]> {
    let params = argon2::Params::new(memory_kib, passes, lanes, Some(32)).ok()?;
    let argon2 = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut out = [0u8; 32];
    argon2
        .hash_password_into(secret.as_bytes(), salt, &mut out)
        .ok()?;
    Some(out)
}

/// Seals `key` for the slot `name` with `secret` (a password, or a key file's text).
pub fn seal(key: &DbKey, name: &str, secret: &str) -> Sealed {
    let mut salt = vec![0u8; 16];
    OsRng.fill_bytes(&mut salt);
    let mut nonce = vec![0u8; 24];
    OsRng.fill_bytes(&mut nonce);
    let (memory_kib, passes, lanes) = (password::MEMORY_KIB, password::PASSES, password::LANES);
    let mut kek = slot_key(secret, &salt, memory_kib, passes, lanes)
        .expect("valid Argon2 parameters and a 16-byte salt");
    let cipher = XChaCha20Poly1305::new((&kek).into());
    zeroize::Zeroize::zeroize(&mut kek);
    let sealed = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: &key.0,
                aad: name.as_bytes(),
            },
        )
        .expect("sealing 32 bytes cannot fail");
    Sealed {
        memory_kib,
        passes,
        lanes,
        salt,
        nonce,
        sealed,
    }
}

/// The database key from a slot, or `None` when `secret` is not the one it was sealed with
/// (or the slot was damaged, or moved to another name).
pub fn open(sealed: &Sealed, name: &str, secret: &str) -> Option<DbKey> {
    // A damaged slot must not make Argon2 ask for terabytes or run for hours: parameters
    // beyond any regdesk writes are damage.
    let sane = (8..=MAX_MEMORY_KIB).contains(&sealed.memory_kib)
        && (1..=MAX_PASSES).contains(&sealed.passes)
        && (1..=MAX_LANES).contains(&sealed.lanes);
    if sealed.nonce.len() != 24 || !sane {
        return None;
    }
    let mut kek = slot_key(
        secret,
        &sealed.salt,
        sealed.memory_kib,
        sealed.passes,
        sealed.lanes,
    )?;
    let cipher = XChaCha20Poly1305::new((&kek).into());
    zeroize::Zeroize::zeroize(&mut kek);
    let mut plain = cipher
        .decrypt(
            XNonce::from_slice(&sealed.nonce),
            Payload {
                msg: &sealed.sealed,
                aad: name.as_bytes(),
            },
        )
        .ok()?;
    let key = <[u8; 32]>::try_from(plain.as_slice()).ok().map(DbKey);
    zeroize::Zeroize::zeroize(&mut plain);
    key
}

/// A new key file's text: 32 random bytes as 64 hex digits.
pub fn new_key_file_text() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let text = bytes.iter().map(|b| format!("{b:02x}")).collect();
    zeroize::Zeroize::zeroize(&mut bytes);
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_key_opens_with_its_secret_only() {
        let key = DbKey::random();
        let sealed = seal(&key, "operator:aigerim", "Тест-құпия 2026");
        assert_eq!(
            open(&sealed, "operator:aigerim", "Тест-құпия 2026"),
            Some(key.clone())
        );
        assert_eq!(open(&sealed, "operator:aigerim", "Тест-құпия 2027"), None);
        assert_eq!(open(&sealed, "operator:aigerim", ""), None);
    }

    #[test]
    fn a_slot_moved_to_another_name_does_not_open() {
        let key = DbKey::random();
        let sealed = seal(&key, "operator:aigerim", "Тест-құпия 2026");
        assert_eq!(open(&sealed, "operator:admin", "Тест-құпия 2026"), None);
    }

    #[test]
    fn a_damaged_slot_does_not_open() {
        let key = DbKey::random();
        let good = seal(&key, "file", "secret text 1");
        for i in 0..good.sealed.len() {
            let mut bad = good.clone();
            bad.sealed[i] ^= 1;
            assert_eq!(open(&bad, "file", "secret text 1"), None, "byte {i}");
        }
        let mut bad = good.clone();
        bad.salt[0] ^= 1;
        assert_eq!(open(&bad, "file", "secret text 1"), None);
        let mut bad = good.clone();
        bad.nonce.pop();
        assert_eq!(open(&bad, "file", "secret text 1"), None);
        let mut bad = good;
        bad.memory_kib = 1;
        assert_eq!(open(&bad, "file", "secret text 1"), None);
    }

    #[test]
    fn each_seal_is_new_and_keys_are_random() {
        let key = DbKey::random();
        let a = seal(&key, "file", "same secret");
        let b = seal(&key, "file", "same secret");
        assert_ne!(a.salt, b.salt);
        assert_ne!(a.nonce, b.nonce);
        assert_ne!(a.sealed, b.sealed);
        assert_ne!(DbKey::random(), DbKey::random());
        assert_eq!(a.memory_kib, password::MEMORY_KIB);
    }

    #[test]
    fn parameters_no_desk_could_afford_are_damage_not_an_allocation() {
        let key = DbKey::random();
        let good = seal(&key, "file", "secret text 1");
        for (memory_kib, passes, lanes) in [(u32::MAX, 2, 1), (19456, u32::MAX, 1), (19456, 2, 0)] {
            let bad = Sealed {
                memory_kib,
                passes,
                lanes,
                ..good.clone()
            };
            assert_eq!(open(&bad, "file", "secret text 1"), None);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]
        /// Any slot bytes and any secret: no panic, and only the real secret opens it.
        #[test]
        fn any_slot_and_secret_opens_nothing_and_never_panics(
            memory_kib in 0u32..64,
            passes in 0u32..3,
            lanes in 0u32..3,
            salt in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..40),
            nonce in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..40),
            sealed in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..80),
            secret in ".{0,40}",
        ) {
            let slot = Sealed { memory_kib, passes, lanes, salt, nonce, sealed };
            proptest::prop_assert_eq!(open(&slot, "operator:x", &secret), None);
        }
    }

    #[test]
    fn the_pragma_value_is_a_raw_key_and_debug_hides_it() {
        let key = DbKey::from_bytes([0xab; 32]);
        let value = key.pragma_value();
        assert_eq!(value.len(), 67);
        assert!(value.starts_with("x'abab") && value.ends_with("ab'"));
        assert_eq!(format!("{key:?}"), "DbKey(…)");
        let text = new_key_file_text();
        assert_eq!(text.len(), 64);
        assert!(text.chars().all(|c| c.is_ascii_hexdigit()));
    }
}
