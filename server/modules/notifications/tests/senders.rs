//! The adapters end to end: SMTP into a capture server, files on disk, and their failures.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use notifications::{
    EmailError, EmailMessage, EmailSender, Mailbox, RecordingSender, Transport, sender_from,
};
use test_smtp::{CapturedMail, SmtpCapture};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

const SUBJECT: &str = "Verificá tu correo — mibio";
const LINK: &str = "https://mibio.test/verify-email?token=Zm9v_YmFy-ñ";

fn verification(to: &str) -> EmailMessage {
    EmailMessage {
        to: to.parse().unwrap(),
        subject: SUBJECT.into(),
        // A long line (soft breaks), a leading dot (dot-stuffing) and non-ASCII text.
        text: format!(
            "Hola María,\n\nAbrí este enlace para verificar tu correo: {LINK}\n{}\n.punto inicial\n",
            "ñ".repeat(90)
        ),
        html: format!("<p>Hola María,</p>\n<p><a href=\"{LINK}\">Verificá tu correo</a></p>\n"),
    }
}

fn from() -> Mailbox {
    "mibio <no-reply@mibio.test>".parse().unwrap()
}

fn smtp(port: u16) -> Arc<dyn EmailSender> {
    sender_from(Transport::Smtp { host: "127.0.0.1".into(), port, credentials: None }, from()).unwrap()
}

fn assert_is_the_verification(mail: &CapturedMail) {
    let sent = verification("María Pérez <maria@example.com>");
    assert_eq!(mail.subject().as_deref(), Some(SUBJECT));
    assert_eq!(mail.text_body().as_deref(), Some(sent.text.as_str()));
    assert_eq!(mail.html_body().as_deref(), Some(sent.html.as_str()));
    assert_eq!(mail.links(), [LINK]);
    let content_type = mail.header("Content-Type").unwrap();
    assert!(content_type.starts_with("multipart/alternative"), "{content_type}");
    assert_eq!(mail.header("To").as_deref(), Some("María Pérez <maria@example.com>"));
    assert_eq!(mail.header("From").as_deref(), Some("mibio <no-reply@mibio.test>"));
}

#[tokio::test]
async fn smtp_delivers_a_multipart_message() {
    let capture = SmtpCapture::start().await;
    let sender = smtp(capture.addr().port());
    sender.send(verification("María Pérez <maria@example.com>")).await.unwrap();

    let mails = capture.wait_for(1, Duration::from_secs(5)).await;
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].from, "no-reply@mibio.test");
    assert_eq!(mails[0].to, ["maria@example.com"]);
    assert_is_the_verification(&mails[0]);
}

#[tokio::test]
async fn smtp_sends_concurrently() {
    let capture = SmtpCapture::start().await;
    let sender = smtp(capture.addr().port());
    let (a, b, c) = tokio::join!(
        sender.send(verification("a@example.com")),
        sender.send(verification("b@example.com")),
        sender.send(verification("c@example.com")),
    );
    for sent in [a, b, c] {
        sent.unwrap();
    }
    let mut to: Vec<_> =
        capture.wait_for(3, Duration::from_secs(5)).await.into_iter().flat_map(|m| m.to).collect();
    to.sort();
    assert_eq!(to, ["a@example.com", "b@example.com", "c@example.com"]);
}

#[tokio::test]
async fn smtp_to_a_closed_port_is_a_transport_error_not_a_hang() {
    let port = TcpListener::bind("127.0.0.1:0").await.unwrap().local_addr().unwrap().port();
    let sender = smtp(port);
    let sending = sender.send(verification("a@example.com"));
    let error = tokio::time::timeout(Duration::from_secs(15), sending).await.unwrap().unwrap_err();
    assert!(matches!(error, EmailError::Transport(_)), "{error}");
    assert!(!error.is_permanent());
}

#[tokio::test]
async fn a_recipient_the_relay_refuses_is_rejected_for_good() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        let (read, mut write) = stream.split();
        let mut lines = BufReader::new(read).lines();
        write.write_all(b"220 strict.test ESMTP\r\n").await.unwrap();
        while let Ok(Some(line)) = lines.next_line().await {
            let reply: &[u8] = match &line.to_ascii_uppercase()[..4] {
                "RCPT" => b"550 5.1.1 No such user here\r\n",
                "QUIT" => b"221 Bye\r\n",
                _ => b"250 OK\r\n",
            };
            write.write_all(reply).await.unwrap();
        }
    });
    let error = smtp(port).send(verification("ghost@example.com")).await.unwrap_err();
    assert!(matches!(&error, EmailError::Rejected(reply) if reply.contains("No such user")), "{error}");
    assert!(error.is_permanent());
}

#[test]
fn an_invalid_recipient_address_is_refused_when_the_mailbox_is_built() {
    for bad in ["maria", "maria@", "María <maria@>", "maria@example..com", "<>"] {
        let error = bad.parse::<Mailbox>().unwrap_err();
        assert!(matches!(error, EmailError::InvalidAddress { .. }), "{bad:?}: {error}");
        assert!(error.is_permanent());
    }
    assert!(matches!(Mailbox::new("maria example.com"), Err(EmailError::InvalidAddress { .. })));
}

#[tokio::test]
async fn the_file_adapter_writes_one_parseable_eml_per_message() {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos();
    let root = std::env::temp_dir().join(format!("mibio-notifications-{}-{nanos}", std::process::id()));
    let dir = root.join("outbox");
    let sender = sender_from(Transport::File(dir.clone()), from()).unwrap();
    sender.send(verification("María Pérez <maria@example.com>")).await.unwrap();

    let files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|entry| entry.unwrap().path()).collect();
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(files[0].extension().and_then(|e| e.to_str()), Some("eml"));
    let raw = std::fs::read_to_string(&files[0]).unwrap();
    assert_is_the_verification(&CapturedMail { from: String::new(), to: Vec::new(), raw });
    std::fs::remove_dir_all(root).unwrap();
}

#[tokio::test]
async fn the_log_and_recording_adapters_never_fail() {
    sender_from(Transport::Log, from()).unwrap().send(verification("a@example.com")).await.unwrap();

    let recorder = RecordingSender::new();
    let sender: Arc<dyn EmailSender> = Arc::new(recorder.clone());
    sender.send(verification("a@example.com")).await.unwrap();
    let messages = recorder.messages();
    assert_eq!(messages.len(), 1);
    assert_eq!((messages[0].to.address(), messages[0].subject.as_str()), ("a@example.com", SUBJECT));
}
