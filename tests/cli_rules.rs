//! The rules command line as scripts use it: exit codes, messages and the JSON result.

#[path = "support/rules_copy.rs"]
mod rules_copy;

use std::io::Write;
use std::process::{Command, Output, Stdio};

use rules_copy::copy_of_rules;

fn regdesk(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_regdesk"))
        .args(args)
        .env("LANG", "en_US.UTF-8")
        .env_remove("REGDESK_DB")
        .env_remove("REGDESK_RULES")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let input = stdin.unwrap_or("").to_owned();
    let mut pipe = child.stdin.take().unwrap();
    std::thread::spawn(move || pipe.write_all(input.as_bytes()));
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn checklist_json(facts: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["checklist", "--facts", "-"];
    args.extend_from_slice(extra);
    let out = regdesk(&args, Some(facts));
    assert!(out.status.success(), "stderr: {}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn ids(value: &serde_json::Value, key: &str) -> Vec<String> {
    let mut ids: Vec<String> = value[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

#[test]
fn check_and_test_pass_on_the_shipped_set() {
    let out = regdesk(&["rules", "check"], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("ok: kz-registration-residence"));

    let out = regdesk(&["rules", "test"], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let last = text(&out.stdout).lines().last().unwrap().to_owned();
    assert!(last.ends_with(" passed, 0 failed"), "{last}");

    let (_tmp, dir) = copy_of_rules();
    let out = regdesk(&["rules", "test", dir.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
}

#[test]
fn a_broken_rule_file_gives_the_exact_place() {
    let (_tmp, dir) = copy_of_rules();
    let file = dir.join("rules/20-dwelling.toml");
    let original = std::fs::read_to_string(&file).unwrap();
    let broken = original.replacen(
        "\"dwelling.kind\" = \"organization\"",
        "\"dwelling.kind\" = \"organisation\"",
        1,
    );
    assert_ne!(original, broken);
    std::fs::write(&file, &broken).unwrap();
    let line = broken
        .lines()
        .position(|l| l.contains("\"organisation\""))
        .unwrap()
        + 1;
    let column = broken
        .lines()
        .nth(line - 1)
        .unwrap()
        .find("\"organisation\"")
        .unwrap()
        + 1;

    let out = regdesk(&["rules", "check", dir.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    let via_option = regdesk(&["--rules", dir.to_str().unwrap(), "rules", "check"], None);
    assert_eq!(
        via_option.status.code(),
        Some(1),
        "--rules is the default folder of rules check"
    );
    let expected = format!(
        "{}:{line}:{column}: unknown value of dwelling.kind 'organisation'; known: private, state_rental, \
         organization, akimat_address (did you mean 'organization'?)",
        file.display()
    );
    assert!(
        text(&out.stderr).contains(&expected),
        "expected {expected}\ngot {}",
        text(&out.stderr)
    );
}

#[test]
fn a_failing_scenario_makes_rules_test_fail() {
    let (_tmp, dir) = copy_of_rules();
    let file = dir.join("tests/01-worked-examples.toml");
    let text_before = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text_before.replacen("decision = \"not_required\"", "decision = \"proceed\"", 1),
    )
    .unwrap();
    let out = regdesk(&["rules", "test", dir.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("FAIL tests/01-worked-examples.toml:"),
        "{stdout}"
    );
    assert!(
        stdout
            .lines()
            .last()
            .unwrap()
            .ends_with(" passed, 1 failed"),
        "{stdout}"
    );
}

#[test]
fn the_six_worked_examples_through_the_command_line() {
    let base_adult = r#""status": "citizen", "capacity": "full", "acts_through": "self", "arrived_from_abroad": false"#;
    // 1. Citizen, 35, sole owner, permanent.
    let r = checklist_json(
        &format!(
            r#"{{ "service": "permanent", "applicant": {{ "age": 35, {base_adult} }},
            "dwelling": {{ "kind": "private", "has_title_documents": true, "applicant_relation": "sole_owner", "owners": 1 }} }}"#
        ),
        &["--date", "2026-11-21"],
    );
    assert_eq!(r["decision"], "proceed");
    assert_eq!(ids(&r, "documents"), ["applicant_identity"]);
    assert_eq!(ids(&r, "consents"), ["personal_data_consent"]);

    // 2. Citizen, 28, not the owner, one owner.
    let r = checklist_json(
        &format!(
            r#"{{ "service": "permanent", "applicant": {{ "age": 28, {base_adult}, "relative_of_owner": false }},
            "dwelling": {{ "kind": "private", "has_title_documents": true, "applicant_relation": "none", "owners": 1, "owner_capacity": "full" }} }}"#
        ),
        &["--date", "2026-11-21"],
    );
    assert_eq!(
        ids(&r, "documents"),
        ["applicant_identity", "owner_identity"]
    );
    assert_eq!(
        ids(&r, "consents"),
        ["owner_consent", "personal_data_consent"]
    );

    // 3. Child of 15 at the parents' flat: the applying parent owns it.
    let r = checklist_json(
        r#"{ "service": "permanent", "applicant": { "age": 15, "status": "citizen", "capacity": "full", "acts_through": "legal_representative", "arrived_from_abroad": false, "relative_of_owner": true },
            "dwelling": { "kind": "private", "has_title_documents": true, "applicant_relation": "none", "owners": 1, "owner_capacity": "full", "representative_relation": "sole_owner" } }"#,
        &["--date", "2026-11-21"],
    );
    assert_eq!(
        ids(&r, "documents"),
        [
            "birth_certificate",
            "child_passport",
            "representative_authority",
            "representative_identity"
        ]
    );
    let passport = r["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "child_passport")
        .unwrap();
    assert_eq!(passport["optional"], true);
    // The parent signs both: the personal-data consent and, as the owner, the owner's.
    assert_eq!(
        ids(&r, "consents"),
        ["owner_consent", "personal_data_consent"]
    );
    let from = |id: &str| {
        r["consents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .map(|c| c["from"].clone())
    };
    assert_eq!(from("owner_consent").unwrap(), "representative_owner");
    assert_eq!(
        from("personal_data_consent").unwrap(),
        "legal_representative"
    );
    assert_eq!(r["provisional"], false);

    // 4. Child of 12.
    let r = checklist_json(
        r#"{ "service": "permanent", "applicant": { "age": 12, "status": "citizen" } }"#,
        &["--date", "2026-11-21"],
    );
    assert_eq!(r["decision"], "not_required");
    assert_eq!(r["reasons"][0], "under_14");
    assert!(r["documents"].as_array().unwrap().is_empty());

    // 5. Student in a dormitory, temporary.
    let r = checklist_json(
        &format!(
            r#"{{ "service": "temporary", "stay_days": 270, "applicant": {{ "age": 19, {base_adult} }},
            "dwelling": {{ "kind": "organization", "applicant_relation": "none" }} }}"#
        ),
        &["--date", "2026-11-21"],
    );
    assert_eq!(r["registration"], "temporary");
    assert_eq!(
        ids(&r, "documents"),
        ["applicant_identity", "organization_application"]
    );

    // 6. Back from abroad without the de-registration document, asking for permanent.
    let r = checklist_json(
        r#"{ "service": "permanent", "applicant": { "age": 40, "status": "citizen", "capacity": "full", "acts_through": "self",
            "arrived_from_abroad": true, "has_deregistration_document": false } }"#,
        &["--date", "2026-11-21"],
    );
    assert_eq!(r["registration"], "temporary");
    assert_eq!(
        r["documents"][0]["one_of"],
        serde_json::json!(["passport", "certificate_of_return"])
    );
}

#[test]
fn result_carries_the_rule_set_stamp_pending_and_explanations() {
    let r = checklist_json(
        r#"{ "date": "2026-11-21", "service": "permanent", "applicant": { "age": 30 } }"#,
        &[],
    );
    assert_eq!(r["date"], "2026-11-21");
    assert_eq!(r["ruleset"]["sha256"].as_str().unwrap().len(), 64);
    let pending: Vec<&str> = r["pending"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["rule"].as_str().unwrap())
        .collect();
    assert!(pending.contains(&"identity_citizen"), "{pending:?}");
    let fired = r["fired"].as_array().unwrap();
    assert!(
        fired
            .iter()
            .all(|f| f["basis"].as_array().is_some_and(|b| !b.is_empty()))
    );
}

#[test]
fn the_date_option_wins_over_the_facts() {
    let facts = r#"{ "date": "2025-11-23", "service": "permanent", "applicant": { "age": 30 } }"#;
    assert_eq!(checklist_json(facts, &[])["channel"], "desk");
    assert_eq!(
        checklist_json(facts, &["--date", "2025-11-24"])["channel"],
        "online"
    );
}

#[test]
fn bad_facts_exit_2_naming_the_field() {
    for (facts, field) in [
        (
            r#"{ "applicant": { "colour": "red" } }"#,
            "applicant.colour",
        ),
        (r#"{ "dwelling": { "kind": "tent" } }"#, "dwelling.kind"),
        (r#"{ "stay_days": -3 }"#, "stay_days"),
        (r#"{ "service": "permanent", "#, "line 1"),
    ] {
        let out = regdesk(&["checklist", "--facts", "-"], Some(facts));
        assert_eq!(out.status.code(), Some(2), "{facts}");
        assert!(
            text(&out.stderr).contains(field),
            "{facts}: {}",
            text(&out.stderr)
        );
    }
}

#[test]
fn text_format_is_translated() {
    let facts = r#"{ "service": "permanent", "applicant": { "age": 12, "status": "citizen" } }"#;
    for (lang, heading) in [
        ("ru", "Перечень документов"),
        ("kk", "құжаттар тізбесі"),
        ("en", "Document checklist"),
    ] {
        let out = regdesk(
            &[
                "checklist",
                "--facts",
                "-",
                "--format",
                "text",
                "--lang",
                lang,
                "--date",
                "2026-11-21",
            ],
            Some(facts),
        );
        assert!(out.status.success());
        assert!(
            text(&out.stdout).contains(heading),
            "{lang}: {}",
            text(&out.stdout)
        );
    }
}

#[test]
fn what_if_applies_adopted_rules() {
    let facts = r#"{ "service": "permanent", "city": "astana",
        "applicant": { "age": 30, "status": "citizen", "capacity": "full", "acts_through": "self", "arrived_from_abroad": false, "relative_of_owner": false },
        "dwelling": { "kind": "private", "has_title_documents": true, "applicant_relation": "none", "owners": 1, "owner_capacity": "full",
                      "useful_area_m2": 30.0, "registered_persons": 3 } }"#;
    assert_eq!(
        checklist_json(facts, &["--date", "2026-11-21"])["decision"],
        "proceed"
    );
    let r = checklist_json(facts, &["--date", "2026-11-21", "--what-if"]);
    assert_eq!(r["decision"], "refuse");
    assert_eq!(r["reasons"][0], "area_norm_exceeded");
}

#[test]
fn a_date_the_set_does_not_cover_exits_2_naming_the_first_covered_date() {
    let facts = r#"{ "service": "permanent", "applicant": { "age": 35, "status": "citizen" } }"#;
    let out = regdesk(
        &["checklist", "--facts", "-", "--date", "2010-06-01"],
        Some(facts),
    );
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("date: ") && err.contains("04.02.2020"),
        "{err}"
    );
    assert!(text(&out.stdout).is_empty(), "no result is printed");
}

#[test]
fn contradictory_facts_exit_2_naming_both_fields() {
    let facts = r#"{ "applicant": { "age": 30, "birth_date": "2000-01-01" },
        "dwelling": { "kind": "private", "applicant_relation": "co_owner", "owners": 1 } }"#;
    let out = regdesk(
        &["checklist", "--facts", "-", "--date", "2026-11-21"],
        Some(facts),
    );
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("applicant.age") && err.contains("01.01.2000"),
        "{err}"
    );
    assert!(
        err.contains("dwelling.applicant_relation") && err.contains("dwelling.owners"),
        "{err}"
    );
}

#[test]
fn an_incomplete_case_is_marked_provisional_with_the_questions_to_ask() {
    let facts = r#"{ "service": "permanent", "applicant": { "age": 35, "status": "citizen", "capacity": "full",
        "acts_through": "self", "arrived_from_abroad": false } }"#;
    let r = checklist_json(facts, &["--date", "2026-11-21"]);
    assert_eq!(r["decision"], "proceed");
    assert_eq!(r["provisional"], true);
    assert!(
        r["missing"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!("dwelling.kind")),
        "{r}"
    );
    let out = regdesk(
        &[
            "checklist",
            "--facts",
            "-",
            "--date",
            "2026-11-21",
            "--format",
            "text",
            "--lang",
            "ru",
        ],
        Some(facts),
    );
    let stdout = text(&out.stdout);
    assert!(stdout.contains("ПРЕДВАРИТЕЛЬНО"), "{stdout}");
    assert!(stdout.contains("Какое это жилище"), "{stdout}");
    assert!(!stdout.contains("dwelling.kind"), "{stdout}");
}

