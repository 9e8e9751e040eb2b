//! `/dashboard/members`: who belongs to the active organization and with which role, inviting
//! people by email, and the invitations still open.
//!
//! Also home to small helpers the other dashboard pages share: dates for the locale, server
//! errors in plain words, and the "no organization yet" notice.

use crate::components::head::PageTitle;
use contracts::organizations::{InvitationView, MemberView, RoleView};
use contracts::permissions::BuiltinRole;
use contracts::{ApiError, Locale};
use leptos::prelude::*;

use crate::api::orgs::{ChangeMemberRole, Invite, RemoveMember, invitations, members, roles};
use crate::components::form::{Field, FormAlert, FormErrors, Submit, describe};
use crate::i18n::tr;
use crate::pages::dashboard::roles::role_label;
use crate::pages::dashboard::{DashboardCtx, SessionReload};

/// The members page.
#[component]
pub fn Page() -> impl IntoView {
    let ctx = expect_context::<DashboardCtx>();
    let locale = ctx.locale;
    let heading = view! {
        <PageTitle text=tr(locale, "Miembros — mibio", "Members — mibio") />
        <h1>{tr(locale, "Miembros", "Members")}</h1>
    };
    let Some(org) = ctx.session.organization.clone() else {
        return view! { {heading} <NoOrganization locale /> }.into_any();
    };
    let can_invite = ctx.can("members:invite");
    let can_manage = ctx.can("members:manage");
    let me = ctx.session.user.id.clone();

    // Every successful action bumps the version; the lists reload.
    let version = RwSignal::new(0_u32);
    let member_list = load_in_browser(move || version.track(), members);
    let invitation_list = load_in_browser(move || version.track(), invitations);
    let role_list = load_in_browser(|| (), roles);

    let intro = match locale {
        Locale::Es => format!("Las personas que trabajan contigo en {}.", org.name),
        Locale::En => format!("The people who work with you in {}.", org.name),
    };
    view! {
        {heading}
        <p class="lede-sm">{intro}</p>
        {can_invite.then(|| view! { <InviteForm locale role_list version /> })}
        <section class="dash-section" aria-labelledby="team-heading">
            <MemberTable locale me can_manage member_list role_list version org_name=org.name.clone() />
        </section>
        <section class="dash-section" aria-labelledby="invitations-heading">
            <h2 id="invitations-heading">{tr(locale, "Invitaciones pendientes", "Open invitations")}</h2>
            {move || match invitation_list.get() {
                None => view! { <Loading locale /> }.into_any(),
                Some(Ok(list)) => view! { <InvitationList locale list /> }.into_any(),
                Some(Err(err)) => {
                    view! { <p class="notice notice-error" role="alert">{describe(&err, locale)}</p> }.into_any()
                }
            }}
        </section>
    }
    .into_any()
}

/// Which action of a member row failed (its error shows next to the control that caused it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RowAction {
    ChangeRole,
    Remove,
}

