//! The image pipeline on real files made here: limits, format sniffing, metadata stripping,
//! orientation, resizing and content-addressed keys.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Rgb, RgbImage, Rgba, RgbaImage};
use storage::images::{ImageRejected, MAX_INPUT_BYTES, avatar_key, process_avatar, process_image};

const SECRET: &[u8] = b"MIBIO-SECRET-PLACE";

fn png(image: &DynamicImage) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    image.write_to(&mut out, ImageFormat::Png).unwrap();
    out.into_inner()
}

fn jpeg(image: &RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 90).encode_image(image).unwrap();
    out
}

/// A picture with some structure, so encoders have something to do.
fn gradient(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| Rgb([(x % 256) as u8, (y % 256) as u8, ((x + y) % 256) as u8]))
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn decode(bytes: &[u8]) -> (ImageFormat, DynamicImage) {
    let reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format().unwrap();
    (reader.format().unwrap(), reader.decode().unwrap())
}

/// One IFD (big-endian) written at offset `at` of the TIFF data, followed by the values that do
/// not fit in 4 bytes. Entries: (tag, type, count, value bytes).
fn ifd(entries: &[(u16, u16, u32, Vec<u8>)], at: u32) -> Vec<u8> {
    let data_at = at + 2 + 12 * entries.len() as u32 + 4;
    let (mut head, mut data) = (Vec::new(), Vec::new());
    head.extend((entries.len() as u16).to_be_bytes());
    for (tag, kind, count, value) in entries {
        head.extend(tag.to_be_bytes());
        head.extend(kind.to_be_bytes());
        head.extend(count.to_be_bytes());
        if value.len() <= 4 {
            let mut inline = value.clone();
            inline.resize(4, 0);
            head.extend(inline);
        } else {
            head.extend((data_at + data.len() as u32).to_be_bytes());
            data.extend(value);
            if data.len() % 2 == 1 {
                data.push(0);
            }
        }
    }
    head.extend(0u32.to_be_bytes());
    head.extend(data);
    head
}

/// An APP1 Exif segment: IFD0 with an orientation (if given) and a pointer to a GPS IFD holding
/// a latitude and a processing method that carries [`SECRET`].
fn exif_segment(orientation: Option<u16>) -> Vec<u8> {
    let rational = |n: u32, d: u32| [n.to_be_bytes(), d.to_be_bytes()].concat();
    let latitude = [rational(34, 1), rational(36, 1), rational(1234, 100)].concat();
    let method = [b"ASCII\0\0\0".as_slice(), SECRET].concat();
    let gps = vec![
        (0x0001, 2, 2, b"S\0".to_vec()),
        (0x0002, 5, 3, latitude),
        (0x001B, 7, method.len() as u32, method),
    ];
    let mut ifd0 = Vec::new();
    if let Some(orientation) = orientation {
        ifd0.push((0x0112, 3, 1, orientation.to_be_bytes().to_vec()));
    }
    ifd0.push((0x8825, 4, 1, vec![0; 4]));
    let gps_at = 8 + ifd(&ifd0, 8).len() as u32;
    ifd0.last_mut().unwrap().3 = gps_at.to_be_bytes().to_vec();

    let mut tiff = b"MM\0\x2a\0\0\0\x08".to_vec();
    tiff.extend(ifd(&ifd0, 8));
    tiff.extend(ifd(&gps, gps_at));
    let payload = [b"Exif\0\0".as_slice(), &tiff].concat();
    let mut segment = vec![0xFF, 0xE1];
    segment.extend(u16::try_from(payload.len() + 2).unwrap().to_be_bytes());
    segment.extend(payload);
    segment
}

/// `jpeg` with `segment` right after its SOI marker, where cameras put their Exif.
fn splice_after_soi(jpeg: &[u8], segment: &[u8]) -> Vec<u8> {
    assert_eq!(&jpeg[..2], [0xFF, 0xD8]);
    [&jpeg[..2], segment, &jpeg[2..]].concat()
}

