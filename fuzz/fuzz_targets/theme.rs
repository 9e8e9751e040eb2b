//! The theme parser (`contracts::theme`): a `PageTheme` as JSON (what the editor and the REST API
//! send, and what the database stores). Whatever parses round-trips through JSON; whatever also
//! validates has only `#rrggbb` custom colours, readable pairs (4.5:1), and CSS variables that
//! nothing can break out of. The colour helpers agree with `is_hex_colour` on every string.
#![no_main]

use contracts::theme::{self, PageTheme, ThemePreset};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };

    // The helpers, on the raw text: a contrast ratio exists exactly for two `#rrggbb` colours,
    // and lies in 1..=21.
    for colour in [text, text.trim(), text.get(..7).unwrap_or(text)] {
        let ratio = theme::contrast_ratio(colour, "#ffffff");
        assert_eq!(ratio.is_some(), theme::is_hex_colour(colour), "{colour:?}: {ratio:?}");
        if let Some(r) = ratio {
            assert!((1.0..=21.0 + 1e-9).contains(&r), "{colour:?}: {r}");
        }
    }
    if let Ok(preset) = text.parse::<ThemePreset>() {
        assert_eq!(preset.id(), text);
    }

    let Ok(parsed) = serde_json::from_str::<PageTheme>(text) else { return };
    let json = serde_json::to_string(&parsed).expect("serializes");
    let back: PageTheme = serde_json::from_str(&json).expect("its own JSON parses");
    assert_eq!(back, parsed, "{json}");

    let resolved = parsed.resolve();
    if parsed.validate().is_err() {
        return;
    }
    let c = &parsed.colors;
    for colour in
        [&c.background, &c.surface, &c.text, &c.muted, &c.accent, &c.on_accent].into_iter().flatten()
    {
        assert!(theme::is_hex_colour(colour), "valid theme with colour {colour:?}");
    }
    for (fg, bg) in [
        (&resolved.text, &resolved.surface),
        (&resolved.muted, &resolved.surface),
        (&resolved.on_accent, &resolved.accent),
    ] {
        let ratio = theme::contrast_ratio(fg, bg).expect("resolved colours are #rrggbb");
        assert!(ratio >= 4.5, "{fg} on {bg}: {ratio}");
    }
    let css = resolved.css_vars();
    assert_eq!(css.split(';').count(), 9, "{css}");
    assert!(!css.contains(['<', '>', '{', '}', '"', '\\', '\n']), "{css}");
    for declaration in css.split(';') {
        assert!(declaration.starts_with("--") && declaration.contains(':'), "{declaration}");
    }
});
