//! The REST API's OpenAPI 3.1 document, `GET /api/v1/openapi.json` (docs/http-api.md).
//!
//! It is generated from the code: every REST handler carries a `#[utoipa::path]` describing its
//! method, path, parameters, body and answers, and is mounted through `utoipa_axum`'s `routes!`,
//! which registers the handler at the path its description names. So the router and the document
//! cannot disagree about which operations exist: a route is in the document because it is in the
//! router. (`server/tests/it/openapi.rs` checks both directions all the same: every documented
//! operation answers on the running app, and no `/api` route is mounted past the document.) The
//! bodies are the wire types of `contracts`, whose schemas follow their serde attributes.
//!
//! What every route of a kind answers is added here once, by [`conventions`], rather than on each
//! handler: `500`; `401` and `503` where a session is needed; `409 no_active_organization` and
//! `403` where the active organization is; the CSRF `403` of mutations behind the session; `400`,
//! `413` and `415` for a body; the `Idempotency-Key` header and its answers on the POSTs of the
//! REST routes.

use std::sync::LazyLock;

use axum::body::Bytes;
use axum::http::HeaderValue;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use utoipa::OpenApi as _;
use utoipa::openapi::path::{Operation, ParameterBuilder, ParameterIn};
use utoipa::openapi::request_body::RequestBody;
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::openapi::{ContentBuilder, HttpMethod, ObjectBuilder, OpenApi, Ref, RefOr, Required, Type};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::session::SESSION_COOKIE;
use crate::http::{api, public, webhooks};
use crate::state::AppState;

/// Where the document is served.
pub const PATH: &str = "/api/v1/openapi.json";

/// The security scheme of the session cookie.
pub const SESSION: &str = "session";
/// The security scheme of the active-organization cookie (organization-scoped routes need both).
pub const ORGANIZATION: &str = "organization";

/// Tags, one per part of the API.
pub mod tags {
    pub const AUTH: &str = "auth";
    pub const ME: &str = "me";
    pub const ORGANIZATIONS: &str = "organizations";
    pub const LINKS: &str = "links";
    pub const BILLING: &str = "billing";
    pub const USAGE: &str = "usage";
    pub const NOTIFICATIONS: &str = "notifications";
    pub const PLATFORM: &str = "platform";
    pub const PUBLIC: &str = "public";
    pub const WEBHOOKS: &str = "webhooks";
    pub const META: &str = "meta";
}

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "mibio",
        description = "The REST API of mibio (docs/http-api.md). JSON is camelCase; ids are UUID \
            strings. Every 4xx/5xx JSON answer is an `ApiErrorBody`. Signed-in routes take the \
            session cookie (`session`); organization-scoped ones also the active organization's \
            cookie (`organization`, set by `POST /api/v1/organizations/active`). A mutation \
            (POST, PUT, PATCH, DELETE) that carries the session cookie must carry an `Origin` \
            (or, failing that, `Referer`) header of the site's own origin, else `403`.",
        license(name = "AGPL-3.0-only", identifier = "AGPL-3.0-only"),
    ),
    components(schemas(contracts::ApiErrorBody)),
    tags(
        (name = "auth", description = "Sign-up, email verification, sign-in and out, the session, passwords"),
        (name = "me", description = "The signed-in user's own profile"),
        (name = "organizations", description = "Organizations, the active one, members, invitations and roles"),
        (name = "links", description = "The active organization's pages, blocks, templates, leads and analytics"),
        (name = "billing", description = "Plans, the subscription, the provider's checkout and portal"),
        (name = "usage", description = "The active organization's usage of its plan's meters"),
        (name = "notifications", description = "The signed-in user's notifications and email preferences"),
        (name = "platform", description = "The platform admin console: 404 for everyone but platform admins"),
        (name = "public", description = "No session: public pages as JSON, lead capture, analytics beacons"),
        (name = "webhooks", description = "The payment provider's deliveries (signed)"),
        (name = "meta", description = "This document"),
    ),
)]
struct ApiDoc;

/// The route of the document itself (on the public router: no session).
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(openapi_json))
}

/// The document, built once.
static DOCUMENT: LazyLock<Bytes> =
    LazyLock::new(|| Bytes::from(serde_json::to_vec(&document()).expect("the OpenAPI document serializes")));

/// This document: the OpenAPI 3.1 description of the REST API.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = tags::META,
    responses((status = 200, description = "The OpenAPI 3.1 document", content_type = "application/json", body = Object)),
)]
async fn openapi_json() -> Response {
    let headers = [
        (CONTENT_TYPE, HeaderValue::from_static("application/json")),
        (CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600")),
    ];
    (headers, DOCUMENT.clone()).into_response()
}

/// The whole document: every documented router's operations, the security schemes, and the
/// answers every route of a kind gives ([`conventions`]).
#[must_use]
pub fn document() -> OpenApi {
    let mut doc = ApiDoc::openapi();
    // The REST routes sit behind the `Idempotency-Key` middleware; the uploads do not.
    let mut rest = api::routes().into_openapi();
    for_each_operation(&mut rest, |_, method, operation| {
        if method == HttpMethod::Post {
            idempotent(operation);
        }
    });
    doc.merge(rest);
    doc.merge(api::upload_routes().into_openapi());
    doc.merge(public::api_routes().into_openapi());
    doc.merge(webhooks::routes().into_openapi());
    doc.merge(routes().into_openapi());
    let components = doc.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        SESSION,
        SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
            SESSION_COOKIE,
            "The session, set by `POST /api/auth/sign-in/email` (HttpOnly, SameSite=Lax).",
        ))),
    );
    components.add_security_scheme(
        ORGANIZATION,
        SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
            crate::http::session::ORG_COOKIE,
            "The active organization, set by `POST /api/v1/organizations/active` (and by creating \
             an organization or accepting an invitation).",
        ))),
    );
    for_each_operation(&mut doc, conventions);
    doc
}

