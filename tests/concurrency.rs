//! Eight processes write to one encrypted database at once (submissions and status changes) while this
//! one searches it: no "database is locked" reaches anyone, no write is lost, every search
//! returns. The writers are this test binary run again with `REGDESK_CONCURRENCY_DB` set.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use regdesk::core::{ApplicationStatus, Iin, LookupQuery, Sex};
use regdesk::store::{
    KnownApplicant, LookupFilter, StatusOutcome, StatusRequest, Store, Submission, SubmittedConsent,
};

const WRITERS: usize = 8;
/// The fictional writers' password: their key slot of an encrypted file.
const PASSWORD: &str = "Тест-құпия 2026";

/// Opens the shared file as a desk would: an encrypted one through the writers' key slot.
fn open(path: &Path) -> Store {
    let key = regdesk::store::is_encrypted_file(path).then(|| {
        let unlocked = regdesk::store::Keyring::open(path)
            .and_then(|mut ring| {
                ring.unlock(
                    &regdesk::store::operator_slot("writer"),
                    PASSWORD,
                    chrono::Utc::now(),
                )
            })
            .expect("the key slots");
        match unlocked {
            regdesk::store::Unlock::Key(key) => key,
            other => panic!("{other:?}"),
        }
    });
    let options = regdesk::store::OpenOptions {
        key,
        ..Default::default()
    };
    Store::open_with(path, &options).expect("open").0
}
const EACH: usize = 40;

fn iin(writer: usize, i: usize) -> String {
    let born = chrono::NaiveDate::from_ymd_opt(1970 + writer as i32, 3, 1 + i as u32 % 28).unwrap();
    let mut serial = (writer * 1000 + i) as u16;
    loop {
        if let Some(iin) = Iin::generate(born, Sex::Male, serial) {
            return iin.as_string();
        }
        serial += 100;
    }
}

/// One writer: submits its applications and moves each to "under review", then "registered".
fn write_all(path: &Path, writer: usize) {
    let mut store = open(path);
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    for i in 0..EACH {
        let draft = store.save_draft(None, "intake", "{}", None).expect("draft");
        let submission = Submission {
            draft_id: draft,
            year: 2026,
            iin: iin(writer, i),
            person: KnownApplicant {
                surname: format!("Ахметов{}", ["", "а", "ы"][i % 3]),
                given_name: format!("Писатель{writer}"),
                status: "citizen".into(),
                capacity: "full".into(),
                ..KnownApplicant::default()
            },
            registration_type: "permanent".into(),
            ruleset: ("set".into(), "1".into(), "0".repeat(64)),
            decision_record: "{}".into(),
            consents: vec![SubmittedConsent {
                kind: "personal_data".into(),
                name: "x".into(),
                role: "applicant".into(),
                form: "in_person".into(),
                given_at: "2026-12-01".into(),
                ..SubmittedConsent::default()
            }],
            ..Submission::default()
        };
        let number = store.submit(&submission).expect("submit").number;
        for to in [
            ApplicationStatus::UnderReview,
            ApplicationStatus::Registered,
        ] {
            let outcome = store
                .change_status(&StatusRequest {
                    number: number.clone(),
                    to,
                    reason_code: None,
                    note: None,
                    registered_from: None,
                    today,
                    operator: None,
                    override_reason: None,
                })
                .expect("status change");
            assert!(
                matches!(outcome, StatusOutcome::Changed { .. }),
                "{outcome:?}"
            );
        }
    }
}

#[test]
#[ignore = "one of the writer processes of eight_writers_and_a_searcher_share_one_file, run by it"]
fn concurrency_writer() {
    let path = std::env::var_os("REGDESK_CONCURRENCY_DB").expect("run by the concurrency test");
    let writer = std::env::var("REGDESK_CONCURRENCY_WRITER").expect("writer number");
    write_all(Path::new(&path), writer.parse().unwrap());
}

