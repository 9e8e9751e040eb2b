//! The wire types of in-app notifications and email preferences. They live in
//! `contracts::notifications` (the dashboard's WASM reads them too); this module re-exports them
//! so the context's use cases and tests name them from here.

pub use contracts::notifications::{
    MarkedReadView, NotificationKind, NotificationView, NotificationsPage, PreferenceInput, PreferenceView,
    UnknownKind, UnreadCountView, UnsubscribedView,
};
