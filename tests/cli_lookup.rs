//! `regdesk lookup`, `expire`, `report daily` and `demo generate` as scripts use them: exit
//! codes, the JSON, the CSV against a hand-counted fixture, and files left alone.

use std::path::Path;
use std::process::{Command, Output};

use regdesk::core::{ApplicationStatus, Iin, Sex};
use regdesk::store::{DatabaseKind, KnownApplicant, OpenOptions, StatusRequest, Store, Submission};

fn regdesk(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_regdesk"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("LANG", "en_US.UTF-8")
        .env("TZ", "UTC")
        .env_remove("REGDESK_DB")
        .env_remove("REGDESK_RULES")
        .output()
        .unwrap()
}

/// The password of every fixture account.
const PASSWORD: &str = "көктем 2026 жыл";

/// The fixture's accounts, one of each role: admin (administrator), sultan (supervisor),
/// olga (operator), tamara (trainer).
fn accounts(store: &mut Store) {
    use regdesk::core::Role;
    let hash = regdesk::core::password::hash(PASSWORD);
    let admin = store
        .add_operator("admin", "Әкімші Т.", Role::Admin, &hash, None)
        .unwrap()
        .unwrap();
    for (login, role) in [
        ("sultan", Role::Supervisor),
        ("olga", Role::Operator),
        ("tamara", Role::Trainer),
    ] {
        store
            .add_operator(login, "Тест", role, &hash, Some(admin.id))
            .unwrap()
            .unwrap();
    }
}

