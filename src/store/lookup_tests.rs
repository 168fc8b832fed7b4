//! Lookup, record, life cycle, expiry and the daily summary, on a real file.

use chrono::NaiveDate;

use super::*;
use crate::core::{ApplicationStatus, Iin, LookupQuery, Sex};

fn temp_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = Store::open(&dir.path().join("regdesk.sqlite")).unwrap();
    (dir, store)
}

fn iin(serial: u16) -> String {
    let born = NaiveDate::from_ymd_opt(1988, 5, 17).unwrap();
    Iin::generate(born, Sex::Female, serial)
        .unwrap()
        .as_string()
}

/// Submits an application of a fictional person; returns its number.
fn submit(store: &mut Store, serial: u16, surname: &str, given: &str, kind: &str) -> String {
    let draft = store.save_draft(None, "intake", "{}", None).unwrap();
    let submission = Submission {
        draft_id: draft,
        year: 2026,
        iin: iin(serial),
        person: KnownApplicant {
            surname: surname.into(),
            given_name: given.into(),
            status: "citizen".into(),
            capacity: "full".into(),
            ..KnownApplicant::default()
        },
        registration_type: kind.into(),
        period_months: (kind == "temporary").then_some(3),
        ruleset: ("set".into(), "1".into(), "0".repeat(64)),
        decision_record: r#"{"case":{}}"#.into(),
        consents: vec![SubmittedConsent {
            kind: "personal_data".into(),
            name: format!("{surname} {given}"),
            role: "applicant".into(),
            form: "in_person".into(),
            given_at: "2026-11-21".into(),
            ..SubmittedConsent::default()
        }],
        ..Submission::default()
    };
    store.submit(&submission).unwrap().number
}

fn names(store: &Store, query: &str) -> Vec<String> {
    let page = store
        .lookup(
            &LookupQuery::parse(query),
            &LookupFilter::default(),
            None,
            50,
        )
        .unwrap();
    page.rows.iter().map(|r| r.surname.clone()).collect()
}

fn people(store: &mut Store) {
    for (i, (surname, given)) in [
        ("Яковлев", "Пётр"),
        ("Әбдірахманов", "Нұрлан"),
        ("Ахметов", "Нұрсұлтан"),
        ("Ахметова", "Айгүл"),
        ("Абаев", "Ерлан"),
        ("Семёнова", "Елена"),
        ("Ғабитов", "Арман"),
        ("Гусев", "Иван"),
    ]
    .iter()
    .enumerate()
    {
        submit(store, i as u16 + 1, surname, given, "permanent");
    }
}

#[test]
fn names_are_found_by_prefix_in_the_kazakh_alphabetical_order() {
    let (_dir, mut store) = temp_store();
    people(&mut store);
    assert_eq!(names(&store, "әбд"), ["Әбдірахманов"]);
    assert_eq!(names(&store, "АБ"), ["Абаев", "Әбдірахманов"]);
    assert_eq!(
        names(&store, "а"),
        ["Абаев", "Ахметов", "Ахметова", "Әбдірахманов"]
    );
    assert_eq!(names(&store, "г"), ["Гусев", "Ғабитов"]);
    assert_eq!(names(&store, "семен"), ["Семёнова"]);
    assert_eq!(names(&store, "ахметов нұр"), ["Ахметов"]);
    assert_eq!(names(&store, "ахметов нур"), ["Ахметов"]);
    assert!(names(&store, "жж").is_empty());
}

#[test]
fn an_iin_and_a_number_find_their_application() {
    let (_dir, mut store) = temp_store();
    people(&mut store);
    let number = submit(&mut store, 3, "Ахметов", "Нұрсұлтан", "temporary");
    assert_eq!(names(&store, &iin(3)).len(), 2);
    let typed = number.replace('-', "").to_lowercase();
    let page = store
        .lookup(
            &LookupQuery::parse(&typed),
            &LookupFilter::default(),
            None,
            50,
        )
        .unwrap();
    assert_eq!(page.rows.len(), 1);
    assert_eq!(page.rows[0].number, number);
    assert!(names(&store, "1234").is_empty());
}

#[test]
fn pages_follow_each_other_without_gaps_or_repeats() {
    let (_dir, mut store) = temp_store();
    for i in 0..23u16 {
        let surname = if i % 2 == 0 {
            "Ахметов"
        } else {
            "Әхметов"
        };
        submit(
            &mut store,
            i + 1,
            surname,
            &format!("Имя{i:02}"),
            "permanent",
        );
    }
    let query = LookupQuery::parse("ах");
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = store
            .lookup(&query, &LookupFilter::default(), after.as_ref(), 5)
            .unwrap();
        seen.extend(page.rows.iter().map(|r| r.full_name()));
        after = page.rows.last().map(|r| r.cursor.clone());
        if !page.more {
            break;
        }
    }
    assert_eq!(seen.len(), 23);
    let mut sorted = seen.clone();
    sorted.sort_by_key(|n| crate::core::collation::sort_key(n));
    assert_eq!(seen, sorted);
    assert!(seen[11].starts_with("Ахметов") && seen[12].starts_with("Әхметов"));
}