/// Starts this test binary again as writer number `writer` on `path`.
fn spawn_writer(path: &Path, writer: usize) -> std::process::Child {
    Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "concurrency_writer", "--ignored", "--nocapture"])
        .env("REGDESK_CONCURRENCY_DB", path)
        .env("REGDESK_CONCURRENCY_WRITER", writer.to_string())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn eight_writers_and_a_searcher_share_one_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.sqlite");
    let slots = [(regdesk::store::operator_slot("writer"), PASSWORD)];
    drop(Store::create_encrypted(&path, &Default::default(), &slots).unwrap());
    let children: Vec<_> = (0..WRITERS)
        .map(|writer| spawn_writer(&path, writer))
        .collect();
    // Search while they write, as a desk's lookup worker does: a read-only connection.
    let store = open(&path);
    let reader = store.open_reader().unwrap();
    let query = LookupQuery::parse("ахмет");
    let mut searches = 0;
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut running = children;
    let mut outputs = Vec::new();
    while !running.is_empty() {
        let page = reader
            .lookup(&query, &LookupFilter::default(), None, 60)
            .expect("a search returns while others write");
        assert!(page.rows.len() <= 60);
        searches += 1;
        let mut still = Vec::new();
        for mut child in running {
            match child.try_wait().unwrap() {
                Some(_) => outputs.push(child.wait_with_output().unwrap()),
                None => still.push(child),
            }
        }
        running = still;
        assert!(
            Instant::now() < deadline,
            "the writers did not finish in 2 minutes"
        );
    }
    for output in &outputs {
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(output.status.success(), "a writer failed:\n{text}");
        assert!(!text.contains("locked"), "{text}");
    }
    assert!(searches > 0);
    let pragma = store.key().unwrap().pragma_value();
    let count = |sql: &str| -> i64 {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(&format!("PRAGMA key = \"{pragma}\";"))
            .unwrap();
        conn.query_row(sql, [], |r| r.get(0)).unwrap()
    };
    let total = (WRITERS * EACH) as i64;
    assert_eq!(
        count("SELECT count(*) FROM applications WHERE status = 'registered'"),
        total
    );
    assert_eq!(count("SELECT count(*) FROM status_history"), total * 3);
    assert_eq!(
        count("SELECT count(DISTINCT number) FROM applications"),
        total
    );
    assert_eq!(
        count(
            "SELECT count(*) FROM audit_log WHERE action IN ('application.submit', 'application.status')"
        ),
        total * 3
    );
    // Everything written is found.
    let mut found = 0;
    let mut after = None;
    loop {
        let page = reader
            .lookup(&query, &LookupFilter::default(), after.as_ref(), 60)
            .unwrap();
        found += page.rows.len();
        after = page.rows.last().map(|r| r.cursor.clone());
        if !page.more {
            break;
        }
    }
    assert_eq!(found as i64, total);
    eprintln!("{searches} searches ran while {WRITERS} processes wrote {total} applications");
}

/// Backups of an encrypted file taken while two processes write: each copy is encrypted like
/// it, passes `PRAGMA integrity_check`, its audit chain is whole, every application in it has
/// its history, and it restores.
#[test]
fn a_backup_while_others_write_is_consistent_and_restores() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("live.sqlite");
    let slots = [(regdesk::store::operator_slot("writer"), PASSWORD)];
    drop(Store::create_encrypted(&path, &Default::default(), &slots).unwrap());
    let mut children: Vec<_> = (0..2).map(|writer| spawn_writer(&path, writer)).collect();
    let mut store = open(&path);
    let key = store.key().cloned();
    let keyed = regdesk::store::OpenOptions {
        key: key.clone(),
        ..Default::default()
    };
    let mut backups = Vec::new();
    for n in 0..6 {
        let copy = dir.path().join(format!("backup-{n}.sqlite"));
        store.backup_to(&copy).expect("a backup while others write");
        backups.push(copy);
        std::thread::sleep(Duration::from_millis(30));
    }
    for child in children.drain(..) {
        let output = child.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    for copy in &backups {
        let bytes = std::fs::read(copy).unwrap();
        for name in ["Ахметов", "Писатель"] {
            let needle = name.as_bytes();
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle),
                "{name} readable"
            );
        }
        let conn =
            rusqlite::Connection::open_with_flags(copy, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
                .unwrap();
        let pragma = key.as_ref().unwrap().pragma_value();
        conn.execute_batch(&format!("PRAGMA key = \"{pragma}\";"))
            .unwrap();
        let check: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok");
        let without_history: i64 = conn
            .query_row(
                "SELECT count(*) FROM applications a WHERE NOT EXISTS
                 (SELECT 1 FROM status_history h WHERE h.application_id = a.id)",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(without_history, 0, "a half-written submission in {copy:?}");
        drop(conn);
        let restored_path = dir.path().join(format!(
            "restored-{}",
            copy.file_name().unwrap().to_string_lossy()
        ));
        let restored =
            regdesk::store::restore(copy, &restored_path, &keyed, false, &Default::default())
                .unwrap()
                .store;
        assert!(restored.is_encrypted());
        assert!(matches!(
            restored.verify_audit(None).unwrap(),
            regdesk::store::AuditVerdict::Intact { .. }
        ));
    }
    // The backup is refused over an existing file, which is left as it was.
    let before = std::fs::read(&backups[0]).unwrap();
    assert!(matches!(
        store.backup_to(&backups[0]),
        Err(regdesk::store::StoreError::TargetExists { .. })
    ));
    assert_eq!(std::fs::read(&backups[0]).unwrap(), before);
    // A restore over the live database is refused while it is open, and without --replace.
    assert!(
        regdesk::store::restore(&backups[0], &path, &keyed, true, &Default::default()).is_err()
    );
    drop(store);
    assert!(matches!(
        regdesk::store::restore(&backups[0], &path, &keyed, false, &Default::default()),
        Err(regdesk::store::StoreError::TargetExists { .. })
    ));
    let restored = regdesk::store::restore(&backups[5], &path, &keyed, true, &Default::default())
        .unwrap()
        .store;
    assert!(matches!(
        restored.verify_audit(None).unwrap(),
        regdesk::store::AuditVerdict::Intact { .. }
    ));
}
