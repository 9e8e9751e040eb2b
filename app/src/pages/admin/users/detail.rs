//! `/admin/users/:id`: one account — its facts, its organizations, and what an admin can do with
//! it: deactivate (confirmed first), reactivate, and impersonate (confirmed first; lands on the
//! dashboard as that user, with the support banner on every page).

use crate::components::head::PageTitle;
use contracts::Locale;
use contracts::platform::{AdminMembershipView, AdminUserDetail, AdminUserView};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::admin::{AdminDeactivateUser, AdminImpersonate, AdminReactivateUser, admin_user};
use crate::components::form::{describe, go};
use crate::components::moment::Moment;
use crate::i18n::tr;
use crate::pages::admin::{AdminCtx, Loading, UserBadges, display_name, loaded};

use crate::pages::dashboard::roles::role_label;

/// The user screen.
#[component]
pub fn Page() -> impl IntoView {
    let ctx = expect_context::<AdminCtx>();
    let locale = ctx.locale;
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id")).unwrap_or_default());
    let detail = Resource::new(move || id.get(), admin_user);
    let me = ctx.admin.id;
    view! {
        <a class="pg-back" href="/admin/users"><span aria-hidden="true">"← "</span>{tr(locale, "Usuarios", "Users")}</a>
        <Suspense fallback=move || view! { <Loading locale /> }>
            {move || {
                let me = me.clone();
                loaded(detail.get(), locale, move |d| view! { <UserScreen d me locale /> })
            }}
        </Suspense>
    }
}

/// What the admin asked for and is confirming.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Asking {
    Deactivate,
    Impersonate,
}

#[component]
fn UserScreen(d: AdminUserDetail, me: String, locale: Locale) -> impl IntoView {
    let AdminUserDetail { user, memberships } = d;
    let is_me = user.id == me;
    let shown = RwSignal::new(user);
    let title = shown.with_untracked(|u| display_name(&u.name, &u.email));
    view! {
        <PageTitle text=format!("{title} — admin — mibio") />
        <div class="pg-head">
            <div>
                <h1 class="adm-title">{title.clone()}</h1>
                <p class="adm-sub">
                    <span class="cell-email">{shown.with_untracked(|u| u.email.clone())}</span>
                    " "
                    {move || shown.with(|u| view! { <UserBadges admin=u.platform_admin active=u.active verified=u.email_verified locale /> })}
                </p>
            </div>
        </div>
        <Facts shown locale />
        <p class="adm-links"><a href=format!("/admin/audit?actor={}", shown.with_untracked(|u| u.id.clone()))>{tr(locale, "Ver su actividad en el registro de auditoría", "See their activity in the audit log")}</a></p>
        <Actions shown is_me locale />
        <Memberships list=memberships locale />
    }
}

#[component]
fn Facts(shown: RwSignal<AdminUserView>, locale: Locale) -> impl IntoView {
    let u = shown.get_untracked();
    let yes_no = move |v: bool| if v { tr(locale, "Sí", "Yes") } else { tr(locale, "No", "No") };
    view! {
        <dl class="adm-facts card">
            <div><dt>{tr(locale, "Alta", "Joined")}</dt><dd><Moment at=u.created_at.clone() locale /></dd></div>
            <div>
                <dt>{tr(locale, "Último acceso", "Last sign-in")}</dt>
                <dd>{match u.last_login_at.clone() {
                    Some(at) => Either::Left(view! { <Moment at locale /> }),
                    None => Either::Right(tr(locale, "Nunca", "Never")),
                }}</dd>
            </div>
            <div><dt>{tr(locale, "Correo verificado", "Email verified")}</dt><dd>{yes_no(u.email_verified)}</dd></div>
            <div>
                <dt>{tr(locale, "Estado", "Status")}</dt>
                <dd data-testid="user-status">{move || if shown.with(|u| u.active) { tr(locale, "Activo", "Active") } else { tr(locale, "Desactivado", "Deactivated") }}</dd>
            </div>
            <div><dt>{tr(locale, "Admin de la plataforma", "Platform admin")}</dt><dd>{yes_no(u.platform_admin)}</dd></div>
        </dl>
    }
}

