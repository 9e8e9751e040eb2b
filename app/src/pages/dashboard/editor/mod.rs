//! `/dashboard/pages/:id`: the page editor. A split view — page settings and the block list on
//! the left, a live preview in a phone frame on the right (behind a "Preview" toggle on phones) —
//! with publish, copy link and the QR code on top.
//!
//! Every write goes through the links server functions. Small edits (enable, reorder, delete,
//! publish) are applied at once and rolled back with a toast if the server refuses; the settings
//! form and open block forms are guarded against leaving with unsaved changes.

mod block_form;
mod blocks;
pub mod guard;
mod ops;
mod preview;
mod qr;
pub mod reorder;
pub mod schedule;
mod settings;

use std::collections::{BTreeMap, BTreeSet};

use crate::components::head::PageTitle;
use contracts::blocks::BlockConfig;
use contracts::links::{BlockView, PageView, UpdatePageInput};
use contracts::theme::PageTheme;
use contracts::{ApiError, Locale};
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;

use crate::api::links::{get_page, update_page};
use crate::components::client_only::ClientOnly;
use crate::components::form::describe;
use crate::components::toast::toast_error;
use crate::i18n::tr;
use crate::pages::dashboard::DashboardCtx;
use crate::pages::dashboard::members::{Loading, NoOrganization, load_in_browser};
use crate::pages::dashboard::page_kit::{BackToPages, PageTabs, display_url, page_id, site_origin};

/// The editor's shared state; every part of the screen reads and writes it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ed {
    pub locale: Locale,
    pub page_id: StoredValue<String>,
    pub can_write: bool,
    /// The saved address and publication.
    pub slug: RwSignal<String>,
    pub published: RwSignal<bool>,
    /// The saved title (the heading), and the settings as being edited (the preview).
    pub saved_title: RwSignal<String>,
    pub title: RwSignal<String>,
    pub bio: RwSignal<String>,
    pub theme: RwSignal<PageTheme>,
    /// Hide the "Made with mibio" footer (a paid feature).
    pub hide_branding: RwSignal<bool>,
    /// Where the page's avatar is served from (changes as soon as a new one is uploaded).
    pub avatar_url: RwSignal<Option<String>>,
    /// The blocks in order, as the server has them (or will, once a pending write lands).
    pub blocks: RwSignal<Vec<BlockView>>,
    /// Open block forms whose draft parses: the preview shows them instead of the saved config.
    pub drafts: RwSignal<BTreeMap<String, BlockConfig>>,
    /// Block forms with changes not yet saved (`new` for the block being added).
    pub unsaved: RwSignal<BTreeSet<String>>,
    /// Whether the settings form differs from what is saved.
    pub settings_dirty: RwSignal<bool>,
    /// What screen readers hear after an action ("Saved", "Moved to position 2 of 5").
    pub announce: RwSignal<String>,
}

impl Ed {
    fn new(page: &PageView, locale: Locale, can_write: bool) -> Self {
        Self {
            locale,
            page_id: StoredValue::new(page.id.clone()),
            can_write,
            slug: RwSignal::new(page.slug.clone()),
            published: RwSignal::new(page.published),
            saved_title: RwSignal::new(page.title.clone()),
            title: RwSignal::new(page.title.clone()),
            bio: RwSignal::new(page.bio.clone()),
            theme: RwSignal::new(page.theme.clone()),
            hide_branding: RwSignal::new(page.hide_branding),
            avatar_url: RwSignal::new(page.avatar_url.clone()),
            blocks: RwSignal::new(page.blocks.clone()),
            drafts: RwSignal::new(BTreeMap::new()),
            unsaved: RwSignal::new(BTreeSet::new()),
            settings_dirty: RwSignal::new(false),
            announce: RwSignal::new(String::new()),
        }
    }

    /// The page's id.
    pub fn id(&self) -> String {
        self.page_id.get_value()
    }

    /// A failed call: a toast in plain words.
    pub fn fail(&self, err: &ApiError) {
        toast_error(describe(err, self.locale));
    }
}

/// The editor page.
#[component]
pub fn Page() -> impl IntoView {
    let ctx = expect_context::<DashboardCtx>();
    let locale = ctx.locale;
    let title = view! { <PageTitle text=tr(locale, "Editor — mibio", "Editor — mibio") /> };
    if ctx.session.organization.is_none() {
        return Either::Left(view! { {title} <NoOrganization locale /> });
    }
    let can_write = ctx.can("links:write");
    Either::Right(view! {
        {title}
        <ClientOnly locale render=move || view! { <Loader locale can_write /> } />
    })
}

/// Loads the page, then shows the editor (browser only).
#[component]
fn Loader(locale: Locale, can_write: bool) -> impl IntoView {
    let id = page_id();
    let loaded = load_in_browser(move || id.track(), move || get_page(id.get_untracked()));
    move || match loaded.get() {
        None => EitherOf3::A(view! { <Loading locale /> }),
        Some(Err(err)) => EitherOf3::B(view! {
            <BackToPages locale />
            <p class="notice notice-error" role="alert">{describe(&err, locale)}</p>
        }),
        Some(Ok(page)) => EitherOf3::C(view! { <Editor page locale can_write /> }),
    }
}

