//! The capture server: binds a port, accepts connections and keeps what they deliver.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};

use crate::mail::CapturedMail;
use crate::session;

/// An SMTP server on `127.0.0.1` that stores every message it accepts.
///
/// Each connection is served by its own task, so concurrent senders are fine. Dropping the
/// `SmtpCapture` stops the server and closes its open connections.
#[derive(Debug)]
pub struct SmtpCapture {
    addr: SocketAddr,
    inbox: Arc<Inbox>,
    server: JoinHandle<()>,
}

impl SmtpCapture {
    /// Binds `127.0.0.1:0` and starts serving SMTP on a background task.
    ///
    /// # Panics
    ///
    /// If no local port can be bound (a test set-up failure), or if called outside a tokio
    /// runtime.
    pub async fn start() -> Self {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await.expect("bind the capture SMTP server");
        let addr = listener.local_addr().expect("read the capture SMTP server's address");
        let inbox = Arc::new(Inbox::default());
        let server = tokio::spawn(serve(listener, Arc::clone(&inbox)));
        Self { addr, inbox, server }
    }

    /// The address to point an SMTP client at.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Refuses the next `count` messages with a temporary failure (`451 4.3.0`, after their
    /// `DATA`), as a relay that is briefly unavailable would; the ones after are accepted again.
    /// Calls add up. A refused message is not kept.
    pub fn refuse_next(&self, count: usize) {
        self.inbox.refusals.fetch_add(count, Ordering::SeqCst);
    }

    /// How many messages have been refused so far (see [`SmtpCapture::refuse_next`]).
    pub fn refused(&self) -> usize {
        self.inbox.refused.load(Ordering::SeqCst)
    }

    /// The messages accepted so far, oldest first.
    pub fn messages(&self) -> Vec<CapturedMail> {
        self.inbox.mails.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Waits until at least `count` messages have been accepted, then returns all of them, oldest
    /// first. Returns as soon as the count is reached: no polling.
    ///
    /// # Panics
    ///
    /// If fewer than `count` messages arrive within `timeout`; the message says how many did.
    pub async fn wait_for(&self, count: usize, timeout: Duration) -> Vec<CapturedMail> {
        let mut delivered = self.inbox.count.subscribe();
        let waiting = tokio::time::timeout(timeout, delivered.wait_for(|&n| n >= count));
        if !matches!(waiting.await, Ok(Ok(_))) {
            let got = *delivered.borrow();
            panic!("expected {count} mail(s) within {timeout:?}, the capture server got {got}");
        }
        self.messages()
    }
}

impl Drop for SmtpCapture {
    fn drop(&mut self) {
        // Dropping the server task drops its JoinSet, which aborts the open sessions.
        self.server.abort();
    }
}

/// What the sessions share: the accepted mails, and their count for waiters; how many of the
/// next messages to refuse, and how many were.
#[derive(Debug)]
pub(crate) struct Inbox {
    mails: Mutex<Vec<CapturedMail>>,
    count: watch::Sender<usize>,
    refusals: AtomicUsize,
    refused: AtomicUsize,
}

impl Default for Inbox {
    fn default() -> Self {
        Self {
            mails: Mutex::default(),
            count: watch::Sender::new(0),
            refusals: AtomicUsize::new(0),
            refused: AtomicUsize::new(0),
        }
    }
}

impl Inbox {
    /// Whether to refuse the message just received (spending one of the refusals asked for).
    pub(crate) fn take_refusal(&self) -> bool {
        let taken =
            self.refusals.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1)).is_ok();
        if taken {
            self.refused.fetch_add(1, Ordering::SeqCst);
        }
        taken
    }

    /// Stores an accepted mail and wakes the waiters.
    pub(crate) fn deliver(&self, mail: CapturedMail) {
        let mut mails = self.mails.lock().unwrap_or_else(PoisonError::into_inner);
        mails.push(mail);
        self.count.send_replace(mails.len());
    }
}

async fn serve(listener: TcpListener, inbox: Arc<Inbox>) {
    let mut sessions = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    sessions.spawn(session::run(stream, Arc::clone(&inbox)));
                }
                // Out of file descriptors or similar: back off instead of spinning.
                Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
            },
            Some(_) = sessions.join_next() => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    use tokio::net::TcpStream;

    use super::*;

    /// Speaks one SMTP exchange line by line and returns the reply codes it got.
    async fn send(addr: SocketAddr, lines: &[&str]) -> Vec<String> {
        let stream = TcpStream::connect(addr).await.unwrap();
        let (read, mut write) = stream.into_split();
        let mut read = BufReader::new(read);
        let mut codes = vec![reply(&mut read).await];
        for line in lines {
            write.write_all(line.as_bytes()).await.unwrap();
            codes.push(reply(&mut read).await);
        }
        codes
    }

    /// Reads one (possibly multi-line) reply and returns its code.
    async fn reply(read: &mut BufReader<tokio::net::tcp::OwnedReadHalf>) -> String {
        loop {
            let mut line = String::new();
            read.read_line(&mut line).await.unwrap();
            if line.as_bytes().get(3) != Some(&b'-') {
                return line[..3].to_owned();
            }
        }
    }

    #[tokio::test]
    async fn concurrent_clients_are_captured_and_waited_for() {
        let smtp = SmtpCapture::start().await;
        let addr = smtp.addr();
        let client = |n: usize| async move {
            let data = format!("Subject: mail {n}\r\n\r\n..dot\r\n.\r\n");
            let to = format!("RCPT TO:<u{n}@x.test>\r\n");
            let lines = ["EHLO c.test\r\n", "MAIL FROM:<a@x.test>\r\n", &to, "DATA\r\n", &data, "QUIT\r\n"];
            send(addr, &lines).await
        };
        let (one, two) = tokio::join!(client(1), client(2));
        assert_eq!(one, ["220", "250", "250", "250", "354", "250", "221"]);
        assert_eq!(two, one);
        let mut mails = smtp.wait_for(2, Duration::from_secs(5)).await;
        mails.sort_by(|a, b| a.to.cmp(&b.to));
        assert_eq!(mails[0].to, ["u1@x.test"]);
        assert_eq!(mails[1].raw, "Subject: mail 2\r\n\r\n.dot\r\n");
        assert_eq!(smtp.messages().len(), 2);
    }

    #[tokio::test]
    async fn refused_messages_get_a_temporary_failure_and_are_not_kept() {
        let smtp = SmtpCapture::start().await;
        smtp.refuse_next(1);
        let lines = [
            "EHLO c.test\r\n",
            "MAIL FROM:<a@x.test>\r\n",
            "RCPT TO:<b@x.test>\r\n",
            "DATA\r\n",
            "Subject: s\r\n\r\nb\r\n.\r\n",
        ];
        assert_eq!(send(smtp.addr(), &lines).await, ["220", "250", "250", "250", "354", "451"]);
        assert_eq!((smtp.messages().len(), smtp.refused()), (0, 1));
        assert_eq!(send(smtp.addr(), &lines).await, ["220", "250", "250", "250", "354", "250"]);
        assert_eq!((smtp.messages().len(), smtp.refused()), (1, 1));
    }

    #[tokio::test]
    #[should_panic(expected = "expected 1 mail(s) within 10ms, the capture server got 0")]
    async fn wait_for_panics_when_too_few_arrive() {
        let smtp = SmtpCapture::start().await;
        smtp.wait_for(1, Duration::from_millis(10)).await;
    }
}
