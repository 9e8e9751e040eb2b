//! `/admin/setup`: the first-run bootstrap. While the platform has no admin, the server prints a
//! one-time setup token in its log; a signed-in user who enters it here becomes the first
//! platform admin. Once there is one, this page is a 404 like any page that does not exist.

use crate::components::head::{PageMeta, PageTitle};
use contracts::{ErrorCode, Locale};
use leptos::either::EitherOf4;
use leptos::prelude::*;

use crate::api::admin::{ClaimPlatformSetup, platform_setup};
use crate::components::form::{Field, FormAlert, FormErrors, Submit, go};
use crate::components::site_header::SiteHeader;
use crate::i18n::tr;
use crate::pages::admin::LoadError;
use crate::pages::not_found::NotFound;

/// Where this page lives (the sign-in page comes back here).
const PATH: &str = "/admin/setup";

/// The setup page.
#[component]
pub fn SetupPage(locale: Locale) -> impl IntoView {
    // Created once, outside the Suspense closure (which the server runs more than once).
    let open = Resource::new_blocking(|| (), |()| platform_setup());
    view! {
        <Suspense fallback=move || view! { <p class="loading">{tr(locale, "Cargando…", "Loading…")}</p> }>
            {move || open.get().map(|answer| match answer {
                Ok(true) => EitherOf4::A(view! { <ClaimForm locale /> }),
                Ok(false) => {
                    let target = contracts::next::NextPath::or_default(Some(PATH)).on("/signin");
                    #[cfg(feature = "ssr")]
                    leptos_axum::redirect(&target);
                    go(&target);
                    EitherOf4::B(view! { <p class="loading">{tr(locale, "Redirigiendo a iniciar sesión…", "Redirecting to sign in…")}</p> })
                }
                Err(err) if err.code == ErrorCode::NotFound => EitherOf4::C(view! { <NotFound locale /> }),
                Err(err) => EitherOf4::D(view! { <main id="main" class="auth-page"><LoadError err locale /></main> }),
            })}
        </Suspense>
    }
}

#[component]
fn ClaimForm(locale: Locale) -> impl IntoView {
    let token = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());
    let action = ServerAction::<ClaimPlatformSetup>::new();
    Effect::new(move |_| match action.value().get() {
        Some(Ok(())) => go("/admin"),
        Some(Err(err)) => errors.set(FormErrors::from_api(&err, locale)),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(FormErrors::default());
        action.dispatch(ClaimPlatformSetup { token: token.get_untracked() });
    };
    view! {
        <PageTitle text=tr(locale, "Configurar la administración — mibio", "Set up administration — mibio") />
        <PageMeta name="robots" content="noindex" />
        <SiteHeader locale />
        <main id="main" class="auth-page">
            <section class="card auth-card" aria-labelledby="setup-title">
                <h1 id="setup-title">{tr(locale, "Primer administrador", "First platform admin")}</h1>
                <p class="lede-sm">{tr(locale,
                    "Esta plataforma aún no tiene administrador. Al arrancar, el servidor escribió un token de configuración en su registro: pégalo aquí y tu cuenta será la administradora.",
                    "This platform has no admin yet. When it started, the server wrote a setup token in its log: paste it here and your account becomes the admin.")}</p>
                <form class="stack" method="post" on:submit=submit novalidate>
                    <FormAlert errors />
                    <Field id="token" label=tr(locale, "Token de configuración", "Setup token") autocomplete="off"
                        hint=tr(locale, "En el registro aparece como setup_token (vale 24 horas).", "The log shows it as setup_token (it lasts 24 hours).") value=token errors />
                    <Submit label=tr(locale, "Hacerme administrador", "Make me the admin") busy_label=tr(locale, "Comprobando…", "Checking…") pending=action.pending().into() />
                </form>
            </section>
        </main>
    }
}
