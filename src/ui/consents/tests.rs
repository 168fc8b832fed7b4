// These tests drive the state key by key; what each update asks for is checked where it
// matters, so an ignored `Outcome` is no dropped effect here.
#![allow(unused_must_use)]

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::i18n::Lang;
use crate::ui::fixtures::*;
use crate::ui::intake::Case;
use crate::ui::intake::fields::FieldId as F;
use crate::ui::{Command, Msg, Screen};

/// The consent screen and its editor in every language at two sizes.
#[test]
fn the_consents_in_every_language_at_two_sizes() {
    snapshot_states!("consents");
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
fn space_on_a_consent_line_goes_to_its_record_and_ticks_nothing() {
    let mut s = desk(
        Lang::En,
        &changed(tenant(), &[(F::Owners, "2")]),
        Screen::Checklist,
    );
    let e = s.evaluation().unwrap().clone();
    // Down to the co-owners' consent, the last line.
    for _ in 0..e.documents.len() + e.consents.len() {
        s.update(key(KeyCode::Down));
    }
    s.update(key(KeyCode::Char(' ')));
    assert!(s.case.marks.is_empty(), "no tick that counts nowhere");
    assert_eq!(s.screen, Screen::Consent);
    assert_eq!(
        s.notice.as_ref().map(|n| n.key),
        Some("checklist.consent_on_f4")
    );
    let lines = crate::ui::consents::lines(&e, &s.case.consents);
    assert_eq!(lines[s.consents.selected].consent, "co_owner_consent");
    // Enter there opens that person's record.
    s.update(key(KeyCode::Enter));
    assert!(s.consents.editor.is_some());
}

#[test]
fn ctrl_p_on_the_consents_prints_the_forms_with_what_was_recorded() {
    let mut s = ready_to_submit(Lang::Ru);
    s.screen = Screen::Consent;
    s.case.set(F::DocumentLanguage, "kk");
    s.refresh();
    let ctrl_p = Msg::Key(KeyEvent::new(KeyCode::Char('p'), KeyModifiers::CONTROL));
    let commands = s.update(ctrl_p).commands;
    let [Command::PrintConsentForms(paper)] = commands.as_slice() else {
        panic!("{commands:?}");
    };
    let text = paper.to_text();
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
    let [Command::PrintConsentForms(paper)] = commands.as_slice() else {
        panic!("{commands:?}");
    };
    let text = paper.to_text();
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
