//! The lookup screen: typing sends queries and drops stale answers, paging, the record view
//! and its forms; snapshots of every state in each language.

// These tests drive the state key by key; what each update asks for is checked where it
// matters, so an ignored `Outcome` is no dropped effect here.
#![allow(unused_must_use)]

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::*;
use crate::i18n::Lang;
use crate::records::{StatusChange, StoredApplication, StoredConsent, SubmittedAddress};
use crate::ui::fixtures::new_state;
use crate::ui::{AppState, Command, Msg, Screen, SessionInfo, view};

fn lookup_state(lang: Lang) -> AppState {
    let mut s = new_state(
        lang,
        SessionInfo {
            database: "~/regdesk.sqlite".into(),
            operator: None,
            training: false,
            rules: "kz 1".into(),
        },
    );
    s.screen = Screen::Lookup;
    s
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn typed(s: &mut AppState, text: &str) -> Vec<Command> {
    let mut commands = Vec::new();
    for c in text.chars() {
        commands.extend(s.update(key(KeyCode::Char(c))).commands);
    }
    commands
}

fn screen(s: &AppState, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|frame| view(s, frame)).unwrap();
    terminal.backend().to_string()
}

fn row(number: &str, surname: &str, given: &str, status: &str, n: i64) -> LookupRow {
    LookupRow {
        number: number.into(),
        surname: surname.into(),
        given_name: given.into(),
        patronymic: None,
        iin: format!("88051760{:04}", 1000 + n),
        status: status.into(),
        created_at: "2026-11-20T05:30:00Z".into(),
        cursor: Cursor {
            sort_key: crate::core::collation::sort_key(surname),
            applicant: n,
            application: n,
        },
    }
}

fn answer(s: &mut AppState, rows: Vec<LookupRow>, more: bool) {
    let generation = s.lookup.generation;
    s.update(Msg::Found(Box::new(Found {
        generation,
        rows,
        more,
        ..Found::default()
    })));
}

fn results() -> Vec<LookupRow> {
    vec![
        row("RD-2026-000011", "Абаев", "Ерлан", "submitted", 1),
        row("RD-2026-000007", "Ахметов", "Нұрсұлтан", "registered", 2),
        row("RD-2025-000309", "Әбдірахманов", "Нұрлан", "refused", 3),
    ]
}

#[test]
fn each_keystroke_asks_anew_and_an_older_answer_is_dropped() {
    let mut s = lookup_state(Lang::Ru);
    let commands = typed(&mut s, "ах");
    assert_eq!(commands.len(), 2);
    let Command::Lookup(job) = &commands[1] else {
        panic!("{commands:?}")
    };
    assert_eq!(job.query, crate::core::LookupQuery::Name("ах".into()));
    assert!(s.lookup.fetching());
    // The answer to "а" arrives after "ах" was typed: dropped.
    let stale = Found {
        generation: s.lookup.generation - 1,
        rows: results(),
        ..Found::default()
    };
    assert!(!s.update(Msg::Found(Box::new(stale))).redraw);
    assert!(s.lookup.rows.is_empty());
    answer(&mut s, results(), false);
    assert!(!s.lookup.fetching());
    assert_eq!(s.lookup.rows.len(), 3);
    // Enter opens the selected application's record.
    s.update(key(KeyCode::Down));
    let open = s.update(key(KeyCode::Enter)).commands;
    assert_eq!(open, [Command::OpenRecord("RD-2026-000007".into())]);
}

#[test]
fn a_short_iin_asks_nothing_and_says_to_keep_typing() {
    let mut s = lookup_state(Lang::En);
    let commands = typed(&mut s, "88051");
    assert!(commands.is_empty());
    assert!(screen(&s, 100, 20).contains("An IIN has 12 digits: keep typing"));
}

#[test]
fn scrolling_near_the_end_asks_for_the_next_page_once() {
    let mut s = lookup_state(Lang::En);
    typed(&mut s, "а");
    let rows: Vec<LookupRow> = (0..PAGE as i64)
        .map(|n| {
            row(
                &format!("RD-2026-{:06}", n + 1),
                "Ахметов",
                &format!("Имя{n}"),
                "submitted",
                n,
            )
        })
        .collect();
    answer(&mut s, rows, true);
    let mut pages = Vec::new();
    for _ in 0..PAGE {
        for c in s.update(key(KeyCode::Down)).commands {
            pages.push(c);
        }
    }
    assert_eq!(pages.len(), 1, "{pages:?}");
    let Command::Lookup(job) = &pages[0] else {
        panic!()
    };
    assert_eq!(job.after.as_ref().unwrap().application, PAGE as i64 - 1);
    let generation = s.lookup.generation;
    s.update(Msg::Found(Box::new(Found {
        generation,
        rows: vec![row("RD-2026-000999", "Ахметова", "Айгүл", "submitted", 999)],
        appended: true,
        ..Found::default()
    })));
    assert_eq!(s.lookup.rows.len(), PAGE + 1);
    assert!(!s.lookup.more);
}

