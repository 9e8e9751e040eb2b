//! Page themes are data, not code: a preset is a small set of design tokens that the public page,
//! the editor's live preview and the OpenGraph card all render from.

use serde::{Deserialize, Serialize};

use crate::problem::ContrastPart;
use crate::{Locale, Problem};

/// How buttons (link blocks) are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum ButtonStyle {
    Filled,
    Outline,
    Soft,
    Shadow,
}

/// Corner radius of buttons and cards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    type Err = Problem;

    /// # Errors
    /// [`Problem::OneOf`] the presets' ids.
    fn from_str(id: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|p| p.id() == id).ok_or_else(|| Problem::OneOf {
            choices: Self::ALL.into_iter().map(|p| p.id().to_owned()).collect(),
        })
    }
}

/// The font a page's text is set in. System stacks only: no web-font download on the public page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum FontChoice {
    Sans,
    Serif,
    Mono,
}

impl FontChoice {
    /// Every choice, in the editor's order.
    pub const ALL: [Self; 3] = [Self::Sans, Self::Serif, Self::Mono];

    /// The CSS font stack.
    #[must_use]
    pub const fn stack(self) -> &'static str {
        match self {
            Self::Sans => SANS,
            Self::Serif => SERIF,
            Self::Mono => MONO,
        }
    }
}

const MONO: &str = "ui-monospace, 'SF Mono', Menlo, Consolas, 'Liberation Mono', monospace";

/// Custom colours over a preset, each `#rrggbb`. Unset colours come from the preset.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ThemeColors {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub background: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub surface: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub muted: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accent: Option<String>,
    /// The label colour on accent buttons; when unset with a custom accent, the more readable of
    /// white and near-black is chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_accent: Option<String>,
}

impl ThemeColors {
    /// Whether no colour is customised.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// A page's theme as stored and sent: a preset plus optional overrides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PageTheme {
    pub preset: ThemePreset,
    #[serde(default, skip_serializing_if = "ThemeColors::is_empty")]
    pub colors: ThemeColors,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub button_style: Option<ButtonStyle>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corners: Option<Corners>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub font: Option<FontChoice>,
}

impl Default for PageTheme {
    fn default() -> Self {
        Self::preset(ThemePreset::Consultor)
    }
}

/// A theme with every token decided: what the public page, the preview and the OG card draw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedTheme {
    pub preset: ThemePreset,
    pub background: String,
    pub surface: String,
    pub text: String,
    pub muted: String,
    pub accent: String,
    pub on_accent: String,
    pub buttons: ButtonStyle,
    pub corners: Corners,
    pub heading_font: &'static str,
    pub body_font: &'static str,
}

impl ResolvedTheme {
    /// The tokens as CSS custom properties (`--bg:…;--surface:…`), for a `style` attribute.
    /// Every value is either a preset constant or a validated `#rrggbb`, so nothing here can
    /// break out of the declaration.
    #[must_use]
    pub fn css_vars(&self) -> String {
        format!(
            "--bg:{};--surface:{};--text:{};--muted:{};--accent:{};--on-accent:{};--radius:{};--font:{};--heading-font:{}",
            self.background,
            self.surface,
            self.text,
            self.muted,
            self.accent,
            self.on_accent,
            self.corners.css_radius(),
            self.body_font,
            self.heading_font,
        )
    }
}

impl PageTheme {
    /// A preset with no overrides.
    #[must_use]
    pub fn preset(preset: ThemePreset) -> Self {
        Self { preset, colors: ThemeColors::default(), button_style: None, corners: None, font: None }
    }

