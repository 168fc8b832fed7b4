use std::collections::HashSet;
use std::io::{Seek, SeekFrom, Write};

use super::*;

pub(super) fn temp_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("regdesk.sqlite");
    (dir, path)
}

#[test]
fn fresh_open_creates_the_whole_schema() {
    let (_dir, path) = temp_db();
    let (store, report) = Store::open(&path).unwrap();
    assert_eq!(
        report,
        OpenReport {
            created: true,
            migrated_from: 0
        }
    );
    assert_eq!(store.schema_version().unwrap(), latest_version());
    let tables = store.table_names().unwrap();
    for table in [
        "applicants",
        "applications",
        "status_history",
        "documents_presented",
        "consents",
        "operators",
        "audit_log",
        "drafts",
        "desk_sessions",
    ] {
        assert!(
            tables.iter().any(|t| t == table),
            "missing {table} in {tables:?}"
        );
    }
    let journal: String = store
        .conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(journal, "wal");
    let fk: i64 = store
        .conn
        .pragma_query_value(None, "foreign_keys", |r| r.get(0))
        .unwrap();
    assert_eq!(fk, 1);
    let sync: i64 = store
        .conn
        .pragma_query_value(None, "synchronous", |r| r.get(0))
        .unwrap();
    assert_eq!(sync, 2, "synchronous should be FULL");
}

#[test]
fn reopen_keeps_data_and_does_not_migrate_again() {
    let (_dir, path) = temp_db();
    {
        let (mut store, _) = Store::open(&path).unwrap();
        store.append_audit(None, "test.event", None, "{}").unwrap();
    }
    let (store, report) = Store::open(&path).unwrap();
    assert_eq!(
        report,
        OpenReport {
            created: false,
            migrated_from: latest_version()
        }
    );
    assert_eq!(store.audit_len().unwrap(), 1);
}

/// Every file beside `path` (the database, its -wal and -shm, a log), with a digest of its
/// bytes (a failure shows names and digests, not megabytes).
fn folder_snapshot(path: &Path) -> Vec<(String, String)> {
    use sha2::{Digest, Sha256};
    let mut files: Vec<(String, String)> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .flatten()
        .map(|e| {
            let bytes = std::fs::read(e.path()).unwrap_or_default();
            (
                e.file_name().to_string_lossy().into_owned(),
                format!("{:x}", Sha256::digest(&bytes)),
            )
        })
        .collect();
    files.sort();
    files
}

/// Opening `path` must fail with an error matching `expected`, and leave the folder exactly
/// as it was: the file byte for byte, nothing created beside it.
fn refused_untouched(path: &Path, expected: fn(&StoreError) -> bool) -> StoreError {
    let before = folder_snapshot(path);
    let error = Store::open(path).unwrap_err();
    assert!(expected(&error), "{error:?}");
    assert_eq!(
        folder_snapshot(path),
        before,
        "a refused file must stay as it was"
    );
    error
}

#[test]
fn an_sqlite_file_with_nothing_in_it_is_empty_and_becomes_a_database() {
    let (_dir, path) = temp_db();
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("PRAGMA user_version = 0; VACUUM;")
            .unwrap();
    }
    assert!(std::fs::metadata(&path).unwrap().len() > 0);
    let (_store, report) = Store::open(&path).unwrap();
    assert!(report.created);
}

#[test]
fn an_sqlite_file_with_a_version_but_no_schema_is_refused() {
    let (_dir, path) = temp_db();
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("PRAGMA user_version = 7; VACUUM;")
            .unwrap();
    }
    refused_untouched(&path, |e| matches!(e, StoreError::NotRegdesk { .. }));
}

#[test]
fn a_one_byte_file_is_refused_not_created_over() {
    let (_dir, path) = temp_db();
    std::fs::write(&path, "x").unwrap();
    refused_untouched(&path, |e| matches!(e, StoreError::NotRegdesk { .. }));
}

