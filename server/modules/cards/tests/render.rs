//! Cards rendered end to end: the PNG's size for every preset, golden images (regenerate them on
//! purpose with `UPDATE_GOLDEN=1 cargo test -p cards --test render`), and hostile input — a
//! 200-character unbroken title, an emoji-laden bio, markup — that must stay inside the card.
//!
//! `CARDS_PREVIEW_DIR=/tmp/cards cargo test -p cards --test render preview` also writes the cards
//! of every preset and of the hostile input there, to look at.

use std::path::{Path, PathBuf};

use bytes::Bytes;
use cards::layout::{Badge, Rect, SAFE};
use cards::svg::Parts;
use cards::{Card, CardKind, CardRenderer};
use contracts::theme::{PageTheme, ThemeColors, ThemePreset};
use image::RgbaImage;

const HOSTILE_BIO: &str = "🚀🔥✨ Transformo equipos 👩🏽‍💻👨‍👩‍👧‍👦🇦🇷🇪🇸🇧🇷 con método ❤️‍🔥💯🙌🏾 \
     ☕️ 1️⃣ 2️⃣ 3️⃣ ¿Hablamos? 🤝🌎📈📊🧠💡🎯🏆 Niño, acción, corazón: ñ á é í ó ú ç ü \
     🙂🙃😉😊😇🥰😍🤩😘😗☺️😚😙🥲😋😛😜🤪😝🤑🤗🤭🫢🫣🤫🤔🫡🤐🤨😐😑😶🫥 fin";

fn renderer() -> CardRenderer {
    CardRenderer::new().expect("the shipped fonts load")
}

fn card(preset: ThemePreset, title: &str, bio: &str) -> Card {
    Card {
        title: title.to_owned(),
        bio: bio.to_owned(),
        theme: PageTheme::preset(preset).resolve(),
        host_and_path: "mibio.example/ana-coach".to_owned(),
        avatar: None,
        kind: CardKind::Profile,
    }
}

fn showcase(preset: ThemePreset) -> Card {
    card(
        preset,
        "Ana María Núñez",
        "Coach ejecutiva 🌟 Ayudo a líderes a comunicar con claridad, negociar sin miedo y crecer ☕️ \
         👩🏽‍💻 Sesiones en español y portugués, presenciales en Córdoba o en línea desde cualquier lugar.",
    )
}

fn hostile() -> Card {
    let mut c = card(ThemePreset::Wellness, &"W".repeat(200), HOSTILE_BIO);
    c.host_and_path = format!("mibio.example/{}", "a-very-long-slug".repeat(4));
    c
}

/// A deterministic "photo": a diagonal gradient with a disc, as a JPEG.
fn photo() -> Bytes {
    let img = image::RgbImage::from_fn(480, 360, |x, y| {
        let inside = (x as i32 - 240).pow(2) + (y as i32 - 170).pow(2) < 90_i32.pow(2);
        if inside { image::Rgb([250, 200, 160]) } else { image::Rgb([(x / 2) as u8, 90, (y / 2) as u8]) }
    });
    let mut jpeg = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut jpeg), image::ImageFormat::Jpeg).expect("encodes");
    Bytes::from(jpeg)
}

fn decode(png: &[u8]) -> RgbaImage {
    image::load_from_memory_with_format(png, image::ImageFormat::Png).expect("a PNG").into_rgba8()
}

#[test]
fn every_preset_renders_a_1200_by_630_png() {
    let r = renderer();
    for preset in ThemePreset::ALL {
        let png = r.render(&showcase(preset)).expect("renders");
        assert_eq!(decode(&png).dimensions(), (1200, 630), "{}", preset.id());
    }
    let custom = Card {
        theme: PageTheme {
            colors: ThemeColors { background: Some("#fde2e4".into()), ..ThemeColors::default() },
            ..PageTheme::preset(ThemePreset::Terapia)
        }
        .resolve(),
        ..showcase(ThemePreset::Terapia)
    };
    let img = decode(&r.render(&custom).expect("renders"));
    assert_eq!(img.get_pixel(3, 600).0, [0xfd, 0xe2, 0xe4, 255], "a custom background is drawn as is");
}

