//! Pages' pictures: the avatar (on the page, its JSON and the card's source) and IMAGE blocks'
//! uploads, through the local storage adapter into a temporary folder.

use std::io::Cursor;

use bytes::Bytes;
use image::{DynamicImage, ImageFormat, RgbImage};
use kernel::OrganizationId;
use links::application::{media, pages, public};
use links::{LinksCtx, LinksError};
use pretty_assertions::assert_eq;

use crate::{World, member, owner, published};

/// A `w`×`h` photo-like PNG.
fn png(w: u32, h: u32) -> Bytes {
    let img = RgbImage::from_fn(w, h, |x, y| image::Rgb([(x * 7) as u8, (y * 5) as u8, ((x + y) * 3) as u8]));
    let mut out = Cursor::new(Vec::new());
    DynamicImage::ImageRgb8(img).write_to(&mut out, ImageFormat::Png).unwrap();
    Bytes::from(out.into_inner())
}

/// The files the storage folder holds, as keys (`avatars/…`), sorted.
fn stored(w: &World) -> Vec<String> {
    let mut keys = Vec::new();
    for folder in ["avatars", "images"] {
        if let Ok(entries) = std::fs::read_dir(w.media.path().join(folder)) {
            keys.extend(entries.map(|e| format!("{folder}/{}", e.unwrap().file_name().to_string_lossy())));
        }
    }
    keys.sort();
    keys
}

#[tokio::test]
async fn an_avatar_shows_on_the_page_and_a_new_one_replaces_the_old_file() {
    let w = World::new().await;
    let org = OrganizationId::new();
    let ana = owner(org);
    let id = published(&w.ctx, &ana, "ana-avatar").await;
    public::page_by_slug(&w.ctx, "ana-avatar").await.unwrap().expect("cached without an avatar");

    let detail = media::set_page_avatar(&w.ctx, &ana, id, png(900, 600)).await.unwrap();
    let url = detail.avatar_url.clone().expect("an avatar URL");
    let key = detail.page.avatar_key.clone().expect("the key is kept");
    assert_eq!(url, format!("https://mibio.test/media/{key}"));
    assert!(key.starts_with(&format!("avatars/{}-", id.into_uuid())) && key.ends_with(".jpg"), "{key}");
    assert_eq!(stored(&w), vec![key.clone()]);
    // The public read path saw the change at once (the write evicted the cached page).
    let (page, _) = public::page_by_slug(&w.ctx, "ana-avatar").await.unwrap().unwrap();
    assert_eq!(page.page.avatar_url.as_deref(), Some(url.as_str()));
    assert_eq!(page.avatar_key.as_deref(), Some(key.as_str()));
    assert_eq!(w.events("page.updated").await.last().unwrap()["fields"], serde_json::json!(["avatar"]));

    // A new picture: the page points at it, and the old file is gone.
    let second = media::set_page_avatar(&w.ctx, &ana, id, png(300, 300)).await.unwrap();
    let second_key = second.page.avatar_key.unwrap();
    assert_ne!(second_key, key);
    assert_eq!(stored(&w), vec![second_key.clone()]);

    // The same picture again keeps its file (same key).
    media::set_page_avatar(&w.ctx, &ana, id, png(300, 300)).await.unwrap();
    assert_eq!(stored(&w), vec![second_key]);

    // Removed: initials again, no file left.
    let removed = media::remove_page_avatar(&w.ctx, &ana, id).await.unwrap();
    assert_eq!((removed.avatar_url, removed.page.avatar_key), (None, None));
    assert!(stored(&w).is_empty());
    let (page, _) = public::page_by_slug(&w.ctx, "ana-avatar").await.unwrap().unwrap();
    assert_eq!(page.page.avatar_url, None);
}

#[tokio::test]
async fn deleting_a_page_deletes_its_avatar() {
    let w = World::new().await;
    let ana = owner(OrganizationId::new());
    let id = published(&w.ctx, &ana, "ana-gone").await;
    media::set_page_avatar(&w.ctx, &ana, id, png(64, 64)).await.unwrap();
    assert_eq!(stored(&w).len(), 1);
    pages::delete(&w.ctx, &ana, id).await.unwrap();
    assert!(stored(&w).is_empty());
}

