// These tests drive the state key by key; what each update asks for is checked where it
// matters, so an ignored `Outcome` is no dropped effect here.
#![allow(unused_must_use)]

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::*;

fn session(training: bool) -> SessionInfo {
    SessionInfo {
        database: "~/.local/share/regdesk/regdesk.sqlite".into(),
        operator: None,
        training,
        rules: "kz-registration-residence 2026.11.1".into(),
    }
}

/// The shipped rules, loaded once for all screen tests.
pub(crate) fn shipped_rules() -> std::sync::Arc<crate::rules::RuleSet> {
    static SET: std::sync::OnceLock<std::sync::Arc<crate::rules::RuleSet>> =
        std::sync::OnceLock::new();
    SET.get_or_init(|| {
        let files = crate::rules::loader::embedded();
        std::sync::Arc::new(crate::rules::loader::parse(&files).unwrap().set)
    })
    .clone()
}

/// The date every screen test works on.
pub(crate) fn test_day() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
}

pub(crate) fn new_state(lang: Lang, session: SessionInfo) -> AppState {
    AppState::new(lang, session, shipped_rules(), test_day())
}

pub(crate) fn state(lang: Lang) -> AppState {
    new_state(lang, session(false))
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// Ctrl+S: saves the open form from any field.
fn save_key() -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL))
}

fn render(state: &AppState, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| view(state, frame)).unwrap();
    terminal
}

fn screen_text(state: &AppState, width: u16, height: u16) -> String {
    render(state, width, height).backend().to_string()
}

// ---- update -------------------------------------------------------------------------------

#[test]
fn function_keys_switch_screens_and_tab_cycles_outside_the_form() {
    let mut s = state(Lang::En);
    assert!(s.update(key(KeyCode::F(5))).redraw);
    assert_eq!(s.screen, Screen::Lookup);
    s.update(key(KeyCode::BackTab));
    assert_eq!(s.screen, Screen::Consent);
    s.update(key(KeyCode::F(5)));
    s.update(key(KeyCode::Tab));
    assert_eq!(s.screen, Screen::Intake);
    s.update(key(KeyCode::F(2)));
    // In the form Tab moves between questions, not screens.
    s.update(key(KeyCode::Tab));
    assert_eq!(s.screen, Screen::Intake);
    assert_eq!(s.intake.focus, intake::fields::FieldId::Surname);
}

#[test]
fn pressing_the_current_screen_key_needs_no_redraw() {
    let mut s = state(Lang::En);
    assert_eq!(s.update(key(KeyCode::F(2))), Outcome::unchanged());
}

#[test]
fn help_opens_scrolls_within_bounds_and_closes() {
    let mut s = state(Lang::En);
    s.update(key(KeyCode::F(1)));
    assert_eq!(s.help_shown(), Some(HelpState { scroll: 0 }));
    assert_eq!(
        s.update(key(KeyCode::Up)),
        Outcome::unchanged(),
        "already at the top"
    );
    for _ in 0..100 {
        s.update(key(KeyCode::PageDown));
    }
    assert_eq!(s.help_shown().unwrap().scroll, help::line_count());
    s.update(key(KeyCode::F(3)));
    assert_eq!(s.screen, Screen::Intake, "screen keys are inert under help");
    s.update(key(KeyCode::Esc));
    assert_eq!(s.help_shown(), None);
}

#[test]
fn language_switch_cycles_and_reports() {
    let mut s = state(Lang::Ru);
    let outcome = s.update(key(KeyCode::F(9)));
    assert_eq!(outcome.commands, vec![Command::LanguageChanged(Lang::Kk)]);
    assert_eq!(s.lang, Lang::Kk);
    s.update(key(KeyCode::F(9)));
    s.update(key(KeyCode::F(9)));
    assert_eq!(s.lang, Lang::Ru);
}

#[test]
fn quit_is_a_command_from_anywhere() {
    let mut s = state(Lang::En);
    s.update(key(KeyCode::F(1)));
    assert_eq!(s.update(key(KeyCode::F(10))).commands, vec![Command::Quit]);
    let ctrl_q_cyrillic = Msg::Key(KeyEvent::new(KeyCode::Char('й'), KeyModifiers::CONTROL));
    assert_eq!(s.update(ctrl_q_cyrillic).commands, vec![Command::Quit]);
}

#[test]
fn unbound_keys_and_pastes_change_nothing_outside_the_form() {
    let mut s = state(Lang::En);
    s.screen = Screen::Consent;
    let before = s.clone();
    for msg in [
        key(KeyCode::Char('й')),
        key(KeyCode::Char('q')),
        key(KeyCode::Enter),
        key(KeyCode::F(12)),
        Msg::Paste("Әбілқайыр 😀 \u{202e}\u{0301}".repeat(500)),
    ] {
        assert_eq!(s.update(msg), Outcome::unchanged());
    }
    assert_eq!(s, before);
}

#[test]
fn key_releases_are_ignored() {
    use crossterm::event::{Event, KeyEventKind, KeyEventState};
    let release = KeyEvent {
        code: KeyCode::F(10),
        modifiers: KeyModifiers::NONE,
        kind: KeyEventKind::Release,
        state: KeyEventState::NONE,
    };
    assert_eq!(Msg::from_event(Event::Key(release)), None);
    assert_eq!(Msg::from_event(Event::Resize(10, 10)), Some(Msg::Resize));
}

// ---- view ---------------------------------------------------------------------------------

#[test]
fn shell_snapshots_in_every_language_at_two_sizes() {
    for lang in Lang::ALL {
        for (w, h) in [(80, 24), (120, 40)] {
            let name = format!("shell_{}_{w}x{h}", lang.code());
            insta::assert_snapshot!(name, render(&state(lang), w, h).backend());
        }
    }
}

