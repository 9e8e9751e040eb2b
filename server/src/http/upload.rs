//! [`Upload`]: the file of an upload endpoint, read from a `multipart/form-data` body with one
//! field named `file` (the contract's uploads). The routes that take it are mounted outside the
//! 64 KiB body limit with their own, [`UPLOAD_BODY_LIMIT`]; what the file is (PNG, JPEG, WebP)
//! is decided by the image pipeline from its bytes, never from the part's `Content-Type` or name.

use axum::extract::multipart::MultipartError;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use bytes::Bytes;
use contracts::media::{FILE_FIELD, MAX_UPLOAD_BYTES};
use contracts::{ApiError, ErrorCode, Problem};

use crate::http::error::ApiFailure;

/// The body limit of the upload routes: the largest file plus room for the multipart framing.
#[allow(clippy::cast_possible_truncation)] // 5 MiB fits every usize mibio runs on.
pub const UPLOAD_BODY_LIMIT: usize = MAX_UPLOAD_BYTES as usize + 64 * 1024;

/// The body of an upload, for the OpenAPI document: one part, `file`.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // Read by the document only; the parts are read by [`Upload`].
pub struct UploadForm {
    /// A PNG, JPEG or WebP picture of at most 5 MiB and 8000 px a side.
    #[schema(value_type = String, format = Binary, content_media_type = "application/octet-stream")]
    file: Vec<u8>,
}

/// The uploaded file's bytes.
#[derive(Debug, Clone)]
pub struct Upload(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for Upload {
    type Rejection = ApiFailure;

    /// `415` unless the body is `multipart/form-data`; `413` past the limit; `400 validation`
    /// naming `file` when it is missing or sent twice, and naming any other field.
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let multipart = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("multipart/form-data"));
        if !multipart {
            return Err(ApiFailure::new(
                ErrorCode::UnsupportedMediaType,
                "Send the picture as multipart/form-data, in a field named file.",
            ));
        }
        let mut form = Multipart::from_request(req, state).await.map_err(|_| {
            ApiFailure::new(ErrorCode::BadRequest, "The multipart body has no boundary or cannot be read.")
        })?;
        let mut file = None;
        while let Some(field) = form.next_field().await.map_err(unreadable)? {
            let name = field.name().unwrap_or_default();
            if name != FILE_FIELD {
                let name: String = name.chars().take(64).collect();
                return Err(ApiFailure(ApiError::problems(Problem::UnknownField.at(name))));
            }
            if file.is_some() {
                return Err(ApiFailure(ApiError::problems(Problem::Repeated.at(FILE_FIELD))));
            }
            file = Some(field.bytes().await.map_err(unreadable)?);
        }
        file.map(Upload).ok_or_else(|| ApiFailure(ApiError::problems(Problem::Required.at(FILE_FIELD))))
    }
}

fn unreadable(error: MultipartError) -> ApiFailure {
    if error.status() == StatusCode::PAYLOAD_TOO_LARGE || over_limit(&error) {
        ApiFailure::new(ErrorCode::PayloadTooLarge, "The picture is too large: at most 5 MiB.")
    } else {
        ApiFailure::new(
            ErrorCode::BadRequest,
            format!("The multipart body could not be read: {}.", error.body_text()),
        )
    }
}

/// Whether the body was cut off by a length limit: a chunked body has no `Content-Length` to
/// refuse up front, and the limit's error reaches the multipart parser wrapped in its own.
fn over_limit(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(error);
    while let Some(error) = cause {
        if error.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        cause = error.source();
    }
    false
}
