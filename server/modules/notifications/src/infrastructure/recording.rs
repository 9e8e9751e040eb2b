//! An in-memory adapter for tests of other contexts' use cases.

use std::sync::{Arc, Mutex, PoisonError};

use async_trait::async_trait;

use crate::{EmailError, EmailMessage, EmailSender};

/// Keeps every message it is asked to send, and never fails. Clones share the same list, so a
/// test keeps one clone and hands another (as `Arc<dyn EmailSender>`) to the code under test.
#[derive(Debug, Clone, Default)]
pub struct RecordingSender {
    messages: Arc<Mutex<Vec<EmailMessage>>>,
}

impl RecordingSender {
    /// An empty recorder.
    pub fn new() -> Self {
        Self::default()
    }

    /// The messages sent so far, oldest first.
    pub fn messages(&self) -> Vec<EmailMessage> {
        self.messages.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }
}

#[async_trait]
impl EmailSender for RecordingSender {
    /// Records `message`.
    ///
    /// # Errors
    ///
    /// Never.
    async fn send(&self, message: EmailMessage) -> Result<(), EmailError> {
        self.messages.lock().unwrap_or_else(PoisonError::into_inner).push(message);
        Ok(())
    }
}
