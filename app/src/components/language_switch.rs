//! The es/en switch. Plain links (`rel="external"`, so the router lets the server render the page
//! in the new language and remember the choice in a cookie).

use contracts::Locale;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::i18n::texts;

/// Links to this site in every other supported language; the current one is marked.
#[component]
pub fn LanguageSwitch(locale: Locale) -> impl IntoView {
    let t = texts(locale);
    // Stay on the page being read: the server picks the language from `?lang=` on any page.
    let path = use_location().pathname.get_untracked();
    view! {
        <nav class="lang-switch" aria-label=t.language_label>
            {Locale::ALL
                .into_iter()
                .map(|l| {
                    let current = (l == locale).then_some("true");
                    view! {
                        <a
                            href=format!("{path}?lang={}", l.tag())
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
