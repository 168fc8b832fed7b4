//! The command line's gate and what an outside probe found: every command as every role,
//! restores that keep the record and the encryption, disabled accounts through old key slots,
//! and the files and input the commands take. Fictional people only.

#[path = "support/rules_copy.rs"]
mod rules_copy;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use regdesk::core::{ApplicationStatus, Iin, Permission, Role, Sex};
use regdesk::store::{
    Keyring, KnownApplicant, OpenOptions, StatusRequest, Store, Submission, Unlock, operator_slot,
};

const PASSWORD: &str = "көктем 2026 жыл";
const EXIT_REFUSED: i32 = 4;

/// The accounts of the fixture: login and role.
const ACCOUNTS: [(&str, Role); 4] = [
    ("admin", Role::Admin),
    ("sultan", Role::Supervisor),
    ("olga", Role::Operator),
    ("tamara", Role::Trainer),
];

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

fn says(bytes: &[u8], needle: &str) {
    assert!(text(bytes).contains(needle), "{}", text(bytes));
}

/// `regdesk --db DB ARGS` with `stdin` (no terminal), in English.
fn regdesk(db: &Path, args: &[&str], stdin: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_regdesk"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("LANG", "en_US.UTF-8")
        .env("TZ", "UTC")
        .env_remove("REGDESK_DB")
        .env_remove("REGDESK_LOGIN")
        .env_remove("REGDESK_KEY_FILE")
        // No center profile: the anchor file is the default one, beside the database.
        .env("REGDESK_CENTER", "/nonexistent/center.toml")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // A command that refuses early does not read its input: a closed pipe is no error here.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child.wait_with_output().unwrap()
}

/// `regdesk` as `login`, its password on standard input.
fn regdesk_as(db: &Path, login: &str, args: &[&str]) -> Output {
    let mut all = vec!["--login", login, "--password-stdin"];
    all.extend(args);
    regdesk(db, &all, &format!("{PASSWORD}\n"))
}

/// An encrypted real database with the four accounts (each with its key slot) and one
/// registered applicant; its application number.
fn fixture(dir: &Path, name: &str) -> (PathBuf, String) {
    let path = dir.join(name);
    let slots: Vec<(String, &str)> = ACCOUNTS
        .iter()
        .map(|(login, _)| (operator_slot(login), PASSWORD))
        .collect();
    let (mut store, _) = Store::create_encrypted(&path, &OpenOptions::default(), &slots).unwrap();
    let hash = regdesk::core::password::hash(PASSWORD);
    let admin = store
        .add_operator("admin", "Әкімші Т.", Role::Admin, &hash, None)
        .unwrap()
        .unwrap();
    for (login, role) in &ACCOUNTS[1..] {
        store
            .add_operator(login, "Тест", *role, &hash, Some(admin.id))
            .unwrap()
            .unwrap();
    }
    let born = chrono::NaiveDate::from_ymd_opt(1984, 3, 9).unwrap();
    let draft = store.save_draft(None, "intake", "{}", None).unwrap();
    let number = store
        .submit(&Submission {
            draft_id: draft,
            year: 2026,
            iin: Iin::generate(born, Sex::Female, 4321).unwrap().as_string(),
            person: KnownApplicant {
                surname: "Сейітова".into(),
                given_name: "Мәдина".into(),
                status: "citizen".into(),
                capacity: "full".into(),
                ..KnownApplicant::default()
            },
            registration_type: "temporary".into(),
            period_months: Some(3),
            ruleset: ("set".into(), "1".into(), "0".repeat(64)),
            decision_record: "{}".into(),
            ..Submission::default()
        })
        .unwrap()
        .number;
    store
        .change_status(&StatusRequest {
            number: number.clone(),
            to: ApplicationStatus::Registered,
            reason_code: None,
            note: None,
            registered_from: None,
            today: chrono::Utc::now().date_naive(),
            operator: Some(admin.id),
            override_reason: None,
        })
        .unwrap();
    (path, number)
}

