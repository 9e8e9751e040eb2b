//! One SMTP conversation (RFC 5321): greeting, envelope, `DATA`, until `QUIT` or hang-up.

use std::io;
use std::sync::Arc;

use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

use crate::mail::CapturedMail;
use crate::server::Inbox;

const GREETING: &str = "220 127.0.0.1 ESMTP test_smtp ready\r\n";

/// Serves one connection until the client quits or hangs up; I/O errors just end it.
pub(crate) async fn run(stream: TcpStream, inbox: Arc<Inbox>) {
    let _ = converse(stream, &inbox).await;
}

async fn converse(mut stream: TcpStream, inbox: &Inbox) -> io::Result<()> {
    let (read, mut write) = stream.split();
    let mut read = BufReader::new(read);
    write.write_all(GREETING.as_bytes()).await?;
    let mut session = Session::default();
    let mut line = Vec::new();
    loop {
        line.clear();
        if read.read_until(b'\n', &mut line).await? == 0 {
            return Ok(());
        }
        let reply = match session.command(&String::from_utf8_lossy(&line)) {
            Reply::Send(reply) => reply,
            Reply::Close(reply) => return write.write_all(reply.as_bytes()).await,
            Reply::ReadData(go_ahead) => {
                write.write_all(go_ahead.as_bytes()).await?;
                let Some(raw) = read_data(&mut read).await? else { return Ok(()) };
                let mail = session.take_mail(raw);
                if inbox.take_refusal() {
                    "451 4.3.0 Temporarily unable to accept the message; try again later\r\n".to_owned()
                } else {
                    inbox.deliver(mail);
                    "250 2.0.0 OK: queued\r\n".to_owned()
                }
            }
        };
        write.write_all(reply.as_bytes()).await?;
    }
}

/// What the connection must do after a command line.
#[derive(Debug, PartialEq, Eq)]
enum Reply {
    /// Write this reply and read the next command.
    Send(String),
    /// Write this reply (the `354`), then read the message up to the lone `.` line.
    ReadData(String),
    /// Write this reply and close the connection.
    Close(String),
}

/// The conversation's state: whether the client said hello, and the envelope so far.
#[derive(Debug, Default)]
struct Session {
    greeted: bool,
    from: Option<String>,
    to: Vec<String>,
}

impl Session {
    fn command(&mut self, line: &str) -> Reply {
        let line = line.trim_end_matches(['\r', '\n']);
        let (verb, arg) = line.split_once(' ').unwrap_or((line, ""));
        let arg = arg.trim();
        let send = |reply: &str| Reply::Send(format!("{reply}\r\n"));
        match verb.to_ascii_uppercase().as_str() {
            "EHLO" | "HELO" if arg.is_empty() => send("501 5.5.4 Syntax: EHLO hostname"),
            "EHLO" => {
                self.hello();
                send(&format!("250-127.0.0.1 greets {arg}\r\n250-8BITMIME\r\n250 SMTPUTF8"))
            }
            "HELO" => {
                self.hello();
                send("250 127.0.0.1")
            }
            "MAIL" if !self.greeted => send("503 5.5.1 Send EHLO or HELO first"),
            "MAIL" if self.from.is_some() => send("503 5.5.1 Nested MAIL command"),
            "MAIL" => match path(arg, "FROM:") {
                Some(from) => {
                    self.from = Some(from.to_owned());
                    send("250 2.1.0 OK")
                }
                None => send("501 5.5.4 Syntax: MAIL FROM:<address>"),
            },
            "RCPT" if self.from.is_none() => send("503 5.5.1 Send MAIL first"),
            "RCPT" => match path(arg, "TO:") {
                Some(to) if !to.is_empty() => {
                    self.to.push(to.to_owned());
                    send("250 2.1.5 OK")
                }
                _ => send("501 5.5.4 Syntax: RCPT TO:<address>"),
            },
            "DATA" if self.to.is_empty() => send("503 5.5.1 Send RCPT first"),
            "DATA" => Reply::ReadData("354 End data with <CR><LF>.<CR><LF>\r\n".to_owned()),
            "RSET" => {
                self.reset();
                send("250 2.0.0 OK")
            }
            "NOOP" => send("250 2.0.0 OK"),
            "VRFY" => send("252 2.5.0 Cannot VRFY user, but will accept the message"),
            "QUIT" => Reply::Close("221 2.0.0 Bye\r\n".to_owned()),
            _ => send("500 5.5.2 Command not recognized"),
        }
    }

    /// Builds the mail from the envelope and the `DATA` text, and starts a new transaction.
    fn take_mail(&mut self, raw: String) -> CapturedMail {
        let from = self.from.take().unwrap_or_default();
        CapturedMail { from, to: std::mem::take(&mut self.to), raw }
    }

    fn hello(&mut self) {
        self.greeted = true;
        self.reset();
    }

    fn reset(&mut self) {
        self.from = None;
        self.to.clear();
    }
}

