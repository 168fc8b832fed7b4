//! End-to-end: the real binary in a pseudo-terminal, driven by keys as an operator would.

mod support;

use support::*;

fn assert_restored(desk: &Desk) {
    let raw = desk.raw_output();
    let entered = raw
        .find("\x1b[?1049h")
        .expect("entered the alternate screen");
    let left = raw.rfind("\x1b[?1049l").expect("left the alternate screen");
    assert!(
        left > entered,
        "alternate screen left before it was entered"
    );
    assert!(
        raw[entered..].contains("\x1b[?2004l"),
        "bracketed paste not switched off"
    );
    assert!(desk.terminal_is_cooked(), "terminal left in raw mode");
}

#[test]
fn start_help_language_quit_restores_the_terminal() {
    let home = tempfile::tempdir().unwrap();
    let mut desk = Desk::start(home.path(), &["--lang", "en"], &[], 100, 30);
    // A new database: its first administrator is made on the spot, then the desk opens.
    desk.wait_for("First start: the administrator");
    assert!(
        !desk.contents().contains("Applicant intake"),
        "nothing behind the form"
    );
    for (text, next) in [
        ("admin", "\t"),
        ("Әкімші Ә.", "\t"),
        ("short", "\t"),
        ("short", "\r"),
    ] {
        desk.send(text);
        desk.send(next);
    }
    desk.wait_for("at least 10 characters");
    desk.send("көктем 2026 жыл");
    desk.send("\t");
    desk.send("көктем 2026 жыл");
    desk.send("\r");
    desk.wait_for("Applicant intake");
    desk.wait_for("Әкімші Ә.");
    // Created by the administrator's form, encrypted, with their key slot.
    desk.wait_for("New database created at");
    let db = database_of(home.path(), &[]);
    assert!(regdesk::store::is_encrypted_file(&db));
    assert!(!desk.terminal_is_cooked(), "the desk runs in raw mode");
    assert!(
        home.path().join("data/regdesk/regdesk.sqlite").exists(),
        "default database created"
    );

    desk.send(F1);
    desk.wait_for("Help: keys");
    desk.send(ESC);
    // A lone Esc must be read before the next key, or the two read as Alt+F9.
    desk.wait_gone("Help: keys");
    desk.send(F9);
    desk.wait_for("Приём заявителя");
    desk.send(F9);
    desk.wait_for("Өтініш берушіні қабылдау");
    desk.send(F4);
    desk.wait_for("▸Келісім◂");
    desk.send(F10);
    assert_eq!(desk.wait_exit(), 0);
    assert_restored(&desk);
    assert!(
        home.path().join("data/regdesk/regdesk.log").exists(),
        "log beside the database"
    );
    // Closed cleanly: the WAL was folded in and removed (the checkpointer closed first).
    assert!(!home.path().join("data/regdesk/regdesk.sqlite-wal").exists());
}

#[test]
fn ctrl_q_quits_and_a_second_start_reuses_the_database() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("desk.sqlite");
    let db_arg = db.to_str().unwrap();
    let mut first = Desk::start(home.path(), &["--lang", "ru", "--db", db_arg], &[], 80, 24);
    first.wait_for(SIGN_IN_MARK);
    assert!(
        !db.exists(),
        "nothing is written before the administrator is made"
    );
    first.create_first_admin();
    first.wait_for("Создана новая база данных");
    first.send(CTRL_Q);
    assert_eq!(first.wait_exit(), 0);
    assert_restored(&first);

    let mut second =
        Desk::start_signed_in(home.path(), &["--lang", "ru", "--db", db_arg], &[], 80, 24);
    second.wait_for("Приём заявителя");
    assert!(
        !second.contents().contains("Создана новая"),
        "no 'created' notice on reopen"
    );
    second.send(F10);
    assert_eq!(second.wait_exit(), 0);
}

#[test]
fn resize_to_tiny_and_back_and_odd_paste_never_crash() {
    let home = tempfile::tempdir().unwrap();
    let mut desk = Desk::start_signed_in(home.path(), &["--lang", "en"], &[], 80, 24);
    desk.wait_for("Applicant intake");
    desk.resize(12, 4);
    desk.wait_for("Terminal too");
    desk.resize(100, 30);
    desk.wait_for("Applicant intake");
    let paste = format!(
        "\x1b[200~{}\x1b[201~",
        "Әбілқайыр 日本 😀 \u{202e}x\u{0301}\t".repeat(300)
    );
    // Pasted into the IIN field: refused there with a message, nothing breaks.
    desk.send(&paste);
    desk.wait_for("digits only");
    // On the lookup screen Cyrillic letters and ? are a search; F1 still opens help.
    desk.send("\x1b[15~"); // F5
    desk.send("йцукен?");
    desk.wait_for("йцукен?");
    desk.wait_for("Nothing found");
    desk.send(F1);
    desk.wait_for("Help: keys");
    desk.send(F10);
    assert_eq!(desk.wait_exit(), 0);
    assert_restored(&desk);
}

#[test]
fn a_paste_that_never_ends_is_closed_and_f10_still_quits() {
    let home = tempfile::tempdir().unwrap();
    let mut desk = Desk::start_signed_in(home.path(), &["--lang", "en"], &[], 100, 24);
    desk.wait_for("Applicant intake");
    desk.send("\x1b[200~the start of a paste and no end");
    desk.wait_for("A paste did not end");
    desk.send(F10);
    assert_eq!(desk.wait_exit(), 0);
    assert_restored(&desk);
}

