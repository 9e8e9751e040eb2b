//! `/dashboard/notifications`: the signed-in person's notifications, across their organizations,
//! newest first, unread ones marked. Opening one marks it read and follows its link — switching
//! to its organization first when another one is active, since the link (a page's leads, the
//! billing screen) only works there. "Mark all as read" clears the bell. With none yet, the
//! screen says what will appear here.

use contracts::notifications::NotificationView;
use contracts::{ApiError, Locale};
use leptos::either::EitherOf4;
use leptos::prelude::*;

use crate::api::notifications::{list_notifications, mark_all_notifications_read, mark_notification_read};
use crate::api::orgs::set_active_organization;
use crate::components::client_only::ClientOnly;
use crate::components::form::describe;
use crate::components::head::PageTitle;
use crate::components::moment::Moment;
use crate::components::toast::toast_error;
use crate::i18n::tr;
use crate::pages::dashboard::bell::BellRefresh;
use crate::pages::dashboard::members::Loading;
use crate::pages::dashboard::{DashboardCtx, SessionReload};

/// The notifications screen.
#[component]
pub fn Page() -> impl IntoView {
    let locale = expect_context::<DashboardCtx>().locale;
    view! {
        <PageTitle text=tr(locale, "Notificaciones — mibio", "Notifications — mibio") />
        <ClientOnly locale render=move || view! { <Inbox locale /> } />
    }
}

/// What the list holds, loaded page by page.
#[derive(Clone, Copy)]
struct List {
    items: RwSignal<Vec<NotificationView>>,
    cursor: RwSignal<Option<String>>,
    loaded: RwSignal<bool>,
    loading: RwSignal<bool>,
    error: RwSignal<Option<ApiError>>,
}

impl List {
    fn new() -> Self {
        Self {
            items: RwSignal::new(Vec::new()),
            cursor: RwSignal::new(None),
            loaded: RwSignal::new(false),
            loading: RwSignal::new(false),
            error: RwSignal::new(None),
        }
    }

    /// Loads the page after `cursor` (the first with `None`) and appends it.
    fn fetch(self, cursor: Option<String>, locale: Locale) {
        self.loading.set(true);
        leptos::task::spawn_local(async move {
            match list_notifications(false, cursor).await {
                Ok(page) => {
                    self.items.try_update(|i| i.extend(page.items));
                    self.cursor.try_set(page.next_cursor);
                    self.loaded.try_set(true);
                }
                Err(err) if self.loaded.get_untracked() => toast_error(describe(&err, locale)),
                Err(err) => {
                    self.error.try_set(Some(err));
                }
            }
            self.loading.try_set(false);
        });
    }

    /// Shows notification `id` as read.
    fn read(self, id: &str) {
        self.items.update(|items| {
            if let Some(n) = items.iter_mut().find(|n| n.id == id) {
                n.read = true;
            }
        });
    }

    fn unread(self) -> usize {
        self.items.with(|items| items.iter().filter(|n| !n.read).count())
    }
}

#[component]
fn Inbox(locale: Locale) -> impl IntoView {
    let list = List::new();
    list.fetch(None, locale);
    let bell = BellRefresh::get();
    let marking = RwSignal::new(false);
    let mark_all = move |_| {
        marking.set(true);
        leptos::task::spawn_local(async move {
            match mark_all_notifications_read().await {
                Ok(_) => {
                    list.items.try_update(|items| items.iter_mut().for_each(|n| n.read = true));
                    if let Some(bell) = bell {
                        bell.now();
                    }
                }
                Err(err) => toast_error(describe(&err, locale)),
            }
            marking.try_set(false);
        });
    };
    let more = move |_| list.fetch(list.cursor.get_untracked(), locale);
    view! {
        <div class="section-head">
            <h1>{tr(locale, "Notificaciones", "Notifications")}</h1>
            <Show when=move || list.loaded.get() && !list.items.with(Vec::is_empty)>
                <button
                    type="button"
                    class="button button-quiet button-sm"
                    data-testid="mark-all-read"
                    disabled=move || marking.get() || list.unread() == 0
                    on:click=mark_all
                >
                    {tr(locale, "Marcar todo como leído", "Mark all as read")}
                </button>
            </Show>
        </div>
        {move || match (list.loaded.get(), list.error.get()) {
            (_, Some(err)) => EitherOf4::A(view! { <p class="notice notice-error" role="alert">{describe(&err, locale)}</p> }),
            (false, None) => EitherOf4::B(view! { <Loading locale /> }),
            (true, None) if list.items.with(Vec::is_empty) => EitherOf4::C(view! { <Empty locale /> }),
            (true, None) => EitherOf4::D(view! {
                <ul class="notification-list" data-testid="notifications" aria-label=tr(locale, "Notificaciones, las más recientes primero", "Notifications, newest first")>
                    <For each=move || list.items.get() key=|n| (n.id.clone(), n.read) let:notification>
                        <Item notification list locale />
                    </For>
                </ul>
            }),
        }}
        <Show when=move || list.cursor.with(Option::is_some)>
            <div class="load-more">
                <button type="button" class="button button-quiet" disabled=move || list.loading.get() on:click=more>
                    {move || if list.loading.get() { tr(locale, "Cargando…", "Loading…") } else { tr(locale, "Cargar más", "Load more") }}
                </button>
            </div>
        </Show>
    }
}