#[test]
fn a_body_over_5_mib_is_too_large() {
    assert_eq!(process_avatar(&vec![0; 20 * 1024 * 1024]), Err(ImageRejected::TooLarge));
    // Even when it starts like a PNG: the size is checked before anything is read.
    let mut png_like = b"\x89PNG\r\n\x1a\n".to_vec();
    png_like.resize(MAX_INPUT_BYTES + 1, 0);
    assert_eq!(process_avatar(&png_like), Err(ImageRejected::TooLarge));
}

#[test]
fn a_png_signature_followed_by_garbage_is_undecodable() {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend((0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
    assert_eq!(process_avatar(&bytes), Err(ImageRejected::Undecodable));
    // A real PNG cut short is no better.
    let whole = png(&DynamicImage::ImageRgb8(gradient(64, 64)));
    assert_eq!(process_avatar(&whole[..whole.len() / 2]), Err(ImageRejected::Undecodable));
}

#[test]
fn svg_gif_and_other_formats_are_unsupported() {
    let svg = br#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(document.cookie)</script></svg>"#;
    assert_eq!(process_avatar(svg), Err(ImageRejected::Unsupported));
    assert_eq!(
        process_avatar(b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
        Err(ImageRejected::Unsupported)
    );
    assert_eq!(process_avatar(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"), Err(ImageRejected::Unsupported));
    assert_eq!(process_avatar(b"BM\x00\x00"), Err(ImageRejected::Unsupported));
    assert_eq!(process_avatar(b"%PDF-1.7\n"), Err(ImageRejected::Unsupported));
    assert_eq!(process_avatar(b""), Err(ImageRejected::Unsupported));
}

#[test]
fn more_pixels_than_the_limits_is_too_large() {
    // 9000 px wide: over the 8000 px a side, though the file is tiny.
    let wide = png(&DynamicImage::ImageLuma8(image::GrayImage::new(9000, 1)));
    assert!(wide.len() < 2048, "{}", wide.len());
    assert_eq!(process_avatar(&wide), Err(ImageRejected::TooLarge));

    // A decompression bomb: a valid header announcing 8000×8000 16-bit RGBA (512 MB of pixels)
    // in a few dozen bytes. Refused before the pixel buffer is allocated.
    let mut header = Vec::new();
    header.extend(8000u32.to_be_bytes());
    header.extend(8000u32.to_be_bytes());
    header.extend([16, 6, 0, 0, 0]);
    // The first bytes of the pixel data (a zlib stream), then the end: the decoder reads the
    // header up to the first IDAT before anything is decoded.
    let bomb = [
        b"\x89PNG\r\n\x1a\n".to_vec(),
        png_chunk(b"IHDR", &header),
        png_chunk(b"IDAT", &[0x78, 0x9C, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01]),
        png_chunk(b"IEND", &[]),
    ]
    .concat();
    assert!(bomb.len() < 100);
    assert_eq!(process_avatar(&bomb), Err(ImageRejected::TooLarge));
}

#[test]
fn exif_and_gps_are_stripped_and_the_result_decodes() {
    let upload = splice_after_soi(&jpeg(&gradient(64, 48)), &exif_segment(None));
    // The fixture really carries Exif with the GPS IFD, as a decoder sees it.
    let mut decoder =
        ImageReader::new(Cursor::new(&upload)).with_guessed_format().unwrap().into_decoder().unwrap();
    let exif = decoder.exif_metadata().unwrap().expect("the fixture has Exif");
    assert!(contains(&exif, SECRET));
    assert!(contains(&upload, b"Exif\0\0"));

    let processed = process_avatar(&upload).unwrap();
    assert!(!contains(&processed.bytes, b"Exif"), "Exif survived");
    assert!(!contains(&processed.bytes, SECRET), "the GPS data survived");
    let (format, image) = decode(&processed.bytes);
    assert_eq!((format, image.width(), image.height()), (ImageFormat::Jpeg, 64, 48));
    let mut decoder = ImageReader::new(Cursor::new(&processed.bytes))
        .with_guessed_format()
        .unwrap()
        .into_decoder()
        .unwrap();
    assert_eq!(decoder.exif_metadata().unwrap(), None);
}

#[test]
fn the_exif_orientation_is_applied_to_the_pixels() {
    // Orientation 6: the camera held upright, the sensor's pixels rotated; shown 90° clockwise.
    let upload = splice_after_soi(&jpeg(&gradient(40, 20)), &exif_segment(Some(6)));
    let processed = process_avatar(&upload).unwrap();
    assert_eq!((processed.width, processed.height), (20, 40));
    assert_eq!(decode(&processed.bytes).1.height(), 40);
}

#[test]
fn a_wide_png_is_shrunk_to_fit_keeping_its_aspect_ratio() {
    let processed = process_avatar(&png(&DynamicImage::ImageRgb8(gradient(2000, 1000)))).unwrap();
    assert_eq!((processed.width, processed.height), (512, 256));
    assert_eq!((processed.content_type, processed.ext), ("image/jpeg", "jpg"));
    let (format, image) = decode(&processed.bytes);
    assert_eq!((format, image.width(), image.height()), (ImageFormat::Jpeg, 512, 256));

    // A block image gets its own box; a small image is never enlarged.
    let tall = process_image(&png(&DynamicImage::ImageRgb8(gradient(300, 900))), 600).unwrap();
    assert_eq!((tall.width, tall.height), (200, 600));
    let small = process_avatar(&jpeg(&gradient(100, 80))).unwrap();
    assert_eq!((small.width, small.height), (100, 80));
}

#[test]
fn transparency_is_kept_as_png_and_opaque_alpha_becomes_jpeg() {
    let with_hole =
        RgbaImage::from_fn(64, 64, |x, y| Rgba([x as u8, y as u8, 90, if x < 8 { 0 } else { 255 }]));
    let processed = process_avatar(&png(&DynamicImage::ImageRgba8(with_hole))).unwrap();
    assert_eq!((processed.content_type, processed.ext), ("image/png", "png"));
    let (format, image) = decode(&processed.bytes);
    assert_eq!(format, ImageFormat::Png);
    assert_eq!(image.to_rgba8().get_pixel(0, 0).0[3], 0);
    assert_eq!(image.to_rgba8().get_pixel(63, 0).0[3], 255);

    let opaque = RgbaImage::from_pixel(32, 32, Rgba([10, 20, 30, 255]));
    let processed = process_avatar(&png(&DynamicImage::ImageRgba8(opaque))).unwrap();
    assert_eq!(processed.content_type, "image/jpeg");
}

#[test]
fn the_same_image_gets_the_same_key() {
    let owner = uuid::Uuid::parse_str("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b").unwrap();
    let upload = png(&DynamicImage::ImageRgb8(gradient(700, 700)));
    let first = process_avatar(&upload).unwrap();
    let second = process_avatar(&upload).unwrap();
    assert_eq!(first, second);
    let key = avatar_key(owner, &first);
    assert_eq!(key, avatar_key(owner, &second));
    assert_eq!(key.as_str(), format!("avatars/{owner}-{}.jpg", first.sha256_16));
    assert_eq!(first.sha256_16.len(), 16);
    assert!(first.sha256_16.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));

    let other = process_avatar(&png(&DynamicImage::ImageRgb8(gradient(700, 699)))).unwrap();
    assert_ne!(avatar_key(owner, &other), key);
}

/// A PNG chunk: length, type, data, CRC-32 of type and data.
fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let body = [kind.as_slice(), data].concat();
    [u32::try_from(data.len()).unwrap().to_be_bytes().as_slice(), &body, &crc32(&body).to_be_bytes()].concat()
}

/// CRC-32 (ISO-HDLC), as PNG chunks carry it.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = u32::MAX;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}
