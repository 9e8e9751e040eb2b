//! [`ApiJson`]: the JSON body extractor of the REST API. It enforces the contract's rules on
//! every body: `Content-Type: application/json` (else 415), the size limit (else 413), and strict
//! parsing — malformed JSON is a 400 `bad_request`, a wrong type, a missing or an unknown field
//! is a 400 `validation` error whose `fields` names the field.

use axum::extract::{FromRequest, OptionalFromRequest, Request};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use bytes::Bytes;
use contracts::{ApiError, ErrorCode, Problem};
use serde::de::DeserializeOwned;

use crate::http::error::ApiFailure;

/// A JSON request body of type `T` (declare `T` with `#[serde(deny_unknown_fields)]`).
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiFailure;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|mime| {
                let mime = mime.trim().to_ascii_lowercase();
                mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
            });
        if !is_json {
            return Err(ApiFailure::new(
                ErrorCode::UnsupportedMediaType,
                "Send the body as JSON with Content-Type: application/json.",
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiFailure::new(ErrorCode::PayloadTooLarge, "The request body is too large.")
            } else {
                ApiFailure::new(ErrorCode::BadRequest, "The request body could not be read.")
            }
        })?;
        parse(&bytes).map(ApiJson).map_err(ApiFailure)
    }
}

/// `Option<ApiJson<T>>`: a request with neither a body nor a `Content-Type` gives `None`; any
/// body is held to the rules of [`ApiJson`].
impl<T, S> OptionalFromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiFailure;

    async fn from_request(req: Request, state: &S) -> Result<Option<Self>, Self::Rejection> {
        if req.headers().contains_key(CONTENT_TYPE) {
            return <Self as FromRequest<S>>::from_request(req, state).await.map(Some);
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|_| ApiFailure::new(ErrorCode::BadRequest, "The request body could not be read."))?;
        if bytes.is_empty() {
            Ok(None)
        } else {
            Err(ApiFailure::new(
                ErrorCode::UnsupportedMediaType,
                "Send the body as JSON with Content-Type: application/json.",
            ))
        }
    }
}

/// Parses `bytes` as a `T`, describing any problem the way the API reports it.
///
/// # Errors
/// `bad_request` for malformed JSON, `validation` naming the field for everything else.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    // Syntax first, on its own: serde_json reports some type mismatches (a number where an enum
    // is expected) as syntax errors, and those are validation problems of a field, not bad JSON.
    if let Err(err) = serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
        return Err(ApiError::new(
            ErrorCode::BadRequest,
            if err.is_eof() || err.is_syntax() {
                format!("The body is not valid JSON (line {}, column {}).", err.line(), err.column())
            } else {
                "The body is not valid JSON.".to_owned()
            },
        ));
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        let (field, problem) = describe(&path, &inner.to_string());
        ApiError::problem(field, problem)
    })?;
    de.end().map_err(|_| ApiError::new(ErrorCode::BadRequest, "The body has data after the JSON value."))?;
    Ok(value)
}

/// Turns serde's message into (field path, problem): an unknown or missing field by its code,
/// anything else (a wrong type, an unknown enum value) in serde's own words.
fn describe(path: &str, message: &str) -> (String, Problem) {
    let message = message.split(" at line ").next().unwrap_or(message);
    let join = |name: &str| if path == "." { name.to_owned() } else { format!("{path}.{name}") };
    let quoted = |m: &str| m.split('`').nth(1).map(str::to_owned);
    if let Some(name) = message.strip_prefix("unknown field ").and_then(quoted) {
        // serde_path_to_error already ends the path with the unknown key.
        let field = if path.ends_with(name.as_str()) { path.to_owned() } else { join(&name) };
        return (field, Problem::UnknownField);
    }
    if let Some(name) = message.strip_prefix("missing field ").and_then(quoted) {
        return (join(&name), Problem::Required);
    }
    let field = if path == "." { "body".to_owned() } else { path.to_owned() };
    (field, Problem::Malformed { detail: message.to_owned() })
}

#[cfg(test)]
mod tests {
    use pretty_assertions::assert_eq;
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    struct Input {
        email: String,
        display_name: Option<String>,
        settings: Option<Settings>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Settings {
        public: bool,
    }

    fn fields(err: &ApiError) -> Vec<(&str, &str)> {
        err.fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
    }

    #[test]
    fn parses_good_bodies() {
        let input: Input = parse(br#"{"email":"a@b.co","displayName":"Ana"}"#).unwrap();
        assert_eq!(input.display_name.as_deref(), Some("Ana"));
    }

    #[test]
    fn names_unknown_missing_and_mistyped_fields() {
        let err = parse::<Input>(br#"{"email":"a@b.co","isAdmin":true}"#).unwrap_err();
        assert_eq!(
            (err.code, fields(&err)),
            (ErrorCode::Validation, vec![("isAdmin", "is not a known field")])
        );
        let err = parse::<Input>(br#"{"displayName":"Ana"}"#).unwrap_err();
        assert_eq!(fields(&err), vec![("email", "is required")]);
        let err = parse::<Input>(br#"{"email":42}"#).unwrap_err();
        assert_eq!(fields(&err), vec![("email", "invalid type: integer `42`, expected a string")]);
        let err = parse::<Input>(br#"{"email":"a@b.co","settings":{"public":"yes"}}"#).unwrap_err();
        assert_eq!(fields(&err)[0].0, "settings.public");
        let err = parse::<Input>(br#"{"email":"a@b.co","settings":{"public":true,"x":1}}"#).unwrap_err();
        assert_eq!(fields(&err), vec![("settings.x", "is not a known field")]);
        let err = parse::<Input>(b"[]").unwrap_err();
        assert_eq!(fields(&err)[0].0, "body");
    }

    #[test]
    fn malformed_json_is_a_bad_request() {
        for body in [&b"{\"email\":"[..], b"not json", b"{\"email\":\"a@b.co\"} trailing"] {
            let err = parse::<Input>(body).unwrap_err();
            assert_eq!(err.code, ErrorCode::BadRequest, "{}", String::from_utf8_lossy(body));
        }
    }
}