fn for_each_operation(doc: &mut OpenApi, mut f: impl FnMut(&str, HttpMethod, &mut Operation)) {
    for (path, item) in &mut doc.paths.paths {
        let methods = [
            (HttpMethod::Get, &mut item.get),
            (HttpMethod::Put, &mut item.put),
            (HttpMethod::Post, &mut item.post),
            (HttpMethod::Delete, &mut item.delete),
            (HttpMethod::Patch, &mut item.patch),
        ];
        for (method, operation) in methods {
            if let Some(operation) = operation {
                f(path, method, operation);
            }
        }
    }
}

/// The security schemes an operation requires (any of its requirements).
fn schemes(operation: &Operation) -> Vec<String> {
    let requirements = operation.security.iter().flatten();
    requirements
        .filter_map(|r| serde_json::to_value(r).ok())
        .filter_map(|v| v.as_object().map(|o| o.keys().cloned().collect::<Vec<_>>()))
        .flatten()
        .collect()
}

/// Adds an error answer for `status`, or names one more reason in the one the handler documents.
fn error(operation: &mut Operation, status: u16, description: &str) {
    let responses = &mut operation.responses.responses;
    match responses.entry(status.to_string()) {
        std::collections::btree_map::Entry::Occupied(mut found) => {
            if let RefOr::T(response) = found.get_mut()
                && !response.description.contains(description)
            {
                let said = response.description.trim_end_matches('.');
                response.description = format!("{said}; or {description}");
            }
        }
        std::collections::btree_map::Entry::Vacant(slot) => {
            let body = ContentBuilder::new().schema(Some(Ref::from_schema_name("ApiErrorBody"))).build();
            let response =
                ResponseBuilder::new().description(description).content("application/json", body).build();
            slot.insert(RefOr::T(response));
        }
    }
}

/// The content types of an operation's request body.
fn body_types(operation: &Operation) -> Vec<String> {
    match &operation.request_body {
        Some(RefOr::T(RequestBody { content, .. })) => content.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

/// What every route of a kind answers (module docs).
fn conventions(path: &str, method: HttpMethod, operation: &mut Operation) {
    let schemes = schemes(operation);
    let signed_in = schemes.iter().any(|s| s == SESSION);
    let in_organization = schemes.iter().any(|s| s == ORGANIZATION);
    let public = path.starts_with("/api/v1/public/") || path.starts_with("/webhooks/") || path == PATH;
    // Beacons and webhooks read the raw body, whatever its type.
    let raw_body = path.starts_with("/api/v1/public/analytics/") || path.starts_with("/webhooks/");
    let admin_only = path.starts_with(api::platform::PREFIX);
    let mutating =
        matches!(method, HttpMethod::Post | HttpMethod::Put | HttpMethod::Patch | HttpMethod::Delete);
    if admin_only {
        // The console hides: signed out or without the role, every route is a 404.
        error(operation, 404, "`not_found`: not a platform admin (signed out, or without the role).");
    } else if signed_in {
        error(operation, 401, "`unauthenticated`: no valid session.");
    }
    if signed_in {
        error(operation, 503, "`unavailable`: sessions (the database) are unavailable.");
    }
    if in_organization {
        error(
            operation,
            409,
            "`no_active_organization`: no active organization (or no longer a member of it).",
        );
        error(operation, 403, "`forbidden`: the caller's role lacks the permission.");
    }
    if mutating && !public {
        error(operation, 403, "`forbidden`: a cross-site request (Origin/Referer is not the site's own).");
    }
    let types = body_types(operation);
    if types.iter().any(|t| t == "application/json") {
        error(operation, 413, "`payload_too_large`: the body is over 64 KiB.");
        if !raw_body {
            error(
                operation,
                400,
                "`bad_request` (malformed JSON) or `validation` (`fields` and `problems` name each bad field).",
            );
            error(operation, 415, "`unsupported_media_type`: the body is not `application/json`.");
        }
    }
    if types.iter().any(|t| t == "multipart/form-data") {
        error(
            operation,
            400,
            "`validation` naming `file` (missing, repeated, not an image) or another field; `bad_request` for an unreadable multipart body.",
        );
        error(operation, 413, "`payload_too_large`: the file is over 5 MiB.");
        error(operation, 415, "`unsupported_media_type`: the body is not `multipart/form-data`.");
    }
    error(operation, 500, "`internal`: an unexpected failure (the message carries an id to quote).");
}

/// The `Idempotency-Key` header of a POST, and what it may answer (docs/http-api.md,
/// "Idempotency").
fn idempotent(operation: &mut Operation) {
    let header = ParameterBuilder::new()
        .name("Idempotency-Key")
        .parameter_in(ParameterIn::Header)
        .required(Required::False)
        .description(Some(
            "1-255 visible ASCII characters. For a signed-in caller, a repeat with the same key and \
             body within 24 h answers the first (2xx) response again, with `Idempotent-Replayed: true`.",
        ))
        .schema(Some(
            ObjectBuilder::new().schema_type(Type::String).min_length(Some(1)).max_length(Some(255)),
        ))
        .build();
    operation.parameters.get_or_insert_with(Vec::new).push(RefOr::T(header));
    error(
        operation,
        400,
        "`validation` naming `Idempotency-Key`: not 1-255 visible ASCII characters, or sent twice.",
    );
    error(operation, 409, "`conflict`: a request with this `Idempotency-Key` is still running.");
    error(operation, 422, "`validation` naming `Idempotency-Key`: the key was used with another request.");
}
