// These tests drive the state key by key; what each update asks for is checked where it
// matters, so an ignored `Outcome` is no dropped effect here.
#![allow(unused_must_use)]

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::i18n::Lang;
use crate::ui::fixtures::*;
use crate::ui::intake::Case;
use crate::ui::intake::fields::FieldId as F;
use crate::ui::{Command, Msg};

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

#[test]
fn the_lock_hides_every_trace_of_the_case_and_the_same_operator_gets_it_back() {
    let mut s = state(Lang::En);
    s.update(signed_in(7, "elena", crate::core::Role::Operator));
    s.load_case(
        Case::with_values(crate::ui::intake::case::FICTIONAL_TENANT),
        Some(3),
    );
    let surname = s.case.get(F::Surname).to_owned();
    assert!(screen_text(&s, 100, 30).contains(&surname));
    let outcome = s.update(Msg::IdleLock);
    assert!(outcome.commands.contains(&Command::Locked));
    let locked = screen_text(&s, 100, 30);
    assert!(!locked.contains(&surname), "{locked}");
    assert!(!locked.contains(s.case.get(F::Iin)), "{locked}");
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

/// The sign-in form takes Enter and Ctrl+S as every other form does: Enter moves to the
/// password, Enter there signs in; Ctrl+S signs in from the login field.
#[test]
fn the_sign_in_form_takes_the_keys_every_form_takes() {
    let request = crate::ui::sign_in::SignInRequest::SignIn {
        login: "elena".into(),
        password: "pw".into(),
    };
    let mut s = state(Lang::En);
    s.show_lock(crate::ui::sign_in::Mode::SignIn);
    assert_eq!(s.context(), crate::ui::keymap::Context::SignIn);
    s.update(Msg::Paste("elena".into()));
    assert!(s.update(key(KeyCode::Enter)).commands.is_empty());
    s.update(Msg::Paste("pw".into()));
    assert_eq!(
        s.update(key(KeyCode::Enter)).commands,
        [Command::SignIn(request.clone())]
    );
    let mut s = state(Lang::En);
    s.show_lock(crate::ui::sign_in::Mode::SignIn);
    s.update(Msg::Paste("elena".into()));
    s.update(key(KeyCode::Tab));
    s.update(Msg::Paste("pw".into()));
    s.update(Msg::Key(KeyEvent::new(
        KeyCode::BackTab,
        KeyModifiers::SHIFT,
    )));
    assert_eq!(s.update(save_key()).commands, [Command::SignIn(request)]);
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

/// The sign-in, the first start and the lock in kk (its longest texts) on a standard 80x24
/// and on a 30x10 terminal.
#[test]
fn sign_in_forms_in_kk_at_80x24_and_30x10() {
    use crate::ui::sign_in::Mode;
    for (name, mode) in [("sign_in", Mode::SignIn), ("first_admin", Mode::FirstAdmin)] {
        let mut s = state(Lang::Kk);
        s.show_lock(mode);
        for (w, h) in [(80, 24), (30, 10)] {
            insta::assert_snapshot!(format!("{name}_kk_{w}x{h}"), render(&s, w, h).backend());
        }
    }
}
