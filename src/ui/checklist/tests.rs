// These tests drive the state key by key; what each update asks for is checked where it
// matters, so an ignored `Outcome` is no dropped effect here.
#![allow(unused_must_use)]

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::i18n::Lang;
use crate::ui::fixtures::*;
use crate::ui::intake::fields::FieldId as F;
use crate::ui::{Command, Msg, Screen};

/// The checklist in every language at two sizes.
#[test]
fn the_checklist_in_every_language_at_two_sizes() {
    snapshot_states!("checklist");
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
    let [Command::PrintSheet(paper)] = commands.as_slice() else {
        panic!("{commands:?}");
    };
    let text = paper.to_text();
    assert!(
        text.contains("\nӨЗІҢІЗБЕН НЕ АЛУ КЕРЕК: ТҰРҒЫЛЫҚТЫ ЖЕРІ БОЙЫНША ТІРКЕУ\n"),
        "{text}"
    );
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

/// A case at every stage of its intake (each prefix of the fictional tenant, with several
/// variations): the title's count of questions left and the checklist's pending lines are the
/// same questions, and each pending line takes the operator to a field on the form.
#[test]
fn pending_lines_are_the_questions_counted_and_each_jumps_to_a_shown_field() {
    let variations: Vec<Vec<(F, &str)>> = vec![
        tenant(),
        changed(tenant(), &[(F::HasTitleDocuments, "no")]),
        changed(tenant(), &[(F::Service, "temporary")]),
        changed(
            tenant(),
            &[(F::ApplicantRelation, "co_owner"), (F::Owners, "3")],
        ),
        changed(tenant(), &[(F::Status, "foreign_resident")]),
        changed(tenant(), &[(F::ActsThrough, "legal_representative")]),
        changed(
            tenant(),
            &[(F::City, "astana"), (F::DwellingKind, "organization")],
        ),
    ];
    // Each variation's prefixes, and each with one answer left out.
    let mut cases: Vec<Vec<(F, &str)>> = Vec::new();
    for values in &variations {
        for n in 0..=values.len() {
            cases.push(values[..n].to_vec());
            let mut without = values.clone();
            without.remove(n.min(values.len() - 1));
            cases.push(without);
        }
    }
    for values in &cases {
        {
            let mut s = desk(Lang::Ru, values, Screen::Checklist);
            let Some(e) = s.evaluation().cloned() else {
                continue;
            };
            let left = s.intake.questions_left(&s.case);
            if left == 0 {
                assert!(
                    e.pending.is_empty(),
                    "no question left, yet pending {:?} after {:?}",
                    e.pending,
                    values
                );
            }
            let first_pending = e.documents.len() + e.consents.len();
            for i in 0..e.pending.len() {
                s.screen = Screen::Checklist;
                s.checklist.selected = first_pending + i;
                s.update(key(KeyCode::Enter));
                assert_eq!(s.screen, Screen::Intake, "{:?}", e.pending[i]);
                assert!(
                    s.intake.shown(&s.case, s.intake.focus),
                    "{:?} jumped to the hidden {:?} after {:?}",
                    e.pending[i],
                    s.intake.focus,
                    values
                );
            }
        }
    }
}