#[test]
fn a_status_filter_narrows_the_results() {
    let (_dir, mut store) = temp_store();
    people(&mut store);
    let number = submit(&mut store, 30, "Ахмедов", "Марат", "permanent");
    let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let request = StatusRequest {
        number: number.clone(),
        to: ApplicationStatus::Registered,
        reason_code: None,
        note: None,
        registered_from: None,
        today,
        operator: None,
        override_reason: None,
    };
    store.change_status(&request).unwrap();
    let filter = LookupFilter {
        status: Some("registered".into()),
        ..LookupFilter::default()
    };
    let page = store
        .lookup(&LookupQuery::parse("ах"), &filter, None, 50)
        .unwrap();
    assert_eq!(page.rows.len(), 1);
    assert_eq!(page.rows[0].number, number);
}

fn request(number: &str, to: ApplicationStatus, today: NaiveDate) -> StatusRequest {
    StatusRequest {
        number: number.into(),
        to,
        reason_code: None,
        note: None,
        registered_from: None,
        today,
        operator: None,
        override_reason: None,
    }
}

#[test]
fn a_status_change_writes_history_and_audit_and_a_forbidden_one_says_what_is_possible() {
    let (_dir, mut store) = temp_store();
    let number = submit(&mut store, 1, "Абаев", "Ерлан", "temporary");
    let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let audit_before = store.audit_len().unwrap();
    let refused = store.change_status(&request(&number, ApplicationStatus::Refused, today));
    assert_eq!(refused.unwrap(), StatusOutcome::NeedsReason);
    let review = store
        .change_status(&request(&number, ApplicationStatus::UnderReview, today))
        .unwrap();
    assert!(matches!(review, StatusOutcome::Changed { .. }));
    let registered = store
        .change_status(&request(&number, ApplicationStatus::Registered, today))
        .unwrap();
    let end = NaiveDate::from_ymd_opt(2027, 2, 28).unwrap();
    assert_eq!(
        registered,
        StatusOutcome::Changed {
            from: ApplicationStatus::UnderReview,
            to: ApplicationStatus::Registered,
            period: Some((today, Some(end))),
        }
    );
    let forbidden = store
        .change_status(&request(&number, ApplicationStatus::Withdrawn, today))
        .unwrap();
    assert_eq!(
        forbidden,
        StatusOutcome::Forbidden {
            from: ApplicationStatus::Registered,
            allowed: vec![ApplicationStatus::Expired],
        }
    );
    let text = forbidden
        .message()
        .text(&crate::i18n::Tr::new(crate::i18n::Lang::En));
    assert!(
        text.contains("Expired") || text.contains("expired"),
        "{text}"
    );
    assert_eq!(store.audit_len().unwrap(), audit_before + 2);
    let record = store.record(&number).unwrap().unwrap();
    let steps: Vec<(Option<&str>, &str)> = record
        .timeline
        .iter()
        .map(|s| (s.from.as_deref(), s.to.as_str()))
        .collect();
    assert_eq!(
        steps,
        [
            (None, "submitted"),
            (Some("submitted"), "under_review"),
            (Some("under_review"), "registered")
        ]
    );
    assert_eq!(record.registered_until.as_deref(), Some("2027-02-28"));
    assert_eq!(record.application.consents.len(), 1);
    assert!(
        store
            .change_status(&request(
                "RD-2026-999999",
                ApplicationStatus::Registered,
                today
            ))
            .unwrap()
            == StatusOutcome::NotFound
    );
}

#[test]
fn a_refusal_records_its_reason_and_note() {
    let (_dir, mut store) = temp_store();
    let number = submit(&mut store, 1, "Абаев", "Ерлан", "permanent");
    let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let mut refusal = request(&number, ApplicationStatus::Refused, today);
    refusal.reason_code = Some("no_title_documents".into());
    refusal.note = Some("adobe house".into());
    store.change_status(&refusal).unwrap();
    let record = store.record(&number).unwrap().unwrap();
    let last = record.timeline.last().unwrap();
    assert_eq!(last.reason_code.as_deref(), Some("no_title_documents"));
    assert_eq!(last.note.as_deref(), Some("adobe house"));
}

