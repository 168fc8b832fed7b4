//! Lookup at a center's scale. Run with `cargo bench --bench lookup`.
//!
//! On a database of `REGDESK_BENCH_APPLICANTS` (default 1,000,000) fictional applicants made
//! by the demo generator (`regdesk demo generate`; kept in `target/` and reused), over 1,000
//! random queries each, p50 and p99 of:
//! - lookup by IIN, by application number, by 2- and 3-letter surname prefix and by a
//!   full-name prefix (the first screenful, 60 rows, in alphabetical order), each beside the
//!   same query run straight through rusqlite on the same file (the floor) and the ratio;
//! - a keystroke of as-you-type search: the key, the query, and the 120x40 screen drawn;
//! - opening a record with its timeline (read and laid out);
//! - a status change (synchronous = FULL) beside a bare two-row transaction, both with the
//!   WAL checkpointed on the desk's checkpointer thread, as the desk runs;
//! - the desk opening on the file: proving it, expiry, drafts, rules, first frame.
//!
//! All of it twice: on the plain file, then on an encrypted copy of it (SQLCipher, as a real
//! desk's file), to show what encryption costs; `REGDESK_BENCH_FILE=plain|encrypted` runs one.

use std::hint::black_box;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use regdesk::core::collation::sort_key;
use regdesk::core::key_wrap::DbKey;
use regdesk::core::{ApplicationStatus, LookupQuery};
use regdesk::demo::Rng;
use regdesk::i18n::{Lang, Tr};
use regdesk::rules::loader;
use regdesk::store::{DatabaseKind, LookupFilter, OpenOptions, StatusRequest, Store};
use regdesk::ui::lookup::{Found, PAGE};
use regdesk::ui::{AppState, Command, Msg, Screen, SessionInfo, view};
use rusqlite::{Connection, OpenFlags, params};

const QUERIES: usize = 1_000;

struct Line {
    what: String,
    p50: Duration,
    p99: Duration,
}

fn percentiles(samples: &mut [Duration]) -> (Duration, Duration) {
    samples.sort();
    let at = |p: f64| samples[((samples.len() - 1) as f64 * p).round() as usize];
    (at(0.5), at(0.99))
}

fn measure(what: &str, n: usize, mut run: impl FnMut(usize)) -> Line {
    let mut samples = Vec::with_capacity(n);
    for i in 0..n {
        let started = Instant::now();
        run(i);
        samples.push(started.elapsed());
    }
    let (p50, p99) = percentiles(&mut samples);
    Line {
        what: what.into(),
        p50,
        p99,
    }
}

/// Ours and the floor, interleaved (their order alternating) so that both run under the same
/// conditions, on different samples of the same kind: on the same key the second of the two
/// would find the pages the first had just read from the disk.
fn measure_pair(
    what: &str,
    n: usize,
    mut ours: impl FnMut(usize),
    mut floor: impl FnMut(usize),
) -> (Line, Line) {
    let (mut a, mut b) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for i in 0..n {
        let time = |run: &mut dyn FnMut(usize), into: &mut Vec<Duration>| {
            let started = Instant::now();
            run(i);
            into.push(started.elapsed());
        };
        if i % 2 == 0 {
            time(&mut ours, &mut a);
            time(&mut floor, &mut b);
        } else {
            time(&mut floor, &mut b);
            time(&mut ours, &mut a);
        }
    }
    let (p50, p99) = percentiles(&mut a);
    let (f50, f99) = percentiles(&mut b);
    (
        Line {
            what: what.into(),
            p50,
            p99,
        },
        Line {
            what: String::new(),
            p50: f50,
            p99: f99,
        },
    )
}

fn print_pair(ours: &Line, floor: Option<&Line>) {
    match floor {
        Some(f) => println!(
            "{:<34} p50 {:>9.1?} p99 {:>9.1?} | floor p50 {:>9.1?} p99 {:>9.1?} | ratio p99 {:>4.2}",
            ours.what,
            ours.p50,
            ours.p99,
            f.p50,
            f.p99,
            ours.p99.as_secs_f64() / f.p99.as_secs_f64().max(1e-9)
        ),
        None => println!(
            "{:<34} p50 {:>9.1?} p99 {:>9.1?}",
            ours.what, ours.p50, ours.p99
        ),
    }
}