/// A copy of the fixture (the file and its key slots) for one run that may change it.
fn copy_of(db: &Path, dir: &Path, name: &str) -> PathBuf {
    let to = dir.join(name);
    std::fs::copy(db, &to).unwrap();
    std::fs::copy(
        regdesk::store::keyring_path(db),
        regdesk::store::keyring_path(&to),
    )
    .unwrap();
    to
}

/// Opens an encrypted database with `login`'s slot, as a test reads what a command did.
fn open(db: &Path, login: &str) -> Store {
    let mut ring = Keyring::open(db).unwrap();
    let Unlock::Key(key) = ring
        .unlock(&operator_slot(login), PASSWORD, chrono::Utc::now())
        .unwrap()
    else {
        panic!("{login}'s slot does not open {db:?}");
    };
    Store::open_with(
        db,
        &OpenOptions {
            key: Some(key),
            ..OpenOptions::default()
        },
    )
    .unwrap()
    .0
}

/// The audit rows of `action`: (operator login, details).
fn audit_rows(db: &Path, action: &str) -> Vec<(Option<String>, String)> {
    let store = open(db, "admin");
    let filter = regdesk::store::AuditFilter {
        action: Some(action.to_owned()),
        ..Default::default()
    };
    store
        .audit_rows(&filter, 1000)
        .unwrap()
        .into_iter()
        .filter(|r| r.action == action)
        .map(|r| (r.operator, r.details.unwrap_or_default()))
        .collect()
}