#[test]
fn a_zero_byte_file_becomes_a_database() {
    let (_dir, path) = temp_db();
    std::fs::write(&path, "").unwrap();
    let (_store, report) = Store::open(&path).unwrap();
    assert!(report.created);
}

#[test]
fn a_foreign_file_with_our_application_id_is_refused_and_not_switched_to_wal() {
    let (_dir, path) = temp_db();
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE invoices(id INTEGER); INSERT INTO invoices VALUES (1);")
            .unwrap();
        conn.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
    }
    let error = refused_untouched(&path, |e| matches!(e, StoreError::NotRegdesk { .. }));
    assert!(error.to_string().lines().count() == 1, "{error}");
    assert!(!error.to_string().contains("CREATE"), "{error}");
}

#[test]
fn a_read_only_database_is_refused_with_a_message() {
    let (_dir, path) = temp_db();
    drop(Store::open(&path).unwrap());
    let mut permissions = std::fs::metadata(&path).unwrap().permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&path, permissions).unwrap();
    if std::fs::OpenOptions::new().write(true).open(&path).is_ok() {
        return; // running as a user that may write anyway (root): nothing to refuse
    }
    let error = refused_untouched(&path, |e| matches!(e, StoreError::ReadOnly { .. }));
    assert!(error.to_string().contains("read-only"), "{error}");
}

#[test]
fn an_unknown_kind_marker_is_refused() {
    let (_dir, path) = temp_db();
    drop(Store::open(&path).unwrap());
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("UPDATE regdesk_meta SET value = 'demo' WHERE key = 'kind'")
            .unwrap();
    }
    let error = refused_untouched(&path, |e| matches!(e, StoreError::UnknownKind { .. }));
    assert!(error.to_string().contains("'demo'"), "{error}");
}

#[test]
fn a_negative_schema_version_is_reported_in_the_operators_words() {
    let (_dir, path) = temp_db();
    drop(Store::open(&path).unwrap());
    {
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", -1).unwrap();
    }
    let error = refused_untouched(&path, |e| {
        matches!(e, StoreError::BadVersion { found: -1, .. })
    });
    assert!(!error.to_string().contains("out of range"), "{error}");
}

/// A regdesk database with some hundred pages of audit rows, closed (checkpointed).
fn database_with_pages(path: &Path) -> u64 {
    let (mut store, _) = Store::open(path).unwrap();
    for i in 0..2000 {
        store
            .append_audit(None, "test", None, &format!("row {i} {}", "x".repeat(100)))
            .unwrap();
    }
    drop(store);
    std::fs::metadata(path).unwrap().len() / 4096
}

#[test]
fn pages_damaged_past_the_header_are_reported_at_open() {
    let (_dir, path) = temp_db();
    let pages = database_with_pages(&path);
    assert!(pages > 30, "{pages} pages");
    let mut file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    for page in [5u64, 10, 21] {
        file.seek(SeekFrom::Start((page - 1) * 4096)).unwrap();
        file.write_all(&[0x5A; 4096]).unwrap();
    }
    drop(file);
    let error = refused_untouched(&path, |e| matches!(e, StoreError::Corrupt { .. }));
    assert!(error.to_string().contains("Nothing was written"), "{error}");
}

#[test]
fn ten_desks_creating_one_file_at_once_report_one_creation() {
    let (_dir, path) = temp_db();
    let created: Vec<bool> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..10)
            .map(|_| scope.spawn(|| Store::open(&path).map(|(_, report)| report.created)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap().unwrap_or_else(|e| panic!("{e:?}")))
            .collect()
    });
    assert_eq!(created.iter().filter(|c| **c).count(), 1, "{created:?}");
}

#[test]
fn a_database_from_a_newer_regdesk_is_refused_with_versions() {
    let (_dir, path) = temp_db();
    drop(Store::open(&path).unwrap());
    {
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
    }
    let error = Store::open(&path).unwrap_err();
    assert!(
        matches!(error, StoreError::NewerVersion { found: 99, supported, .. } if supported == latest_version()),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(
        message.contains("99") && message.contains("newer"),
        "{message}"
    );
}

#[test]
fn another_programs_sqlite_file_is_refused_and_left_untouched() {
    let (_dir, path) = temp_db();
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE invoices(id INTEGER);")
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    assert!(matches!(
        Store::open(&path),
        Err(StoreError::NotRegdesk { .. })
    ));
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "a foreign file must not be modified"
    );
}