fn database(applicants: usize) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join(format!("bench-lookup-{applicants}.sqlite"));
    if path.is_file() {
        return path;
    }
    eprintln!(
        "generating {applicants} applicants into {} (once) ...",
        path.display()
    );
    let started = Instant::now();
    let (mut store, _) = Store::open_with(
        &path,
        &OpenOptions {
            kind: DatabaseKind::Training,
            ..OpenOptions::default()
        },
    )
    .expect("new bench database");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    regdesk::commands::generate_demo(&mut store, applicants, 2026, today, &Tr::new(Lang::En))
        .expect("generated");
    eprintln!("generated in {:.1} s", started.elapsed().as_secs_f64());
    path
}

/// Random people of the file: (IIN, application number, surname, given name).
/// A sampled person: (IIN, application number, surname, given name).
type Person = (String, String, String, String);

fn sample(raw: &Connection, n: usize, rng: &mut Rng) -> Vec<Person> {
    let max: i64 = raw
        .query_row("SELECT max(id) FROM applications", [], |r| r.get(0))
        .unwrap();
    let mut stmt = raw
        .prepare(
            "SELECT p.iin, a.number, p.surname, p.given_name FROM applications a
             JOIN applicants p ON p.id = a.applicant_id WHERE a.id = ?1",
        )
        .unwrap();
    (0..n)
        .map(|_| {
            let id = 1 + rng.below(max as usize) as i64;
            stmt.query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
                .unwrap()
        })
        .collect()
}

/// The first page's cursor condition, as the store writes it (the empty cursor: always true).
const AFTER: &str =
    "AND (+p.sort_key > '' OR (+p.sort_key = '' AND (p.id > 0 OR (p.id = 0 AND a.id > 0))))";

const FLOOR_COLUMNS: &str = "a.number, p.surname, p.given_name, p.patronymic, p.iin, a.status,
    a.created_at, p.sort_key, p.id, a.id";

fn floor_rows(stmt: &mut rusqlite::CachedStatement<'_>, args: &[&dyn rusqlite::ToSql]) -> usize {
    let mut rows = stmt.query(args).unwrap();
    let mut n = 0;
    // Every column read, as the store reads it into its rows.
    while let Some(row) = rows.next().unwrap() {
        for i in [0, 1, 2, 4, 5, 6, 7] {
            black_box(row.get::<_, String>(i).unwrap());
        }
        black_box(row.get::<_, Option<String>>(3).unwrap());
        black_box(row.get::<_, i64>(8).unwrap() + row.get::<_, i64>(9).unwrap());
        n += 1;
    }
    n
}

/// The password of the encrypted copy's one key slot.
const BENCH_PASSWORD: &str = "bench: not a real password 1";

/// The same applicants in an encrypted file (SQLCipher, as a real desk's), made once from the
/// plain one by `Store::encrypt_in_place` and kept beside it; and its key.
fn encrypted_copy(plain: &std::path::Path) -> (PathBuf, DbKey) {
    let path = plain.with_extension("encrypted.sqlite");
    let slot = regdesk::store::operator_slot("bench");
    if path.is_file() && regdesk::store::is_encrypted_file(&path) {
        let mut ring = regdesk::store::Keyring::open(&path).unwrap();
        match ring
            .unlock(&slot, BENCH_PASSWORD, chrono::Utc::now())
            .unwrap()
        {
            regdesk::store::Unlock::Key(key) => return (path, key),
            other => panic!("{other:?}"),
        }
    }
    eprintln!("encrypting a copy into {} (once) ...", path.display());
    let started = Instant::now();
    let _ = std::fs::remove_file(&path);
    std::fs::copy(plain, &path).unwrap();
    let options = OpenOptions {
        kind: DatabaseKind::Training,
        ..OpenOptions::default()
    };
    let (store, _) = Store::open_with(&path, &options).unwrap();
    let (store, _) = store
        .encrypt_in_place(&[(slot, BENCH_PASSWORD)], None)
        .unwrap();
    eprintln!("encrypted in {:.1} s", started.elapsed().as_secs_f64());
    (path, store.key().cloned().unwrap())
}

/// A connection of its own to the bench file, keyed when it is encrypted.
fn connect(path: &std::path::Path, flags: OpenFlags, key: Option<&DbKey>) -> Connection {
    let conn = Connection::open_with_flags(path, flags).unwrap();
    if let Some(key) = key {
        conn.execute_batch(&format!("PRAGMA key = \"{}\";", key.pragma_value()))
            .unwrap();
    }
    conn
}

