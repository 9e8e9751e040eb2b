//! `/dashboard/pages/:id/leads`: the people who left their email on a page, newest first, a page
//! at a time ("Load more" follows the cursor), and the CSV export as a plain download link. With
//! no lead yet, it explains how to add a lead form.

use crate::components::form::describe;
use crate::components::head::PageTitle;
use contracts::links::{LeadView, PageView};
use contracts::{ApiError, Locale};
use leptos::either::{Either, EitherOf3, EitherOf4};
use leptos::prelude::*;

use crate::api::links::{get_page, list_leads};
use crate::components::client_only::ClientOnly;
use crate::i18n::tr;
use crate::pages::dashboard::DashboardCtx;
use crate::pages::dashboard::editor::schedule;
use crate::pages::dashboard::members::{Loading, NoOrganization, load_in_browser};
use crate::pages::dashboard::page_kit::{BackToPages, PageTabs, page_id};

/// Leads per request.
const BATCH: u16 = 25;

/// The leads page.
#[component]
pub fn Page() -> impl IntoView {
    let ctx = expect_context::<DashboardCtx>();
    let locale = ctx.locale;
    let title = view! { <PageTitle text=tr(locale, "Contactos — mibio", "Leads — mibio") /> };
    if ctx.session.organization.is_none() {
        return Either::Left(view! { {title} <NoOrganization locale /> });
    }
    let can_read = ctx.can("links:leads:read");
    let can_export = ctx.can("links:leads:export");
    Either::Right(view! {
        {title}
        <BackToPages locale />
        <ClientOnly locale render=move || view! { <Leads can_read can_export locale /> } />
    })
}

/// The page's title and tabs, then its leads (browser only).
#[component]
fn Leads(can_read: bool, can_export: bool, locale: Locale) -> impl IntoView {
    let id = page_id();
    let page = load_in_browser(move || id.track(), move || get_page(id.get_untracked()));
    move || match page.get() {
        None => EitherOf3::A(view! { <Loading locale /> }),
        Some(Err(err)) => {
            EitherOf3::B(view! { <p class="notice notice-error" role="alert">{describe(&err, locale)}</p> })
        }
        Some(Ok(page)) => EitherOf3::C(view! {
            <h1>{page.title.clone()}</h1>
            <PageTabs page_id=page.id.clone() locale />
            {if can_read {
                Either::Left(view! { <LeadTable page can_export locale /> })
            } else {
                Either::Right(view! { <p class="notice notice-info">{tr(locale, "Tu rol no permite ver los contactos.", "Your role does not allow seeing leads.")}</p> })
            }}
        }),
    }
}

/// A lead's date and time in the browser's zone.
fn when(rfc3339: &str, locale: Locale) -> String {
    schedule::to_local(rfc3339).map_or_else(|| rfc3339.to_owned(), |l| schedule::human(&l, locale))
}