#[test]
fn filters_and_lists_ask_again() {
    let mut s = lookup_state(Lang::En);
    typed(&mut s, "ах");
    let commands = s.update(key(KeyCode::F(6))).commands;
    let Command::Lookup(job) = &commands[0] else {
        panic!()
    };
    assert_eq!(job.filter.status.as_deref(), Some("draft"));
    let commands = s.update(key(KeyCode::F(7))).commands;
    let Command::Lookup(job) = &commands[0] else {
        panic!()
    };
    assert_eq!(job.filter.from.as_deref(), Some("2026-11-21T00:00:00Z"));
    // Ctrl+L with a Russian layout (Ctrl+Д) goes to the lists.
    let commands = s
        .update(Msg::Key(KeyEvent::new(
            KeyCode::Char('д'),
            KeyModifiers::CONTROL,
        )))
        .commands;
    assert_eq!(
        commands,
        [Command::LoadDue {
            follow_ups: false,
            days: DUE_DAYS
        }]
    );
}

pub(crate) fn a_record() -> ApplicationRecord {
    ApplicationRecord {
        application: StoredApplication {
            number: "RD-2026-000007".into(),
            created_at: "2026-11-20T05:30:00Z".into(),
            status: "submitted".into(),
            iin: "880517601002".into(),
            surname: "Ахметов".into(),
            given_name: "Нұрсұлтан".into(),
            patronymic: Some("Ерланұлы".into()),
            registration_type: "temporary".into(),
            period_months: Some(3),
            address: SubmittedAddress {
                region: Some("Алматы".into()),
                street: Some("Абай даңғылы".into()),
                house: Some("12".into()),
                apartment: Some("5".into()),
                ..SubmittedAddress::default()
            },
            representative_name: None,
            representative_kind: None,
            taken_by: None,
            documents: vec![("applicant_identity".into(), "id_card".into(), "applicant".into(), Some("N0123".into()))],
            consents: vec![
                StoredConsent {
                    id: 1,
                    kind: "owner".into(),
                    name: "Серікова Айгерім".into(),
                    role: "owner".into(),
                    form: "in_person".into(),
                    given_at: "2026-11-20".into(),
                    revoked_at: None,
                    revoke_reason: None,
                },
                StoredConsent {
                    id: 2,
                    kind: "personal_data".into(),
                    name: "Ахметов Нұрсұлтан Ерланұлы".into(),
                    role: "applicant".into(),
                    form: "in_person".into(),
                    given_at: "2026-11-20".into(),
                    revoked_at: None,
                    revoke_reason: None,
                },
            ],
        },
        id: 7,
        decision_record: Some(
            r#"{"facts":{"service":"temporary","applicant":{"age":28,"status":"citizen"},"dwelling":{"kind":"private","owners":1}},
               "evaluation":{"ruleset":{"id":"kz-registration-residence","version":"2026.11.1","sha256":"0123456789abcdef"},
               "decision":"proceed","documents":[{"id":"applicant_identity"},{"id":"owner_identity"}],
               "consents":[{"id":"owner_consent"},{"id":"personal_data_consent"}],"fired":[{"rule":"owner_consent_private"}]}}"#
                .into(),
        ),
        registered_from: None,
        registered_until: None,
        follow_up: None,
        timeline: vec![
            StatusChange {
                from: None,
                to: "submitted".into(),
                reason_code: None,
                note: None,
                by: None,
                at: "2026-11-20T05:30:00Z".into(),
            },
            StatusChange {
                from: Some("submitted".into()),
                to: "under_review".into(),
                reason_code: None,
                note: Some("owner called back".into()),
                by: Some("Петрова Е.".into()),
                at: "2026-11-21T04:10:00Z".into(),
            },
        ],
        person_applications: vec![
            ("RD-2026-000007".into(), "under_review".into()),
            ("RD-2024-000310".into(), "expired".into()),
        ],
    }
}

#[test]
fn the_record_view_changes_status_through_its_form() {
    let mut s = lookup_state(Lang::En);
    s.update(Msg::RecordLoaded(Some(Box::new(a_record()))));
    assert_eq!(s.context(), crate::ui::keymap::Context::Record);
    s.update(ctrl('s'));
    assert_eq!(s.context(), crate::ui::keymap::Context::Editor);
    // submitted → under review · registered · refused · withdrawn: choose "refused".
    s.update(key(KeyCode::Right));
    s.update(key(KeyCode::Right));
    let editor = s.lookup.record.as_ref().unwrap().editor.as_ref().unwrap();
    assert_eq!(editor.chosen_status(), Some(ApplicationStatus::Refused));
    let commands = s.update(ctrl('s')).commands;
    let Some(Command::ChangeStatus(request)) = commands.first() else {
        panic!("{commands:?}")
    };
    assert_eq!(request.to, ApplicationStatus::Refused);
    assert!(request.reason_code.is_some());
}