/// `regdesk` run as the fixture account `login` (its password on standard input).
fn regdesk_as(db: &Path, login: &str, args: &[&str]) -> Output {
    let mut all = vec!["--login", login, "--password-stdin"];
    all.extend(args);
    regdesk_stdin(db, &all, &format!("{PASSWORD}\n"))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Asserts that `bytes` (a command's stdout or stderr) hold `needle`, showing them if not.
fn says(bytes: &[u8], needle: &str) {
    assert!(text(bytes).contains(needle), "{}", text(bytes));
}

fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

/// A database of three fictional people: Абаев (submitted, then registered), Әбдірахманов
/// (refused: no title documents), Ахметова (refused: consent refused, then nothing).
fn fixture(dir: &Path) -> (std::path::PathBuf, Vec<String>) {
    let path = dir.join("desk.sqlite");
    let (mut store, _) = Store::open(&path).unwrap();
    let mut numbers = Vec::new();
    for (i, (surname, given)) in [
        ("Абаев", "Ерлан"),
        ("Әбдірахманов", "Нұрлан"),
        ("Ахметова", "Айгүл"),
    ]
    .iter()
    .enumerate()
    {
        let born = chrono::NaiveDate::from_ymd_opt(1980 + i as i32, 1, 15).unwrap();
        let iin = Iin::generate(born, Sex::Female, 1234).unwrap().as_string();
        let draft = store.save_draft(None, "intake", "{}", None).unwrap();
        let submission = Submission {
            draft_id: draft,
            year: 2026,
            iin,
            person: KnownApplicant {
                surname: (*surname).into(),
                given_name: (*given).into(),
                status: "citizen".into(),
                capacity: "full".into(),
                ..KnownApplicant::default()
            },
            registration_type: "temporary".into(),
            period_months: Some(1),
            ruleset: ("set".into(), "1".into(), "0".repeat(64)),
            decision_record: "{}".into(),
            ..Submission::default()
        };
        numbers.push(store.submit(&submission).unwrap().number);
    }
    accounts(&mut store);
    let today = chrono::Utc::now().date_naive();
    let change = |store: &mut Store, number: &str, to, reason: Option<&str>, from| {
        store
            .change_status(&StatusRequest {
                number: number.into(),
                to,
                reason_code: reason.map(Into::into),
                note: None,
                registered_from: from,
                today,
                operator: None,
                override_reason: None,
            })
            .unwrap();
    };
    // Registered two months ago for one month: ended, to expire.
    let long_ago = today - chrono::Days::new(60);
    change(
        &mut store,
        &numbers[0],
        ApplicationStatus::Registered,
        None,
        Some(long_ago),
    );
    change(
        &mut store,
        &numbers[1],
        ApplicationStatus::Refused,
        Some("no_title_documents"),
        None,
    );
    change(
        &mut store,
        &numbers[2],
        ApplicationStatus::Refused,
        Some("consent_refused"),
        None,
    );
    (path, numbers)
}

#[test]
fn lookup_prints_json_in_alphabetical_order_with_masked_iins() {
    let dir = tempfile::tempdir().unwrap();
    let (db, numbers) = fixture(dir.path());
    let out = regdesk_as(&db, "olga", &["lookup", "аб", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = json["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Абаев Ерлан", "Әбдірахманов Нұрлан"]);
    let first = &json["results"][0];
    assert_eq!(first["number"], numbers[0].as_str());
    assert_eq!(first["status"], "registered");
    let iin = first["iin"].as_str().unwrap();
    assert!(
        iin.starts_with("********") && iin.chars().count() == 12,
        "{iin}"
    );
    assert_eq!(json["more"], false);
    // --limit and --status narrow it; a number typed loosely finds its application.
    let out = regdesk_as(
        &db,
        "olga",
        &["lookup", "а", "--limit", "1", "--format", "json"],
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["results"].as_array().unwrap().len(), 1);
    assert_eq!(json["more"], true);
    let out = regdesk_as(&db, "olga", &["lookup", "а", "--status", "refused"]);
    assert_eq!(
        text(&out.stdout).lines().count(),
        2,
        "{}",
        text(&out.stdout)
    );
    let loose = numbers[2].replace('-', "").to_lowercase();
    let out = regdesk_as(&db, "olga", &["lookup", &loose]);
    assert_eq!(code(&out), 0);
    assert!(text(&out.stdout).contains("Ахметова Айгүл"));
}

#[test]
fn lookup_exit_codes_none_and_bad_arguments() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = fixture(dir.path());
    let none = regdesk_as(&db, "olga", &["lookup", "жжж"]);
    assert_eq!(code(&none), 1);
    assert!(text(&none.stderr).contains("Nothing found"));
    for bad in [
        vec!["lookup", "  "],
        vec!["lookup", "1234"],
        vec!["lookup", "аб", "--status", "approved"],
        vec!["lookup", "аб", "--limit", "0"],
        vec!["lookup", "аб", "--format", "xml"],
        vec!["lookup"],
    ] {
        assert_eq!(code(&regdesk_as(&db, "olga", &bad)), 2, "{bad:?}");
    }
    // No database there: nothing found, and none is created.
    let absent = dir.path().join("absent.sqlite");
    assert_eq!(code(&regdesk(&absent, &["lookup", "аб"])), 1);
    assert!(!absent.exists());
}

#[test]
fn the_daily_csv_matches_the_hand_count_and_expire_moves_the_ended_one() {
    let dir = tempfile::tempdir().unwrap();
    let (db, numbers) = fixture(dir.path());
    let today = chrono::Utc::now().date_naive().to_string();
    let out_file = dir.path().join("daily.csv");
    let out = regdesk_as(
        &db,
        "sultan",
        &[
            "report",
            "daily",
            "--date",
            &today,
            "--out",
            out_file.to_str().unwrap(),
        ],
    );
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let csv = std::fs::read_to_string(&out_file).unwrap();
    // The audit chain's end closes the summary: the hash `audit verify` gives, and its row.
    let (csv, anchor) = csv.trim_end().rsplit_once('\n').unwrap();
    let csv = format!("{csv}\n");
    let fields: Vec<&str> = anchor.split(',').collect();
    assert_eq!(
        &fields[..3],
        [today.as_str(), "audit", "last_hash"],
        "{anchor}"
    );
    // The hash the summary printed is in the chain that `audit verify` walks.
    let verify = regdesk_as(&db, "sultan", &["audit", "verify", "--anchor", fields[3]]);
    assert_eq!(code(&verify), 0, "{}", text(&verify.stderr));
    // 3 submissions and 3 status changes, 4 accounts added, the reporter's sign-in.
    assert_eq!(fields[4], "11", "{anchor}");
    // Hand-counted: 3 submitted, 1 registered, 2 refused (one per reason); 6 changes, all by
    // nobody signed in.
    let expected = format!(
        "date,section,key,label,count\n\
         {today},status,refused,Refused,2\n\
         {today},status,registered,Registered,1\n\
         {today},status,submitted,Submitted,3\n\
         {today},refusal_reason,consent_refused,The owner or a co-owner refused consent to the registration,1\n\
         {today},refusal_reason,no_title_documents,\"The dwelling has no title documents (as happens with houses not commissioned or beyond the \"\"red line\"\"; a house of any material, adobe included, is registrable once its title is registered)\",1\n\
         {today},operator,,not signed in,6\n"
    );
    assert_eq!(csv, expected);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "the report is readable by its owner only");
    }
    // Another day: no counts, only the chain's end as it is now.
    let out = regdesk_as(&db, "sultan", &["report", "daily", "--date", "2020-03-01"]);
    let lines: Vec<String> = text(&out.stdout).lines().map(String::from).collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(
        lines[1].starts_with("2020-03-01,audit,last_hash,"),
        "{lines:?}"
    );

    let out = regdesk_as(&db, "sultan", &["expire"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).trim(), numbers[0]);
    let again = regdesk_as(&db, "sultan", &["expire"]);
    assert_eq!(text(&again.stdout), "");
    let out = regdesk_as(&db, "olga", &["lookup", &numbers[0], "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["results"][0]["status"], "expired");
}

#[test]
fn demo_data_goes_only_into_a_new_file_and_is_a_training_database() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("demo.sqlite");
    let out = Command::new(env!("CARGO_BIN_EXE_regdesk"))
        .args(["demo", "generate", "--applicants", "500", "--out"])
        .arg(&out_path)
        .env("LANG", "en_US.UTF-8")
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("500 fictional applicants"));
    // A training database: refused as a real one, opened with --training.
    assert_eq!(code(&regdesk(&out_path, &["lookup", "а"])), 1);
    let training = Command::new(env!("CARGO_BIN_EXE_regdesk"))
        .args(["--training", "--db"])
        .arg(&out_path)
        .args(["lookup", "а", "--format", "json", "--limit", "5"])
        .output()
        .unwrap();
    assert_eq!(code(&training), 0, "{}", text(&training.stderr));
    // Every status occurs, with its history; the counters continue after the data.
    let (store, _) = Store::open_with(
        &out_path,
        &OpenOptions {
            kind: DatabaseKind::Training,
            ..OpenOptions::default()
        },
    )
    .unwrap();
    drop(store);
    let conn = rusqlite::Connection::open(&out_path).unwrap();
    let statuses: i64 = conn
        .query_row("SELECT count(DISTINCT status) FROM applications", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(statuses, 8);
    let orphans: i64 = conn
        .query_row(
            "SELECT count(*) FROM applications a WHERE NOT EXISTS
             (SELECT 1 FROM status_history h WHERE h.application_id = a.id)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(orphans, 0);
    drop(conn);
    // A second run onto the same file is refused, and the file is left as it was.
    let before = std::fs::read(&out_path).unwrap();
    let again = Command::new(env!("CARGO_BIN_EXE_regdesk"))
        .args(["demo", "generate", "--applicants", "10", "--out"])
        .arg(&out_path)
        .env("LANG", "en_US.UTF-8")
        .output()
        .unwrap();
    assert_eq!(code(&again), 2);
    assert!(text(&again.stderr).contains("already exists"));
    assert_eq!(std::fs::read(&out_path).unwrap(), before);
}

#[test]
fn backup_and_restore_from_the_command_line_and_a_damaged_backup_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (db, numbers) = fixture(dir.path());
    let copy = dir.path().join("copy.sqlite");
    let out = regdesk_as(&db, "admin", &["backup", copy.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    says(&out.stdout, "its audit chain ends at #");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&copy).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "a backup is readable by its owner only");
    }
    // A second backup onto the same file is refused.
    assert_eq!(
        code(&regdesk_as(
            &db,
            "admin",
            &["backup", copy.to_str().unwrap()]
        )),
        1
    );
    // Restored as another database: the applications are there, and the chain is whole.
    let restored = dir.path().join("restored.sqlite");
    let out = regdesk_as(&restored, "admin", &["restore", copy.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let out = regdesk_as(
        &restored,
        "olga",
        &["lookup", &numbers[1], "--format", "json"],
    );
    assert_eq!(code(&out), 0);
    assert_eq!(
        code(&regdesk_as(&restored, "sultan", &["audit", "verify"])),
        0
    );
    // Without --replace an existing database stays.
    let out = regdesk_as(&restored, "admin", &["restore", copy.to_str().unwrap()]);
    assert_eq!(code(&out), 1);
    says(&out.stderr, "already exists");
    // A damaged backup is refused before anything is replaced.
    let mut bytes = std::fs::read(&copy).unwrap();
    let middle = bytes.len() / 2;
    for b in &mut bytes[middle..middle + 4096] {
        *b = 0x5a;
    }
    let damaged = dir.path().join("damaged.sqlite");
    std::fs::write(&damaged, &bytes).unwrap();
    let before = std::fs::read(&restored).unwrap();
    let out = regdesk_as(
        &restored,
        "admin",
        &["restore", damaged.to_str().unwrap(), "--replace"],
    );
    assert_eq!(code(&out), 1);
    says(&out.stderr, "damaged");
    assert!(
        std::fs::read(&restored).unwrap() == before,
        "the database changed"
    );
    assert!(!dir.path().join("restored.sqlite.restoring").exists());
}

fn regdesk_stdin(db: &Path, args: &[&str], stdin: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_regdesk"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("LANG", "en_US.UTF-8")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn operators_are_managed_by_an_administrator_with_passwords_from_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.sqlite");
    let op = |args: &[&str], stdin: &str| regdesk_stdin(&db, args, stdin);
    let add = |login: &str, name: &str, role: &str, stdin: &str| {
        let args = [
            "operator",
            "add",
            login,
            "--name",
            name,
            "--role",
            role,
            "--password-stdin",
        ];
        op(&args, stdin)
    };
    // The first account: an administrator, without --admin.
    let out = add("zhanar", "Жанар А.", "operator", "көктем 2026 жыл\n");
    assert_eq!(code(&out), 1);
    says(&out.stderr, "--role admin");
    let out = add("admin", "Әкімші", "admin", "short\n");
    assert_eq!(code(&out), 1);
    says(&out.stderr, "at least 10");
    let out = add("admin", "Әкімші", "admin", "көктем 2026 жыл\n");
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    // Then only with an administrator's password.
    let add_elena = [
        "operator",
        "add",
        "elena",
        "--name",
        "Петрова Е.",
        "--role",
        "supervisor",
        "--password-stdin",
    ];
    assert_eq!(code(&op(&add_elena, "көктем 2026 жыл\n")), 2);
    let mut with_admin = add_elena.to_vec();
    with_admin.extend(["--admin", "admin"]);
    assert_eq!(code(&op(&with_admin, "wrong password\nжаңа құпия 77\n")), 1);
    let out = op(&with_admin, "көктем 2026 жыл\nжаңа құпия 77\n");
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    // A supervisor cannot manage accounts.
    let out = op(
        &["operator", "list", "--admin", "elena", "--password-stdin"],
        "жаңа құпия 77\n",
    );
    assert_eq!(code(&out), 4, "refused by role: its own exit code");
    says(
        &out.stderr,
        "managing accounts needs the role administrator",
    );
    let out = op(
        &["operator", "list", "--admin", "admin", "--password-stdin"],
        "көктем 2026 жыл\n",
    );
    assert_eq!(code(&out), 0);
    says(&out.stdout, "elena\tПетрова Е.\tsupervisor");
    let out = op(
        &[
            "operator",
            "disable",
            "elena",
            "--admin",
            "admin",
            "--password-stdin",
        ],
        "көктем 2026 жыл\n",
    );
    assert_eq!(code(&out), 0);
    let out = op(
        &["operator", "list", "--admin", "admin", "--password-stdin"],
        "көктем 2026 жыл\n",
    );
    says(&out.stdout, "supervisor · disabled");
    // No password ever reaches the database, the audit trail or the log.
    let mut bytes = std::fs::read(&db).unwrap();
    bytes.extend(std::fs::read(dir.path().join("desk.sqlite.keys")).unwrap());
    let log = std::fs::read(dir.path().join("regdesk.log")).unwrap_or_default();
    for secret in ["көктем 2026 жыл", "жаңа құпия 77", "wrong password"] {
        let needle = secret.as_bytes();
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle),
            "{secret} in the database"
        );
        assert!(
            !log.windows(needle.len()).any(|w| w == needle),
            "{secret} in the log"
        );
    }
    // The database was created encrypted: a command without a key, or a terminal to sign
    // in on, is told what to give; a key file an administrator made opens it.
    let out = regdesk(&db, &["audit", "verify"]);
    assert_eq!(code(&out), 1);
    says(&out.stderr, "--key-file");
    let key_file = dir.path().join("kiosk.key");
    let key_file_arg = key_file.to_str().unwrap();
    let out = op(
        &[
            "key-file",
            key_file_arg,
            "--role",
            "supervisor",
            "--admin",
            "elena",
            "--password-stdin",
        ],
        "жаңа құпия 77
",
    );
    assert_eq!(code(&out), 1, "a disabled account's slot is gone");
    assert!(!key_file.exists());
    let out = op(
        &[
            "key-file",
            key_file_arg,
            "--role",
            "supervisor",
            "--admin",
            "admin",
            "--password-stdin",
        ],
        "көктем 2026 жыл
",
    );
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let out = regdesk(&db, &["--key-file", key_file_arg, "audit", "verify"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let wrong = dir.path().join("wrong.key");
    std::fs::write(&wrong, "0".repeat(64)).unwrap();
    let out = regdesk(
        &db,
        &["--key-file", wrong.to_str().unwrap(), "audit", "verify"],
    );
    assert_eq!(code(&out), 1);
    says(&out.stderr, "does not open");
    // A device or a file of binary junk as the key file: read no further than a key's
    // length, and refused.
    let junk = dir.path().join("junk.key");
    std::fs::write(&junk, [0xffu8, 0xfe, 0, 1, 2].repeat(5000)).unwrap();
    let out = regdesk(
        &db,
        &["--key-file", junk.to_str().unwrap(), "audit", "verify"],
    );
    assert_eq!(code(&out), 1);
    says(&out.stderr, "does not open");
    // A device or a pipe is not read at all (a pipe would wait for a writer forever).
    #[cfg(unix)]
    {
        let fifo = dir.path().join("fifo.key");
        let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
        assert!(made.success());
        for file in [Path::new("/dev/zero"), fifo.as_path()] {
            let out = regdesk(
                &db,
                &["--key-file", file.to_str().unwrap(), "audit", "verify"],
            );
            assert_eq!(code(&out), 1);
            says(&out.stderr, "not a regular file");
        }
    }
}

#[test]
fn due_lists_registrations_ending_soon_and_those_waiting_for_a_document() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.sqlite");
    let (mut store, _) = Store::open(&db).unwrap();
    let today = chrono::Local::now().date_naive();
    let born = chrono::NaiveDate::from_ymd_opt(1991, 6, 2).unwrap();
    let mut numbers = Vec::new();
    for (i, follow_up) in [None, Some("deregistration_document")]
        .into_iter()
        .enumerate()
    {
        let draft = store.save_draft(None, "intake", "{}", None).unwrap();
        let submission = Submission {
            draft_id: draft,
            year: 2026,
            iin: Iin::generate(born, Sex::Male, 300 + i as u16)
                .unwrap()
                .as_string(),
            person: KnownApplicant {
                surname: ["Ғабитов", "Нұрланов"][i].into(),
                given_name: "Арман".into(),
                status: "citizen".into(),
                capacity: "full".into(),
                ..KnownApplicant::default()
            },
            registration_type: "temporary".into(),
            period_months: Some(if follow_up.is_some() { 6 } else { 1 }),
            ruleset: ("set".into(), "1".into(), "0".repeat(64)),
            decision_record: "{}".into(),
            follow_up: follow_up.map(Into::into),
            ..Submission::default()
        };
        let number = store.submit(&submission).unwrap().number;
        store
            .change_status(&StatusRequest {
                number: number.clone(),
                to: ApplicationStatus::Registered,
                reason_code: None,
                note: None,
                registered_from: None,
                today,
                operator: None,
                override_reason: None,
            })
            .unwrap();
        numbers.push(number);
    }
    accounts(&mut store);
    drop(store);
    let ending = regdesk_as(&db, "olga", &["due", "--within", "31", "--format", "json"]);
    assert_eq!(code(&ending), 0, "{}", text(&ending.stderr));
    let json: serde_json::Value = serde_json::from_slice(&ending.stdout).unwrap();
    let listed: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["number"].as_str().unwrap())
        .collect();
    assert_eq!(
        listed,
        [numbers[0].as_str()],
        "the six-month one ends later"
    );
    let follow = regdesk_as(&db, "olga", &["due", "--follow-ups"]);
    assert_eq!(code(&follow), 0);
    assert!(
        text(&follow.stdout).contains(&numbers[1]),
        "{}",
        text(&follow.stdout)
    );
    assert!(text(&follow.stdout).contains("deregistration_document"));
    assert_eq!(code(&regdesk_as(&db, "olga", &["due", "--within", "0"])), 1);
}