#[test]
fn a_paste_of_megabytes_is_cut_and_reported() {
    let home = tempfile::tempdir().unwrap();
    let mut desk = Desk::start_signed_in(home.path(), &["--lang", "en"], &[], 100, 24);
    desk.wait_for("Applicant intake");
    let paste = format!("\x1b[200~{}\x1b[201~", "Әбілқайыр ".repeat(200_000));
    desk.send(&paste);
    desk.wait_for("The paste was too long");
    desk.send(F10);
    assert_eq!(desk.wait_exit(), 0);
}

#[test]
fn a_panic_restores_the_terminal_and_prints_a_readable_report() {
    let home = tempfile::tempdir().unwrap();
    let env = [("REGDESK_DEBUG_PANIC_ON_F12", "1")];
    let mut desk = Desk::start_signed_in(home.path(), &["--lang", "en"], &env, 100, 30);
    desk.wait_for("Applicant intake");
    desk.send(F12);
    assert_ne!(desk.wait_exit(), 0);
    assert_restored(&desk);
    desk.wait_for("The application panicked");
    desk.wait_for("Nothing that was saved is lost");
}

#[test]
fn a_foreign_file_gives_a_one_line_error_and_exit_code_one() {
    let home = tempfile::tempdir().unwrap();
    let folder = home.path().join("documents");
    std::fs::create_dir(&folder).unwrap();
    let file = folder.join("notes.txt");
    std::fs::write(&file, "these are notes, not a database\n".repeat(50)).unwrap();
    let mut desk = Desk::start(
        home.path(),
        &["--lang", "en", "--db", file.to_str().unwrap()],
        &[],
        200,
        10,
    );
    assert_eq!(desk.wait_exit(), 1);
    desk.wait_for("is not a regdesk database");
    assert!(
        !desk.raw_output().contains("\x1b[?1049h"),
        "no full screen for a failed start"
    );
    assert!(!desk.contents().contains("panicked"));
    // A refused open writes nothing anywhere: the file as it was, no log or WAL beside it.
    let beside: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(beside, vec!["notes.txt".to_string()]);
    assert_eq!(
        std::fs::read(&file).unwrap(),
        "these are notes, not a database\n".repeat(50).into_bytes()
    );
}

#[test]
fn sigint_and_other_ending_signals_restore_the_terminal_and_the_next_start_says_so() {
    use nix::sys::signal::Signal;
    let home = tempfile::tempdir().unwrap();
    for signal in [Signal::SIGINT, Signal::SIGUSR1, Signal::SIGALRM] {
        let mut desk = Desk::start_signed_in(home.path(), &["--lang", "en"], &[], 100, 24);
        desk.wait_for("Applicant intake");
        desk.signal(signal);
        assert_eq!(desk.wait_exit(), 128 + signal as u32, "{signal}");
        assert_restored(&desk);
    }
    // The sessions above ended by a signal: the next start says the last one did not end
    // cleanly, once (the encrypted file is read from the sign-in on); a clean quit is not
    // reported.
    let mut desk = Desk::start_signed_in(home.path(), &["--lang", "en"], &[], 120, 24);
    desk.wait_for("did not end cleanly");
    desk.send(F10);
    assert_eq!(desk.wait_exit(), 0);
    let mut desk = Desk::start_signed_in(home.path(), &["--lang", "en"], &[], 120, 24);
    desk.wait_for("Applicant intake");
    assert!(
        !desk.contents().contains("did not end cleanly"),
        "{}",
        desk.contents()
    );
    desk.send(F10);
    assert_eq!(desk.wait_exit(), 0);
}