/// Runs regdesk with stdout going to `stdout` and stderr captured; stdin empty.
fn regdesk_to(args: &[&str], stdout: Stdio) -> Output {
    Command::new(env!("CARGO_BIN_EXE_regdesk"))
        .args(args)
        .env("LANG", "en_US.UTF-8")
        .env_remove("REGDESK_DB")
        .env_remove("REGDESK_RULES")
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(Stdio::piped())
        .output()
        .unwrap()
}

/// A pipe whose reading end is already closed: every write to it fails with EPIPE.
fn closed_pipe() -> Stdio {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    Stdio::from(writer)
}

#[test]
fn a_reader_that_went_away_ends_the_output_quietly_with_the_commands_exit_code() {
    for args in [
        &["rules", "check"][..],
        &["rules", "test"][..],
        &["checklist", "--facts", "/dev/null", "--date", "2026-01-01"][..],
        &["--help"][..],
        &["lookup", "--help", "--lang", "kk"][..],
    ] {
        let out = regdesk_to(args, closed_pipe());
        let err = text(&out.stderr);
        assert!(
            !err.contains("panicked") && !err.contains("Broken pipe"),
            "{args:?}: {err}"
        );
        let expected = if args[0] == "checklist" { 2 } else { 0 };
        assert_eq!(out.status.code(), Some(expected), "{args:?}: {err}");
    }
}