#[test]
fn every_screen_snapshot() {
    for screen in Screen::ALL {
        let mut s = state(Lang::Ru);
        s.screen = screen;
        insta::assert_snapshot!(
            format!("screen_{screen:?}").to_lowercase(),
            render(&s, 80, 24).backend()
        );
    }
}

#[test]
fn help_overlay_snapshots() {
    for lang in Lang::ALL {
        let mut s = state(lang);
        s.update(key(KeyCode::F(1)));
        insta::assert_snapshot!(
            format!("help_{}", lang.code()),
            render(&s, 80, 24).backend()
        );
    }
}

#[test]
fn help_lists_every_binding_of_the_keymap() {
    let mut s = state(Lang::En);
    s.update(key(KeyCode::F(1)));
    // Page through the whole help, collecting what it shows.
    let mut text = String::new();
    for _ in 0..15 {
        text.push_str(&screen_text(&s, 120, 40));
        s.update(key(KeyCode::PageDown));
    }
    for binding in keymap::BINDINGS {
        let description = s.tr().t(binding.description_key);
        assert!(text.contains(&description), "help lacks '{description}'");
    }
}

#[test]
fn too_small_snapshot_and_threshold() {
    insta::assert_snapshot!("too_small_19x5", render(&state(Lang::En), 19, 5).backend());
    assert!(screen_text(&state(Lang::En), 19, 5).contains("Terminal too small"));
    assert!(screen_text(&state(Lang::En), 20, 4).contains("Terminal too small"));
    assert!(!screen_text(&state(Lang::En), 20, 5).contains("Terminal too small"));
}

#[test]
fn training_mode_is_loud_in_every_language() {
    for lang in Lang::ALL {
        let s = new_state(lang, session(true));
        let text = screen_text(&s, 80, 24);
        assert!(
            text.contains(&format!("▲ {} ▲", s.tr().t("shell.training"))),
            "{lang}"
        );
    }
    insta::assert_snapshot!(
        "training_en",
        render(&new_state(Lang::En, session(true)), 80, 24).backend()
    );
}

#[test]
fn notice_is_shown_in_the_current_language() {
    let mut s = state(Lang::En);
    s.notice = Some(Message::new("db.created").arg("path", "/tmp/x.sqlite"));
    assert!(screen_text(&s, 80, 24).contains("New database created at /tmp/x.sqlite"));
    s.lang = Lang::Ru;
    assert!(screen_text(&s, 80, 24).contains("Создана новая база данных: /tmp/x.sqlite"));
}

#[test]
fn active_tab_is_marked_without_colour() {
    let mut s = state(Lang::En);
    s.screen = Screen::Consent;
    assert!(screen_text(&s, 80, 24).contains("▸Consent◂"));
}

#[test]
fn drawing_never_panics_at_any_size() {
    let long_path = "/home/оператор/".repeat(30) + "日本語.sqlite";
    for lang in Lang::ALL {
        for help in [false, true] {
            let mut s = new_state(
                lang,
                SessionInfo {
                    database: long_path.clone(),
                    operator: Some("Әбілқайыр".repeat(10)),
                    training: true,
                    rules: "x".repeat(300),
                },
            );
            s.notice = Some(Message::new("db.created").arg("path", &long_path));
            if help {
                s.update(key(KeyCode::F(1)));
                s.update(key(KeyCode::PageDown));
            }
            let sizes = (0..=24u16).chain([30, 47, 80, 81, 119, 200]);
            for w in sizes.clone() {
                for h in (0..=8u16).chain([12, 24, 45]) {
                    render(&s, w, h);
                }
            }
        }
    }
}

#[test]
fn help_that_does_not_fit_shows_a_scrollbar_and_scrolls() {
    let mut s = state(Lang::En);
    s.update(key(KeyCode::F(1)));
    insta::assert_snapshot!("help_overflow_top_60x14", render(&s, 60, 14).backend());
    for _ in 0..12 {
        s.update(key(KeyCode::PageDown));
    }
    let text = screen_text(&s, 60, 14);
    assert!(text.contains("Page down"), "scrolled to the end:\n{text}");
    assert!(text.contains('▼'));
}

// ---- the desk screens: intake, checklist, drafts -------------------------------------------

mod desk {
    use super::*;
    use crate::ui::drafts::DraftSummary;
    use crate::ui::intake::Case;
    use crate::ui::intake::fields::FieldId as F;

    fn tenant() -> Vec<(F, &'static str)> {
        crate::ui::intake::case::FICTIONAL_TENANT.to_vec()
    }

    fn desk(lang: Lang, values: &[(F, &str)], screen: Screen) -> AppState {
        let mut s = state(lang);
        s.load_case(Case::with_values(values), Some(1));
        s.screen = screen;
        s
    }