#[test]
fn ended_temporary_registrations_expire_once_and_lists_show_what_is_due() {
    let (_dir, mut store) = temp_store();
    let start = NaiveDate::from_ymd_opt(2026, 1, 10).unwrap();
    let temporary = submit(&mut store, 1, "Абаев", "Ерлан", "temporary");
    let permanent = submit(&mut store, 2, "Гусев", "Иван", "permanent");
    for number in [&temporary, &permanent] {
        store
            .change_status(&request(number, ApplicationStatus::Registered, start))
            .unwrap();
    }
    // 3 months from 10 January: the last day is 9 April.
    let due = store
        .due_registrations(NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(), 10, false)
        .unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].until, "2026-04-09");
    let not_yet = store
        .expire(NaiveDate::from_ymd_opt(2026, 4, 9).unwrap())
        .unwrap();
    assert!(not_yet.is_empty());
    let expired = store
        .expire(NaiveDate::from_ymd_opt(2026, 4, 10).unwrap())
        .unwrap();
    assert_eq!(expired, std::slice::from_ref(&temporary));
    assert!(
        store
            .expire(NaiveDate::from_ymd_opt(2026, 5, 1).unwrap())
            .unwrap()
            .is_empty()
    );
    let record = store.record(&temporary).unwrap().unwrap();
    assert_eq!(record.application.status, "expired");
    assert_eq!(
        record.timeline.last().unwrap().from.as_deref(),
        Some("registered")
    );
    assert_eq!(
        store
            .record(&permanent)
            .unwrap()
            .unwrap()
            .application
            .status,
        "registered"
    );
}

#[test]
fn the_daily_summary_counts_what_happened_that_day() {
    let (_dir, mut store) = temp_store();
    let a = submit(&mut store, 1, "Абаев", "Ерлан", "permanent");
    let b = submit(&mut store, 2, "Гусев", "Иван", "permanent");
    let c = submit(&mut store, 3, "Яковлев", "Пётр", "permanent");
    let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    store
        .change_status(&request(&a, ApplicationStatus::Registered, today))
        .unwrap();
    for (number, reason) in [(&b, "no_title_documents"), (&c, "consent_refused")] {
        let mut r = request(number, ApplicationStatus::Refused, today);
        r.reason_code = Some(reason.into());
        store.change_status(&r).unwrap();
    }
    // Yesterday's row, which the summary must leave out.
    store
        .conn
        .execute(
            "INSERT INTO status_history(application_id, status, changed_at)
             VALUES (1, 'under_review', '2026-11-30T23:59:59Z')",
            [],
        )
        .unwrap();
    let now = chrono::Utc::now();
    let from = timestamp(now - chrono::Duration::hours(1));
    let until = timestamp(now + chrono::Duration::hours(1));
    let report = store.daily_report(today, &from, &until).unwrap();
    // Hand-counted: 3 submitted, 1 registered, 2 refused; all by nobody signed in.
    assert_eq!(
        report.by_status,
        [
            ("refused".to_string(), 2),
            ("registered".into(), 1),
            ("submitted".into(), 3)
        ]
    );
    assert_eq!(
        report.by_reason,
        [
            ("consent_refused".to_string(), 1),
            ("no_title_documents".into(), 1)
        ]
    );
    assert_eq!(report.by_operator, [(None, 6)]);
}

#[test]
fn the_lookup_walks_the_sort_index_without_sorting() {
    let (_dir, store) = temp_store();
    let sql = format!(
        "EXPLAIN QUERY PLAN SELECT a.number FROM applicants p
         JOIN applications a ON a.applicant_id = p.id
         WHERE p.sort_key >= ?1 AND p.sort_key < ?6 AND {}
         ORDER BY p.sort_key, p.id, a.id LIMIT ?5",
        super::lookup::AFTER_CURSOR
    );
    let plan: Vec<String> = store
        .conn
        .prepare(&sql)
        .unwrap()
        .query_map(rusqlite::params!["a", "", 0, 0, 50, "b"], |r| {
            r.get::<_, String>(3)
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let plan = plan.join(" | ");
    assert!(plan.contains("applicants_by_sort_key"), "{plan}");
    assert!(!plan.contains("TEMP B-TREE"), "{plan}");
    // Only the prefix bounds the range (the cursor is not a second lower bound).
    assert!(plan.contains("(sort_key>? AND sort_key<?)"), "{plan}");
}

/// A first page reads only its own rows: with 20,000 names before the prefix in the index,
/// the query runs a few hundred steps, not tens of thousands (the cursor must not become the
/// range's lower bound).
#[test]
fn a_first_page_does_not_read_the_names_before_its_prefix() {
    let (_dir, mut store) = temp_store();
    store
        .write(|tx| {
            for i in 0..20_000 {
                let key = crate::core::collation::sort_key(&format!("Абаев {i:05}"));
                tx.execute(
                    "INSERT INTO applicants(surname, given_name, name_key, sort_key,
                        citizenship_status, created_at, updated_at)
                     VALUES ('Абаев', ?1, 'x', ?2, 'citizen', 'x', 'x')",
                    rusqlite::params![format!("{i:05}"), key],
                )?;
                tx.execute(
                    "INSERT INTO applications(number, applicant_id, registration_type, status,
                        created_at, updated_at) VALUES (?1, ?2, 'permanent', 'submitted', 'x', 'x')",
                    rusqlite::params![format!("RD-2025-{:06}", i + 1), tx.last_insert_rowid()],
                )?;
            }
            Ok(())
        })
        .unwrap();
    submit(&mut store, 1, "Яковлев", "Пётр", "permanent");
    let sql = format!(
        "SELECT a.number FROM applicants p JOIN applications a ON a.applicant_id = p.id
         WHERE p.sort_key >= ?1 AND p.sort_key < ?6 AND {}
         ORDER BY p.sort_key, p.id, a.id LIMIT ?5",
        super::lookup::AFTER_CURSOR
    );
    let range = crate::core::collation::KeyRange {
        prefix: crate::core::collation::sort_key("я"),
    };
    let mut stmt = store.conn.prepare(&sql).unwrap();
    let rows: Vec<String> = stmt
        .query_map(
            rusqlite::params![range.prefix, "", 0, 0, 61, range.end()],
            |r| r.get(0),
        )
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rows.len(), 1);
    let steps = stmt.get_status(rusqlite::StatementStatus::VmStep);
    assert!(steps < 1_000, "{steps} steps");
    // And through the store, the same page.
    assert_eq!(names(&store, "я"), ["Яковлев"]);
}

