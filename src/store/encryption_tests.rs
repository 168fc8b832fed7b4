//! Encryption at rest: the file and its WAL hold nothing readable, it does not open without
//! its key, the key slots open with their password only (with the lockout), and a plain
//! database converts in place.

use super::tests::{a_submission, temp_db};
use super::*;

const PASSWORD: &str = "Тест-құпия 2026";

/// The bytes of the database and of every side file beside it.
fn raw_bytes(path: &Path) -> Vec<u8> {
    let mut bytes = Vec::new();
    for suffix in ["", "-wal", "-shm", ".keys"] {
        if let Ok(more) = std::fs::read(keyring::side(path, suffix)) {
            bytes.extend(more);
        }
    }
    bytes
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// What a test applicant leaves readable: the surname, the IIN, the street.
fn readable_personal_data(path: &Path) -> Vec<&'static str> {
    let bytes = raw_bytes(path);
    ["Серікова", "850714412305", "Абая", "Ахметова"]
        .into_iter()
        .filter(|needle| contains(&bytes, needle))
        .collect()
}

fn new_encrypted(path: &Path) -> Store {
    let slots = [(operator_slot("admin"), PASSWORD)];
    Store::create_encrypted(path, &OpenOptions::default(), &slots)
        .unwrap()
        .0
}

fn unlock(path: &Path, password: &str) -> Unlock {
    Keyring::open(path)
        .unwrap()
        .unlock(&operator_slot("admin"), password, Utc::now())
        .unwrap()
}

