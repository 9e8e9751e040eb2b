//! The one error shape every 4xx/5xx JSON response carries:
//! `{"error": {"code": "snake_case_code", "message": "human text", "fields": {..}?, "problems": {..}?}}`.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{Problem, Problems};

/// Machine-readable error codes. Clients switch on these; the messages are for people.
///
/// The set is open (new codes may be added), so clients must treat an unknown code like the
/// generic error of its HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// 400/422: the body or query failed validation; `fields` names each bad field (and
    /// `problems` says what is wrong with it, as a code).
    Validation,
    /// 400: the request could not be parsed at all (malformed JSON, bad query string).
    BadRequest,
    /// 401: no valid session.
    Unauthenticated,
    /// 401: wrong email or password (the same answer for both).
    InvalidCredentials,
    /// 400: a link's token is unknown, used or expired.
    InvalidToken,
    /// 403: authenticated but lacking a permission, or a failed CSRF origin check.
    Forbidden,
    /// 403: the action puts something in front of other people (publishing a page, sending an
    /// invitation), and the caller has not verified their email address yet.
    EmailUnverified,
    /// 404: no such resource (or one the caller may not know exists).
    NotFound,
    /// 405: the path exists but not for this method.
    MethodNotAllowed,
    /// 409: the request conflicts with the current state.
    Conflict,
    /// 409: an org-scoped endpoint was called with no active organization.
    NoActiveOrganization,
    /// 409: a page slug is taken or reserved.
    SlugUnavailable,
    /// 402: a premium endpoint without an active subscription.
    SubscriptionRequired,
    /// 402: a usage cap was reached.
    QuotaExceeded,
    /// 409: the billing portal was asked for an organization that never paid through the
    /// configured provider (nothing to manage yet).
    NoBillingAccount,
    /// 413: the body is larger than the endpoint accepts.
    PayloadTooLarge,
    /// 415: the body's `Content-Type` is not what the endpoint accepts.
    UnsupportedMediaType,
    /// 429: rate limited; see `Retry-After`.
    RateLimited,
    /// 500: an unexpected failure; the message carries an id to quote to support.
    Internal,
    /// 503: a dependency (database, storage, mail) is unavailable.
    Unavailable,
    /// 503: no payment provider is configured (`PAYMENT_PROVIDER=none`), or it has no price for
    /// the plan, currency and interval asked for.
    BillingNotConfigured,
}

impl ErrorCode {
    /// The HTTP status this code is answered with.
    #[must_use]
    pub const fn status(self) -> u16 {
        match self {
            Self::Validation | Self::BadRequest | Self::InvalidToken => 400,
            Self::Unauthenticated | Self::InvalidCredentials => 401,
            Self::SubscriptionRequired | Self::QuotaExceeded => 402,
            Self::Forbidden | Self::EmailUnverified => 403,
            Self::NotFound => 404,
            Self::MethodNotAllowed => 405,
            Self::Conflict | Self::NoActiveOrganization | Self::SlugUnavailable | Self::NoBillingAccount => {
                409
            }
            Self::PayloadTooLarge => 413,
            Self::UnsupportedMediaType => 415,
            Self::RateLimited => 429,
            Self::Internal => 500,
            Self::Unavailable | Self::BillingNotConfigured => 503,
        }
    }

    /// The generic code for an HTTP error status, used when a lower layer (routing, body limits)
    /// produced the error and no domain code applies.
    #[must_use]
    pub const fn for_status(status: u16) -> Self {
        match status {
            401 => Self::Unauthenticated,
            402 => Self::SubscriptionRequired,
            403 => Self::Forbidden,
            404 => Self::NotFound,
            405 => Self::MethodNotAllowed,
            409 => Self::Conflict,
            413 => Self::PayloadTooLarge,
            415 => Self::UnsupportedMediaType,
            422 => Self::Validation,
            429 => Self::RateLimited,
            503 => Self::Unavailable,
            400..=499 => Self::BadRequest,
            _ => Self::Internal,
        }
    }