    fn changed(
        base: Vec<(F, &'static str)>,
        edits: &[(F, &'static str)],
    ) -> Vec<(F, &'static str)> {
        let mut all = base;
        for (id, v) in edits {
            all.retain(|(i, _)| i != id);
            all.push((*id, v));
        }
        all
    }

    fn states(lang: Lang) -> Vec<(&'static str, AppState)> {
        let mut errors = desk(
            lang,
            &[
                (F::Iin, "850714412306"),
                (F::Surname, "Ива4нов"),
                (F::BirthDate, "31.02.1985"),
            ],
            Screen::Intake,
        );
        errors.intake.reveal_all(&errors.case.clone());
        let mut why = desk(lang, &tenant(), Screen::Checklist);
        why.update(key(KeyCode::Enter));
        let mut marking = desk(lang, &tenant(), Screen::Checklist);
        marking.update(key(KeyCode::Char(' ')));
        for k in [KeyCode::Down, KeyCode::Right, KeyCode::Down] {
            marking.update(key(k));
        }
        for c in "N0123456".chars() {
            marking.update(key(KeyCode::Char(c)));
        }
        marking.update(key(KeyCode::Down));
        for c in "0102".chars() {
            marking.update(key(KeyCode::Char(c)));
        }
        let mut drafts = state(lang);
        drafts.offer_drafts(vec![
            DraftSummary {
                id: 2,
                when: "01.12.2026 10:32".into(),
                masked_iin: "********2305".into(),
                name: "Серікова Айгерім".into(),
            },
            DraftSummary {
                id: 1,
                when: "30.11.2026 17:05".into(),
                masked_iin: String::new(),
                name: String::new(),
            },
        ]);
        vec![
            ("intake_empty", state(lang)),
            ("intake_filled", desk(lang, &tenant(), Screen::Intake)),
            ("intake_errors", errors),
            (
                "checklist_proceed",
                desk(lang, &tenant(), Screen::Checklist),
            ),
            (
                "checklist_refuse",
                desk(
                    lang,
                    &changed(tenant(), &[(F::HasTitleDocuments, "no")]),
                    Screen::Checklist,
                ),
            ),
            (
                "checklist_not_required",
                desk(
                    lang,
                    &changed(
                        tenant(),
                        &[
                            (F::BirthDate, "01.03.2016"),
                            (F::ActsThrough, "legal_representative"),
                        ],
                    ),
                    Screen::Checklist,
                ),
            ),
            (
                "checklist_pending",
                desk(lang, &tenant()[..11], Screen::Checklist),
            ),
            ("checklist_why", why),
            ("checklist_marking", marking),
            ("drafts", drafts),
            (
                "consents",
                desk(
                    lang,
                    &changed(tenant(), &[(F::Owners, "2")]),
                    Screen::Consent,
                ),
            ),
            ("consents_editor", consent_editor(lang)),
            ("consents_refused", consents_recorded(lang)),
        ]
    }

    fn type_text(s: &mut AppState, text: &str) {
        for c in text.chars() {
            s.update(key(KeyCode::Char(c)));
        }
    }

    /// The owner's consent open in its editor, half typed.
    fn consent_editor(lang: Lang) -> AppState {
        let mut s = desk(
            lang,
            &changed(tenant(), &[(F::Owners, "2")]),
            Screen::Consent,
        );
        s.update(key(KeyCode::Down));
        s.update(key(KeyCode::Enter));
        type_text(&mut s, "Ахметова");
        s.update(key(KeyCode::Tab));
        type_text(&mut s, "Гүлнұр");
        s
    }

    /// The owner consented (a fictional IIN from the domain brief), a co-owner refused.
    fn consents_recorded(lang: Lang) -> AppState {
        let mut s = consent_editor(lang);
        for _ in 0..2 {
            s.update(key(KeyCode::Tab));
        }
        type_text(&mut s, "900228404562");
        s.update(key(KeyCode::Tab));
        s.update(key(KeyCode::Tab));
        s.update(key(KeyCode::Right)); // given
        s.update(save_key());
        s.update(key(KeyCode::Down));
        s.update(key(KeyCode::Enter));
        type_text(&mut s, "Ахметов");
        s.update(key(KeyCode::Tab));
        type_text(&mut s, "Бақыт");
        s.update(key(KeyCode::Tab));
        s.update(key(KeyCode::Tab));
        type_text(&mut s, "771111302100");
        s.update(key(KeyCode::Tab));
        s.update(key(KeyCode::Tab));
        s.update(key(KeyCode::Right));
        s.update(key(KeyCode::Right)); // refused
        for _ in 0..4 {
            s.update(key(KeyCode::Tab));
        }
        type_text(&mut s, "не согласен");
        s.update(save_key());
        s
    }

    #[test]
    fn a_refused_co_owner_consent_refuses_the_case_and_stays_changeable() {
        let s = consents_recorded(Lang::En);
        assert!(
            s.consents.editor.is_none(),
            "saved: {:?}",
            s.consents.editor.as_ref().and_then(|e| e.problem.clone())
        );
        let owner = &s.case.consents["owner_consent#1"];
        assert_eq!(
            (owner.state.as_str(), owner.surname.as_str()),
            ("given", "Ахметова")
        );
        assert_eq!(s.case.consents["co_owner_consent#1"].state, "refused");
        let e = s.evaluation().unwrap();
        assert_eq!(e.decision, "refuse");
        assert_eq!(e.reasons, vec!["consent_refused".to_string()]);
        // The refused record is still on the consent screen, to be changed if the co-owner
        // changes their mind.
        let text = screen_text(&s, 120, 40);
        assert!(text.contains("[✗] Consent of every co-owner"), "{text}");
    }

    #[test]
    fn revoking_a_given_consent_is_audited_and_keeps_the_history() {
        let mut s = consents_recorded(Lang::En);
        // Back to the owner's consent: revoke it with a reason.
        s.update(key(KeyCode::Up));
        s.update(key(KeyCode::Enter));
        for _ in 0..5 {
            s.update(key(KeyCode::Tab));
        }
        s.update(key(KeyCode::Right));
        s.update(key(KeyCode::Right)); // given → refused → revoked
        for _ in 0..4 {
            s.update(key(KeyCode::Tab));
        }
        type_text(&mut s, "отозвала письменно");
        let saved = s.update(save_key());
        assert!(
            saved
                .commands
                .iter()
                .any(|c| matches!(c, Command::Audit(action, _) if action == "consent.revoke")),
            "{saved:?}"
        );
        let owner = &s.case.consents["owner_consent#1"];
        let states: Vec<&str> = owner.history.iter().map(|c| c.state.as_str()).collect();
        assert_eq!(states, vec!["given", "revoked"]);
    }

    #[test]
    fn consents_travel_with_the_draft() {
        let s = consents_recorded(Lang::Ru);
        let map = s.case.to_map();
        let back = Case::from_map(&map);
        assert_eq!(back.consents, s.case.consents);
    }

    #[test]
    fn every_desk_screen_in_every_language_at_two_sizes() {
        for lang in Lang::ALL {
            for (name, s) in states(lang) {
                for (w, h) in [(80, 24), (120, 40)] {
                    insta::assert_snapshot!(
                        format!("desk_{name}_{}_{w}x{h}", lang.code()),
                        render(&s, w, h).backend()
                    );
                }
            }
        }
    }

    #[test]
    fn the_checklist_asks_for_the_owner_and_marks_survive_a_change_that_keeps_them() {
        let mut s = desk(Lang::En, &tenant(), Screen::Checklist);
        let e = s.evaluation().unwrap();
        let consents: Vec<&str> = e.consents.iter().map(|c| c.id.as_str()).collect();
        assert!(consents.contains(&"owner_consent"), "{consents:?}");
        // Space opens the mark editor of the first document: passport, its number, saved.
        s.update(key(KeyCode::Char(' ')));
        assert!(s.checklist.editor.is_some());
        s.update(key(KeyCode::Down));
        s.update(key(KeyCode::Right));
        s.update(key(KeyCode::Down));
        for c in "N0123".chars() {
            s.update(key(KeyCode::Char(c)));
        }
        let saved = s.update(save_key());
        assert_eq!(
            saved.commands,
            vec![Command::SaveDraftNow],
            "a mark is saved with the draft"
        );
        let mark = &s.case.marks["applicant_identity"];
        assert_eq!(
            (mark.document.as_str(), mark.number.as_str()),
            ("passport", "N0123")
        );
        assert!(screen_text(&s, 120, 40).contains("(Passport, № N0123)"));
        // Two owners now: the applicant identity document is still required, mark kept.
        s.case.set(F::Owners, "2");
        s.refresh();
        assert_eq!(s.case.marks.len(), 1);
        let consents: Vec<String> = s
            .evaluation()
            .unwrap()
            .consents
            .iter()
            .map(|c| c.id.clone())
            .collect();
        assert!(consents.contains(&"co_owner_consent".to_string()));
        // No title documents: refused, nothing to present, the mark is dropped with a notice.
        s.case.set(F::HasTitleDocuments, "no");
        s.refresh();
        assert!(s.case.marks.is_empty());
        assert_eq!(
            s.notice.as_ref().map(|n| n.key),
            Some("checklist.marks_dropped")
        );
    }

    /// Enter in every form alike: the next field, and on the last one, save; Ctrl+S saves
    /// from any field. `open` opens the form; `saved` tells a save from what it returns.
    fn enter_walks_then_saves(
        mut s: AppState,
        open: &[Msg],
        saved: impl Fn(&Outcome, &AppState) -> bool,
    ) -> usize {
        for msg in open {
            s.update(msg.clone());
        }
        let form = |s: &AppState| s.context() == super::Context::Editor;
        assert!(form(&s), "the form is open");
        for enters in 1..=12 {
            let outcome = s.update(key(KeyCode::Enter));
            if saved(&outcome, &s) {
                return enters;
            }
            assert!(form(&s), "Enter closed the form without saving");
        }
        panic!("twelve Enters never saved");
    }

    #[test]
    fn enter_goes_to_the_next_field_and_saves_on_the_last_in_every_form() {
        // The mark of a document: presented (type, number, date, note) or not available.
        let checklist = desk(Lang::En, &tenant(), Screen::Checklist);
        let mark_saved = |o: &Outcome, _: &AppState| o.commands == [Command::SaveDraftNow];
        let enters = enter_walks_then_saves(
            checklist.clone(),
            &[key(KeyCode::Char(' ')), key(KeyCode::Right)],
            mark_saved,
        );
        assert_eq!(enters, 2, "not available: the state, then the note");
        // A consent: eight fields, Enter through them, saved on the last.
        let consent = desk(
            Lang::En,
            &changed(tenant(), &[(F::Owners, "2")]),
            Screen::Consent,
        );
        let consent_saved = |_: &Outcome, s: &AppState| s.consents.editor.is_none();
        let enters = enter_walks_then_saves(
            consent,
            &[key(KeyCode::Down), key(KeyCode::Enter)],
            consent_saved,
        );
        assert!(enters > 2, "{enters}");
        // Ctrl+S saves the mark from its first field.
        let mut s = checklist;
        s.update(key(KeyCode::Char(' ')));
        s.update(key(KeyCode::Right));
        assert_eq!(s.update(save_key()).commands, vec![Command::SaveDraftNow]);
    }

    #[test]
    fn a_document_not_available_shows_what_the_applicant_can_do() {
        let mut s = desk(Lang::En, &tenant(), Screen::Checklist);
        s.update(key(KeyCode::Char(' ')));
        s.update(key(KeyCode::Right)); // not available
        s.update(save_key());
        let text = screen_text(&s, 120, 40);
        assert!(text.contains("[✗] Applicant's identity document"), "{text}");
        assert!(
            text.contains("→ Without an identity document no registration is made"),
            "{text}"
        );
    }

    #[test]
    fn the_sheet_is_printed_in_the_language_of_the_papers() {
        let mut s = desk(
            Lang::En,
            &changed(tenant(), &[(F::DocumentLanguage, "kk")]),
            Screen::Checklist,
        );
        let ctrl_p = Msg::Key(KeyEvent::new(KeyCode::Char('p'), KeyModifiers::CONTROL));
        let commands = s.update(ctrl_p).commands;
        let [Command::PrintSheet(text)] = commands.as_slice() else {
            panic!("{commands:?}");
        };
        assert!(text.starts_with("ӨЗІҢІЗБЕН НЕ АЛУ КЕРЕК"), "{text}");
    }

    #[test]
    fn a_consent_is_marked_by_space_and_cleared_by_delete() {
        let mut s = desk(Lang::En, &tenant(), Screen::Checklist);
        let e = s.evaluation().unwrap().clone();
        for _ in 0..e.documents.len() {
            s.update(key(KeyCode::Down));
        }
        s.update(key(KeyCode::Char(' ')));
        assert!(s.checklist.editor.is_none(), "a consent has no editor");
        assert_eq!(s.case.marks.len(), 1);
        s.update(key(KeyCode::Delete));
        assert!(s.case.marks.is_empty());
    }

    #[test]
    fn a_pending_line_jumps_to_its_question() {
        let mut s = desk(Lang::Ru, &tenant()[..11], Screen::Checklist);
        let e = s.evaluation().unwrap().clone();
        let first_pending = e.documents.len() + e.consents.len();
        for _ in 0..first_pending {
            s.update(key(KeyCode::Down));
        }
        s.update(key(KeyCode::Enter));
        assert_eq!(s.screen, Screen::Intake);
        assert_ne!(s.intake.focus, F::Iin, "focus on the question asked");
    }

    #[test]
    fn drafts_are_resumed_or_discarded_after_a_second_delete() {
        let mut s = states(Lang::En)
            .into_iter()
            .find(|(name, _)| *name == "drafts")
            .unwrap()
            .1;
        assert_eq!(s.update(key(KeyCode::Delete)).commands, vec![]);
        assert_eq!(
            s.update(key(KeyCode::Delete)).commands,
            vec![Command::DiscardDraft(2)]
        );
        assert_eq!(
            s.update(key(KeyCode::Enter)).commands,
            vec![Command::ResumeDraft(1)]
        );
        s.update(key(KeyCode::Esc));
        assert!(s.drafts_offered().is_none());
    }

    #[test]
    fn a_known_iin_fills_empty_fields_and_offers_its_draft() {
        let mut s = desk(
            Lang::En,
            &[(F::Iin, "850714412305"), (F::Surname, "Typed")],
            Screen::Intake,
        );
        s.draft_id = Some(7);
        let known = crate::ui::IinKnown {
            iin: "850714412305".into(),
            applicant: Some(crate::records::KnownApplicant {
                surname: "Серікова".into(),
                given_name: "Айгерім".into(),
                patronymic: None,
                birth_date: Some("1985-07-14".into()),
                sex: Some("female".into()),
                status: "citizen".into(),
                capacity: "full".into(),
            }),
            applications: Vec::new(),
            drafts: vec![
                DraftSummary {
                    id: 7,
                    when: "now".into(),
                    masked_iin: String::new(),
                    name: String::new(),
                },
                DraftSummary {
                    id: 3,
                    when: "30.11.2026 17:05".into(),
                    masked_iin: String::new(),
                    name: String::new(),
                },
            ],
        };
        s.update(Msg::IinKnown(Box::new(known)));
        assert_eq!(s.case.get(F::Surname), "Typed", "what was typed stays");
        assert_eq!(s.case.get(F::GivenName), "Айгерім");
        assert_eq!(s.case.get(F::BirthDate), "14.07.1985");
        assert_eq!(s.notice.as_ref().map(|n| n.key), Some("intake.open_draft"));
        let ctrl_o = Msg::Key(KeyEvent::new(KeyCode::Char('щ'), KeyModifiers::CONTROL));
        assert_eq!(s.update(ctrl_o).commands, vec![Command::ResumeDraft(3)]);
    }

    /// The tenant case with every required document presented and every consent given.
    fn ready_to_submit(lang: Lang) -> AppState {
        let mut s = desk(lang, &tenant(), Screen::Checklist);
        let e = s.evaluation().unwrap().clone();
        for d in e.documents.iter().filter(|d| !d.optional) {
            s.case.marks.insert(
                d.id.clone(),
                crate::ui::marks::Mark {
                    state: crate::ui::marks::MarkState::Presented,
                    document: String::new(),
                    number: "N0123456".into(),
                    issued: "01.02.2020".into(),
                    note: String::new(),
                },
            );
        }
        for r in crate::ui::consents::required(&e) {
            s.case.consents.insert(
                r.key.clone(),
                crate::ui::consents::ConsentRecord {
                    party: r.party.clone(),
                    state: "given".into(),
                    surname: "Ахметова".into(),
                    given_name: "Гүлнұр".into(),
                    iin: "900228404562".into(),
                    form: "in_person".into(),
                    date: "21.11.2026".into(),
                    ..Default::default()
                },
            );
        }
        s.refresh();
        s
    }

    #[test]
    fn submitting_an_incomplete_case_lists_what_is_missing_and_goes_there() {
        let mut s = desk(Lang::En, &tenant(), Screen::Intake);
        let outcome = s.update(key(KeyCode::F(8)));
        assert!(outcome.commands.is_empty(), "nothing is submitted");
        let gate = s.gate().cloned().expect("the gate is shown");
        let e = s.evaluation().unwrap().clone();
        let documents = e.documents.iter().filter(|d| !d.optional).count();
        assert_eq!(
            gate.gaps.len(),
            documents + crate::ui::consents::required(&e).len()
        );
        assert!(matches!(gate.gaps[0], crate::ui::submit::Gap::Document(_)));
        insta::assert_snapshot!("desk_submit_gate_en", screen_text(&s, 100, 30));
        // Down to the second document, Enter: the checklist with that document selected.
        s.update(key(KeyCode::Down));
        s.update(key(KeyCode::Enter));
        assert!(s.gate().is_none());
        assert_eq!(s.screen, Screen::Checklist);
        assert_eq!(s.checklist.selected, 1);
    }

    #[test]
    fn submit_gate_and_submitted_number_in_every_language_at_80x24() {
        for lang in [Lang::Ru, Lang::Kk, Lang::En] {
            let mut gate = desk(
                lang,
                &changed(tenant(), &[(F::Owners, "2")]),
                Screen::Checklist,
            );
            gate.update(key(KeyCode::F(8)));
            let code = lang.code();
            insta::assert_snapshot!(
                format!("desk_submit_gate_{code}_80x24"),
                screen_text(&gate, 80, 24)
            );
            let mut done = ready_to_submit(lang);
            done.update(Msg::Submitted {
                number: "RD-2026-000123".into(),
                already: false,
            });
            insta::assert_snapshot!(
                format!("desk_submitted_{code}_80x24"),
                screen_text(&done, 80, 24)
            );
            for s in [&gate, &done] {
                for (w, h) in (0..=30u16).flat_map(|w| (0..=10u16).map(move |h| (w, h))) {
                    render(s, w, h);
                }
            }
        }
    }

    #[test]
    fn ctrl_p_on_the_consents_prints_the_forms_with_what_was_recorded() {
        let mut s = ready_to_submit(Lang::Ru);
        s.screen = Screen::Consent;
        s.case.set(F::DocumentLanguage, "kk");
        s.refresh();
        let ctrl_p = Msg::Key(KeyEvent::new(KeyCode::Char('p'), KeyModifiers::CONTROL));
        let commands = s.update(ctrl_p).commands;
        let [Command::PrintConsentForms(text)] = commands.as_slice() else {
            panic!("{commands:?}");
        };
        let e = s.evaluation().unwrap();
        assert_eq!(
            text.split('\u{c}').count(),
            crate::ui::consents::required(e).len(),
            "one form per person"
        );
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains("Ахметова Гүлнұр, ЖСН 900228404562"), "{text}");
        assert!(
            flat.contains("Серікова Айгерім Бекқызы, ЖСН 850714412305"),
            "{text}"
        );
        assert!(
            flat.contains("келісім беремін"),
            "in Kazakh, the papers' language: {text}"
        );
    }

    #[test]
    fn consent_forms_before_any_record_name_the_applicant_and_leave_blanks_for_the_owner() {
        let mut s = desk(Lang::En, &tenant(), Screen::Consent);
        let ctrl_p = Msg::Key(KeyEvent::new(KeyCode::Char('p'), KeyModifiers::CONTROL));
        let commands = s.update(ctrl_p).commands;
        let [Command::PrintConsentForms(text)] = commands.as_slice() else {
            panic!("{commands:?}");
        };
        let pages: Vec<String> = text
            .split('\u{c}')
            .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        let personal = pages.iter().find(|p| p.contains("PERSONAL DATA")).unwrap();
        assert!(
            personal.contains("I, Серікова Айгерім Бекқызы, IIN 850714412305"),
            "{personal}"
        );
        let owner = pages.iter().find(|p| p.contains("OWNER'S")).unwrap();
        assert!(owner.contains("I, ____"), "{owner}");
    }

    #[test]
    fn a_wrong_iin_or_an_empty_required_field_keeps_a_complete_case_from_being_submitted() {
        let mut s = ready_to_submit(Lang::En);
        s.case.set(F::Iin, "850714412306"); // the control digit is wrong
        s.case.set(F::Surname, "");
        s.refresh();
        let outcome = s.update(key(KeyCode::F(8)));
        assert!(outcome.commands.is_empty(), "nothing is submitted");
        let gaps = s.gate().cloned().unwrap().gaps;
        assert!(
            matches!(&gaps[0], crate::ui::submit::Gap::Field(F::Iin, Some(_))),
            "{gaps:?}"
        );
        assert_eq!(gaps[1], crate::ui::submit::Gap::Field(F::Surname, None));
        let text = screen_text(&s, 100, 30);
        assert!(text.contains("To correct: IIN:"), "{text}");
        s.update(key(KeyCode::Enter));
        assert_eq!(s.screen, Screen::Intake);
        assert_eq!(s.intake.focus, F::Iin);
    }

    #[test]
    fn a_refused_or_provisional_case_cannot_be_submitted() {
        let mut refused = desk(
            Lang::Ru,
            &changed(tenant(), &[(F::HasTitleDocuments, "no")]),
            Screen::Intake,
        );
        refused.update(key(KeyCode::F(8)));
        assert_eq!(
            refused.gate().unwrap().gaps,
            vec![crate::ui::submit::Gap::Decision]
        );
        let mut provisional = desk(Lang::Ru, &tenant()[..11], Screen::Checklist);
        provisional.update(key(KeyCode::F(8)));
        let gaps = provisional.gate().unwrap().gaps.clone();
        // The street and house are not typed yet: required fields come first, then the
        // questions the rules still ask.
        assert_eq!(gaps[0], crate::ui::submit::Gap::Field(F::Street, None));
        assert_eq!(gaps[1], crate::ui::submit::Gap::Field(F::House, None));
        let questions = gaps
            .iter()
            .position(|g| *g == crate::ui::submit::Gap::Questions)
            .expect("the open questions are listed");
        for _ in 0..questions {
            provisional.update(key(KeyCode::Down));
        }
        provisional.update(key(KeyCode::Enter));
        assert_eq!(provisional.screen, Screen::Intake);
        assert!(
            !provisional.case.has(provisional.intake.focus),
            "focus on an open question"
        );
    }

    #[test]
    fn a_complete_case_is_submitted_and_the_number_starts_the_next_person() {
        let mut s = ready_to_submit(Lang::Ru);
        s.draft_id = Some(4);
        let commands = s.update(key(KeyCode::F(8))).commands;
        let [Command::Submit(submission)] = commands.as_slice() else {
            panic!("{commands:?}");
        };
        assert!(s.gate().is_none());
        assert_eq!(submission.draft_id, 4);
        assert_eq!(submission.iin, "850714412305");
        assert_eq!(submission.person.birth_date.as_deref(), Some("1985-07-14"));
        assert_eq!(submission.address.region.as_deref(), Some("almaty"));
        assert_eq!(submission.registration_type, "permanent");
        let e = s.evaluation().unwrap();
        assert_eq!(
            submission.documents.len(),
            e.documents.iter().filter(|d| !d.optional).count()
        );
        assert!(submission.documents.iter().all(|d| !d.document.is_empty()));
        assert_eq!(
            submission.consents.len(),
            crate::ui::consents::required(e).len()
        );
        assert!(
            submission
                .consents
                .iter()
                .all(|c| c.given_at == "2026-11-21")
        );
        let record: serde_json::Value = serde_json::from_str(&submission.decision_record).unwrap();
        assert_eq!(record["evaluation"]["decision"], "proceed");
        assert_eq!(record["evaluation"]["ruleset"]["sha256"], e.ruleset.sha256);

        s.update(Msg::Submitted {
            number: "RD-2026-000001".into(),
            already: false,
        });
        assert_eq!(s.draft_id, None, "the draft is closed");
        // Ctrl+F (Cyrillic layout: а): the consent forms, from the case still on the desk.
        let ctrl_f = Msg::Key(KeyEvent::new(KeyCode::Char('а'), KeyModifiers::CONTROL));
        let commands = s.update(ctrl_f).commands;
        assert!(
            matches!(commands.as_slice(), [Command::PrintConsentForms(text)] if text.contains("Серікова")),
            "{commands:?}"
        );
        let ctrl_p = Msg::Key(KeyEvent::new(KeyCode::Char('з'), KeyModifiers::CONTROL));
        assert_eq!(
            s.update(ctrl_p).commands,
            vec![Command::PrintReceipt {
                number: "RD-2026-000001".into(),
                lang: Lang::Ru
            }]
        );
        insta::assert_snapshot!("desk_submitted_ru", screen_text(&s, 100, 30));
        let commands = s.update(key(KeyCode::Enter)).commands;
        assert_eq!(commands, vec![Command::NewCase]);
        assert!(s.submitted().is_none());
        assert_eq!(s.case.get(F::Iin), "", "an empty case for the next person");
    }

    #[test]
    fn after_submitting_ctrl_n_starts_a_family_member_at_the_address() {
        let mut s = ready_to_submit(Lang::Kk);
        s.update(Msg::Submitted {
            number: "RD-2026-000002".into(),
            already: true,
        });
        assert_eq!(s.notice.as_ref().map(|n| n.key), Some("submit.already"));
        s.update(Msg::Key(KeyEvent::new(
            KeyCode::Char('т'),
            KeyModifiers::CONTROL,
        )));
        assert!(s.submitted().is_none());
        assert_eq!(s.case.get(F::Iin), "");
        assert_eq!(s.case.get(F::House), "12", "the address is kept");
    }

    #[test]
    fn a_contradiction_names_the_other_field_by_its_label_in_the_screen_language() {
        for (lang, label) in [(Lang::En, "Kind of dwelling"), (Lang::Ru, "Вид жилища")] {
            let s = desk(
                lang,
                &changed(tenant(), &[(F::ApplicantRelation, "listed_in_tenancy")]),
                Screen::Intake,
            );
            let message = s
                .intake
                .contradictions
                .get(&F::ApplicantRelation)
                .expect("shown on the field");
            let text = message.text(&s.tr());
            assert!(text.contains(label), "{text}");
            assert!(!text.contains("dwelling.kind"), "{text}");
        }
    }

    #[test]
    fn drawing_the_desk_never_panics_at_any_size() {
        for (_, s) in states(Lang::Kk) {
            for w in (0..=30u16).chain([47, 80, 119, 200]) {
                for h in (0..=10u16).chain([24, 45]) {
                    render(&s, w, h);
                }
            }
        }
    }
}

// ---- signing in and the lock -------------------------------------------------------------

#[test]
fn sign_in_screens_in_each_language() {
    use crate::ui::sign_in::Mode;
    for lang in Lang::ALL {
        let mut s = state(lang);
        s.show_lock(Mode::SignIn);
        for c in "elena".chars() {
            s.update(key(KeyCode::Char(c)));
        }
        s.update(key(KeyCode::Tab));
        s.update(Msg::Paste("құпия сөз".into()));
        insta::assert_snapshot!(
            format!("sign_in_{}", lang.code()),
            render(&s, 80, 20).backend()
        );
        let mut s = state(lang);
        s.show_lock(Mode::FirstAdmin);
        insta::assert_snapshot!(
            format!("first_admin_{}", lang.code()),
            render(&s, 80, 20).backend()
        );
    }
}

fn signed_in(id: i64, login: &str, role: crate::core::Role) -> Msg {
    Msg::SignedIn(Box::new(crate::records::Operator {
        id,
        login: login.into(),
        display_name: "Петрова Е.".into(),
        role,
        active: true,
    }))
}

#[test]
fn the_lock_hides_every_trace_of_the_case_and_the_same_operator_gets_it_back() {
    let mut s = state(Lang::En);
    s.update(signed_in(7, "elena", crate::core::Role::Operator));
    s.load_case(Case::with_values(intake::case::FICTIONAL_TENANT), Some(3));
    let surname = s.case.get(FieldId::Surname).to_owned();
    assert!(screen_text(&s, 100, 30).contains(&surname));
    let outcome = s.update(Msg::IdleLock);
    assert!(outcome.commands.contains(&Command::Locked));
    let locked = screen_text(&s, 100, 30);
    assert!(!locked.contains(&surname), "{locked}");
    assert!(!locked.contains(s.case.get(FieldId::Iin)), "{locked}");
    insta::assert_snapshot!("locked_en", render(&s, 100, 30).backend());
    // Keys do nothing behind the lock: F2..F5, F8 and Ctrl+P are not taken.
    for code in [KeyCode::F(2), KeyCode::F(5), KeyCode::F(8)] {
        s.update(key(code));
    }
    assert!(s.sign_in_form().is_some());
    // The same operator unlocks: the case is there.
    s.update(signed_in(7, "elena", crate::core::Role::Operator));
    assert!(screen_text(&s, 100, 30).contains(&surname));
}

#[test]
fn an_operator_is_refused_what_their_role_does_not_allow() {
    let mut s = state(Lang::En);
    s.update(signed_in(9, "zhanar", crate::core::Role::Operator));
    let ctrl_r = Msg::Key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL));
    assert_eq!(
        s.update(ctrl_r).commands,
        [Command::Refused("reload_rules")]
    );
    assert!(screen_text(&s, 100, 30).contains("does not allow this"));
}

