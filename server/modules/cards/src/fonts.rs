//! The fonts of the card: the files in `public/fonts/`, embedded in the binary (so a deployment
//! never depends on a directory being there), loaded once into a `fontdb` with nothing else in it
//! — never system fonts — and parsed once for measuring with the same shaper usvg uses
//! (`harfrust`), so the width we wrap to is the width that gets drawn.

use std::collections::HashMap;
use std::sync::Arc;

use harfrust::{FontRef, ShaperData};
use resvg::usvg::fontdb;
use skrifa::MetadataProvider as _;
use skrifa::charmap::Charmap;
use skrifa::instance::{LocationRef, Size};

/// One shipped font file.
struct FontFile {
    face: Face,
    /// The family name the SVG uses for it (our own token; see [`Fonts::family`]).
    token: &'static str,
    bytes: &'static [u8],
}

const FILES: [FontFile; 6] = [
    FontFile {
        face: Face::InterRegular,
        token: "mibio-inter-400",
        bytes: include_bytes!("../../../../public/fonts/Inter-Regular.ttf"),
    },
    FontFile {
        face: Face::InterMedium,
        token: "mibio-inter-500",
        bytes: include_bytes!("../../../../public/fonts/Inter-Medium.ttf"),
    },
    FontFile {
        face: Face::InterBold,
        token: "mibio-inter-700",
        bytes: include_bytes!("../../../../public/fonts/Inter-Bold.ttf"),
    },
    FontFile {
        face: Face::LoraSemiBold,
        token: "mibio-lora-600",
        bytes: include_bytes!("../../../../public/fonts/Lora-SemiBold.ttf"),
    },
    FontFile {
        face: Face::DejaVuSans,
        token: "mibio-dejavu-sans",
        bytes: include_bytes!("../../../../public/fonts/DejaVuSans.ttf"),
    },
    FontFile {
        face: Face::Emoji,
        token: "mibio-twemoji",
        bytes: include_bytes!("../../../../public/fonts/TwemojiMozilla.ttf"),
    },
];

/// A font face we ship.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Face {
    InterRegular,
    InterMedium,
    InterBold,
    LoraSemiBold,
    /// Wide coverage (Greek, Cyrillic, Hebrew, Arabic, symbols) for what Inter and Lora lack.
    DejaVuSans,
    /// Twemoji as a COLR (vector, colour) font.
    Emoji,
}

/// A parsed face: its data for the shaper and its vertical metrics.
pub(crate) struct Loaded {
    pub font: FontRef<'static>,
    pub shaper: ShaperData,
    pub charmap: Charmap<'static>,
    pub units_per_em: f32,
    /// Above the baseline, in font units (positive).
    pub ascent: f32,
    /// Below the baseline, in font units (positive).
    pub descent: f32,
}

/// The shipped fonts: a `fontdb` holding only them, and each face parsed for measuring.
pub struct Fonts {
    db: Arc<fontdb::Database>,
    ids: HashMap<&'static str, fontdb::ID>,
    loaded: HashMap<Face, Loaded>,
}

impl std::fmt::Debug for Fonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fonts").field("faces", &self.db.len()).finish_non_exhaustive()
    }
}

impl Fonts {
    /// Loads the embedded fonts (a few milliseconds; do it once, at start-up).
    ///
    /// # Errors
    /// When an embedded file is not a font (a broken build).
    pub fn load() -> anyhow::Result<Self> {
        let mut db = fontdb::Database::new();
        let mut ids = HashMap::new();
        let mut loaded = HashMap::new();
        for file in &FILES {
            let source = fontdb::Source::Binary(Arc::new(file.bytes));
            let id = *db
                .load_font_source(source)
                .first()
                .ok_or_else(|| anyhow::anyhow!("{} is not a font fontdb can read", file.token))?;
            ids.insert(file.token, id);
            let font = FontRef::new(file.bytes)
                .map_err(|e| anyhow::anyhow!("{} is not a font the shaper can read: {e}", file.token))?;
            let metrics = font.metrics(Size::unscaled(), LocationRef::default());
            loaded.insert(
                file.face,
                Loaded {
                    shaper: ShaperData::new(&font),
                    charmap: Charmap::new(&font),
                    units_per_em: f32::from(metrics.units_per_em.max(1)),
                    ascent: metrics.ascent,
                    descent: -metrics.descent,
                    font,
                },
            );
        }
        Ok(Self { db: Arc::new(db), ids, loaded })
    }

    /// The font database usvg renders with (our files only).
    #[must_use]
    pub fn database(&self) -> Arc<fontdb::Database> {
        self.db.clone()
    }

    /// The `font-family` token the SVG names `face` by.
    #[must_use]
    pub fn family(face: Face) -> &'static str {
        FILES.iter().find(|f| f.face == face).map_or("mibio-inter-400", |f| f.token)
    }

    /// The database id of the face the SVG names `family`, if it is one of ours.
    #[must_use]
    pub fn id_of(&self, family: &str) -> Option<fontdb::ID> {
        self.ids.get(family).copied()
    }

    pub(crate) fn get(&self, face: Face) -> &Loaded {
        // Every `Face` is in `FILES`, and `load` fails unless all of them loaded.
        &self.loaded[&face]
    }

    /// Whether `face` has a glyph for `c`.
    #[must_use]
    pub fn covers(&self, face: Face, c: char) -> bool {
        self.get(face).charmap.map(c).is_some_and(|g| g.to_u32() != 0)
    }

    /// Ascent and descent of `face` at `size` px (both positive).
    #[must_use]
    pub fn extent(&self, face: Face, size: f32) -> (f32, f32) {
        let f = self.get(face);
        (f.ascent * size / f.units_per_em, f.descent * size / f.units_per_em)
    }

    /// The advance width of `text` set in `face` at `size` px, shaped as usvg shapes it.
    #[must_use]
    pub fn advance(&self, face: Face, size: f32, text: &str) -> f32 {
        if text.is_empty() {
            return 0.0;
        }
        let f = self.get(face);
        let shaper = f.shaper.shaper(&f.font).build();
        let mut buffer = harfrust::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.set_direction(harfrust::Direction::LeftToRight);
        buffer.guess_segment_properties();
        let output = shaper.shape(buffer, harfrust::ShapeOptions::new());
        let units: i64 = output.glyph_positions().iter().map(|p| i64::from(p.x_advance)).sum();
        #[expect(clippy::cast_precision_loss, reason = "advances of a line are far below 2^24")]
        let units = units as f32;
        units * size / f.units_per_em
    }
}
