//! The whole process to its first frame, in a real pseudo-terminal: `regdesk` (built like this
//! bench, so `cargo bench` times the optimised binary) started on an existing database until
//! its sign-in form is on the screen, beside a bare ratatui program that draws one frame (this
//! bench binary itself, run again with `--bare`). Prints the medians, the p90s and the ratio.
//! Run with `cargo bench --bench first_frame`.

use std::io::Read;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

/// The bare program: what any ratatui app does before its first frame, and nothing else.
fn bare() {
    let mut terminal = ratatui::init();
    terminal
        .draw(|frame| {
            frame.render_widget(
                ratatui::widgets::Paragraph::new("bare-first-frame")
                    .block(ratatui::widgets::Block::bordered().title("bare")),
                frame.area(),
            );
        })
        .unwrap();
    ratatui::restore();
}

/// Time from spawning `command` in a 100x30 pty until `marker` is among what it wrote (a
/// word without spaces: a frame skips blank cells with cursor moves).
fn time_to(command: CommandBuilder, marker: &str) -> Duration {
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 30,
            cols: 100,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut reader = pty.master.try_clone_reader().unwrap();
    let _writer = pty.master.take_writer().unwrap();
    let started = Instant::now();
    let mut child = pty.slave.spawn_command(command).unwrap();
    drop(pty.slave);
    let mut seen = Vec::new();
    let mut buf = [0u8; 16384];
    let elapsed = loop {
        let n = reader.read(&mut buf).unwrap_or(0);
        if n == 0 {
            panic!(
                "the program ended before its first frame:\n{}",
                String::from_utf8_lossy(&seen)
            );
        }
        seen.extend_from_slice(&buf[..n]);
        if String::from_utf8_lossy(&seen).contains(marker) {
            break started.elapsed();
        }
    };
    let _ = child.kill();
    let _ = child.wait();
    elapsed
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    if std::env::args().any(|a| a == "--bare") {
        bare();
        return;
    }
    let dir = std::env::temp_dir().join(format!("regdesk-first-frame-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("desk.sqlite");
    // An existing encrypted database with its administrator, as a desk starts every morning.
    {
        let password = "bench: not a real password 1";
        let slots = [(regdesk::store::operator_slot("bench"), password)];
        let (mut store, _) =
            regdesk::store::Store::create_encrypted(&db, &Default::default(), &slots)
                .expect("create the database");
        let hash = regdesk::core::password::hash(password);
        store
            .add_operator("bench", "Bench", regdesk::core::Role::Admin, &hash, None)
            .unwrap()
            .unwrap();
    }
    let regdesk = || {
        let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_regdesk"));
        command.args(["--db", db.to_str().unwrap(), "--lang", "en"]);
        command.env("HOME", &dir);
        command.env("TERM", "xterm-256color");
        command.env("REGDESK_CENTER", dir.join("center.toml"));
        command
    };
    let bare = || {
        let mut command = CommandBuilder::new(std::env::current_exe().unwrap());
        command.arg("--bare");
        command.env("TERM", "xterm-256color");
        command
    };
    let runs = 40;
    let mut desk = Vec::new();
    let mut plain = Vec::new();
    // Interleaved, after a warm-up of each, so both meet the same machine.
    for run in 0..runs + 3 {
        let d = time_to(regdesk(), "Login");
        let b = time_to(bare(), "bare-first-frame");
        if run >= 3 {
            desk.push(d);
            plain.push(b);
        }
    }
    desk.sort();
    plain.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let (d50, b50) = (percentile(&desk, 0.5), percentile(&plain, 0.5));
    println!(
        "regdesk to its sign-in form: median {:.1} ms, p90 {:.1} ms ({runs} runs)",
        ms(d50),
        ms(percentile(&desk, 0.9))
    );
    println!(
        "bare ratatui to its first frame: median {:.1} ms, p90 {:.1} ms",
        ms(b50),
        ms(percentile(&plain, 0.9))
    );
    println!("ratio of the medians: {:.2}x", ms(d50) / ms(b50));
    let _ = std::fs::remove_dir_all(&dir);
}
