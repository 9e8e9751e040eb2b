//! The card's layout, decided before anything is drawn: where the avatar (or monogram, or the
//! mibio mark) sits, and every line of text — title, bio, wordmark, address — broken and measured
//! with the real fonts. Rasterising is a separate step ([`crate::svg`]), so tests can check the
//! geometry: every line box stays inside [`SAFE`].

use contracts::theme::{FontChoice, ResolvedTheme};

use crate::avatar;
use crate::fonts::{Face, Fonts};
use crate::paint::{Paint, colour_or};
use crate::text::{Line, TextStyle, Wrapped, wrap, wrap_balanced};
use crate::{Card, CardKind, HEIGHT, WIDTH};

/// A rectangle, px.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

impl Rect {
    /// Whether `other` lies wholly inside this rectangle.
    #[must_use]
    pub fn contains(&self, other: &Self) -> bool {
        other.x >= self.x - 0.01
            && other.y >= self.y - 0.01
            && other.x + other.w <= self.x + self.w + 0.01
            && other.y + other.h <= self.y + self.h + 0.01
    }
}

const MARGIN_X: f32 = 72.0;
const MARGIN_Y: f32 = 60.0;
/// Where content may go: the card less its margins.
pub const SAFE: Rect =
    Rect { x: MARGIN_X, y: MARGIN_Y, w: WIDTH - 2.0 * MARGIN_X, h: HEIGHT - 2.0 * MARGIN_Y };

const AVATAR: f32 = 184.0;
const RING: f32 = 8.0;
const COLUMN_GAP: f32 = 56.0;
const FOOTER_H: f32 = 48.0;
const RULE_GAP: f32 = 28.0;
const TITLE_SIZES: [f32; 6] = [76.0, 70.0, 64.0, 58.0, 52.0, 48.0];
const TITLE_LEADING: f32 = 1.12;
const BIO_SIZE: f32 = 30.0;
const BIO_LEADING: f32 = 1.42;
const TITLE_BIO_GAP: f32 = 20.0;
const WORDMARK_SIZE: f32 = 30.0;
const URL_SIZE: f32 = 24.0;
const PILL_PAD: f32 = 22.0;

/// A laid-out line at its place.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    pub line: Line,
    /// Left edge of the line, px.
    pub x: f32,
    /// Baseline, px.
    pub baseline: f32,
    pub size: f32,
    /// The line box: from the tallest face's ascent to its deepest descent.
    pub bounds: Rect,
}

/// What fills the circle on the left.
#[derive(Debug, Clone, PartialEq)]
pub enum Badge {
    /// The coach's photo, as a PNG data URI.
    Photo(String),
    /// Initials on the accent colour.
    Monogram(Placed),
    /// The mibio mark (mibio's own card, and pages without initials).
    Mark,
}

/// The theme's colours, each a safe `#rrggbb`.
#[derive(Debug, Clone, PartialEq)]
pub struct Palette {
    pub background: Paint,
    pub surface: String,
    pub text: String,
    pub muted: String,
    pub accent: String,
    pub on_accent: String,
}

impl Palette {
    /// The palette of a resolved theme (unreadable values fall back to neutral ones).
    #[must_use]
    pub fn of(theme: &ResolvedTheme) -> Self {
        let surface = colour_or(&theme.surface, "#ffffff");
        Self {
            background: Paint::parse(&theme.background, &surface),
            text: colour_or(&theme.text, "#111111"),
            muted: colour_or(&theme.muted, "#555555"),
            accent: colour_or(&theme.accent, "#1e3a5f"),
            on_accent: colour_or(&theme.on_accent, "#ffffff"),
            surface,
        }
    }
}

/// Everything the SVG step draws.
#[derive(Debug, Clone, PartialEq)]
pub struct CardLayout {
    pub palette: Palette,
    /// The badge circle: centre and radius (the ring included).
    pub badge_circle: (f32, f32, f32),
    pub badge: Badge,
    pub title: Vec<Placed>,
    pub bio: Vec<Placed>,
    /// The horizontal rule above the footer: `y`.
    pub rule_y: f32,
    /// The small mibio mark of the footer.
    pub footer_mark: Rect,
    pub wordmark: Placed,
    /// The page address and the pill behind it.
    pub url: Placed,
    pub url_pill: Rect,
}

impl CardLayout {
    /// Every text line's box (title, bio, monogram, wordmark, address).
    #[must_use]
    pub fn text_boxes(&self) -> Vec<Rect> {
        let mut boxes: Vec<Rect> = self.title.iter().chain(&self.bio).map(|p| p.bounds).collect();
        if let Badge::Monogram(initials) = &self.badge {
            boxes.push(initials.bounds);
        }
        boxes.push(self.wordmark.bounds);
        boxes.push(self.url.bounds);
        boxes
    }

    /// Every line as text, in drawing order (for tests and logs).
    #[must_use]
    pub fn texts(&self) -> Vec<String> {
        self.title.iter().chain(&self.bio).map(|p| p.line.text()).collect()
    }
}

fn place(fonts: &Fonts, line: Line, x: f32, line_top: f32, line_height: f32, size: f32) -> Placed {
    let (mut ascent, mut descent) = (0.0_f32, 0.0_f32);
    for run in &line.runs {
        let (a, d) = fonts.extent(run.face, size);
        ascent = ascent.max(a);
        descent = descent.max(d);
    }
    if line.runs.is_empty() {
        (ascent, descent) = fonts.extent(Face::InterRegular, size);
    }
    // Centre the glyph box in the line box (CSS half-leading).
    let baseline = line_top + (line_height - (ascent + descent)) / 2.0 + ascent;
    let bounds = Rect { x, y: baseline - ascent, w: line.width, h: ascent + descent };
    Placed { line, x, baseline, size, bounds }
}

