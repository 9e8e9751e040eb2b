//! The SVG document of a laid-out card. Every text comes from a coach, so every text and
//! attribute value is XML-escaped; colours are validated `#rrggbb` (see [`crate::layout::Palette`]);
//! each run of text names one of our faces by its token and sits at its measured offset.

use std::fmt::Write as _;

use crate::fonts::Fonts;
use crate::layout::{Badge, CardLayout, Placed, Rect};
use crate::paint::Paint;
use crate::{HEIGHT, WIDTH};

/// The mibio mark's "m" (from `public/favicon.svg`), drawn in a 64×64 box.
const MARK_PATH: &str = "M16 46V24c0-2 1.5-3.5 3.5-3.5S23 22 23 24v2c1.6-3.6 4.6-5.5 8-5.5 3.5 0 6 1.9 7.2 5.3 \
    1.7-3.4 4.8-5.3 8.3-5.3 5 0 8.5 3.6 8.5 9.5V46c0 2-1.5 3.5-3.5 3.5S48 48 48 46V31c0-2.6-1.3-4.2-3.5-4.2S41 \
    28.4 41 31v15c0 2-1.5 3.5-3.5 3.5S34 48 34 46V31c0-2.6-1.3-4.2-3.5-4.2S27 28.4 27 31v15c0 2-1.5 3.5-3.5 3.5S16 \
    48 16 46z";

/// `text` escaped for XML character data and attribute values.
#[must_use]
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            _ => out.push(c),
        }
    }
    out
}

/// Which parts to draw: tests draw the card without its texts to compare backgrounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parts {
    pub texts: bool,
}

impl Default for Parts {
    fn default() -> Self {
        Self { texts: true }
    }
}