/// Every command that opens the database, as each role: the role table decides, refusals
/// exit 4 naming the action, and are audited.
#[test]
fn every_command_as_every_role() {
    let dir = tempfile::tempdir().unwrap();
    let (db, number) = fixture(dir.path(), "fixture.sqlite");
    let backup = dir.path().join("fixture-backup.sqlite");
    let out = regdesk_as(&db, "admin", &["backup", backup.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    // (arguments, what it needs, the exit code when allowed)
    let commands: Vec<(Vec<String>, Permission, i32)> = vec![
        (vec!["lookup".into(), number.clone()], Permission::Lookup, 0),
        (
            vec!["due".into(), "--within".into(), "0".into()],
            Permission::Lookup,
            1,
        ),
        (
            vec![
                "print".into(),
                "receipt".into(),
                number.clone(),
                "--out".into(),
                "-".into(),
            ],
            Permission::Lookup,
            0,
        ),
        (vec!["expire".into()], Permission::Expire, 0),
        (
            vec!["report".into(), "daily".into()],
            Permission::DailySummary,
            0,
        ),
        (
            vec!["audit".into(), "verify".into()],
            Permission::ViewAudit,
            0,
        ),
        (vec!["backup".into(), "NEW".into()], Permission::Backup, 0),
        (
            vec![
                "restore".into(),
                backup.to_str().unwrap().into(),
                "--replace".into(),
            ],
            Permission::Restore,
            0,
        ),
        (
            vec![
                "retention".into(),
                "--years".into(),
                "1".into(),
                "--apply".into(),
            ],
            Permission::Retention,
            0,
        ),
        (
            vec!["operator".into(), "list".into()],
            Permission::ManageOperators,
            0,
        ),
        (vec!["encrypt".into()], Permission::ManageKeys, 0),
        (vec!["rekey".into()], Permission::ManageKeys, 0),
        (
            vec![
                "key-file".into(),
                "NEW".into(),
                "--role".into(),
                "operator".into(),
            ],
            Permission::ManageKeys,
            0,
        ),
    ];
    for (i, (args, what, allowed_code)) in commands.iter().enumerate() {
        for (login, role) in ACCOUNTS {
            let db = copy_of(&db, dir.path(), &format!("case-{i}-{login}.sqlite"));
            let new = dir.path().join(format!("new-{i}-{login}"));
            let args: Vec<&str> = args
                .iter()
                .map(|a| if a == "NEW" { new.to_str().unwrap() } else { a })
                .collect();
            let out = regdesk_as(&db, login, &args);
            let case = format!("{login} ({role:?}) {args:?}: {}", text(&out.stderr));
            if role.allows(*what, false) {
                assert_eq!(code(&out), *allowed_code, "{case}");
                continue;
            }
            assert_eq!(code(&out), EXIT_REFUSED, "{case}");
            says(&out.stderr, "refused");
            assert!(!new.exists(), "{case}: nothing written");
            // Audited, as that account, naming what was refused.
            let rows = audit_rows(&db, "permission.refused");
            assert!(
                rows.iter()
                    .any(|(who, details)| who.as_deref() == Some(login)
                        && details.contains(what.code())),
                "{case}: {rows:?}"
            );
        }
    }
}

/// Without an account (no terminal, no --login) a command on a real database is told how to
/// give one; a database without accounts names nobody, so nothing is done on it.
#[test]
fn a_command_needs_an_account() {
    let dir = tempfile::tempdir().unwrap();
    let (db, number) = fixture(dir.path(), "desk.sqlite");
    let out = regdesk(&db, &["lookup", &number], "");
    assert_eq!(code(&out), 1);
    says(&out.stderr, "--key-file");
    let plain = dir.path().join("plain.sqlite");
    drop(Store::open(&plain).unwrap());
    let out = regdesk(&plain, &["retention", "--years", "1", "--apply"], "");
    assert_eq!(code(&out), EXIT_REFUSED, "{}", text(&out.stderr));
    says(&out.stderr, "no accounts yet");
}

/// A disabled account opens nothing, even through a copy of the key slots made before it
/// was disabled (every backup carries one); a trainer opens no real database.
#[test]
fn disabled_accounts_and_trainers_open_nothing_real() {
    let dir = tempfile::tempdir().unwrap();
    let (db, number) = fixture(dir.path(), "desk.sqlite");
    let old_slots = dir.path().join("old.keys");
    std::fs::copy(regdesk::store::keyring_path(&db), &old_slots).unwrap();
    let out = regdesk_as(&db, "admin", &["operator", "disable", "olga"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let out = regdesk_as(&db, "olga", &["lookup", &number]);
    assert_eq!(code(&out), 1);
    // Her old slot still opens the file, but the account is checked inside it.
    std::fs::copy(&old_slots, regdesk::store::keyring_path(&db)).unwrap();
    let out = regdesk_as(&db, "olga", &["lookup", &number]);
    assert_eq!(code(&out), 1, "{}", text(&out.stdout));
    says(&out.stderr, "Wrong login or password");
    assert!(!text(&out.stdout).contains(&number));
    let out = regdesk_as(&db, "tamara", &["lookup", &number]);
    assert_eq!(code(&out), EXIT_REFUSED);
    says(&out.stderr, "training databases only");
}

/// A key file carries the role it was made with.
#[test]
fn a_key_file_carries_its_role() {
    let dir = tempfile::tempdir().unwrap();
    let (db, number) = fixture(dir.path(), "desk.sqlite");
    let key = dir.path().join("kiosk.key");
    let out = regdesk_as(
        &db,
        "admin",
        &["key-file", key.to_str().unwrap(), "--role", "operator"],
    );
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let with_key = |args: &[&str]| {
        let mut all = vec!["--key-file", key.to_str().unwrap()];
        all.extend(args);
        regdesk(&db, &all, "")
    };
    assert_eq!(code(&with_key(&["lookup", &number])), 0);
    let out = with_key(&["retention", "--years", "1", "--apply"]);
    assert_eq!(code(&out), EXIT_REFUSED, "{}", text(&out.stderr));
    says(&out.stderr, "@key-file is operator");
    // Made without a role, it is refused.
    let out = regdesk_as(&db, "admin", &["key-file", "x.key"]);
    assert_eq!(code(&out), 2);
    // A key file with the administrator's role is no administrator who could sign in: the
    // last real one still cannot be disabled.
    let admin_key = dir.path().join("admin.key");
    let out = regdesk_as(
        &db,
        "admin",
        &["key-file", admin_key.to_str().unwrap(), "--role", "admin"],
    );
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let out = regdesk_as(&db, "admin", &["operator", "disable", "admin"]);
    assert_eq!(code(&out), 1);
    says(&out.stderr, "last active administrator");
}

/// A restore is an administrator's act that keeps the record: the replaced database is kept
/// aside, the restored one says who restored it and where the replaced chain ended, a plain
/// backup never replaces an encrypted database, and no slots are left beside a file they do
/// not open.
#[test]
fn a_restore_keeps_the_record_and_the_protection() {
    let dir = tempfile::tempdir().unwrap();
    let (db, number) = fixture(dir.path(), "desk.sqlite");
    let backup = dir.path().join("monday.sqlite");
    assert_eq!(
        code(&regdesk_as(
            &db,
            "admin",
            &["backup", backup.to_str().unwrap()]
        )),
        0
    );
    // Audited work after the backup.
    assert_eq!(code(&regdesk_as(&db, "olga", &["lookup", &number])), 0);
    let before = open(&db, "admin").audit_anchor().unwrap().unwrap();
    // An operator cannot restore.
    let bytes = std::fs::read(&db).unwrap();
    let out = regdesk_as(
        &db,
        "olga",
        &["restore", backup.to_str().unwrap(), "--replace"],
    );
    assert_eq!(code(&out), EXIT_REFUSED);
    // (the refusal itself is audited inside the file, so compare the applications instead)
    assert_ne!(std::fs::read(&db).unwrap().len(), 0);
    drop(bytes);
    let out = regdesk_as(
        &db,
        "admin",
        &["restore", backup.to_str().unwrap(), "--replace"],
    );
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    says(&out.stdout, "kept as");
    // The replaced database is kept, whole, with its slots: its chain ends past the backup.
    let kept: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with("desk.sqlite.replaced-") && !name.ends_with(".keys")
        })
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    let kept_end = open(&kept[0], "admin").audit_anchor().unwrap().unwrap();
    assert!(kept_end.0 >= before.0, "{kept_end:?} {before:?}");
    // The restored database names the restore, the administrator and the replaced chain end.
    let rows = audit_rows(&db, "database.restore");
    assert_eq!(rows.len(), 1, "{rows:?}");
    let (who, details) = &rows[0];
    assert_eq!(who.as_deref(), Some("admin"));
    assert!(details.contains(&kept_end.1), "{details}");
    // Checked against the anchors outside the file: the restore is seen, the anchors of the
    // replaced database are told apart, nothing is reported broken.
    let out = regdesk_as(&db, "sultan", &["audit", "verify"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    says(&out.stdout, "Restored from a backup");
    says(&out.stdout, "to a database a restore replaced");
    // A plain backup never replaces the encrypted database.
    let plain = dir.path().join("plain.sqlite");
    {
        let (mut store, _) = Store::open(&plain).unwrap();
        let hash = regdesk::core::password::hash(PASSWORD);
        store
            .add_operator("admin", "Әкімші Т.", Role::Admin, &hash, None)
            .unwrap()
            .unwrap();
    }
    let plain_backup = dir.path().join("plain-backup.sqlite");
    assert_eq!(
        code(&regdesk_as(
            &plain,
            "admin",
            &["backup", plain_backup.to_str().unwrap()]
        )),
        0
    );
    let bytes = std::fs::read(&db).unwrap();
    let out = regdesk_as(
        &db,
        "admin",
        &["restore", plain_backup.to_str().unwrap(), "--replace"],
    );
    assert_eq!(code(&out), 1);
    says(&out.stderr, "unencrypted");
    assert!(regdesk::store::is_encrypted_file(&db));
    assert!(std::fs::read(&db).unwrap() == bytes, "the database changed");
    // A plain backup over a plain database takes no slots along, and leaves none that would
    // not open it.
    let stale = regdesk::store::keyring_path(&plain);
    std::fs::copy(regdesk::store::keyring_path(&db), &stale).unwrap();
    let out = regdesk_as(
        &plain,
        "admin",
        &["restore", plain_backup.to_str().unwrap(), "--replace"],
    );
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    assert!(!stale.exists());
    // The database is never restored onto itself.
    let out = regdesk_as(
        &db,
        "admin",
        &["restore", db.to_str().unwrap(), "--replace"],
    );
    assert_eq!(code(&out), 1);
    says(&out.stderr, "the database itself");
}

/// Nobody ends a registration by hand: not the store, whoever asks.
#[test]
fn expired_is_never_picked_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let (db, number) = fixture(dir.path(), "desk.sqlite");
    let mut store = open(&db, "admin");
    let admin = store.operators().unwrap()[0].id;
    for operator in [None, Some(admin)] {
        let outcome = store
            .change_status(&StatusRequest {
                number: number.clone(),
                to: ApplicationStatus::Expired,
                reason_code: None,
                note: None,
                registered_from: None,
                today: chrono::Utc::now().date_naive(),
                operator,
                override_reason: Some("asked".into()),
            })
            .unwrap();
        assert!(
            matches!(outcome, regdesk::store::StatusOutcome::Forbidden { .. }),
            "{outcome:?}"
        );
    }
    assert_eq!(
        store.application(&number).unwrap().unwrap().status,
        ApplicationStatus::Registered.code()
    );
}

/// `--out` never writes through a link, replaces a file only with `--force` (and then leaves
/// it readable by its owner only), and takes `/dev/null`; a backup never follows a dangling
/// link to write at its target.
#[cfg(unix)] // file modes and symbolic links as Unix has them
#[test]
fn papers_and_backups_are_written_as_new_private_files() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let (db, number) = fixture(dir.path(), "desk.sqlite");
    let receipt = |out: &Path, force: bool| {
        let mut args = vec!["print", "receipt", &number, "--out", out.to_str().unwrap()];
        if force {
            args.push("--force");
        }
        regdesk_as(&db, "olga", &args)
    };
    let existing = dir.path().join("old.txt");
    std::fs::write(&existing, "an older paper").unwrap();
    std::fs::set_permissions(&existing, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = receipt(&existing, false);
    assert_eq!(code(&out), 3);
    says(&out.stderr, "--force");
    assert_eq!(
        std::fs::read_to_string(&existing).unwrap(),
        "an older paper"
    );
    let out = receipt(&existing, true);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    assert!(
        std::fs::read_to_string(&existing)
            .unwrap()
            .contains(&number)
    );
    let mode = std::fs::metadata(&existing).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "replaced, readable by its owner only");
    // Through a link: refused, with or without --force; the target is untouched.
    let target = dir.path().join("target.txt");
    std::fs::write(&target, "someone else's file").unwrap();
    let link = dir.path().join("link.txt");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    for force in [false, true] {
        let out = receipt(&link, force);
        assert_eq!(code(&out), 3);
        says(&out.stderr, "symbolic link");
    }
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        "someone else's file"
    );
    assert_eq!(code(&receipt(Path::new("/dev/null"), false)), 0);
    // A backup through a dangling link does not create its target.
    let nowhere = dir.path().join("nowhere.sqlite");
    let dangling = dir.path().join("dangling.sqlite");
    std::os::unix::fs::symlink(&nowhere, &dangling).unwrap();
    let out = regdesk_as(&db, "admin", &["backup", dangling.to_str().unwrap()]);
    assert_eq!(code(&out), 1);
    assert!(!nowhere.exists());
    assert!(!dir.path().join("dangling.sqlite.partial").exists());
}

/// The small findings: dates at the edges, a password line of any length, display names
/// that could fake a line, a key given twice, and what `due` lists on the record.
#[test]
fn input_at_the_edges() {
    let dir = tempfile::tempdir().unwrap();
    let (db, number) = fixture(dir.path(), "desk.sqlite");
    let count = |args: &[&str]| {
        let mut all = vec!["lookup", "Сейітова", "--format", "json"];
        all.extend(args);
        let out = regdesk_as(&db, "olga", &all);
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
        json["results"].as_array().map_or(0, Vec::len)
    };
    assert_eq!(count(&[]), 1);
    assert_eq!(count(&["--to", "9999-12-30"]), 1);
    assert_eq!(count(&["--to", "9999-12-31"]), 1, "the last day there is");
    for bad in ["+10000-01-01", "10000-01-01", "2026-1-1", "-2026-01-01"] {
        let out = regdesk_as(&db, "olga", &["lookup", "Сейітова", "--from", bad]);
        assert_eq!(code(&out), 2, "{bad}: {}", text(&out.stderr));
    }
    // A password line of any length is not read whole.
    let long = "x".repeat(4 * 1024 * 1024);
    let out = regdesk(
        &db,
        &["--login", "olga", "--password-stdin", "lookup", &number],
        &long,
    );
    assert_eq!(code(&out), 1);
    // Display names that could fake or hide a line are refused.
    // Far over the limit, and within every system's command line (Windows takes 32K).
    let long_name = "Ә".repeat(10 * 1024);
    let names = [
        "",
        "  ",
        "Тест\tА.",
        "Тест\u{1b}[2J",
        "Тест\u{202e}А",
        "Тест\nА",
        &long_name,
    ];
    for name in names {
        let add = [
            "operator",
            "add",
            "newbie",
            "--name",
            name,
            "--role",
            "operator",
            "--admin",
            "admin",
            "--password-stdin",
        ];
        let out = regdesk(&db, &add, &format!("{PASSWORD}\nжаңа құпия 77\n"));
        assert_eq!(code(&out), 1, "{}", text(&out.stderr));
        says(&out.stderr, "A name is 1 to 100 characters");
    }
    // A facts document with a key given twice.
    let out = regdesk(
        &db,
        &["checklist", "--facts", "-"],
        r#"{"applicant":{"status":"citizen","status":"refugee"}}"#,
    );
    assert_eq!(code(&out), 2);
    says(&out.stderr, "given twice");
    // What `due` and `report daily` listed is on the record, not only the unlock.
    let out = regdesk_as(&db, "olga", &["due", "--within", "366"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let rows = audit_rows(&db, "due.list");
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(rows[0].1.contains(&number), "{rows:?}");
    assert_eq!(rows[0].0.as_deref(), Some("olga"));
    assert_eq!(code(&regdesk_as(&db, "sultan", &["report", "daily"])), 0);
    assert_eq!(audit_rows(&db, "report.daily").len(), 1);
}

/// `demo generate` killed at any moment leaves nothing under the name asked for: the file
/// appears only when it is complete.
#[test]
fn a_killed_demo_generation_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    for (i, wait_ms) in [150u64, 400, 900].into_iter().enumerate() {
        let out = dir.path().join(format!("demo-{i}.sqlite"));
        let mut child = Command::new(env!("CARGO_BIN_EXE_regdesk"))
            .args(["demo", "generate", "--applicants", "2000000", "--out"])
            .arg(&out)
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(wait_ms));
        let _ = child.kill();
        let _ = child.wait();
        assert!(!out.exists(), "a partial database under {out:?}");
    }
    let out = dir.path().join("demo-done.sqlite");
    let done = Command::new(env!("CARGO_BIN_EXE_regdesk"))
        .args(["demo", "generate", "--applicants", "50", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(code(&done), 0, "{}", text(&done.stderr));
    assert!(out.exists());
    assert!(!dir.path().join("demo-done.sqlite.partial").exists());
}

/// Retention leaves nobody in the file: on generated data (whose rows were updated while
/// they were loaded, leaving old copies in the pages' free space), not one anonymised IIN
/// can be found in the file's bytes afterwards, nor in a WAL beside it.
#[test]
fn retention_leaves_no_old_copies_in_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.sqlite");
    let made = Command::new(env!("CARGO_BIN_EXE_regdesk"))
        .args(["demo", "generate", "--applicants", "4000", "--out"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(code(&made), 0, "{}", text(&made.stderr));
    let closed = |conn: &rusqlite::Connection| -> Vec<String> {
        conn.prepare(
            "SELECT p.iin FROM applicants p WHERE p.iin IS NOT NULL
               AND EXISTS (SELECT 1 FROM applications a WHERE a.applicant_id = p.id)
               AND NOT EXISTS (SELECT 1 FROM applications a WHERE a.applicant_id = p.id
                   AND (a.status NOT IN ('refused', 'withdrawn', 'expired')
                        OR a.updated_at >= ?1))",
        )
        .unwrap()
        .query_map(
            [regdesk::store::timestamp(
                chrono::Utc::now() - chrono::Duration::days(366),
            )],
            |r| r.get(0),
        )
        .unwrap()
        .map(Result::unwrap)
        .collect()
    };
    let iins = closed(&rusqlite::Connection::open(&db).unwrap());
    assert!(iins.len() > 100, "the fixture has closed applicants");
    let out = regdesk(
        &db,
        &["--training", "retention", "--years", "1", "--apply"],
        "",
    );
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let mut bytes = std::fs::read(&db).unwrap();
    bytes.extend(std::fs::read(dir.path().join("demo.sqlite-wal")).unwrap_or_default());
    // One pass over the bytes, each window looked up among the IINs.
    let wanted: std::collections::HashSet<&[u8]> = iins.iter().map(|i| i.as_bytes()).collect();
    let left: std::collections::HashSet<&[u8]> = bytes
        .windows(12)
        .filter(|w| w[0].is_ascii_digit() && wanted.contains(w))
        .collect();
    assert!(
        left.is_empty(),
        "{} of {} still in the file",
        left.len(),
        iins.len()
    );
}

/// An older copy of the database put in place of the live one by hand (not restored), or a
/// cut tail, is caught by `audit verify` against the anchors kept outside the file, where the
/// chain alone looks intact.
#[test]
fn a_rollback_by_hand_is_caught_by_the_anchors() {
    let dir = tempfile::tempdir().unwrap();
    let (db, number) = fixture(dir.path(), "desk.sqlite");
    let monday = dir.path().join("monday.sqlite");
    assert_eq!(
        code(&regdesk_as(
            &db,
            "admin",
            &["backup", monday.to_str().unwrap()]
        )),
        0
    );
    assert_eq!(code(&regdesk_as(&db, "olga", &["lookup", &number])), 0);
    let tuesday = dir.path().join("tuesday.sqlite");
    assert_eq!(
        code(&regdesk_as(
            &db,
            "admin",
            &["backup", tuesday.to_str().unwrap()]
        )),
        0
    );
    let out = regdesk_as(&db, "sultan", &["audit", "verify"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    says(&out.stdout, "All 2 anchors");
    // Monday's copy (and its slots) put in place of the live file, as a shell would.
    std::fs::copy(&monday, &db).unwrap();
    std::fs::copy(
        regdesk::store::keyring_path(&monday),
        regdesk::store::keyring_path(&db),
    )
    .unwrap();
    let out = regdesk_as(&db, "sultan", &["audit", "verify"]);
    assert_eq!(code(&out), 1, "{}", text(&out.stdout));
    // (its own sign-in wrote new rows where Tuesday's anchor was: a different row there)
    says(&out.stderr, "an older copy of the database");
    // An anchor file edited by hand is reported as such.
    let anchors = dir.path().join("desk.sqlite.anchors");
    let mut text_of = std::fs::read_to_string(&anchors).unwrap();
    text_of.push_str("a line someone added\n");
    std::fs::write(&anchors, text_of).unwrap();
    let out = regdesk_as(&db, "sultan", &["audit", "verify"]);
    assert_eq!(code(&out), 1);
    says(&out.stderr, "is not an anchor");
}

/// A rule value too large for 64 bits (the probe's 9223372036854775808) is refused by
/// `rules check` wherever a rule holds a number: a comparison, a list, a consent's count.
#[test]
fn a_rule_number_too_large_is_refused() {
    for (file, from, to) in [
        (
            "rules/10-applicant.toml",
            "\"applicant.age\" = { lt = 14 }",
            "\"applicant.age\" = { lt = 9223372036854775808 }",
        ),
        (
            "rules/20-dwelling.toml",
            "\"dwelling.owners\" = { ge = 2 }",
            "\"dwelling.owners\" = [2, 9223372036854775808]",
        ),
        (
            "rules/20-dwelling.toml",
            "count = 1",
            "count = 9223372036854775808",
        ),
    ] {
        let (_tmp, root) = rules_copy::copy_of_rules();
        let path = root.join(file);
        let source = std::fs::read_to_string(&path).unwrap();
        assert!(source.contains(from), "{file}: {from}");
        std::fs::write(&path, source.replacen(from, to, 1)).unwrap();
        let out = regdesk(
            Path::new("/nonexistent.sqlite"),
            &["rules", "check", root.to_str().unwrap()],
            "",
        );
        assert_eq!(code(&out), 1, "{to}: {}", text(&out.stderr));
        says(&out.stderr, "9223372036854775808 is not a usable number");
    }
}