/// Why an action is not offered for this user, if it is not.
fn blocked(u: &AdminUserView, is_me: bool, asking: Asking, locale: Locale) -> Option<&'static str> {
    match asking {
        _ if is_me => Some(tr(locale, "Eres tú.", "That's you.")),
        _ if u.platform_admin => Some(tr(
            locale,
            "Es admin de la plataforma: no se puede suplantar ni desactivar desde aquí.",
            "A platform admin: they can't be impersonated or deactivated here.",
        )),
        Asking::Impersonate if !u.active => {
            Some(tr(locale, "Reactívalo antes de actuar como él.", "Reactivate them before acting as them."))
        }
        _ => None,
    }
}

#[component]
fn Actions(shown: RwSignal<AdminUserView>, is_me: bool, locale: Locale) -> impl IntoView {
    let deactivate = ServerAction::<AdminDeactivateUser>::new();
    let reactivate = ServerAction::<AdminReactivateUser>::new();
    let impersonate = ServerAction::<AdminImpersonate>::new();
    let asking = RwSignal::new(None::<Asking>);
    let status = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let id = shown.with_untracked(|u| u.id.clone());
    let name = shown.with_untracked(|u| display_name(&u.name, &u.email));

    let settle = move |result: Option<Result<AdminUserDetail, contracts::ApiError>>, done: &'static str| {
        match result {
            Some(Ok(d)) => {
                shown.set(d.user);
                asking.set(None);
                status.set(done.to_owned());
            }
            Some(Err(err)) => error.set(Some(describe(&err, locale))),
            None => {}
        }
    };
    Effect::new(move |_| {
        settle(
            deactivate.value().get(),
            tr(
                locale,
                "Cuenta desactivada: ya no puede entrar.",
                "Account deactivated: they can no longer sign in.",
            ),
        );
    });
    Effect::new(move |_| {
        settle(reactivate.value().get(), tr(locale, "Cuenta reactivada.", "Account reactivated."));
    });
    Effect::new(move |_| match impersonate.value().get() {
        Some(Ok(_)) => go("/dashboard"),
        Some(Err(err)) => error.set(Some(describe(&err, locale))),
        None => {}
    });
    let busy = Signal::derive(move || {
        deactivate.pending().get() || reactivate.pending().get() || impersonate.pending().get()
    });
    let ask = move |what: Asking| {
        error.set(None);
        status.set(String::new());
        asking.set(Some(what));
    };
    let confirm = {
        let id = id.clone();
        move |_| {
            error.set(None);
            match asking.get_untracked() {
                Some(Asking::Deactivate) => {
                    deactivate.dispatch(AdminDeactivateUser { id: id.clone() });
                }
                Some(Asking::Impersonate) => {
                    impersonate.dispatch(AdminImpersonate { id: id.clone() });
                }
                None => {}
            }
        }
    };
    let reactivate_now = {
        let id = id.clone();
        move |_| {
            error.set(None);
            status.set(String::new());
            reactivate.dispatch(AdminReactivateUser { id: id.clone() });
        }
    };
    let why_not = move |what: Asking| shown.with(|u| blocked(u, is_me, what, locale));
    let confirm_button = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(button) = confirm_button.get() {
            let _ = button.focus();
        }
    });
    let question = {
        let name = name.clone();
        move || match (asking.get(), locale) {
            (Some(Asking::Deactivate), Locale::Es) => format!(
                "¿Desactivar a {name}? Se cerrarán todas sus sesiones y no podrá entrar hasta que lo reactives."
            ),
            (Some(Asking::Deactivate), Locale::En) => format!(
                "Deactivate {name}? Every session they have ends, and they can't sign in until you reactivate them."
            ),
            (Some(Asking::Impersonate), Locale::Es) => format!(
                "¿Actuar como {name}? Verás mibio como lo ve durante una hora como máximo; todo lo que hagas queda registrado con tu nombre y el suyo."
            ),
            (Some(Asking::Impersonate), Locale::En) => format!(
                "Act as {name}? You'll see mibio as they do, for an hour at most; everything you do is recorded with both your names."
            ),
            (None, _) => String::new(),
        }
    };
    let confirm_label = move || match (asking.get(), busy.get()) {
        (Some(Asking::Deactivate), false) => tr(locale, "Sí, desactivar", "Yes, deactivate"),
        (Some(Asking::Deactivate), true) => tr(locale, "Desactivando…", "Deactivating…"),
        (_, false) => tr(locale, "Empezar sesión de soporte", "Start support session"),
        (_, true) => tr(locale, "Empezando…", "Starting…"),
    };
    view! {
        <section class="dash-section card adm-actions" aria-labelledby="adm-actions-heading">
            <div class="section-head">
                <h2 id="adm-actions-heading">{tr(locale, "Acciones", "Actions")}</h2>
                <p class="quiet-status" role="status">{move || status.get()}</p>
            </div>
            <div class="form-actions">
                <button type="button" class="button button-primary" data-testid="impersonate"
                    disabled=move || busy.get() || why_not(Asking::Impersonate).is_some()
                    aria-describedby="adm-impersonate-note"
                    on:click=move |_| ask(Asking::Impersonate)>
                    {tr(locale, "Actuar como este usuario", "Impersonate")}
                </button>
                {move || if shown.with(|u| u.active) {
                    Either::Left(view! {
                        <button type="button" class="button button-danger" data-testid="deactivate"
                            disabled=move || busy.get() || why_not(Asking::Deactivate).is_some()
                            on:click=move |_| ask(Asking::Deactivate)>
                            {tr(locale, "Desactivar", "Deactivate")}
                        </button>
                    })
                } else {
                    Either::Right(view! {
                        <button type="button" class="button button-quiet" data-testid="reactivate"
                            disabled=busy aria-busy=move || reactivate.pending().get().to_string()
                            on:click=reactivate_now.clone()>
                            {move || if reactivate.pending().get() { tr(locale, "Reactivando…", "Reactivating…") } else { tr(locale, "Reactivar", "Reactivate") }}
                        </button>
                    })
                }}
            </div>
            <p id="adm-impersonate-note" class="hint">
                {move || why_not(Asking::Impersonate).unwrap_or_else(|| tr(locale,
                    "Una sesión de soporte dura una hora como máximo y muestra un aviso en cada página.",
                    "A support session lasts an hour at most and shows a banner on every page."))}
            </p>
            <Show when=move || asking.get().is_some()>
                <div class="adm-confirm" role="group" aria-labelledby="adm-confirm-question" data-testid="confirm">
                    <p id="adm-confirm-question">{question.clone()}</p>
                    <div class="form-actions">
                        <button type="button" node_ref=confirm_button
                            class=move || if asking.get() == Some(Asking::Deactivate) { "button button-danger" } else { "button button-primary" }
                            disabled=busy aria-busy=move || busy.get().to_string() on:click=confirm.clone()>
                            {confirm_label}
                        </button>
                        <button type="button" class="button button-quiet" disabled=busy on:click=move |_| asking.set(None)>
                            {tr(locale, "Cancelar", "Cancel")}
                        </button>
                    </div>
                </div>
            </Show>
            <p class="form-alert" role="alert" hidden=move || error.with(Option::is_none)>{move || error.get().unwrap_or_default()}</p>
        </section>
    }
}

