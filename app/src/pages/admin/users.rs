//! `/admin/users`: every account, newest first, searched by name or email as the admin types,
//! a page at a time; badges say who is an admin, deactivated or unverified.

pub mod detail;

use crate::components::form::describe;
use crate::components::head::PageTitle;
use contracts::Locale;
use contracts::links::Page as Listed;
use contracts::platform::AdminUserView;
use leptos::either::Either;
use leptos::prelude::*;

use crate::api::admin::admin_users;
use crate::components::toast::toast_error;
use crate::i18n::tr;
use crate::pages::admin::search::{More, SearchBox, use_search};
use crate::pages::admin::{AdminCtx, LoadMore, Loading, UserBadges, display_name, loaded};
use crate::pages::dashboard::members::format_date;

/// Users per request.
pub const BATCH: u16 = 25;

/// The users list.
#[component]
pub fn Page() -> impl IntoView {
    let locale = expect_context::<AdminCtx>().locale;
    let q = use_search();
    let first = Resource::new(move || q.get(), |q| admin_users(q, None, Some(BATCH)));
    let more = More::<AdminUserView>::new(move || q.track());
    view! {
        <PageTitle text=tr(locale, "Usuarios — admin — mibio", "Users — admin — mibio") />
        <h1>{tr(locale, "Usuarios", "Users")}</h1>
        <SearchBox path="/admin/users" label=tr(locale, "Buscar por nombre o correo", "Search by name or email") />
        <Transition fallback=move || view! { <Loading locale /> }>
            {move || loaded(first.get(), locale, move |page: Listed<AdminUserView>| {
                let first_next = page.next_cursor.clone();
                let has_more = Signal::derive({
                    let first_next = first_next.clone();
                    move || more.cursor(first_next.clone()).is_some()
                });
                let on_more = Callback::new(move |()| {
                    let cursor = more.cursor(first_next.clone());
                    let fetch = admin_users(q.get_untracked(), cursor, Some(BATCH));
                    more.load(fetch, move |err| toast_error(describe(&err, locale)));
                });
                view! {
                    <UserTable first=page.items more q=q.get_untracked() locale />
                    <LoadMore more=has_more loading=more.loading.into() on_more locale />
                }
            })}
        </Transition>
    }
}

#[component]
fn UserTable(
    first: Vec<AdminUserView>,
    more: More<AdminUserView>,
    q: Option<String>,
    locale: Locale,
) -> impl IntoView {
    if first.is_empty() {
        let text = match (q, locale) {
            (Some(q), Locale::Es) => format!("Ningún usuario coincide con «{q}»."),
            (Some(q), Locale::En) => format!("No user matches “{q}”."),
            (None, _) => tr(locale, "Aún no hay usuarios.", "There are no users yet.").to_owned(),
        };
        return Either::Left(
            view! { <p class="empty-state" role="status" data-testid="users-empty">{text}</p> },
        );
    }
    let shown = first.len();
    let status = move || {
        let n = shown + more.items.with(Vec::len);
        match locale {
            Locale::Es if n == 1 => "1 usuario en la lista".to_owned(),
            Locale::Es => format!("{n} usuarios en la lista"),
            Locale::En if n == 1 => "1 user listed".to_owned(),
            Locale::En => format!("{n} users listed"),
        }
    };
    Either::Right(view! {
        <p class="quiet-status" role="status">{status}</p>
        <div class="table-wrap">
            <table class="data-table" data-testid="users-table">
                <caption class="visually-hidden">{tr(locale, "Usuarios, los más recientes primero", "Users, newest first")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr(locale, "Nombre", "Name")}</th>
                        <th scope="col">{tr(locale, "Correo", "Email")}</th>
                        <th scope="col">{tr(locale, "Alta", "Joined")}</th>
                        <th scope="col">{tr(locale, "Último acceso", "Last sign-in")}</th>
                    </tr>
                </thead>
                <tbody>
                    {first.into_iter().map(|u| view! { <UserRow u locale /> }).collect_view()}
                    {move || more.items.get().into_iter().map(|u| view! { <UserRow u locale /> }).collect_view()}
                </tbody>
            </table>
        </div>
    })
}

#[component]
fn UserRow(u: AdminUserView, locale: Locale) -> impl IntoView {
    let href = format!("/admin/users/{}", u.id);
    let last = u
        .last_login_at
        .as_deref()
        .map_or_else(|| tr(locale, "Nunca", "Never").to_owned(), |at| format_date(at, locale));
    view! {
        <tr data-testid="user-row">
            <th scope="row" data-label=tr(locale, "Nombre", "Name")>
                <a href=href>{display_name(&u.name, &u.email)}</a>
                " "
                <UserBadges admin=u.platform_admin active=u.active verified=u.email_verified locale />
            </th>
            <td data-label=tr(locale, "Correo", "Email") class="cell-email">{u.email.clone()}</td>
            <td data-label=tr(locale, "Alta", "Joined")><time datetime=u.created_at.clone()>{format_date(&u.created_at, locale)}</time></td>
            <td data-label=tr(locale, "Último acceso", "Last sign-in")>{last}</td>
        </tr>
    }
}
