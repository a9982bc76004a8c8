//! Graceful shutdown. On SIGTERM or Ctrl-C the server stops accepting, `/readyz` turns
//! 503, and every socket finishes the frame it is handling, sends a close with code
//! 1012 ("service restart", which the widget and inbox answer by reconnecting at once)
//! and ends. The process waits for them, at most [`DRAIN`], and exits 0.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{watch, Notify};

/// The longest the server waits for sockets to finish after a stop signal.
pub const DRAIN: Duration = Duration::from_secs(10);

/// The close code sockets get when the server stops: reconnect (elsewhere) at once.
pub const RESTART: u16 = 1012;

#[derive(Clone)]
pub struct Shutdown(Arc<Inner>);

struct Inner {
    stopping: watch::Sender<bool>,
    open: AtomicUsize,
    drained: Notify,
}

impl Default for Shutdown {
    fn default() -> Self {
        Shutdown(Arc::new(Inner {
            stopping: watch::channel(false).0,
            open: AtomicUsize::new(0),
            drained: Notify::new(),
        }))
    }
}

impl Shutdown {
    /// Counts a socket in until the ticket drops.
    pub fn ticket(&self) -> Ticket {
        self.0.open.fetch_add(1, Ordering::SeqCst);
        Ticket {
            shutdown: self.clone(),
            stopping: self.0.stopping.subscribe(),
        }
    }

    pub fn begin(&self) {
        self.0.stopping.send_replace(true);
    }

    pub fn is_stopping(&self) -> bool {
        *self.0.stopping.borrow()
    }

    /// Waits until every socket has ended, or `within` has passed; returns how many
    /// were still open.
    pub async fn drained(&self, within: Duration) -> usize {
        let wait = async {
            loop {
                let notified = self.0.drained.notified();
                if self.0.open.load(Ordering::SeqCst) == 0 {
                    return;
                }
                notified.await;
            }
        };
        let _ = tokio::time::timeout(within, wait).await;
        self.0.open.load(Ordering::SeqCst)
    }
}

/// A socket's part in shutdown.
pub struct Ticket {
    shutdown: Shutdown,
    stopping: watch::Receiver<bool>,
}

impl Ticket {
    /// Resolves once the server is stopping.
    pub async fn stopping(&mut self) {
        let _ = self.stopping.wait_for(|s| *s).await;
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        if self.shutdown.0.open.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.shutdown.0.drained.notify_waiters();
        }
    }
}
