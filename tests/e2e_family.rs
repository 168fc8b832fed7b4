//! End-to-end: a family's whole visit at the desk, as an operator meets it. A mother applies
//! for a co-owned flat (two co-owners' consents, her personal-data consent, documents); Ctrl+N
//! brings her son of 8, whose case is closed as "registration not required" with a named
//! note for the family; Ctrl+N again brings her daughter of 15, whom she represents.

#![cfg(unix)]

mod support;

use support::*;

const CTRL_N: &str = "\x0e";
const CTRL_P: &str = "\x10";

/// Waits (generously) until the submit gate or the closed case is on screen: which.
fn gate_or_closed(desk: &Desk) -> &'static str {
    let until = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let screen = desk.contents();
        if screen.contains("Closed: registration is not required") {
            return "closed";
        }
        if screen.contains("Closing the case: registration is not required")
            && screen.contains("▸ ✗ ")
        {
            return "gate";
        }
        assert!(
            std::time::Instant::now() < until,
            "neither the gate nor the closed case:\n{screen}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// The receipt of `number`, as text and as PDF: each of `expected` is in the text, `name` in
/// the PDF.
fn receipt_names(papers: &std::path::Path, number: &str, expected: &[&str], name: &str) {
    let text = std::fs::read_to_string(papers.join(format!("receipt-{number}.txt"))).unwrap();
    for line in expected {
        assert!(text.contains(line), "{line:?} in\n{text}");
    }
    let pdf = std::fs::read(papers.join(format!("receipt-{number}.pdf"))).unwrap();
    let pdf_text = pdf_extract::extract_text_from_mem(&pdf).unwrap();
    assert!(pdf_text.contains(number), "{pdf_text}");
    assert!(pdf_text.contains(name), "{pdf_text}");
}

#[test]
fn a_mother_her_son_of_8_and_her_daughter_of_15_in_one_visit() {
    let home = tempfile::tempdir().unwrap();
    add_account(home.path(), &[], TEST_LOGIN, "admin", false);
    add_account(home.path(), &[], "zhanar", "operator", true);
    let mut desk = Desk::start(home.path(), &["--lang", "en"], &[], 120, 40);
    desk.sign_in("zhanar", TEST_PASSWORD);
    let data = home.path().join("data/regdesk");
    let papers = data.join("regdesk-documents");

    // The mother.
    tenant_with_two_owners(&mut desk);
    assert_eq!(
        submit_through_the_gate(&mut desk),
        6,
        "3 documents (hers, the owner's, the co-owner's) and 3 consents"
    );
    desk.wait_for("R D - 2 0 2 6 - 0 0 0 0 0 1");
    desk.send(CTRL_P);
    desk.wait_for("receipt-RD-2026-000001.pdf");
    receipt_names(
        &papers,
        "RD-2026-000001",
        &[
            "Applicant: Серікова Айгерім, IIN ********2305",
            &format!("Operator: {TEST_NAME}"),
            "Consents recorded",
        ],
        "Серікова Айгерім",
    );

    // Her son of 8: same family. The surname is proposed, the owners' consents come along.
    desk.send(CTRL_N);
    desk.wait_for("Same family");
    desk.wait_for("▸ IIN");
    desk.send("160301500010");
    desk.send(TAB);
    // His birth date is read from the IIN: a child, said at once; his mother represents him.
    desk.wait_for("A child under 14: no registration of their own is needed");
    desk.send(TAB);
    desk.send("Әли");
    // F8 lists what is still needed to close the case (never "see the decision").
    desk.send(F8);
    desk.wait_for("Closing the case: registration is not required");
    let gate = desk.contents();
    assert!(!gate.contains("see the decision"), "{gate}");
    let mut rounds = 0;
    // After each F8 the desk shows the gate again or the case closed: wait for one of them
    // (never for a fixed time), then answer what the gate lists.
    while gate_or_closed(&desk) == "gate" {
        assert!(rounds < 8, "the gate keeps asking:\n{}", desk.contents());
        let first = selected_gap(&desk);
        answer_the_field(&mut desk, &first);
        desk.send(F8);
        rounds += 1;
    }
    desk.wait_for("no application number is given");
    desk.send(CTRL_P);
    desk.wait_for("note-not-required-1.pdf");
    let note = std::fs::read_to_string(papers.join("note-not-required-1.txt")).unwrap();
    for expected in [
        "NOTE: REGISTRATION IS NOT REQUIRED",
        "Person: Серікова Әли, IIN 160301500010, born 01.03.2016",
        "Parent or legal representative: Серікова Айгерім, IIN 850714412305",
        "Children under 14 are not registered on their own",
        "Operator: ",
    ] {
        assert!(note.contains(expected), "{expected:?} in\n{note}");
    }
    let pdf = std::fs::read(papers.join("note-not-required-1.pdf")).unwrap();
    let pdf_text = pdf_extract::extract_text_from_mem(&pdf).unwrap();
    assert!(pdf_text.contains("Серікова Әли"), "{pdf_text}");

    // Her daughter of 15: her mother represents her too (not her brother).
    desk.send(CTRL_N);
    desk.wait_for("Same family");
    desk.wait_for("▸ IIN");
    desk.send("110520600049");
    desk.send(TAB);
    desk.wait_for("the family's previous applicant is filled in as the legal representative");
    desk.send(TAB);
    desk.send("Дана");
    let rounds = submit_through_the_gate(&mut desk);
    assert!(rounds >= 2, "her documents and her personal-data consent");
    desk.wait_for("R D - 2 0 2 6 - 0 0 0 0 0 2");
    desk.send(CTRL_P);
    desk.wait_for("receipt-RD-2026-000002.pdf");
    receipt_names(
        &papers,
        "RD-2026-000002",
        &[
            "Applicant: Серікова Дана, IIN ********0049",
            "Through the representative: Серікова Айгерім",
            &format!("Operator: {TEST_NAME}"),
        ],
        "Серікова Дана",
    );
    // Her record, found by her mother's IIN (the cases where the mother represents).
    desk.send(ENTER);
    desk.send(F5);
    desk.wait_for("IIN, RD-2026-000123 or surname");
    desk.send("850714412305");
    desk.wait_for("RD-2026-000002 Серікова Дана");
    desk.wait_for("RD-2026-000001 Серікова Айгерім");
    desk.send(DOWN);
    desk.wait_for("▸ RD-2026-000002");
    desk.send(ENTER);
    desk.wait_for("Application record");
    for expected in [
        "RD-2026-000002",
        "Серікова Дана",
        "Серікова Айгерім",
        "Almaty, Abaya St., house 12",
    ] {
        desk.wait_for(expected);
    }
    // The mother's record: her consents as given, on the checklist as submitted.
    desk.send(ESC);
    desk.wait_for("▸ RD-2026-000002");
    desk.send("\x1b[A");
    desk.wait_for("▸ RD-2026-000001");
    desk.send(ENTER);
    desk.wait_for("RD-2026-000001 ·");
    for expected in ["Серікова Айгерім", "Ахметова Гүлнұр", "Әбілқайыров Бақыт"]
    {
        desk.wait_for(expected);
    }
    desk.send(F10);
    assert_eq!(desk.wait_exit(), 0);

    let db = open_db(&data.join("regdesk.sqlite"));
    let one = |sql: &str| -> String { db.query_row(sql, [], |r| r.get(0)).unwrap() };
    let count = |sql: &str| -> i64 { db.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(count("SELECT count(*) FROM applications"), 2);
    assert_eq!(
        one("SELECT representative_iin FROM applications WHERE number = 'RD-2026-000002'"),
        "850714412305"
    );
    // The consents in the order the checklist lists them (the receipt lists them so).
    assert_eq!(
        one(
            "SELECT group_concat(kind) FROM (SELECT c.kind FROM consents c
             JOIN applications a ON a.id = c.application_id
             WHERE a.number = 'RD-2026-000001' ORDER BY c.id)"
        ),
        "personal_data,owner,co_owner"
    );
    assert_eq!(count("SELECT count(*) FROM closed_cases"), 1);
    assert_eq!(one("SELECT closed_as FROM closed_cases"), "not_required");
    assert_eq!(
        count("SELECT count(*) FROM audit_log WHERE action = 'case.close'"),
        1
    );
    assert_eq!(count("SELECT count(*) FROM drafts"), 0);
}