#[test]
fn a_file_that_is_not_sqlite_is_refused() {
    let (_dir, path) = temp_db();
    std::fs::write(
        &path,
        "name,iin\nnot a database at all, just some text that is long enough\n".repeat(20),
    )
    .unwrap();
    let error = Store::open(&path).unwrap_err();
    assert!(matches!(error, StoreError::NotRegdesk { .. }), "{error:?}");
    assert!(error.to_string().contains(&path.display().to_string()));
}

#[test]
fn a_lock_held_too_long_is_reported_as_locked() {
    let (_dir, path) = temp_db();
    let holder = Connection::open(&path).unwrap();
    holder
        .execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; CREATE TABLE t(x);")
        .unwrap();
    let options = OpenOptions {
        busy_timeout: Duration::from_millis(50),
        ..OpenOptions::default()
    };
    let error = Store::open_with(&path, &options).unwrap_err();
    assert!(matches!(error, StoreError::Locked { .. }), "{error:?}");
    assert!(error.to_string().contains("another"), "{error}");
}

#[test]
fn a_damaged_file_is_reported_as_corrupt() {
    let (_dir, path) = temp_db();
    drop(Store::open(&path).unwrap());
    // Keep the 100-byte header, destroy the schema page that follows it.
    let mut file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    file.seek(SeekFrom::Start(100)).unwrap();
    file.write_all(&[0xA5; 3000]).unwrap();
    drop(file);
    let error = Store::open(&path).unwrap_err();
    assert!(matches!(error, StoreError::Corrupt { .. }), "{error:?}");
}

#[test]
fn a_folder_that_cannot_be_created_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("a-file");
    std::fs::write(&blocker, "x").unwrap();
    let error = Store::open(&blocker.join("sub").join("regdesk.sqlite")).unwrap_err();
    assert!(
        matches!(error, StoreError::DirectoryNotWritable { .. }),
        "{error:?}"
    );
}

#[test]
fn training_and_real_databases_cannot_be_mixed() {
    let (_dir, path) = temp_db();
    let training = OpenOptions {
        kind: DatabaseKind::Training,
        ..OpenOptions::default()
    };
    drop(Store::open_with(&path, &training).unwrap());
    assert!(matches!(
        Store::open(&path),
        Err(StoreError::WrongKind { training: true, .. })
    ));
    assert!(Store::open_with(&path, &training).is_ok());

    let (_dir2, real_path) = temp_db();
    drop(Store::open(&real_path).unwrap());
    assert!(matches!(
        Store::open_with(&real_path, &training),
        Err(StoreError::WrongKind {
            training: false,
            ..
        })
    ));
}

#[test]
fn two_connections_writing_at_once_both_succeed_with_unique_numbers() {
    let (_dir, path) = temp_db();
    drop(Store::open(&path).unwrap());
    let workers: Vec<_> = (0..2)
        .map(|_| {
            let path = path.clone();
            std::thread::spawn(move || {
                let (mut store, _) = Store::open(&path).unwrap();
                (0..150)
                    .map(|i| {
                        store.append_audit(None, "test.concurrent", None, "{}")?;
                        let n = store.next_application_number(2026)?;
                        if i % 50 == 0 {
                            std::thread::yield_now();
                        }
                        Ok(n)
                    })
                    .collect::<Result<Vec<_>, StoreError>>()
            })
        })
        .collect();
    let mut all = HashSet::new();
    for worker in workers {
        for number in worker
            .join()
            .unwrap()
            .expect("no write may fail with locked")
        {
            assert!(all.insert(number), "{number} handed out twice");
        }
    }
    assert_eq!(all.len(), 300);
    let (store, _) = Store::open(&path).unwrap();
    assert_eq!(store.audit_len().unwrap(), 300);
}

