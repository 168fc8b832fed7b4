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

fn state(lang: Lang) -> AppState {
    AppState::new(lang, session(false))
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
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
fn function_keys_switch_screens_and_tab_cycles() {
    let mut s = state(Lang::En);
    assert!(s.update(key(KeyCode::F(4))).redraw);
    assert_eq!(s.screen, Screen::Consent);
    s.update(key(KeyCode::Tab));
    assert_eq!(s.screen, Screen::Lookup);
    s.update(key(KeyCode::Tab));
    assert_eq!(s.screen, Screen::Intake);
    s.update(key(KeyCode::BackTab));
    assert_eq!(s.screen, Screen::Lookup);
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
    assert_eq!(s.help, Some(HelpState { scroll: 0 }));
    assert_eq!(
        s.update(key(KeyCode::Up)),
        Outcome::unchanged(),
        "already at the top"
    );
    for _ in 0..100 {
        s.update(key(KeyCode::PageDown));
    }
    assert_eq!(s.help.unwrap().scroll, help::line_count());
    s.update(key(KeyCode::F(3)));
    assert_eq!(s.screen, Screen::Intake, "screen keys are inert under help");
    s.update(key(KeyCode::Esc));
    assert_eq!(s.help, None);
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
fn unbound_keys_and_pastes_change_nothing() {
    let mut s = state(Lang::En);
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
    let text = screen_text(&s, 120, 40);
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
        let s = AppState::new(lang, session(true));
        let text = screen_text(&s, 80, 24);
        assert!(
            text.contains(&format!("▲ {} ▲", s.tr().t("shell.training"))),
            "{lang}"
        );
    }
    insta::assert_snapshot!(
        "training_en",
        render(&AppState::new(Lang::En, session(true)), 80, 24).backend()
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
            let mut s = AppState::new(
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
    s.update(key(KeyCode::PageDown));
    s.update(key(KeyCode::PageDown));
    let text = screen_text(&s, 60, 14);
    assert!(text.contains("Page down"), "scrolled to the end:\n{text}");
    assert!(text.contains('▼'));
}
