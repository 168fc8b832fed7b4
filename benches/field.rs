//! The field laptop: the ordinary desk on its own encrypted database of a thousand
//! applicants (about 1,300 applications), in an 80x24 pseudo-terminal, as `cargo bench`
//! builds it. Measures the time to the first frame (the sign-in form), the CPU the desk uses
//! while idle on the lookup listing for 10 seconds, and its memory (resident and peak) after
//! signing in and listing. Linux (it reads /proc). Run with `cargo bench --bench field`.

#[cfg(target_os = "linux")]
fn main() {
    linux::main();
}

#[cfg(not(target_os = "linux"))]
fn main() {
    eprintln!("the field bench reads /proc: it runs on Linux");
}

#[cfg(target_os = "linux")]
mod linux {
    use std::io::{Read, Write};
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};

    use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

    const PASSWORD: &str = "bench: not a real password 1";
    const APPLICANTS: usize = 1_000;

    struct Desk {
        _master: Box<dyn MasterPty + Send>,
        writer: Box<dyn Write + Send>,
        child: Box<dyn Child + Send + Sync>,
        output: Arc<Mutex<Vec<u8>>>,
    }

    impl Desk {
        fn start(dir: &std::path::Path, db: &std::path::Path) -> (Desk, Instant) {
            let pty = native_pty_system()
                .openpty(PtySize {
                    rows: 24,
                    cols: 80,
                    pixel_width: 0,
                    pixel_height: 0,
                })
                .unwrap();
            let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_regdesk"));
            command.args(["--db", db.to_str().unwrap(), "--lang", "en"]);
            command.env("HOME", dir);
            command.env("TERM", "xterm-256color");
            command.env("REGDESK_CENTER", dir.join("center.toml"));
            let mut reader = pty.master.try_clone_reader().unwrap();
            let writer = pty.master.take_writer().unwrap();
            let started = Instant::now();
            let child = pty.slave.spawn_command(command).unwrap();
            drop(pty.slave);
            let output = Arc::new(Mutex::new(Vec::new()));
            let sink = output.clone();
            std::thread::spawn(move || {
                let mut buf = [0u8; 16384];
                while let Ok(n) = reader.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    sink.lock().unwrap().extend_from_slice(&buf[..n]);
                }
            });
            let desk = Desk {
                _master: pty.master,
                writer,
                child,
                output,
            };
            (desk, started)
        }

        /// Waits until `marker` is in what the desk wrote after byte `from`; the new length.
        fn wait_for(&self, marker: &str, from: usize) -> usize {
            let deadline = Instant::now() + Duration::from_secs(60);
            loop {
                {
                    let out = self.output.lock().unwrap();
                    if String::from_utf8_lossy(&out[from.min(out.len())..]).contains(marker) {
                        return out.len();
                    }
                }
                assert!(Instant::now() < deadline, "'{marker}' never came");
                std::thread::sleep(Duration::from_millis(1));
            }
        }

        fn send(&mut self, keys: &str) {
            self.writer.write_all(keys.as_bytes()).unwrap();
            self.writer.flush().unwrap();
            std::thread::sleep(Duration::from_millis(50));
        }

        fn pid(&self) -> u32 {
            self.child.process_id().unwrap()
        }

        fn stop(mut self) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }

    /// CPU time (user + system) of a process so far, in clock ticks.
    fn cpu_ticks(pid: u32) -> u64 {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
        let after = &stat[stat.rfind(')').unwrap() + 2..];
        let fields: Vec<&str> = after.split_whitespace().collect();
        fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
    }

    /// A line of /proc/PID/status in kB ("VmRSS", "VmHWM").
    fn memory_kb(pid: u32, name: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{name}:")))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .unwrap_or(0)
    }

    pub fn main() {
        let dir = std::env::temp_dir().join(format!("regdesk-field-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let db = dir.join("field.sqlite");
        {
            let slots = [(regdesk::store::operator_slot("field"), PASSWORD)];
            let (mut store, _) =
                regdesk::store::Store::create_encrypted(&db, &Default::default(), &slots)
                    .expect("create the database");
            let hash = regdesk::core::password::hash(PASSWORD);
            store
                .add_operator("field", "Field", regdesk::core::Role::Admin, &hash, None)
                .unwrap()
                .unwrap();
            let tr = regdesk::i18n::Tr::new(regdesk::i18n::Lang::En);
            let today = chrono::Local::now().date_naive();
            regdesk::commands::generate_demo(&mut store, APPLICANTS, 7, today, &tr)
                .expect("the applicants written");
        }
        let size = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0);

        // The first frame, 20 runs after a warm-up.
        let mut firsts = Vec::new();
        for run in 0..23 {
            let (desk, started) = Desk::start(&dir, &db);
            desk.wait_for("Login", 0);
            if run >= 3 {
                firsts.push(started.elapsed());
            }
            desk.stop();
        }
        firsts.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;

        // Signed in, the lookup listing shown: idle for 10 s.
        let (mut desk, _) = Desk::start(&dir, &db);
        let at = desk.wait_for("Login", 0);
        desk.send("field\t");
        desk.send(PASSWORD);
        desk.send("\r");
        let at = desk.wait_for("Intake", at);
        desk.send("\x1b[15~");
        desk.send("а");
        desk.wait_for("shown", at);
        std::thread::sleep(Duration::from_millis(500));
        let pid = desk.pid();
        let ticks_per_second = 100.0; // USER_HZ on Linux
        let before = cpu_ticks(pid);
        std::thread::sleep(Duration::from_secs(10));
        let idle = cpu_ticks(pid) - before;
        let rss = memory_kb(pid, "VmRSS");
        let peak = memory_kb(pid, "VmHWM");
        desk.stop();

        println!(
            "field database: {APPLICANTS} applicants, encrypted, {:.1} MB",
            size as f64 / 1e6
        );
        println!(
            "first frame (sign-in form, 80x24): median {:.1} ms, p90 {:.1} ms, 20 runs",
            ms(firsts[firsts.len() / 2]),
            ms(firsts[(firsts.len() - 1) * 9 / 10])
        );
        println!(
            "idle on the lookup listing, 10 s: {} clock ticks of CPU ({:.1} ms)",
            idle,
            idle as f64 * 1000.0 / ticks_per_second
        );
        println!(
            "memory signed in, listing shown: resident {:.1} MB, peak {:.1} MB",
            rss as f64 / 1024.0,
            peak as f64 / 1024.0
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