#[cfg(unix)] // the shell closes the descriptor; Windows has no `>&-`
#[test]
fn a_closed_stdout_is_no_panic() {
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "'{}' rules check >&-",
            env!("CARGO_BIN_EXE_regdesk")
        ))
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(!text(&out.stderr).contains("panicked"));
}

#[test]
fn a_full_disk_is_one_line_and_its_own_exit_code() {
    if !std::path::Path::new("/dev/full").exists() {
        return;
    }
    let full = || Stdio::from(std::fs::File::create("/dev/full").unwrap());
    let out = regdesk_to(&["rules", "test"], full());
    assert_eq!(out.status.code(), Some(3));
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("cannot write the output"), "{err}");
    // A full stderr keeps the exit code of the error it could not report.
    let out = Command::new(env!("CARGO_BIN_EXE_regdesk"))
        .args(["checklist", "--facts", "-"])
        .env("LANG", "en_US.UTF-8")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(full())
        .status()
        .unwrap();
    assert_eq!(out.code(), Some(2));
}

#[cfg(unix)]
#[test]
fn an_endless_facts_source_is_capped_not_read_to_the_end() {
    let started = std::time::Instant::now();
    let out = regdesk(&["checklist", "--facts", "/dev/urandom"], None);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("larger than 1024 KB"), "{err}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "read past the cap"
    );
}

