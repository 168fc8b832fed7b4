//! How long loading the rule set (parse, validate, static check) and evaluating one applicant
//! take. Run with `cargo bench --bench rules`. The applicants are the facts of the shipped
//! scenario tests (fictional cases), evaluated round-robin.

use std::hint::black_box;
use std::time::{Duration, Instant};

use regdesk::rules::{EvalOptions, FactTable, evaluate, loader, scenarios};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn report(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    println!(
        "{name:<34} n={:<7} median {:>10.1?}  p99 {:>10.1?}  max {:>10.1?}",
        samples.len(),
        percentile(&samples, 0.5),
        percentile(&samples, 0.99),
        samples[samples.len() - 1]
    );
}

fn main() {
    let files = loader::embedded();

    let samples = (0..200)
        .map(|_| {
            let start = Instant::now();
            black_box(loader::parse(black_box(&files)).expect("shipped rules load"));
            start.elapsed()
        })
        .collect();
    report("load rule set (parse+validate+check)", samples);

    let set = loader::parse(&files).unwrap().set;
    let cases = scenarios::parse(&files).unwrap();
    let samples = (0..50_000)
        .map(|i| {
            let case = &cases[i % cases.len()].scenario;
            let start = Instant::now();
            let table = FactTable::build(black_box(&case.facts), case.date).unwrap();
            black_box(
                evaluate(
                    &set,
                    &table,
                    case.date,
                    EvalOptions {
                        what_if: case.what_if,
                    },
                )
                .ok(),
            );
            start.elapsed()
        })
        .collect();
    report("evaluate one applicant (facts+eval)", samples);
}
