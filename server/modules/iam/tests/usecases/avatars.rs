//! A user's avatar: uploaded, replaced, removed — through the local storage adapter.

use std::io::Cursor;

use bytes::Bytes;
use iam::IamError;
use iam::application::update_profile::{remove_avatar, set_avatar};
use image::{DynamicImage, ImageFormat, RgbaImage};
use pretty_assertions::assert_eq;

use crate::World;

/// A `side`×`side` PNG with a transparent corner (so it stays PNG).
fn png(side: u32, shade: u8) -> Bytes {
    let img = RgbaImage::from_fn(side, side, |x, y| {
        image::Rgba([shade, x as u8, y as u8, if x < 4 && y < 4 { 0 } else { 255 }])
    });
    let mut out = Cursor::new(Vec::new());
    DynamicImage::ImageRgba8(img).write_to(&mut out, ImageFormat::Png).unwrap();
    Bytes::from(out.into_inner())
}

fn files(w: &World) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(w.media.path().join("avatars"))
        .map(|d| d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    names.sort();
    names
}

#[tokio::test]
async fn an_avatar_is_stored_replaced_and_removed_with_its_file() {
    let w = World::new().await;
    let ana = w.sign_up("ana@example.com").await.user;
    assert_eq!(w.ctx.avatar_url(&ana), None);

    let user = set_avatar(&w.ctx, ana.id, png(1024, 10)).await.unwrap();
    let key = user.avatar_key.clone().unwrap();
    assert!(key.starts_with(&format!("avatars/{}-", ana.id.into_uuid())) && key.ends_with(".png"), "{key}");
    assert_eq!(w.ctx.avatar_url(&user), Some(format!("https://mibio.test/media/{key}")));
    assert_eq!(w.user(ana.id).await.avatar_key.as_deref(), Some(key.as_str()));
    // Shrunk into 512×512.
    let stored = std::fs::read(w.media.path().join(&key)).unwrap();
    let image = image::load_from_memory(&stored).unwrap();
    assert_eq!((image.width(), image.height()), (512, 512));

    let replaced = set_avatar(&w.ctx, ana.id, png(200, 99)).await.unwrap();
    let new_key = replaced.avatar_key.unwrap();
    assert_eq!(files(&w), vec![new_key.trim_start_matches("avatars/").to_owned()]);

    let removed = remove_avatar(&w.ctx, ana.id).await.unwrap();
    assert_eq!(removed.avatar_key, None);
    assert!(files(&w).is_empty());
}

#[tokio::test]
async fn a_file_that_is_not_an_image_is_refused_and_the_old_avatar_stays() {
    let w = World::new().await;
    let ana = w.sign_up("ana@example.com").await.user;
    let kept = set_avatar(&w.ctx, ana.id, png(64, 1)).await.unwrap().avatar_key;
    let err = set_avatar(&w.ctx, ana.id, Bytes::from_static(b"%PDF-1.7\n")).await.unwrap_err();
    assert!(matches!(err, IamError::Upload(_)), "{err:?}");
    let kernel::DomainError::Validation(fields) = kernel::DomainError::from(err) else { panic!() };
    assert!(fields.contains_key("file"));
    assert_eq!(w.user(ana.id).await.avatar_key, kept);
    assert_eq!(files(&w).len(), 1);
}
