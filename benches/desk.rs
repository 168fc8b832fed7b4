//! The desk's cost per keystroke and per draft save. Run with `cargo bench --bench desk`.
//!
//! - keystroke: one key into the intake form (a letter typed into the street field, or a
//!   choice changed, which re-evaluates the rules for the case) plus drawing the full intake
//!   screen at 120x40 into a test backend: median and p99;
//! - draft save: one draft of a filled case written to a real SQLite file (WAL,
//!   synchronous = FULL), as the desk does a second after the last keystroke;
//! - submit: one application (applicant, number, decision record, history, documents,
//!   consents, audit, draft closed) in one transaction on the same file, growing;
//! - receipt: the application read back by its number and rendered as the receipt text, and
//!   that text made into a PDF.

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use regdesk::i18n::Lang;
use regdesk::rules::loader;
use regdesk::store::Store;
use regdesk::ui::intake::Case;
use regdesk::ui::intake::fields::FieldId as F;
use regdesk::ui::{AppState, Msg, SessionInfo, view};

fn report(what: &str, samples: &mut [Duration]) {
    samples.sort();
    let at = |p: f64| samples[((samples.len() - 1) as f64 * p).round() as usize];
    println!(
        "{:<46} n={:<6} median {:>8.1?}  p99 {:>8.1?}  max {:>8.1?}",
        what,
        samples.len(),
        at(0.5),
        at(0.99),
        samples[samples.len() - 1]
    );
}

/// The fictional tenant of the tests, with a second owner: co-owner consent too.
fn filled_case() -> Case {
    let mut case = Case::with_values(regdesk::ui::intake::case::FICTIONAL_TENANT);
    case.set(F::Owners, "2");
    case
}

fn press(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn main() {
    let rules = Arc::new(loader::parse(&loader::embedded()).expect("rules").set);
    let session = SessionInfo {
        database: "~/.local/share/regdesk/regdesk.sqlite".into(),
        operator: None,
        training: false,
        rules: format!("{} {}", rules.id, rules.version),
    };
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
    let mut state = AppState::new(Lang::Ru, session, rules, today);
    state.load_case(filled_case(), None);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();

    // Typing into a text field: each letter changes the case, so the rules run again.
    state.intake.focus_on(&state.case, F::Street);
    let mut typing: Vec<Duration> = (0..5_000)
        .map(|i| {
            // Type and erase in turn, so the street stays a realistic length.
            let key = if i % 2 == 1 {
                KeyCode::Backspace
            } else {
                KeyCode::Char('а')
            };
            let start = Instant::now();
            let _ = black_box(state.update(press(key)));
            terminal.draw(|frame| view(&state, frame)).unwrap();
            start.elapsed()
        })
        .collect();
    report("keystroke: letter + rules + draw 120x40", &mut typing);

    // Changing a choice: the questions shown change with it.
    state.intake.focus_on(&state.case, F::ApplicantRelation);
    let mut choosing: Vec<Duration> = (0..5_000)
        .map(|_| {
            let start = Instant::now();
            let _ = black_box(state.update(press(KeyCode::Right)));
            terminal.draw(|frame| view(&state, frame)).unwrap();
            start.elapsed()
        })
        .collect();
    report("keystroke: choice + rules + draw 120x40", &mut choosing);

    // On the disk the desk uses (beside the build), not a RAM-backed temporary folder whose
    // fsync costs nothing.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join(format!("bench-desk-{}", std::process::id()));
    // Opened as the desk opens it: the WAL folded in by a checkpointer thread, not by commits.
    let options = regdesk::store::OpenOptions {
        checkpoint_in_background: true,
        ..Default::default()
    };
    let (mut store, _) = Store::open_with(&dir.join("regdesk.sqlite"), &options).expect("database");
    let checkpointer = regdesk::checkpointer::Checkpointer::spawn(
        store.open_checkpointer().expect("checkpointer"),
    );
    let mut id = None;
    let mut saves: Vec<Duration> = (0..500)
        .map(|i| {
            // A new keystroke each time: a save that changes nothing would write nothing.
            let mut case = filled_case();
            case.set(F::Apartment, i.to_string());
            let data = serde_json::to_string(&case.to_map()).unwrap();
            let start = Instant::now();
            id = Some(store.save_draft(id, "intake", &data, None).expect("save"));
            let took = start.elapsed();
            checkpointer.wrote();
            took
        })
        .collect();
    report("draft save (one transaction, FULL sync)", &mut saves);

    // Submitting a complete case: every document presented, every consent given.
    let evaluation = state.evaluation().expect("the case evaluates").clone();
    let mut case = filled_case();
    for d in &evaluation.documents {
        case.marks.insert(
            d.id.clone(),
            regdesk::case::marks::Mark::simple(regdesk::case::marks::MarkState::Presented),
        );
    }
    for r in regdesk::ui::consents::required(&evaluation) {
        case.consents.insert(
            r.key.clone(),
            regdesk::ui::consents::ConsentRecord {
                party: r.party.clone(),
                state: "given".into(),
                surname: "Ахметова".into(),
                given_name: "Гүлнұр".into(),
                form: "in_person".into(),
                date: "21.11.2026".into(),
                ..Default::default()
            },
        );
    }
    let data = serde_json::to_string(&case.to_map()).unwrap();
    let mut numbers = Vec::new();
    let mut submits: Vec<Duration> = (0..500)
        .map(|_| {
            let draft = store
                .save_draft(None, "intake", &data, None)
                .expect("draft");
            let submission = regdesk::ui::submit::submission(&case, &evaluation, draft);
            let start = Instant::now();
            let done = store.submit(&submission).expect("submit");
            let took = start.elapsed();
            checkpointer.wrote();
            numbers.push(done.number);
            took
        })
        .collect();
    report("submit (one transaction, FULL sync)", &mut submits);

    let printing = regdesk::print::receipt::Printing {
        operator: None,
        training: false,
    };
    let tr = regdesk::i18n::Tr::new(Lang::Kk);
    let mut receipts: Vec<Duration> = numbers
        .iter()
        .map(|number| {
            let start = Instant::now();
            let application = store.application(number).expect("read").expect("found");
            black_box(
                regdesk::print::receipt::render(&application, &state.rules, None, &printing, &tr)
                    .to_text(),
            );
            start.elapsed()
        })
        .collect();
    report("receipt: read back + render text", &mut receipts);

    let receipt = regdesk::print::receipt::render(
        &store
            .application(&numbers[0])
            .expect("read")
            .expect("found"),
        &state.rules,
        None,
        &printing,
        &tr,
    );
    let mut pdfs: Vec<Duration> = (0..200)
        .map(|_| {
            let start = Instant::now();
            black_box(regdesk::print::pdf::render(
                &receipt,
                None,
                Some("RD-2026-000123 · {n}/{of}"),
            ));
            start.elapsed()
        })
        .collect();
    report("receipt: PDF (A4, font subset embedded)", &mut pdfs);
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);
}
