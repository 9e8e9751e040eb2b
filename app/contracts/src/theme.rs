//! Page themes are data, not code: a preset is a small set of design tokens that the public page,
//! the editor's live preview and the OpenGraph card all render from.

use serde::{Deserialize, Serialize};

use crate::Locale;

/// How buttons (link blocks) are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ButtonStyle {
    Filled,
    Outline,
    Soft,
    Shadow,
}

/// Corner radius of buttons and cards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Corners {
    Square,
    Rounded,
    Pill,
}

impl Corners {
    /// The CSS `border-radius` for this corner style.
    #[must_use]
    pub const fn css_radius(self) -> &'static str {
        match self {
            Self::Square => "4px",
            Self::Rounded => "14px",
            Self::Pill => "999px",
        }
    }
}

/// One of the four theme presets that match the coach templates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ThemePreset {
    Ejecutivo,
    Wellness,
    Terapia,
    Consultor,
}

/// The design tokens of a theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThemeTokens {
    /// CSS background of the page (a colour or a gradient).
    pub background: &'static str,
    pub surface: &'static str,
    pub text: &'static str,
    pub muted: &'static str,
    pub accent: &'static str,
    /// Text drawn on the accent colour.
    pub on_accent: &'static str,
    pub buttons: ButtonStyle,
    pub corners: Corners,
    /// A CSS font stack for headings (system fonts only: no web-font download).
    pub heading_font: &'static str,
}

const SANS: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
const SERIF: &str = "'Iowan Old Style', 'Palatino Linotype', Palatino, Georgia, 'Times New Roman', serif";

impl ThemePreset {
    /// Every preset, in the order the galleries show them.
    pub const ALL: [Self; 4] = [Self::Ejecutivo, Self::Wellness, Self::Terapia, Self::Consultor];

    /// The stable id used in URLs, JSON and `data-theme` attributes.
    #[must_use]
    pub const fn id(self) -> &'static str {
        match self {
            Self::Ejecutivo => "ejecutivo",
            Self::Wellness => "wellness",
            Self::Terapia => "terapia",
            Self::Consultor => "consultor",
        }
    }

    /// The preset's display name.
    #[must_use]
    pub const fn name(self, locale: Locale) -> &'static str {
        match (self, locale) {
            (Self::Ejecutivo, Locale::Es) => "Ejecutivo",
            (Self::Ejecutivo, Locale::En) => "Executive",
            (Self::Wellness, _) => "Wellness",
            (Self::Terapia, Locale::Es) => "Terapia",
            (Self::Terapia, Locale::En) => "Therapy",
            (Self::Consultor, Locale::Es) => "Consultor B2B",
            (Self::Consultor, Locale::En) => "B2B Consultant",
        }
    }

    /// The preset's tokens. Text/background pairs meet WCAG AA (4.5:1); see the tests.
    #[must_use]
    pub const fn tokens(self) -> ThemeTokens {
        match self {
            Self::Ejecutivo => ThemeTokens {
                background: "linear-gradient(160deg, #0f1b33 0%, #1b2b4b 100%)",
                surface: "#16243f",
                text: "#f5f1e6",
                muted: "#c9c2ae",
                accent: "#d4a84b",
                on_accent: "#0f1b33",
                buttons: ButtonStyle::Filled,
                corners: Corners::Rounded,
                heading_font: SERIF,
            },
            Self::Wellness => ThemeTokens {
                background: "linear-gradient(180deg, #f4ede1 0%, #e8eadf 100%)",
                surface: "#fbf8f2",
                text: "#2f3a2f",
                muted: "#5a6457",
                accent: "#4f6f52",
                on_accent: "#ffffff",
                buttons: ButtonStyle::Soft,
                corners: Corners::Pill,
                heading_font: SANS,
            },
            Self::Terapia => ThemeTokens {
                background: "linear-gradient(170deg, #eef0fb 0%, #e6f0f7 100%)",
                surface: "#ffffff",
                text: "#2b2d4a",
                muted: "#565a7a",
                accent: "#5b5fc7",
                on_accent: "#ffffff",
                buttons: ButtonStyle::Shadow,
                corners: Corners::Rounded,
                heading_font: SANS,
            },
            Self::Consultor => ThemeTokens {
                background: "#ffffff",
                surface: "#f6f8fa",
                text: "#0f172a",
                muted: "#475569",
                accent: "#1e3a5f",
                on_accent: "#ffffff",
                buttons: ButtonStyle::Outline,
                corners: Corners::Square,
                heading_font: SANS,
            },
        }
    }
}

impl std::str::FromStr for ThemePreset {
    type Err = ();

    fn from_str(id: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|p| p.id() == id).ok_or(())
    }
}

/// WCAG 2.x contrast ratio of two `#rrggbb` colours (1.0–21.0); `None` if either is not one.
#[must_use]
pub fn contrast_ratio(a: &str, b: &str) -> Option<f64> {
    let (la, lb) = (relative_luminance(a)?, relative_luminance(b)?);
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    Some((hi + 0.05) / (lo + 0.05))
}

fn relative_luminance(hex: &str) -> Option<f64> {
    let hex = hex.strip_prefix('#').filter(|h| h.len() == 6)?;
    let channel = |i: usize| -> Option<f64> {
        let v = f64::from(u8::from_str_radix(hex.get(i..i + 2)?, 16).ok()?) / 255.0;
        Some(if v <= 0.039_28 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) })
    };
    Some(0.2126 * channel(0)? + 0.7152 * channel(2)? + 0.0722 * channel(4)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_matches_known_values() {
        let black_white = contrast_ratio("#000000", "#ffffff").unwrap();
        assert!((black_white - 21.0).abs() < 0.01);
        assert!((contrast_ratio("#777777", "#ffffff").unwrap() - 4.48).abs() < 0.01);
        assert_eq!(contrast_ratio("red", "#ffffff"), None);
    }

    #[test]
    fn every_preset_is_readable() {
        for preset in ThemePreset::ALL {
            let t = preset.tokens();
            for (fg, bg, what) in [
                (t.text, t.surface, "text on surface"),
                (t.muted, t.surface, "muted on surface"),
                (t.on_accent, t.accent, "label on accent"),
            ] {
                let ratio = contrast_ratio(fg, bg).unwrap();
                assert!(ratio >= 4.5, "{}: {what} is {ratio:.2}:1", preset.id());
            }
            assert_eq!(preset.id().parse(), Ok(preset));
        }
    }
}