#[test]
fn revoking_needs_a_reason_and_names_the_consent() {
    let mut s = lookup_state(Lang::En);
    s.update(Msg::RecordLoaded(Some(Box::new(a_record()))));
    s.update(ctrl('k'));
    s.update(key(KeyCode::Right)); // the personal-data consent
    assert!(s.update(ctrl('s')).commands.is_empty());
    assert!(
        screen(&s, 100, 30).contains("Revocation needs a reason")
            || s.lookup
                .record
                .as_ref()
                .unwrap()
                .editor
                .as_ref()
                .unwrap()
                .problem
                .is_some()
    );
    s.update(Msg::Paste("the applicant asked".into()));
    let commands = s.update(ctrl('s')).commands;
    assert_eq!(
        commands,
        [Command::RevokeConsent {
            number: "RD-2026-000007".into(),
            consent: 2,
            reason: "the applicant asked".into()
        }]
    );
}

#[test]
fn tab_in_a_record_opens_the_persons_other_application_and_esc_goes_back() {
    let mut s = lookup_state(Lang::En);
    s.update(Msg::RecordLoaded(Some(Box::new(a_record()))));
    assert_eq!(
        s.update(key(KeyCode::Tab)).commands,
        [Command::OpenRecord("RD-2024-000310".into())]
    );
    s.update(key(KeyCode::Esc));
    assert!(s.lookup.record.is_none());
}

// ---- snapshots ---------------------------------------------------------------------------

#[test]
fn lookup_snapshots_in_each_language() {
    for lang in Lang::ALL {
        let code = lang.code();
        let mut s = lookup_state(lang);
        insta::assert_snapshot!(format!("lookup_empty_{code}"), screen(&s, 100, 20));
        typed(&mut s, "ах");
        insta::assert_snapshot!(format!("lookup_fetching_{code}"), screen(&s, 100, 20));
        answer(&mut s, results(), true);
        insta::assert_snapshot!(format!("lookup_results_{code}"), screen(&s, 100, 20));
        typed(&mut s, "ж");
        answer(&mut s, Vec::new(), false);
        insta::assert_snapshot!(format!("lookup_none_{code}"), screen(&s, 100, 20));
        s.update(Msg::RecordLoaded(Some(Box::new(a_record()))));
        insta::assert_snapshot!(format!("lookup_record_{code}"), screen(&s, 100, 40));
        // The timeline, at the end of the record.
        for _ in 0..3 {
            s.update(key(KeyCode::PageDown));
        }
        insta::assert_snapshot!(format!("lookup_timeline_{code}"), screen(&s, 100, 20));
        s.update(ctrl('s'));
        insta::assert_snapshot!(format!("lookup_status_form_{code}"), screen(&s, 100, 30));
    }
}

#[test]
fn the_lookup_screen_survives_any_size_and_odd_input() {
    let mut s = lookup_state(Lang::Kk);
    s.update(Msg::Paste("Әбілқайыр 😀 \u{202e}\u{0301}\t".repeat(200)));
    assert!(s.lookup.query.len() <= 100);
    answer(&mut s, results(), true);
    for (w, h) in [(20, 5), (21, 6), (40, 8), (100, 30), (300, 80)] {
        screen(&s, w, h);
    }
    s.update(Msg::RecordLoaded(Some(Box::new(a_record()))));
    s.update(ctrl('s'));
    for (w, h) in [(20, 5), (25, 7), (60, 12)] {
        screen(&s, w, h);
    }
}

#[test]
fn lists_and_the_summary_snapshots() {
    use crate::records::{DailyReport, DueRegistration};
    for lang in Lang::ALL {
        let code = lang.code();
        let mut s = lookup_state(lang);
        assert_eq!(
            s.update(ctrl('l')).commands,
            [Command::LoadDue {
                follow_ups: false,
                days: DUE_DAYS
            }]
        );
        s.update(Msg::DueLoaded(vec![DueRegistration {
            number: "RD-2026-000031".into(),
            surname: "Ғабитов".into(),
            given_name: "Арман".into(),
            iin: "880517601002".into(),
            until: "2026-12-10".into(),
            follow_up: None,
        }]));
        insta::assert_snapshot!(format!("lookup_ending_{code}"), screen(&s, 100, 12));
        assert_eq!(
            s.update(ctrl('l')).commands,
            [Command::LoadDue {
                follow_ups: true,
                days: DUE_DAYS
            }]
        );
        assert_eq!(
            s.update(ctrl('l')).commands,
            [Command::LoadSummary(s.today)]
        );
        s.update(Msg::SummaryLoaded(Box::new(DailyReport {
            date: s.today,
            by_status: vec![("registered".into(), 4), ("submitted".into(), 7)],
            by_reason: vec![("no_title_documents".into(), 1)],
            by_operator: vec![(None, 3), (Some("Петрова Е.".into()), 9)],
            closed: vec![("not_required".into(), 2)],
            anchor: Some((812, "9f2c".repeat(16))),
        })));
        insta::assert_snapshot!(format!("lookup_summary_{code}"), screen(&s, 100, 20));
        // Typing goes back to the search.
        let commands = typed(&mut s, "а");
        assert!(
            matches!(commands.as_slice(), [Command::Lookup(_)]),
            "{commands:?}"
        );
        assert_eq!(s.lookup.listing, Listing::Search);
    }
}

