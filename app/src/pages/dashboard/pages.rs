//! `/dashboard/pages`: the organization's pages (status, block count, quick links), and a new page
//! from the template gallery or blank, its address checked as the coach types. An empty list
//! offers the four templates.

use crate::components::head::PageTitle;
use contracts::links::{CreatePageInput, PageSummary, TemplateView};
use contracts::{ApiError, Locale, Problem};
use leptos::either::{Either, EitherOf3, EitherOf4};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::links::{create_page, link_templates, list_pages};
use crate::components::client_only::ClientOnly;
use crate::components::form::{FormErrors, describe};
use crate::i18n::{self, tr};
use crate::pages::dashboard::DashboardCtx;
use crate::pages::dashboard::members::{Loading, NoOrganization, format_date, load_in_browser};
use crate::pages::dashboard::page_kit::{SlugField, SlugState, display_url, site_origin};

type Loaded<T> = ReadSignal<Option<Result<T, ApiError>>>;

/// The pages list.
#[component]
pub fn Page() -> impl IntoView {
    let ctx = expect_context::<DashboardCtx>();
    let locale = ctx.locale;
    let title = view! { <PageTitle text=tr(locale, "Páginas — mibio", "Pages — mibio") /> };
    if ctx.session.organization.is_none() {
        return Either::Left(
            view! { {title} <h1>{tr(locale, "Páginas", "Pages")}</h1> <NoOrganization locale /> },
        );
    }
    let can_write = ctx.can("links:write");
    let pages = load_in_browser(|| (), list_pages);
    let templates = load_in_browser(|| (), link_templates);
    // The form opens from the button, from a template of the empty state, or from `?new`.
    let creating = RwSignal::new(false);
    let template = RwSignal::new(String::new());
    let wants_new = use_query_map().read_untracked().get("new").is_some();
    Effect::new(move |_| {
        if wants_new && can_write {
            creating.set(true);
        }
    });
    let open = move |chosen: Option<String>| {
        if let Some(id) = chosen {
            template.set(id);
        }
        creating.set(true);
    };
    Either::Right(view! {
        {title}
        <div class="pg-head">
            <div>
                <h1>{tr(locale, "Páginas", "Pages")}</h1>
                <p class="lede-sm">{tr(locale, "Tu enlace en la bio: cada página tiene su dirección, su diseño y sus bloques.", "Your link in bio: each page has its own address, design and blocks.")}</p>
            </div>
            {can_write.then(|| view! {
                <button type="button" class="button button-primary" aria-expanded=move || creating.get().to_string()
                    on:click=move |_| creating.update(|c| *c = !*c)>
                    <span aria-hidden="true">"+ "</span>{tr(locale, "Nueva página", "New page")}
                </button>
            })}
        </div>
        <ClientOnly locale render=move || view! {
            <Show when=move || creating.get()>
                <NewPageForm templates template creating />
            </Show>
            {move || match pages.get() {
                None => EitherOf4::A(view! { <Loading locale /> }),
                Some(Err(err)) => EitherOf4::B(view! { <p class="notice notice-error" role="alert">{describe(&err, locale)}</p> }),
                Some(Ok(list)) if list.is_empty() => EitherOf4::C(view! {
                    <EmptyPages templates can_write hidden=creating open=Callback::new(move |id| open(Some(id))) blank=Callback::new(move |()| open(Some(String::new()))) />
                }),
                Some(Ok(list)) => EitherOf4::D(view! { <PageList list locale /> }),
            }}
        } />
    })
}

