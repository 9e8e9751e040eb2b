//! `/admin/organizations`: every organization, newest first, searched by name or address as the
//! admin types, a page at a time; and `/admin/organizations/:id`, one of them with its members.

use crate::components::form::describe;
use crate::components::head::PageTitle;
use contracts::Locale;
use contracts::links::Page as Listed;
use contracts::platform::{AdminOrganizationDetail, AdminOrganizationView};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::admin::{admin_organization, admin_organizations};
use crate::components::moment::Moment;
use crate::components::toast::toast_error;
use crate::i18n::tr;
use crate::pages::admin::search::{More, SearchBox, use_search};
use crate::pages::admin::users::BATCH;
use crate::pages::admin::{AdminCtx, LoadMore, Loading, count, display_name, loaded};
use crate::pages::dashboard::members::format_date;
use crate::pages::dashboard::roles::role_label;

/// The organizations list.
#[component]
pub fn Page() -> impl IntoView {
    let locale = expect_context::<AdminCtx>().locale;
    let q = use_search();
    let first = Resource::new(move || q.get(), |q| admin_organizations(q, None, Some(BATCH)));
    let more = More::<AdminOrganizationView>::new(move || q.track());
    view! {
        <PageTitle text=tr(locale, "Organizaciones — admin — mibio", "Organizations — admin — mibio") />
        <h1>{tr(locale, "Organizaciones", "Organizations")}</h1>
        <SearchBox path="/admin/organizations" label=tr(locale, "Buscar por nombre o dirección", "Search by name or address") />
        <Transition fallback=move || view! { <Loading locale /> }>
            {move || loaded(first.get(), locale, move |page: Listed<AdminOrganizationView>| {
                let first_next = page.next_cursor.clone();
                let has_more = Signal::derive({
                    let first_next = first_next.clone();
                    move || more.cursor(first_next.clone()).is_some()
                });
                let on_more = Callback::new(move |()| {
                    let cursor = more.cursor(first_next.clone());
                    let fetch = admin_organizations(q.get_untracked(), cursor, Some(BATCH));
                    more.load(fetch, move |err| toast_error(describe(&err, locale)));
                });
                view! {
                    <OrgTable first=page.items more q=q.get_untracked() locale />
                    <LoadMore more=has_more loading=more.loading.into() on_more locale />
                }
            })}
        </Transition>
    }
}

/// The plan line of an organization: its plan and the subscription's status ("Pro · past due"),
/// or "Free" when it never subscribed.
fn plan(o: &AdminOrganizationView, locale: Locale) -> String {
    let (Some(plan), Some(status)) = (o.plan.as_deref(), o.subscription.as_deref()) else {
        return tr(locale, "Gratuito", "Free").to_owned();
    };
    let plan = match plan {
        "pro" => "Pro",
        "business" => "Business",
        other => other,
    };
    let status = match status {
        "active" => tr(locale, "activa", "active"),
        "trialing" => tr(locale, "en prueba", "trialing"),
        "past_due" => tr(locale, "pago vencido", "past due"),
        "canceled" => tr(locale, "cancelada", "canceled"),
        "incomplete" => tr(locale, "incompleta", "incomplete"),
        other => other,
    };
    format!("{plan} · {status}")
}

#[component]
fn OrgTable(
    first: Vec<AdminOrganizationView>,
    more: More<AdminOrganizationView>,
    q: Option<String>,
    locale: Locale,
) -> impl IntoView {
    if first.is_empty() {
        let text = match (q, locale) {
            (Some(q), Locale::Es) => format!("Ninguna organización coincide con «{q}»."),
            (Some(q), Locale::En) => format!("No organization matches “{q}”."),
            (None, _) => {
                tr(locale, "Aún no hay organizaciones.", "There are no organizations yet.").to_owned()
            }
        };
        return Either::Left(
            view! { <p class="empty-state" role="status" data-testid="orgs-empty">{text}</p> },
        );
    }
    let shown = first.len();
    let status = move || {
        let n = shown + more.items.with(Vec::len);
        match locale {
            Locale::Es if n == 1 => "1 organización en la lista".to_owned(),
            Locale::Es => format!("{n} organizaciones en la lista"),
            Locale::En if n == 1 => "1 organization listed".to_owned(),
            Locale::En => format!("{n} organizations listed"),
        }
    };
    Either::Right(view! {
        <p class="quiet-status" role="status">{status}</p>
        <div class="table-wrap">
            <table class="data-table" data-testid="orgs-table">
                <caption class="visually-hidden">{tr(locale, "Organizaciones, las más recientes primero", "Organizations, newest first")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr(locale, "Nombre", "Name")}</th>
                        <th scope="col">{tr(locale, "Dirección", "Address")}</th>
                        <th scope="col">{tr(locale, "Miembros", "Members")}</th>
                        <th scope="col">{tr(locale, "Plan", "Plan")}</th>
                        <th scope="col">{tr(locale, "Creada", "Created")}</th>
                    </tr>
                </thead>
                <tbody>
                    {first.into_iter().map(|o| view! { <OrgRow o locale /> }).collect_view()}
                    {move || more.items.get().into_iter().map(|o| view! { <OrgRow o locale /> }).collect_view()}
                </tbody>
            </table>
        </div>
    })
}

