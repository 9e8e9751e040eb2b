//! The renderer: layout, SVG, raster, PNG — synchronous and CPU-bound (run it on a blocking
//! thread). It holds the fonts, loaded once.

use std::sync::Arc;

use anyhow::Context as _;
use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::{ExtendedColorType, ImageEncoder as _};
use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg::{self, FontResolver, ImageHrefResolver, fontdb};

use crate::fonts::Fonts;
use crate::layout::{CardLayout, layout};
use crate::svg::{Parts, document};
use crate::{Card, HEIGHT, WIDTH};

/// Renders cards. Cheap to clone (the fonts are shared).
#[derive(Debug, Clone)]
pub struct CardRenderer {
    fonts: Arc<Fonts>,
    /// The font database usvg draws from: the shipped fonts and nothing else.
    pub fontdb: Arc<fontdb::Database>,
}

impl CardRenderer {
    /// A renderer with the shipped fonts (loads them: call once, at start-up).
    ///
    /// # Errors
    /// When an embedded font cannot be read (a broken build).
    pub fn new() -> anyhow::Result<Self> {
        let fonts = Arc::new(Fonts::load()?);
        Ok(Self { fontdb: fonts.database(), fonts })
    }

    /// The fonts, for measuring.
    #[must_use]
    pub fn fonts(&self) -> &Fonts {
        &self.fonts
    }

    /// Lays `card` out without drawing it.
    #[must_use]
    pub fn layout(&self, card: &Card) -> CardLayout {
        layout(&self.fonts, card)
    }

    /// The 1200×630 PNG of `card`.
    ///
    /// # Errors
    /// When the SVG cannot be parsed or the PNG encoded (a bug, not bad input: every text is
    /// escaped and every colour validated).
    pub fn render(&self, card: &Card) -> anyhow::Result<Vec<u8>> {
        let pixmap = self.rasterise(&self.layout(card), Parts::default())?;
        encode_png(pixmap)
    }

    /// Draws a laid-out card (or some of its [`Parts`]).
    ///
    /// # Errors
    /// As [`CardRenderer::render`].
    pub fn rasterise(&self, layout: &CardLayout, parts: Parts) -> anyhow::Result<Pixmap> {
        let svg = document(layout, parts);
        let tree = usvg::Tree::from_str(&svg, &self.options()).context("parsing the card's SVG")?;
        #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "constants")]
        let mut pixmap = Pixmap::new(WIDTH as u32, HEIGHT as u32).context("allocating the card")?;
        pixmap.fill(resvg::tiny_skia::Color::WHITE);
        resvg::render(&tree, Transform::identity(), &mut pixmap.as_mut());
        Ok(pixmap)
    }

    /// usvg options: our font database; fonts chosen by the tokens the SVG names them by, with no
    /// fallback (the layout already gave every cluster a face that has it); images only from
    /// `data:` URIs (never the file system).
    fn options(&self) -> usvg::Options<'static> {
        let fonts = self.fonts.clone();
        let select_font = Box::new(move |font: &usvg::Font, _: &mut Arc<fontdb::Database>| {
            font.families().iter().find_map(|family| match family {
                usvg::FontFamily::Named(name) => fonts.id_of(name),
                _ => None,
            })
        });
        usvg::Options {
            fontdb: self.fontdb.clone(),
            font_resolver: FontResolver { select_font, select_fallback: Box::new(|_, _, _| None) },
            image_href_resolver: ImageHrefResolver {
                resolve_data: ImageHrefResolver::default_data_resolver(),
                resolve_string: Box::new(|_, _| None),
            },
            ..usvg::Options::default()
        }
    }
}

/// The pixmap as an opaque RGB PNG (the card has no transparency), with fast compression: the
/// bytes are cached, the render time is what a cold request waits for. The RGB pixels are packed
/// in the pixmap's own buffer (an opaque premultiplied pixel is its plain colour), so a render
/// does not hold a second 2 MB copy of the card.
fn encode_png(pixmap: Pixmap) -> anyhow::Result<Vec<u8>> {
    let (width, height) = (pixmap.width(), pixmap.height());
    let mut pixels = pixmap.take();
    let count = pixels.len() / 4;
    for i in 0..count {
        pixels.copy_within(4 * i..4 * i + 3, 3 * i);
    }
    pixels.truncate(3 * count);
    let mut png = Vec::with_capacity(256 * 1024);
    PngEncoder::new_with_quality(&mut png, CompressionType::Fast, FilterType::Adaptive)
        .write_image(&pixels, width, height, ExtendedColorType::Rgb8)
        .context("encoding the card as PNG")?;
    Ok(png)
}