#[test]
fn a_record_made_at_this_desk_reprints_its_consent_forms() {
    let case = crate::ui::intake::Case::with_values(crate::ui::intake::case::FICTIONAL_TENANT);
    let mut record = a_record();
    record.decision_record =
        Some(serde_json::json!({ "case": case.to_map(), "evaluation": {} }).to_string());
    let mut s = lookup_state(Lang::Ru);
    s.update(Msg::RecordLoaded(Some(Box::new(record))));
    let commands = s.update(ctrl('f')).commands;
    let Some(Command::PrintConsentForms(paper)) = commands.first() else {
        panic!("{commands:?}")
    };
    let text = paper.to_text();
    assert!(text.contains("94-V") || text.contains("94-V"), "{text}");
    // A record without the case (demo data) says so instead.
    let mut s = lookup_state(Lang::En);
    s.update(Msg::RecordLoaded(Some(Box::new(a_record()))));
    assert!(s.update(ctrl('f')).commands.is_empty());
    assert!(screen(&s, 100, 30).contains("cannot be rebuilt"));
}

#[test]
fn a_matching_draft_comes_first_and_enter_resumes_it() {
    let mut s = lookup_state(Lang::En);
    typed(&mut s, "аб");
    let generation = s.lookup.generation;
    s.update(Msg::Found(Box::new(Found {
        generation,
        rows: results(),
        drafts: vec![crate::ui::drafts::DraftSummary {
            id: 42,
            when: "21.11.2026 10:32".into(),
            masked_iin: "********2305".into(),
            name: "Абаева Гүлнұр".into(),
        }],
        ..Found::default()
    })));
    assert!(screen(&s, 100, 20).contains("Draft"));
    assert_eq!(
        s.update(key(KeyCode::Enter)).commands,
        [Command::ResumeDraft(42)]
    );
    s.update(key(KeyCode::Down));
    assert_eq!(
        s.update(ctrl('o')).commands,
        Vec::<Command>::new(),
        "Ctrl+O on an application line is not a draft"
    );
}