/// Tampering with the file directly (the triggers dropped, as a tool other than regdesk
/// could): `verify` names the first row that does not fit; a cut-off end needs the anchor.
#[test]
fn the_audit_chain_finds_an_edited_a_deleted_and_a_moved_row() {
    let fresh = || {
        let (dir, mut store) = temp_store();
        for i in 0..5 {
            store
                .append_audit(
                    None,
                    "test.action",
                    Some(("thing", i)),
                    &format!("{{\"n\":{i}}}"),
                )
                .unwrap();
        }
        let path = store.path().to_path_buf();
        let Ok(AuditVerdict::Intact {
            rows: 5,
            last: Some((5, anchor)),
        }) = store.verify_audit(None)
        else {
            panic!("{:?}", store.verify_audit(None))
        };
        drop(store);
        (dir, path, anchor)
    };
    let tamper = |path: &std::path::Path, sql: &str| {
        let conn = rusqlite::Connection::open(path).unwrap();
        conn.execute_batch(&format!(
            "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; {sql}"
        ))
        .unwrap();
    };
    let verdict = |path: &std::path::Path, anchor: Option<&str>| {
        Store::open(path).unwrap().0.verify_audit(anchor).unwrap()
    };
    // Through regdesk the rows cannot be changed at all.
    let (_d, path, _) = fresh();
    let conn = rusqlite::Connection::open(&path).unwrap();
    assert!(
        conn.execute("UPDATE audit_log SET details = '{}' WHERE id = 2", [])
            .is_err()
    );
    assert!(
        conn.execute("DELETE FROM audit_log WHERE id = 2", [])
            .is_err()
    );
    drop(conn);

    let (_d, path, _) = fresh();
    tamper(
        &path,
        "UPDATE audit_log SET details = '{\"n\":9}' WHERE id = 3;",
    );
    assert_eq!(
        verdict(&path, None),
        AuditVerdict::Broken { id: 3, rows: 5 }
    );

    let (_d, path, _) = fresh();
    tamper(&path, "DELETE FROM audit_log WHERE id = 2;");
    assert_eq!(
        verdict(&path, None),
        AuditVerdict::Broken { id: 3, rows: 4 }
    );

    let (_d, path, _) = fresh();
    tamper(
        &path,
        "UPDATE audit_log SET id = 100 WHERE id = 2; UPDATE audit_log SET id = 2 WHERE id = 4;
         UPDATE audit_log SET id = 4 WHERE id = 100;",
    );
    assert_eq!(
        verdict(&path, None),
        AuditVerdict::Broken { id: 2, rows: 5 }
    );

    // The end cut off: the shorter chain is consistent, the anchor noted earlier is gone.
    let (_d, path, anchor) = fresh();
    tamper(&path, "DELETE FROM audit_log WHERE id = 5;");
    assert!(matches!(
        verdict(&path, None),
        AuditVerdict::Intact { rows: 4, .. }
    ));
    assert_eq!(
        verdict(&path, Some(&anchor)),
        AuditVerdict::AnchorMissing { rows: 4 }
    );
    let (_d, path, anchor) = fresh();
    assert!(matches!(
        verdict(&path, Some(&anchor)),
        AuditVerdict::Intact { .. }
    ));
}