    /// Checks the colours: each `#rrggbb`, and text readable on the surface (WCAG AA, 4.5:1).
    /// Errors are keyed `theme.colors.text` etc.
    ///
    /// # Errors
    /// Each bad colour.
    pub fn validate(&self) -> Result<(), crate::Problems> {
        let mut errors = crate::Problems::new();
        let c = &self.colors;
        for (name, value) in [
            ("background", &c.background),
            ("surface", &c.surface),
            ("text", &c.text),
            ("muted", &c.muted),
            ("accent", &c.accent),
            ("onAccent", &c.on_accent),
        ] {
            if let Some(v) = value
                && !is_hex_colour(v)
            {
                errors.insert(format!("theme.colors.{name}"), Problem::NotAColour);
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let t = self.resolve();
        for (name, fg, bg, part) in [
            ("text", &t.text, &t.surface, ContrastPart::Text),
            ("muted", &t.muted, &t.surface, ContrastPart::Muted),
            ("onAccent", &t.on_accent, &t.accent, ContrastPart::OnAccent),
        ] {
            let ratio = contrast_ratio(fg, bg).unwrap_or(1.0);
            if ratio < 4.5 {
                errors.insert(format!("theme.colors.{name}"), Problem::LowContrast { part, ratio });
            }
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }

    /// Every token decided: overrides over the preset.
    #[must_use]
    pub fn resolve(&self) -> ResolvedTheme {
        let base = self.preset.tokens();
        let c = &self.colors;
        let pick =
            |custom: &Option<String>, preset: &str| custom.clone().unwrap_or_else(|| preset.to_owned());
        let accent = pick(&c.accent, base.accent);
        let on_accent = match (&c.on_accent, &c.accent) {
            (Some(on), _) => on.clone(),
            (None, Some(custom)) => readable_on(custom).to_owned(),
            (None, None) => base.on_accent.to_owned(),
        };
        let body_font = self.font.map_or(SANS, FontChoice::stack);
        ResolvedTheme {
            preset: self.preset,
            background: pick(&c.background, base.background),
            surface: pick(&c.surface, base.surface),
            text: pick(&c.text, base.text),
            muted: pick(&c.muted, base.muted),
            accent,
            on_accent,
            buttons: self.button_style.unwrap_or(base.buttons),
            corners: self.corners.unwrap_or(base.corners),
            heading_font: self.font.map_or(base.heading_font, FontChoice::stack),
            body_font,
        }
    }
}

/// `#rrggbb` (either case).
#[must_use]
pub fn is_hex_colour(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

/// White or near-black, whichever reads better on `background`.
fn readable_on(background: &str) -> &'static str {
    let white = contrast_ratio("#ffffff", background).unwrap_or(21.0);
    let black = contrast_ratio("#111111", background).unwrap_or(1.0);
    if white >= black { "#ffffff" } else { "#111111" }
}

/// WCAG 2.x contrast ratio of two `#rrggbb` colours (1.0–21.0); `None` if either is not one.
#[must_use]
pub fn contrast_ratio(a: &str, b: &str) -> Option<f64> {
    let (la, lb) = (relative_luminance(a)?, relative_luminance(b)?);
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    Some((hi + 0.05) / (lo + 0.05))
}

fn relative_luminance(hex: &str) -> Option<f64> {
    // Not just six characters that `from_str_radix` takes: it also takes a sign, so `#+0+000`
    // had a luminance (found by fuzzing, see docs/reliability.md).
    let hex = hex.strip_prefix('#').filter(|_| is_hex_colour(hex))?;
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
        // Exactly for two `#rrggbb` colours: not for signed pairs `from_str_radix` would take.
        for not_a_colour in ["#+0+000", "#+f+f+f", "#-0-0-0", "#ffffff ", "#fff", "ffffff", "#ééé"] {
            assert_eq!(contrast_ratio(not_a_colour, "#ffffff"), None, "{not_a_colour}");
            assert_eq!(contrast_ratio("#000000", not_a_colour), None, "{not_a_colour}");
        }
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

    #[test]
    fn custom_colours_are_validated_and_resolved() {
        let theme: PageTheme = serde_json::from_value(serde_json::json!({
            "preset": "wellness", "colors": {"accent": "#ffe066"}, "font": "serif"
        }))
        .unwrap();
        assert_eq!(theme.validate(), Ok(()));
        let t = theme.resolve();
        assert_eq!(t.accent, "#ffe066");
        assert_eq!(t.on_accent, "#111111", "a light accent gets dark labels");
        assert_eq!(t.surface, ThemePreset::Wellness.tokens().surface);
        assert!(t.css_vars().contains("--accent:#ffe066"));

        let unreadable = PageTheme {
            colors: ThemeColors { text: Some("#fafafa".into()), ..ThemeColors::default() },
            ..PageTheme::preset(ThemePreset::Consultor)
        };
        let errors = unreadable.validate().unwrap_err();
        assert!(errors["theme.colors.text"].to_string().contains("hard to read"), "{errors:?}");

        let hostile = PageTheme {
            colors: ThemeColors {
                background: Some("red;}</style><script>".into()),
                ..ThemeColors::default()
            },
            ..PageTheme::preset(ThemePreset::Consultor)
        };
        assert!(hostile.validate().unwrap_err().contains_key("theme.colors.background"));
        assert!(serde_json::from_value::<PageTheme>(serde_json::json!({"preset": "x"})).is_err());
        assert!(
            serde_json::from_value::<PageTheme>(serde_json::json!({"preset": "terapia", "css": "*{}"}))
                .is_err()
        );
    }
}