/// The address of `FROM:<a@b> PARAMS` / `TO:<a@b>` (the keyword case-insensitive; the
/// parameters, such as `BODY=8BITMIME` or `SMTPUTF8`, accepted and ignored). `<>` gives `""`.
fn path<'a>(arg: &'a str, keyword: &str) -> Option<&'a str> {
    let head = arg.get(..keyword.len())?;
    if !head.eq_ignore_ascii_case(keyword) {
        return None;
    }
    let rest = arg[keyword.len()..].trim_start();
    let inner = rest.strip_prefix('<')?;
    inner.find('>').map(|end| &inner[..end])
}

/// Reads the message text after `354` up to the line holding a lone `.`, undoing dot-stuffing
/// (RFC 5321 §4.5.2). Lines come back CRLF-terminated. `None` if the client hung up first.
async fn read_data<R: AsyncBufRead + Unpin>(read: &mut R) -> io::Result<Option<String>> {
    let mut raw = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        if read.read_until(b'\n', &mut line).await? == 0 || line.last() != Some(&b'\n') {
            return Ok(None);
        }
        let text = line.strip_suffix(b"\n").unwrap_or(&line);
        let text = text.strip_suffix(b"\r").unwrap_or(text);
        if text == b"." {
            return Ok(Some(String::from_utf8_lossy(&raw).into_owned()));
        }
        raw.extend_from_slice(text.strip_prefix(b".").unwrap_or(text));
        raw.extend_from_slice(b"\r\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(reply: &Reply) -> &str {
        let (Reply::Send(text) | Reply::ReadData(text) | Reply::Close(text)) = reply;
        &text[..3]
    }

    #[test]
    fn a_full_transaction_follows_the_state_machine() {
        let mut s = Session::default();
        assert_eq!(code(&s.command("MAIL FROM:<a@x.test>\r\n")), "503");
        let Reply::Send(ehlo) = s.command("EHLO client.test\r\n") else { panic!() };
        assert!(ehlo.starts_with("250-") && ehlo.contains("250-8BITMIME\r\n250 SMTPUTF8\r\n"));
        assert!(!ehlo.contains("STARTTLS"));
        assert_eq!(code(&s.command("RCPT TO:<b@x.test>\r\n")), "503");
        assert_eq!(code(&s.command("DATA\r\n")), "503");
        assert_eq!(code(&s.command("mail from:<a@x.test> BODY=8BITMIME SMTPUTF8\r\n")), "250");
        assert_eq!(code(&s.command("MAIL FROM:<a@x.test>\r\n")), "503");
        assert_eq!(code(&s.command("RCPT TO:<>\r\n")), "501");
        assert_eq!(code(&s.command("RCPT TO:<b@x.test>\r\n")), "250");
        assert_eq!(code(&s.command("RCPT TO: <c@x.test>\r\n")), "250");
        assert_eq!(s.command("DATA\r\n"), Reply::ReadData("354 End data with <CR><LF>.<CR><LF>\r\n".into()));
        let mail = s.take_mail("Subject: hi\r\n\r\nbody\r\n".into());
        assert_eq!(mail.from, "a@x.test");
        assert_eq!(mail.to, ["b@x.test", "c@x.test"]);
        assert_eq!(code(&s.command("RCPT TO:<b@x.test>\r\n")), "503", "a new transaction needs MAIL");
    }

    #[test]
    fn rset_noop_quit_and_unknown_commands() {
        let mut s = Session::default();
        assert_eq!(code(&s.command("HELO client\r\n")), "250");
        assert_eq!(code(&s.command("MAIL FROM:<>\r\n")), "250");
        assert_eq!(code(&s.command("RSET\r\n")), "250");
        assert_eq!(code(&s.command("RCPT TO:<b@x.test>\r\n")), "503");
        assert_eq!(code(&s.command("NOOP\r\n")), "250");
        assert_eq!(code(&s.command("STARTTLS\r\n")), "500");
        assert_eq!(code(&s.command("EHLO\r\n")), "501");
        assert_eq!(code(&s.command("MAIL TO:<a@x.test>\r\n")), "501");
        assert_eq!(s.command("QUIT\r\n"), Reply::Close("221 2.0.0 Bye\r\n".into()));
    }

    #[tokio::test]
    async fn data_is_dot_unstuffed_and_ends_at_the_lone_dot() {
        let wire = b"Subject: x\r\n\r\n..leading dot\r\n.\r\nafter\r\n";
        let mut read = &wire[..];
        let raw = read_data(&mut read).await.unwrap();
        assert_eq!(raw.as_deref(), Some("Subject: x\r\n\r\n.leading dot\r\n"));
        assert_eq!(read, b"after\r\n");
        let mut cut = &b"Subject: x\r\n\r\nno end"[..];
        assert_eq!(read_data(&mut cut).await.unwrap(), None);
    }
}