/// The members table, with a role picker and a remove button per member for managers.
#[component]
fn MemberTable(
    locale: Locale,
    me: String,
    can_manage: bool,
    member_list: ReadSignal<Option<Result<Vec<MemberView>, ApiError>>>,
    role_list: ReadSignal<Option<Result<Vec<RoleView>, ApiError>>>,
    version: RwSignal<u32>,
    org_name: String,
) -> impl IntoView {
    let change = ServerAction::<ChangeMemberRole>::new();
    let remove = ServerAction::<RemoveMember>::new();
    // The row whose action is running, the row asking for confirmation, and the last row error.
    let busy = RwSignal::new(None::<String>);
    let confirming = RwSignal::new(None::<String>);
    let row_error = RwSignal::new(None::<(String, RowAction, String)>);
    let status = RwSignal::new(String::new());

    Effect::new(move |_| {
        let Some(result) = change.value().get() else { return };
        let id = busy.get_untracked().unwrap_or_default();
        busy.set(None);
        match result {
            Ok(()) => status.set(tr(locale, "Rol actualizado.", "Role updated.").to_owned()),
            Err(err) => row_error.set(Some((id, RowAction::ChangeRole, describe(&err, locale)))),
        }
        // Reload either way: after a refusal the picker shows the role the member really has.
        version.update(|v| *v += 1);
    });
    let me_for_remove = me.clone();
    let reload = SessionReload::get();
    Effect::new(move |_| {
        let Some(result) = remove.value().get() else { return };
        let id = busy.get_untracked().unwrap_or_default();
        busy.set(None);
        confirming.set(None);
        match result {
            Ok(()) if id == me_for_remove => reload.to("/dashboard"),
            Ok(()) => {
                status.set(tr(locale, "Miembro quitado.", "Member removed.").to_owned());
                version.update(|v| *v += 1);
            }
            Err(err) => row_error.set(Some((id, RowAction::Remove, describe(&err, locale)))),
        }
    });

    let rows = move || {
        let Some(list) = member_list.get() else { return view! { <Loading locale /> }.into_any() };
        let options = role_names(role_list.get());
        match list {
            Ok(list) => {
                let rows = list
                    .into_iter()
                    .map(|member| {
                        let is_me = member.user_id == me;
                        let row = RowCtx { locale, change, remove, busy, confirming, row_error, status };
                        view! { <MemberRow member is_me can_manage options=options.clone() org_name=org_name.clone() row /> }
                    })
                    .collect_view();
                view! {
                    <div class="table-wrap">
                        <table class="data-table" data-testid="members-table">
                            <caption class="visually-hidden">{tr(locale, "Miembros de la organización", "Members of the organization")}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{tr(locale, "Nombre", "Name")}</th>
                                    <th scope="col">{tr(locale, "Correo", "Email")}</th>
                                    <th scope="col">{tr(locale, "Rol", "Role")}</th>
                                    <th scope="col">{tr(locale, "Miembro desde", "Member since")}</th>
                                    <th scope="col"><span class="visually-hidden">{tr(locale, "Acciones", "Actions")}</span></th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                }
                .into_any()
            }
            Err(err) => {
                view! { <p class="notice notice-error" role="alert">{describe(&err, locale)}</p> }.into_any()
            }
        }
    };
    view! {
        <div class="section-head">
            <h2 id="team-heading">{tr(locale, "Equipo", "Team")}</h2>
            <p class="quiet-status" role="status">{move || status.get()}</p>
        </div>
        {rows}
    }
}

/// What every member row shares: the actions and the page's row state.
#[derive(Clone, Copy)]
struct RowCtx {
    locale: Locale,
    change: ServerAction<ChangeMemberRole>,
    remove: ServerAction<RemoveMember>,
    busy: RwSignal<Option<String>>,
    confirming: RwSignal<Option<String>>,
    row_error: RwSignal<Option<(String, RowAction, String)>>,
    status: RwSignal<String>,
}

