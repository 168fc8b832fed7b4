//! What the desk does between start and its first frame, minus the terminal itself: open an
//! existing database (a fresh one is created once, outside the timing), load the built-in rule
//! set, build the screen state and draw one 100x30 frame. Run with `cargo bench --bench startup`.
//! (The whole process, terminal included, logs `first frame drawn` with its time in regdesk.log.)
//! It also times opening databases of 1, 10 and 60 MB, which includes the full page check
//! (`PRAGMA quick_check`) done at every open of a file up to 64 MB, and the sign-in on an
//! encrypted database (two Argon2id: the key slot, then the account).

use std::hint::black_box;
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use regdesk::i18n::Lang;
use regdesk::rules::{ActiveRules, loader};
use regdesk::store::Store;
use regdesk::ui::{AppState, SessionInfo, view};

fn main() {
    let dir = std::env::temp_dir().join(format!("regdesk-bench-{}", std::process::id()));
    let db = dir.join("regdesk.sqlite");
    drop(Store::open(&db).expect("create the database"));

    let mut samples: Vec<Duration> = (0..200)
        .map(|_| {
            let start = Instant::now();
            let (store, _) = Store::open(&db).expect("open");
            let rules = ActiveRules::new(loader::parse(&loader::embedded()).expect("rules").set);
            let state = AppState::new(
                Lang::Ru,
                SessionInfo {
                    database: db.display().to_string(),
                    operator: None,
                    training: false,
                    rules: rules.label(),
                },
                rules.shared(),
                chrono::Local::now().date_naive(),
            );
            let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
            terminal.draw(|frame| view(&state, frame)).unwrap();
            black_box((&store, &terminal));
            start.elapsed()
        })
        .collect();
    report("open db + load rules + first frame", &mut samples);

    // Signing in on an encrypted database, as the desk's sign-in does: the operator's key
    // slot opened (Argon2id), the file opened with the key it gives (and proven), the
    // password checked against the account (Argon2id again) and the sign-in audited.
    let encrypted = dir.join("encrypted.sqlite");
    let password = "bench: not a real password 1";
    {
        let slots = [(regdesk::store::operator_slot("bench"), password)];
        let (mut store, _) =
            Store::create_encrypted(&encrypted, &Default::default(), &slots).expect("create");
        let hash = regdesk::core::password::hash(password);
        store
            .add_operator("bench", "Bench", regdesk::core::Role::Admin, &hash, None)
            .expect("account")
            .expect("account");
    }
    let mut samples: Vec<Duration> = (0..20)
        .map(|_| {
            let start = Instant::now();
            let mut ring = regdesk::store::Keyring::open(&encrypted).expect("slots");
            let slot = regdesk::store::operator_slot("bench");
            let regdesk::store::Unlock::Key(key) = ring
                .unlock(&slot, password, chrono::Utc::now())
                .expect("unlock")
            else {
                panic!("the bench slot did not open");
            };
            let options = regdesk::store::OpenOptions {
                key: Some(key),
                ..Default::default()
            };
            let (mut store, _) = Store::open_with(&encrypted, &options).expect("open");
            let signed_in = store.sign_in("bench", password, chrono::Utc::now());
            black_box(signed_in.expect("sign in"));
            start.elapsed()
        })
        .collect();
    report("sign-in on an encrypted database", &mut samples);

    // Databases of growing size: the open includes the full page check.
    let mut store = Store::open(&db).expect("open").0;
    let row = "x".repeat(1000);
    for megabytes in [1u64, 10, 60] {
        while std::fs::metadata(&db).map_or(0, |m| m.len())
            + std::fs::metadata(dir.join("regdesk.sqlite-wal")).map_or(0, |m| m.len())
            < megabytes * 1024 * 1024
        {
            for _ in 0..500 {
                store
                    .append_audit(None, "bench", None, &row)
                    .expect("write");
            }
        }
        drop(store);
        let mut samples: Vec<Duration> = (0..20)
            .map(|_| {
                let start = Instant::now();
                black_box(Store::open(&db).expect("open"));
                start.elapsed()
            })
            .collect();
        report(
            &format!("open a {megabytes} MB database (checked)"),
            &mut samples,
        );
        store = Store::open(&db).expect("open").0;
    }
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);
}

fn report(what: &str, samples: &mut [Duration]) {
    samples.sort();
    let at = |p: f64| samples[((samples.len() - 1) as f64 * p).round() as usize];
    println!(
        "{:<40} n={:<5} median {:>8.1?}  p99 {:>8.1?}  max {:>8.1?}",
        what,
        samples.len(),
        at(0.5),
        at(0.99),
        samples[samples.len() - 1]
    );
}
