//! The styled 404 page, answered with status 404: it leads home and to sign-in (or, for someone
//! signed in, to their dashboard).

use crate::components::head::{PageMeta, PageTitle};
use contracts::Locale;
use leptos::either::Either;
use leptos::prelude::*;

use crate::components::session_hint::signed_in;
use crate::components::site_header::SiteHeader;
use crate::i18n::texts;

/// Shown for every path no route matches.
#[component]
pub fn NotFound(locale: Locale) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    let t = texts(locale);
    view! {
        <PageTitle text=t.not_found_title />
        <PageMeta name="robots" content="noindex" />
        <SiteHeader locale />
        <main id="main" class="not-found">
            <p class="not-found-code" aria-hidden="true">"404"</p>
            <h1>{t.not_found_heading}</h1>
            <p>{t.not_found_body}</p>
            <div class="not-found-actions">
                <a class="button button-primary" href="/" rel="external">
                    {t.not_found_home}
                </a>
                {if signed_in() {
                    Either::Left(view! {
                        <a class="button button-quiet" href="/dashboard" rel="external">{t.not_found_dashboard}</a>
                    })
                } else {
                    Either::Right(view! {
                        <a class="button button-quiet" href="/signin" rel="external">{t.not_found_sign_in}</a>
                    })
                }}
            </div>
        </main>
    }
}