fn key_of(path: &Path) -> DbKey {
    match unlock(path, PASSWORD) {
        Unlock::Key(key) => key,
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_encrypted_database_keeps_no_personal_data_readable_in_its_files() {
    let (_dir, path) = temp_db();
    let mut store = new_encrypted(&path);
    assert!(store.is_encrypted());
    let draft = store
        .save_draft(None, "intake", r#"{"surname":"Серікова"}"#, None)
        .unwrap();
    store.submit(&a_submission(draft)).unwrap();
    // Still in the WAL, and then folded into the file: neither holds a readable byte of it.
    assert_eq!(readable_personal_data(&path), Vec::<&str>::new());
    drop(store);
    assert!(!keyring::side(&path, "-wal").exists());
    assert_eq!(readable_personal_data(&path), Vec::<&str>::new());
    let head = std::fs::read(&path).unwrap();
    assert_ne!(
        &head[..16],
        SQLITE_MAGIC,
        "an encrypted file has no plain header"
    );
    // The same test on a plain file finds them: the needles are right.
    let (_plain_dir, plain) = temp_db();
    let (mut store, _) = Store::open(&plain).unwrap();
    let draft = store.save_draft(None, "intake", "{}", None).unwrap();
    store.submit(&a_submission(draft)).unwrap();
    drop(store);
    assert_eq!(readable_personal_data(&plain).len(), 4);
}

#[test]
fn an_encrypted_database_opens_with_its_key_only_and_says_why_not() {
    let (_dir, path) = temp_db();
    let mut store = new_encrypted(&path);
    let draft = store.save_draft(None, "intake", "{}", None).unwrap();
    let number = store.submit(&a_submission(draft)).unwrap().number;
    drop(store);
    let before = std::fs::read(&path).unwrap();
    assert!(matches!(
        Store::open(&path),
        Err(StoreError::NeedsKey { .. })
    ));
    let wrong = OpenOptions {
        key: Some(DbKey::random()),
        ..OpenOptions::default()
    };
    assert!(matches!(
        Store::open_with(&path, &wrong),
        Err(StoreError::WrongKey { .. })
    ));
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "refused opens write nothing"
    );
    assert!(!keyring::side(&path, "-wal").exists());
    let right = OpenOptions {
        key: Some(key_of(&path)),
        ..OpenOptions::default()
    };
    let (store, report) = Store::open_with(&path, &right).unwrap();
    assert!(!report.created);
    assert!(store.application(&number).unwrap().is_some());
    // The reader and checkpointer connections get the key too.
    assert!(
        store
            .open_reader()
            .unwrap()
            .application(&number)
            .unwrap()
            .is_some()
    );
    assert!(store.open_checkpointer().is_ok());
    // Without its key slots an encrypted file is not told from a foreign one.
    drop(store);
    std::fs::rename(keyring_path(&path), keyring::side(&path, ".moved")).unwrap();
    assert!(matches!(
        Store::open(&path),
        Err(StoreError::NotRegdesk { .. })
    ));
    // Damaged slots are said as such, naming the database, and left as they were.
    std::fs::write(keyring_path(&path), b"garbage").unwrap();
    assert!(matches!(
        Keyring::open(&path),
        Err(StoreError::NoKeySlots { .. })
    ));
    assert_eq!(std::fs::read(keyring_path(&path)).unwrap(), b"garbage");
}

/// A login with a slot and one without answer alike at the key slots, attempt by attempt.
#[test]
fn a_missing_slot_locks_out_exactly_as_a_real_one() {
    let (_dir, path) = temp_db();
    drop(new_encrypted(&path));
    let mut ring = Keyring::open(&path).unwrap();
    let now = Utc::now();
    let mut answers = |slot: &str| -> Vec<Option<chrono::Duration>> {
        (0..FREE_ATTEMPTS + 2)
            .map(
                |_| match ring.unlock(slot, "wrong password 1", now).unwrap() {
                    Unlock::Refused => None,
                    Unlock::Locked { until } => Some(until - now),
                    Unlock::Key(_) => panic!("a wrong password opened {slot}"),
                },
            )
            .collect()
    };
    let real = answers(&operator_slot("admin"));
    let unknown = answers(&operator_slot("nobody"));
    assert_eq!(real, unknown);
    assert!(real.last().unwrap().is_some());
}

#[test]
fn a_slot_opens_with_its_password_and_locks_after_repeated_failures() {
    let (_dir, path) = temp_db();
    drop(new_encrypted(&path));
    let mut ring = Keyring::open(&path).unwrap();
    let now = Utc::now();
    let slot = operator_slot("admin");
    for _ in 0..FREE_ATTEMPTS - 1 {
        assert_eq!(
            ring.unlock(&slot, "wrong password 1", now).unwrap(),
            Unlock::Refused
        );
    }
    let Unlock::Locked { until } = ring.unlock(&slot, "wrong password 1", now).unwrap() else {
        panic!("the fifth failure locks");
    };
    assert_eq!(until - now, lock_for(FREE_ATTEMPTS));
    // Locked: even the right password waits; after the delay it opens and clears the count.
    assert!(matches!(
        ring.unlock(&slot, PASSWORD, now).unwrap(),
        Unlock::Locked { .. }
    ));
    let later = until + chrono::Duration::seconds(1);
    assert!(matches!(
        ring.unlock(&slot, PASSWORD, later).unwrap(),
        Unlock::Key(_)
    ));
    assert_eq!(
        ring.unlock(&slot, "wrong password 1", later).unwrap(),
        Unlock::Refused
    );
    // An unknown login is refused like a wrong password, and its text is not kept.
    assert_eq!(
        ring.unlock(&operator_slot("nobody"), PASSWORD, later)
            .unwrap(),
        Unlock::Refused
    );
    let failures = ring.failures().unwrap();
    assert_eq!(failures.len(), FREE_ATTEMPTS as usize + 3);
    assert!(failures.iter().all(|(_, f)| !f.slot.contains("nobody")));
    // Opening the database writes them into its audit trail, once.
    let options = OpenOptions {
        key: Some(key_of(&path)),
        ..OpenOptions::default()
    };
    let (mut store, _) = Store::open_with(&path, &options).unwrap();
    store.audit_unlock_failures().unwrap();
    store.audit_unlock_failures().unwrap();
    let rows = store.audit_rows(&AuditFilter::default(), 100).unwrap();
    let failed = rows.iter().filter(|r| r.action == "login.failed").count();
    let locked = rows.iter().filter(|r| r.action == "login.locked").count();
    assert_eq!((failed, locked), (FREE_ATTEMPTS as usize + 2, 1));
    assert!(
        rows.iter()
            .all(|r| !r.details.as_deref().unwrap_or("").contains(PASSWORD))
    );
}

#[test]
fn a_new_password_reseals_the_slot_and_a_disabled_account_loses_it() {
    let (_dir, path) = temp_db();
    let store = new_encrypted(&path);
    store.seal_for("admin", "Новый-пароль 1").unwrap();
    store.seal_for("aigerim", "Другой-пароль 2").unwrap();
    assert_eq!(unlock(&path, PASSWORD), Unlock::Refused);
    assert!(matches!(unlock(&path, "Новый-пароль 1"), Unlock::Key(_)));
    assert_eq!(
        store.slot_logins().unwrap(),
        Some(vec!["admin".to_owned(), "aigerim".to_owned()])
    );
    store.unseal_for("aigerim").unwrap();
    assert_eq!(store.slot_logins().unwrap(), Some(vec!["admin".to_owned()]));
    // A plain database has no slots, and sealing there does nothing.
    let (_plain_dir, plain) = temp_db();
    let (plain_store, _) = Store::open(&plain).unwrap();
    plain_store.seal_for("admin", PASSWORD).unwrap();
    assert_eq!(plain_store.slot_logins().unwrap(), None);
    assert!(!keyring_path(&plain).exists());
}

#[test]
fn a_plain_database_is_encrypted_in_place_whole() {
    let (_dir, path) = temp_db();
    let (mut store, _) = Store::open(&path).unwrap();
    let hash = crate::core::password::hash(PASSWORD);
    let admin = store
        .add_operator("admin", "Админ", crate::core::Role::Admin, &hash, None)
        .unwrap()
        .unwrap();
    let draft = store.save_draft(None, "intake", "{}", None).unwrap();
    let number = store.submit(&a_submission(draft)).unwrap().number;
    let anchor = match store.verify_audit(None).unwrap() {
        AuditVerdict::Intact { last, .. } => last,
        other => panic!("{other:?}"),
    };
    let slots = [(operator_slot("admin"), PASSWORD)];
    let (store, report) = store.encrypt_in_place(&slots, Some(admin.id)).unwrap();
    assert!(report.without_slot.is_empty());
    assert!(store.is_encrypted());
    assert!(store.application(&number).unwrap().is_some());
    // The chain goes on from the same rows (the anchor noted before is still in it).
    assert!(matches!(
        store
            .verify_audit(anchor.as_ref().map(|(_, h)| h.as_str()))
            .unwrap(),
        AuditVerdict::Intact { .. }
    ));
    // Still append-only.
    assert!(store.conn.execute("DELETE FROM audit_log", []).is_err());
    drop(store);
    assert_eq!(readable_personal_data(&path), Vec::<&str>::new());
    assert!(!keyring::side(&path, ".encrypting").exists());
    assert!(matches!(
        Store::open(&path),
        Err(StoreError::NeedsKey { .. })
    ));
    let options = OpenOptions {
        key: Some(key_of(&path)),
        ..OpenOptions::default()
    };
    let (store, _) = Store::open_with(&path, &options).unwrap();
    assert!(store.application(&number).unwrap().is_some());
    assert_eq!(store.schema_version().unwrap(), latest_version());
}

#[test]
fn a_conversion_cut_short_leaves_the_plain_file_usable() {
    let (_dir, path) = temp_db();
    let (mut store, _) = Store::open(&path).unwrap();
    let draft = store.save_draft(None, "intake", "{}", None).unwrap();
    let number = store.submit(&a_submission(draft)).unwrap().number;
    drop(store);
    // A power cut after the copy and the key slots were written, before the rename.
    std::fs::write(
        keyring::side(&path, ".encrypting"),
        b"half an encrypted copy",
    )
    .unwrap();
    Keyring::create(
        &path,
        &DbKey::random(),
        &[(operator_slot("admin"), PASSWORD)],
    )
    .unwrap();
    let (store, _) = Store::open(&path).unwrap();
    assert!(!store.is_encrypted());
    assert!(store.application(&number).unwrap().is_some());
    // Run again, it starts over and finishes.
    let slots = [(operator_slot("admin"), PASSWORD)];
    let (store, _) = store.encrypt_in_place(&slots, None).unwrap();
    assert!(store.is_encrypted());
    assert!(store.application(&number).unwrap().is_some());
}

#[test]
fn an_encrypted_backup_is_encrypted_takes_its_slots_and_restores() {
    let (dir, path) = temp_db();
    let mut store = new_encrypted(&path);
    let draft = store.save_draft(None, "intake", "{}", None).unwrap();
    let number = store.submit(&a_submission(draft)).unwrap().number;
    let copy = dir.path().join("copy.sqlite");
    store.backup_to(&copy).unwrap();
    assert_eq!(readable_personal_data(&copy), Vec::<&str>::new());
    assert!(keyring_path(&copy).exists());
    assert!(matches!(
        check_backup(&copy, &OpenOptions::default()),
        Err(StoreError::NotRegdesk { .. } | StoreError::NeedsKey { .. })
    ));
    let key = key_of(&copy);
    assert_eq!(&key, store.key().unwrap());
    let options = OpenOptions {
        key: Some(key),
        ..OpenOptions::default()
    };
    check_backup(&copy, &options).unwrap();
    // A second backup beside stale key slots is refused, the slots left as they were.
    let stale = dir.path().join("stale.sqlite");
    std::fs::write(keyring_path(&stale), b"someone else's").unwrap();
    assert!(matches!(
        store.backup_to(&stale),
        Err(StoreError::TargetExists { .. })
    ));
    assert_eq!(
        std::fs::read(keyring_path(&stale)).unwrap(),
        b"someone else's"
    );
    assert!(!stale.exists());
    let target = dir.path().join("restored.sqlite");
    let restored = restore(&copy, &target, &options, false, &Default::default())
        .unwrap()
        .store;
    assert!(restored.is_encrypted());
    assert!(restored.application(&number).unwrap().is_some());
    assert!(keyring_path(&target).exists());
}

#[test]
fn a_new_key_locks_out_the_old_slots_and_old_copies_of_them() {
    let (_dir, path) = temp_db();
    let mut store = new_encrypted(&path);
    let draft = store.save_draft(None, "intake", "{}", None).unwrap();
    let number = store.submit(&a_submission(draft)).unwrap().number;
    store.seal_for("aigerim", "Другой-пароль 2").unwrap();
    let old_key = store.key().cloned().unwrap();
    let old_slots = std::fs::read(keyring_path(&path)).unwrap();
    let slots = [(operator_slot("admin"), PASSWORD)];
    let (store, _) = store.encrypt_in_place(&slots, None).unwrap();
    assert_ne!(store.key().unwrap(), &old_key);
    assert!(store.application(&number).unwrap().is_some());
    assert_eq!(store.slot_logins().unwrap(), Some(vec!["admin".to_owned()]));
    let rows = store.audit_rows(&AuditFilter::default(), 10).unwrap();
    assert!(rows.iter().any(|r| r.action == "database.rekey"));
    drop(store);
    // The old key, from an old copy of the slots, opens nothing now.
    let old = OpenOptions {
        key: Some(old_key),
        ..OpenOptions::default()
    };
    assert!(matches!(
        Store::open_with(&path, &old),
        Err(StoreError::WrongKey { .. })
    ));
    // An old copy of the slots put back gives the old key, which the file refuses.
    std::fs::write(keyring_path(&path), old_slots).unwrap();
    let from_old_copy = OpenOptions {
        key: Some(key_of(&path)),
        ..OpenOptions::default()
    };
    assert!(matches!(
        Store::open_with(&path, &from_old_copy),
        Err(StoreError::WrongKey { .. })
    ));
}

/// A conversion cut by a power cut after the database was renamed but before its new key
/// slots were: the next open finds the slots that belong to the file there, and finishes.
#[test]
fn new_key_slots_left_staged_are_finished_or_dropped_by_the_file_they_name() {
    let (_dir, path) = temp_db();
    drop(new_encrypted(&path));
    let key = key_of(&path);
    // Staged for the file there (its salt): put in place at the next look.
    let salt = keyring::file_salt(&path).unwrap();
    Keyring::stage(
        &path,
        &key,
        &[(operator_slot("admin"), "Новый-пароль 1")],
        Some(salt),
    )
    .unwrap();
    assert!(keyring::side(&keyring_path(&path), ".new").exists());
    assert!(is_encrypted_file(&path));
    assert!(!keyring::side(&keyring_path(&path), ".new").exists());
    assert!(matches!(unlock(&path, "Новый-пароль 1"), Unlock::Key(_)));
    // Staged for another file (a copy that was never renamed into place): dropped, and the
    // slots in place stay.
    Keyring::stage(
        &path,
        &DbKey::random(),
        &[(operator_slot("admin"), PASSWORD)],
        Some([7; 16]),
    )
    .unwrap();
    assert!(is_encrypted_file(&path));
    assert!(!keyring::side(&keyring_path(&path), ".new").exists());
    assert!(matches!(unlock(&path, "Новый-пароль 1"), Unlock::Key(_)));
    // The slots name their file from the start.
    let (_dir2, other) = temp_db();
    drop(new_encrypted(&other));
    assert!(keyring::bound_salt(&keyring_path(&other)).is_some());
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]
    /// Any bytes as the key slots file, or as the encrypted file beside good slots: refused
    /// with a message (never a panic), and both left byte for byte as they were.
    #[test]
    fn damaged_key_slots_or_a_damaged_file_are_refused_untouched(
        bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..3000),
        into_slots in proptest::prelude::any::<bool>(),
    ) {
        let (_dir, path) = temp_db();
        drop(new_encrypted(&path));
        let key = key_of(&path);
        let damaged = if into_slots { keyring_path(&path) } else { path.clone() };
        std::fs::write(&damaged, &bytes).unwrap();
        let before = (std::fs::read(&path).unwrap(), std::fs::read(keyring_path(&path)).unwrap());
        let options = OpenOptions { key: Some(key), ..OpenOptions::default() };
        let opened = Store::open_with(&path, &options);
        if into_slots {
            let ring = Keyring::open(&path);
            proptest::prop_assert!(ring.is_err() || bytes.starts_with(SQLITE_MAGIC));
        } else {
            proptest::prop_assert!(opened.is_err());
        }
        drop(opened);
        let after = (std::fs::read(&path).unwrap(), std::fs::read(keyring_path(&path)).unwrap());
        // A file that opened is ours; anything refused is left as it was.
        if !into_slots || Keyring::open(&path).is_err() {
            proptest::prop_assert_eq!(before, after);
        }
    }
}