/// The SVG document of `layout`.
#[must_use]
pub fn document(layout: &CardLayout, parts: Parts) -> String {
    let p = &layout.palette;
    let mut svg = String::with_capacity(8 * 1024);
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" xml:space="preserve"><defs>"#
    );
    let background = match &p.background {
        Paint::Solid(colour) => colour.clone(),
        Paint::Linear { angle_deg, stops } => {
            let (x1, y1, x2, y2) = Paint::gradient_line(*angle_deg, WIDTH, HEIGHT);
            let _ = write!(
                svg,
                r#"<linearGradient id="bg" gradientUnits="userSpaceOnUse" x1="{x1:.2}" y1="{y1:.2}" x2="{x2:.2}" y2="{y2:.2}">"#
            );
            for (colour, offset) in stops {
                let _ = write!(svg, r#"<stop offset="{offset:.4}" stop-color="{colour}"/>"#);
            }
            svg.push_str("</linearGradient>");
            "url(#bg)".to_owned()
        }
    };
    let (cx, cy, r) = layout.badge_circle;
    let inner = r - 8.0;
    let _ = write!(
        svg,
        r#"<clipPath id="photo"><circle cx="{cx:.2}" cy="{cy:.2}" r="{inner:.2}"/></clipPath></defs>"#
    );
    let _ = write!(svg, r#"<rect width="{WIDTH}" height="{HEIGHT}" fill="{background}"/>"#);
    // A soft disc of the accent and two rings around it, off the top-right corner.
    let _ = write!(
        svg,
        r#"<circle cx="1150" cy="-20" r="250" fill="{a}" fill-opacity="0.07"/><g fill="none" stroke="{a}" stroke-opacity="0.22" stroke-width="2"><circle cx="1150" cy="-20" r="330"/><circle cx="1150" cy="-20" r="410"/></g>"#,
        a = p.accent
    );
    badge(&mut svg, layout, parts);
    if parts.texts {
        for line in &layout.title {
            text(&mut svg, line, &p.text);
        }
        for line in &layout.bio {
            text(&mut svg, line, &p.muted);
        }
    }
    let _ = write!(
        svg,
        r#"<rect x="{x:.2}" y="{y:.2}" width="{w:.2}" height="2" fill="{c}" fill-opacity="0.16"/>"#,
        x = crate::layout::SAFE.x,
        y = layout.rule_y - 1.0,
        w = crate::layout::SAFE.w,
        c = p.text
    );
    mark(&mut svg, layout.footer_mark, &p.accent, &p.on_accent);
    let pill = layout.url_pill;
    let _ = write!(
        svg,
        r#"<rect x="{x:.2}" y="{y:.2}" width="{w:.2}" height="{h:.2}" rx="{rx:.2}" fill="{s}"/><circle cx="{dx:.2}" cy="{dy:.2}" r="6" fill="{a}"/>"#,
        x = pill.x,
        y = pill.y,
        w = pill.w,
        h = pill.h,
        rx = pill.h / 2.0,
        s = p.surface,
        a = p.accent,
        dx = pill.x + 28.0,
        dy = pill.y + pill.h / 2.0,
    );
    if parts.texts {
        text(&mut svg, &layout.wordmark, &p.text);
        text(&mut svg, &layout.url, &p.text);
    }
    svg.push_str("</svg>");
    svg
}

fn badge(svg: &mut String, layout: &CardLayout, parts: Parts) {
    let p = &layout.palette;
    let (cx, cy, r) = layout.badge_circle;
    let inner = r - 8.0;
    match &layout.badge {
        Badge::Mark => {
            let side = r * 2.0;
            mark(svg, Rect { x: cx - r, y: cy - r, w: side, h: side }, &p.accent, &p.on_accent);
        }
        Badge::Photo(uri) => {
            let _ = write!(
                svg,
                r#"<circle cx="{cx:.2}" cy="{cy:.2}" r="{ring:.2}" fill="{s}" stroke="{a}" stroke-opacity="0.3" stroke-width="2"/><image x="{x:.2}" y="{y:.2}" width="{d:.2}" height="{d:.2}" href="{uri}" clip-path="url(#photo)"/>"#,
                s = p.surface,
                a = p.accent,
                ring = r - 1.0,
                x = cx - inner,
                y = cy - inner,
                d = inner * 2.0,
                uri = escape(uri),
            );
        }
        Badge::Monogram(initials) => {
            let _ = write!(
                svg,
                r#"<circle cx="{cx:.2}" cy="{cy:.2}" r="{ring:.2}" fill="{s}" stroke="{a}" stroke-opacity="0.3" stroke-width="2"/><circle cx="{cx:.2}" cy="{cy:.2}" r="{inner:.2}" fill="{a}"/>"#,
                ring = r - 1.0,
                s = p.surface,
                a = p.accent,
            );
            if parts.texts {
                text(svg, initials, &p.on_accent);
            }
        }
    }
}

/// The mibio mark (a rounded square with the "m") filling `at`.
fn mark(svg: &mut String, at: Rect, square: &str, letter: &str) {
    let scale = at.w / 64.0;
    let _ = write!(
        svg,
        r#"<g transform="translate({x:.2} {y:.2}) scale({scale:.4})"><rect width="64" height="64" rx="16" fill="{square}"/><path d="{MARK_PATH}" fill="{letter}" transform="translate(-4 -2)"/></g>"#,
        x = at.x,
        y = at.y,
    );
}

fn text(svg: &mut String, placed: &Placed, fill: &str) {
    for run in &placed.line.runs {
        let _ = write!(
            svg,
            r#"<text x="{x:.2}" y="{y:.2}" font-family="{family}" font-size="{size:.2}" fill="{fill}">{text}</text>"#,
            x = placed.x + run.x,
            y = placed.baseline,
            family = Fonts::family(run.face),
            size = placed.size,
            text = escape(&run.text),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape(r#"<b>"Tom" & 'Jerry'</b>"#),
            "&lt;b&gt;&quot;Tom&quot; &amp; &apos;Jerry&apos;&lt;/b&gt;"
        );
    }
}