#[component]
fn LeadTable(page: PageView, can_export: bool, locale: Locale) -> impl IntoView {
    let page_id = page.id.clone();
    let blocks: Vec<(String, String)> =
        page.blocks.iter().map(|b| (b.id.clone(), b.block.label().to_owned())).collect();
    let has_form = page.blocks.iter().any(|b| b.block.kind() == contracts::blocks::BlockType::LeadCapture);
    let items = RwSignal::new(Vec::<LeadView>::new());
    let cursor = RwSignal::new(None::<String>);
    let loaded = RwSignal::new(false);
    let loading = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let fetch = {
        let page_id = page_id.clone();
        move |after: Option<String>| {
            let page_id = page_id.clone();
            loading.set(true);
            leptos::task::spawn_local(async move {
                match list_leads(page_id, after, Some(BATCH)).await {
                    Ok(batch) => {
                        items.try_update(|i| i.extend(batch.items));
                        cursor.try_set(batch.next_cursor);
                        loaded.try_set(true);
                    }
                    Err(err) => {
                        if loaded.get_untracked() {
                            crate::components::toast::toast_error(crate::components::form::describe(
                                &err, locale,
                            ));
                        } else {
                            error.try_set(Some(err));
                        }
                    }
                }
                loading.try_set(false);
            });
        }
    };
    let first = fetch.clone();
    Effect::new(move |_| first(None));
    let more = move |_| fetch(cursor.get_untracked());
    let form_of = move |block_id: &str| {
        blocks
            .iter()
            .find(|(id, _)| id == block_id)
            .map_or_else(|| tr(locale, "Formulario eliminado", "Deleted form").to_owned(), |(_, l)| l.clone())
    };
    let export = format!("/api/v1/links/pages/{page_id}/leads/export.csv");
    let editor = format!("/dashboard/pages/{page_id}");
    let rows = move || {
        items
            .get()
            .into_iter()
            .map(|lead| {
                let name = lead.name.clone().filter(|n| !n.trim().is_empty());
                view! {
                    <tr>
                        <th scope="row" data-label=tr(locale, "Correo", "Email") class="cell-email">
                            {lead.email.clone()}
                            // Kept although the plan's monthly lead cap was reached: said, never hidden.
                            {lead.over_quota.then(|| view! {
                                " "<a class="badge badge-soft" href="/dashboard/billing" data-testid="lead-over-quota"
                                    title=tr(locale, "Llegó cuando ya habías alcanzado el límite mensual de contactos de tu plan. Lo guardamos igual.", "It arrived after your plan's monthly lead limit was reached. We kept it anyway.")>
                                    {tr(locale, "Sobre el límite", "Over plan limit")}
                                </a>
                            })}
                        </th>
                        <td data-label=tr(locale, "Nombre", "Name")>
                            {name.map_or_else(|| Either::Left(view! { <span class="muted">"—"</span> }), Either::Right)}
                        </td>
                        <td data-label=tr(locale, "Formulario", "Form")>{form_of(&lead.block_id)}</td>
                        <td data-label=tr(locale, "Fecha", "Date")><time datetime=lead.created_at.clone()>{when(&lead.created_at, locale)}</time></td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <section class="dash-section" aria-labelledby="leads-heading">
            <div class="section-head">
                <h2 id="leads-heading">{tr(locale, "Contactos", "Leads")}</h2>
                {can_export.then(|| view! {
                    <a class="button button-quiet button-sm" href=export download="" rel="external">
                        {tr(locale, "Exportar CSV", "Export CSV")}
                    </a>
                })}
            </div>
            {move || match (loaded.get(), error.get()) {
                (_, Some(err)) => EitherOf4::A(view! { <p class="notice notice-error" role="alert">{describe(&err, locale)}</p> }),
                (false, None) => EitherOf4::B(view! { <Loading locale /> }),
                (true, None) if items.with(Vec::is_empty) => EitherOf4::C(view! {
                    <div class="empty-teach" data-testid="leads-empty">
                        <h3>{tr(locale, "Aún no hay contactos", "No leads yet")}</h3>
                        <p>{if has_form {
                            tr(locale, "Tu página ya tiene un formulario de contacto. Cuando alguien deje su correo, aparecerá aquí al momento.", "Your page already has a lead form. When someone leaves their email, it shows up here right away.")
                        } else {
                            tr(locale, "Añade un bloque «Formulario de contacto» a tu página y publícala: cada correo que dejen tus visitantes aparecerá aquí, sin duplicados.", "Add a “Lead form” block to your page and publish it: every email your visitors leave shows up here, without duplicates.")
                        }}</p>
                        <ol class="steps">
                            <li>{tr(locale, "Abre el editor y pulsa «Añadir bloque».", "Open the editor and press “Add block”.")}</li>
                            <li>{tr(locale, "Elige «Formulario de contacto» y escribe el título y el botón.", "Choose “Lead form” and write its title and button.")}</li>
                            <li>{tr(locale, "Publica la página y comparte tu enlace.", "Publish the page and share your link.")}</li>
                        </ol>
                        <a class="button button-primary button-sm" href=editor.clone()>{tr(locale, "Ir al editor", "Go to the editor")}</a>
                    </div>
                }),
                (true, None) => EitherOf4::D(view! {
                    <div class="table-wrap">
                        <table class="data-table" data-testid="leads-table">
                            <caption class="visually-hidden">{tr(locale, "Contactos de la página, los más recientes primero", "The page's leads, newest first")}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{tr(locale, "Correo", "Email")}</th>
                                    <th scope="col">{tr(locale, "Nombre", "Name")}</th>
                                    <th scope="col">{tr(locale, "Formulario", "Form")}</th>
                                    <th scope="col">{tr(locale, "Fecha", "Date")}</th>
                                </tr>
                            </thead>
                            <tbody>{rows.clone()}</tbody>
                        </table>
                    </div>
                }),
            }}
            <Show when=move || cursor.with(Option::is_some)>
                <div class="load-more">
                    <button type="button" class="button button-quiet" disabled=move || loading.get() aria-busy=move || loading.get().to_string() on:click=more.clone()>
                        {move || if loading.get() { tr(locale, "Cargando…", "Loading…") } else { tr(locale, "Cargar más", "Load more") }}
                    </button>
                </div>
            </Show>
        </section>
    }
}