#[test]
fn the_sign_in_forms_draw_at_any_size_with_odd_input() {
    use crate::ui::sign_in::Mode;
    for mode in [
        Mode::FirstAdmin,
        Mode::SignIn,
        Mode::Locked {
            login: "elena".into(),
            name: "Әбілқайырова-Петрова Ғалия Нұрсұлтанқызы".into(),
        },
    ] {
        let mut s = state(Lang::Kk);
        s.show_lock(mode);
        s.update(Msg::Paste("😀 日本 \u{202e}\u{0301}".repeat(40)));
        for (w, h) in [(20, 5), (21, 6), (24, 7), (30, 8), (80, 24), (250, 70)] {
            render(&s, w, h);
        }
    }
}

/// `keymap::STATE_CONTEXTS` is exactly what the desk's states give: every context there is
/// reached, and no state gives another.
#[test]
fn the_key_contexts_are_the_states_the_desk_is_in() {
    use super::keymap::{Context, STATE_CONTEXTS};
    let mut seen = std::collections::BTreeSet::new();
    let mut note = |s: &AppState| {
        seen.insert(format!("{:?}", s.context()));
    };
    let mut s = state(Lang::En);
    for screen in [
        Screen::Intake,
        Screen::Checklist,
        Screen::Consent,
        Screen::Lookup,
    ] {
        s.screen = screen;
        note(&s);
    }
    s.screen = Screen::Lookup;
    s.update(Msg::RecordLoaded(Some(Box::new(
        crate::ui::lookup::tests::a_record(),
    ))));
    note(&s);
    s.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('s'),
        KeyModifiers::CONTROL,
    )));
    note(&s);
    let mut s = state(Lang::En);
    s.update(key(KeyCode::F(1)));
    note(&s);
    let mut s = state(Lang::En);
    s.show(super::Overlay::Drafts(super::drafts::DraftsState {
        items: Vec::new(),
        selected: 0,
        confirm: None,
    }));
    note(&s);
    let mut s = state(Lang::En);
    s.show(super::Overlay::Gate(super::submit::GateState {
        gaps: Vec::new(),
        selected: 0,
    }));
    note(&s);
    let mut s = state(Lang::En);
    s.show(super::Overlay::Submitted("RD-2026-000001".into()));
    note(&s);
    let mut s = state(Lang::En);
    s.show_lock(super::sign_in::Mode::SignIn);
    note(&s);
    let expected: std::collections::BTreeSet<String> =
        STATE_CONTEXTS.iter().map(|c| format!("{c:?}")).collect();
    assert_eq!(seen, expected);
    assert!(!seen.contains(&format!("{:?}", Context::Main)));
}

/// A desk left running across midnight, and across 31 December: the desk's date, the rules'
/// date and the year the application number takes follow the clock.
#[test]
fn the_desks_date_follows_the_clock_across_new_year() {
    let mut s = state(Lang::En);
    let eve = chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
    let new_year = chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
    s.update(Msg::DayChanged(eve));
    assert_eq!(s.today, eve);
    assert_eq!(s.evaluation().map(|e| e.date), Some(eve));
    let outcome = s.update(Msg::DayChanged(new_year));
    assert!(outcome.redraw);
    assert_eq!(s.today, new_year);
    let evaluation = s.evaluation().expect("evaluated again");
    assert_eq!(evaluation.date, new_year);
    assert_eq!(chrono::Datelike::year(&evaluation.date), 2027);
    // The same day again changes nothing, and asks for no frame.
    assert!(!s.update(Msg::DayChanged(new_year)).redraw);
}
