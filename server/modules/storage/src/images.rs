//! The image pipeline: turns an uploaded file into an image that is safe to store and serve.
//!
//! Every upload is decoded and re-encoded, never stored as sent. That is what makes it safe:
//!
//! - the format is read from the bytes ([`image::guess_format`]), never from a client's
//!   `Content-Type` or file name; only PNG, JPEG and WebP get in (no SVG: it can carry script);
//! - decoding is bounded (5 MiB in, at most 8000 px a side, at most 256 MiB of pixels), so a
//!   small file that claims to be huge (a decompression bomb) is refused before it allocates;
//! - the EXIF orientation is applied to the pixels, then the image is shrunk to fit the box
//!   (never enlarged) with Lanczos3;
//! - the output is a fresh file with no metadata at all (EXIF, GPS position, XMP, ICC, comments):
//!   PNG when the image has transparency, JPEG at quality 85 otherwise.
//!
//! Why JPEG and not WebP for opaque images: the `image` crate encodes WebP only losslessly, and a
//! lossless 512×512 photograph weighs 250–400 KB — more than most uploads, on a page that should
//! load at once on a phone. JPEG at 85 keeps a photo visually intact at 30–60 KB, every browser
//! and crawler reads it, and no C library (libwebp) is needed for a lossy WebP encoder.
//!
//! Decoding and encoding take tens of milliseconds of CPU: the host calls these functions in
//! `tokio::task::spawn_blocking`.

use std::io::Cursor;

use bytes::Bytes;
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType as PngFilter, PngEncoder};
use image::imageops::FilterType;
use image::{
    DynamicImage, ExtendedColorType, ImageDecoder, ImageEncoder, ImageError, ImageFormat, ImageReader, Limits,
};
use sha2::{Digest as _, Sha256};

use crate::ObjectKey;

/// The largest upload accepted, in bytes (5 MiB).
pub const MAX_INPUT_BYTES: usize = 5 * 1024 * 1024;
// The contract's figure, which the editor checks before sending.
const _: () = assert!(MAX_INPUT_BYTES as u64 == contracts::media::MAX_UPLOAD_BYTES);
/// The widest and tallest image decoded, in pixels.
pub const MAX_DIMENSION: u32 = 8000;
/// The most memory a decode may take, in bytes (an 8000×8000 RGBA image fits).
pub const MAX_DECODE_ALLOC: u64 = 256 * 1024 * 1024;
/// The box an avatar is shrunk to fit, in pixels.
pub const AVATAR_SIDE: u32 = 512;

/// Why an upload is not accepted as an image. The host answers `413` to `TooLarge` and `400`
/// to the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ImageRejected {
    /// More than [`MAX_INPUT_BYTES`], or more pixels than the decode limits allow.
    #[error("the image is too large")]
    TooLarge,
    /// Not a PNG, JPEG or WebP file (SVG, GIF, anything else), judged by its bytes.
    #[error("only PNG, JPEG and WebP images are accepted")]
    Unsupported,
    /// Announces a supported format but does not decode: truncated, corrupt, or not an image.
    #[error("the image could not be read")]
    Undecodable,
}

/// An image ready to store: re-encoded, without metadata, within its box.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessedImage {
    /// The encoded file.
    pub bytes: Bytes,
    /// `image/png` or `image/jpeg`.
    pub content_type: &'static str,
    /// The file extension that goes with it: `png` or `jpg`.
    pub ext: &'static str,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The first 16 hex digits of the SHA-256 of `bytes`: the same image gets the same key.
    pub sha256_16: String,
}

/// Processes an avatar: [`process_image`] into a 512×512 box.
///
/// # Errors
///
/// As [`process_image`].
pub fn process_avatar(bytes: &[u8]) -> Result<ProcessedImage, ImageRejected> {
    process_image(bytes, AVATAR_SIDE)
}

