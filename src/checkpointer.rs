//! The checkpointer: a thread that folds the WAL into the database file after the desk has
//! written, so that no commit of an operator's pays for a checkpoint (see
//! `OpenOptions::checkpoint_in_background`). It sleeps on its channel: no work when idle.

use std::sync::mpsc::Sender;
use std::thread::JoinHandle;

use crate::store::Store;

/// The WAL is folded in once it holds more than this.
pub const WAL_LIMIT_BYTES: u64 = 4 * 1024 * 1024;

pub struct Checkpointer {
    tell: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    /// Starts the checkpointer on its own connection.
    pub fn spawn(store: Store) -> Checkpointer {
        let (tell, inbox) = std::sync::mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("checkpoint".into())
            .spawn(move || {
                while inbox.recv().is_ok() {
                    while inbox.try_recv().is_ok() {}
                    if let Err(error) = store.checkpoint_if_larger(WAL_LIMIT_BYTES) {
                        tracing::warn!(kind = error.message_key(), "checkpoint not made");
                    }
                }
            })
            .ok();
        Checkpointer {
            tell: Some(tell),
            thread,
        }
    }

    /// Something was written.
    pub fn wrote(&self) {
        if let Some(tell) = &self.tell {
            let _ = tell.send(());
        }
    }

    /// Stops the thread and closes its connection, before the desk closes its own: the last
    /// connection to close folds the WAL in and removes it.
    pub fn finish(mut self) {
        self.tell = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
