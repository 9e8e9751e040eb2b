//! The avatar: any PNG, JPEG or WebP, cropped to its centre square, resized for the card and
//! re-encoded as a PNG `data:` URI (the SVG clips it to a circle); or, without one, the two
//! initials of the page's title.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use image::imageops::FilterType;

/// Larger images are refused before decoding (a pixel bomb costs memory, not just time).
const MAX_PIXELS: u64 = 40_000_000;

/// `bytes` as a `size`×`size` PNG data URI, cropped to the centre square.
///
/// # Errors
/// When the bytes are not an image we can read, or it is unreasonably large.
pub fn data_uri(bytes: &[u8], size: u32) -> anyhow::Result<String> {
    let reader = image::ImageReader::new(std::io::Cursor::new(bytes)).with_guessed_format()?;
    let (w, h) = reader.into_dimensions()?;
    anyhow::ensure!(u64::from(w) * u64::from(h) <= MAX_PIXELS, "the avatar is {w}×{h} pixels");
    let decoded = image::load_from_memory(bytes)?;
    let side = w.min(h);
    let square = decoded.crop_imm((w - side) / 2, (h - side) / 2, side, side);
    let resized = square.resize_exact(size, size, FilterType::CatmullRom).into_rgba8();
    let mut png = Vec::new();
    resized.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)?;
    Ok(format!("data:image/png;base64,{}", STANDARD.encode(png)))
}

/// Up to two initials of `name` (the first letters of its first two words with a letter or digit
/// first), upper-cased; empty when there is none.
#[must_use]
pub fn monogram(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().next().filter(|c| c.is_alphanumeric()))
        .take(2)
        .flat_map(char::to_uppercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn monograms() {
        assert_eq!(monogram("Ana María López"), "AM");
        assert_eq!(monogram("  ñandú   coaching"), "ÑC");
        assert_eq!(monogram("🙂 Sol"), "S");
        assert_eq!(monogram("🙂"), "");
    }

    #[test]
    fn an_avatar_is_cropped_and_resized() {
        let wide = image::RgbImage::from_fn(300, 100, |x, _| {
            if (100..200).contains(&x) { image::Rgb([255, 0, 0]) } else { image::Rgb([0, 0, 255]) }
        });
        let mut jpeg = Vec::new();
        wide.write_to(&mut std::io::Cursor::new(&mut jpeg), image::ImageFormat::Jpeg).unwrap();
        let uri = data_uri(&jpeg, 64).unwrap();
        let png = STANDARD.decode(uri.strip_prefix("data:image/png;base64,").unwrap()).unwrap();
        let back = image::load_from_memory(&png).unwrap().into_rgb8();
        assert_eq!(back.dimensions(), (64, 64));
        let centre = back.get_pixel(32, 32);
        assert!(centre[0] > 200 && centre[2] < 60, "the centre square was kept: {centre:?}");
        assert!(data_uri(b"not an image", 64).is_err());
    }
}
