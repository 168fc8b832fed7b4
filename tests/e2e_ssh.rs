//! The center-host deployment of the README, end to end: one host holds the database, and
//! operators reach regdesk over SSH as its forced command (OpenSSH `ForceCommand`), never a
//! shell. An OpenSSH server is started on the loopback address by the test itself, with keys
//! it makes, and stopped at the end. CI installs `openssh-server` (`.ci/run`); elsewhere,
//! without `sshd`, the test says so and passes.

mod support;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use support::*;

/// The OpenSSH server, stopped when dropped.
struct Sshd(Child);

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn sshd_binary() -> Option<PathBuf> {
    ["/usr/sbin/sshd", "/usr/bin/sshd"]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
}

fn keygen(path: &Path) {
    let made = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(path)
        .status()
        .expect("ssh-keygen");
    assert!(made.success());
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn user() -> String {
    let out = Command::new("id").arg("-un").output().unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// Starts sshd on 127.0.0.1:`port` whose every session runs `forced`.
fn start_sshd(sshd: &Path, dir: &Path, port: u16, forced: &str) -> Sshd {
    keygen(&dir.join("host_key"));
    keygen(&dir.join("client_key"));
    std::fs::copy(dir.join("client_key.pub"), dir.join("authorized_keys")).unwrap();
    let config = dir.join("sshd_config");
    std::fs::write(
        &config,
        format!(
            "ListenAddress 127.0.0.1\n\
             Port {port}\n\
             HostKey {host}\n\
             AuthorizedKeysFile {keys}\n\
             PubkeyAuthentication yes\n\
             PasswordAuthentication no\n\
             KbdInteractiveAuthentication no\n\
             PermitRootLogin prohibit-password\n\
             UsePAM no\n\
             StrictModes no\n\
             PidFile none\n\
             AllowTcpForwarding no\n\
             AllowAgentForwarding no\n\
             X11Forwarding no\n\
             PermitTunnel no\n\
             PermitUserRC no\n\
             ForceCommand {forced}\n",
            host = dir.join("host_key").display(),
            keys = dir.join("authorized_keys").display(),
        ),
    )
    .unwrap();
    // Run as root, sshd wants its privilege separation folder.
    let _ = std::fs::create_dir_all("/run/sshd");
    let child = Command::new(sshd)
        .arg("-D")
        .arg("-e")
        .arg("-f")
        .arg(&config)
        .stderr(std::fs::File::create(dir.join("sshd.log")).unwrap())
        .spawn()
        .expect("start sshd");
    let server = Sshd(child);
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "sshd did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    server
}

fn ssh_args(dir: &Path, port: u16) -> Vec<String> {
    vec![
        "-i".into(),
        dir.join("client_key").display().to_string(),
        "-p".into(),
        port.to_string(),
        "-o".into(),
        "StrictHostKeyChecking=no".into(),
        "-o".into(),
        "UserKnownHostsFile=/dev/null".into(),
        "-o".into(),
        "BatchMode=yes".into(),
        "-o".into(),
        "LogLevel=ERROR".into(),
        format!("{}@127.0.0.1", user()),
    ]
}

/// Over SSH an operator gets the desk, whatever command they ask for, signs in with their own
/// account, and leaves; a command asked for without a terminal runs nothing.
#[cfg(unix)] // OpenSSH's server as Debian ships it
#[test]
fn operators_reach_only_the_desk_through_ssh() {
    let Some(sshd) = sshd_binary() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI installs openssh-server: sshd is missing"
        );
        eprintln!("sshd is not installed here: the SSH deployment test did not run");
        return;
    };
    let home = tempfile::tempdir().unwrap();
    add_account(home.path(), &[], TEST_LOGIN, "admin", false);
    add_account(home.path(), &[], "olga", "operator", true);
    let db = database_of(home.path(), &[]);
    let ssh_dir = home.path().join("ssh");
    std::fs::create_dir_all(&ssh_dir).unwrap();
    let port = free_port();
    let forced = format!(
        "{} --db {} --lang en",
        env!("CARGO_BIN_EXE_regdesk"),
        db.display()
    );
    let _server = start_sshd(&sshd, &ssh_dir, port, &forced);

    // Asking for a shell command gets the desk's sign-in instead.
    let mut args = ssh_args(&ssh_dir, port);
    args.insert(0, "-tt".into());
    args.push("cat /etc/passwd; sh".into());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut desk = Desk::start_program(Path::new("ssh"), home.path(), &args, &[], 100, 30);
    desk.wait_for(SIGN_IN_MARK);
    assert!(!desk.contents().contains("root:x:0"), "{}", desk.contents());
    // The operator signs in with their own account, as at any desk, and leaves.
    desk.sign_in("olga", TEST_PASSWORD);
    desk.wait_for("Тестова");
    desk.send(F10);
    desk.wait_exit();
    assert!(!desk.contents().contains("root:x:0"));

    // Without a terminal, a command asked for (a backup of the database) runs nothing: the
    // forced command is the desk, which needs a terminal.
    let stolen = home.path().join("stolen.sqlite");
    let mut args = ssh_args(&ssh_dir, port);
    args.push(format!(
        "{} --db {} backup {}",
        env!("CARGO_BIN_EXE_regdesk"),
        db.display(),
        stolen.display()
    ));
    let out = Command::new("ssh")
        .args(&args)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(0));
    assert!(!stolen.exists(), "the asked-for command ran");
}
