//! The `local` adapter on a real directory, and the keys it (and every adapter) accepts.

use std::path::Path;

use bytes::Bytes;
use storage::{InvalidKey, ObjectKey, StorageConfig, StorageError, StorageProvider, provider_from};

fn key(text: &str) -> ObjectKey {
    ObjectKey::parse(text).unwrap()
}

fn local(dir: &Path) -> std::sync::Arc<dyn StorageProvider> {
    let config = StorageConfig::Local { dir: dir.join("media"), public_url: "https://mibio.test/".into() };
    provider_from(&config).unwrap()
}

/// Every file under `dir`, relative, sorted.
fn files(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                out.push(path.strip_prefix(root).unwrap().to_string_lossy().into_owned());
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

#[tokio::test]
async fn put_get_delete_round_trip() {
    let tmp = tempfile::tempdir().unwrap();
    let storage = local(tmp.path());
    let avatar = key("avatars/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b-3f2a9c1b5d7e8f01.webp");
    let bytes = Bytes::from_static(b"RIFF\x00\x00\x00\x00WEBPVP8L not really");

    assert_eq!(storage.get(&avatar).await.unwrap(), None);
    storage.put(&avatar, bytes.clone(), "image/webp").await.unwrap();

    let stored = storage.get(&avatar).await.unwrap().unwrap();
    assert_eq!(stored.bytes, bytes);
    assert_eq!(stored.content_type, "image/webp");
    // The object is a plain file at its key; its type sits apart, where no key can reach.
    let media = tmp.path().join("media");
    assert_eq!(std::fs::read(media.join(avatar.as_str())).unwrap(), bytes);
    assert_eq!(
        files(&media),
        [format!(".content-types/{avatar}"), avatar.to_string()],
        "no temporary file is left behind"
    );

    // Putting again replaces the object and its type.
    storage.put(&avatar, Bytes::from_static(b"\x89PNG..."), "image/png").await.unwrap();
    let stored = storage.get(&avatar).await.unwrap().unwrap();
    assert_eq!((&stored.bytes[..], stored.content_type.as_str()), (&b"\x89PNG..."[..], "image/png"));

    storage.delete(&avatar).await.unwrap();
    assert_eq!(storage.get(&avatar).await.unwrap(), None);
    assert!(files(&media).is_empty(), "{:?}", files(&media));
    // Deleting what is not there succeeds.
    storage.delete(&avatar).await.unwrap();
}

#[tokio::test]
async fn url_is_under_the_public_media_route() {
    let tmp = tempfile::tempdir().unwrap();
    let storage = local(tmp.path());
    assert_eq!(storage.url(&key("avatars/a-1.png")), "https://mibio.test/media/avatars/a-1.png");
}

#[tokio::test]
async fn a_file_put_there_by_hand_is_served_as_octet_stream() {
    let tmp = tempfile::tempdir().unwrap();
    let storage = local(tmp.path());
    std::fs::write(tmp.path().join("media/hand.png"), b"bytes").unwrap();
    let stored = storage.get(&key("hand.png")).await.unwrap().unwrap();
    assert_eq!(stored.content_type, "application/octet-stream");
}

#[tokio::test]
async fn a_content_type_that_is_not_a_header_value_is_refused_before_writing() {
    let tmp = tempfile::tempdir().unwrap();
    let storage = local(tmp.path());
    for content_type in ["", "image/png\r\nSet-Cookie: x=1", "imágen/png"] {
        let result = storage.put(&key("a.png"), Bytes::from_static(b"x"), content_type).await;
        assert!(matches!(result, Err(StorageError::Internal(_))), "{content_type:?}: {result:?}");
    }
    assert!(files(&tmp.path().join("media")).is_empty());
}

#[tokio::test]
async fn a_directory_that_cannot_be_written_is_internal() {
    let tmp = tempfile::tempdir().unwrap();
    let storage = local(tmp.path());
    // A file where the key's directory should be.
    std::fs::write(tmp.path().join("media/avatars"), b"in the way").unwrap();
    let result = storage.put(&key("avatars/a.png"), Bytes::from_static(b"x"), "image/png").await;
    assert!(matches!(result, Err(StorageError::Internal(_))), "{result:?}");
}

#[test]
fn hostile_keys_are_refused() {
    let refused = [
        ("", InvalidKey::Length),
        ("../etc/passwd", InvalidKey::Segment),
        ("avatars/../../etc/passwd", InvalidKey::Segment),
        ("avatars/..", InvalidKey::Segment),
        ("./a.png", InvalidKey::Segment),
        ("avatars/./a.png", InvalidKey::Segment),
        (".content-types/a.png", InvalidKey::Segment),
        (".hidden", InvalidKey::Segment),
        ("/etc/passwd", InvalidKey::Segment),
        ("avatars//a.png", InvalidKey::Segment),
        ("avatars/", InvalidKey::Segment),
        ("..\\windows\\system32", InvalidKey::Character),
        ("C:/x.png", InvalidKey::Character),
        ("%2e%2e/a.png", InvalidKey::Character),
        ("Avatars/A.PNG", InvalidKey::Character),
        ("a b.png", InvalidKey::Character),
        ("a\0.png", InvalidKey::Character),
        ("a\n.png", InvalidKey::Character),
        ("avatars/ñ.png", InvalidKey::Character),
        ("a?x=1", InvalidKey::Character),
    ];
    for (text, why) in refused {
        assert_eq!(ObjectKey::parse(text), Err(why), "{text:?}");
    }
    assert_eq!(ObjectKey::parse(&"a".repeat(257)), Err(InvalidKey::Length));
}

#[test]
fn ordinary_keys_are_accepted() {
    for text in
        ["a", "avatars/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b-3f2a9c1b5d7e8f01.webp", "blocks/x_y/z.v2.png"]
    {
        assert_eq!(ObjectKey::parse(text).unwrap().as_str(), text);
    }
    assert!(ObjectKey::parse(&"a".repeat(256)).is_ok());
}