#[tokio::test]
async fn refused_uploads_store_nothing_and_change_nothing() {
    let w = World::new().await;
    let org = OrganizationId::new();
    let ana = owner(org);
    let id = published(&w.ctx, &ana, "ana-refused").await;
    let before = w.footprint().await;
    let events = w.events("page.updated").await.len();

    // Another organization's page is not found, and nothing is decoded or stored for it.
    let stranger = owner(OrganizationId::new());
    let err = media::set_page_avatar(&w.ctx, &stranger, id, png(64, 64)).await.unwrap_err();
    assert!(matches!(err, LinksError::NotFound), "{err:?}");
    let err = media::upload_block_image(&w.ctx, &stranger, id, png(64, 64)).await.unwrap_err();
    assert!(matches!(err, LinksError::NotFound), "{err:?}");
    // Without links:write, forbidden.
    let viewer = member(org, &[contracts::permissions::Permission::LINKS_READ]);
    let err = media::set_page_avatar(&w.ctx, &viewer, id, png(64, 64)).await.unwrap_err();
    assert!(matches!(err, LinksError::Forbidden(_)), "{err:?}");

    // An SVG, a PNG header with garbage behind it: the `file` field is named.
    for bytes in [
        Bytes::from_static(b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"),
        Bytes::from([&b"\x89PNG\r\n\x1a\n"[..], &[0x42; 200]].concat()),
    ] {
        let err = media::set_page_avatar(&w.ctx, &ana, id, bytes).await.unwrap_err();
        let domain: kernel::DomainError = err.into();
        let kernel::DomainError::Validation(fields) = domain else { panic!("{domain:?}") };
        assert_eq!(fields.keys().collect::<Vec<_>>(), ["file"]);
    }
    // Over 5 MiB.
    let huge = Bytes::from(vec![0u8; storage::images::MAX_INPUT_BYTES + 1]);
    let err = media::set_page_avatar(&w.ctx, &ana, id, huge).await.unwrap_err();
    assert!(matches!(err, LinksError::Upload(storage::UploadError::Rejected(_))), "{err:?}");

    // Storage switched off: refused before anything is decoded.
    let off =
        LinksCtx { storage: storage::provider_from(&storage::StorageConfig::Null).unwrap(), ..w.ctx.clone() };
    let err = media::set_page_avatar(&off, &ana, id, png(64, 64)).await.unwrap_err();
    assert!(matches!(
        err,
        LinksError::Upload(storage::UploadError::Storage(storage::StorageError::Disabled))
    ));

    assert!(stored(&w).is_empty());
    assert_eq!(w.footprint().await, before);
    assert_eq!(w.events("page.updated").await.len(), events);
    let page = pages::get(&w.ctx, &ana, id).await.unwrap();
    assert_eq!(page.page.avatar_key, None);
}

#[tokio::test]
async fn an_image_blocks_picture_is_stored_shrunk_and_usable_as_its_url() {
    let w = World::new().await;
    let ana = owner(OrganizationId::new());
    let id = published(&w.ctx, &ana, "ana-images").await;
    let image = media::upload_block_image(&w.ctx, &ana, id, png(3200, 1000)).await.unwrap();
    assert_eq!((image.width, image.height), (1600, 500));
    assert!(image.key.as_str().starts_with(&format!("images/{}-", id.into_uuid())));
    assert_eq!(image.url, format!("https://mibio.test/media/{}", image.key));
    assert_eq!(stored(&w), vec![image.key.to_string()]);
    // The URL passes the IMAGE block's own rules.
    let block = crate::add(
        &w.ctx,
        &ana,
        id,
        crate::block("IMAGE", serde_json::json!({"url": image.url, "alt": "Ana en el taller"})),
    )
    .await;
    assert_eq!(serde_json::to_value(&block.config).unwrap()["config"]["url"], image.url.as_str());
}
