//! What the screen tests share: the state on the shipped rules and a fixed day, keys, the
//! desk at each of its screens with a fictional tenant's case, and drawing to a test backend.

// The fixtures drive the state key by key to build the states the tests look at; what an
// update asks for is the tests' to check, so an ignored `Outcome` is no dropped effect here.
#![allow(unused_must_use)]

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::i18n::Lang;
use crate::ui::drafts::DraftSummary;
use crate::ui::intake::Case;
use crate::ui::intake::fields::FieldId as F;
use crate::ui::{AppState, Msg, Screen, SessionInfo, view};

pub(crate) fn session(training: bool) -> SessionInfo {
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

pub(crate) fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// Ctrl+S: saves the open form from any field.
pub(crate) fn save_key() -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL))
}

pub(crate) fn render(state: &AppState, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| view(state, frame)).unwrap();
    terminal
}

pub(crate) fn screen_text(state: &AppState, width: u16, height: u16) -> String {
    render(state, width, height).backend().to_string()
}

pub(crate) fn tenant() -> Vec<(F, &'static str)> {
    crate::ui::intake::case::FICTIONAL_TENANT.to_vec()
}

pub(crate) fn desk(lang: Lang, values: &[(F, &str)], screen: Screen) -> AppState {
    let mut s = state(lang);
    s.load_case(Case::with_values(values), Some(1));
    s.screen = screen;
    s
}

pub(crate) fn changed(
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

pub(crate) fn states(lang: Lang) -> Vec<(&'static str, AppState)> {
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
            name: "Серікова Айгерім Бекқызы".into(),
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

pub(crate) fn type_text(s: &mut AppState, text: &str) {
    for c in text.chars() {
        s.update(key(KeyCode::Char(c)));
    }
}

/// The owner's consent open in its editor, half typed.
pub(crate) fn consent_editor(lang: Lang) -> AppState {
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
pub(crate) fn consents_recorded(lang: Lang) -> AppState {
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

/// The tenant case with every required document presented and every consent given.
pub(crate) fn ready_to_submit(lang: Lang) -> AppState {
    let mut s = desk(lang, &tenant(), Screen::Checklist);
    let e = s.evaluation().unwrap().clone();
    for d in e.documents.iter().filter(|d| !d.optional) {
        s.case.marks.insert(
            d.id.clone(),
            crate::ui::checklist::marks::Mark {
                state: crate::ui::checklist::marks::MarkState::Presented,
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

pub(crate) fn signed_in(id: i64, login: &str, role: crate::core::Role) -> Msg {
    Msg::SignedIn(Box::new(crate::records::Operator {
        id,
        login: login.into(),
        display_name: "Петрова Е.".into(),
        role,
        active: true,
    }))
}

/// Snapshots of the desk states whose name starts with `$prefix`, in every language at two
/// sizes. A macro, so that the snapshots are named after (and kept beside) the screen's own
/// tests that call it.
macro_rules! snapshot_states {
    ($prefix:expr) => {
        for lang in $crate::i18n::Lang::ALL {
            for (name, s) in $crate::ui::fixtures::states(lang)
                .into_iter()
                .filter(|(n, _)| n.starts_with($prefix))
            {
                for (w, h) in [(30, 10), (80, 24), (120, 40)] {
                    insta::assert_snapshot!(
                        format!("desk_{name}_{}_{w}x{h}", lang.code()),
                        $crate::ui::fixtures::render(&s, w, h).backend()
                    );
                }
            }
        }
    };
}
pub(crate) use snapshot_states;