#[component]
fn Editor(page: PageView, locale: Locale, can_write: bool) -> impl IntoView {
    let ed = Ed::new(&page, locale, can_write);
    provide_context(ed);
    guard::install(ed);
    let show_preview = RwSignal::new(false);
    let id = page.id.clone();
    view! {
        <PageTitle text=move || format!("{} — {}", ed.saved_title.get(), tr(locale, "Editor", "Editor")) />
        <div class="ed">
            <EditorHead show_preview />
            <PageTabs page_id=id locale />
            <div class="ed-split" data-view=move || if show_preview.get() { "preview" } else { "edit" }>
                <div class="ed-main">
                    <settings::Settings page=page.clone() />
                    <blocks::Blocks />
                </div>
                <aside class="ed-side" aria-label=tr(locale, "Vista previa", "Preview")>
                    <preview::Preview />
                </aside>
            </div>
            <p class="visually-hidden" role="status" aria-live="polite">{move || ed.announce.get()}</p>
        </div>
    }
}

/// Title, status, address, and the page-wide actions.
#[component]
fn EditorHead(show_preview: RwSignal<bool>) -> impl IntoView {
    let ed = expect_context::<Ed>();
    let locale = ed.locale;
    let publishing = RwSignal::new(false);
    let toggle_publish = move |_| {
        if publishing.get_untracked() {
            return;
        }
        let was = ed.published.get_untracked();
        ed.published.set(!was);
        publishing.set(true);
        leptos::task::spawn_local(async move {
            let changes = UpdatePageInput { published: Some(!was), ..UpdatePageInput::default() };
            match update_page(ed.id(), changes).await {
                Ok(page) => {
                    ed.published.try_set(page.published);
                    ed.announce.try_set(
                        if page.published {
                            tr(locale, "Página publicada.", "Page published.")
                        } else {
                            tr(locale, "La página vuelve a ser un borrador.", "The page is a draft again.")
                        }
                        .to_owned(),
                    );
                }
                Err(err) => {
                    ed.published.try_set(was);
                    ed.fail(&err);
                }
            }
            publishing.try_set(false);
        });
    };
    let origin = site_origin();
    let url = {
        let origin = origin.clone();
        move || format!("{origin}/{}", ed.slug.get())
    };
    let shown_url = move || display_url(&origin, &ed.slug.get());
    let copied = RwSignal::new(false);
    let copy = {
        let url = url.clone();
        move |_| {
            copy_text(&url());
            copied.set(true);
            ed.announce.set(tr(locale, "Enlace copiado.", "Link copied.").to_owned());
            set_timeout(
                move || {
                    copied.try_set(false);
                },
                std::time::Duration::from_millis(2000),
            );
        }
    };
    let publish_label = move || match (publishing.get(), ed.published.get()) {
        (true, true) => tr(locale, "Publicando…", "Publishing…"),
        (true, false) => tr(locale, "Despublicando…", "Unpublishing…"),
        (false, true) => tr(locale, "Despublicar", "Unpublish"),
        (false, false) => tr(locale, "Publicar", "Publish"),
    };
    view! {
        <BackToPages locale />
        <header class="ed-head">
            <div class="ed-head-text">
                <div class="ed-title-row">
                    <h1>{move || ed.saved_title.get()}</h1>
                    <span class=move || if ed.published.get() { "badge badge-live" } else { "badge badge-draft" } data-testid="page-status">
                        {move || if ed.published.get() { tr(locale, "Publicada", "Published") } else { tr(locale, "Borrador", "Draft") }}
                    </span>
                </div>
                <p class="ed-url">
                    {move || if ed.published.get() {
                        Either::Left(view! { <a href=url() target="_blank" rel="external noopener" data-testid="public-link">{shown_url()}<span class="visually-hidden">{tr(locale, " (se abre en otra pestaña)", " (opens in a new tab)")}</span></a> })
                    } else {
                        Either::Right(view! { <span class="muted">{shown_url()}</span> })
                    }}
                </p>
            </div>
            <div class="ed-actions">
                <button type="button" class="button button-quiet button-sm" on:click=copy>
                    {move || if copied.get() { tr(locale, "✓ Copiado", "✓ Copied") } else { tr(locale, "Copiar enlace", "Copy link") }}
                </button>
                <qr::QrButton />
                <button type="button" class="button button-quiet button-sm ed-preview-toggle" aria-pressed=move || show_preview.get().to_string()
                    on:click=move |_| show_preview.update(|s| *s = !*s)>
                    {tr(locale, "Vista previa", "Preview")}
                </button>
                {ed.can_write.then(|| view! {
                    <button type="button" class=move || if ed.published.get() { "button button-quiet button-sm" } else { "button button-primary button-sm" }
                        disabled=move || publishing.get() aria-busy=move || publishing.get().to_string() on:click=toggle_publish>
                        {publish_label}
                    </button>
                })}
            </div>
        </header>
    }
}

/// Puts `text` on the clipboard, where the browser allows it.
fn copy_text(text: &str) {
    #[cfg(feature = "hydrate")]
    {
        let Some(window) = web_sys::window() else { return };
        let navigator = window.navigator();
        let has_clipboard =
            js_sys::Reflect::get(&navigator, &"clipboard".into()).is_ok_and(|c| !c.is_undefined());
        if has_clipboard {
            let _promise = navigator.clipboard().write_text(text);
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = text;
}