/// With nothing yet: what will appear here, and how to get there.
#[component]
fn Empty(locale: Locale) -> impl IntoView {
    view! {
        <div class="empty-teach notification-empty" data-testid="notifications-empty">
            <svg viewBox="0 0 24 24" width="32" height="32" aria-hidden="true" fill="none" stroke="currentColor"
                stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round">
                <path d="M6 16V11a6 6 0 0 1 12 0v5l1.5 2h-15zM10 20a2 2 0 0 0 4 0" />
            </svg>
            <h2>{tr(locale, "Todo tranquilo por ahora", "All quiet for now")}</h2>
            <p>{tr(
                locale,
                "Aquí te enterarás cuando alguien te deje su contacto en una de tus páginas, y de lo importante de tu plan. También te avisamos por correo; eso lo eliges en Ajustes.",
                "You'll hear here when someone leaves you their contact on one of your pages, and about anything important with your plan. We tell you by email too; choose that in Settings.",
            )}</p>
            <p>{tr(
                locale,
                "¿Aún no recibes contactos? Añade un bloque «Formulario de contacto» a tu página y publícala.",
                "No leads yet? Add a “Lead form” block to your page and publish it.",
            )}</p>
            <a class="button button-primary button-sm" href="/dashboard/pages">{tr(locale, "Ir a mis páginas", "Go to my pages")}</a>
        </div>
    }
}

/// One notification: the whole row opens it.
#[component]
fn Item(notification: NotificationView, list: List, locale: Locale) -> impl IntoView {
    let ctx = expect_context::<DashboardCtx>();
    let active = ctx.session.organization.as_ref().map(|o| o.id.clone());
    let reload = SessionReload::get();
    let bell = BellRefresh::get();
    let busy = RwSignal::new(false);
    let NotificationView { id, title, body, link, organization_id, created_at, read, .. } = notification;
    let href = link.clone().unwrap_or_else(|| "#".to_owned());
    let open = move |ev: leptos::ev::MouseEvent| {
        // Modified clicks (a new tab) go their own way.
        if ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.button() != 0 {
            return;
        }
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let (id, link, organization_id, active) =
            (id.clone(), link.clone(), organization_id.clone(), active.clone());
        leptos::task::spawn_local(async move {
            if !read {
                match mark_notification_read(id.clone()).await {
                    Ok(()) => {
                        list.read(&id);
                        if let Some(bell) = bell {
                            bell.now();
                        }
                    }
                    Err(err) => toast_error(describe(&err, locale)),
                }
            }
            if let Some(link) = link {
                match organization_id.filter(|org| active.as_ref() != Some(org)) {
                    // Its link works in its organization: make that one active first.
                    Some(org) => match set_active_organization(org).await {
                        Ok(()) => reload.to(&link),
                        Err(err) => toast_error(describe(&err, locale)),
                    },
                    None => reload.go(&link),
                }
            }
            busy.try_set(false);
        });
    };
    let state = if read { tr(locale, "Leída", "Read") } else { tr(locale, "Sin leer", "Unread") };
    view! {
        <li class="notification" class:notification-unread=!read data-testid="notification" data-read=read.to_string()>
            <a class="notification-link" href=href on:click=open aria-busy=move || busy.get().to_string()>
                <span class="notification-dot" aria-hidden="true"></span>
                <span class="notification-text">
                    <span class="notification-title">{title}</span>
                    <span class="notification-body">{body}</span>
                    <span class="notification-meta">
                        <span class="visually-hidden">{state}", "</span>
                        <Moment at=created_at locale />
                    </span>
                </span>
            </a>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_empty_list_says_what_will_appear_here() {
        let html = Owner::new().with(|| view! { <Empty locale=Locale::En /> }.to_html());
        assert!(html.contains("hear here when someone leaves you their contact"), "{html}");
        assert!(html.contains(r#"href="/dashboard/pages""#), "{html}");
        let html = Owner::new().with(|| view! { <Empty locale=Locale::Es /> }.to_html());
        assert!(html.contains("Aquí te enterarás cuando alguien te deje su contacto"), "{html}");
    }
}
