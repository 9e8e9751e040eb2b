//! `/admin/audit`: the audit log, newest first — who did what, when, to what, in which
//! organization; during a support session both the user and the admin behind them. Filters by
//! action, user, organization and dates live in the URL (shareable; the server renders the first
//! page), and "Load more" follows the cursor.

use crate::components::head::PageTitle;
use contracts::Locale;
use contracts::audit::{AuditEntryView, AuditUser};
use contracts::links::Page as Listed;
use contracts::next::encode_query_value as urlencode;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::admin::{AuditFilter, admin_audit};
use crate::components::form::{FormErrors, describe};
use crate::components::moment::Moment;
use crate::components::toast::toast_error;
use crate::i18n::tr;
use crate::pages::admin::search::More;
use crate::pages::admin::{AdminCtx, LoadError, LoadMore, Loading, display_name};

/// Entries per request.
const BATCH: u16 = 30;

/// Actions worth suggesting in the filter (any event type, or `family.*`, works).
const SUGGESTED: [&str; 14] = [
    "impersonation.*",
    "page.updated",
    "page.*",
    "block.*",
    "membership.*",
    "role.*",
    "organization.created",
    "user.deactivated",
    "user.reactivated",
    "platform_admin.granted",
    "feature_flag.changed",
    "leads.exported",
    "billing.*",
    "subscription.*",
];

/// The filters in the URL.
fn filter_of(query: &leptos_router::params::ParamsMap) -> AuditFilter {
    let get = |name: &str| query.get(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
    AuditFilter {
        actor: get("actor"),
        action: get("action"),
        organization: get("organization"),
        from: get("from"),
        to: get("to"),
    }
}

/// `/admin/audit` with these filters.
fn url_of(filter: &AuditFilter) -> String {
    let query: Vec<String> =
        filter.pairs().into_iter().map(|(k, v)| format!("{k}={}", urlencode(&v))).collect();
    if query.is_empty() { "/admin/audit".to_owned() } else { format!("/admin/audit?{}", query.join("&")) }
}

/// The audit log screen.
#[component]
pub fn Page() -> impl IntoView {
    let locale = expect_context::<AdminCtx>().locale;
    let query = use_query_map();
    let filter = Memo::new(move |_| query.with(filter_of));
    let first = Resource::new(move || filter.get(), |f| admin_audit(f, None, Some(BATCH)));
    let more = More::<AuditEntryView>::new(move || filter.track());
    view! {
        <PageTitle text=tr(locale, "Auditoría — admin — mibio", "Audit log — admin — mibio") />
        <h1>{tr(locale, "Registro de auditoría", "Audit log")}</h1>
        <p class="lede-sm">{tr(locale,
            "Las acciones sensibles y todo lo hecho en sesiones de soporte. No se puede modificar ni borrar.",
            "Sensitive actions, and everything done in support sessions. It cannot be changed or deleted.")}</p>
        <Filters initial=filter.get_untracked() locale />
        <Transition fallback=move || view! { <Loading locale /> }>
            {move || match first.get() {
                None => Either::Left(view! { <Loading locale /> }),
                Some(Err(err)) => Either::Right(Either::Left(view! { <FilterError err locale /> })),
                Some(Ok(page)) => Either::Right(Either::Right(view! { <Entries page more filter locale /> })),
            }}
        </Transition>
    }
}

#[component]
fn FilterError(err: contracts::ApiError, locale: Locale) -> impl IntoView {
    let errors = FormErrors::from_api(&err, locale);
    if errors.fields.is_empty() {
        return Either::Left(view! { <LoadError err locale /> });
    }
    Either::Right(view! {
        <div class="notice notice-error" role="alert">
            <p>{tr(locale, "Revisa los filtros:", "Check the filters:")}</p>
            <ul>
                {errors.fields.into_iter().map(|(field, problem)| view! {
                    <li><strong>{field_label(&field, locale)}</strong>": "{problem}</li>
                }).collect_view()}
            </ul>
        </div>
    })
}

fn field_label(field: &str, locale: Locale) -> String {
    let label = match field {
        "action" => tr(locale, "Acción", "Action"),
        "actor" => tr(locale, "Usuario (correo o ID)", "User (email or ID)"),
        "organization" => tr(locale, "Organización (slug o ID)", "Organization (slug or ID)"),
        "from" => tr(locale, "Desde", "From"),
        "to" => tr(locale, "Hasta", "To"),
        other => return other.to_owned(),
    };
    label.to_owned()
}

#[component]
fn Filters(initial: AuditFilter, locale: Locale) -> impl IntoView {
    let navigate = use_navigate();
    let action = RwSignal::new(initial.action.clone().unwrap_or_default());
    let actor = RwSignal::new(initial.actor.clone().unwrap_or_default());
    let organization = RwSignal::new(initial.organization.clone().unwrap_or_default());
    let from = RwSignal::new(initial.from.clone().unwrap_or_default());
    let to = RwSignal::new(initial.to.clone().unwrap_or_default());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let some = |s: RwSignal<String>| Some(s.get_untracked());
        let filter = AuditFilter {
            action: some(action),
            actor: some(actor),
            organization: some(organization),
            from: some(from),
            to: some(to),
        };
        navigate(&url_of(&filter), leptos_router::NavigateOptions::default());
    };
    let input = move |id: &'static str, label: &'static str, kind: &'static str, value: RwSignal<String>| {
        view! {
            <div class="field">
                <label for=format!("audit-{id}")>{label}</label>
                <input id=format!("audit-{id}") name=id type=kind autocomplete="off" spellcheck="false"
                    list=(id == "action").then_some("audit-actions")
                    prop:value=value on:input=move |ev| value.set(event_target_value(&ev)) />
            </div>
        }
    };
    view! {
        <form class="card adm-filters" method="get" action="/admin/audit" on:submit=submit
            aria-label=tr(locale, "Filtros del registro", "Log filters")>
            <div class="adm-filter-grid">
                {input("action", tr(locale, "Acción", "Action"), "text", action)}
                {input("actor", tr(locale, "Usuario (correo o ID)", "User (email or ID)"), "text", actor)}
                {input("organization", tr(locale, "Organización (slug o ID)", "Organization (slug or ID)"), "text", organization)}
                {input("from", tr(locale, "Desde", "From"), "date", from)}
                {input("to", tr(locale, "Hasta", "To"), "date", to)}
            </div>
            <datalist id="audit-actions">
                {SUGGESTED.iter().map(|a| view! { <option value=*a></option> }).collect_view()}
            </datalist>
            <div class="form-actions">
                <button type="submit" class="button button-primary button-sm">{tr(locale, "Filtrar", "Filter")}</button>
                <a class="button button-quiet button-sm" href="/admin/audit">{tr(locale, "Quitar filtros", "Clear filters")}</a>
            </div>
        </form>
    }
}

