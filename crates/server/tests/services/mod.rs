//! Real services the meetings tests start on loopback and stop after: Radicale (CalDAV)
//! and aiosmtpd (SMTP), both from Debian (`scripts/install.sh` installs them).

#![allow(dead_code)]

use super::support::free_port;
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn wait_for(port: u16, what: &str) {
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "{what} did not start on port {port}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A Radicale server with users and plain-text passwords.
pub struct Radicale {
    pub base: String,
    child: Child,
    _dir: tempfile::TempDir,
}

impl Radicale {
    pub fn start(users: &[(&str, &str)]) -> Radicale {
        let dir = tempfile::tempdir().unwrap();
        let users_file = dir.path().join("users");
        let lines: Vec<String> = users.iter().map(|(u, p)| format!("{u}:{p}")).collect();
        std::fs::write(&users_file, lines.join("\n") + "\n").unwrap();
        let port = free_port();
        let child = Command::new("radicale")
            .args(["--config", ""])
            .arg(format!(
                "--storage-filesystem-folder={}",
                dir.path().join("store").display()
            ))
            .arg(format!("--server-hosts=127.0.0.1:{port}"))
            .args(["--auth-type=htpasswd", "--auth-htpasswd-encryption=plain"])
            .arg(format!("--auth-htpasswd-filename={}", users_file.display()))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("radicale runs (scripts/install.sh installs it)");
        wait_for(port, "Radicale");
        Radicale {
            base: format!("http://127.0.0.1:{port}"),
            child,
            _dir: dir,
        }
    }

    /// Creates `/{user}/{name}/` and returns its URL.
    pub async fn calendar(&self, user: &str, password: &str, name: &str) -> String {
        let url = format!("{}/{user}/{name}/", self.base);
        let response = reqwest::Client::new()
            .request(reqwest::Method::from_bytes(b"MKCALENDAR").unwrap(), &url)
            .basic_auth(user, Some(password))
            .send()
            .await
            .unwrap();
        assert!(
            response.status().is_success(),
            "MKCALENDAR: {}",
            response.status()
        );
        url
    }

    /// Stores an event (its own VCALENDAR text) in a calendar.
    pub async fn put(&self, calendar: &str, user: &str, password: &str, name: &str, ics: &str) {
        let response = reqwest::Client::new()
            .put(format!("{calendar}{name}.ics"))
            .basic_auth(user, Some(password))
            .header("content-type", "text/calendar")
            .body(ics.replace('\n', "\r\n"))
            .send()
            .await
            .unwrap();
        assert!(
            response.status().is_success(),
            "PUT {name}: {}",
            response.status()
        );
    }

    /// The raw text of one event, if it is there.
    pub async fn get(&self, calendar: &str, user: &str, password: &str, name: &str) -> Option<String> {
        let response = reqwest::Client::new()
            .get(format!("{calendar}{name}.ics"))
            .basic_auth(user, Some(password))
            .send()
            .await
            .unwrap();
        response
            .status()
            .is_success()
            .then_some(response.text().await.unwrap())
    }
}

impl Drop for Radicale {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An aiosmtpd server keeping every message in a maildir.
pub struct Smtp {
    pub url: String,
    child: Child,
    dir: tempfile::TempDir,
}

impl Smtp {
    pub fn start() -> Smtp {
        Smtp::start_on(free_port())
    }

    /// On a given port (a server already configured with it, say).
    pub fn start_on(port: u16) -> Smtp {
        let dir = tempfile::tempdir().unwrap();
        // Debian's Python, where python3-aiosmtpd lives.
        let child = Command::new("/usr/bin/python3")
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
                "-c",
                "aiosmtpd.handlers.Mailbox",
            ])
            .arg(dir.path().join("mail"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("aiosmtpd runs (scripts/install.sh installs it)");
        wait_for(port, "aiosmtpd");
        Smtp {
            url: format!("smtp://127.0.0.1:{port}"),
            child,
            dir,
        }
    }

    /// Every message received so far, raw.
    pub fn messages(&self) -> Vec<Vec<u8>> {
        let new: PathBuf = self.dir.path().join("mail/new");
        let mut files: Vec<PathBuf> = std::fs::read_dir(new)
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        files.sort_by_key(|f| std::fs::metadata(f).and_then(|m| m.modified()).ok());
        files.iter().filter_map(|f| std::fs::read(f).ok()).collect()
    }

    /// Waits until `n` messages arrived (at most 20 s).
    pub async fn wait_for(&self, n: usize) -> Vec<Vec<u8>> {
        let start = Instant::now();
        loop {
            let got = self.messages();
            if got.len() >= n || start.elapsed() > Duration::from_secs(20) {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
