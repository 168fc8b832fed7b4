//! End-to-end: every built-in lesson plays to its end on the real desk in a pty, as a trainer
//! plays it (a key on each caption), and its final screen holds what the lesson says it shows.
//! A lesson that no longer fits the desk or the rules stops on the step that broke, and this
//! test fails there. Going back a step plays the steps before it again from the seeded state.

#![cfg(unix)]

mod support;

use regdesk::training::lesson::{LESSONS, parse};
use support::*;

const LEFT: &str = "\x1b[D";

/// The lesson `name` in a 100x40 terminal, on a database of its own, keys as fast as they go.
fn lesson_desk(home: &std::path::Path, name: &str) -> Desk {
    let db = home.join("class.sqlite");
    let db = db.to_str().unwrap();
    let args = [
        "--lang", "en", "training", "--lesson", name, "--speed", "fast", "--db", db,
    ];
    Desk::start(home, &args, &[], 100, 40)
}

#[test]
fn every_lesson_plays_to_its_end_and_shows_its_final_screen() {
    for (name, text) in LESSONS {
        let lesson = parse(name, text).unwrap();
        let steps = lesson.steps.len();
        let home = tempfile::tempdir().unwrap();
        let mut desk = lesson_desk(home.path(), name);
        for step in 1..=steps {
            desk.wait_for(&format!("step {step} of {steps} · Space: play"));
            desk.send(" ");
            if step < steps {
                desk.wait_gone(&format!("step {step} of {steps}"));
            }
        }
        desk.wait_for("Lesson finished");
        let screen = desk.contents();
        assert!(!screen.contains("lesson stopped"), "{name}:\n{screen}");
        for shown in &lesson.steps[steps - 1].show {
            assert!(screen.contains(shown.as_str()), "{name}: {shown}\n{screen}");
        }
        // Enter closes the lesson's bar; the desk is the trainee's now. F10 quits cleanly.
        desk.send("\r");
        desk.wait_gone("Lesson finished");
        desk.send("\x1b[21~");
        assert_eq!(desk.wait_exit(), 0, "{name}");
        assert!(desk.terminal_is_cooked());
    }
}

/// Back a step from the owner's third caption: the desk is where the second step began (her
/// IIN typed, her names not yet), played again from the seeded state; then on to the end.
#[test]
fn going_back_a_step_replays_the_steps_before_it() {
    let home = tempfile::tempdir().unwrap();
    let mut desk = lesson_desk(home.path(), "owner");
    desk.wait_for("step 1 of 10 · Space: play");
    desk.send(" ");
    desk.wait_for("step 2 of 10 · Space: play");
    desk.send(" ");
    desk.wait_for("step 3 of 10 · Space: play");
    assert!(desk.contents().contains("Жақсыбекова"));
    desk.send(LEFT);
    desk.wait_for("step 2 of 10 · Space: play");
    let screen = desk.contents();
    assert!(screen.contains("880315421013"), "{screen}");
    assert!(!screen.contains("Жақсыбекова"), "{screen}");
    for step in 2..=10 {
        desk.wait_for(&format!("step {step} of 10 · Space: play"));
        desk.send(" ");
    }
    desk.wait_for("Lesson finished");
    // The application made twice (before and after going back) is one: the reset came between.
    desk.wait_for("RD-2026-000015 Жақсыбекова Динара");
    assert!(!desk.contents().contains("RD-2026-000016"));
    desk.send("\x1b[21~");
    assert_eq!(desk.wait_exit(), 0);
}

/// A training database with a class's accounts asks who signs in; a trainee works at the
/// desk under their own name, and neither Ctrl+T nor a lesson resets the class's database
/// for them (the refusal is audited as theirs).
#[test]
fn a_class_signs_in_and_a_trainee_cannot_reset_it() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("class.sqlite");
    let db = db.to_str().unwrap();
    let add = |by: &[&str], login: &str, role: &str, stdin: String| {
        let mut args = vec!["--lang", "en", "--training", "--db", db];
        args.extend(by);
        args.extend([
            "operator",
            "add",
            login,
            "--name",
            "Тест Т.",
            "--role",
            role,
        ]);
        args.push("--password-stdin");
        let out = run_with_stdin(&args, &stdin);
        assert!(out.status.success(), "{out:?}");
    };
    let twice = format!("{TEST_PASSWORD}\n{TEST_PASSWORD}\n");
    add(&[], "tamara", "trainer", twice.clone());
    let thrice = format!("{TEST_PASSWORD}\n{twice}");
    add(&["--login", "tamara"], "aruzhan", "operator", thrice);

    let mut desk = Desk::start(
        home.path(),
        &["--lang", "en", "--training", "--db", db],
        &[],
        100,
        30,
    );
    desk.sign_in("aruzhan", TEST_PASSWORD);
    desk.wait_for("Operator: Тест Т.");
    desk.send("\x14");
    desk.wait_for("does not allow this");
    desk.send("\x1b[21~");
    assert_eq!(desk.wait_exit(), 0);

    let mut lesson = Desk::start(
        home.path(),
        &["--lang", "en", "training", "--lesson", "owner", "--db", db],
        &[],
        100,
        30,
    );
    lesson.sign_in("aruzhan", TEST_PASSWORD);
    lesson.wait_for("the class's trainer plays it");
    assert!(!lesson.contents().contains("Space: play"));
    lesson.send("\x1b[21~");
    assert_eq!(lesson.wait_exit(), 0);

    let conn = open_db(std::path::Path::new(db));
    let refused: i64 = conn
        .query_row(
            "SELECT count(*) FROM audit_log a JOIN operators o ON o.id = a.operator_id
             WHERE a.action = 'permission.refused' AND o.login = 'aruzhan'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(refused >= 1);
}

/// regdesk with `args`, `stdin` written to it: its output.
fn run_with_stdin(args: &[&str], stdin: &str) -> std::process::Output {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_regdesk"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.as_bytes()).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}