#[component]
fn Entries(
    page: Listed<AuditEntryView>,
    more: More<AuditEntryView>,
    filter: Memo<AuditFilter>,
    locale: Locale,
) -> impl IntoView {
    if page.items.is_empty() {
        return Either::Left(view! {
            <p class="empty-state" role="status" data-testid="audit-empty">{tr(locale, "Ninguna entrada coincide con estos filtros.", "No entry matches these filters.")}</p>
        });
    }
    let first_next = page.next_cursor.clone();
    let has_more = Signal::derive({
        let first_next = first_next.clone();
        move || more.cursor(first_next.clone()).is_some()
    });
    let on_more = Callback::new(move |()| {
        let fetch = admin_audit(filter.get_untracked(), more.cursor(first_next.clone()), Some(BATCH));
        more.load(fetch, move |err| toast_error(describe(&err, locale)));
    });
    Either::Right(view! {
        <div class="table-wrap">
            <table class="data-table adm-audit" data-testid="audit-table">
                <caption class="visually-hidden">{tr(locale, "Entradas del registro, las más recientes primero", "Log entries, newest first")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr(locale, "Cuándo", "When")}</th>
                        <th scope="col">{tr(locale, "Acción", "Action")}</th>
                        <th scope="col">{tr(locale, "Quién", "Who")}</th>
                        <th scope="col">{tr(locale, "Sobre qué", "Target")}</th>
                    </tr>
                </thead>
                <tbody>
                    {page.items.into_iter().map(|e| view! { <Entry e locale /> }).collect_view()}
                    {move || more.items.get().into_iter().map(|e| view! { <Entry e locale /> }).collect_view()}
                </tbody>
            </table>
        </div>
        <LoadMore more=has_more loading=more.loading.into() on_more locale />
    })
}

/// A person of an entry: their name and email, linked to their user page.
fn person(user: &AuditUser) -> impl IntoView + use<> {
    let email = user.email.clone().unwrap_or_default();
    let name = display_name(user.name.as_deref().unwrap_or_default(), &email);
    let shown = if name.is_empty() { user.id.clone() } else { name };
    view! {
        <a href=format!("/admin/users/{}", user.id)>{shown}</a>
        {(!email.is_empty()).then(|| view! { " " <span class="adm-email">{email}</span> })}
    }
}

#[component]
fn Entry(e: AuditEntryView, locale: Locale) -> impl IntoView {
    let who = match (&e.actor, &e.impersonator) {
        (None, None) => {
            Either::Left(view! { <span class="muted">{tr(locale, "El sistema", "The system")}</span> })
        }
        (actor, impersonator) => Either::Right(view! {
            {actor.as_ref().map(person)}
            {impersonator.as_ref().filter(|admin| actor.as_ref().is_none_or(|a| a.id != admin.id)).map(|admin| view! {
                <span class="adm-via">
                    <span class="badge badge-admin">{tr(locale, "Sesión de soporte", "Support session")}</span>
                    " " {tr(locale, "por ", "by ")} {person(admin)}
                </span>
            })}
        }),
    };
    let target = e.target_type.clone().map(|kind| {
        let id = e.target_id.clone().unwrap_or_default();
        let short: String = id.chars().take(8).collect();
        view! { {kind} " " <code title=id>{short}</code> }
    });
    let organization = e.organization_id.clone().map(|org| {
        view! {
            <a class="adm-org-link" href=format!("/admin/organizations/{org}")>{tr(locale, "organización", "organization")}</a>
        }
    });
    let details = serde_json::to_string_pretty(&e.metadata).unwrap_or_default();
    view! {
        <tr data-testid="audit-row">
            <td data-label=tr(locale, "Cuándo", "When")><Moment at=e.occurred_at.clone() locale /></td>
            <th scope="row" data-label=tr(locale, "Acción", "Action")>
                <code>{e.action.clone()}</code>
                <details class="adm-details">
                    <summary>{tr(locale, "Detalles", "Details")}</summary>
                    <pre class="adm-pre">{details}</pre>
                </details>
            </th>
            <td data-label=tr(locale, "Quién", "Who") class="cell-email">{who}</td>
            <td data-label=tr(locale, "Sobre qué", "Target")>
                {target.map_or_else(|| Either::Left(view! { <span class="muted">"—"</span> }), Either::Right)}
                {organization.map(|o| view! { <br /> {o} })}
            </td>
        </tr>
    }
}
