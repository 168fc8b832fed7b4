// These tests drive the state key by key; what each update asks for is checked where it
// matters, so an ignored `Outcome` is no dropped effect here.
#![allow(unused_must_use)]

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::keymap::Context;
use super::*;
use crate::i18n::{Lang, Message};
use crate::ui::fixtures::*;
use crate::ui::intake::fields::FieldId as F;

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

/// The help over the desk in kk (its longest texts) on a 30x10 terminal.
#[test]
fn help_in_kk_at_30x10() {
    let mut s = state(Lang::Kk);
    s.update(key(KeyCode::F(1)));
    insta::assert_snapshot!("help_kk_30x10", render(&s, 30, 10).backend());
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
    for _ in 0..30 {
        s.update(key(KeyCode::PageDown));
    }
    let text = screen_text(&s, 60, 14);
    assert!(text.contains("Page down"), "scrolled to the end:\n{text}");
    assert!(text.contains('▼'));
}

// ---- signing in and the lock -------------------------------------------------------------

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
    s.show(super::Overlay::Closed(1));
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

// ---- the whole desk: the drafts offered, every form, every screen at any size ---------------

/// The drafts offered in every language at two sizes.
#[test]
fn the_drafts_offered_in_every_language_at_two_sizes() {
    snapshot_states!("drafts");
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
    let form = |s: &AppState| s.context() == Context::Editor;
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
fn drawing_the_desk_never_panics_at_any_size() {
    for (_, s) in states(Lang::Kk) {
        for w in (0..=30u16).chain([47, 80, 119, 200]) {
            for h in (0..=10u16).chain([24, 45]) {
                render(&s, w, h);
            }
        }
    }
}