fn title_face(theme: &ResolvedTheme) -> Face {
    if theme.heading_font == FontChoice::Serif.stack() { Face::LoraSemiBold } else { Face::InterBold }
}

/// The title at the largest size that fits in two lines without breaking a word; else the largest
/// that fits at all; else the smallest, cut with an ellipsis.
fn fit_title(fonts: &Fonts, face: Face, title: &str, width: f32) -> (Wrapped, f32) {
    let tries: Vec<(Wrapped, f32)> = TITLE_SIZES
        .iter()
        .map(|&size| (wrap(fonts, &TextStyle { face, size }, title, width, 2), size))
        .collect();
    let whole_words = tries.iter().position(|(w, _)| !w.truncated && !w.broken);
    let uncut = tries.iter().position(|(w, _)| !w.truncated);
    let pick = whole_words.or(uncut).unwrap_or(tries.len() - 1);
    if whole_words == Some(pick) {
        let size = TITLE_SIZES[pick];
        return (wrap_balanced(fonts, &TextStyle { face, size }, title, width, 2), size);
    }
    tries.into_iter().nth(pick).unwrap_or_default()
}

/// Lays `card` out.
#[must_use]
pub fn layout(fonts: &Fonts, card: &Card) -> CardLayout {
    let palette = Palette::of(&card.theme);
    let footer_top = SAFE.y + SAFE.h - FOOTER_H;
    let rule_y = footer_top - RULE_GAP;
    let main = Rect { x: SAFE.x, y: SAFE.y, w: SAFE.w, h: rule_y - RULE_GAP - SAFE.y };

    let radius = AVATAR / 2.0;
    let badge_circle = (main.x + radius, main.y + main.h / 2.0, radius);
    let badge = badge(fonts, card, badge_circle);

    let column_x = main.x + AVATAR + COLUMN_GAP;
    let column_w = main.x + main.w - column_x;
    let (title, title_size) = fit_title(fonts, title_face(&card.theme), &card.title, column_w);
    let bio_style = TextStyle { face: Face::InterRegular, size: BIO_SIZE };
    let bio = wrap(fonts, &bio_style, &card.bio, column_w, 3);

    let title_lh = title_size * TITLE_LEADING;
    let bio_lh = BIO_SIZE * BIO_LEADING;
    let gap = if title.lines.is_empty() || bio.lines.is_empty() { 0.0 } else { TITLE_BIO_GAP };
    #[expect(clippy::cast_precision_loss, reason = "at most five lines")]
    let block = title.lines.len() as f32 * title_lh + gap + bio.lines.len() as f32 * bio_lh;
    let mut top = (main.y + (main.h - block) / 2.0).max(main.y);
    let mut placed_title = Vec::new();
    for line in title.lines {
        placed_title.push(place(fonts, line, column_x, top, title_lh, title_size));
        top += title_lh;
    }
    top += gap;
    let mut placed_bio = Vec::new();
    for line in bio.lines {
        placed_bio.push(place(fonts, line, column_x, top, bio_lh, BIO_SIZE));
        top += bio_lh;
    }

    let footer_mark = Rect { x: SAFE.x, y: footer_top + 4.0, w: 40.0, h: 40.0 };
    let wordmark_style = TextStyle { face: Face::InterBold, size: WORDMARK_SIZE };
    let wordmark_line = wrap(fonts, &wordmark_style, "mibio", 400.0, 1).lines.remove(0);
    let wordmark = place(fonts, wordmark_line, SAFE.x + 54.0, footer_top, FOOTER_H, WORDMARK_SIZE);

    let url_room = SAFE.x + SAFE.w - (wordmark.x + wordmark.line.width + 48.0) - 2.0 * PILL_PAD;
    let url_style = TextStyle { face: Face::InterMedium, size: URL_SIZE };
    let url_line = wrap(fonts, &url_style, &card.host_and_path, url_room, 1).lines.into_iter().next();
    let url_line = url_line.unwrap_or_default();
    let pill_w = url_line.width + 2.0 * PILL_PAD + 22.0;
    let url_pill = Rect { x: SAFE.x + SAFE.w - pill_w, y: footer_top, w: pill_w, h: FOOTER_H };
    let url = place(fonts, url_line, url_pill.x + PILL_PAD + 22.0, footer_top, FOOTER_H, URL_SIZE);

    CardLayout {
        palette,
        badge_circle,
        badge,
        title: placed_title,
        bio: placed_bio,
        rule_y,
        footer_mark,
        wordmark,
        url,
        url_pill,
    }
}

fn badge(fonts: &Fonts, card: &Card, (cx, cy, r): (f32, f32, f32)) -> Badge {
    if card.kind == CardKind::Site {
        return Badge::Mark;
    }
    let inner = r - RING;
    if let Some(bytes) = &card.avatar {
        // The drawn diameter: the card is never shown larger than its 1200 px.
        #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "a small positive size")]
        let px = (inner * 2.0) as u32;
        match avatar::data_uri(bytes, px) {
            Ok(uri) => return Badge::Photo(uri),
            Err(e) => tracing::warn!(error = %e, "unreadable avatar; drawing the monogram"),
        }
    }
    let initials = avatar::monogram(&card.title);
    if initials.is_empty() {
        return Badge::Mark;
    }
    let mut size = 76.0;
    let mut line = Line::default();
    while size >= 30.0 {
        let style = TextStyle { face: Face::InterBold, size };
        line = wrap(fonts, &style, &initials, f32::INFINITY, 1).lines.into_iter().next().unwrap_or_default();
        if line.width <= inner * 1.3 {
            break;
        }
        size -= 6.0;
    }
    let x = cx - line.width / 2.0;
    Badge::Monogram(place(fonts, line, x, cy - size / 2.0, size, size))
}
