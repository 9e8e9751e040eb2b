//! A phone-framed preview of a coach's public page, drawn from a theme preset's tokens. The
//! landing page uses it as a live demo; the editor will use the same component for its preview.

use contracts::theme::{ButtonStyle, ThemePreset};
use leptos::prelude::*;

use crate::i18n::Texts;

/// The initials shown in place of an avatar: the first letter of the first two words.
#[must_use]
pub fn monogram(name: &str) -> String {
    name.split_whitespace().filter_map(|w| w.chars().next()).take(2).flat_map(char::to_uppercase).collect()
}

/// CSS custom properties for a theme, applied on the preview's root.
fn theme_style(preset: ThemePreset) -> String {
    let t = preset.tokens();
    format!(
        "--pv-bg:{};--pv-surface:{};--pv-text:{};--pv-muted:{};--pv-accent:{};--pv-on-accent:{};\
         --pv-radius:{};--pv-heading-font:{}",
        t.background,
        t.surface,
        t.text,
        t.muted,
        t.accent,
        t.on_accent,
        t.corners.css_radius(),
        t.heading_font,
    )
}

const fn button_style(style: ButtonStyle) -> &'static str {
    match style {
        ButtonStyle::Filled => "filled",
        ButtonStyle::Outline => "outline",
        ButtonStyle::Soft => "soft",
        ButtonStyle::Shadow => "shadow",
    }
}

/// The preview. `name` is the coach's display name and `path` the public path shown in the
/// address bar; both are reactive, as is the theme.
#[component]
pub fn PhonePreview(
    texts: &'static Texts,
    #[prop(into)] name: Signal<String>,
    #[prop(into)] path: Signal<String>,
    #[prop(into)] theme: Signal<ThemePreset>,
) -> impl IntoView {
    view! {
        <figure class="phone" aria-label=texts.preview_label>
            <div class="phone-bar" aria-hidden="true">
                <span data-testid="preview-url">{move || path.get()}</span>
            </div>
            <div
                class="preview"
                data-testid="preview"
                data-theme=move || theme.get().id()
                data-buttons=move || button_style(theme.get().tokens().buttons)
                style=move || theme_style(theme.get())
            >
                <div class="preview-avatar" aria-hidden="true">
                    {move || monogram(&name.get())}
                </div>
                <p class="preview-name" data-testid="preview-name">
                    {move || name.get()}
                </p>
                <p class="preview-bio">{texts.sample_bio}</p>
                <ul class="preview-blocks">
                    {texts
                        .sample_blocks
                        .iter()
                        .map(|label| view! { <li class="preview-button">{*label}</li> })
                        .collect_view()}
                </ul>
                <div class="preview-lead">
                    <p>{texts.sample_form_label}</p>
                    <span class="preview-input" aria-hidden="true">{texts.sample_email}</span>
                    <span class="preview-button preview-cta">{texts.sample_form_button}</span>
                </div>
            </div>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn monograms_take_two_initials() {
        assert_eq!(monogram("Ana Pérez"), "AP");
        assert_eq!(monogram("  élise   de la cruz"), "ÉD");
        assert_eq!(monogram("Sol"), "S");
        assert_eq!(monogram(""), "");
    }

    #[test]
    fn theme_style_carries_every_token() {
        let css = theme_style(ThemePreset::Wellness);
        let t = ThemePreset::Wellness.tokens();
        for token in [t.surface, t.text, t.muted, t.accent, t.on_accent, "999px"] {
            assert!(css.contains(token), "{css} lacks {token}");
        }
    }
}