#[test]
fn a_database_with_damaged_pages_is_reported_at_open_and_left_as_it_was() {
    use std::io::{Seek, SeekFrom, Write};
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("desk.sqlite");
    let db_arg = db.to_str().unwrap();
    let mut desk =
        Desk::start_signed_in(home.path(), &["--lang", "en", "--db", db_arg], &[], 100, 24);
    desk.wait_for("Applicant intake");
    desk.send(F10);
    assert_eq!(desk.wait_exit(), 0);
    let pages = std::fs::metadata(&db).unwrap().len() / 4096;
    assert!(pages >= 21, "{pages} pages");
    let mut file = std::fs::OpenOptions::new().write(true).open(&db).unwrap();
    for page in [5u64, 10, 21] {
        file.seek(SeekFrom::Start((page - 1) * 4096)).unwrap();
        file.write_all(&[0x5A; 4096]).unwrap();
    }
    drop(file);
    let before = std::fs::read(&db).unwrap();
    // Encrypted, the damage shows when the sign-in opens the file: said on the form.
    let mut desk = Desk::start(home.path(), &["--lang", "en", "--db", db_arg], &[], 200, 24);
    desk.wait_for(SIGN_IN_MARK);
    desk.send(TEST_LOGIN);
    desk.send(TAB);
    desk.send(TEST_PASSWORD);
    desk.send(ENTER);
    desk.wait_for("is damaged");
    desk.wait_for("Nothing was written");
    assert!(!desk.contents().contains("Applicant intake"));
    desk.send(F10);
    assert_eq!(desk.wait_exit(), 0);
    assert!(
        !db.with_extension("sqlite-wal").exists(),
        "nothing beside it"
    );
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "the damaged file is left as it was"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn a_log_that_cannot_be_written_never_reaches_the_screen() {
    let home = tempfile::tempdir().unwrap();
    let folder = home.path().join("desk");
    std::fs::create_dir(&folder).unwrap();
    // Every write to the log fails as on a full disk.
    std::os::unix::fs::symlink("/dev/full", folder.join("regdesk.log")).unwrap();
    let db = folder.join("regdesk.sqlite");
    let args = ["--lang", "en", "--db", db.to_str().unwrap()];
    let mut desk = Desk::start_signed_in(home.path(), &args, &[], 100, 24);
    desk.wait_for("Applicant intake");
    desk.send(F9);
    desk.send(F1);
    desk.send(ESC);
    desk.send(F10);
    assert_eq!(desk.wait_exit(), 0);
    let raw = desk.raw_output();
    assert!(!raw.contains("Unable to write"), "log errors on the screen");
    assert!(!raw.contains("No space left"), "log errors on the screen");
}

#[test]
fn sigterm_restores_the_terminal() {
    let home = tempfile::tempdir().unwrap();
    let mut desk = Desk::start_signed_in(home.path(), &["--lang", "en"], &[], 80, 24);
    desk.wait_for("Applicant intake");
    desk.terminate();
    assert_ne!(desk.wait_exit(), 0);
    assert_restored(&desk);
}

#[cfg(target_os = "linux")]
#[test]
fn an_idle_desk_uses_no_cpu_for_ten_seconds() {
    let home = tempfile::tempdir().unwrap();
    let mut desk = Desk::start_signed_in(home.path(), &["--lang", "en"], &[], 80, 24);
    desk.wait_for("Applicant intake");
    let before = desk.cpu_ticks();
    std::thread::sleep(std::time::Duration::from_secs(10));
    let used = desk.cpu_ticks() - before;
    // One tick is 10 ms; a loop polling even at 10 Hz would show several.
    assert!(used <= 1, "idle desk used {used} ticks of CPU in 10 s");
    desk.send(F10);
    assert_eq!(desk.wait_exit(), 0);
}

#[test]
fn reloading_a_broken_rule_set_keeps_the_last_good_one() {
    let home = tempfile::tempdir().unwrap();
    let (_rules_tmp, rules) = copy_of_rules();
    let rules_arg = rules.to_str().unwrap();
    let mut desk = Desk::start_signed_in(
        home.path(),
        &["--lang", "en", "--rules", rules_arg],
        &[],
        120,
        30,
    );
    desk.wait_for("Applicant intake");
    desk.send(F3);
    desk.wait_for("Rule set kz-registration-residence 2026.12.3 ");

    let file = rules.join("rules/10-applicant.toml");
    let good = std::fs::read_to_string(&file).unwrap();
    let broken = good.replacen(
        "when = { \"applicant.status\" = \"citizen\"",
        "when = { \"applicant.status\" = \"citisen\"",
        1,
    );
    assert_ne!(broken, good);
    std::fs::write(&file, broken).unwrap();
    desk.send(CTRL_R);
    desk.wait_for("Rules not reloaded: 1 error(s)");
    desk.wait_for("10-applicant.toml:");
    desk.wait_for("Rule set kz-registration-residence 2026.12.3 ");

    std::fs::write(&file, good).unwrap();
    let header = rules.join("ruleset.toml");
    let text = std::fs::read_to_string(&header).unwrap();
    std::fs::write(
        &header,
        text.replace("version = \"2026.12.3\"", "version = \"2026.12.9\""),
    )
    .unwrap();
    desk.send(CTRL_R);
    desk.wait_for("Rules reloaded: kz-registration-residence 2026.12.9");
    desk.wait_for("Rule set kz-registration-residence 2026.12.9 ");
    desk.send(F10);
    assert_eq!(desk.wait_exit(), 0);
}

#[test]
fn a_broken_rule_set_at_start_gives_its_place_and_no_full_screen() {
    let home = tempfile::tempdir().unwrap();
    let (_rules_tmp, rules) = copy_of_rules();
    let file = rules.join("rules/50-channel.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replacen("channel = \"desk\"", "channel = \"window\"", 1),
    )
    .unwrap();
    let mut desk = Desk::start(
        home.path(),
        &["--lang", "en", "--rules", rules.to_str().unwrap()],
        &[],
        200,
        10,
    );
    assert_eq!(desk.wait_exit(), 1);
    desk.wait_for("50-channel.toml:");
    desk.wait_for("unknown value of channel 'window'");
    assert!(!desk.raw_output().contains("\x1b[?1049h"));
}