#[component]
fn OrgRow(o: AdminOrganizationView, locale: Locale) -> impl IntoView {
    view! {
        <tr data-testid="org-row">
            <th scope="row" data-label=tr(locale, "Nombre", "Name")>
                <a href=format!("/admin/organizations/{}", o.id)>{o.name.clone()}</a>
            </th>
            <td data-label=tr(locale, "Dirección", "Address")><code>{o.slug.clone()}</code></td>
            <td data-label=tr(locale, "Miembros", "Members")>{count(o.members, locale)}</td>
            <td data-label=tr(locale, "Plan", "Plan")>{plan(&o, locale)}</td>
            <td data-label=tr(locale, "Creada", "Created")><time datetime=o.created_at.clone()>{format_date(&o.created_at, locale)}</time></td>
        </tr>
    }
}

/// One organization.
#[component]
pub fn Detail() -> impl IntoView {
    let locale = expect_context::<AdminCtx>().locale;
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id")).unwrap_or_default());
    let detail = Resource::new(move || id.get(), admin_organization);
    view! {
        <a class="pg-back" href="/admin/organizations"><span aria-hidden="true">"← "</span>{tr(locale, "Organizaciones", "Organizations")}</a>
        <Suspense fallback=move || view! { <Loading locale /> }>
            {move || loaded(detail.get(), locale, move |d| view! { <OrgScreen d locale /> })}
        </Suspense>
    }
}

#[component]
fn OrgScreen(d: AdminOrganizationDetail, locale: Locale) -> impl IntoView {
    let AdminOrganizationDetail { organization: o, members } = d;
    view! {
        <PageTitle text=format!("{} — admin — mibio", o.name) />
        <h1 class="adm-title">{o.name.clone()}</h1>
        <p class="adm-sub"><code>{o.slug.clone()}</code></p>
        <dl class="adm-facts card">
            <div><dt>{tr(locale, "Creada", "Created")}</dt><dd><Moment at=o.created_at.clone() locale /></dd></div>
            <div><dt>{tr(locale, "Miembros", "Members")}</dt><dd>{count(o.members, locale)}</dd></div>
            <div><dt>{tr(locale, "Suscripción", "Subscription")}</dt><dd>{plan(&o, locale)}</dd></div>
        </dl>
        <p class="adm-links"><a href=format!("/admin/audit?organization={}", o.id)>{tr(locale, "Ver su actividad en el registro de auditoría", "See its activity in the audit log")}</a></p>
        <section class="dash-section" aria-labelledby="adm-members-heading">
            <h2 id="adm-members-heading">{tr(locale, "Miembros", "Members")}</h2>
            <div class="table-wrap">
                <table class="data-table" data-testid="org-members">
                    <caption class="visually-hidden">{tr(locale, "Miembros de la organización", "Members of the organization")}</caption>
                    <thead><tr>
                        <th scope="col">{tr(locale, "Nombre", "Name")}</th>
                        <th scope="col">{tr(locale, "Correo", "Email")}</th>
                        <th scope="col">{tr(locale, "Rol", "Role")}</th>
                        <th scope="col">{tr(locale, "Miembro desde", "Member since")}</th>
                    </tr></thead>
                    <tbody>
                        {members.into_iter().map(|m| view! {
                            <tr>
                                <th scope="row" data-label=tr(locale, "Nombre", "Name")>
                                    <a href=format!("/admin/users/{}", m.user_id)>{display_name(&m.name, &m.email)}</a>
                                </th>
                                <td data-label=tr(locale, "Correo", "Email") class="cell-email">{m.email.clone()}</td>
                                <td data-label=tr(locale, "Rol", "Role")><span class="badge">{role_label(&m.role, locale)}</span></td>
                                <td data-label=tr(locale, "Miembro desde", "Member since")>
                                    <time datetime=m.joined_at.clone()>{format_date(&m.joined_at, locale)}</time>
                                </td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
