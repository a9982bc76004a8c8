//! Background work, supervised (docs/reliability.md). Every long-lived task (the group
//! commit writer, delivery and its sweep, presence, the broker's listener and beat, the
//! meetings, webhook and purge workers) runs under [`Tasks::keep`]: one that panics or
//! returns is logged and started again after a pause that doubles up to a minute, and
//! `/readyz` answers 503 while it is down, so a balancer stops sending clients to a node
//! whose live fan-out stopped. On shutdown every task is told to stop and waited for.

use std::collections::BTreeSet;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

/// The longest pause before a task is started again.
const MAX_PAUSE: Duration = Duration::from_secs(60);

#[derive(Clone)]
pub struct Tasks(Arc<Inner>);

struct Inner {
    tracker: TaskTracker,
    stop: CancellationToken,
    down: Mutex<BTreeSet<&'static str>>,
    /// The test hook: the task named here fails at once ([`Tasks::fail_for_test`]).
    failing: watch::Sender<Option<&'static str>>,
}

impl Default for Tasks {
    fn default() -> Self {
        Tasks(Arc::new(Inner {
            tracker: TaskTracker::new(),
            stop: CancellationToken::new(),
            down: Mutex::default(),
            failing: watch::channel(None).0,
        }))
    }
}

impl Tasks {
    /// Runs `make(restarts)` as the task `name`, and again whenever it ends, until
    /// shutdown. `restarts` is 0 the first time: a task may start differently after a
    /// failure (delivery does not take the latest numbers as given then).
    pub fn keep<F, Fut>(&self, name: &'static str, make: F)
    where
        F: Fn(u32) -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let tasks = self.clone();
        self.0.tracker.spawn(async move {
            let mut restarts = 0u32;
            let mut failures = 0u32;
            loop {
                let started = Instant::now();
                let run = tokio::spawn(tasks.clone().watched(name, make(restarts)));
                let abort = run.abort_handle();
                let ended = tokio::select! {
                    _ = tasks.0.stop.cancelled() => {
                        abort.abort();
                        return;
                    }
                    ended = run => ended,
                };
                if tasks.0.stop.is_cancelled() {
                    return;
                }
                // A task that ran a good while before failing starts its pauses anew.
                if started.elapsed() > MAX_PAUSE {
                    failures = 0;
                }
                let pause = (Duration::from_millis(500) * 2u32.pow(failures.min(7))).min(MAX_PAUSE);
                match ended {
                    Err(e) if e.is_panic() => {
                        let panic = e.into_panic();
                        let why = panic
                            .downcast_ref::<String>()
                            .map(String::as_str)
                            .or_else(|| panic.downcast_ref::<&str>().copied())
                            .unwrap_or("a panic");
                        tracing::error!(
                            task = name,
                            "background task failed: {why}; starting it again in {pause:?}"
                        );
                    }
                    _ => tracing::error!(
                        task = name,
                        "background task ended; starting it again in {pause:?}"
                    ),
                }
                tasks.set_down(name, true);
                tokio::select! {
                    _ = tasks.0.stop.cancelled() => return,
                    _ = tokio::time::sleep(pause) => {}
                }
                tasks.set_down(name, false);
                restarts += 1;
                failures += 1;
                tracing::info!(task = name, "background task started again");
            }
        });
    }

    /// `task`, failing at once when the test hook names it.
    async fn watched(self, name: &'static str, task: impl Future<Output = ()>) {
        let mut failing = self.0.failing.subscribe();
        let told = async move {
            while failing.changed().await.is_ok() {
                if *failing.borrow() == Some(name) {
                    return;
                }
            }
            std::future::pending::<()>().await
        };
        tokio::select! {
            _ = task => {}
            _ = told => panic!("{name} made to fail by the test hook"),
        }
    }

    fn set_down(&self, name: &'static str, down: bool) {
        let mut set = self.0.down.lock().unwrap_or_else(|p| p.into_inner());
        match down {
            true => set.insert(name),
            false => set.remove(name),
        };
    }

    /// The tasks that are down now (waiting to be started again).
    pub fn down(&self) -> Vec<&'static str> {
        let set = self.0.down.lock().unwrap_or_else(|p| p.into_inner());
        set.iter().copied().collect()
    }

    /// Makes the running task `name` fail as a panic would (for the supervision test).
    pub fn fail_for_test(&self, name: &'static str) {
        self.0.failing.send_replace(Some(name));
    }

    /// Tells every task to stop and waits for them, at most `within`.
    pub async fn stop(&self, within: Duration) {
        self.0.stop.cancel();
        self.0.tracker.close();
        if tokio::time::timeout(within, self.0.tracker.wait()).await.is_err() {
            tracing::warn!("background tasks still running {within:?} after the stop");
        }
    }
}