#[test]
fn application_numbers_count_per_year() {
    let (_dir, path) = temp_db();
    let (mut store, _) = Store::open(&path).unwrap();
    assert_eq!(
        store.next_application_number(2026).unwrap().to_string(),
        "RD-2026-000001"
    );
    assert_eq!(
        store.next_application_number(2026).unwrap().to_string(),
        "RD-2026-000002"
    );
    assert_eq!(
        store.next_application_number(2027).unwrap().to_string(),
        "RD-2027-000001"
    );
}

#[test]
fn the_audit_log_is_append_only() {
    let (_dir, path) = temp_db();
    let (mut store, _) = Store::open(&path).unwrap();
    let id = store
        .append_audit(None, "test.event", Some(("application", 7)), "{}")
        .unwrap();
    let update = store
        .conn
        .execute("UPDATE audit_log SET action = 'x' WHERE id = ?1", [id]);
    assert!(update.unwrap_err().to_string().contains("append-only"));
    let delete = store.conn.execute("DELETE FROM audit_log", []);
    assert!(delete.is_err());
    assert_eq!(store.audit_len().unwrap(), 1);
}

#[test]
fn a_session_that_did_not_end_is_reported_once_and_a_live_one_never() {
    let (_dir, path) = temp_db();
    let (mut store, _) = Store::open(&path).unwrap();
    let (first, unclean) = store.begin_session(100, |_| false).unwrap();
    assert!(unclean.is_empty());
    store.end_session(first).unwrap();
    let (_, unclean) = store.begin_session(101, |_| false).unwrap();
    assert!(unclean.is_empty(), "a clean end is not reported");
    // Session 101 never ended. While its process runs (a second desk), it is not reported.
    let (third, unclean) = store.begin_session(102, |pid| pid == 101).unwrap();
    assert!(unclean.is_empty());
    store.end_session(third).unwrap();
    let (_, unclean) = store.begin_session(103, |_| false).unwrap();
    assert_eq!(unclean.len(), 1, "101 ended uncleanly");
    let (_, unclean) = store.begin_session(104, |pid| pid == 103).unwrap();
    assert!(unclean.is_empty(), "reported once only");
}