/// Checks, decodes, orients, shrinks to fit a `max_side`×`max_side` box keeping the aspect ratio,
/// and re-encodes an uploaded image (see the module's docs).
///
/// # Errors
///
/// [`ImageRejected::TooLarge`] over 5 MiB or over the decode limits;
/// [`ImageRejected::Unsupported`] if the bytes are not PNG, JPEG or WebP;
/// [`ImageRejected::Undecodable`] if they claim to be but do not decode.
pub fn process_image(bytes: &[u8], max_side: u32) -> Result<ProcessedImage, ImageRejected> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(ImageRejected::TooLarge);
    }
    let Ok(format @ (ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::WebP)) = image::guess_format(bytes)
    else {
        return Err(ImageRejected::Unsupported);
    };
    let mut image = decode(bytes, format)?;
    let max_side = max_side.max(1);
    if image.width() > max_side || image.height() > max_side {
        image = image.resize(max_side, max_side, FilterType::Lanczos3);
    }
    encode(&image)
}

/// The key of an avatar: `avatars/{owner}-{sha256 first 16 hex}.{ext}`. Content-addressed, so
/// a new avatar gets a new URL and the old one can be cached forever.
pub fn avatar_key(owner: uuid::Uuid, image: &ProcessedImage) -> ObjectKey {
    crate::upload::key_for(owner, crate::upload::ImagePurpose::Avatar, image)
}

fn decode(bytes: &[u8], format: ImageFormat) -> Result<DynamicImage, ImageRejected> {
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_DIMENSION);
    limits.max_image_height = Some(MAX_DIMENSION);
    limits.max_alloc = Some(MAX_DECODE_ALLOC);

    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits.clone());
    // `into_decoder` checks the dimensions against the limits; the pixel buffer is reserved
    // below, before anything is allocated for it.
    let mut decoder = reader.into_decoder().map_err(rejected)?;
    limits.reserve(decoder.total_bytes()).map_err(rejected)?;
    let orientation = decoder.orientation().map_err(rejected)?;
    let mut image = DynamicImage::from_decoder(decoder).map_err(rejected)?;
    image.apply_orientation(orientation);
    Ok(image)
}

fn rejected(error: ImageError) -> ImageRejected {
    match error {
        ImageError::Limits(_) => ImageRejected::TooLarge,
        ImageError::Unsupported(_) => ImageRejected::Unsupported,
        _ => ImageRejected::Undecodable,
    }
}

/// The JPEG quality of opaque images.
pub const JPEG_QUALITY: u8 = 85;

/// PNG when some pixel is not fully opaque, JPEG ([`JPEG_QUALITY`]) otherwise. Both encoders write
/// only the pixels (the JPEG a bare JFIF header): no metadata of the source survives.
fn encode(image: &DynamicImage) -> Result<ProcessedImage, ImageRejected> {
    let (width, height) = (image.width(), image.height());
    let rgba = image.color().has_alpha().then(|| image.to_rgba8());
    let mut out = Vec::new();
    let written = match &rgba {
        Some(rgba) if rgba.pixels().any(|p| p.0[3] != u8::MAX) => {
            PngEncoder::new_with_quality(&mut out, CompressionType::Best, PngFilter::Adaptive)
                .write_image(rgba.as_raw(), width, height, ExtendedColorType::Rgba8)
                .map(|()| ("image/png", "png"))
        }
        _ => JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)
            .write_image(image.to_rgb8().as_raw(), width, height, ExtendedColorType::Rgb8)
            .map(|()| ("image/jpeg", "jpg")),
    };
    // 8-bit RGB(A) within the limits always encodes into memory; a failure here would be the
    // encoder's bug, and the upload is refused rather than stored half-made.
    let (content_type, ext) = written.map_err(|error| {
        tracing::error!(%error, "re-encoding a decoded image failed");
        ImageRejected::Undecodable
    })?;
    let sha256_16 = hex::encode(&Sha256::digest(&out)[..8]);
    Ok(ProcessedImage { bytes: Bytes::from(out), content_type, ext, width, height, sha256_16 })
}