#[component]
fn Memberships(list: Vec<AdminMembershipView>, locale: Locale) -> impl IntoView {
    let body = if list.is_empty() {
        Either::Left(view! {
            <p class="empty-state">{tr(locale, "No pertenece a ninguna organización.", "Not a member of any organization.")}</p>
        })
    } else {
        Either::Right(view! {
            <div class="table-wrap">
                <table class="data-table" data-testid="user-orgs">
                    <caption class="visually-hidden">{tr(locale, "Organizaciones del usuario", "The user's organizations")}</caption>
                    <thead><tr>
                        <th scope="col">{tr(locale, "Organización", "Organization")}</th>
                        <th scope="col">{tr(locale, "Dirección", "Address")}</th>
                        <th scope="col">{tr(locale, "Rol", "Role")}</th>
                    </tr></thead>
                    <tbody>
                        {list.into_iter().map(|m| view! {
                            <tr>
                                <th scope="row" data-label=tr(locale, "Organización", "Organization")>
                                    <a href=format!("/admin/organizations/{}", m.organization_id)>{m.organization_name.clone()}</a>
                                </th>
                                <td data-label=tr(locale, "Dirección", "Address")><code>{m.organization_slug.clone()}</code></td>
                                <td data-label=tr(locale, "Rol", "Role")><span class="badge">{role_label(&m.role, locale)}</span></td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        })
    };
    view! {
        <section class="dash-section" aria-labelledby="adm-orgs-heading">
            <h2 id="adm-orgs-heading">{tr(locale, "Organizaciones", "Organizations")}</h2>
            {body}
        </section>
    }
}