#[test]
fn a_tenant_with_two_owners_typed_through_intake_needs_both_consents() {
    let home = tempfile::tempdir().unwrap();
    let mut desk = Desk::start_signed_in(home.path(), &["--lang", "ru"], &[], 120, 40);
    desk.wait_for("▸ ИИН");
    // A fictional person: the IIN has a valid control digit and encodes 14.07.1985, female.
    answer(&mut desk, "850714412305", "Фамилия");
    desk.wait_for("14.07.1985");
    answer(&mut desk, "Серікова", "Имя");
    answer(&mut desk, "Айгерім", "Отчество");
    answer(&mut desk, "", "Дата рождения");
    answer(&mut desk, "", "Пол");
    answer(&mut desk, "", "Язык документов");
    answer(&mut desk, "", "Гражданство и статус");
    // Choices by their first Cyrillic letter.
    answer(&mut desk, "г", "Дееспособность");
    desk.wait_for("‹ гражданин РК ›");
    answer(&mut desk, "п", "Кто подаёт заявление");
    answer(&mut desk, "с", "Регистрация");
    answer(&mut desk, "п", "Город");
    answer(&mut desk, "а", "Область");
    answer(&mut desk, "", "Район");
    answer(&mut desk, "", "Населённый пункт");
    answer(&mut desk, "", "Улица");
    answer(&mut desk, "Абая", "Дом");
    answer(&mut desk, "12", "Корпус");
    answer(&mut desk, "", "Квартира");
    answer(&mut desk, "", "РКА");
    answer(&mut desk, "", "Вид жилища");
    answer(&mut desk, "ч", "Есть правоустанавливающие документы");
    answer(&mut desk, "д", "Заявитель по отношению к жилищу");
    answer(&mut desk, "н", "Число собственников");
    answer(&mut desk, "2", "Собственник");
    answer(&mut desk, "п", "Прибыл из-за рубежа на ПМЖ");
    desk.send("н");
    desk.send(F3);
    desk.wait_for("Согласие собственника (нанимателя) на регистрацию — собственник × 1");
    desk.wait_for("Согласие каждого сособственника на регистрацию — сособственники × 1");
    desk.wait_for("Документ, удостоверяющий личность собственника");
    desk.send(F10);
    assert_eq!(desk.wait_exit(), 0);
    assert_restored(&desk);
}

/// Waits until the database's drafts hold `text`: the desk saved what was typed.
fn wait_for_draft_with(db: &std::path::Path, text: &str) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    while std::time::Instant::now() < deadline {
        // Not before the file exists: a read-only connection creates nothing, and fails.
        let found = if db.is_file() {
            open_db(db)
                .query_row(
                    "SELECT count(*) FROM drafts WHERE instr(data, ?1) > 0",
                    [text],
                    |r| r.get::<_, i64>(0),
                )
                .unwrap_or(0)
        } else {
            0
        };
        if found > 0 {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("no draft with '{text}' was saved");
}

#[test]
fn kill_9_in_the_middle_of_intake_loses_nothing_typed() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("desk.sqlite");
    let args = ["--lang", "ru", "--db", db.to_str().unwrap()];
    let mut desk = Desk::start_signed_in(home.path(), &args, &[], 120, 40);
    desk.wait_for("▸ ИИН");
    answer(&mut desk, "850714412305", "Фамилия");
    answer(&mut desk, "Серікова", "Имя");
    answer(&mut desk, "Айгерім", "Отчество");
    // Typed but the field not left: saved within a second of the last key.
    desk.send("Бекқызы");
    wait_for_draft_with(&db, "Бекқызы");
    desk.signal(nix::sys::signal::Signal::SIGKILL);
    desk.wait_exit();

    let mut desk = Desk::start_signed_in(home.path(), &args, &[], 120, 40);
    desk.wait_for("1 черновик");
    desk.wait_for("Серікова Айгерім");
    desk.wait_for("********2305");
    desk.send(ENTER);
    desk.wait_for("Черновик открыт");
    for value in [
        "850714412305",
        "Серікова",
        "Айгерім",
        "Бекқызы",
        "14.07.1985",
    ] {
        desk.wait_for(value);
    }
    desk.send(F10);
    assert_eq!(desk.wait_exit(), 0);
}

#[test]
fn an_iin_with_an_open_draft_offers_it_instead_of_a_duplicate() {
    let home = tempfile::tempdir().unwrap();
    let mut desk = Desk::start_signed_in(home.path(), &["--lang", "en"], &[], 120, 30);
    desk.wait_for("▸ IIN");
    answer(&mut desk, "850714412305", "Surname");
    answer(&mut desk, "Серікова", "First name");
    desk.send(F10);
    assert_eq!(desk.wait_exit(), 0);

    let mut desk = Desk::start_signed_in(home.path(), &["--lang", "en"], &[], 120, 30);
    desk.wait_for("1 draft");
    desk.send(ESC);
    desk.wait_gone("1 draft");
    answer(&mut desk, "850714412305", "Surname");
    desk.wait_for("There is a draft for this IIN");
    desk.send("\x0f"); // Ctrl+O
    desk.wait_for("Draft resumed");
    desk.wait_for("Серікова");
    desk.send(F10);
    assert_eq!(desk.wait_exit(), 0);
}

#[test]
fn ctrl_p_on_the_checklist_writes_the_sheet_privately_and_audits_it() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("desk.sqlite");
    let args = ["--lang", "en", "--db", db.to_str().unwrap()];
    let mut desk = Desk::start_signed_in(home.path(), &args, &[], 120, 30);
    desk.wait_for("▸ IIN");
    desk.send(F3);
    desk.wait_for("Document checklist");
    desk.send("\x10"); // Ctrl+P
    desk.wait_for("regdesk-documents");
    desk.send(F10);
    assert_eq!(desk.wait_exit(), 0);
    let folder = home.path().join("regdesk-documents");
    let mut sheets: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    sheets.sort();
    let names: Vec<_> = sheets.iter().filter_map(|p| p.extension()).collect();
    assert_eq!(names, ["pdf", "txt"], "the sheet as PDF and as text");
    let text = std::fs::read_to_string(&sheets[1]).unwrap();
    assert!(
        text.contains("\nWHAT TO BRING: REGISTRATION AT PLACE OF RESIDENCE\n"),
        "{text}"
    );
    let pdf_text = pdf_extract::extract_text_from_mem(&std::fs::read(&sheets[0]).unwrap()).unwrap();
    assert!(pdf_text.contains("WHAT TO BRING"), "{pdf_text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = folder.metadata().unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700, "the documents folder is its owner's");
    }
    #[cfg(unix)]
    for sheet in &sheets {
        use std::os::unix::fs::PermissionsExt;
        let mode = sheet.metadata().unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", sheet.display());
    }
    let conn = open_db(&db);
    let audited: i64 = conn
        .query_row(
            "SELECT count(*) FROM audit_log WHERE action = 'print.checklist'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audited, 1);
}

