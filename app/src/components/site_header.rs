//! The top bar of the public site: the brand (home link) and the language switch.

use contracts::Locale;
use leptos::prelude::*;

use crate::components::language_switch::LanguageSwitch;
use crate::i18n::texts;

/// The skip link and the header shared by the landing and error pages.
#[component]
pub fn SiteHeader(locale: Locale) -> impl IntoView {
    let t = texts(locale);
    view! {
        <a class="skip-link" href="#main">
            {t.skip_to_content}
        </a>
        <header class="site-header">
            <a class="brand" href="/" rel="external" aria-label="mibio">
                <span class="brand-mark" aria-hidden="true">
                    "m"
                </span>
                "mibio"
            </a>
            <LanguageSwitch locale />
        </header>
    }
}