/// The list of pages.
#[component]
fn PageList(list: Vec<PageSummary>, locale: Locale) -> impl IntoView {
    let origin = site_origin();
    let items = list
        .into_iter()
        .map(|page| {
            let edit = format!("/dashboard/pages/{}", page.id);
            let (status, status_class) = if page.published {
                (tr(locale, "Publicada", "Published"), "badge badge-live")
            } else {
                (tr(locale, "Borrador", "Draft"), "badge badge-draft")
            };
            let blocks = match (locale, page.block_count) {
                (Locale::Es, 1) => "1 bloque".to_owned(),
                (Locale::Es, n) => format!("{n} bloques"),
                (Locale::En, 1) => "1 block".to_owned(),
                (Locale::En, n) => format!("{n} blocks"),
            };
            let updated = match locale {
                Locale::Es => format!("Editada el {}", format_date(&page.updated_at, locale)),
                Locale::En => format!("Edited {}", format_date(&page.updated_at, locale)),
            };
            let public = format!("/{}", page.slug);
            let open_label = match locale {
                Locale::Es => format!("Ver la página publicada {} (se abre en otra pestaña)", page.title),
                Locale::En => format!("Open the published page {} (opens in a new tab)", page.title),
            };
            view! {
                <li class="pg-item" data-testid="page-item">
                    <div class="pg-item-main">
                        <h2 class="pg-item-title"><a href=edit.clone()>{page.title.clone()}</a></h2>
                        <p class="pg-item-url">{display_url(&origin, &page.slug)}</p>
                        <p class="pg-item-meta">
                            <span class=status_class>{status}</span>
                            <span>{blocks}</span>
                            <span>{updated}</span>
                        </p>
                    </div>
                    <div class="pg-item-actions">
                        <a class="button button-primary button-sm" href=edit.clone()>{tr(locale, "Editar", "Edit")}</a>
                        <a class="button button-quiet button-sm" href=format!("{edit}/leads")>{tr(locale, "Contactos", "Leads")}</a>
                        <a class="button button-quiet button-sm" href=format!("{edit}/analytics")>{tr(locale, "Estadísticas", "Analytics")}</a>
                        {page.published.then(|| view! {
                            <a class="button button-quiet button-sm" href=public target="_blank" rel="external noopener" aria-label=open_label>
                                {tr(locale, "Ver", "Open")}<span aria-hidden="true">" ↗"</span>
                            </a>
                        })}
                    </div>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="pg-list" data-testid="pages">{items}</ul> }
}

/// No page yet: the four templates, ready to use.
#[component]
fn EmptyPages(
    templates: Loaded<Vec<TemplateView>>,
    can_write: bool,
    hidden: RwSignal<bool>,
    open: Callback<String>,
    blank: Callback<()>,
) -> impl IntoView {
    let locale = expect_context::<DashboardCtx>().locale;
    if !can_write {
        return Either::Left(view! {
            <p class="empty-state">{tr(locale, "Esta organización aún no tiene páginas.", "This organization has no pages yet.")}</p>
        });
    }
    Either::Right(view! {
        <section class="pg-empty" hidden=move || hidden.get() aria-labelledby="empty-heading">
            <h2 id="empty-heading">{tr(locale, "Crea tu primera página", "Create your first page")}</h2>
            <p class="lede-sm">{tr(locale, "Empieza con una plantilla pensada para coaches: trae diseño, textos de ejemplo y bloques que solo tienes que ajustar.", "Start from a template made for coaches: design, sample texts and blocks you only need to adjust.")}</p>
            {move || match templates.get() {
                None => EitherOf3::A(view! { <Loading locale /> }),
                Some(Err(_)) => EitherOf3::B(()),
                Some(Ok(list)) => EitherOf3::C(view! {
                    <ul class="tpl-grid">
                        {list.into_iter().map(|t| {
                            let id = t.id.clone();
                            let label = match locale {
                                Locale::Es => format!("Usar la plantilla {}", t.name),
                                Locale::En => format!("Use the {} template", t.name),
                            };
                            view! {
                                <li class="tpl-card tpl-static">
                                    <img class="tpl-thumb" src=t.thumbnail.clone() alt="" width="240" height="420" loading="lazy" />
                                    <span class="tpl-name">{t.name.clone()}</span>
                                    <span class="tpl-desc">{t.description.clone()}</span>
                                    <button type="button" class="button button-quiet button-sm" aria-label=label on:click=move |_| open.run(id.clone())>
                                        {tr(locale, "Usar plantilla", "Use template")}
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }),
            }}
            <p><button type="button" class="button button-quiet" on:click=move |_| blank.run(())>{tr(locale, "Empezar en blanco", "Start blank")}</button></p>
        </section>
    })
}

/// The new-page form: a template (or blank), a title and an address.
#[component]
fn NewPageForm(
    templates: Loaded<Vec<TemplateView>>,
    template: RwSignal<String>,
    creating: RwSignal<bool>,
) -> impl IntoView {
    let locale = expect_context::<DashboardCtx>().locale;
    let navigate = use_navigate();
    let title = RwSignal::new(String::new());
    let slug = RwSignal::new(String::new());
    let slug_touched = RwSignal::new(false);
    let slug_state = RwSignal::new(SlugState::Idle);
    let slug_error = RwSignal::new(None::<String>);
    let errors = RwSignal::new(FormErrors::default());
    let pending = RwSignal::new(false);
    // The plan's page cap is reached: said next to the button, with the way to a bigger plan.
    let over_quota = RwSignal::new(None::<String>);
    // The address follows the title until the coach edits it.
    Effect::new(move |_| {
        let suggested = contracts::slug::suggest(&title.get());
        if !slug_touched.get_untracked() {
            slug.set(suggested);
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let mut local = FormErrors::default();
        if title.with_untracked(|t| t.trim().is_empty()) {
            local.fields.insert("title".into(), i18n::problem(locale, &Problem::Required));
        }
        if let SlugState::Invalid(problem) = slug_state.get_untracked() {
            slug_error.set(Some(problem));
            local.fields.insert("slug".into(), String::new());
        } else if slug.with_untracked(String::is_empty) {
            slug_error.set(Some(i18n::problem(locale, &Problem::Required)));
            local.fields.insert("slug".into(), String::new());
        }
        errors.set(local.clone());
        if !local.fields.is_empty() {
            return;
        }
        pending.set(true);
        let input = CreatePageInput {
            slug: slug.get_untracked(),
            title: title.get_untracked().trim().to_owned(),
            template_id: Some(template.get_untracked()).filter(|t| !t.is_empty()),
            locale: Some(locale.tag().to_owned()),
        };
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match create_page(input).await {
                Ok(page) => navigate(&format!("/dashboard/pages/{}", page.id), Default::default()),
                Err(err) => {
                    pending.try_set(false);
                    let form = FormErrors::from_api(&err, locale);
                    if err.code == contracts::ErrorCode::QuotaExceeded {
                        over_quota.try_set(form.general.clone());
                    }
                    if let Some(problem) = form.fields.get("slug") {
                        slug_error.try_set(Some(problem.clone()));
                    }
                    if let Some(general) = &form.general {
                        crate::components::toast::toast_error(general.clone());
                    }
                    errors.try_set(form);
                }
            }
        });
    };
    let title_error = move || errors.with(|e| e.field("title"));
    let gallery = move || {
        let list = templates.get().and_then(Result::ok).unwrap_or_default();
        let blank = view! {
            <label class="tpl-card tpl-blank">
                <input type="radio" name="template" value="" class="visually-hidden"
                    prop:checked=move || template.with(String::is_empty) on:change=move |_| template.set(String::new()) />
                <span class="tpl-thumb tpl-thumb-blank" aria-hidden="true">"+"</span>
                <span class="tpl-name">{tr(locale, "En blanco", "Blank")}</span>
                <span class="tpl-desc">{tr(locale, "Solo tu nombre; añade los bloques tú.", "Just your name; add the blocks yourself.")}</span>
            </label>
        };
        let cards = list
            .into_iter()
            .map(|t| {
                let id = t.id.clone();
                let checked = {
                    let id = id.clone();
                    move || template.with(|c| *c == id)
                };
                view! {
                    <label class="tpl-card">
                        <input type="radio" name="template" value=id.clone() class="visually-hidden"
                            prop:checked=checked on:change=move |_| template.set(id.clone()) />
                        <img class="tpl-thumb" src=t.thumbnail.clone() alt="" width="240" height="420" />
                        <span class="tpl-name">{t.name.clone()}</span>
                        <span class="tpl-desc">{t.description.clone()}</span>
                    </label>
                }
            })
            .collect_view();
        view! { {cards} {blank} }
    };
    view! {
        <section class="card pg-new" aria-labelledby="new-page-heading">
            <h2 id="new-page-heading">{tr(locale, "Nueva página", "New page")}</h2>
            <form on:submit=submit novalidate>
                <fieldset class="tpl-fieldset">
                    <legend>{tr(locale, "Elige un punto de partida", "Choose a starting point")}</legend>
                    <div class="tpl-grid tpl-pick">{gallery}</div>
                </fieldset>
                <div class="pg-new-fields">
                    <div class="field">
                        <label for="page-title">{tr(locale, "Título", "Title")}</label>
                        <input id="page-title" name="title" type="text" maxlength="80" autocomplete="off"
                            aria-invalid=move || title_error().is_some().to_string() aria-describedby="page-title-note"
                            prop:value=title on:input=move |ev| title.set(event_target_value(&ev)) />
                        <p id="page-title-note" class=move || if title_error().is_some() { "hint field-error" } else { "hint" }>
                            {move || title_error().unwrap_or_else(|| tr(locale, "Tu nombre o tu marca, como quieres que te vean.", "Your name or brand, as you want to be seen.").to_owned())}
                        </p>
                    </div>
                    <div on:input=move |ev| {
                        if event_target::<web_sys::HtmlElement>(&ev).id() == "page-slug" { slug_touched.set(true); }
                    }>
                        <SlugField id="page-slug" value=slug server_error=slug_error state=slug_state locale />
                    </div>
                </div>
                {move || over_quota.get().map(|message| view! {
                    <p class="notice notice-info" role="alert" data-testid="quota-exceeded">
                        {message}" "<a href="/dashboard/billing">{tr(locale, "Ver planes", "See plans")}</a>
                    </p>
                })}
                <div class="form-actions">
                    <button type="submit" class="button button-primary" disabled=move || pending.get() aria-busy=move || pending.get().to_string()>
                        {move || if pending.get() { tr(locale, "Creando…", "Creating…") } else { tr(locale, "Crear página", "Create page") }}
                    </button>
                    <button type="button" class="button button-quiet" on:click=move |_| creating.set(false)>{tr(locale, "Cancelar", "Cancel")}</button>
                </div>
            </form>
        </section>
    }
}
