//! An SMTP server for tests: it accepts every message it is sent and keeps it in memory (or, when
//! told to with [`SmtpCapture::refuse_next`], refuses the next few with a temporary failure).
//!
//! ```no_run
//! # async fn demo() {
//! use std::time::Duration;
//!
//! let smtp = test_smtp::SmtpCapture::start().await;
//! // … point the mail transport at `smtp.addr()` and trigger a mail …
//! let mails = smtp.wait_for(1, Duration::from_secs(5)).await;
//! assert_eq!(mails[0].subject().as_deref(), Some("Welcome"));
//! let link = &mails[0].links()[0];
//! # let _ = link;
//! # }
//! ```
//!
//! The server speaks plain SMTP (RFC 5321) on `127.0.0.1`: no TLS, no authentication. It
//! advertises `8BITMIME` and `SMTPUTF8`, so clients may send UTF-8 as-is.

mod encoded_word;
mod mail;
mod mime;
mod server;
mod session;
mod transfer;

pub use mail::CapturedMail;
pub use server::SmtpCapture;