#[test]
fn trailing_data_arrays_and_odd_dates_in_facts_exit_2_naming_the_field() {
    for (facts, field) in [
        (r#"{}{}"#, "(document)"),
        (r#"[35, "citizen"]"#, "(document)"),
        (r#"{ "date": "2025-1-1" }"#, "date"),
        (r#"{ "applicant": { "age": 4294967295 } }"#, "applicant.age"),
        (
            r#"{ "dwelling": { "useful_area_m2": 1e308 } }"#,
            "dwelling.useful_area_m2",
        ),
    ] {
        let out = regdesk(&["checklist", "--facts", "-"], Some(facts));
        assert_eq!(out.status.code(), Some(2), "{facts}");
        let err = text(&out.stderr);
        assert!(err.contains(&format!("{field}: ")), "{facts}: {err}");
    }
}

#[test]
fn print_checklist_writes_a_private_sheet_with_the_checklist_documents() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sheet.txt");
    let facts = r#"{ "service": "permanent", "applicant": { "age": 30, "status": "citizen", "capacity": "full",
        "acts_through": "self", "arrived_from_abroad": false, "relative_of_owner": false },
        "dwelling": { "kind": "private", "has_title_documents": true, "applicant_relation": "none",
        "owners": 2, "owner_capacity": "full" } }"#;
    let result = Command::new(env!("CARGO_BIN_EXE_regdesk"))
        .args([
            "print",
            "checklist",
            "--facts",
            "-",
            "--date",
            "2026-11-21",
            "--lang",
            "en",
            "--out",
        ])
        .arg(&out)
        .env("REGDESK_CENTER", dir.path().join("none.toml"))
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            child.stdin.take().unwrap().write_all(facts.as_bytes())?;
            child.wait_with_output()
        })
        .unwrap();
    assert_eq!(result.status.code(), Some(0), "{}", text(&result.stderr));
    // The missing center profile is named to the operator, and the sheet says what is missing.
    assert!(
        text(&result.stderr).contains("no center profile"),
        "{}",
        text(&result.stderr)
    );
    let sheet = std::fs::read_to_string(&out).unwrap();
    assert!(
        sheet.contains("The center's details are not set"),
        "{sheet}"
    );
    let json = checklist_json(facts, &["--date", "2026-11-21"]);
    let items = sheet.lines().filter(|l| l.starts_with("[ ] ")).count();
    assert_eq!(
        items,
        json["documents"].as_array().unwrap().len() + json["consents"].as_array().unwrap().len()
    );
    assert!(sheet.contains("Consent of every co-owner to the registration — co-owners × 1"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "readable by its owner only");
    }
}