    /// The snake_case wire name of the code.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Validation => "validation",
            Self::BadRequest => "bad_request",
            Self::Unauthenticated => "unauthenticated",
            Self::InvalidCredentials => "invalid_credentials",
            Self::InvalidToken => "invalid_token",
            Self::Forbidden => "forbidden",
            Self::EmailUnverified => "email_unverified",
            Self::NotFound => "not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::Conflict => "conflict",
            Self::NoActiveOrganization => "no_active_organization",
            Self::SlugUnavailable => "slug_unavailable",
            Self::SubscriptionRequired => "subscription_required",
            Self::QuotaExceeded => "quota_exceeded",
            Self::PayloadTooLarge => "payload_too_large",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::RateLimited => "rate_limited",
            Self::Internal => "internal",
            Self::Unavailable => "unavailable",
            Self::NoBillingAccount => "no_billing_account",
            Self::BillingNotConfigured => "billing_not_configured",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A failed request as the client sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    /// For `validation`: each bad field (JSON path, camelCase) and what is wrong with it, in
    /// English (the [`Problem`]'s sentence).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, String>,
    /// For `validation`: the same fields and what is wrong with each as a [`Problem`] (a code with
    /// parameters), for clients that put it in their own words.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[cfg_attr(feature = "openapi", schema(value_type = BTreeMap<String, Problem>))]
    pub problems: Problems,
    /// For `conflict`: which rule of the current state the request ran into, for clients that
    /// explain it in their own words (the `message` is its English sentence).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<ConflictReason>,
}

/// Why a request conflicts with the current state (`409 conflict`). The set is open: a client
/// that meets a reason it does not know shows the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConflictReason {
    /// The invited person already belongs to the organization.
    AlreadyMember,
    /// The organization's last owner would lose the owner role.
    LastOwnerRoleChange,
    /// The organization's last owner would leave or be removed.
    LastOwnerRemoval,
    /// A role that members, invitations or other roles use cannot be renamed.
    RoleInUseRename,
    /// Another role of the organization has this name.
    RoleNameTaken,
    /// Members or open invitations hold the role being deleted.
    RoleHeld,
    /// Other roles inherit the role being deleted.
    RoleInherited,
    /// The organization already pays for a plan through the provider: a second checkout would
    /// charge it twice; plans are changed in the provider's portal.
    AlreadySubscribed,
}

impl ConflictReason {
    /// The English sentence the wire's `message` carries.
    #[must_use]
    pub const fn message(self) -> &'static str {
        match self {
            Self::AlreadyMember => "This person is already a member.",
            Self::LastOwnerRoleChange => {
                "The last owner cannot be demoted; make someone else an owner first."
            }
            Self::LastOwnerRemoval => "The last owner cannot be removed; make someone else an owner first.",
            Self::RoleInUseRename => "A role in use cannot be renamed.",
            Self::RoleNameTaken => "A role with this name exists.",
            Self::RoleHeld => "Members or open invitations hold this role; give them another role first.",
            Self::RoleInherited => "Other roles inherit this role.",
            Self::AlreadySubscribed => {
                "The organization already has a paid plan; change it in Manage billing."
            }
        }
    }
}

impl ApiError {
    /// An error with a code and a message and no field details.
    #[must_use]
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            fields: BTreeMap::new(),
            problems: Problems::new(),
            reason: None,
        }
    }

    /// A `conflict` for `reason`, with its English sentence as the message.
    #[must_use]
    pub fn conflict(reason: ConflictReason) -> Self {
        Self { reason: Some(reason), ..Self::new(ErrorCode::Conflict, reason.message()) }
    }

    /// A `validation` error naming one bad field.
    #[must_use]
    pub fn problem(field: impl Into<String>, problem: impl Into<Problem>) -> Self {
        Self::problems(problem.into().at(field))
    }

    /// A `validation` error naming every bad field.
    #[must_use]
    pub fn problems(problems: Problems) -> Self {
        let message = match problems.len() {
            1 => format!("Invalid value for {}.", problems.keys().next().map_or("", String::as_str)),
            n => format!("{n} fields are invalid."),
        };
        let fields = problems.iter().map(|(field, problem)| (field.clone(), problem.to_string())).collect();
        Self { code: ErrorCode::Validation, message, fields, problems, reason: None }
    }

    /// The HTTP status this error is answered with.
    #[must_use]
    pub const fn status(&self) -> u16 {
        self.code.status()
    }

    /// Wraps the error in the `{"error": …}` envelope of the wire format.
    #[must_use]
    pub fn into_body(self) -> ApiErrorBody {
        ApiErrorBody { error: self }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for ApiError {}

/// The JSON envelope of every error response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiErrorBody {
    pub error: ApiError,
}

