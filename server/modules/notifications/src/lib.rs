//! The notifications context: email, and in-app notifications fed by domain events.
//!
//! # Email
//!
//! Other contexts may compose an [`EmailMessage`] (in the recipient's locale, with a plain-text
//! and an HTML body) and hand it to an [`EmailSender`]. The host picks the adapter from
//! `MAIL_TRANSPORT` and builds it with [`sender_from`]:
//!
//! | [`Transport`] | what `send` does |
//! |---|---|
//! | `Smtp` | hands the message to an SMTP relay (lettre, STARTTLS when offered, 10 s timeout) |
//! | `File` | writes one `.eml` file per message into a directory |
//! | `Log` | logs recipient, subject and text body at INFO: for development |
//!
//! [`RecordingSender`] keeps messages in memory, for use-case tests where SMTP is not the point.
//!
//! The emails this context sends itself go through the job [`EMAIL_JOB`] (`emails.send`, payload
//! [`SendEmail`]: recipient, locale, kind and data — never rendered HTML). The handler writes the
//! email in the recipient's language ([`template`]: user input escaped, the shared layout) and
//! sends it; an error fails the attempt, so the runtime retries it with backoff and, after its
//! last attempt, leaves it dead (listed in the admin console).
//!
//! # In-app notifications
//!
//! Schema `notifications`. [`NotificationsSubscriber`] (outbox subscriber `"notifications"`) turns
//! `user.created`, `lead.captured`, `payment.failed` and `usage.quota_exceeded` into
//! notifications and email jobs, once per event id; `membership.removed` deletes that member's
//! notifications about the organization. Who is told what, and the one-minute lead digest, are
//! described in [`application::handle_event`]. Email preferences are per user and kind; only
//! [`NotificationKind::LeadCaptured`] emails can be turned off (welcome and payment emails are
//! essential). Each lead digest carries a one-use unsubscribe link: 32 random bytes in the link,
//! their SHA-256 stored (`kernel::token`), valid once, for a year.
//!
//! Use cases ([`application`]), by user id (notifications belong to a user, across
//! organizations): [`application::list`], [`application::unread_count`],
//! [`application::mark_read`], [`application::mark_all_read`], [`application::preferences`],
//! [`application::set_preference`], [`application::unsubscribe_preview`],
//! [`application::unsubscribe`]. Their wire types are `contracts::notifications`, re-exported
//! as [`views`].
//!
//! # What the host wires
//!
//! - a [`NotificationsCtx`] (pool, clock, the [`EmailSender`], `PUBLIC_URL`, and a
//!   [`Recipients`] implementation over iam, tenancy and links: users, members holding a
//!   permission, pages, organization names — see the port's contract);
//! - `NotificationsSubscriber(ctx)` in `server/src/jobs.rs::subscribers`;
//! - [`register_jobs`]`(&mut jobs, ctx)` in `server/src/jobs.rs::registry` (`emails.send`, and
//!   `notifications-prune` daily at 04:30 UTC);
//! - routes, for the signed-in user (`Caller`, not `Member`): `GET /api/v1/notifications
//!   ?unread=&cursor=&limit=` → [`application::list`] with the user's locale;
//!   `GET …/notifications/unread-count` → [`application::unread_count`]; `POST
//!   …/notifications/{id}/read` → [`application::mark_read`] (204; another user's id: 404);
//!   `POST …/notifications/read-all` → [`application::mark_all_read`] (`{marked}`); `GET
//!   …/notifications/preferences` / `PUT …/preferences/{kind}` → [`application::preferences`] /
//!   [`application::set_preference`] (the host serves this in `server/src/http/api/notifications.rs`,
//!   and the older `/api/v1/me/notifications` of the HTTP contract beside it);
//! - the page at [`UNSUBSCRIBE_PATH`]`?token=` (no session): `GET` shows what stops
//!   ([`application::unsubscribe_preview`]) with a confirm button, whose `POST` calls
//!   [`application::unsubscribe`] — a `GET` must not unsubscribe, since mail scanners open links.

pub mod application;
mod emails;
mod error;
pub(crate) mod infrastructure;
mod message;
mod sender;
pub mod template;
pub mod views;

pub use application::{
    LEAD_DIGEST_WINDOW, NotificationId, NotificationsCtx, NotificationsError, PageSummary, Recipient,
    Recipients, UNSUBSCRIBE_PATH,
};
pub use emails::{EMAIL_JOB, Email, SendEmail};
pub use error::EmailError;
pub use infrastructure::jobs::{PRUNE_JOB, PRUNE_SCHEDULE, register_jobs};
pub use infrastructure::subscriber::NotificationsSubscriber;
pub use infrastructure::{RecordingSender, SmtpCredentials, Transport, sender_from};
pub use message::{EmailMessage, Mailbox};
pub use sender::EmailSender;
pub use views::NotificationKind;