#[test]
fn print_checklist_refuses_bad_facts_like_checklist() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sheet.txt");
    let run = regdesk(
        &[
            "print",
            "checklist",
            "--facts",
            "-",
            "--out",
            out.to_str().unwrap(),
        ],
        Some(r#"{ "dwelling": { "kind": "tent" } }"#),
    );
    assert_eq!(run.status.code(), Some(2));
    assert!(text(&run.stderr).contains("dwelling.kind"));
    assert!(!out.exists(), "nothing written for bad facts");
}

#[test]
fn config_check_names_the_place_of_each_problem() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("center.toml");
    let example = regdesk(&["config", "example"], None);
    assert!(example.status.success());
    std::fs::write(&file, &example.stdout).unwrap();
    let ok = regdesk(&["config", "check", file.to_str().unwrap()], None);
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok.stderr));
    assert!(text(&ok.stdout).starts_with("ok: center profile"));
    let broken = text(&example.stdout).replace("phone = \"+7", "phone = \"call +7");
    std::fs::write(&file, broken).unwrap();
    let bad = regdesk(&["config", "check", file.to_str().unwrap()], None);
    assert_eq!(bad.status.code(), Some(1));
    let err = text(&bad.stderr);
    assert!(
        err.contains("center.toml:") && err.contains("phone"),
        "{err}"
    );
}

/// A database holding one submitted application of a fictional person.
fn database_with_an_application(dir: &std::path::Path) -> (std::path::PathBuf, String) {
    use regdesk::store::{KnownApplicant, Store, Submission, SubmittedConsent, SubmittedDocument};
    let path = dir.join("desk.sqlite");
    let (mut store, _) = Store::open(&path).unwrap();
    let draft = store.save_draft(None, "intake", "{}", None).unwrap();
    let submission = Submission {
        draft_id: draft,
        year: 2026,
        iin: "850714412305".into(),
        person: KnownApplicant {
            surname: "Серікова".into(),
            given_name: "Айгерім".into(),
            status: "citizen".into(),
            capacity: "full".into(),
            ..KnownApplicant::default()
        },
        registration_type: "permanent".into(),
        documents: vec![SubmittedDocument {
            requirement: "applicant_identity".into(),
            document: "id_card".into(),
            party: "applicant".into(),
            number: Some("045123789".into()),
            issued_on: None,
        }],
        consents: vec![SubmittedConsent {
            kind: "owner".into(),
            iin: Some("900228404562".into()),
            name: "Әбілқайырова Ғалия".into(),
            role: "owner".into(),
            form: "in_person".into(),
            scope: None,
            given_at: "2026-12-01".into(),
        }],
        ruleset: ("set".into(), "1".into(), "0".repeat(64)),
        decision_record: "{}".into(),
        ..Submission::default()
    };
    let number = store.submit(&submission).unwrap().number;
    let hash = regdesk::core::password::hash(RECEIPT_PASSWORD);
    let role = regdesk::core::Role::Admin;
    store
        .add_operator("olga", "Тест", role, &hash, None)
        .unwrap()
        .unwrap();
    (path, number)
}

