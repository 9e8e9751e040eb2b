//! `/admin`: the platform at a glance — people, organizations, pages, the last week's activity,
//! jobs that need a hand, and subscriptions by status.

use crate::components::head::PageTitle;
use contracts::Locale;
use contracts::platform::PlatformOverview;
use leptos::either::Either;
use leptos::prelude::*;

use crate::api::admin::admin_overview;
use crate::i18n::tr;
use crate::pages::admin::{AdminCtx, count, loaded};

/// The overview screen.
#[component]
pub fn Page() -> impl IntoView {
    let locale = expect_context::<AdminCtx>().locale;
    let numbers = Resource::new(|| (), |()| admin_overview());
    view! {
        <PageTitle text=tr(locale, "Resumen — admin — mibio", "Overview — admin — mibio") />
        <h1>{tr(locale, "Resumen", "Overview")}</h1>
        <p class="lede-sm">{tr(locale, "Toda la plataforma de un vistazo. La actividad cuenta los últimos 7 días.", "The whole platform at a glance. Activity counts the last 7 days.")}</p>
        <Suspense fallback=move || view! { <crate::pages::admin::Loading locale /> }>
            {move || loaded(numbers.get(), locale, move |o| view! { <Numbers o locale /> })}
        </Suspense>
    }
}

/// One card: a label, a number and an optional line under it.
fn card(
    label: &'static str,
    value: String,
    note: Option<String>,
    testid: &'static str,
) -> impl IntoView + use<> {
    view! {
        <li class="an-card" data-testid=testid>
            <span class="an-card-label">{label}</span>
            <span class="an-card-value">{value}</span>
            {note.map(|n| view! { <span class="adm-card-note">{n}</span> })}
        </li>
    }
}

/// A card of dead letters (jobs or events), highlighted when there are any, linking to them.
fn dead_card(label: &'static str, dead: i64, testid: &'static str, locale: Locale) -> impl IntoView + use<> {
    let class = if dead > 0 { "an-card adm-card-alert" } else { "an-card" };
    let note = if dead == 0 {
        tr(locale, "Todo en marcha", "All running")
    } else {
        tr(locale, "Necesitan revisión", "Need a look")
    };
    view! {
        <li class=class data-testid=testid>
            <span class="an-card-label">{label}</span>
            <span class="an-card-value">{count(dead, locale)}</span>
            <a class="adm-card-note" href="/admin/jobs">{note}</a>
        </li>
    }
}

#[component]
fn Numbers(o: PlatformOverview, locale: Locale) -> impl IntoView {
    let n = |v: i64| count(v, locale);
    let active = match locale {
        Locale::Es => format!("{} activos", n(o.active_users)),
        Locale::En => format!("{} active", n(o.active_users)),
    };
    let published = match locale {
        Locale::Es => format!("{} publicadas", n(o.published_pages)),
        Locale::En => format!("{} published", n(o.published_pages)),
    };
    view! {
        <section aria-labelledby="adm-people">
            <h2 id="adm-people" class="adm-h2">{tr(locale, "Personas y contenido", "People and content")}</h2>
            <ul class="an-cards adm-cards">
                {card(tr(locale, "Usuarios", "Users"), n(o.users), Some(active), "overview-users")}
                {card(tr(locale, "Nuevos (7 días)", "New (7 days)"), n(o.new_users_7d), None, "overview-new")}
                {card(tr(locale, "Organizaciones", "Organizations"), n(o.organizations), None, "overview-orgs")}
                {card(tr(locale, "Páginas", "Pages"), n(o.pages), Some(published), "overview-pages")}
            </ul>
        </section>
        <section aria-labelledby="adm-activity">
            <h2 id="adm-activity" class="adm-h2">{tr(locale, "Actividad (7 días)", "Activity (7 days)")}</h2>
            <ul class="an-cards adm-cards">
                {card(tr(locale, "Contactos", "Leads"), n(o.leads_7d), None, "overview-leads")}
                {card(tr(locale, "Visitas", "Views"), n(o.views_7d), None, "overview-views")}
                {card(tr(locale, "Clics", "Clicks"), n(o.clicks_7d), None, "overview-clicks")}
                {dead_card(tr(locale, "Tareas fallidas", "Dead jobs"), o.dead_jobs, "overview-dead-jobs", locale)}
                {dead_card(tr(locale, "Eventos sin entregar", "Dead events"), o.dead_events, "overview-dead-events", locale)}
            </ul>
        </section>
        <section class="dash-section" aria-labelledby="adm-subs">
            <h2 id="adm-subs">{tr(locale, "Suscripciones por estado", "Subscriptions by status")}</h2>
            {if o.subscriptions_by_status.is_empty() {
                Either::Left(view! {
                    <p class="empty-state" data-testid="overview-billing-empty">
                        {tr(locale, "Ninguna organización paga un plan todavía: todas están en el plan gratuito.", "No organization pays for a plan yet: every one is on the free plan.")}
                    </p>
                })
            } else {
                let total: i64 = o.subscriptions_by_status.values().sum();
                Either::Right(view! {
                    <ul class="an-bars adm-subs">
                        {o.subscriptions_by_status.into_iter().map(|(status, k)| {
                            let width = if total > 0 { k * 100 / total } else { 0 };
                            view! {
                                <li>
                                    <span class="an-bar-label">{status_label(&status, locale)}</span>
                                    <span class="an-bar-value">{count(k, locale)}</span>
                                    <span class="an-bar" aria-hidden="true"><span style=format!("width: {width}%")></span></span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                })
            }}
        </section>
    }
}

/// A subscription status in words.
fn status_label(status: &str, locale: Locale) -> String {
    let known = match status {
        "active" => Some(tr(locale, "Activas", "Active")),
        "trialing" => Some(tr(locale, "En prueba", "Trialing")),
        "past_due" => Some(tr(locale, "Pago vencido", "Past due")),
        "canceled" => Some(tr(locale, "Canceladas", "Canceled")),
        "incomplete" => Some(tr(locale, "Incompletas", "Incomplete")),
        _ => None,
    };
    known.map_or_else(|| status.to_owned(), str::to_owned)
}