/// `regdesk encrypt` turns a plain database into an encrypted one in place: only with an
/// administrator's password, never while a desk has it open; afterwards nothing of the people
/// in it is readable in the file, commands need its key, and the accounts without a key slot
/// get one when their password is reset.
#[test]
fn encrypt_converts_a_plain_database_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let (db, numbers) = fixture(dir.path());
    let password = PASSWORD;
    {
        let (mut store, _) = Store::open(&db).unwrap();
        let hash = regdesk::core::password::hash(password);
        let admin = store.operators().unwrap()[0].clone();
        assert_eq!(admin.login, "admin");
        let role = regdesk::core::Role::Operator;
        store
            .add_operator("zhanar", "Тест", role, &hash, Some(admin.id))
            .unwrap()
            .unwrap();
    }
    let readable = |path: &Path| -> Vec<&str> {
        let bytes = std::fs::read(path).unwrap();
        ["Абаев", "Әбдірахманов", "Ахметова"]
            .into_iter()
            .filter(|n| bytes.windows(n.len()).any(|w| w == n.as_bytes()))
            .collect()
    };
    assert_eq!(readable(&db).len(), 3, "the fixture is plain");
    let encrypt = ["encrypt", "--admin", "admin", "--password-stdin"];
    // A wrong password, an open desk: refused, the file plain.
    assert_eq!(code(&regdesk_stdin(&db, &encrypt, "wrong password\n")), 1);
    let desk = Store::open(&db).unwrap();
    let out = regdesk_stdin(&db, &encrypt, &format!("{password}\n"));
    assert_eq!(code(&out), 1);
    says(&out.stderr, "is open in a desk");
    drop(desk);
    assert!(!dir.path().join("desk.sqlite.keys").exists());
    assert_eq!(readable(&db).len(), 3);
    let out = regdesk_stdin(&db, &encrypt, &format!("{password}\n"));
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    says(&out.stdout, "encrypted now");
    says(&out.stdout, "zhanar");
    assert_eq!(readable(&db), Vec::<&str>::new());
    assert!(!dir.path().join("desk.sqlite.encrypting").exists());
    // Again: nothing to do. Training files stay plain.
    let out = regdesk_stdin(&db, &encrypt, &format!("{password}\n"));
    assert_eq!(code(&out), 0);
    assert!(text(&out.stdout).contains("already encrypted"));
    let mut training = vec!["--training"];
    training.extend(encrypt);
    assert_eq!(code(&regdesk_stdin(&db, &training, "")), 2);
    // Training never opens it, and does not even ask for its key.
    let out = regdesk(&db, &["--training", "lookup", "Абаев"]);
    assert_eq!(code(&out), 1);
    says(&out.stderr, "holds real records");
    // Commands need the key now; zhanar has no slot until the password is reset.
    let out = regdesk(&db, &["lookup", "Абаев"]);
    assert_eq!(code(&out), 1);
    says(&out.stderr, "--key-file");
    let list = ["operator", "list", "--admin", "admin", "--password-stdin"];
    let out = regdesk_stdin(&db, &list, &format!("{password}\n"));
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    says(&out.stdout, "zhanar\tТест\toperator · no key slot");
    let reset = [
        "operator",
        "reset-password",
        "zhanar",
        "--admin",
        "admin",
        "--password-stdin",
    ];
    let out = regdesk_stdin(&db, &reset, &format!("{password}\nжаңа құпия 77\n"));
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let out = regdesk_stdin(&db, &list, &format!("{password}\n"));
    // zhanar has a slot now; the accounts whose passwords were not reset still have none.
    says(&out.stdout, "zhanar\tТест\toperator\n");
    // Everything is still there, and the audit chain runs on through the conversion.
    let key_file = dir.path().join("script.key");
    let make_key = [
        "key-file",
        key_file.to_str().unwrap(),
        "--role",
        "supervisor",
        "--admin",
        "admin",
        "--password-stdin",
    ];
    assert_eq!(
        code(&regdesk_stdin(&db, &make_key, &format!("{password}\n"))),
        0
    );
    let with_key = |args: &[&str]| {
        let mut all = vec!["--key-file", key_file.to_str().unwrap()];
        all.extend(args);
        regdesk(&db, &all)
    };
    let out = with_key(&["lookup", &numbers[0]]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    says(&out.stdout, "Абаев");
    let out = with_key(&["audit", "verify"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    // A new key: the key file and zhanar's slot no longer open it; the administrator's does.
    let rekey = ["rekey", "--admin", "admin", "--password-stdin"];
    let out = regdesk_stdin(&db, &rekey, &format!("{password}\n"));
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    says(&out.stdout, "new key");
    says(&out.stdout, "zhanar");
    let out = with_key(&["audit", "verify"]);
    assert_eq!(code(&out), 1);
    says(&out.stderr, "does not open");
    let out = regdesk_stdin(
        &db,
        &["operator", "list", "--admin", "zhanar", "--password-stdin"],
        "жаңа құпия 77\n",
    );
    assert_eq!(code(&out), 1, "{}", text(&out.stderr));
    assert_eq!(readable(&db), Vec::<&str>::new());
}

/// Every row a trainee can change, in a stable order: what "the seeded state" is.
fn training_rows(db: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut rows = Vec::new();
    for query in [
        "SELECT iin || surname || given_name || birth_date || citizenship_status FROM applicants
         ORDER BY iin",
        "SELECT number || status || registration_type || ifnull(period_months, '') || region ||
         street || dwelling_kind || ifnull(registered_until, '') || ifnull(follow_up, '') ||
         created_at || json_extract(decision_record, '$.evaluation.decision')
         FROM applications ORDER BY number",
        "SELECT a.number || h.status || ifnull(h.reason_code, '') || h.changed_at
         FROM status_history h JOIN applications a ON a.id = h.application_id
         ORDER BY a.number, h.id",
        "SELECT a.number || c.kind || c.giver_name FROM consents c
         JOIN applications a ON a.id = c.application_id ORDER BY a.number, c.id",
        "SELECT count(*) FROM drafts",
    ] {
        let mut statement = conn.prepare(query).unwrap();
        let found = statement
            .query_map([], |r| r.get::<_, rusqlite::types::Value>(0))
            .unwrap()
            .map(|v| format!("{:?}", v.unwrap()));
        rows.extend(found);
    }
    rows
}

/// `regdesk training --reset` makes the seeded training database (every status, with
/// histories), and puts it back after a class changed it; the audit log and accounts stay.
/// A real database is refused and left byte for byte as it was.
#[test]
fn training_reset_puts_the_seeded_state_back_and_keeps_the_audit() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("class.sqlite");
    let out = regdesk(&db, &["training", "--reset"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    says(&out.stderr, "14 applications of the curriculum");
    let seeded = training_rows(&db);
    let conn = rusqlite::Connection::open(&db).unwrap();
    let statuses: i64 = conn
        .query_row("SELECT count(DISTINCT status) FROM applications", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(statuses, ApplicationStatus::ALL.len() as i64);
    // A class works: a status changes, a person is added, a draft is left.
    conn.execute_batch(
        "UPDATE applications SET status = 'withdrawn' WHERE number = 'RD-2026-000001';
         INSERT INTO applicants(iin, surname, given_name, name_key, citizenship_status,
             created_at, updated_at) VALUES ('000000000000', 'Тест', 'Тест', 'тест тест',
             'citizen', '2026-12-01T05:00:00Z', '2026-12-01T05:00:00Z');
         INSERT INTO drafts(form, data, updated_at) VALUES ('intake', '{}', '2026-12-01');
         INSERT INTO closed_cases(draft_id, closed_as, reasons, ruleset_id, ruleset_version,
             ruleset_sha256, decision_record, case_data, closed_at)
             VALUES (1, 'not_required', '[]', 'x', 'x', 'x', '{}', '{}', '2026-12-01');",
    )
    .unwrap();
    drop(conn);
    assert_ne!(training_rows(&db), seeded);
    let out = regdesk(&db, &["training", "--reset"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    assert_eq!(training_rows(&db), seeded);
    // Drafts and closed cases are numbered from 1 again (a lesson's note is note 1).
    let numbered: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT count(*) FROM sqlite_sequence WHERE name IN ('drafts', 'closed_cases')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(numbered, 0);
    // Both resets are in the audit log, whose chain holds.
    let verify = regdesk(&db, &["--training", "audit", "verify"]);
    assert_eq!(code(&verify), 0, "{}", text(&verify.stdout));
    let conn = rusqlite::Connection::open(&db).unwrap();
    let resets: i64 = conn
        .query_row(
            "SELECT count(*) FROM audit_log WHERE action = 'training.reset'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(resets, 2);
    drop(conn);
    // The seeded people are found as the desk finds them.
    let found = regdesk(&db, &["--training", "lookup", "Серікова"]);
    assert_eq!(code(&found), 0);
    says(&found.stdout, "RD-2026-000001");

    let (real, _) = fixture(dir.path());
    let before = std::fs::read(&real).unwrap();
    let refused = regdesk(&real, &["training", "--reset"]);
    assert_eq!(code(&refused), 1, "{}", text(&refused.stderr));
    says(&refused.stderr, "holds real records");
    assert_eq!(std::fs::read(&real).unwrap(), before);
}

/// A class's accounts on a training database: the first is its trainer (the seeded staff
/// have no password and are no accounts); the trainer adds trainees, who cannot add
/// accounts nor reset the database; only the trainer resets it, and the accounts stay.
#[test]
fn a_trainer_keeps_the_class_accounts_and_alone_resets_the_training_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("class.sqlite");
    assert_eq!(code(&regdesk(&db, &["training", "--reset"])), 0);
    let add = |by: Option<&str>, login: &str, role: &str, stdin: &str| {
        let mut args = vec!["--training"];
        if let Some(by) = by {
            args.extend(["--login", by]);
        }
        args.extend([
            "operator",
            "add",
            login,
            "--name",
            "Тест",
            "--role",
            role,
            "--password-stdin",
        ]);
        regdesk_stdin(&db, &args, stdin)
    };
    let new = format!("{PASSWORD}\n{PASSWORD}\n");
    let trainee = add(None, "aruzhan", "operator", &new);
    assert_eq!(code(&trainee), 1);
    says(&trainee.stderr, "its trainer");
    assert_eq!(code(&add(None, "tamara", "trainer", &new)), 0);
    let by_trainer = format!("{PASSWORD}\n{PASSWORD}\n{PASSWORD}\n");
    let added = add(Some("tamara"), "aruzhan", "operator", &by_trainer);
    assert_eq!(code(&added), 0, "{}", text(&added.stderr));
    let by_trainee = add(Some("aruzhan"), "bolat", "operator", &by_trainer);
    assert_eq!(code(&by_trainee), 1);
    says(&by_trainee.stderr, "class's trainer");

    let anonymous = regdesk(&db, &["training", "--reset"]);
    assert_eq!(code(&anonymous), 2);
    says(&anonymous.stderr, "--login TRAINER");
    let reset_as = |login: &str| {
        regdesk_stdin(
            &db,
            &["training", "--reset", "--login", login, "--password-stdin"],
            &format!("{PASSWORD}\n"),
        )
    };
    assert_eq!(code(&reset_as("aruzhan")), 1);
    let reset = reset_as("tamara");
    assert_eq!(code(&reset), 0, "{}", text(&reset.stderr));
    let conn = rusqlite::Connection::open(&db).unwrap();
    let accounts: Vec<String> = conn
        .prepare("SELECT login FROM operators WHERE password_hash IS NOT NULL ORDER BY login")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(accounts, ["aruzhan", "tamara"]);
    let (who, refused): (String, i64) = conn
        .query_row(
            "SELECT (SELECT o.login FROM audit_log a JOIN operators o ON o.id = a.operator_id
                     WHERE a.action = 'training.reset' ORDER BY a.id DESC LIMIT 1),
                    (SELECT count(*) FROM audit_log WHERE action = 'permission.refused')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(who, "tamara");
    assert!(refused >= 2, "{refused}");
}