#[cfg(feature = "server-fn")]
mod server_fn_error {
    use server_fn::codec::JsonEncoding;
    use server_fn::error::{FromServerFnError, ServerFnErrorErr};

    use super::{ApiError, ErrorCode};

    impl FromServerFnError for ApiError {
        type Encoder = JsonEncoding;

        fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
            let code = match &value {
                ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => ErrorCode::BadRequest,
                ServerFnErrorErr::Request(_) => ErrorCode::Unavailable,
                _ => ErrorCode::Internal,
            };
            Self::new(code, value.to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use pretty_assertions::assert_eq;

    use super::*;

    #[test]
    fn serializes_to_the_documented_envelope() {
        let body =
            ApiError::new(ErrorCode::NoActiveOrganization, "Choose an organization first.").into_body();
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            serde_json::json!({"error": {"code": "no_active_organization", "message": "Choose an organization first."}})
        );
    }

    #[test]
    fn conflicts_carry_their_reason_and_its_sentence() {
        let body = ApiError::conflict(ConflictReason::LastOwnerRemoval).into_body();
        let json = serde_json::to_value(&body).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"error": {
                "code": "conflict",
                "message": "The last owner cannot be removed; make someone else an owner first.",
                "reason": "last_owner_removal",
            }})
        );
        let back: ApiErrorBody = serde_json::from_value(json).unwrap();
        assert_eq!(back.error.reason, Some(ConflictReason::LastOwnerRemoval));
    }

    #[test]
    fn validation_errors_name_each_field() {
        let err = ApiError::problem("slug", Problem::TooShort { min: 3 });
        let json = serde_json::to_value(err.into_body()).unwrap();
        assert_eq!(json["error"]["code"], "validation");
        assert_eq!(json["error"]["fields"]["slug"], "must be at least 3 characters");
        assert_eq!(json["error"]["problems"]["slug"], serde_json::json!({"code": "too_short", "min": 3}));
        assert_eq!(json["error"]["message"], "Invalid value for slug.");
    }

    #[test]
    fn both_maps_name_the_same_fields() {
        let err = ApiError::problems(Problems::from([
            ("title".to_owned(), Problem::TooLong { max: 100 }),
            ("config.url".to_owned(), Problem::NotHttpUrl),
        ]));
        assert_eq!(err.message, "2 fields are invalid.");
        assert_eq!(
            serde_json::to_value(err.into_body()).unwrap(),
            serde_json::json!({"error": {
                "code": "validation",
                "message": "2 fields are invalid.",
                "fields": {
                    "config.url": "must be an http:// or https:// address",
                    "title": "must be at most 100 characters",
                },
                "problems": {
                    "config.url": {"code": "not_http_url"},
                    "title": {"code": "too_long", "max": 100},
                },
            }})
        );
    }

    #[test]
    fn bodies_without_problems_still_read() {
        let body: ApiErrorBody = serde_json::from_value(serde_json::json!({
            "error": {"code": "validation", "message": "Invalid value for slug.", "fields": {"slug": "is reserved"}}
        }))
        .unwrap();
        assert_eq!(body.error.fields["slug"], "is reserved");
        assert!(body.error.problems.is_empty());
    }

    #[test]
    fn codes_map_to_the_contract_statuses() {
        assert_eq!(ErrorCode::SlugUnavailable.status(), 409);
        assert_eq!(ErrorCode::QuotaExceeded.status(), 402);
        assert_eq!(ErrorCode::PayloadTooLarge.status(), 413);
        assert_eq!(ErrorCode::for_status(415), ErrorCode::UnsupportedMediaType);
        assert_eq!(ErrorCode::for_status(418), ErrorCode::BadRequest);
        assert_eq!(ErrorCode::for_status(502), ErrorCode::Internal);
        for code in [ErrorCode::Validation, ErrorCode::RateLimited, ErrorCode::Unavailable] {
            let wire = serde_json::to_value(code).unwrap();
            assert_eq!(wire, code.as_str());
        }
    }

    #[cfg(feature = "server-fn")]
    #[test]
    fn travels_through_server_functions_unchanged() {
        use server_fn::error::FromServerFnError;
        let err = ApiError::problem("title", Problem::Required);
        assert_eq!(ApiError::de(err.ser()), err);
    }
}