#[test]
fn a_full_application_with_two_owners_is_submitted_once_and_its_receipt_written() {
    let home = tempfile::tempdir().unwrap();
    // An operator takes the application; a supervisor registers it.
    add_account(home.path(), &[], TEST_LOGIN, "admin", false);
    add_account(home.path(), &[], "zhanar", "operator", true);
    add_account(home.path(), &[], "elena", "supervisor", true);
    let mut desk = Desk::start(home.path(), &["--lang", "en"], &[], 120, 40);
    desk.sign_in("zhanar", TEST_PASSWORD);
    tenant_with_two_owners(&mut desk);
    let rounds = submit_through_the_gate(&mut desk);
    desk.wait_for("R D - 2 0 2 6 - 0 0 0 0 0 1");
    assert_eq!(
        rounds, 6,
        "3 documents (applicant, owner, co-owner) and 3 consents (owner, co-owner, personal data)"
    );
    // F8 again under the number does nothing: still one application.
    desk.send(F8);
    desk.send("\x10"); // Ctrl+P: the receipt
    desk.wait_for("receipt-RD-2026-000001.pdf");

    let data = home.path().join("data/regdesk");
    let receipt =
        std::fs::read_to_string(data.join("regdesk-documents/receipt-RD-2026-000001.txt")).unwrap();
    assert!(
        receipt.contains("Application No. RD-2026-000001"),
        "{receipt}"
    );
    assert!(receipt.contains("Әбілқайыров Бақыт"), "{receipt}");
    assert!(receipt.contains("********2305"), "{receipt}");
    let pdf = std::fs::read(data.join("regdesk-documents/receipt-RD-2026-000001.pdf")).unwrap();
    let pdf_text = pdf_extract::extract_text_from_mem(&pdf).unwrap();
    assert!(pdf_text.contains("RD-2026-000001"), "{pdf_text}");
    assert!(pdf_text.contains("Әбілқайыров Бақыт"), "{pdf_text}");
    let db = open_db(&data.join("regdesk.sqlite"));
    let count = |sql: &str| -> i64 { db.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(
        count("SELECT count(*) FROM applications WHERE status = 'submitted'"),
        1
    );
    assert_eq!(count("SELECT count(*) FROM status_history"), 1);
    assert_eq!(count("SELECT count(*) FROM documents_presented"), 3);
    assert_eq!(
        count("SELECT count(*) FROM consents WHERE kind = 'co_owner'"),
        1
    );
    assert_eq!(
        count("SELECT count(*) FROM consents WHERE kind = 'owner'"),
        1
    );
    assert_eq!(
        count("SELECT count(*) FROM consents WHERE kind = 'personal_data'"),
        1
    );
    assert_eq!(count("SELECT count(*) FROM drafts"), 0);
    assert_eq!(
        count("SELECT count(*) FROM audit_log WHERE action = 'application.submit'"),
        1
    );
    assert_eq!(
        count("SELECT count(*) FROM audit_log WHERE action = 'print.receipt'"),
        1
    );
    // Signed in: the operator is on the audit rows, the application and its first step.
    assert_eq!(
        count(
            "SELECT count(*) FROM audit_log a JOIN operators o ON o.id = a.operator_id
             WHERE o.login = 'zhanar' AND a.action IN ('login.ok', 'application.submit', 'print.receipt')"
        ),
        3
    );
    assert_eq!(
        count("SELECT count(*) FROM applications WHERE created_by IS NOT NULL"),
        1
    );
    assert_eq!(
        count("SELECT count(*) FROM status_history WHERE changed_by IS NOT NULL"),
        1
    );
    let record: String = db
        .query_row("SELECT decision_record FROM applications", [], |r| r.get(0))
        .unwrap();
    let record: serde_json::Value = serde_json::from_str(&record).unwrap();
    assert_eq!(record["evaluation"]["decision"], "proceed");
    assert_eq!(record["case"]["owners"], "2");

    desk.send(ENTER);
    desk.wait_for("20 questions left");
    drop(db);
    // Encrypted at rest: neither the file nor its WAL (the desk still has it open) nor the
    // key slots hold a readable name or IIN of the applicant or the owners.
    let mut raw = Vec::new();
    for name in [
        "regdesk.sqlite",
        "regdesk.sqlite-wal",
        "regdesk.sqlite.keys",
    ] {
        raw.extend(std::fs::read(data.join(name)).unwrap_or_default());
    }
    assert!(raw.len() > 100_000, "the file and its WAL were read");
    for secret in [
        "Серікова",
        "850714412305",
        "Әбілқайыров",
        "771111302100",
        "Abaya",
    ] {
        let needle = secret.as_bytes();
        assert!(
            !raw.windows(needle.len()).any(|w| w == needle),
            "{secret} readable in the database files"
        );
    }

    // Lookup: the surname's first letters find it; the record opens.
    desk.send("\x1b[15~"); // F5
    desk.wait_for("IIN, RD-2026-000123 or surname");
    desk.send("серік");
    desk.wait_for("RD-2026-000001 Серікова Айгерім");
    desk.wait_for("********2305");
    desk.send(ENTER);
    desk.wait_for("Application record");
    desk.wait_for("— → Submitted");
    // The personal-data consent cannot be revoked while the application is in process: why.
    desk.send("\x0b"); // Ctrl+K
    desk.wait_for("Revoke a consent");
    // The consents in the checklist's order: the personal-data consent comes first.
    desk.wait_for("‹ Personal-data consent — Серікова Айгерім");
    desk.send(TAB);
    desk.send("the applicant asked");
    desk.send(ENTER);
    desk.wait_for("cannot be revoked while application RD-2026-000001 is in process");
    // Status: submitted → registered, by the supervisor; the timeline shows the step.
    desk.send("\x17"); // Ctrl+W
    desk.wait_for("Locked");
    desk.send(ESC);
    desk.sign_in("elena", TEST_PASSWORD);
    desk.send("\x1b[15~"); // F5
    desk.send("серік");
    desk.wait_for("RD-2026-000001 Серікова Айгерім");
    desk.send(ENTER);
    desk.wait_for("Application record");
    desk.send("\x13"); // Ctrl+S
    desk.wait_for("Change the status");
    desk.wait_for("‹ Under review ›");
    desk.send(RIGHT);
    desk.wait_for("‹ Registered ›");
    desk.send(CTRL_S);
    desk.wait_for("Status changed: Registered");
    desk.wait_for("Submitted → Registered");
    desk.send(F10);
    assert_eq!(desk.wait_exit(), 0);
    assert_restored(&desk);
    // The lookup worker and the checkpointer closed first: the WAL is folded in and gone.
    assert!(
        !data.join("regdesk.sqlite-wal").exists(),
        "the WAL stayed behind"
    );

    let db = open_db(&data.join("regdesk.sqlite"));
    let count = |sql: &str| -> i64 { db.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(
        count("SELECT count(*) FROM applications WHERE status = 'registered'"),
        1
    );
    assert_eq!(count("SELECT count(*) FROM status_history"), 2);
    assert_eq!(
        count("SELECT count(*) FROM consents WHERE revoked_at IS NOT NULL"),
        0
    );
    assert_eq!(
        count("SELECT count(*) FROM audit_log WHERE action = 'application.status'"),
        1
    );
    assert!(count("SELECT count(*) FROM audit_log WHERE action = 'application.open'") >= 1);
    let from: Option<String> = db
        .query_row("SELECT registered_from FROM applications", [], |r| r.get(0))
        .unwrap();
    assert!(from.is_some(), "a registration records its first day");
    // Every step of the day is on the record, by the right person.
    for (login, action, times) in [
        ("zhanar", "login.ok", 1),
        ("zhanar", "application.submit", 1),
        ("zhanar", "session.lock", 1),
        ("zhanar", "logout", 1),
        ("elena", "login.ok", 1),
        ("elena", "application.status", 1),
    ] {
        let sql = format!(
            "SELECT count(*) FROM audit_log a JOIN operators o ON o.id = a.operator_id
             WHERE o.login = '{login}' AND a.action = '{action}'"
        );
        assert_eq!(count(&sql), times, "{login} {action}");
    }
    assert!(count("SELECT count(*) FROM audit_log WHERE action = 'application.open'") >= 2);
}

#[test]
fn a_wrong_password_is_refused_and_repeated_ones_lock_the_account() {
    let home = tempfile::tempdir().unwrap();
    add_account(home.path(), &[], TEST_LOGIN, "admin", false);
    add_account(home.path(), &[], "second", "admin", true);
    let mut desk = Desk::start(home.path(), &["--lang", "en"], &[], 100, 24);
    desk.wait_for(SIGN_IN_MARK);
    for attempt in 1..=5 {
        desk.send(if attempt == 1 { TEST_LOGIN } else { "" });
        desk.send(if attempt == 1 { TAB } else { "" });
        desk.send("not the password");
        desk.send(ENTER);
        if attempt < 5 {
            desk.wait_for("Wrong login or password");
        }
    }
    desk.wait_for("the account is locked until");
    // Even the right password waits for the lock.
    desk.send(TEST_PASSWORD);
    desk.send(ENTER);
    desk.wait_for("the account is locked until");
    assert!(!desk.contents().contains("Applicant intake"));
    desk.send(F10);
    assert_eq!(desk.wait_exit(), 0);
    // The file could not be opened to audit them: the key slots keep them meanwhile, and
    // the next sign-in (another administrator's) writes them into the audit trail.
    let db = database_of(home.path(), &[]);
    let kept = regdesk::store::Keyring::open(&db)
        .unwrap()
        .failures()
        .unwrap();
    let locked = kept.iter().filter(|(_, f)| f.locked).count();
    assert_eq!((kept.len(), locked), (6, 1), "{kept:?}");
    let mut desk = Desk::start(home.path(), &["--lang", "en"], &[], 100, 30);
    desk.sign_in("second", TEST_PASSWORD);
    desk.wait_for("Applicant intake");
    desk.send(F10);
    assert_eq!(desk.wait_exit(), 0);
    let db = open_db_as(&db, "second");
    let count = |action: &str| -> i64 {
        db.query_row(
            "SELECT count(*) FROM audit_log WHERE action = ?1 AND details LIKE '%key_slots%'",
            [action],
            |r| r.get(0),
        )
        .unwrap()
    };
    assert_eq!((count("login.failed"), count("login.locked")), (5, 1));
}

#[test]
fn an_idle_desk_locks_hides_the_case_and_the_same_operator_unlocks_it() {
    let home = tempfile::tempdir().unwrap();
    let mut desk = Desk::start_signed_in(
        home.path(),
        &["--lang", "en", "--lock-after", "2s"],
        &[],
        100,
        30,
    );
    desk.wait_for("Applicant intake");
    answer(&mut desk, "850714412305", "Surname");
    desk.send("Серікова");
    desk.wait_for("Серікова");
    // Two seconds without a key: locked; the name is gone from the screen.
    desk.wait_for("Locked");
    desk.wait_gone("Серікова");
    assert!(
        !desk.contents().contains("850714412305"),
        "{}",
        desk.contents()
    );
    desk.send("wrong password");
    desk.send(ENTER);
    desk.wait_for("Wrong password");
    assert!(
        !desk.contents().contains("Wrong login"),
        "the lock screen has no login field"
    );
    desk.send(TEST_PASSWORD);
    desk.send(ENTER);
    // The work is where it was.
    desk.wait_for("Серікова");
    // Ctrl+W locks at once; Esc there signs out, and the next operator sees nothing of it.
    desk.send("\x17");
    desk.wait_for("Locked");
    desk.send(ESC);
    desk.wait_for("Sign in with your login and password");
    assert!(!desk.contents().contains("Серікова"));
    desk.sign_in(TEST_LOGIN, TEST_PASSWORD);
    desk.wait_for("Applicant intake");
    desk.send(F10);
    assert_eq!(desk.wait_exit(), 0);
    let db = open_db(&database_of(home.path(), &[]));
    let count = |action: &str| -> i64 {
        db.query_row(
            "SELECT count(*) FROM audit_log WHERE action = ?1",
            [action],
            |r| r.get(0),
        )
        .unwrap()
    };
    assert_eq!(count("session.lock"), 2);
    // Signed out on the lock screen, then the desk closed with the next sign-in.
    assert_eq!(count("logout"), 2);
    assert_eq!(count("login.ok"), 3);
}

/// Submits a fictional application straight through the store, for the lookup tests.
fn submitted_application(db: &std::path::Path) -> String {
    use regdesk::store::{KnownApplicant, Submission};
    let mut store = open_store(db);
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
        ruleset: ("set".into(), "1".into(), "0".repeat(64)),
        decision_record: "{}".into(),
        ..Submission::default()
    };
    store.submit(&submission).unwrap().number
}

#[test]
fn an_operator_cannot_decide_an_application_and_a_supervisor_registers_it() {
    let home = tempfile::tempdir().unwrap();
    add_account(home.path(), &[], TEST_LOGIN, "admin", false);
    add_account(home.path(), &[], "zhanar", "operator", true);
    add_account(home.path(), &[], "elena", "supervisor", true);
    let number = submitted_application(&database_of(home.path(), &[]));
    let mut desk = Desk::start(home.path(), &["--lang", "en"], &[], 110, 32);
    desk.sign_in("zhanar", TEST_PASSWORD);
    desk.send("\x1b[15~"); // F5
    desk.send("серік");
    desk.wait_for(&number);
    desk.send(ENTER);
    desk.wait_for("Application record");
    desk.send("\x13"); // Ctrl+S
    desk.wait_for("‹ Under review ›");
    // An operator's steps only: under review and withdrawn, never registered or refused.
    for _ in 0..4 {
        desk.send(RIGHT);
        std::thread::sleep(std::time::Duration::from_millis(50));
        let screen = desk.contents();
        assert!(
            !screen.contains("‹ Registered ›") && !screen.contains("‹ Refused ›"),
            "{screen}"
        );
    }
    desk.send(ESC);
    // Ctrl+L to the summary: a supervisor's list, refused and said.
    desk.send(ESC);
    for _ in 0..3 {
        desk.send("\x0c");
    }
    desk.wait_for("does not allow this");
    // The supervisor takes the desk and registers it.
    desk.send("\x17");
    desk.wait_for("Locked");
    desk.send(ESC);
    desk.sign_in("elena", TEST_PASSWORD);
    desk.send("\x1b[15~");
    desk.send("серік");
    desk.wait_for(&number);
    desk.send(ENTER);
    desk.wait_for("Application record");
    desk.send("\x13");
    desk.wait_for("‹ Under review ›");
    desk.send(RIGHT);
    desk.wait_for("‹ Registered ›");
    desk.send(CTRL_S);
    desk.wait_for("Status changed: Registered");
    desk.wait_for("Submitted → Registered");
    // The supervisor reads the audit trail: the refusal and the change, by whom.
    desk.send(ESC);
    desk.send(ESC);
    for _ in 0..4 {
        desk.send("\x0c");
    }
    desk.wait_for("Audit trail");
    desk.send("permission");
    desk.wait_for("refused by role");
    desk.wait_for("zhanar");
    for _ in 0.."permission".len() {
        desk.send("\x7f");
    }
    desk.send("elena application");
    desk.wait_for("status changed");
    desk.send(F10);
    assert_eq!(desk.wait_exit(), 0);
    let db = open_db(&database_of(home.path(), &[]));
    let by: String = db
        .query_row(
            "SELECT o.login FROM audit_log a JOIN operators o ON o.id = a.operator_id
             WHERE a.action = 'application.status'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(by, "elena");
    let refused: i64 = db
        .query_row(
            "SELECT count(*) FROM audit_log WHERE action = 'permission.refused'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(refused, 1);
    let timeline_by: String = db
        .query_row(
            "SELECT o.display_name FROM status_history h JOIN operators o ON o.id = h.changed_by
             WHERE h.status = 'registered'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(timeline_by, TEST_NAME);
    // Reading the audit trail is on it once, however many words were typed to filter it.
    let views: i64 = db
        .query_row(
            "SELECT count(*) FROM audit_log WHERE action = 'audit.view'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(views, 1);
}

/// A kiosk: the desk starts with a key file, which opens the encrypted file; the operators
/// still sign in with their own passwords, and the unlock is on the record.
#[test]
fn a_kiosk_opens_the_file_with_its_key_file_and_operators_still_sign_in() {
    let home = tempfile::tempdir().unwrap();
    add_account(home.path(), &[], TEST_LOGIN, "admin", false);
    let db = database_of(home.path(), &[]);
    let key_file = home.path().join("kiosk.key");
    let mut make = std::process::Command::new(env!("CARGO_BIN_EXE_regdesk"))
        .arg("--db")
        .arg(&db)
        .arg("key-file")
        .arg(&key_file)
        .args([
            "--role",
            "operator",
            "--admin",
            TEST_LOGIN,
            "--password-stdin",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    use std::io::Write;
    writeln!(make.stdin.take().unwrap(), "{TEST_PASSWORD}").unwrap();
    assert!(make.wait().unwrap().success());
    let key_arg = key_file.to_str().unwrap();
    let mut desk = Desk::start(
        home.path(),
        &["--lang", "en", "--key-file", key_arg],
        &[],
        100,
        30,
    );
    desk.wait_for(SIGN_IN_MARK);
    desk.send(TEST_LOGIN);
    desk.send(TAB);
    desk.send("not the password");
    desk.send(ENTER);
    desk.wait_for("Wrong login or password");
    desk.send(TEST_PASSWORD);
    desk.send(ENTER);
    desk.wait_for("Applicant intake");
    desk.send(F10);
    assert_eq!(desk.wait_exit(), 0);
    let unlocks = count(
        &db,
        "SELECT count(*) FROM audit_log WHERE action = 'unlock' AND details LIKE '%key_file%'",
    );
    assert_eq!(unlocks, 1);
    let failed = count(
        &db,
        "SELECT count(*) FROM audit_log WHERE action = 'login.failed'",
    );
    assert_eq!(failed, 1);
}

/// A command's password prompt killed by any ending signal (a closed window, `kill`, a
/// shutdown) gives the terminal back cooked, as the desk does.
#[test]
fn a_password_prompt_killed_by_a_signal_leaves_the_terminal_cooked() {
    use nix::sys::signal::Signal;
    let home = tempfile::tempdir().unwrap();
    add_account(home.path(), &[], TEST_LOGIN, "admin", false);
    for signal in [
        Signal::SIGTERM,
        Signal::SIGINT,
        Signal::SIGHUP,
        Signal::SIGQUIT,
        Signal::SIGUSR1,
        Signal::SIGALRM,
    ] {
        let mut prompt = Desk::start(
            home.path(),
            &["--lang", "en", "lookup", "Абаев"],
            &[],
            80,
            24,
        );
        prompt.wait_for("Login:");
        prompt.send(TEST_LOGIN);
        prompt.send(ENTER);
        prompt.wait_for("Password of");
        // The prompt turns echo off just after it is printed: wait for that state.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while prompt.terminal_is_cooked() && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        assert!(
            !prompt.terminal_is_cooked(),
            "{signal}: the prompt hides what is typed"
        );
        prompt.signal(signal);
        prompt.wait_exit();
        assert!(prompt.terminal_is_cooked(), "{signal}: terminal left raw");
    }
}

/// A trainer's account opens training databases only: at the desk of a real database its
/// right password is refused, with what to do, and nothing of the desk is shown.
#[test]
fn a_trainer_cannot_sign_in_to_a_real_database() {
    let home = tempfile::tempdir().unwrap();
    add_account(home.path(), &[], TEST_LOGIN, "admin", false);
    add_account(home.path(), &[], "tamara", "trainer", true);
    let mut desk = Desk::start(home.path(), &["--lang", "en"], &[], 100, 30);
    desk.wait_for(SIGN_IN_MARK);
    desk.send("tamara");
    desk.send(TAB);
    desk.send(TEST_PASSWORD);
    desk.send(ENTER);
    desk.wait_for("training databases only");
    assert!(
        desk.contents().contains(SIGN_IN_MARK),
        "{}",
        desk.contents()
    );
}

/// On the checklist and the consents, Tab and Shift+Tab go to the next and previous screen
/// and ? opens the help, as the key bar and F1 say.
#[test]
fn tab_shift_tab_and_question_mark_on_the_list_screens() {
    const SHIFT_TAB: &str = "\x1b[Z";
    let home = tempfile::tempdir().unwrap();
    let mut desk = Desk::start_signed_in(home.path(), &["--lang", "en"], &[], 120, 40);
    desk.send(F3);
    desk.wait_for("Document checklist");
    desk.send(TAB);
    desk.wait_for("┌ Consents");
    desk.send(TAB);
    desk.wait_for("▸Lookup◂");
    desk.send(F4);
    desk.wait_for("┌ Consents");
    desk.send(SHIFT_TAB);
    desk.wait_for("┌ Document checklist");
    desk.send("?");
    desk.wait_for("Help: keys");
    desk.send(ESC);
    desk.wait_gone("Help: keys");
    desk.send(F4);
    desk.wait_for("┌ Consents");
    desk.send("?");
    desk.wait_for("Help: keys");
}
