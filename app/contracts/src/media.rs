//! Uploads: what `POST /api/v1/me/avatar`, `POST /api/v1/links/pages/{id}/avatar` and
//! `POST /api/v1/links/pages/{id}/images` answer (the files go up as `multipart/form-data`, in a
//! field named `file`: PNG, JPEG or WebP, at most [`MAX_UPLOAD_BYTES`]).

use serde::{Deserialize, Serialize};

/// The largest picture accepted, in bytes (5 MiB); a larger one is answered `413`.
pub const MAX_UPLOAD_BYTES: u64 = 5 * 1024 * 1024;

/// The multipart field that carries the file.
pub const FILE_FIELD: &str = "file";

/// A new avatar (`201`): where it is served from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AvatarUploaded {
    pub avatar_url: String,
}

/// A picture stored for an IMAGE block (`201`): its address (the block's `url`) and its size in
/// pixels after shrinking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ImageUploaded {
    pub url: String,
    pub width: u32,
    pub height: u32,
}