#[test]
fn rows_written_before_the_chain_are_chained_by_the_migration() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.sqlite");
    {
        let (store, _) = Store::open(&path).unwrap();
        // Back to version 4, with two rows written the old way.
        store
            .conn
            .execute_batch(
                "DROP TRIGGER audit_log_no_update;
                 ALTER TABLE audit_log DROP COLUMN hash;
                 ALTER TABLE operators DROP COLUMN failed_logins;
                 ALTER TABLE operators DROP COLUMN locked_until;
                 DROP TABLE unknown_logins;
                 DROP TABLE closed_cases;
                 CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
                 BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
                 INSERT INTO audit_log(at, action) VALUES ('2026-11-01T10:00:00Z', 'old.one'),
                                                         ('2026-11-02T10:00:00Z', 'old.two');
                 PRAGMA user_version = 4;",
            )
            .unwrap();
    }
    let (mut store, report) = Store::open(&path).unwrap();
    assert_eq!(report.migrated_from, 4);
    store.append_audit(None, "new.one", None, "{}").unwrap();
    assert!(matches!(
        store.verify_audit(None).unwrap(),
        AuditVerdict::Intact { rows: 3, .. }
    ));
    // And the trigger is back.
    assert!(
        store
            .conn
            .execute("UPDATE audit_log SET action = 'x'", [])
            .is_err()
    );
}

mod accounts {
    use super::*;
    use crate::core::{Role, password};

    #[test]
    fn the_first_account_is_an_administrator_and_logins_are_unique() {
        let (_dir, mut store) = temp_store();
        assert!(!store.has_operators().unwrap());
        let hash = password::hash("көктем 2026 жыл");
        assert_eq!(
            store
                .add_operator("aigerim", "Серікова А.", Role::Operator, &hash, None)
                .unwrap(),
            Err(AccountProblem::FirstMustBeAdmin)
        );
        let admin = store
            .add_operator("admin", "Әкімші", Role::Admin, &hash, None)
            .unwrap()
            .unwrap();
        assert_eq!(
            store
                .add_operator("admin", "x", Role::Operator, &hash, Some(admin.id))
                .unwrap(),
            Err(AccountProblem::LoginTaken)
        );
        assert_eq!(
            store
                .add_operator("Айгерім", "x", Role::Operator, &hash, Some(admin.id))
                .unwrap(),
            Err(AccountProblem::BadLogin)
        );
        // Without an administrator, only the first account is made.
        assert_eq!(
            store
                .add_operator("second", "x", Role::Admin, &hash, None)
                .unwrap(),
            Err(AccountProblem::NotFirst)
        );
        assert_eq!(
            store.disable_operator("admin", Some(admin.id)).unwrap(),
            Err(AccountProblem::LastAdmin)
        );
        let list = store.operators().unwrap();
        assert_eq!(list.len(), 1);
        // The hash is stored, never the password.
        let stored: String = store
            .conn
            .query_row("SELECT password_hash FROM operators", [], |r| r.get(0))
            .unwrap();
        assert!(stored.starts_with("$argon2id$"));
    }

