//! The dashboard home's first section: the organization's pages. With none yet, the one thing a
//! coach came for comes first — "Create your page", from a template. Once pages exist, a card per
//! page: its address, published or draft, views and leads of the last 7 days, and "Edit".

use contracts::Locale;
use contracts::links::PageCardView;
use leptos::either::EitherOf4;
use leptos::prelude::*;

use crate::api::links::page_cards;
use crate::components::form::describe;
use crate::i18n::tr;
use crate::pages::dashboard::members::{Loading, load_in_browser};
use crate::pages::dashboard::page_kit::{display_url, site_origin};

/// The pages section (rendered in the browser: it waits for data).
#[component]
pub fn HomePages(locale: Locale, can_write: bool) -> impl IntoView {
    let cards = load_in_browser(|| (), page_cards);
    move || match cards.get() {
        None => EitherOf4::A(view! { <Loading locale /> }),
        Some(Err(err)) => {
            EitherOf4::B(view! { <p class="notice notice-error" role="alert">{describe(&err, locale)}</p> })
        }
        Some(Ok(list)) if list.is_empty() => EitherOf4::C(view! { <FirstStep locale can_write /> }),
        Some(Ok(list)) => EitherOf4::D(view! { <PageCards list locale /> }),
    }
}

/// No page yet: step one, from a template.
#[component]
fn FirstStep(locale: Locale, can_write: bool) -> impl IntoView {
    if !can_write {
        return view! {
            <p class="empty-state">{tr(locale, "Esta organización aún no tiene páginas.", "This organization has no pages yet.")}</p>
        }
        .into_any();
    }
    view! {
        <section class="card first-step" aria-labelledby="first-step-heading" data-testid="first-step">
            <p class="eyebrow">{tr(locale, "Primer paso", "First step")}</p>
            <h2 id="first-step-heading">{tr(locale, "Crea tu página", "Create your page")}</h2>
            <p class="lede-sm">
                {tr(
                    locale,
                    "Elige una plantilla pensada para coaches: trae diseño, textos de ejemplo y bloques que solo tienes que ajustar. Después la publicas en tu dirección.",
                    "Pick a template made for coaches: design, sample texts and blocks you only need to adjust. Then publish it at your address.",
                )}
            </p>
            <a class="button button-primary" href="/dashboard/pages?new=1">
                {tr(locale, "Empezar con una plantilla", "Start from a template")}
            </a>
        </section>
    }
    .into_any()
}

/// A card per page.
#[component]
fn PageCards(list: Vec<PageCardView>, locale: Locale) -> impl IntoView {
    let origin = site_origin();
    let cards = list
        .into_iter()
        .map(|page| {
            let edit = format!("/dashboard/pages/{}", page.id);
            let (status, status_class) = if page.published {
                (tr(locale, "Publicada", "Published"), "badge badge-live")
            } else {
                (tr(locale, "Borrador", "Draft"), "badge badge-draft")
            };
            let address = display_url(&origin, &page.slug);
            let public = format!("/{}", page.slug);
            let edit_label = format!("{} {}", tr(locale, "Editar", "Edit"), page.title);
            view! {
                <li class="card page-card" data-testid="page-card">
                    <div class="page-card-head">
                        <h3 class="page-card-title">{page.title.clone()}</h3>
                        <span class=status_class>{status}</span>
                    </div>
                    <p class="page-card-url" data-testid="page-card-url">
                        {if page.published {
                            view! { <a href=public target="_blank" rel="external noopener">{address}</a> }.into_any()
                        } else {
                            view! { <span>{address}</span> }.into_any()
                        }}
                    </p>
                    <dl class="page-card-stats">
                        <div><dt>{tr(locale, "Visitas · 7 días", "Views · 7 days")}</dt><dd data-testid="page-card-views">{page.views7d}</dd></div>
                        <div><dt>{tr(locale, "Contactos · 7 días", "Leads · 7 days")}</dt><dd data-testid="page-card-leads">{page.leads7d}</dd></div>
                    </dl>
                    <a class="button button-primary button-sm" href=edit aria-label=edit_label>{tr(locale, "Editar", "Edit")}</a>
                </li>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="home-pages-heading">
            <h2 id="home-pages-heading" class="home-h2">{tr(locale, "Tus páginas", "Your pages")}</h2>
            <ul class="page-cards" data-testid="page-cards">{cards}</ul>
        </section>
    }
}