#[component]
fn MemberRow(
    member: MemberView,
    is_me: bool,
    can_manage: bool,
    options: Vec<String>,
    org_name: String,
    row: RowCtx,
) -> impl IntoView {
    let RowCtx { locale, change, remove, busy, confirming, row_error, status } = row;
    let id = member.user_id.clone();
    let display = if member.name.trim().is_empty() { member.email.clone() } else { member.name.clone() };
    let is_row = {
        let id = id.clone();
        move |other: Option<&str>| other == Some(id.as_str())
    };
    let row_busy = Memo::new({
        let is_row = is_row.clone();
        move |_| busy.with(|b| is_row(b.as_deref()))
    });
    let asking = Memo::new({
        let is_row = is_row.clone();
        move |_| confirming.with(|c| is_row(c.as_deref()))
    });
    let error_of = move |action: RowAction| {
        let is_row = is_row.clone();
        Memo::new(move |_| {
            row_error.with(|e| {
                e.as_ref()
                    .filter(|(who, what, _)| is_row(Some(who)) && *what == action)
                    .map(|(_, _, m)| m.clone())
            })
        })
    };
    let change_error = error_of(RowAction::ChangeRole);
    let remove_error = error_of(RowAction::Remove);

    let role_cell = if can_manage {
        let select_id = format!("role-{id}");
        let note_id = format!("role-{id}-note");
        let mut options = options;
        if !options.contains(&member.role) {
            options.push(member.role.clone());
        }
        let current = member.role.clone();
        let on_change = {
            let id = id.clone();
            move |ev: leptos::ev::Event| {
                row_error.set(None);
                status.set(String::new());
                busy.set(Some(id.clone()));
                change.dispatch(ChangeMemberRole { user_id: id.clone(), role: event_target_value(&ev) });
            }
        };
        view! {
            <select
                id=select_id
                class="inline-select"
                aria-label=format!("{} {display}", tr(locale, "Rol de", "Role of"))
                aria-describedby=note_id.clone()
                aria-invalid=move || change_error.with(Option::is_some).to_string()
                disabled=row_busy
                on:change=on_change
            >
                {options
                    .into_iter()
                    .map(|name| {
                        let selected = name == current;
                        view! { <option value=name.clone() selected=selected>{role_label(&name, locale)}</option> }
                    })
                    .collect_view()}
            </select>
            <p id=note_id class="field-error row-note" role="alert" hidden=move || change_error.with(Option::is_none)>
                {move || change_error.get().unwrap_or_default()}
            </p>
        }
        .into_any()
    } else {
        view! { <span class="badge">{role_label(&member.role, locale)}</span> }.into_any()
    };

    let actions = (can_manage || is_me).then(|| {
        // (first click, confirming click, while running); the accessible name adds whom.
        let (verb, confirm_verb, running, whom) = if is_me {
            let whom = match locale {
                Locale::Es => format!("de {org_name}"),
                Locale::En => org_name.clone(),
            };
            (
                tr(locale, "Salir", "Leave"),
                tr(locale, "Sí, salir", "Yes, leave"),
                tr(locale, "Saliendo…", "Leaving…"),
                whom,
            )
        } else {
            let whom = match locale {
                Locale::Es => format!("a {display}"),
                Locale::En => display.clone(),
            };
            (
                tr(locale, "Quitar", "Remove"),
                tr(locale, "Sí, quitar", "Yes, remove"),
                tr(locale, "Quitando…", "Removing…"),
                whom,
            )
        };
        let label = move || match (row_busy.get(), asking.get()) {
            (true, _) => running,
            (false, true) => confirm_verb,
            (false, false) => verb,
        };
        let on_click = {
            let id = id.clone();
            move |_| {
                if asking.get_untracked() {
                    row_error.set(None);
                    status.set(String::new());
                    busy.set(Some(id.clone()));
                    remove.dispatch(RemoveMember { user_id: id.clone() });
                } else {
                    confirming.set(Some(id.clone()));
                }
            }
        };
        view! {
            <div class="row-actions">
                <button
                    type="button"
                    class="button button-danger"
                    aria-label=move || format!("{} {whom}", label())
                    aria-busy=move || row_busy.get().to_string()
                    disabled=row_busy
                    on:click=on_click
                >
                    {label}
                </button>
                <Show when=move || asking.get() && !row_busy.get()>
                    <button type="button" class="button button-quiet" on:click=move |_| confirming.set(None)>
                        {tr(locale, "Cancelar", "Cancel")}
                    </button>
                </Show>
            </div>
            <p class="field-error row-note" role="alert" hidden=move || remove_error.with(Option::is_none)>
                {move || remove_error.get().unwrap_or_default()}
            </p>
        }
    });

    let joined = member.joined_at.clone();
    view! {
        <tr>
            <th scope="row" data-label=tr(locale, "Nombre", "Name")>
                {display.clone()}
                {is_me.then(|| view! { " " <span class="badge badge-soft">{tr(locale, "tú", "you")}</span> })}
            </th>
            <td data-label=tr(locale, "Correo", "Email") class="cell-email">{member.email.clone()}</td>
            <td data-label=tr(locale, "Rol", "Role")>{role_cell}</td>
            <td data-label=tr(locale, "Miembro desde", "Member since")>
                <time datetime=joined.clone()>{format_date(&joined, locale)}</time>
            </td>
            <td class="cell-actions">{actions}</td>
        </tr>
    }
}