    /// A real login and one that exists nowhere get the same answers, attempt by attempt:
    /// nobody learns which logins are real by counting failures.
    #[test]
    fn unknown_logins_lock_out_exactly_as_real_ones() {
        let (_dir, mut store) = temp_store();
        let hash = password::hash("көктем 2026 жыл");
        store
            .add_operator("admin", "Әкімші", Role::Admin, &hash, None)
            .unwrap()
            .unwrap();
        let start = chrono::Utc::now();
        let answers = |store: &mut Store, login: &str| -> Vec<SignIn> {
            (0..FREE_ATTEMPTS + 2)
                .map(|i| {
                    let at = start + chrono::Duration::seconds(i);
                    match store.sign_in(login, "wrong", at).unwrap() {
                        // The time a lock ends, relative to the attempt, is the same too.
                        SignIn::Locked { until } => SignIn::Locked {
                            until: chrono::DateTime::UNIX_EPOCH + (until - at),
                        },
                        other => other,
                    }
                })
                .collect()
        };
        let real = answers(&mut store, "admin");
        let unknown = answers(&mut store, "nobody");
        assert_eq!(real, unknown);
        assert!(matches!(real.last(), Some(SignIn::Locked { .. })));
        // What was typed as a login is not kept, not even in the lockout table.
        let kept: i64 = store
            .conn
            .query_row(
                "SELECT count(*) FROM unknown_logins WHERE instr(tag, 'nobody')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(kept, 0);
    }

    #[test]
    fn wrong_passwords_lock_the_account_for_longer_each_time() {
        let (_dir, mut store) = temp_store();
        let hash = password::hash("көктем 2026 жыл");
        store
            .add_operator("admin", "Әкімші", Role::Admin, &hash, None)
            .unwrap()
            .unwrap();
        let start = chrono::Utc::now();
        assert!(matches!(
            store.sign_in("admin", "көктем 2026 жыл", start).unwrap(),
            SignIn::Welcome(_)
        ));
        for _ in 1..FREE_ATTEMPTS {
            assert_eq!(
                store.sign_in("admin", "wrong", start).unwrap(),
                SignIn::Refused
            );
        }
        // The fifth failure in a row locks for 30 s: even the right password waits.
        let SignIn::Locked { until } = store.sign_in("admin", "wrong", start).unwrap() else {
            panic!()
        };
        assert_eq!((until - start).num_seconds(), 30);
        assert!(matches!(
            store.sign_in("admin", "көктем 2026 жыл", start).unwrap(),
            SignIn::Locked { .. }
        ));
        // After it, another failure locks for twice as long.
        let later = until + chrono::Duration::seconds(1);
        let SignIn::Locked { until: next } = store.sign_in("admin", "wrong", later).unwrap() else {
            panic!()
        };
        assert_eq!((next - later).num_seconds(), 60);
        // The right password after the lock lets in and clears the count.
        let after = next + chrono::Duration::seconds(1);
        assert!(matches!(
            store.sign_in("admin", "көктем 2026 жыл", after).unwrap(),
            SignIn::Welcome(_)
        ));
        assert_eq!(
            store.sign_in("admin", "wrong", after).unwrap(),
            SignIn::Refused
        );
        // An unknown login is refused like a wrong password, and what was typed is not kept.
        assert_eq!(
            store.sign_in("nobody", "my secret", after).unwrap(),
            SignIn::Refused
        );
        let leaked: i64 = store
            .conn
            .query_row("SELECT count(*) FROM audit_log WHERE instr(details, 'secret') OR instr(details, 'nobody')", [], |r| r.get(0))
            .unwrap();
        assert_eq!(leaked, 0);
        let failed: i64 = store
            .conn
            .query_row(
                "SELECT count(*) FROM audit_log WHERE action = 'login.failed'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(failed, 8);
        assert_eq!(lock_for(4), chrono::Duration::zero());
        assert_eq!(lock_for(30), chrono::Duration::seconds(3600));
    }

    #[test]
    fn a_disabled_account_cannot_sign_in_and_a_new_password_lifts_a_lock() {
        let (_dir, mut store) = temp_store();
        let hash = password::hash("көктем 2026 жыл");
        let admin = store
            .add_operator("admin", "Әкімші", Role::Admin, &hash, None)
            .unwrap()
            .unwrap();
        store
            .add_operator(
                "elena",
                "Петрова Е.",
                Role::Supervisor,
                &hash,
                Some(admin.id),
            )
            .unwrap()
            .unwrap();
        let now = chrono::Utc::now();
        for _ in 0..FREE_ATTEMPTS {
            store.sign_in("elena", "wrong", now).unwrap();
        }
        assert!(matches!(
            store.sign_in("elena", "көктем 2026 жыл", now).unwrap(),
            SignIn::Locked { .. }
        ));
        let new_hash = password::hash("жаңа құпия сөз 7");
        store
            .set_password("elena", &new_hash, Some(admin.id))
            .unwrap()
            .unwrap();
        assert!(matches!(
            store.sign_in("elena", "жаңа құпия сөз 7", now).unwrap(),
            SignIn::Welcome(_)
        ));
        store
            .disable_operator("elena", Some(admin.id))
            .unwrap()
            .unwrap();
        assert_eq!(
            store.sign_in("elena", "жаңа құпия сөз 7", now).unwrap(),
            SignIn::Refused
        );
        assert!(matches!(
            store.verify_audit(None).unwrap(),
            AuditVerdict::Intact { .. }
        ));
    }
}

#[test]
fn the_audit_viewer_filters_by_operator_action_applicant_and_time() {
    let (_dir, mut store) = temp_store();
    let (_zhanar, elena) = staff(&mut store);
    let first = submit(&mut store, 1, "Абаев", "Ерлан", "permanent");
    let second = submit(&mut store, 2, "Гусев", "Иван", "permanent");
    let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let mut r = request(&first, ApplicationStatus::Registered, today);
    r.operator = Some(elena.id);
    store.change_status(&r).unwrap();
    let actions = |filter: AuditFilter| {
        let rows = store.audit_rows(&filter, 50).unwrap();
        rows.into_iter().map(|r| r.action).collect::<Vec<_>>()
    };
    let by_elena = AuditFilter {
        operator: Some("elena".into()),
        ..Default::default()
    };
    assert_eq!(actions(by_elena), ["application.status"]);
    let operators = AuditFilter {
        action: Some("operator".into()),
        ..Default::default()
    };
    assert_eq!(actions(operators), ["operator.add"; 3]);
    let ids = store
        .applications_of(&crate::core::LookupQuery::parse(&second))
        .unwrap();
    let about_second = AuditFilter {
        applications: Some(ids),
        ..Default::default()
    };
    assert_eq!(actions(about_second), ["application.submit"]);
    let none_yet = AuditFilter {
        from: Some("2999-01-01T00:00:00Z".into()),
        ..Default::default()
    };
    assert!(actions(none_yet).is_empty());
    let nobody = store
        .applications_of(&crate::core::LookupQuery::parse("RD-2026-999999"))
        .unwrap();
    let about_nobody = AuditFilter {
        applications: Some(nobody),
        ..Default::default()
    };
    assert!(actions(about_nobody).is_empty());
}

#[test]
fn retention_anonymises_only_people_whose_applications_all_closed_long_ago() {
    let (dir, mut store) = temp_store();
    let old = submit(&mut store, 1, "Әбілқайырова", "Ғалия", "permanent");
    let _open = submit(&mut store, 2, "Ғабитов", "Арман", "permanent");
    let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let mut refusal = request(&old, ApplicationStatus::Refused, today);
    refusal.reason_code = Some("no_title_documents".into());
    store.change_status(&refusal).unwrap();
    let future = "2999-01-01T00:00:00Z";
    // The dry run lists, and changes nothing.
    let listed = store.retention(future, false).unwrap();
    assert_eq!(listed.applications, std::slice::from_ref(&old));
    assert_eq!(names(&store, "әбіл"), ["Әбілқайырова"]);
    // Nothing is old enough yet for a period that ends now.
    assert!(
        store
            .retention("2000-01-01T00:00:00Z", true)
            .unwrap()
            .applications
            .is_empty()
    );
    let done = store.retention(future, true).unwrap();
    assert_eq!(done.applicants, 1);
    assert!(names(&store, "әбіл").is_empty());
    assert_eq!(
        names(&store, "ғаб"),
        ["Ғабитов"],
        "an open application keeps its person"
    );
    let record = store.record(&old).unwrap().unwrap();
    assert_eq!(record.application.surname, "—");
    assert_eq!(record.application.iin, "");
    assert_eq!(
        record.timeline.len(),
        2,
        "the history stays for the statistics"
    );
    assert_eq!(
        record.timeline[1].reason_code.as_deref(),
        Some("no_title_documents")
    );
    assert!(record.application.consents.iter().all(|c| c.name == "—"));
    assert!(matches!(
        store.verify_audit(None).unwrap(),
        AuditVerdict::Intact { .. }
    ));
    // The name is gone from the file's bytes too (and from its WAL).
    let path = store.path().to_path_buf();
    drop(store);
    let mut bytes = std::fs::read(&path).unwrap();
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    bytes.extend(std::fs::read(std::path::Path::new(&wal)).unwrap_or_default());
    let folded = crate::core::search_key("Әбілқайырова Ғалия");
    let sorted = crate::core::collation::sort_key("Әбілқайырова Ғалия");
    for gone in ["Әбілқайырова", "Ғалия", &folded, &sorted] {
        let needle = gone.as_bytes();
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle),
            "{gone} still in the file"
        );
    }
    drop(dir);
}

