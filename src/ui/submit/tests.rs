// These tests drive the state key by key; what each update asks for is checked where it
// matters, so an ignored `Outcome` is no dropped effect here.
#![allow(unused_must_use)]

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::i18n::Lang;
use crate::ui::fixtures::*;
use crate::ui::intake::fields::FieldId as F;
use crate::ui::{Command, Msg, Screen};

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
        if lang == Lang::Kk {
            insta::assert_snapshot!("desk_submit_gate_kk_30x10", screen_text(&gate, 30, 10));
            insta::assert_snapshot!("desk_submitted_kk_30x10", screen_text(&done, 30, 10));
        }
        for s in [&gate, &done] {
            for (w, h) in (0..=30u16).flat_map(|w| (0..=10u16).map(move |h| (w, h))) {
                render(s, w, h);
            }
        }
    }
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
        matches!(commands.as_slice(), [Command::PrintConsentForms(paper)] if paper.to_text().contains("Серікова")),
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

/// The mother's 8-year-old son, represented by her.
fn son_of_8() -> Vec<(F, &'static str)> {
    changed(
        tenant(),
        &[
            (F::Iin, "160301500010"),
            (F::GivenName, "Әли"),
            (F::Patronymic, ""),
            (F::BirthDate, "01.03.2016"),
            (F::Sex, "male"),
            (F::ActsThrough, "legal_representative"),
            (F::RepresentativeIin, "850714412305"),
            (F::RepresentativeName, "Серікова Айгерім Бекқызы"),
            (
                F::AuthorityDocument,
                "свидетельство о рождении II-АЛ 0123456",
            ),
        ],
    )
}

/// The mother's 8-year-old son: the rules say no registration of his own is needed. F8 closes
/// the case (no application number), and the family's note names the child, the mother who
/// applied, the address in words and the legal basis.
#[test]
fn a_child_under_14_is_closed_as_not_required_with_a_named_note() {
    let mut s = desk(Lang::Ru, &son_of_8(), Screen::Intake);
    assert!(s.not_required());
    assert_eq!(
        s.notice.as_ref().map(|n| n.key),
        Some("intake.not_required_child"),
        "said at once"
    );
    let outcome = s.update(key(KeyCode::F(8)));
    let [Command::CloseCase(closing)] = outcome.commands.as_slice() else {
        panic!("F8 closes the case: {outcome:?}");
    };
    assert_eq!(closing.closed_as, "not_required");
    assert_eq!(closing.reasons, ["under_14"]);
    assert_eq!(closing.iin.as_deref(), Some("160301500010"));
    assert!(s.gate().is_none(), "no gate: nothing is missing");
    s.update(Msg::CaseClosed {
        id: 5,
        already: false,
    });
    assert_eq!(s.closed(), Some(5));
    let screen = screen_text(&s, 80, 24);
    assert!(screen.contains("Регистрация не требуется"), "{screen}");
    assert!(!screen.contains("RD-"), "no number: {screen}");
    assert!(
        screen.contains("Ctrl+P Справка"),
        "the key bar says what Ctrl+P does: {screen}"
    );
    assert!(
        !screen.contains("Ctrl+F"),
        "no consent forms for a closed case: {screen}"
    );
    insta::assert_snapshot!("closed_ru_80x24", screen);
    s.lang = Lang::Kk;
    insta::assert_snapshot!("closed_kk_80x24", screen_text(&s, 80, 24));
    insta::assert_snapshot!("closed_kk_30x10", screen_text(&s, 30, 10));
    s.lang = Lang::Ru;
    let ctrl_p = Msg::Key(KeyEvent::new(KeyCode::Char('p'), KeyModifiers::CONTROL));
    let outcome = s.update(ctrl_p);
    let [Command::PrintNote { id: 5, paper }] = outcome.commands.as_slice() else {
        panic!("Ctrl+P prints the note: {outcome:?}");
    };
    let text = paper.to_text();
    for expected in [
        "СПРАВКА: РЕГИСТРАЦИЯ НЕ ТРЕБУЕТСЯ",
        "Лицо: Серікова Әли, ИИН 160301500010, дата рождения 01.03.2016",
        "Родитель или законный представитель: Серікова Айгерім Бекқызы, ИИН 850714412305",
        "Адрес: г. Алматы, Алатауский р-н, мкр. Шанырак-2, ул. Жанкожа батыра, д. 12",
        "Дети до 14 лет не регистрируются отдельно",
        "Основание:",
    ] {
        assert!(text.contains(expected), "{expected:?} in\n{text}");
    }
    insta::assert_snapshot!("note_not_required_ru", text);
    // Enter: the next person, on an empty case.
    s.update(key(KeyCode::Enter));
    assert!(s.overlay.is_none());
    assert!(s.case.is_empty());
}

/// Not required, but the child's name is still missing: the gate lists the field, not "see
/// the decision".
#[test]
fn a_case_not_required_still_needs_who_it_is_about() {
    let son = changed(
        tenant(),
        &[
            (F::Iin, "160301500010"),
            (F::GivenName, ""),
            (F::BirthDate, "01.03.2016"),
            (F::Sex, "male"),
        ],
    );
    let mut s = desk(Lang::En, &son, Screen::Intake);
    assert!(s.update(key(KeyCode::F(8))).commands.is_empty());
    let gaps = s.gate().cloned().unwrap().gaps;
    assert!(
        !gaps.contains(&crate::ui::submit::Gap::Decision),
        "{gaps:?}"
    );
    let screen = screen_text(&s, 100, 30);
    assert!(
        screen.contains("Closing the case: registration is not required"),
        "the gate says what F8 will do: {screen}"
    );
    assert!(
        gaps.contains(&crate::ui::submit::Gap::Field(F::GivenName, None)),
        "{gaps:?}"
    );
}

/// A child under 14 with the registration type and the dwelling left unanswered: neither is
/// a question (not counted, not in the gate), F8 closes the case at once.
#[test]
fn a_case_not_required_is_never_asked_the_registration_type_or_the_dwelling() {
    let son: Vec<(F, &str)> = son_of_8()
        .into_iter()
        .filter(|(id, _)| {
            !matches!(
                crate::ui::intake::fields::def(*id).section,
                crate::ui::intake::fields::Section::Registration
                    | crate::ui::intake::fields::Section::Dwelling
            )
        })
        .collect();
    let mut s = desk(Lang::Ru, &son, Screen::Intake);
    assert!(s.not_required());
    let open: Vec<_> = s
        .intake
        .visible(&s.case)
        .into_iter()
        .filter(|id| !s.case.has(*id))
        .collect();
    assert_eq!(
        s.intake.questions_left(&s.case),
        0,
        "{open:?} asked {:?}",
        s.intake.asked
    );
    let outcome = s.update(key(KeyCode::F(8)));
    assert!(
        matches!(outcome.commands.as_slice(), [Command::CloseCase(_)]),
        "F8 closes at once: {outcome:?} {:?}",
        s.gate()
    );
}
