//! `regdesk demo generate --applicants N --out FILE`: a training database of fictional
//! people, written through the real schema and store, with progress on stderr.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Instant;

use super::{EXIT_BAD_INPUT, EXIT_FAILED};
use crate::cli::{Cli, DemoAction};
use crate::demo::{Generator, TEMPLATES};
use crate::i18n::{Tr, printable};
use crate::output::error_line;
use crate::rules::{EvalOptions, FactTable, evaluate, facts_json, loader};
use crate::store::{DatabaseKind, OpenOptions, Store};

/// People written per transaction.
const BATCH: usize = 20_000;

/// Demo operators (fictional), who make the status changes.
const OPERATORS: [(&str, &str); 6] = [
    ("demo.aigerim", "Серікова А."),
    ("demo.nurlan", "Жұмабаев Н."),
    ("demo.elena", "Петрова Е."),
    ("demo.marat", "Омаров М."),
    ("demo.gulnur", "Ахметова Г."),
    ("demo.sergey", "Ким С."),
];

pub fn demo(cli: &Cli, action: &DemoAction) -> ExitCode {
    let DemoAction::Generate {
        applicants,
        out,
        seed,
    } = action;
    let tr = Tr::new(cli.language());
    let shown = printable(&out.display().to_string());
    // Only a new file: generated people must never be mixed into an existing database.
    if std::fs::metadata(out).is_ok_and(|m| m.len() > 0) {
        error_line(&tr.f("demo.exists", &[("path", &shown)]));
        return ExitCode::from(EXIT_BAD_INPUT);
    }
    let started = Instant::now();
    // Written beside and put in place when complete (the bulk load runs without a journal
    // for speed): a run killed half-way leaves no half-written database under FILE.
    let partial = crate::store::side_path(out, ".partial");
    let _ = std::fs::remove_file(&partial);
    let options = OpenOptions {
        kind: DatabaseKind::Training,
        ..OpenOptions::default()
    };
    let mut store = match Store::open_with(&partial, &options) {
        Ok((store, _)) => store,
        Err(error) => {
            error_line(&error.translated(&tr));
            return ExitCode::from(EXIT_FAILED);
        }
    };
    let today = chrono::Local::now().date_naive();
    let generated = generate(&mut store, *applicants as usize, *seed, today, &tr);
    // Closed first: the last connection folds its WAL into the file.
    drop(store);
    if let Err(error) = generated {
        let _ = std::fs::remove_file(&partial);
        error_line(&error.translated(&tr));
        return ExitCode::from(EXIT_FAILED);
    }
    if let Err(e) = crate::files::publish(&partial, out) {
        let _ = std::fs::remove_file(&partial);
        let message = if e.kind() == std::io::ErrorKind::AlreadyExists {
            tr.f("demo.exists", &[("path", &shown)])
        } else {
            tr.f(
                "print.cannot_write",
                &[("path", &shown), ("detail", &e.to_string())],
            )
        };
        error_line(&message);
        return ExitCode::from(EXIT_FAILED);
    }
    let seconds = format!("{:.1}", started.elapsed().as_secs_f64());
    error_line(&tr.f(
        "demo.done",
        &[
            ("count", &applicants.to_string()),
            ("path", &shown),
            ("seconds", &seconds),
        ],
    ));
    ExitCode::SUCCESS
}

/// The decision record of each case template: its facts and the real rules' evaluation.
/// The facts name no age (each applicant's IIN gives theirs); the template is evaluated at
/// the youngest age it is for, and a test checks it decides the same at the oldest.
pub fn template_records(today: chrono::NaiveDate) -> Vec<String> {
    let Ok(loaded) = loader::parse(&loader::embedded()) else {
        return Vec::new();
    };
    TEMPLATES
        .iter()
        .map(|template| {
            let evaluation = facts_json::parse(template.facts)
                .ok()
                .and_then(|mut f| {
                    f.applicant.age = Some(template.ages.0);
                    FactTable::build(&f, today).ok()
                })
                .and_then(|table| {
                    evaluate(&loaded.set, &table, today, EvalOptions::default()).ok()
                });
            let facts: serde_json::Value = serde_json::from_str(template.facts).unwrap_or_default();
            let evaluation = serde_json::to_value(evaluation).unwrap_or_default();
            serde_json::json!({ "facts": facts, "evaluation": compact(&evaluation) }).to_string()
        })
        .collect()
}

/// What the record view shows of an evaluation, and no more: a million full evaluations
/// (3 to 4 KB each) would make the demo file seven times larger than the people in it.
fn compact(evaluation: &serde_json::Value) -> serde_json::Value {
    let keep = |value: &serde_json::Value, keys: &[&str]| -> serde_json::Value {
        let mut out = serde_json::Map::new();
        for key in keys {
            if let Some(v) = value.get(*key) {
                out.insert((*key).to_owned(), v.clone());
            }
        }
        serde_json::Value::Object(out)
    };
    let list = |name: &str, keys: &[&str]| -> serde_json::Value {
        evaluation
            .get(name)
            .and_then(|v| v.as_array())
            .map(|items| items.iter().map(|i| keep(i, keys)).collect())
            .unwrap_or_default()
    };
    let mut out = keep(
        evaluation,
        &["date", "ruleset", "decision", "registration", "channel"],
    );
    if let Some(map) = out.as_object_mut() {
        map.insert(
            "documents".into(),
            list("documents", &["id", "one_of", "party"]),
        );
        map.insert(
            "consents".into(),
            list("consents", &["id", "from", "count"]),
        );
        map.insert("fired".into(), list("fired", &["rule"]));
    }
    out
}

/// Generates `count` people into `store`, a batch per transaction, saying how far it is.
pub fn generate(
    store: &mut Store,
    count: usize,
    seed: u64,
    today: chrono::NaiveDate,
    tr: &Tr,
) -> Result<(), crate::store::StoreError> {
    let mut state = store.begin_demo(&OPERATORS)?;
    state.records = template_records(today);
    let terminal = std::io::stderr().is_terminal();
    // People are made on a second thread while this one writes the batch before: the two
    // cores of a field laptop each do half the work.
    let (batches, inbox) = std::sync::mpsc::sync_channel::<Vec<_>>(2);
    let maker = std::thread::spawn(move || {
        let mut generator = Generator::new(seed, today);
        let mut made = 0;
        while made < count {
            let size = BATCH.min(count - made);
            let batch: Vec<_> = (0..size).map(|_| generator.applicant()).collect();
            made += size;
            if batches.send(batch).is_err() {
                return;
            }
        }
    });
    let mut written = 0;
    for batch in inbox {
        store.write_demo(&mut state, &batch)?;
        written += batch.len();
        let percent = written * 100 / count;
        let line = tr.f(
            "demo.progress",
            &[
                ("done", &written.to_string()),
                ("count", &count.to_string()),
                ("percent", &percent.to_string()),
            ],
        );
        if terminal {
            eprint!("\r{line}   ");
        } else if written == count || (written / BATCH).is_multiple_of(10) {
            error_line(&line);
        }
    }
    let _ = maker.join();
    if terminal {
        eprintln!();
    }
    store.finish_demo(&state)
}
