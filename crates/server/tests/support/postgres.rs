//! A throw-away PostgreSQL: a fresh cluster in a temporary directory on a free loopback
//! port, run as the `postgres` user when the tests run as root (PostgreSQL refuses
//! root), with fsync off (it is thrown away), stopped and deleted after.
//! `scripts/install.sh` installs Debian's `postgresql` when it is missing.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::free_port;

pub struct Postgres {
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
    root: bool,
    options: String,
}

impl Postgres {
    pub fn start() -> Postgres {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .into_iter()
            .flatten()
            .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
            .filter(|b| b.join("initdb").exists())
            .max()
            .expect("PostgreSQL is not installed: run scripts/install.sh");
        let dir = tempfile::Builder::new().prefix("chinwag-pg-").tempdir().unwrap();
        let root = Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| o.stdout.trim_ascii() == b"0");
        if root {
            run(Command::new("chown").arg("postgres").arg(dir.path()));
        }
        let mut pg = Postgres {
            dir,
            bin,
            port: 0,
            root,
            options: String::new(),
        };
        let data = pg.data();
        // No locale from the environment: a machine's LANG may name one it never generated.
        pg.run(&[
            "initdb",
            "--no-locale",
            "-D",
            &data,
            "-A",
            "trust",
            "-U",
            "chinwag",
            "-E",
            "UTF8",
            "--no-sync",
        ]);
        // A port found free can be taken before the server binds it (by another test's
        // outgoing connection, which draws from the same range): then try another.
        for attempt in 1.. {
            pg.port = free_port();
            pg.options = format!(
                "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off",
                pg.port,
                pg.dir.path().display()
            );
            match pg.try_start() {
                Ok(()) => break,
                Err(e) if attempt < 5 && e.contains("could not bind") => continue,
                Err(e) => panic!("{e}"),
            }
        }
        pg
    }

    /// Starts the (stopped) server again, on the same port and data.
    pub fn start_again(&self) {
        if let Err(e) = self.try_start() {
            panic!("{e}");
        }
    }

    /// Starts the server; on failure, says why with the server's own log.
    fn try_start(&self) -> Result<(), String> {
        let log = self.dir.path().join("log");
        let out = self
            .command(&[
                "pg_ctl",
                "-D",
                &self.data(),
                "-w",
                "-o",
                &self.options,
                "-l",
                &log.display().to_string(),
                "start",
            ])
            .output()
            .expect("run pg_ctl");
        match out.status.success() {
            true => Ok(()),
            false => Err(format!(
                "PostgreSQL did not start: {}{}\nits log:\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr),
                std::fs::read_to_string(&log).unwrap_or_default()
            )),
        }
    }

    /// Stops the server as an administrator's fast shutdown does: every connection cut.
    pub fn stop(&self) {
        self.run(&["pg_ctl", "-D", &self.data(), "-w", "-m", "fast", "stop"]);
    }

    /// A URL for database `name` (`postgres` always exists).
    pub fn url(&self, name: &str) -> String {
        format!("postgres://chinwag@127.0.0.1:{}/{name}", self.port)
    }

    fn data(&self) -> String {
        self.dir.path().join("data").display().to_string()
    }

    fn run(&self, args: &[&str]) {
        run(&mut self.command(args));
    }

    /// A PostgreSQL tool, as the `postgres` user when we are root.
    fn command(&self, args: &[&str]) -> Command {
        let program = self.bin.join(args[0]);
        let mut command = match self.root {
            true => {
                let mut c = Command::new("runuser");
                c.args(["-u", "postgres", "--"]).arg(&program);
                c
            }
            false => Command::new(&program),
        };
        command.args(&args[1..]).current_dir(Path::new("/"));
        command
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        // Never a panic here (during a failing test's unwinding it would abort every test
        // of the binary): a server that did not start has nothing to stop.
        let data = self.data();
        let _ = self
            .command(&["pg_ctl", "-D", &data, "-m", "immediate", "stop"])
            .output();
    }
}

fn run(command: &mut Command) {
    let out = command.output().expect("run a PostgreSQL tool");
    assert!(
        out.status.success(),
        "{command:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