/// The share of pixels whose largest channel difference exceeds `tolerance`.
fn differing(a: &RgbaImage, b: &RgbaImage, tolerance: u8) -> f64 {
    assert_eq!(a.dimensions(), b.dimensions());
    let off = a
        .pixels()
        .zip(b.pixels())
        .filter(|(p, q)| p.0.iter().zip(q.0).any(|(x, y)| x.abs_diff(y) > tolerance))
        .count();
    off as f64 / f64::from(a.width() * a.height())
}

fn golden(name: &str, card: &Card) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(name);
    let png = renderer().render(card).expect("renders");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &png).expect("the golden image is written");
        return;
    }
    let expected = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_GOLDEN=1 writes it)", path.display()));
    let share = differing(&decode(&png), &decode(&expected), 8);
    if share > 0.002 {
        let actual = std::env::temp_dir().join(format!("actual-{name}"));
        std::fs::write(&actual, &png).expect("the actual image is written");
        panic!(
            "{name}: {:.3}% of pixels differ from the golden image; this render is at {} \
             (UPDATE_GOLDEN=1 accepts it when the change is on purpose)",
            share * 100.0,
            actual.display()
        );
    }
}

#[test]
fn golden_profile_card_with_monogram() {
    golden("ejecutivo-monogram.png", &showcase(ThemePreset::Ejecutivo));
}

#[test]
fn golden_profile_card_with_photo() {
    let c = Card { avatar: Some(photo()), ..showcase(ThemePreset::Terapia) };
    golden("terapia-photo.png", &c);
}

#[test]
fn golden_site_card() {
    golden(
        "site-es.png",
        &Card::site("Un enlace en tu bio que convierte visitas en clientes", "mibio.example"),
    );
}

fn outside(rect: &Rect, x: u32, y: u32) -> bool {
    let (x, y) = (x as f32 + 0.5, y as f32 + 0.5);
    x < rect.x || y < rect.y || x > rect.x + rect.w || y > rect.y + rect.h
}

#[test]
fn hostile_input_stays_inside_the_card() {
    let r = renderer();
    let c = hostile();
    let layout = r.layout(&c);
    assert_eq!(layout.title.len(), 2, "the title wraps to two lines");
    assert!(layout.title[1].line.text().ends_with('…'), "{:?}", layout.texts());
    assert_eq!(layout.bio.len(), 3);
    assert!(layout.bio[2].line.text().ends_with('…'), "{:?}", layout.texts());
    assert!(layout.url.line.text().ends_with('…'), "the address is cut to fit: {:?}", layout.url.line.text());
    for b in layout.text_boxes() {
        assert!(SAFE.contains(&b), "a line box {b:?} leaves the safe area {SAFE:?}");
    }
    assert!(SAFE.contains(&layout.url_pill));

    // Drawn with and without its texts, the card's margins are the same pixels: no glyph, emoji
    // or ellipsis spills out of the safe area.
    let full = r.rasterise(&layout, Parts::default()).expect("renders");
    let bare = r.rasterise(&layout, Parts { texts: false }).expect("renders");
    assert_eq!((full.width(), full.height()), (1200, 630));
    let mut spilled = 0;
    for y in 0..630 {
        for x in 0..1200 {
            if outside(&SAFE, x, y) && full.pixel(x, y) != bare.pixel(x, y) {
                spilled += 1;
            }
        }
    }
    assert_eq!(spilled, 0, "pixels of text outside the safe area");
    assert_ne!(full.data(), bare.data(), "the texts were drawn");
}

#[test]
fn emoji_are_drawn_in_colour_not_as_boxes() {
    let r = renderer();
    let c = card(ThemePreset::Consultor, "🙂", "");
    let layout = r.layout(&c);
    assert_eq!(layout.texts(), ["🙂"]);
    let full = r.rasterise(&layout, Parts::default()).expect("renders");
    let b = layout.title[0].bounds;
    // Twemoji's smiley is yellow: a tofu box would be the (near-black) text colour.
    let yellow = (b.x as u32..(b.x + b.w) as u32)
        .flat_map(|x| (b.y as u32..(b.y + b.h) as u32).map(move |y| (x, y)))
        .filter_map(|(x, y)| full.pixel(x, y))
        .filter(|p| p.red() > 200 && p.green() > 150 && p.blue() < 90)
        .count();
    assert!(yellow > 500, "only {yellow} yellow pixels where the emoji is");
    assert!(matches!(layout.badge, Badge::Mark), "no initials in an emoji title: the mark instead");
}

