// These tests drive the state key by key; what each update asks for is checked where it
// matters, so an ignored `Outcome` is no dropped effect here.
#![allow(unused_must_use)]

use super::fields::FieldId as F;
use super::*;
use crate::i18n::Lang;
use crate::ui::fixtures::{new_state, test_day};
use crate::ui::{AppState, Msg, SessionInfo};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn state() -> AppState {
    new_state(
        Lang::Ru,
        SessionInfo {
            database: "db".into(),
            operator: None,
            training: false,
            rules: "r".into(),
        },
    )
}

fn press(s: &mut AppState, code: KeyCode) {
    s.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn type_in(s: &mut AppState, text: &str) {
    for c in text.chars() {
        press(s, KeyCode::Char(c));
    }
}

/// Fills fields directly, as a resumed draft would.
fn case_of(values: &[(F, &str)]) -> AppState {
    let mut s = state();
    let mut case = Case::default();
    for (id, v) in values {
        case.set(*id, *v);
    }
    s.load_case(case, None);
    s
}

fn shown(s: &AppState, id: F) -> bool {
    s.intake.visible(&s.case).contains(&id)
}

const ADULT: &[(F, &str)] = &[
    (F::Iin, "850714301234"),
    (F::Surname, "Серікова"),
    (F::GivenName, "Айгерім"),
    (F::BirthDate, "14.07.1985"),
    (F::Sex, "female"),
    (F::Status, "citizen"),
    (F::Capacity, "full"),
    (F::ActsThrough, "self"),
    (F::Service, "permanent"),
    (F::City, "almaty"),
];

fn with(extra: &[(F, &str)]) -> AppState {
    let mut all = ADULT.to_vec();
    for (id, v) in extra {
        all.retain(|(i, _)| i != id);
        all.push((*id, v));
    }
    case_of(&all)
}

#[test]
fn the_form_opens_on_the_iin_and_typing_fills_it() {
    let mut s = state();
    assert_eq!(s.intake.focus, F::Iin);
    type_in(&mut s, "850714301234");
    assert_eq!(s.case.get(F::Iin), "850714301234");
    press(&mut s, KeyCode::Tab);
    // A valid IIN proposes the birth date and sex it encodes.
    assert_eq!(s.case.get(F::BirthDate), "14.07.1985");
    assert_eq!(s.case.get(F::Sex), "male");
    assert_eq!(s.intake.focus, F::Surname);
}

#[test]
fn a_date_is_typed_as_digits_and_gets_its_dots() {
    let mut s = state();
    s.intake.focus_on(&s.case, F::BirthDate);
    type_in(&mut s, "1407.1985");
    assert_eq!(s.case.get(F::BirthDate), "14.07.1985");
    press(&mut s, KeyCode::Backspace);
    press(&mut s, KeyCode::Backspace);
    press(&mut s, KeyCode::Backspace);
    press(&mut s, KeyCode::Backspace);
    assert_eq!(
        s.case.get(F::BirthDate),
        "14.07",
        "the dot goes with its digit"
    );
}

#[test]
fn a_choice_is_picked_by_its_first_letter_in_cyrillic() {
    let mut s = state();
    s.intake.focus_on(&s.case, F::Status);
    // "беженец" in Russian.
    type_in(&mut s, "б");
    assert_eq!(s.case.get(F::Status), "refugee");
    s.lang = Lang::Kk;
    // "ҚР азаматы".
    type_in(&mut s, "қ");
    assert_eq!(s.case.get(F::Status), "citizen");
    press(&mut s, KeyCode::Right);
    assert_eq!(s.case.get(F::Status), "refugee");
}

#[test]
fn backspace_in_an_empty_field_goes_back_one_field() {
    let mut s = state();
    press(&mut s, KeyCode::Tab);
    assert_eq!(s.intake.focus, F::Surname);
    press(&mut s, KeyCode::Backspace);
    assert_eq!(s.intake.focus, F::Iin);
}

#[test]
fn problems_show_once_the_field_is_left_in_the_current_language() {
    let mut s = state();
    type_in(&mut s, "850714301235");
    assert!(
        s.intake.message(&s.case, F::Iin, test_day()).is_none(),
        "not while typing"
    );
    press(&mut s, KeyCode::Tab);
    let m = s.intake.message(&s.case, F::Iin, test_day()).unwrap();
    assert_eq!(m.key, "iin.error.control");
    assert_ne!(m.text(&Tr::new(Lang::Ru)), m.text(&Tr::new(Lang::En)));
    // The bad text is kept, not replaced, and gives no fact.
    assert_eq!(s.case.get(F::Iin), "850714301235");
}

#[test]
fn typing_past_the_limit_or_a_letter_in_digits_is_refused_with_a_message() {
    let mut s = state();
    type_in(&mut s, "8507143012341");
    assert_eq!(s.case.get(F::Iin), "850714301234");
    assert_eq!(
        s.intake.message(&s.case, F::Iin, test_day()).map(|m| m.key),
        Some("intake.error.too_long")
    );
    let mut s = state();
    type_in(&mut s, "85a");
    assert_eq!(s.case.get(F::Iin), "85");
    assert_eq!(
        s.intake.message(&s.case, F::Iin, test_day()).map(|m| m.key),
        Some("intake.error.digits")
    );
}

#[test]
fn a_pasted_text_becomes_one_line_and_odd_characters_are_reported() {
    let mut s = state();
    s.intake.focus_on(&s.case, F::Street);
    s.update(Msg::Paste("Абая\nпр.\u{202E}".into()));
    assert_eq!(s.case.get(F::Street), "Абая пр.\u{202E}");
    press(&mut s, KeyCode::Tab);
    assert_eq!(
        s.intake
            .message(&s.case, F::Street, test_day())
            .map(|m| m.key),
        Some("intake.error.control")
    );
}

// ---- which questions are asked, for cases of the rule set -------------------------------

#[test]
fn case_1_nothing_known_about_the_dwelling_asks_its_kind_first() {
    let s = with(&[]);
    assert!(shown(&s, F::DwellingKind));
    assert!(!shown(&s, F::UsefulArea), "no rule reads the area here");
    assert!(
        !shown(&s, F::RepresentativeIin),
        "the applicant applies in person"
    );
}

#[test]
fn case_2_a_private_dwelling_asks_title_and_relation() {
    let s = with(&[(F::DwellingKind, "private")]);
    assert!(shown(&s, F::HasTitleDocuments));
    assert!(shown(&s, F::ApplicantRelation));
}

#[test]
fn case_3_not_the_owner_asks_owners_and_their_capacity() {
    let s = with(&[
        (F::DwellingKind, "private"),
        (F::HasTitleDocuments, "yes"),
        (F::ApplicantRelation, "none"),
    ]);
    assert!(shown(&s, F::Owners));
    assert!(shown(&s, F::OwnerCapacity));
}

#[test]
fn case_4_the_sole_owner_is_not_asked_about_other_owners_capacity() {
    let s = with(&[
        (F::DwellingKind, "private"),
        (F::HasTitleDocuments, "yes"),
        (F::ApplicantRelation, "sole_owner"),
        (F::ArrivedFromAbroad, "no"),
    ]);
    assert!(!shown(&s, F::OwnerCapacity));
    assert!(!shown(&s, F::Owners));
}

#[test]
fn case_5_a_dormitory_asks_nothing_about_owners() {
    let s = with(&[
        (F::DwellingKind, "organization"),
        (F::ArrivedFromAbroad, "no"),
    ]);
    assert!(!shown(&s, F::ApplicantRelation));
    assert!(!shown(&s, F::HasTitleDocuments));
}

#[test]
fn case_6_arrival_from_abroad_asks_passport_and_deregistration() {
    let s = with(&[(F::ArrivedFromAbroad, "yes")]);
    assert!(shown(&s, F::HasPassport));
    assert!(shown(&s, F::HasDeregistration));
    let s = with(&[(F::ArrivedFromAbroad, "no")]);
    assert!(!shown(&s, F::HasPassport));
}

#[test]
fn case_7_temporary_registration_asks_the_period_and_the_stay() {
    let s = with(&[(F::Service, "temporary")]);
    assert!(shown(&s, F::PeriodMonths));
    assert!(shown(&s, F::StayDays));
    let s = with(&[]);
    assert!(!shown(&s, F::PeriodMonths));
}

#[test]
fn case_8_a_representative_is_asked_about_and_whether_they_own_it() {
    let s = with(&[
        (F::ActsThrough, "legal_representative"),
        (F::BirthDate, "01.01.2011"),
        (F::DwellingKind, "private"),
        (F::ApplicantRelation, "none"),
    ]);
    assert!(shown(&s, F::RepresentativeIin));
    assert!(shown(&s, F::AuthorityDocument));
    assert!(shown(&s, F::RepresentativeRelation));
}

#[test]
fn case_9_a_child_under_14_needs_no_dwelling_questions() {
    let s = with(&[
        (F::BirthDate, "01.01.2016"),
        (F::ActsThrough, "legal_representative"),
    ]);
    assert_eq!(s.evaluation().unwrap().decision, "not_required");
    assert!(!shown(&s, F::DwellingKind));
}

#[test]
fn case_10_a_short_stay_foreigner_is_sent_elsewhere_and_asked_nothing_more() {
    let s = with(&[(F::Status, "foreign_visitor")]);
    assert_eq!(s.evaluation().unwrap().decision, "other_service");
    assert!(!shown(&s, F::ApplicantRelation));
}

#[test]
fn case_11_state_rental_asks_the_relation_not_the_owners() {
    let s = with(&[
        (F::DwellingKind, "state_rental"),
        (F::ArrivedFromAbroad, "no"),
    ]);
    assert!(shown(&s, F::ApplicantRelation));
    assert!(!shown(&s, F::Owners));
}

#[test]
fn answered_questions_stay_and_the_count_of_questions_left_falls() {
    let mut s = with(&[(F::Street, "Абая"), (F::House, "10")]);
    let before = s.intake.questions_left(&s.case);
    s.intake.focus_on(&s.case, F::DwellingKind);
    type_in(&mut s, "ч"); // "частное жилище"
    assert_eq!(s.case.get(F::DwellingKind), "private");
    assert!(s.intake.questions_left(&s.case) > 0);
    assert_ne!(
        s.intake.questions_left(&s.case),
        before,
        "the form follows the rules"
    );
}

#[test]
fn contradicting_answers_are_shown_on_the_field() {
    let mut s = with(&[
        (F::DwellingKind, "private"),
        (F::ApplicantRelation, "co_owner"),
        (F::Owners, "1"),
    ]);
    s.intake.reveal_all(&s.case);
    let m = s
        .intake
        .message(&s.case, F::ApplicantRelation, test_day())
        .unwrap();
    assert_eq!(m.key, "rules.fact.co_owner_alone");
    assert!(s.evaluation().is_none());
}

#[test]
fn temporary_registration_takes_months_or_an_end_date_within_a_year() {
    let mut s = with(&[(F::Service, "temporary")]);
    s.intake.reveal_all(&s.case);
    assert_eq!(
        s.intake
            .message(&s.case, F::PeriodMonths, test_day())
            .map(|m| m.key),
        Some("intake.error.period_needed")
    );
    s.case.set(F::PeriodEnd, "21.12.2027");
    assert_eq!(
        s.intake
            .message(&s.case, F::PeriodEnd, test_day())
            .map(|m| m.key),
        Some("intake.error.period_end")
    );
    s.case.set(F::PeriodEnd, "21.05.2027");
    assert_eq!(s.intake.message(&s.case, F::PeriodEnd, test_day()), None);
    assert_eq!(s.intake.message(&s.case, F::PeriodMonths, test_day()), None);
}

// ---- the intake form on the whole desk ------------------------------------------------

mod desk {
    use crate::i18n::Lang;
    use crate::ui::drafts::DraftSummary;
    use crate::ui::fixtures::*;
    use crate::ui::intake::fields::FieldId as F;
    use crate::ui::{Command, Msg, Screen};
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    /// The intake form in every language at two sizes.
    #[test]
    fn the_intake_form_in_every_language_at_two_sizes() {
        snapshot_states!("intake");
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
            registered: Vec::new(),
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

    /// A person already registered: at the address of the case, nothing to do; elsewhere,
    /// the new permanent registration replaces the old one. Both said at intake.
    #[test]
    fn an_iin_already_registered_says_where() {
        let here = crate::case::submission::address_of(&crate::case::Case::with_values(&tenant()));
        let elsewhere = crate::records::SubmittedAddress {
            region: Some("astana".into()),
            street: Some("Кенесары".into()),
            house: Some("4".into()),
            ..Default::default()
        };
        for (address, key, shown) in [
            (
                here,
                "intake.registered_here",
                "Already registered at this address",
            ),
            (
                elsewhere,
                "intake.registered_elsewhere",
                "Registered at Astana, Кенесары St., house 4",
            ),
        ] {
            let mut s = desk(Lang::En, &tenant(), Screen::Intake);
            let known = crate::ui::IinKnown {
                iin: "850714412305".into(),
                registered: vec![("RD-2025-000042".into(), address)],
                ..Default::default()
            };
            s.update(Msg::IinKnown(Box::new(known)));
            assert_eq!(s.notice.as_ref().map(|n| n.key), Some(key));
            let text = crate::ui::fixtures::screen_text(&s, 120, 40);
            assert!(text.contains(shown), "{text}");
        }
    }

    /// A representative's IIN the database knows fills their name (what was typed stays).
    #[test]
    fn a_known_representatives_iin_fills_their_name() {
        let child = [
            (F::Iin, "110520600049"),
            (F::ActsThrough, "legal_representative"),
        ];
        let mut s = desk(Lang::En, &child, Screen::Intake);
        s.intake.focus_on(&s.case, F::RepresentativeIin);
        for c in "850714412305".chars() {
            s.update(Msg::Key(KeyEvent::new(
                KeyCode::Char(c),
                KeyModifiers::NONE,
            )));
        }
        let outcome = s.update(Msg::Key(KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE)));
        assert!(
            outcome
                .commands
                .contains(&Command::LookUpRepresentative("850714412305".into())),
            "{outcome:?}"
        );
        s.update(Msg::RepresentativeKnown {
            iin: "850714412305".into(),
            name: "Серікова Айгерім Бекқызы".into(),
        });
        assert_eq!(
            s.case.get(F::RepresentativeName),
            "Серікова Айгерім Бекқызы"
        );
        assert_eq!(
            s.notice.as_ref().map(|n| n.key),
            Some("intake.known_representative")
        );
        // A name typed meanwhile is never overwritten.
        s.case.set(F::RepresentativeName, "Typed");
        s.update(Msg::RepresentativeKnown {
            iin: "850714412305".into(),
            name: "Other".into(),
        });
        assert_eq!(s.case.get(F::RepresentativeName), "Typed");
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
}