#[test]
fn an_iin_finds_its_applicant_open_applications_and_drafts() {
    let (_dir, path) = temp_db();
    let (mut store, _) = Store::open(&path).unwrap();
    assert_eq!(
        store.find_by_iin("850714412305").unwrap(),
        IinMatches::default()
    );
    store
        .conn
        .execute_batch(
            "INSERT INTO applicants(id, iin, surname, given_name, name_key, birth_date, sex,
                citizenship_status, capacity, created_at, updated_at)
             VALUES (1, '850714412305', 'Серікова', 'Айгерім', 'серикова айгерим', '1985-07-14',
                'female', 'citizen', 'full', 'x', 'x');
             INSERT INTO applications(number, applicant_id, registration_type, status, created_at,
                updated_at)
             VALUES ('RD-2026-000001', 1, 'permanent', 'submitted', 'x', 'x'),
                    ('RD-2025-000009', 1, 'temporary', 'registered', 'x', 'x');",
        )
        .unwrap();
    let found = store.find_by_iin("850714412305").unwrap();
    assert_eq!(found.applicant.unwrap().surname, "Серікова");
    assert_eq!(
        found.open_applications,
        vec![("RD-2026-000001".to_string(), "submitted".to_string())]
    );
    store
        .save_draft(None, "intake", r#"{"iin":"850714412305"}"#, None)
        .unwrap();
    store
        .save_draft(None, "intake", r#"{"iin":"900228404562"}"#, None)
        .unwrap();
    let drafts = store.drafts("intake", None).unwrap();
    assert_eq!(drafts.len(), 2);
}

#[test]
fn drafts_belong_to_the_operator_who_made_them() {
    let (_dir, path) = temp_db();
    let (mut store, _) = Store::open(&path).unwrap();
    store
        .conn
        .execute_batch(
            "INSERT INTO operators(id, login, display_name, created_at) VALUES
             (1, 'a', 'A', 'x'), (2, 'b', 'B', 'x');",
        )
        .unwrap();
    let mine = store.save_draft(None, "intake", "{}", Some(1)).unwrap();
    store.save_draft(None, "intake", "{}", Some(2)).unwrap();
    store.save_draft(None, "intake", "{}", None).unwrap();
    let listed: Vec<i64> = store
        .drafts("intake", Some(1))
        .unwrap()
        .into_iter()
        .map(|(id, _, _)| id)
        .collect();
    assert_eq!(listed, vec![mine]);
    assert_eq!(store.drafts("intake", None).unwrap().len(), 1);
}

mod damaged_files {
    use super::*;
    use proptest::prelude::*;

    /// A closed regdesk database of some pages, made once and copied for every case.
    fn template() -> &'static [u8] {
        static BYTES: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
        BYTES.get_or_init(|| {
            let (_dir, path) = temp_db();
            database_with_pages(&path);
            std::fs::read(&path).unwrap()
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]

        /// Random bytes written at random places of a real database: the open either succeeds
        /// (the damage hit unused space) or is refused with a one-line message, the folder
        /// left exactly as it was.
        #[test]
        fn random_damage_is_refused_cleanly_or_harmless(
            hits in proptest::collection::vec((0usize..usize::MAX, any::<u8>(), 1usize..64), 1..6),
        ) {
            let (_dir, path) = temp_db();
            let mut bytes = template().to_vec();
            for (at, value, len) in hits {
                let start = at % bytes.len();
                let end = (start + len).min(bytes.len());
                bytes[start..end].fill(value);
            }
            std::fs::write(&path, &bytes).unwrap();
            let before = folder_snapshot(&path);
            match Store::open(&path) {
                Ok(_) => {}
                Err(error) => {
                    let message = error.to_string();
                    prop_assert_eq!(message.lines().count(), 1, "{}", message);
                    prop_assert!(!message.chars().any(char::is_control), "{}", message);
                    prop_assert!(message.chars().count() < 500, "{}", message);
                    prop_assert_eq!(folder_snapshot(&path), before);
                }
            }
        }
    }
}

pub(super) fn a_submission(draft_id: i64) -> Submission {
    Submission {
        draft_id,
        year: 2026,
        iin: "850714412305".into(),
        person: KnownApplicant {
            surname: "Серікова".into(),
            given_name: "Айгерім".into(),
            birth_date: Some("1985-07-14".into()),
            sex: Some("female".into()),
            status: "citizen".into(),
            capacity: "full".into(),
            ..KnownApplicant::default()
        },
        registration_type: "permanent".into(),
        address: SubmittedAddress {
            street: Some("Абая".into()),
            house: Some("12".into()),
            ..SubmittedAddress::default()
        },
        ruleset: ("set".into(), "1".into(), "0".repeat(64)),
        decision_record: "{}".into(),
        documents: vec![SubmittedDocument {
            requirement: "applicant_identity".into(),
            document: "passport".into(),
            party: "applicant".into(),
            number: Some("N0123".into()),
            issued_on: Some("2020-02-01".into()),
        }],
        consents: vec![SubmittedConsent {
            kind: "owner".into(),
            iin: Some("900228404562".into()),
            name: "Ахметова Гүлнұр".into(),
            role: "owner".into(),
            form: "in_person".into(),
            scope: None,
            given_at: "2026-11-21".into(),
        }],
        ..Submission::default()
    }
}

#[test]
fn a_submission_is_one_transaction_and_a_second_submit_adds_nothing() {
    let (_dir, path) = temp_db();
    let (mut store, _) = Store::open(&path).unwrap();
    let draft = store.save_draft(None, "intake", "{}", None).unwrap();
    let first = store.submit(&a_submission(draft)).unwrap();
    assert_eq!(first.number, "RD-2026-000001");
    assert!(!first.already);
    let again = store.submit(&a_submission(draft)).unwrap();
    assert_eq!(again.number, first.number);
    assert!(again.already);
    let count = |sql: &str| -> i64 { store.conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(count("SELECT count(*) FROM applications"), 1);
    assert_eq!(
        count("SELECT count(*) FROM status_history WHERE status = 'submitted'"),
        1
    );
    assert_eq!(count("SELECT count(*) FROM documents_presented"), 1);
    assert_eq!(count("SELECT count(*) FROM consents"), 1);
    assert_eq!(
        count("SELECT count(*) FROM audit_log WHERE action = 'application.submit'"),
        1
    );
    assert_eq!(
        count("SELECT count(*) FROM drafts"),
        0,
        "the draft is closed"
    );
    // The applicant is now known by the IIN.
    let found = store.find_by_iin("850714412305").unwrap();
    assert_eq!(found.open_applications.len(), 1);
}

#[test]
fn two_desks_submitting_one_draft_make_one_application() {
    let (_dir, path) = temp_db();
    let draft = {
        let (mut store, _) = Store::open(&path).unwrap();
        store.save_draft(None, "intake", "{}", None).unwrap()
    };
    let numbers: Vec<Submitted> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                scope.spawn(|| {
                    Store::open(&path)
                        .unwrap()
                        .0
                        .submit(&a_submission(draft))
                        .unwrap()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(numbers.iter().filter(|s| !s.already).count(), 1);
    assert!(numbers.iter().all(|s| s.number == numbers[0].number));
}

#[test]
fn the_draft_after_a_submission_never_takes_the_submitted_draft_id() {
    let (_dir, path) = temp_db();
    let (mut store, _) = Store::open(&path).unwrap();
    let draft = store.save_draft(None, "intake", "{}", None).unwrap();
    let first = store.submit(&a_submission(draft)).unwrap();
    let next = store.save_draft(None, "intake", "{}", None).unwrap();
    assert_ne!(next, draft, "a deleted draft's id is not reused");
    let second = store.submit(&a_submission(next)).unwrap();
    assert!(!second.already);
    assert_eq!(second.number, "RD-2026-000002");
    assert_ne!(second.number, first.number);
}

#[test]
fn a_submitted_application_reads_back_with_its_documents_and_consents() {
    let (_dir, path) = temp_db();
    let (mut store, _) = Store::open(&path).unwrap();
    let draft = store.save_draft(None, "intake", "{}", None).unwrap();
    let done = store.submit(&a_submission(draft)).unwrap();
    let back = store
        .application(&done.number)
        .unwrap()
        .expect("found by its number");
    assert_eq!(back.iin, "850714412305");
    assert_eq!(back.surname, "Серікова");
    assert_eq!(back.status, "submitted");
    assert_eq!(back.address.street.as_deref(), Some("Абая"));
    assert_eq!(
        back.documents,
        vec![(
            "applicant_identity".to_string(),
            "passport".to_string(),
            "applicant".to_string(),
            Some("N0123".to_string())
        )]
    );
    assert_eq!(back.consents.len(), 1);
    assert_eq!(back.consents[0].name, "Ахметова Гүлнұр");
    assert_eq!(store.application("RD-2026-999999").unwrap(), None);
}

#[test]
fn a_personal_data_consent_stays_while_its_application_is_in_process_and_others_revoke() {
    let (_dir, path) = temp_db();
    let (mut store, _) = Store::open(&path).unwrap();
    let draft = store.save_draft(None, "intake", "{}", None).unwrap();
    let mut submission = a_submission(draft);
    submission.consents.push(SubmittedConsent {
        kind: "personal_data".into(),
        iin: Some("850714412305".into()),
        name: "Серікова Айгерім".into(),
        role: "applicant".into(),
        form: "in_person".into(),
        scope: Some("law_94_v".into()),
        given_at: "2026-11-21".into(),
    });
    let number = store.submit(&submission).unwrap().number;
    let consents = store.application(&number).unwrap().unwrap().consents;
    let owner = consents.iter().find(|c| c.kind == "owner").unwrap().id;
    let personal = consents
        .iter()
        .find(|c| c.kind == "personal_data")
        .unwrap()
        .id;

    let refused = store.revoke_consent(personal, "не хочу").unwrap();
    assert_eq!(
        refused,
        Revocation::StillNeeded {
            number: number.clone()
        }
    );
    let why = refused
        .message()
        .text(&crate::i18n::Tr::new(crate::i18n::Lang::Ru));
    assert!(why.contains(&number) && why.contains("94-V"), "{why}");
    assert_eq!(
        store.revoke_consent(owner, "  ").unwrap(),
        Revocation::NeedsReason
    );
    assert_eq!(
        store.revoke_consent(owner, "передумала").unwrap(),
        Revocation::Revoked { owner: true }
    );
    // What it does to a registration is said (an assumption the message marks).
    assert_eq!(
        Revocation::Revoked { owner: true }.message().key,
        "consents.revocation.revoked_owner"
    );
    assert_eq!(
        store.revoke_consent(owner, "ещё раз").unwrap(),
        Revocation::AlreadyRevoked
    );
    assert_eq!(
        store.revoke_consent(9999, "нет такого").unwrap(),
        Revocation::NotFound
    );
    let after = store.application(&number).unwrap().unwrap().consents;
    assert!(
        after
            .iter()
            .find(|c| c.id == personal)
            .unwrap()
            .revoked_at
            .is_none()
    );
    let revoked = after.iter().find(|c| c.id == owner).unwrap();
    assert!(
        revoked.revoked_at.is_some(),
        "kept, with when it was revoked"
    );
    assert_eq!(revoked.name, "Ахметова Гүлнұр", "who gave it stays");
    let audits: i64 = store
        .conn
        .query_row(
            "SELECT count(*) FROM audit_log WHERE action = 'consent.revoke'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audits, 1, "only the revocation that happened is audited");

    // Once the application is decided, the data is no longer needed for it.
    store
        .conn
        .execute("UPDATE applications SET status = 'registered'", [])
        .unwrap();
    assert_eq!(
        store.revoke_consent(personal, "не хочу").unwrap(),
        Revocation::Revoked { owner: false }
    );
}

#[test]
fn a_version_2_file_with_drafts_migrates_keeping_them_and_never_reuses_their_ids() {
    let (_dir, path) = temp_db();
    {
        // A file as regdesk 2 left it: the first two migrations, two drafts, the last deleted.
        let conn = Connection::open(&path).unwrap();
        for sql in &schema::MIGRATIONS[..2] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 2).unwrap();
        conn.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
        conn.execute(
            "INSERT INTO regdesk_meta(key, value) VALUES ('kind', 'real'), ('created_at', '2026-11-01T00:00:00Z')",
            [],
        )
        .unwrap();
        conn.execute_batch(
            "INSERT INTO drafts(id, form, data, updated_at) VALUES (1, 'intake', '{\"surname\":\"Серікова\"}', 'x');
             INSERT INTO drafts(id, form, data, updated_at) VALUES (2, 'intake', '{}', 'x');
             DELETE FROM drafts WHERE id = 2;",
        )
        .unwrap();
    }
    let (mut store, report) = Store::open(&path).unwrap();
    assert_eq!(report.migrated_from, 2);
    let kept = store.drafts("intake", None).unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].0, 1);
    assert!(kept[0].2.contains("Серікова"));
    let next = store.save_draft(None, "intake", "{}", None).unwrap();
    assert!(next > 1);
    store.delete_draft(next).unwrap();
    let after = store.save_draft(None, "intake", "{}", None).unwrap();
    assert!(after > next, "a deleted draft's id is not handed out again");
}

/// The database, its WAL and shared-memory files, and the folder made for them are their
/// owner's only: they hold personal data.
#[cfg(unix)]
#[test]
fn a_new_database_and_its_side_files_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new-folder/regdesk.sqlite");
    let (mut store, _) = Store::open(&path).unwrap();
    store.append_audit(None, "test", None, "{}").unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(path.parent().unwrap()), 0o700);
    for suffix in ["-wal", "-shm"] {
        let mut side = path.as_os_str().to_owned();
        side.push(suffix);
        assert_eq!(mode(Path::new(&side)), 0o600, "{suffix}");
    }
    // The log beside it too.
    let log = dir.path().join("new-folder/regdesk.log");
    crate::logging::init(&log).unwrap();
    assert_eq!(mode(&log), 0o600);
}

