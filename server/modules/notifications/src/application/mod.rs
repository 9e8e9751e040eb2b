//! The notifications use cases: a user's in-app notifications and email preferences (called by
//! the host's `/api/v1/notifications` adapters), unsubscribe links, and the work of the outbox
//! subscriber ([`handle_event`]) and of the email job ([`send_email`]).

mod ctx;
mod error;
pub(crate) mod events;
mod handle_event;
mod list;
mod mark_read;
pub(crate) mod payloads;
mod preferences;
pub(crate) mod render;
mod send_email;
mod unsubscribe;

pub use ctx::{NotificationId, NotificationsCtx, PageSummary, Recipient, Recipients};
pub use error::NotificationsError;
pub use handle_event::{LEAD_DIGEST_WINDOW, handle_event};
pub use list::{list, unread_count};
pub use mark_read::{mark_all_read, mark_read};
pub use preferences::{preferences, set_preference};
pub use send_email::{Sent, UNSUBSCRIBE_PATH, send_email};
pub use unsubscribe::{unsubscribe, unsubscribe_preview};
