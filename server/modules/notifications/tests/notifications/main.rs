//! The notifications context against a real Postgres and a real SMTP server (the capture server
//! of `test_smtp`): events through the subscriber, emails through the job and its retries, the
//! lead digest, preferences and unsubscribe links, and a user's notifications.

mod digest;
mod emails;
mod inbox;
mod support;