/// The invite form: an email and a role, then a link by email.
#[component]
fn InviteForm(
    locale: Locale,
    role_list: ReadSignal<Option<Result<Vec<RoleView>, ApiError>>>,
    version: RwSignal<u32>,
) -> impl IntoView {
    let email = RwSignal::new(String::new());
    let role = RwSignal::new(BuiltinRole::Editor.name().to_owned());
    let errors = RwSignal::new(FormErrors::default());
    let sent_to = RwSignal::new(None::<String>);
    let action = ServerAction::<Invite>::new();
    Effect::new(move |_| match action.value().get() {
        Some(Ok(invitation)) => {
            sent_to.set(Some(invitation.email));
            email.set(String::new());
            version.update(|v| *v += 1);
        }
        Some(Err(err)) => errors.set(page_errors(&err, locale)),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(FormErrors::default());
        sent_to.set(None);
        action
            .dispatch(Invite { email: email.get_untracked().trim().to_owned(), role: role.get_untracked() });
    };
    let role_error = move || errors.with(|e| e.field("role"));
    let role_select = move |names: Vec<String>| {
        view! {
            <select
                id="invite-role"
                name="role"
                aria-describedby="invite-role-note"
                aria-invalid=move || role_error().is_some().to_string()
                on:change=move |ev| role.set(event_target_value(&ev))
            >
                {names
                    .into_iter()
                    .map(|name| {
                        let selected = role.with_untracked(|r| *r == name);
                        view! { <option value=name.clone() selected=selected>{role_label(&name, locale)}</option> }
                    })
                    .collect_view()}
            </select>
        }
    };
    view! {
        <section class="card dash-section" aria-labelledby="invite-heading">
            <h2 id="invite-heading">{tr(locale, "Invitar a alguien", "Invite someone")}</h2>
            <p class="lede-sm">
                {tr(
                    locale,
                    "Le enviaremos un enlace por correo. Vence en 7 días.",
                    "We email them a link. It expires in 7 days.",
                )}
            </p>
            <div role="status">
                {move || sent_to.get().map(|to| view! {
                    <p class="notice notice-success" data-testid="invite-sent">
                        {tr(locale, "Invitación enviada a ", "Invitation sent to ")}<strong>{to}</strong>"."
                    </p>
                })}
            </div>
            <form class="invite-form" on:submit=submit novalidate>
                <FormAlert errors />
                <div class="invite-fields">
                    <Field id="email" label=tr(locale, "Correo", "Email") kind="email" autocomplete="off" value=email errors />
                    <div class="field">
                        <label for="invite-role">{tr(locale, "Rol", "Role")}</label>
                        {move || role_select(role_names(role_list.get()))}
                        <p id="invite-role-note" class=move || if role_error().is_some() { "hint field-error" } else { "hint" }>
                            {move || role_error().unwrap_or_default()}
                        </p>
                    </div>
                </div>
                <div class="form-actions">
                    <Submit
                        label=tr(locale, "Enviar invitación", "Send invitation")
                        busy_label=tr(locale, "Enviando…", "Sending…")
                        pending=action.pending().into()
                    />
                </div>
            </form>
        </section>
    }
}

/// The open invitations, or a sentence saying there are none.
#[component]
fn InvitationList(locale: Locale, list: Vec<InvitationView>) -> impl IntoView {
    if list.is_empty() {
        return view! {
            <p class="empty-state">{tr(locale, "No hay invitaciones pendientes.", "There are no open invitations.")}</p>
        }
        .into_any();
    }
    view! {
        <ul class="plain-list" data-testid="invitations">
            {list
                .into_iter()
                .map(|invitation| {
                    let expires = match locale {
                        Locale::Es => format!("Vence el {}", format_date(&invitation.expires_at, locale)),
                        Locale::En => format!("Expires {}", format_date(&invitation.expires_at, locale)),
                    };
                    view! {
                        <li class="list-row">
                            <span class="list-main">{invitation.email.clone()}</span>
                            <span class="badge">{role_label(&invitation.role, locale)}</span>
                            <time class="list-meta" datetime=invitation.expires_at.clone()>{expires}</time>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

/// The role names to offer: the organization's roles, or the built-in ones if they cannot be read
/// (a member may manage members without reading roles).
fn role_names(list: Option<Result<Vec<RoleView>, ApiError>>) -> Vec<String> {
    match list {
        Some(Ok(list)) if !list.is_empty() => list.into_iter().map(|r| r.name).collect(),
        _ => BuiltinRole::ALL.iter().map(|r| r.name().to_owned()).collect(),
    }
}

/// Loads `fetch()` in the browser once the page has hydrated, and again whenever `track` reports a
/// change; `None` until the first answer, then the latest answer (an older one arriving late is
/// dropped). The server renders the `None` state.
///
/// Not a `Resource` on purpose: the dashboard shell renders its pages inside a `Suspense`
/// closure, which the server runs more than once, so resources created by a page are created and
/// serialized twice and the browser may hydrate from the discarded copy.
pub(crate) fn load_in_browser<T, Fut>(
    track: impl Fn() + 'static,
    fetch: impl Fn() -> Fut + 'static,
) -> ReadSignal<Option<T>>
where
    T: Send + Sync + 'static,
    Fut: std::future::Future<Output = T> + 'static,
{
    let data = RwSignal::new(None);
    let latest = StoredValue::new(0_u64);
    Effect::new(move |_| {
        track();
        let ticket = latest.get_value() + 1;
        latest.set_value(ticket);
        let answer = fetch();
        leptos::task::spawn_local(async move {
            let answer = answer.await;
            if latest.try_get_value() == Some(ticket) {
                data.try_set(Some(answer));
            }
        });
    });
    data.read_only()
}

/// The loading line of a list.
#[component]
pub(crate) fn Loading(locale: Locale) -> impl IntoView {
    view! { <p class="loading" role="status">{tr(locale, "Cargando…", "Loading…")}</p> }
}

/// Shown by the organization pages while no organization is active.
#[component]
pub(crate) fn NoOrganization(locale: Locale) -> impl IntoView {
    view! {
        <div class="notice notice-info">
            <p>{tr(locale, "Primero crea o elige una organización.", "First create or choose an organization.")}</p>
            <p><a href="/dashboard">{tr(locale, "Ir al inicio del panel", "Go to the dashboard home")}</a></p>
        </div>
    }
}

/// An RFC 3339 timestamp as a date for people: "5 de marzo de 2025" / "March 5, 2025".
#[must_use]
pub(crate) fn format_date(rfc3339: &str, locale: Locale) -> String {
    const ES: [&str; 12] = [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ];
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let parts = || -> Option<(u32, usize, u32)> {
        let year = rfc3339.get(0..4)?.parse().ok()?;
        let month: usize = rfc3339.get(5..7)?.parse().ok()?;
        let day = rfc3339.get(8..10)?.parse().ok()?;
        (1..=12).contains(&month).then_some((year, month - 1, day))
    };
    match (parts(), locale) {
        (Some((year, month, day)), Locale::Es) => format!("{day} de {} de {year}", ES[month]),
        (Some((year, month, day)), Locale::En) => format!("{} {day}, {year}", EN[month]),
        (None, _) => rfc3339.to_owned(),
    }
}

/// [`FormErrors::from_api`] with indexed field names (`permissions[2]`) folded into their field
/// (`permissions`).
#[must_use]
pub(crate) fn page_errors(err: &ApiError, locale: Locale) -> FormErrors {
    let mut errors = FormErrors::from_api(err, locale);
    let mut fields = std::collections::BTreeMap::new();
    for (key, problem) in errors.fields {
        let key = key.split('[').next().unwrap_or_default().to_owned();
        fields.entry(key).or_insert(problem);
    }
    errors.fields = fields;
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_naturally() {
        assert_eq!(format_date("2025-03-05T10:00:00+00:00", Locale::Es), "5 de marzo de 2025");
        assert_eq!(format_date("2025-12-31T23:59:59Z", Locale::En), "December 31, 2025");
        assert_eq!(format_date("garbage", Locale::En), "garbage");
    }
}