#[test]
fn the_audit_viewer_is_a_supervisors_and_filters_by_the_box() {
    use crate::records::{AuditRow, Operator};
    let signed = |role| {
        Msg::SignedIn(Box::new(Operator {
            id: 3,
            login: "elena".into(),
            display_name: "Петрова Е.".into(),
            role,
            active: true,
        }))
    };
    let mut s = lookup_state(Lang::En);
    s.update(signed(crate::core::Role::Operator));
    for _ in 0..3 {
        s.update(ctrl('l'));
    }
    // The fourth list, the summary, is refused; so is the audit trail after it.
    assert_eq!(s.lookup.listing, Listing::Search);
    let mut s = lookup_state(Lang::En);
    s.update(signed(crate::core::Role::Supervisor));
    for _ in 0..3 {
        s.update(ctrl('l'));
    }
    let commands = s.update(ctrl('l')).commands;
    assert!(
        matches!(commands.as_slice(), [Command::LoadAudit(_)]),
        "{commands:?}"
    );
    let commands = typed(&mut s, "login");
    let Some(Command::LoadAudit(query)) = commands.last() else {
        panic!("{commands:?}")
    };
    assert_eq!(query.words, ["login"]);
    assert_eq!(s.lookup.listing, Listing::Audit);
    s.update(Msg::AuditLoaded(vec![AuditRow {
        id: 41,
        at: "2026-11-21T04:10:00Z".into(),
        operator: Some("elena".into()),
        action: "login.ok".into(),
        entity: Some("operator".into()),
        entity_id: Some(3),
        details: Some(r#"{"login":"elena"}"#.into()),
    }]));
    insta::assert_snapshot!("lookup_audit_en", screen(&s, 110, 12));
    // In ru and kk too, the actions, objects and details are words, not codes and JSON.
    s.update(Msg::AuditLoaded(vec![AuditRow {
        id: 42,
        at: "2026-11-21T04:12:00Z".into(),
        operator: Some("elena".into()),
        action: "application.status".into(),
        entity: Some("application".into()),
        entity_id: Some(7),
        details: Some(r#"{"from":"submitted","to":"registered"}"#.into()),
    }]));
    for lang in [Lang::Ru, Lang::Kk] {
        s.lang = lang;
        let text = screen(&s, 110, 12);
        assert!(!text.contains("application.status"), "{text}");
        assert!(!text.contains('{'), "{text}");
        insta::assert_snapshot!(format!("lookup_audit_{}", lang.code()), text);
    }
}

#[test]
fn a_supervisors_status_form_offers_an_override_that_needs_its_reason() {
    let mut record = a_record();
    record.application.status = "refused".into();
    let mut s = lookup_state(Lang::En);
    s.update(Msg::SignedIn(Box::new(crate::records::Operator {
        id: 3,
        login: "elena".into(),
        display_name: "Петрова Е.".into(),
        role: crate::core::Role::Supervisor,
        active: true,
    })));
    s.update(Msg::RecordLoaded(Some(Box::new(record.clone()))));
    s.update(ctrl('s'));
    assert!(screen(&s, 110, 30).contains("Under review — override, the note is its reason"));
    assert!(s.update(ctrl('s')).commands.is_empty());
    assert!(screen(&s, 110, 30).contains("An override needs its reason"));
    s.update(Msg::Paste("court decision".into()));
    let commands = s.update(ctrl('s')).commands;
    let Some(Command::ChangeStatus(request)) = commands.first() else {
        panic!("{commands:?}")
    };
    assert_eq!(request.to, ApplicationStatus::UnderReview);
    assert_eq!(request.override_reason.as_deref(), Some("court decision"));
    // An operator gets no form on a refused application.
    let mut s = lookup_state(Lang::En);
    s.update(Msg::SignedIn(Box::new(crate::records::Operator {
        id: 4,
        login: "zhanar".into(),
        display_name: "Жанар А.".into(),
        role: crate::core::Role::Operator,
        active: true,
    })));
    s.update(Msg::RecordLoaded(Some(Box::new(record))));
    s.update(ctrl('s'));
    assert!(s.lookup.record.as_ref().unwrap().editor.is_none());
}

proptest::proptest! {
    /// Whatever is typed or pasted into the lookup box or the sign-in fields, and however it
    /// is edited, nothing panics and the screen draws.
    #[test]
    fn any_input_into_the_box_and_the_sign_in_form_is_harmless(
        pastes in proptest::collection::vec("\\PC{0,80}", 1..5),
        keys in proptest::collection::vec(0u8..8, 0..20),
    ) {
        let mut s = lookup_state(Lang::Kk);
        let mut form = lookup_state(Lang::Ru);
        form.show_lock(crate::ui::sign_in::Mode::FirstAdmin);
        for state in [&mut s, &mut form] {
            for paste in &pastes {
                state.update(Msg::Paste(paste.clone()));
                for k in &keys {
                    let code = [KeyCode::Left, KeyCode::Right, KeyCode::Backspace, KeyCode::Delete,
                        KeyCode::Home, KeyCode::End, KeyCode::Tab, KeyCode::Enter][usize::from(*k)];
                    state.update(key(code));
                }
            }
            screen(state, 40, 10);
            screen(state, 100, 30);
        }
        proptest::prop_assert!(s.lookup.query.len() <= 100);
    }
}

/// Every desk action a role gates, as each role on a real database: the role table decides,
/// a refusal is said and audited (`Command::Refused`), and nobody is offered "Expired".
#[test]
fn every_desk_action_as_every_role() {
    use crate::core::{Permission, Role};
    for role in Role::ALL {
        let signed_in = |s: &mut AppState| {
            s.update(Msg::SignedIn(Box::new(crate::records::Operator {
                id: 5,
                login: "someone".into(),
                display_name: "Тест".into(),
                role,
                active: true,
            })));
        };
        // Reloading the rules.
        let mut s = lookup_state(Lang::En);
        signed_in(&mut s);
        let commands = s.update(ctrl('r')).commands;
        if role.allows(Permission::ReloadRules, false) {
            assert!(
                matches!(commands.as_slice(), [Command::ReloadRules]),
                "{role:?} {commands:?}"
            );
        } else {
            assert!(
                matches!(commands.as_slice(), [Command::Refused("reload_rules")]),
                "{role:?} {commands:?}"
            );
        }
        // The daily summary and the audit trail: the fourth and fifth lists.
        let mut s = lookup_state(Lang::En);
        signed_in(&mut s);
        let mut refused = Vec::new();
        for _ in 0..4 {
            for command in s.update(ctrl('l')).commands {
                if let Command::Refused(what) = command {
                    refused.push(what);
                }
            }
        }
        let expect_refused = !role.allows(Permission::DailySummary, false);
        assert_eq!(!refused.is_empty(), expect_refused, "{role:?} {refused:?}");
        // The status form: the steps offered are the role's, and never "Expired".
        for status in ["submitted", "registered"] {
            let mut record = a_record();
            record.application.status = status.into();
            let mut s = lookup_state(Lang::En);
            signed_in(&mut s);
            s.update(Msg::RecordLoaded(Some(Box::new(record))));
            s.update(ctrl('s'));
            let offered: Vec<String> = s
                .lookup
                .record
                .as_ref()
                .and_then(|open| open.editor.as_ref())
                .and_then(|editor| match &editor.parts.first()?.1 {
                    crate::ui::lookup::editor::Part::Choice { options, .. } => {
                        Some(options.clone())
                    }
                    _ => None,
                })
                .unwrap_or_default();
            assert!(
                !offered.iter().any(|o| o.ends_with("expired")),
                "{role:?} {status}: {offered:?}"
            );
            for code in &offered {
                let to = ApplicationStatus::from_code(code.rsplit(':').next().unwrap()).unwrap();
                assert!(
                    role.allows(Permission::ChangeStatus(to), false),
                    "{role:?} {status}: {offered:?}"
                );
            }
            let decides = role.allows(
                Permission::ChangeStatus(ApplicationStatus::Registered),
                false,
            );
            if status == "submitted" {
                assert_eq!(
                    offered.iter().any(|o| o == "registered"),
                    decides,
                    "{role:?} {offered:?}"
                );
            }
        }
    }
}

/// At 80x24 in kk, the record scrolls down to its last section ("why"), whose lines are
/// drawn wrapped and indented under their text, never restarting at the first column.
#[test]
fn the_record_scrolls_to_its_end_at_80x24() {
    let mut s = lookup_state(Lang::Kk);
    s.update(Msg::RecordLoaded(Some(Box::new(a_record()))));
    let why = crate::i18n::Tr::new(Lang::Kk).t("lookup.record.why");
    assert!(!screen(&s, 80, 24).contains(&format!("{why}:")));
    for _ in 0..20 {
        s.update(key(KeyCode::PageDown));
    }
    let text = screen(&s, 80, 24);
    assert!(text.contains(&format!("{why}:")), "{text}");
    // The personal-data consent's line is too long for 80 columns: its rest is indented.
    let mut s = lookup_state(Lang::Kk);
    s.update(Msg::RecordLoaded(Some(Box::new(a_record()))));
    let tall = screen(&s, 80, 70);
    let rest = tall
        .lines()
        .skip_while(|l| !l.contains("✓ Дербес деректерді"))
        .nth(1)
        .unwrap_or_else(|| panic!("the line wraps at 80 columns:\n{tall}"));
    assert!(
        rest.starts_with("\"│    ") && rest.contains("Ерланұлы"),
        "{rest}\n{tall}"
    );
}

/// At 80 columns the key bar keeps what matters, in every language: F8 on the search, and
/// Ctrl+K (revoke) on a record.
#[test]
fn the_key_bar_keeps_its_keys_at_80_columns() {
    for lang in Lang::ALL {
        let mut s = lookup_state(lang);
        let text = screen(&s, 80, 24);
        let bar = text.lines().last().unwrap_or_default();
        assert!(bar.contains("F8"), "{lang:?}: {bar}");
        s.update(Msg::RecordLoaded(Some(Box::new(a_record()))));
        let text = screen(&s, 80, 24);
        let bar = text.lines().last().unwrap_or_default();
        assert!(bar.contains("Ctrl+K"), "{lang:?}: {bar}");
    }
}

/// Every refusal reason the status form offers is read whole at 120 columns, in every
/// language: a long one wraps under its value, never cut at the border.
#[test]
fn a_long_refusal_reason_wraps_in_the_status_form() {
    let flat = |text: &str| -> String {
        text.replace(['│', '┌', '┐', '└', '┘', '─', '‹', '›', '"'], " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    for lang in Lang::ALL {
        let mut s = lookup_state(lang);
        s.update(Msg::RecordLoaded(Some(Box::new(a_record()))));
        s.update(ctrl('s'));
        s.update(key(KeyCode::Right));
        s.update(key(KeyCode::Right));
        s.update(key(KeyCode::Down));
        let mut seen = std::collections::BTreeSet::new();
        loop {
            let editor = s.lookup.record.as_ref().unwrap().editor.as_ref().unwrap();
            let code = editor.parts[editor.focus].1.value().to_owned();
            if !seen.insert(code.clone()) {
                break;
            }
            let reason = super::view::reason_text(&s.rules, &code, &s.tr());
            let shown = flat(&screen(&s, 120, 30));
            assert!(shown.contains(&flat(&reason)), "{reason}\n{shown}");
            s.update(key(KeyCode::Right));
        }
        assert!(seen.len() > 3, "{seen:?}");
    }
}

/// The lookup's screens in kk (its longest texts) on a standard 80x24 and on 30x10: results,
/// a record, its status form, the lists and the summary.
#[test]
fn lookup_screens_in_kk_at_80x24_and_30x10() {
    let mut s = lookup_state(Lang::Kk);
    typed(&mut s, "ах");
    answer(&mut s, results(), true);
    let mut shots = vec![("results", screen(&s, 80, 24), screen(&s, 30, 10))];
    s.update(Msg::RecordLoaded(Some(Box::new(a_record()))));
    shots.push(("record", screen(&s, 80, 24), screen(&s, 30, 10)));
    s.update(ctrl('s'));
    s.update(key(KeyCode::Right));
    s.update(key(KeyCode::Right));
    shots.push(("status_form", screen(&s, 80, 24), screen(&s, 30, 10)));
    for (name, standard, small) in shots {
        insta::assert_snapshot!(format!("lookup_{name}_kk_80x24"), standard);
        insta::assert_snapshot!(format!("lookup_{name}_kk_30x10"), small);
    }
}

fn accounts() -> Vec<crate::records::Operator> {
    use crate::core::Role;
    let account = |id, login: &str, name: &str, role, active| crate::records::Operator {
        id,
        login: login.into(),
        display_name: name.into(),
        role,
        active,
    };
    vec![
        account(1, "admin", "Тестова Т.", Role::Admin, true),
        account(2, "elena", "Петрова Е.", Role::Supervisor, true),
        account(3, "zhanar", "Жанар Б.", Role::Operator, false),
    ]
}

/// Ctrl+L until the accounts listing; how many presses it took (none: never reached).
fn cycle_to_accounts(s: &mut AppState) -> Option<usize> {
    for n in 1..=6 {
        let commands = s.update(ctrl('l')).commands;
        if commands.contains(&Command::LoadAccounts) {
            return Some(n);
        }
    }
    None
}

/// An administrator manages the accounts in the desk: the list, a new account (the two
/// passwords must match), a new password, disabling one. Each is one command the store
/// makes and audits as this administrator.
#[test]
fn an_administrator_manages_accounts_in_the_desk() {
    use crate::core::Role;
    use crate::records::AccountChange;
    let mut s = lookup_state(Lang::En);
    s.update(crate::ui::fixtures::signed_in(1, "admin", Role::Admin));
    s.screen = crate::ui::Screen::Lookup;
    assert_eq!(cycle_to_accounts(&mut s), Some(5));
    s.update(Msg::AccountsLoaded(accounts()));
    let text = screen(&s, 100, 20);
    assert!(
        text.contains("zhanar") && text.contains("disabled"),
        "{text}"
    );
    // Insert: a new account.
    s.update(key(KeyCode::Insert));
    assert_eq!(s.context(), crate::ui::keymap::Context::Editor);
    for (text, then) in [
        ("aigerim", KeyCode::Tab),
        ("Серікова А.", KeyCode::Tab),
        ("", KeyCode::Right),
    ] {
        s.update(Msg::Paste(text.into()));
        s.update(key(then));
    }
    s.update(key(KeyCode::Tab));
    s.update(Msg::Paste("Жаңа құпия 2026".into()));
    s.update(key(KeyCode::Tab));
    s.update(Msg::Paste("Жаңа құпия 2025".into()));
    let shown = screen(&s, 100, 20);
    assert!(!shown.contains("Жаңа құпия"), "passwords are dots: {shown}");
    assert!(
        s.update(ctrl('s')).commands.is_empty(),
        "the passwords differ"
    );
    assert!(screen(&s, 100, 20).contains("The two passwords differ"));
    for _ in 0..4 {
        s.update(key(KeyCode::Backspace));
    }
    s.update(Msg::Paste("2026".into()));
    let commands = s.update(ctrl('s')).commands;
    assert_eq!(
        commands,
        [Command::ChangeAccount(Box::new(AccountChange::Add {
            login: "aigerim".into(),
            name: "Серікова А.".into(),
            role: Role::Supervisor,
            password: "Жаңа құпия 2026".into(),
        }))]
    );
    s.update(Msg::AccountChanged(
        AccountChange::Disable {
            login: "aigerim".into(),
        }
        .done(),
    ));
    assert!(s.lookup.admin_form.is_none());
    // Enter on an account: disable it.
    s.update(key(KeyCode::Down));
    s.update(key(KeyCode::Enter));
    s.update(key(KeyCode::Right));
    let commands = s.update(ctrl('s')).commands;
    assert_eq!(
        commands,
        [Command::ChangeAccount(Box::new(AccountChange::Disable {
            login: "elena".into()
        }))]
    );
    // A refusal stays beside the form.
    s.update(Msg::AccountRefused(crate::i18n::Message::new(
        "operator.error.last_admin",
    )));
    assert!(s.lookup.admin_form.is_some());
    for lang in [Lang::Kk] {
        s.lang = lang;
        insta::assert_snapshot!("accounts_form_kk_80x24", screen(&s, 80, 24));
        s.update(key(KeyCode::Esc));
        insta::assert_snapshot!("accounts_kk_80x24", screen(&s, 80, 24));
        insta::assert_snapshot!("accounts_kk_30x10", screen(&s, 30, 10));
    }
}

/// Operators, supervisors and trainers (on a training desk) never reach the center profile;
/// a trainer reaches the accounts of the class, on a training desk, the others never.
#[test]
fn only_administrators_reach_the_accounts() {
    use crate::core::Role;
    let mut trainer = lookup_state(Lang::En);
    trainer.session.training = true;
    trainer.update(crate::ui::fixtures::signed_in(2, "tamara", Role::Trainer));
    trainer.screen = crate::ui::Screen::Lookup;
    let mut loaded = Vec::new();
    for _ in 0..8 {
        loaded.extend(trainer.update(ctrl('l')).commands);
    }
    assert!(loaded.contains(&Command::LoadAccounts), "{loaded:?}");
    assert!(!loaded.contains(&Command::LoadCenter), "{loaded:?}");
    for role in [Role::Operator, Role::Supervisor] {
        let mut s = lookup_state(Lang::En);
        s.session.training = role == Role::Trainer;
        s.update(crate::ui::fixtures::signed_in(2, "elena", role));
        s.screen = crate::ui::Screen::Lookup;
        for _ in 0..8 {
            let commands = s.update(ctrl('l')).commands;
            assert!(
                !commands
                    .iter()
                    .any(|c| matches!(c, Command::LoadAccounts | Command::LoadCenter)),
                "{role:?}: {commands:?}"
            );
        }
        s.update(key(KeyCode::Insert));
        assert!(s.lookup.admin_form.is_none());
    }
}

/// An administrator fills the center profile in the desk: the file's problems shown, the
/// form (each of the eleven values), a wrong value named on its field, the saved profile
/// used by the papers from then on.
#[test]
fn an_administrator_fills_the_center_profile_in_the_desk() {
    use crate::core::Role;
    let mut s = lookup_state(Lang::Kk);
    s.update(crate::ui::fixtures::signed_in(1, "admin", Role::Admin));
    s.screen = crate::ui::Screen::Lookup;
    let mut presses = 0;
    while !s.update(ctrl('l')).commands.contains(&Command::LoadCenter) {
        presses += 1;
        assert!(presses < 8, "the center profile is reached");
    }
    s.update(Msg::CenterLoaded(Box::new(super::CenterInfo {
        path: "~/.config/regdesk/center.toml".into(),
        fields: None,
        problems: vec![crate::rules::RuleError {
            file: "center.toml".into(),
            line: 0,
            column: 0,
            message: crate::i18n::Message::new("center.error.missing"),
        }],
    })));
    insta::assert_snapshot!("center_missing_kk_80x24", screen(&s, 80, 24));
    s.update(key(KeyCode::Enter));
    let example = crate::center::CenterFields::of(
        &crate::center::parse("c", crate::center::EXAMPLE).unwrap(),
    );
    for value in &example.0 {
        s.update(Msg::Paste(value.clone()));
        s.update(key(KeyCode::Tab));
    }
    insta::assert_snapshot!("center_form_kk_80x24", screen(&s, 80, 24));
    // On a short terminal the form scrolls to the field being edited.
    s.lookup.admin_form.as_mut().unwrap().focus = 10;
    let small = screen(&s, 40, 12);
    assert!(small.contains("▸ Мәртебені"), "{small}");
    s.lookup.admin_form.as_mut().unwrap().focus = 0;
    let commands = s.update(ctrl('s')).commands;
    assert_eq!(commands, [Command::SaveCenter(Box::new(example.clone()))]);
    s.update(Msg::CenterRefused {
        field: Some(3),
        message: crate::i18n::Message::new("center.error.bin")
            .arg_key("problem", "iin.error.checksum"),
    });
    let editor = s.lookup.admin_form.as_ref().unwrap();
    assert_eq!(editor.focus, 3, "the BIN's field");
    let profile = crate::center::parse("c", crate::center::EXAMPLE).unwrap();
    s.update(Msg::CenterSaved(Box::new(profile.clone())));
    assert!(s.lookup.admin_form.is_none());
    assert_eq!(s.center.as_deref(), Some(&profile));
}