#[test]
fn markup_in_texts_is_text() {
    let r = renderer();
    let c =
        card(ThemePreset::Terapia, "</text><script>alert(1)</script> & \"Tom\"", "<![CDATA[ x ]]> &amp; 'y'");
    let layout = r.layout(&c);
    let texts = layout.texts().concat();
    assert!(
        texts.contains("</text><script>alert(1)</script>") && texts.contains("<![CDATA[ x ]]> &amp; 'y'"),
        "{texts}"
    );
    let png = r.render(&c).expect("the SVG parses: every text is escaped");
    assert_eq!(decode(&png).dimensions(), (1200, 630));
}

#[test]
fn an_unreadable_avatar_falls_back_to_the_initials() {
    let r = renderer();
    let c = Card { avatar: Some(Bytes::from_static(b"GIF89a nope")), ..showcase(ThemePreset::Wellness) };
    assert!(matches!(r.layout(&c).badge, Badge::Monogram(_)));
    let c = Card { avatar: Some(photo()), ..showcase(ThemePreset::Wellness) };
    assert!(matches!(r.layout(&c).badge, Badge::Photo(_)));
}

/// The preview set: every preset, a photo, hostile input, a one-word title, a two-line title, long
/// words, and mibio's own card.
fn previews() -> Vec<(String, Card)> {
    let mut cards: Vec<(String, Card)> =
        ThemePreset::ALL.into_iter().map(|p| (p.id().to_owned(), showcase(p))).collect();
    cards.push(("hostile".into(), hostile()));
    cards.push(("photo".into(), Card { avatar: Some(photo()), ..showcase(ThemePreset::Consultor) }));
    cards.push(("short".into(), card(ThemePreset::Terapia, "Sol", "")));
    cards.push((
        "two-lines".into(),
        card(
            ThemePreset::Ejecutivo,
            "Lucía Peña · Coach de carrera",
            "Acompaño tu próximo paso profesional 🚀",
        ),
    ));
    cards.push((
        "long-words".into(),
        card(
            ThemePreset::Ejecutivo,
            "Dra. Francisca Etxeberria-Zubizarreta · Psicología organizacional y liderazgo consciente",
            "Más de quince años acompañando a directivos en procesos de cambio.",
        ),
    ));
    cards.push((
        "site".into(),
        Card::site("One link in your bio that turns visitors into clients", "mibio.example"),
    ));
    cards
}

/// Every card of the preview set renders as a 1200×630 PNG with its texts drawn: hundreds of its
/// pixels differ from the same card drawn without them.
/// `CARDS_PREVIEW_DIR=/tmp/cards` also writes the PNGs there, to look at.
#[test]
fn every_preview_card_renders_with_its_texts() {
    let r = renderer();
    let dir = std::env::var_os("CARDS_PREVIEW_DIR").map(PathBuf::from);
    for (name, c) in previews() {
        let png = r.render(&c).expect("renders");
        let img = decode(&png);
        assert_eq!(img.dimensions(), (1200, 630), "{name}");
        let layout = r.layout(&c);
        assert!(!layout.texts().is_empty(), "{name}: no text laid out");
        // The card is opaque, so the PNG's pixels compare with the premultiplied ones of the card
        // drawn without its texts.
        let bare = r.rasterise(&layout, Parts { texts: false }).expect("renders");
        let text_pixels =
            img.as_raw().chunks_exact(4).zip(bare.data().chunks_exact(4)).filter(|(a, b)| a != b).count();
        assert!(text_pixels > 500, "{name}: only {text_pixels} pixels of text were drawn");
        if let Some(dir) = &dir {
            std::fs::write(dir.join(format!("{name}.png")), &png).expect("written");
        }
    }
}