/// Drafts written by the release before (version 1: marks and consents as JSON text inside
/// the JSON) are rewritten in version 2 by the migration, and read back as the same case.
#[test]
fn drafts_of_the_release_before_are_migrated_to_the_typed_codec() {
    let (_dir, path) = temp_db();
    let mut case = crate::case::Case::default();
    for (id, value) in crate::case::FICTIONAL_TENANT {
        case.set(*id, (*value).to_owned());
    }
    case.marks.insert(
        "applicant_identity".into(),
        crate::case::marks::Mark::simple(crate::case::marks::MarkState::Presented),
    );
    let old = serde_json::to_string(&case.to_map()).unwrap();
    {
        let (mut store, _) = Store::open(&path).unwrap();
        store.save_draft(None, "intake", &old, None).unwrap();
        store
            .conn
            .execute_batch("DROP TABLE closed_cases; PRAGMA user_version = 7;")
            .unwrap();
    }
    let (store, report) = Store::open(&path).unwrap();
    assert_eq!(report.migrated_from, 7);
    let drafts = store.drafts("intake", None).unwrap();
    let data = &drafts[0].2;
    assert!(data.starts_with("{\"version\":2"), "{data}");
    assert_eq!(crate::case::draft::decode(data), case);
}

/// A case closed as "registration not required": kept with its decision, its draft gone, one
/// audit row naming no person, counted in the day's summary; a second close of the same draft
/// adds nothing.
#[test]
fn a_case_closed_as_not_required_is_kept_audited_counted_and_closed_once() {
    let (_dir, path) = temp_db();
    let (mut store, _) = Store::open(&path).unwrap();
    let draft = store.save_draft(None, DRAFT_FORM, "{}", None).unwrap();
    let closing = Closing {
        draft_id: draft,
        iin: Some("160301500010".into()),
        closed_as: "not_required".into(),
        reasons: vec!["under_14".into()],
        ruleset: ("kz".into(), "1".into(), "ab".into()),
        decision_record: "{}".into(),
        case_data: "{}".into(),
        operator: None,
    };
    let audit_before = store.audit_len().unwrap();
    let first = store.close_case(&closing).unwrap();
    assert!(!first.already);
    assert!(store.draft(draft).unwrap().is_none(), "the draft is gone");
    assert_eq!(store.audit_len().unwrap(), audit_before + 1);
    let details: String = store
        .conn
        .query_row(
            "SELECT details FROM audit_log WHERE action = 'case.close'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(!details.contains("160301500010"), "{details}");
    assert!(details.contains("under_14"), "{details}");
    let again = store.close_case(&closing).unwrap();
    assert_eq!((again.id, again.already), (first.id, true));
    assert_eq!(store.audit_len().unwrap(), audit_before + 1);
    let today = chrono::Local::now().date_naive();
    let (from, until) = crate::clock::local_day_bounds(today);
    let report = store.daily_report(today, &from, &until).unwrap();
    assert_eq!(report.closed, vec![("not_required".to_string(), 1)]);
    // Retention: who it was about goes, why and when stay (the count above).
    let found = store.retention("2999-01-01T00:00:00Z", true).unwrap();
    assert_eq!(found.closed_cases, 1);
    let (iin, data): (Option<String>, String) = store
        .conn
        .query_row("SELECT iin, case_data FROM closed_cases", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!((iin, data.as_str()), (None, "{}"));
    let report = store.daily_report(today, &from, &until).unwrap();
    assert_eq!(report.closed, vec![("not_required".to_string(), 1)]);
}
