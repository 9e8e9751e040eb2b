//! Identity on the wire: `/api/auth/*` and `/api/v1/me` bodies and answers.

use serde::{Deserialize, Serialize};

use crate::Locale;

/// `POST /api/auth/sign-up/email`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SignUpInput {
    #[cfg_attr(feature = "openapi", schema(format = Email))]
    pub email: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 8, max_length = 256))]
    pub password: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub name: String,
    /// The interface language; defaults to the one the request negotiated.
    #[serde(default)]
    pub locale: Option<Locale>,
    /// Where the verification link leads (a path on this site; see [`crate::next`]).
    #[serde(default)]
    pub next: Option<String>,
}

/// `POST /api/auth/sign-in/email`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SignInInput {
    pub email: String,
    pub password: String,
    /// Where to continue (a path on this site; see [`crate::next`]).
    #[serde(default)]
    pub next: Option<String>,
}

/// The answer of sign-in: the user, and where to go now (`next` if it was a path on this site,
/// else `/dashboard`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignedIn {
    pub user: UserView,
    pub next: String,
}

/// `POST /api/auth/change-password`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ChangePasswordInput {
    pub current_password: String,
    pub new_password: String,
}

/// `POST /api/auth/request-password-reset`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RequestPasswordResetInput {
    pub email: String,
}

/// `POST /api/auth/reset-password`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ResetPasswordInput {
    pub token: String,
    pub new_password: String,
}

/// `PATCH /api/v1/me`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct UpdateMeInput {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub locale: Option<Locale>,
}

/// `GET /api/auth/verify-email` for a JSON client: the address is verified, and whether this
/// browser was signed in by it (it holds the sign-up's cookie).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct VerifiedView {
    pub verified: bool,
    pub signed_in: bool,
}

/// A user as the session and auth answers show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct UserView {
    pub id: String,
    pub email: String,
    pub name: String,
    pub email_verified: bool,
    pub locale: Locale,
    /// Where the user's avatar is served from (absent without one, and in sign-up and sign-in
    /// answers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar_url: Option<String>,
}

/// `{"user": …}`: the answer of sign-up and sign-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserEnvelope {
    pub user: UserView,
}

/// The active organization in a session answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SessionOrganization {
    pub id: String,
    pub name: String,
    pub slug: String,
}

/// `GET /api/auth/session`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SessionView {
    pub user: UserView,
    pub organization: Option<SessionOrganization>,
    /// The caller's grants in the active organization (patterns such as `links:*`; `["*"]` for
    /// owners); empty without one.
    pub permissions: Vec<String>,
    /// Whether the caller is a platform admin.
    #[serde(default)]
    pub platform_admin: bool,
    /// Set while a platform admin acts as this user: every screen shows it, with "stop".
    #[serde(default)]
    pub impersonation: Option<crate::platform::ImpersonationView>,
}

/// `GET /api/v1/me`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct MeView {
    pub id: String,
    pub email: String,
    pub name: String,
    pub locale: Locale,
    pub avatar_url: Option<String>,
    pub email_verified: bool,
}