/// With checkpoints in the background a commit never folds the WAL in; the checkpointer's
/// connection does, once the WAL passes its limit.
#[test]
fn background_checkpoints_leave_commits_alone_and_fold_the_wal_on_demand() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.sqlite");
    let options = OpenOptions {
        checkpoint_in_background: true,
        ..OpenOptions::default()
    };
    let (mut store, _) = Store::open_with(&path, &options).unwrap();
    let checkpointer = store.open_checkpointer().unwrap();
    let wal = dir.path().join("desk.sqlite-wal");
    let file_before = std::fs::metadata(&path).unwrap().len();
    for i in 0..400 {
        store
            .append_audit(None, "test", None, &format!("{{\"n\":{i}}}"))
            .unwrap();
    }
    let wal_size = std::fs::metadata(&wal).unwrap().len();
    assert!(
        wal_size > 1_000_000,
        "the WAL grew ({wal_size} bytes): no checkpoint in commits"
    );
    assert_eq!(std::fs::metadata(&path).unwrap().len(), file_before);
    assert!(!checkpointer.checkpoint_if_larger(u64::MAX).unwrap());
    assert!(checkpointer.checkpoint_if_larger(0).unwrap());
    assert!(
        std::fs::metadata(&path).unwrap().len() > file_before,
        "folded into the file"
    );
    assert!(matches!(
        store.verify_audit(None).unwrap(),
        AuditVerdict::Intact { rows: 400, .. }
    ));
}