/// The password of the account that reprints (a reprint acts as an account).
const RECEIPT_PASSWORD: &str = "көктем 2026 жыл";
const AS_OLGA: [&str; 3] = ["--login", "olga", "--password-stdin"];

#[test]
fn print_receipt_reprints_from_the_database_and_audits_the_reprint() {
    let dir = tempfile::tempdir().unwrap();
    let (db, number) = database_with_an_application(dir.path());
    let out_file = dir.path().join("receipt.txt");
    let db_arg = db.to_str().unwrap();
    let out_arg = out_file.to_str().unwrap();
    let out = regdesk(
        &[
            "print", "receipt", &number, "--db", db_arg, "--lang", "kk", "--out", out_arg,
            AS_OLGA[0], AS_OLGA[1], AS_OLGA[2],
        ],
        Some(&format!("{RECEIPT_PASSWORD}\n")),
    );
    assert!(out.status.success(), "stderr: {}", text(&out.stderr));
    let receipt = std::fs::read_to_string(&out_file).unwrap();
    assert!(receipt.contains(&number), "{receipt}");
    assert!(receipt.contains("Әбілқайырова Ғалия"), "{receipt}");
    assert!(receipt.contains("********2305"), "{receipt}");
    assert!(!receipt.contains("850714412305"), "the IIN is masked");
    assert!(receipt.contains("№ 045123789"), "{receipt}");
    let pdf_file = dir.path().join("receipt.pdf");
    let pdf_arg = pdf_file.to_str().unwrap();
    let out = regdesk(
        &[
            "print", "receipt", &number, "--db", db_arg, "--lang", "kk", "--format", "pdf",
            "--out", pdf_arg, AS_OLGA[0], AS_OLGA[1], AS_OLGA[2],
        ],
        Some(&format!("{RECEIPT_PASSWORD}\n")),
    );
    assert!(out.status.success(), "stderr: {}", text(&out.stderr));
    let pdf_text = pdf_extract::extract_text_from_mem(&std::fs::read(&pdf_file).unwrap()).unwrap();
    assert!(pdf_text.contains(&number), "{pdf_text}");
    assert!(pdf_text.contains("Әбілқайырова Ғалия"), "{pdf_text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let conn = rusqlite::Connection::open(&db).unwrap();
    let reprints: i64 = conn
        .query_row(
            "SELECT count(*) FROM audit_log WHERE action = 'print.receipt'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(reprints, 2, "each reprint is audited");
}

#[test]
fn print_receipt_of_an_unknown_number_or_without_a_database_exits_1_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = database_with_an_application(dir.path());
    let out_file = dir.path().join("receipt.txt");
    let out_arg = out_file.to_str().unwrap();
    let out = regdesk(
        &[
            "print",
            "receipt",
            "RD-2026-999999",
            "--db",
            db.to_str().unwrap(),
            "--out",
            out_arg,
            AS_OLGA[0],
            AS_OLGA[1],
            AS_OLGA[2],
        ],
        Some(&format!("{RECEIPT_PASSWORD}\n")),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("no application RD-2026-999999"),
        "{}",
        text(&out.stderr)
    );
    assert!(!out_file.exists());

    let absent = dir.path().join("none").join("desk.sqlite");
    let out = regdesk(
        &[
            "print",
            "receipt",
            "RD-2026-000001",
            "--db",
            absent.to_str().unwrap(),
            "--out",
            out_arg,
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("no database at"),
        "{}",
        text(&out.stderr)
    );
    assert!(
        !dir.path().join("none").exists(),
        "no database and no folder is created"
    );
    assert!(!out_file.exists());
}
