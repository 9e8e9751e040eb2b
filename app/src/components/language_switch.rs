//! The es/en switch. Plain links (`rel="external"`, so the router lets the server render the page
//! in the new language and remember the choice in a cookie).

use contracts::Locale;
use leptos::prelude::*;

use crate::i18n::texts;

/// Links to this site in every other supported language; the current one is marked.
#[component]
pub fn LanguageSwitch(locale: Locale) -> impl IntoView {
    let t = texts(locale);
    view! {
        <nav class="lang-switch" aria-label=t.language_label>
            {Locale::ALL
                .into_iter()
                .map(|l| {
                    let current = (l == locale).then_some("true");
                    view! {
                        <a
                            href=format!("/?lang={}", l.tag())
                            hreflang=l.tag()
                            lang=l.tag()
                            rel="external"
                            aria-current=current
                        >
                            {l.native_name()}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
}
