use std::collections::HashSet;
use std::io::{Seek, SeekFrom, Write};

use super::*;

fn temp_db() -> (tempfile::TempDir, PathBuf) {
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

#[test]
fn an_empty_sqlite_file_at_version_zero_is_migrated() {
    let (_dir, path) = temp_db();
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("PRAGMA user_version = 0;").unwrap();
    }
    let (store, report) = Store::open(&path).unwrap();
    assert_eq!(report.migrated_from, 0);
    assert_eq!(store.schema_version().unwrap(), latest_version());
    let app_id: i32 = store
        .conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .unwrap();
    assert_eq!(app_id, APPLICATION_ID);
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
