//! Identity's domain events (recorded in the outbox).

use runtime::outbox::DomainEvent;
use serde::Serialize;

use crate::domain::user::UserId;

/// A user signed up.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserCreated {
    pub user_id: UserId,
    pub locale: contracts::Locale,
}

impl DomainEvent for UserCreated {
    const TYPE: &'static str = "user.created";
    const PRODUCER: &'static str = "iam";
}

/// A user proved they own their email address.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserEmailVerified {
    pub user_id: UserId,
}

impl DomainEvent for UserEmailVerified {
    const TYPE: &'static str = "user.email_verified";
    const PRODUCER: &'static str = "iam";
}

/// A platform admin deactivated a user (their sessions are gone; they cannot sign in).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserDeactivated {
    pub user_id: UserId,
    pub actor_id: UserId,
}

impl DomainEvent for UserDeactivated {
    const TYPE: &'static str = "user.deactivated";
    const PRODUCER: &'static str = "iam";
}

/// A platform admin reactivated a user.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserReactivated {
    pub user_id: UserId,
    pub actor_id: UserId,
}

impl DomainEvent for UserReactivated {
    const TYPE: &'static str = "user.reactivated";
    const PRODUCER: &'static str = "iam";
}