#[test]
fn a_supervisor_overrides_the_life_cycle_only_with_a_written_reason() {
    let (_dir, mut store) = temp_store();
    let (zhanar, elena) = staff(&mut store);
    let number = submit(&mut store, 1, "Абаев", "Ерлан", "permanent");
    let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let mut refusal = request(&number, ApplicationStatus::Refused, today);
    refusal.reason_code = Some("no_title_documents".into());
    refusal.operator = Some(elena.id);
    store.change_status(&refusal).unwrap();
    // Reopening a refusal is outside the life cycle: without a reason it is forbidden.
    let mut reopen = request(&number, ApplicationStatus::UnderReview, today);
    reopen.operator = Some(elena.id);
    assert!(matches!(
        store.change_status(&reopen).unwrap(),
        StatusOutcome::Forbidden { .. }
    ));
    // An operator may not override, even with a reason.
    reopen.override_reason = Some("court decision 2-123/2026".into());
    reopen.operator = Some(zhanar.id);
    assert_eq!(
        store.change_status(&reopen).unwrap(),
        StatusOutcome::NotPermitted
    );
    // The supervisor, with the reason: done, on the record.
    reopen.operator = Some(elena.id);
    assert!(matches!(
        store.change_status(&reopen).unwrap(),
        StatusOutcome::Changed { .. }
    ));
    let record = store.record(&number).unwrap().unwrap();
    let last = record.timeline.last().unwrap();
    assert_eq!(last.to, "under_review");
    assert_eq!(last.note.as_deref(), Some("court decision 2-123/2026"));
    let overrides: i64 = store
        .conn
        .query_row(
            "SELECT count(*) FROM audit_log WHERE action = 'application.override'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(overrides, 1);
    // Not every forbidden step is an override: a refused application never jumps to registered.
    let mut jump = request(&number, ApplicationStatus::Refused, today);
    jump.reason_code = Some("no_title_documents".into());
    jump.operator = Some(elena.id);
    store.change_status(&jump).unwrap();
    let mut register = request(&number, ApplicationStatus::Registered, today);
    register.operator = Some(elena.id);
    register.override_reason = Some("please".into());
    assert!(matches!(
        store.change_status(&register).unwrap(),
        StatusOutcome::Forbidden { .. }
    ));
}

/// An administrator, then an operator and a supervisor they add.
fn staff(store: &mut Store) -> (Operator, Operator) {
    use crate::core::{Role, password};
    let hash = password::hash("көктем 2026 жыл");
    let admin = store
        .add_operator("admin", "Әкімші", Role::Admin, &hash, None)
        .unwrap()
        .unwrap();
    let add = |store: &mut Store, login: &str, name: &str, role| {
        store
            .add_operator(login, name, role, &hash, Some(admin.id))
            .unwrap()
            .unwrap()
    };
    let zhanar = add(store, "zhanar", "Жанар А.", Role::Operator);
    let elena = add(store, "elena", "Петрова Е.", Role::Supervisor);
    (zhanar, elena)
}

/// An IIN's live registrations come back with their addresses (intake says where).
#[test]
fn an_iins_live_registrations_are_found_with_their_address() {
    let (_dir, mut store) = temp_store();
    let number = submit(&mut store, 1, "Серікова", "Айгерім", "permanent");
    let iin = store.application(&number).unwrap().unwrap().iin;
    assert!(store.find_by_iin(&iin).unwrap().registered.is_empty());
    let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    store
        .change_status(&request(&number, ApplicationStatus::UnderReview, today))
        .unwrap();
    store
        .change_status(&request(&number, ApplicationStatus::Registered, today))
        .unwrap();
    let found = store.find_by_iin(&iin).unwrap();
    assert_eq!(found.registered.len(), 1);
    assert_eq!(found.registered[0].0, number);
    assert!(found.open_applications.is_empty());
}

/// A family: the mother's IIN finds her own application first, then her son's, which she
/// made as his representative; the son's IIN finds only his.
#[test]
fn a_parents_iin_also_finds_the_applications_made_as_representative() {
    let (_dir, mut store) = temp_store();
    let mother = submit(&mut store, 1, "Серікова", "Айгерім", "permanent");
    let draft = store.save_draft(None, "intake", "{}", None).unwrap();
    let son = store
        .submit(&Submission {
            draft_id: draft,
            year: 2026,
            iin: iin(2),
            person: KnownApplicant {
                surname: "Сериков".into(),
                given_name: "Әли".into(),
                status: "citizen".into(),
                capacity: "full".into(),
                ..KnownApplicant::default()
            },
            registration_type: "permanent".into(),
            representative_kind: Some("legal_representative".into()),
            representative_iin: Some(iin(1)),
            representative_name: Some("Серікова Айгерім".into()),
            ruleset: ("set".into(), "1".into(), "0".repeat(64)),
            decision_record: r#"{"case":{}}"#.into(),
            ..Submission::default()
        })
        .unwrap()
        .number;
    let numbers = |who: u16| -> Vec<String> {
        store
            .lookup(
                &LookupQuery::Iin(iin(who)),
                &LookupFilter::default(),
                None,
                10,
            )
            .unwrap()
            .rows
            .into_iter()
            .map(|r| r.number)
            .collect()
    };
    assert_eq!(numbers(1), [mother, son.clone()]);
    assert_eq!(numbers(2), [son]);
    // On a million applications this is an index search, not a scan.
    let plan: Vec<String> = store
        .conn
        .prepare(
            "EXPLAIN QUERY PLAN SELECT a.id FROM applicants p
             JOIN applications a ON a.applicant_id = p.id
             WHERE a.representative_iin = ?1 AND p.iin IS NOT ?1",
        )
        .unwrap()
        .query_map([iin(1)], |r| r.get::<_, String>(3))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(
        plan.iter()
            .any(|l| l.contains("applications_representative")),
        "{plan:?}"
    );
}
