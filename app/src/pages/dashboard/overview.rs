//! `/dashboard`: with no active organization, create one (or pick one); with one, its pages first
//! (or, with none yet, "Create your page": [`super::home_pages`]), then what else to do.

use crate::components::head::PageTitle;
use contracts::slug;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::orgs::CreateOrganization;
use crate::components::client_only::ClientOnly;
use crate::components::form::{Field, FormAlert, FormErrors, Submit};
use crate::i18n::tr;
use crate::pages::dashboard::home_pages::HomePages;
use crate::pages::dashboard::{DashboardCtx, SessionReload};

/// The dashboard's home.
#[component]
pub fn Overview() -> impl IntoView {
    let ctx = expect_context::<DashboardCtx>();
    let locale = ctx.locale;
    let wants_new = use_query_map().read_untracked().get("new").is_some();
    match ctx.session.organization.clone() {
        Some(org) if !wants_new => {
            let can_write = ctx.can("links:write");
            view! {
                <PageTitle text=format!("{} — mibio", org.name) />
                <h1 data-testid="org-name">{org.name.clone()}</h1>
                {ctx.can("links:read").then(|| view! {
                    <ClientOnly locale render=move || view! { <HomePages locale can_write /> } />
                })}
                <section class="home-more" aria-labelledby="next-steps-heading">
                    <h2 id="next-steps-heading" class="home-h2">{tr(locale, "Próximos pasos", "Next steps")}</h2>
                    <ul class="next-steps">
                        {ctx.can("members:invite").then(|| view! {
                            <li class="card"><a href="/dashboard/members">{tr(locale, "Invita a tu equipo", "Invite your team")}</a>
                            <p>{tr(locale, "Suma a tu asistente o socio con el rol adecuado.", "Add your assistant or partner with the right role.")}</p></li>
                        })}
                        {ctx.can("roles:manage").then(|| view! {
                            <li class="card"><a href="/dashboard/roles">{tr(locale, "Ajusta los roles", "Tune the roles")}</a>
                            <p>{tr(locale, "Crea roles a tu medida con permisos precisos.", "Create roles that fit, with precise permissions.")}</p></li>
                        })}
                        <li class="card"><a href="/dashboard/settings">{tr(locale, "Completa tu perfil", "Complete your profile")}</a>
                        <p>{tr(locale, "Tu nombre, tu idioma y tu contraseña.", "Your name, language and password.")}</p></li>
                    </ul>
                </section>
            }
            .into_any()
        }
        _ => view! { <CreateOrganizationForm /> }.into_any(),
    }
}

#[component]
fn CreateOrganizationForm() -> impl IntoView {
    let ctx = expect_context::<DashboardCtx>();
    let locale = ctx.locale;
    let name = RwSignal::new(String::new());
    let slug_value = RwSignal::new(String::new());
    let slug_touched = RwSignal::new(false);
    // The address follows the name until the coach edits it.
    Effect::new(move |_| {
        let suggested = slug::suggest(&name.get());
        if !slug_touched.get_untracked() {
            slug_value.set(suggested);
        }
    });
    let errors = RwSignal::new(FormErrors::default());
    let action = ServerAction::<CreateOrganization>::new();
    let reload = SessionReload::get();
    Effect::new(move |_| match action.value().get() {
        Some(Ok(_)) => reload.to("/dashboard"),
        Some(Err(err)) => errors.set(FormErrors::from_api(&err, locale)),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(FormErrors::default());
        action.dispatch(CreateOrganization { name: name.get_untracked(), slug: slug_value.get_untracked() });
    };
    view! {
        <PageTitle text=tr(locale, "Crea tu organización — mibio", "Create your organization — mibio") />
        <section class="card narrow">
            <h1>{tr(locale, "Crea tu organización", "Create your organization")}</h1>
            <p class="lede-sm">{tr(locale, "Tu marca o tu consulta: ahí viven tus páginas, contactos y equipo.", "Your brand or practice: it holds your pages, leads and team.")}</p>
            <form class="stack" method="post" on:submit=submit novalidate on:input=move |ev| {
                if event_target::<web_sys::HtmlElement>(&ev).id() == "slug" { slug_touched.set(true); }
            }>
                <FormAlert errors />
                <Field id="name" label=tr(locale, "Nombre", "Name") autocomplete="organization" value=name errors />
                <Field id="slug" label=tr(locale, "Dirección", "Address")
                    hint=tr(locale, "Minúsculas, números y guiones.", "Lowercase letters, digits and hyphens.") value=slug_value errors />
                <Submit label=tr(locale, "Crear organización", "Create organization") busy_label=tr(locale, "Creando…", "Creating…") pending=action.pending().into() />
            </form>
        </section>
    }
}
