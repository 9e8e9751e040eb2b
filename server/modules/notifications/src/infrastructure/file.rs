//! The file adapter: one `.eml` file per message, for staging and inspection.

use std::path::PathBuf;

use async_trait::async_trait;
use lettre::{AsyncFileTransport, AsyncTransport, Tokio1Executor};

use super::mime;
use crate::{EmailError, EmailMessage, EmailSender, Mailbox};

/// Writes each message as `<uuid>.eml` (the full RFC 5322 text) into a directory.
pub(crate) struct FileSender {
    dir: PathBuf,
    transport: AsyncFileTransport<Tokio1Executor>,
    from: lettre::message::Mailbox,
}

impl FileSender {
    /// Creates `dir` if it is missing.
    pub(crate) fn new(dir: PathBuf, from: Mailbox) -> Result<Self, EmailError> {
        std::fs::create_dir_all(&dir).map_err(|e| EmailError::transport(e, "create the mail directory"))?;
        let transport = AsyncFileTransport::new(&dir);
        Ok(Self { dir, transport, from: from.to_lettre() })
    }
}

#[async_trait]
impl EmailSender for FileSender {
    async fn send(&self, message: EmailMessage) -> Result<(), EmailError> {
        let email = mime::build(&self.from, message)?;
        // The directory may have been removed since start-up (a cleaned tmp dir, say).
        tokio::fs::create_dir_all(&self.dir)
            .await
            .map_err(|e| EmailError::transport(e, "create the mail directory"))?;
        let id =
            self.transport.send(email).await.map_err(|e| EmailError::transport(e, "write the .eml file"))?;
        tracing::debug!(%id, "email written to the mail directory");
        Ok(())
    }
}
