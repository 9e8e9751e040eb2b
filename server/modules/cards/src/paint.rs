//! Theme colours as SVG paints. A theme's background is a CSS value: a `#rrggbb` colour or a
//! `linear-gradient(…)` (the presets); gradients become an SVG `linearGradient` with the same
//! geometry as CSS gives them over the card's box.

use contracts::theme::is_hex_colour;

/// A background: one colour, or a linear gradient.
#[derive(Debug, Clone, PartialEq)]
pub enum Paint {
    Solid(String),
    Linear {
        /// CSS angle: 0° points up, 90° right, clockwise.
        angle_deg: f32,
        /// `(#rrggbb, offset 0..=1)`, in order.
        stops: Vec<(String, f32)>,
    },
}

impl Paint {
    /// Reads a CSS background; anything unreadable becomes `fallback` (a `#rrggbb`).
    #[must_use]
    pub fn parse(css: &str, fallback: &str) -> Self {
        let css = css.trim();
        if is_hex_colour(css) {
            return Self::Solid(css.to_ascii_lowercase());
        }
        parse_linear(css).unwrap_or_else(|| Self::Solid(colour_or(fallback, "#ffffff")))
    }

    /// A representative colour (the solid colour, or the gradient's middle stop).
    #[must_use]
    pub fn average(&self) -> String {
        match self {
            Self::Solid(c) => c.clone(),
            Self::Linear { stops, .. } => {
                stops.get(stops.len() / 2).map_or_else(|| "#ffffff".to_owned(), |(c, _)| c.clone())
            }
        }
    }

    /// The gradient's line over a `width`×`height` box, as CSS draws it: `(x1, y1, x2, y2)`.
    #[must_use]
    pub fn gradient_line(angle_deg: f32, width: f32, height: f32) -> (f32, f32, f32, f32) {
        let a = angle_deg.to_radians();
        let (dx, dy) = (a.sin(), -a.cos());
        let half = (width * dx.abs() + height * dy.abs()) / 2.0;
        let (cx, cy) = (width / 2.0, height / 2.0);
        (cx - dx * half, cy - dy * half, cx + dx * half, cy + dy * half)
    }
}

/// `value` if it is a `#rrggbb`, else `fallback`.
#[must_use]
pub fn colour_or(value: &str, fallback: &str) -> String {
    if is_hex_colour(value) { value.to_ascii_lowercase() } else { fallback.to_owned() }
}

fn parse_linear(css: &str) -> Option<Paint> {
    let inner = css.strip_prefix("linear-gradient(")?.strip_suffix(')')?;
    let mut parts = inner.split(',').map(str::trim).peekable();
    let angle_deg = match parts.peek().copied() {
        Some(first) if !first.starts_with('#') => {
            parts.next();
            parse_direction(first)?
        }
        _ => 180.0,
    };
    let raw: Vec<(String, Option<f32>)> = parts
        .map(|stop| {
            let mut words = stop.split_whitespace();
            let colour = words.next().filter(|c| is_hex_colour(c))?.to_ascii_lowercase();
            let offset = match words.next() {
                Some(p) => Some(p.strip_suffix('%')?.parse::<f32>().ok()? / 100.0),
                None => None,
            };
            Some((colour, offset))
        })
        .collect::<Option<_>>()?;
    if raw.len() < 2 {
        return None;
    }
    #[expect(clippy::cast_precision_loss, reason = "a handful of stops")]
    let last = (raw.len() - 1) as f32;
    let stops = raw
        .into_iter()
        .enumerate()
        .map(|(i, (colour, offset))| {
            #[expect(clippy::cast_precision_loss, reason = "a handful of stops")]
            let even = i as f32 / last;
            (colour, offset.unwrap_or(even).clamp(0.0, 1.0))
        })
        .collect();
    Some(Paint::Linear { angle_deg, stops })
}

fn parse_direction(value: &str) -> Option<f32> {
    if let Some(deg) = value.strip_suffix("deg") {
        return deg.trim().parse().ok();
    }
    Some(match value {
        "to top" => 0.0,
        "to right" => 90.0,
        "to bottom" => 180.0,
        "to left" => 270.0,
        "to top right" | "to right top" => 45.0,
        "to bottom right" | "to right bottom" => 135.0,
        "to bottom left" | "to left bottom" => 225.0,
        "to top left" | "to left top" => 315.0,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use contracts::theme::ThemePreset;

    use super::*;

    #[test]
    fn every_preset_background_is_understood() {
        for preset in ThemePreset::ALL {
            let css = preset.tokens().background;
            let paint = Paint::parse(css, "#000000");
            if css.starts_with('#') {
                assert_eq!(paint, Paint::Solid(css.to_owned()));
            } else {
                assert!(
                    matches!(paint, Paint::Linear { ref stops, .. } if stops.len() == 2),
                    "{css}: {paint:?}"
                );
            }
        }
        assert_eq!(
            Paint::parse("linear-gradient(160deg, #0f1b33 0%, #1b2b4b 100%)", "#000000"),
            Paint::Linear { angle_deg: 160.0, stops: vec![("#0f1b33".into(), 0.0), ("#1b2b4b".into(), 1.0)] }
        );
        assert_eq!(
            Paint::parse("linear-gradient(to right, #ABCDEF, #000000, #ffffff)", "#000000"),
            Paint::Linear {
                angle_deg: 90.0,
                stops: vec![("#abcdef".into(), 0.0), ("#000000".into(), 0.5), ("#ffffff".into(), 1.0)]
            }
        );
    }

    #[test]
    fn anything_else_falls_back_to_a_solid_colour() {
        for css in
            ["red", "url(x)", "linear-gradient(#fff)", "linear-gradient(1deg, red, blue)", "\"><script>"]
        {
            assert_eq!(Paint::parse(css, "#123456"), Paint::Solid("#123456".into()), "{css}");
        }
    }

    #[test]
    fn gradient_lines_follow_css() {
        let (x1, y1, x2, y2) = Paint::gradient_line(180.0, 1200.0, 630.0);
        assert!((x1 - 600.0).abs() < 0.01 && y1.abs() < 0.01 && (x2 - 600.0).abs() < 0.01);
        assert!((y2 - 630.0).abs() < 0.01);
        let (x1, _, x2, _) = Paint::gradient_line(90.0, 1200.0, 630.0);
        assert!(x1.abs() < 0.01 && (x2 - 1200.0).abs() < 0.01);
    }
}