#[test]
fn a_command_unlocked_through_an_operators_slot_audits_as_that_operator() {
    let (_dir, path) = temp_db();
    let mut store = new_encrypted(&path);
    let hash = crate::core::password::hash(PASSWORD);
    store
        .add_operator("admin", "Админ", crate::core::Role::Admin, &hash, None)
        .unwrap()
        .unwrap();
    store
        .audit_unlock(&operator_slot("admin"), "lookup")
        .unwrap();
    store.append_audit(None, "lookup.cli", None, "{}").unwrap();
    let rows = store.audit_rows(&AuditFilter::default(), 10).unwrap();
    let by = |action: &str| {
        rows.iter()
            .find(|r| r.action == action)
            .and_then(|r| r.operator.clone())
    };
    assert_eq!(by("unlock"), Some("admin".to_owned()));
    assert_eq!(by("lookup.cli"), Some("admin".to_owned()));
    // Through the key file: nobody in particular.
    let mut store = Store::open_with(
        &path,
        &OpenOptions {
            key: store.key().cloned(),
            ..OpenOptions::default()
        },
    )
    .unwrap()
    .0;
    store.audit_unlock(FILE_SLOT, "due").unwrap();
    store.append_audit(None, "due.cli", None, "{}").unwrap();
    let rows = store.audit_rows(&AuditFilter::default(), 10).unwrap();
    assert!(
        rows.iter()
            .filter(|r| r.action == "due.cli")
            .all(|r| r.operator.is_none())
    );
}