fn main() {
    let applicants: usize = std::env::var("REGDESK_BENCH_APPLICANTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let plain = database(applicants);
    // Both by default: what encryption costs is the difference.
    let which = std::env::var("REGDESK_BENCH_FILE").unwrap_or_else(|_| "both".into());
    if which != "encrypted" {
        run(applicants, &plain, None);
    }
    if which != "plain" {
        let (path, key) = encrypted_copy(&plain);
        run(applicants, &path, Some(key));
    }
}

fn run(applicants: usize, path: &std::path::Path, key: Option<DbKey>) {
    let path = path.to_path_buf();
    let cipher = if key.is_some() {
        "encrypted (SQLCipher 4, AES-256)"
    } else {
        "plain"
    };
    // As the desk opens it: checkpoints on a thread of their own, not in the commits.
    let options = OpenOptions {
        kind: DatabaseKind::Training,
        checkpoint_in_background: true,
        key: key.clone(),
        ..OpenOptions::default()
    };
    let (mut store, _) = Store::open_with(&path, &options).expect("bench database");
    let checkpointer =
        regdesk::checkpointer::Checkpointer::spawn(store.open_checkpointer().unwrap());
    let raw = connect(&path, OpenFlags::SQLITE_OPEN_READ_WRITE, key.as_ref());
    raw.pragma_update(None, "synchronous", "FULL").unwrap();
    // The bare transaction does not checkpoint either (the desk's checkpointer does it for both).
    raw.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
    let mut rng = Rng::new(99);
    // Sampled on a connection of its own: the floor's page cache must not start out holding
    // the very rows it is then asked for.
    let people = {
        let sampler = connect(&path, OpenFlags::SQLITE_OPEN_READ_ONLY, key.as_ref());
        sample(&sampler, 2 * QUERIES, &mut rng)
    };
    // The floor's inputs: other people of the same sample.
    let others = &people[QUERIES..];
    println!(
        "lookup bench: {applicants} applicants, {} MB, {cipher}, {QUERIES} random queries each",
        std::fs::metadata(&path).unwrap().len() / 1_048_576
    );
    let none = LookupFilter::default();
    let page = |store: &Store, q: &LookupQuery| {
        black_box(store.lookup(q, &none, None, PAGE).unwrap().rows.len())
    };

    // By IIN and by number.
    let ours = measure("by IIN", QUERIES, |i| {
        page(&store, &LookupQuery::Iin(people[i].0.clone()));
    });
    let sql = format!(
        "SELECT {FLOOR_COLUMNS} FROM applicants p JOIN applications a ON a.applicant_id = p.id WHERE p.iin = ?1 {AFTER} ORDER BY p.sort_key, p.id, a.id LIMIT 61"
    );
    let floor = measure("", QUERIES, |i| {
        floor_rows(&mut raw.prepare_cached(&sql).unwrap(), &[&others[i].0]);
    });
    print_pair(&ours, Some(&floor));
    let ours = measure("by application number", QUERIES, |i| {
        page(
            &store,
            &LookupQuery::parse(&people[i].1.replace('-', "").to_lowercase()),
        );
    });
    let sql = format!(
        "SELECT {FLOOR_COLUMNS} FROM applicants p JOIN applications a ON a.applicant_id = p.id WHERE a.number = ?1 {AFTER} ORDER BY p.sort_key, p.id, a.id LIMIT 61"
    );
    let floor = measure("", QUERIES, |i| {
        floor_rows(&mut raw.prepare_cached(&sql).unwrap(), &[&others[i].1]);
    });
    print_pair(&ours, Some(&floor));

    // By name prefixes: the floor is one range query over the typed spelling's keys.
    let range_sql = format!(
        "SELECT {FLOOR_COLUMNS} FROM applicants p JOIN applications a ON a.applicant_id = p.id WHERE p.sort_key >= ?1 AND p.sort_key < ?2 {AFTER} ORDER BY p.sort_key, p.id, a.id LIMIT 61"
    );
    let prefixes =
        |take: &dyn Fn(&Person) -> String| -> Vec<String> { people.iter().map(take).collect() };
    for (what, typed) in [
        (
            "by 2-letter surname prefix",
            prefixes(&|p| p.2.chars().take(2).collect()),
        ),
        (
            "by 3-letter surname prefix",
            prefixes(&|p| p.2.chars().take(3).collect()),
        ),
        (
            "by full-name prefix",
            prefixes(&|p| format!("{} {}", p.2, p.3.chars().take(3).collect::<String>())),
        ),
    ] {
        let (ours, floor) = measure_pair(
            what,
            QUERIES,
            |i| {
                page(&store, &LookupQuery::parse(&typed[i]));
            },
            |i| {
                let key = sort_key(&typed[QUERIES + i]);
                let end = format!("{key}{}", char::MAX);
                floor_rows(&mut raw.prepare_cached(&range_sql).unwrap(), &[&key, &end]);
            },
        );
        print_pair(&ours, Some(&floor));
    }

    // As-you-type: each key, the query it sends, the answer taken, the screen drawn.
    let rules = Arc::new(loader::parse(&loader::embedded()).expect("rules").set);
    let session = SessionInfo {
        database: path.display().to_string(),
        operator: None,
        training: true,
        rules: format!("{} {}", rules.id, rules.version),
    };
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let mut state = AppState::new(Lang::Ru, session.clone(), rules.clone(), today);
    state.screen = Screen::Lookup;
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let words: Vec<String> = people.iter().map(|p| format!("{} {}", p.2, p.3)).collect();
    let mut keys = Vec::new();
    for word in words.iter().take(QUERIES / 10) {
        keys.extend(word.chars().map(Some));
        keys.push(None); // Esc: clear the box for the next name
    }
    let keystroke = measure("as-you-type keystroke to screen", keys.len(), |i| {
        let msg = match keys[i] {
            Some(c) => Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
            None => Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)),
        };
        for command in state.update(msg).commands {
            if let Command::Lookup(job) = command {
                let page = store
                    .lookup(&job.query, &job.filter, None, job.limit)
                    .unwrap();
                // The answer asks for nothing more (the bench measures the frame it gives).
                let _ = state.update(Msg::Found(Box::new(Found {
                    generation: job.generation,
                    rows: page.rows,
                    more: page.more,
                    ..Found::default()
                })));
            }
        }
        terminal.draw(|frame| view(&state, frame)).unwrap();
    });
    print_pair(&keystroke, None);

    // Opening a record: read back whole and laid out as the record view shows it.
    let tr = Tr::new(Lang::Ru);
    let offset = chrono::FixedOffset::east_opt(5 * 3600).unwrap();
    let ours = measure("open a record with its timeline", QUERIES, |i| {
        let record = store.record(&people[i].1).unwrap().unwrap();
        black_box(regdesk::ui::lookup::record::lines(&record, &rules, &tr, offset).len());
    });
    print_pair(&ours, None);

    // A status change against a bare two-row transaction, both with synchronous = FULL.
    let mut submitted: Vec<String> = raw
        .prepare("SELECT number FROM applications WHERE status = 'submitted' LIMIT ?1")
        .unwrap()
        .query_map([QUERIES as i64], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    if submitted.len() < QUERIES {
        eprintln!(
            "(only {} submitted applications left: regenerate the file for a full run)",
            submitted.len()
        );
    }
    let n = submitted.len().min(QUERIES);
    let ours = measure("status change (FULL sync)", n, |i| {
        let request = StatusRequest {
            number: std::mem::take(&mut submitted[i]),
            to: ApplicationStatus::UnderReview,
            reason_code: None,
            note: None,
            registered_from: None,
            today,
            operator: None,
            override_reason: None,
        };
        black_box(store.change_status(&request).unwrap());
        checkpointer.wrote();
    });
    let floor = measure("", n, |i| {
        raw.execute_batch("BEGIN IMMEDIATE").unwrap();
        raw.execute(
            "INSERT INTO regdesk_meta(key, value) VALUES ('bench', ?1)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![i.to_string()],
        )
        .unwrap();
        raw.execute(
            "INSERT INTO regdesk_meta(key, value) VALUES ('bench.2', ?1)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![i.to_string()],
        )
        .unwrap();
        raw.execute_batch("COMMIT").unwrap();
        checkpointer.wrote();
    });
    print_pair(&ours, Some(&floor));

    // The desk opening on the file, to its first frame.
    checkpointer.finish();
    drop(store);
    let open = measure("desk open to first frame", 20, |_| {
        let (mut store, _) = Store::open_with(&path, &options).unwrap();
        black_box(store.expire(today).unwrap());
        black_box(store.drafts("intake", None).unwrap());
        let mut state = AppState::new(Lang::Ru, session.clone(), rules.clone(), today);
        state.screen = Screen::Lookup;
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
        terminal.draw(|frame| view(&state, frame)).unwrap();
    });
    print_pair(&open, None);
}
