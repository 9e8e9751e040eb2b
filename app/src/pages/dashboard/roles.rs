//! `/dashboard/roles`: the organization's roles — the four built-in ones (fixed) and custom ones,
//! which members with `roles:manage` create and edit with a permission grid and inheritance.

use std::collections::BTreeSet;

use crate::components::head::PageTitle;
use contracts::organizations::RoleView;
use contracts::permissions::{BuiltinRole, CATALOG, Permission, PermissionInfo, PermissionPattern};
use contracts::{ApiError, Locale};
use leptos::html::H2;
use leptos::prelude::*;

use crate::api::orgs::{DeleteRole, SaveRole, roles};
use crate::components::form::{Field, FormAlert, FormErrors, Submit, describe};
use crate::i18n::tr;
use crate::pages::dashboard::DashboardCtx;
use crate::pages::dashboard::members::{Loading, NoOrganization, load_in_browser, page_errors};

/// Which role the editor is working on: a new one (`id: None`) or a saved custom role.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Draft {
    id: Option<String>,
    /// The name as saved (the heading keeps it while the name field is being edited).
    saved_name: Option<String>,
}

/// The editor's fields, shared by the list (which opens the editor) and the editor.
#[derive(Clone, Copy)]
struct EditorState {
    draft: RwSignal<Option<Draft>>,
    name: RwSignal<String>,
    patterns: RwSignal<BTreeSet<String>>,
    inherits: RwSignal<BTreeSet<String>>,
    errors: RwSignal<FormErrors>,
    heading: NodeRef<H2>,
}

impl EditorState {
    /// Opens the editor on `role` (or on a blank new role) and moves focus to it.
    fn open(self, role: Option<&RoleView>) {
        self.errors.set(FormErrors::default());
        self.name.set(role.map(|r| r.name.clone()).unwrap_or_default());
        self.patterns.set(role.map(|r| r.permissions.iter().cloned().collect()).unwrap_or_default());
        self.inherits.set(role.map(|r| r.inherits.iter().cloned().collect()).unwrap_or_default());
        self.draft.set(Some(Draft {
            id: role.and_then(|r| r.id.clone()),
            saved_name: role.map(|r| r.name.clone()),
        }));
        let heading = self.heading;
        request_animation_frame(move || {
            if let Some(h) = heading.get_untracked() {
                let _ = h.focus();
            }
        });
    }
}

/// The roles page.
#[component]
pub fn Page() -> impl IntoView {
    let ctx = expect_context::<DashboardCtx>();
    let locale = ctx.locale;
    let heading = view! {
        <PageTitle text=tr(locale, "Roles — mibio", "Roles — mibio") />
        <h1>{tr(locale, "Roles", "Roles")}</h1>
    };
    if ctx.session.organization.is_none() {
        return view! { {heading} <NoOrganization locale /> }.into_any();
    }
    let can_manage = ctx.can("roles:manage");
    let version = RwSignal::new(0_u32);
    let role_list = load_in_browser(move || version.track(), roles);
    // The loaded roles, for the editor's inheritance choices.
    let known = Signal::derive(move || {
        role_list.with(|l| l.as_ref().and_then(|r| r.as_ref().ok()).cloned().unwrap_or_default())
    });
    let editor = EditorState {
        draft: RwSignal::new(None),
        name: RwSignal::new(String::new()),
        patterns: RwSignal::new(BTreeSet::new()),
        inherits: RwSignal::new(BTreeSet::new()),
        errors: RwSignal::new(FormErrors::default()),
        heading: NodeRef::new(),
    };
    let status = RwSignal::new(String::new());

    view! {
        {heading}
        <p class="lede-sm">
            {if can_manage {
                tr(
                    locale,
                    "Un rol dice qué puede hacer cada miembro. Los predefinidos no se editan; crea los tuyos a medida.",
                    "A role says what each member may do. The built-in ones are fixed; create your own to fit.",
                )
            } else {
                tr(
                    locale,
                    "Un rol dice qué puede hacer cada miembro. Tu rol te permite verlos, no cambiarlos.",
                    "A role says what each member may do. Your role lets you see them, not change them.",
                )
            }}
        </p>
        <RoleList locale can_manage role_list version editor status />
        {can_manage.then(|| view! {
            <Show when=move || editor.draft.with(Option::is_some)>
                <RoleEditor locale known editor version status />
            </Show>
        })}
    }
    .into_any()
}

/// The list of roles, with edit and delete (with undo) for custom ones.
#[component]
fn RoleList(
    locale: Locale,
    can_manage: bool,
    role_list: ReadSignal<Option<Result<Vec<RoleView>, ApiError>>>,
    version: RwSignal<u32>,
    editor: EditorState,
    status: RwSignal<String>,
) -> impl IntoView {
    let errors = RwSignal::new(FormErrors::default());
    let delete = ServerAction::<DeleteRole>::new();
    let restore = ServerAction::<SaveRole>::new();
    // The role being deleted, then the last deleted one (what "undo" brings back).
    let deleting = RwSignal::new(None::<RoleView>);
    let deleted = RwSignal::new(None::<RoleView>);
    Effect::new(move |_| {
        let Some(result) = delete.value().get() else { return };
        let role = deleting.get_untracked();
        deleting.set(None);
        match result {
            Ok(()) => {
                if let Some(role) = &role
                    && editor
                        .draft
                        .with_untracked(|d| d.as_ref().is_some_and(|d| d.id.is_some() && d.id == role.id))
                {
                    editor.draft.set(None);
                }
                status.set(String::new());
                deleted.set(role);
                version.update(|v| *v += 1);
            }
            Err(err) => {
                errors.set(FormErrors { general: Some(describe(&err, locale)), ..FormErrors::default() })
            }
        }
    });
    Effect::new(move |_| {
        let Some(result) = restore.value().get() else { return };
        match result {
            Ok(role) => {
                deleted.set(None);
                let text = match locale {
                    Locale::Es => format!("Rol «{}» restaurado.", role.name),
                    Locale::En => format!("Role “{}” restored.", role.name),
                };
                status.set(text);
                version.update(|v| *v += 1);
            }
            Err(err) => errors.set(page_errors(&err, locale)),
        }
    });
    let undo = move |_| {
        if let Some(role) = deleted.get_untracked() {
            errors.set(FormErrors::default());
            restore.dispatch(SaveRole {
                id: None,
                name: role.name,
                permissions: role.permissions,
                inherits: role.inherits,
            });
        }
    };

    let table = move |list: Vec<RoleView>| {
        let rows = list
            .into_iter()
            .map(|role| {
                let label = role_label(&role.name, locale);
                let what = if role.builtin {
                    view! { <span>{role_summary(&role.name, locale)}</span> }.into_any()
                } else if role.permissions.is_empty() {
                    view! { <span class="muted">{tr(locale, "Solo lo heredado", "Only what it inherits")}</span> }.into_any()
                } else {
                    view! {
                        <ul class="code-list">
                            {role.permissions.iter().map(|p| view! { <li><code>{p.clone()}</code></li> }).collect_view()}
                        </ul>
                    }
                    .into_any()
                };
                let inherits = if role.inherits.is_empty() {
                    tr(locale, "Ninguno", "None").to_owned()
                } else {
                    role.inherits.iter().map(|r| role_label(r, locale)).collect::<Vec<_>>().join(", ")
                };
                let actions = (can_manage && !role.builtin).then(|| {
                    let for_edit = role.clone();
                    let for_delete = role.clone();
                    let deleting_this = {
                        let id = role.id.clone();
                        move || deleting.with(|d| d.as_ref().is_some_and(|d| d.id == id))
                    };
                    let (edit_name, delete_name) = match locale {
                        Locale::Es => (format!("Editar el rol {label}"), format!("Eliminar el rol {label}")),
                        Locale::En => (format!("Edit the {label} role"), format!("Delete the {label} role")),
                    };
                    view! {
                        <div class="row-actions">
                            <button type="button" class="button button-quiet" aria-label=edit_name on:click=move |_| editor.open(Some(&for_edit))>
                                {tr(locale, "Editar", "Edit")}
                            </button>
                            <button
                                type="button"
                                class="button button-danger"
                                aria-label=delete_name
                                disabled=deleting_this.clone()
                                aria-busy=move || deleting_this().to_string()
                                on:click=move |_| {
                                    errors.set(FormErrors::default());
                                    deleted.set(None);
                                    deleting.set(Some(for_delete.clone()));
                                    if let Some(id) = for_delete.id.clone() {
                                        delete.dispatch(DeleteRole { id });
                                    }
                                }
                            >
                                {tr(locale, "Eliminar", "Delete")}
                            </button>
                        </div>
                    }
                });
                view! {
                    <tr>
                        <th scope="row" data-label=tr(locale, "Rol", "Role")>
                            {label.clone()}
                            {role.builtin.then(|| view! { " " <span class="badge badge-soft">{tr(locale, "Predefinido", "Built-in")}</span> })}
                        </th>
                        <td data-label=tr(locale, "Qué permite", "What it allows")>{what}</td>
                        <td data-label=tr(locale, "Hereda de", "Inherits from")>{inherits}</td>
                        <td class="cell-actions">{actions}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-wrap">
                <table class="data-table" data-testid="roles-table">
                    <caption class="visually-hidden">{tr(locale, "Roles de la organización", "Roles of the organization")}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{tr(locale, "Rol", "Role")}</th>
                            <th scope="col">{tr(locale, "Qué permite", "What it allows")}</th>
                            <th scope="col">{tr(locale, "Hereda de", "Inherits from")}</th>
                            <th scope="col"><span class="visually-hidden">{tr(locale, "Acciones", "Actions")}</span></th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
    };

    view! {
        <section class="dash-section" aria-labelledby="roles-heading">
            <div class="section-head">
                <h2 id="roles-heading">{tr(locale, "Roles de la organización", "The organization's roles")}</h2>
                {can_manage.then(|| view! {
                    <button type="button" class="button button-primary" on:click=move |_| editor.open(None)>
                        {tr(locale, "Nuevo rol", "New role")}
                    </button>
                })}
            </div>
            <FormAlert errors />
            <div role="status" class="quiet-status">
                {move || match deleted.get() {
                    Some(role) => {
                        let text = match locale {
                            Locale::Es => format!("Rol «{}» eliminado.", role.name),
                            Locale::En => format!("Role “{}” deleted.", role.name),
                        };
                        view! {
                            <span class="undo-bar">
                                {text}" "
                                <button type="button" class="button button-quiet" disabled=restore.pending() on:click=undo>
                                    {tr(locale, "Deshacer", "Undo")}
                                </button>
                            </span>
                        }
                        .into_any()
                    }
                    None => view! { <span>{move || status.get()}</span> }.into_any(),
                }}
            </div>
            {move || match role_list.get() {
                None => view! { <Loading locale /> }.into_any(),
                Some(Ok(list)) => table(list).into_any(),
                Some(Err(err)) => {
                    view! { <p class="notice notice-error" role="alert">{describe(&err, locale)}</p> }.into_any()
                }
            }}
        </section>
    }
}

/// The editor of a custom role: name, permission grid, inheritance.
#[component]
fn RoleEditor(
    locale: Locale,
    known: Signal<Vec<RoleView>>,
    editor: EditorState,
    version: RwSignal<u32>,
    status: RwSignal<String>,
) -> impl IntoView {
    let EditorState { draft, name, patterns, inherits, errors, heading } = editor;
    let save = ServerAction::<SaveRole>::new();
    // What was last saved (name, permissions, parents): "Saved" shows while the form still says so.
    let last_saved = RwSignal::new(None::<(String, Vec<String>, Vec<String>)>);
    let current = move || {
        (
            name.with(|n| n.trim().to_owned()),
            patterns.with(normalized),
            inherits.with(|i| i.iter().cloned().collect()),
        )
    };
    let saved = move || last_saved.with(|s| s.as_ref().is_some_and(|s| *s == current()));
    Effect::new(move |_| match save.value().get() {
        Some(Ok(role)) => {
            draft.set(Some(Draft { id: role.id.clone(), saved_name: Some(role.name.clone()) }));
            let (mut permissions, mut parents) = (role.permissions, role.inherits);
            permissions.sort();
            parents.sort();
            last_saved.set(Some((role.name, permissions, parents)));
            status.set(String::new());
            version.update(|v| *v += 1);
        }
        Some(Err(err)) => {
            errors.set(page_errors(&err, locale));
            request_animation_frame(move || show_first_problem(heading));
        }
        None => {}
    });

    // What the chosen parents grant, per parent: (role, patterns).
    let inherited = Memo::new(move |_| {
        let roles = known.get();
        let own = draft.with(|d| d.as_ref().and_then(|d| d.saved_name.clone()));
        inherits.with(|parents| {
            parents
                .iter()
                .map(|parent| {
                    let mut seen: BTreeSet<String> = own.iter().cloned().collect();
                    (parent.clone(), resolved(parent, &roles, &mut seen))
                })
                .collect::<Vec<_>>()
        })
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(FormErrors::default());
        last_saved.set(None);
        let id = draft.with_untracked(|d| d.as_ref().and_then(|d| d.id.clone()));
        save.dispatch(SaveRole {
            id,
            name: name.get_untracked().trim().to_owned(),
            permissions: patterns.with_untracked(normalized),
            inherits: inherits.get_untracked().into_iter().collect(),
        });
    };
    let title = move || {
        draft.with(|d| match d.as_ref().and_then(|d| d.saved_name.clone()) {
            Some(saved_name) => match locale {
                Locale::Es => format!("Editar el rol «{saved_name}»"),
                Locale::En => format!("Edit the “{saved_name}” role"),
            },
            None => tr(locale, "Nuevo rol", "New role").to_owned(),
        })
    };
    let permissions_error = move || errors.with(|e| e.field("permissions"));
    let inherits_error = move || errors.with(|e| e.field("inherits"));

    let groups = CATALOG
        .chunk_by(|a, b| a.permission.resource() == b.permission.resource())
        .map(|group| view! { <PermissionGroup locale group patterns inherited /> })
        .collect_view();

    let parents = move || {
        let own_id = draft.with(|d| d.as_ref().and_then(|d| d.id.clone()));
        let own_name = draft.with(|d| d.as_ref().and_then(|d| d.saved_name.clone()));
        known
            .get()
            .into_iter()
            .filter(|r| (own_id.is_none() || r.id != own_id) && Some(&r.name) != own_name.as_ref())
            .map(|role| {
                let input_id = format!("inherit-{}", role.name);
                let checked = {
                    let name = role.name.clone();
                    move || inherits.with(|i| i.contains(&name))
                };
                let toggle = {
                    let name = role.name.clone();
                    move |ev: leptos::ev::Event| {
                        let on = event_target_checked(&ev);
                        inherits.update(|i| {
                            if on {
                                i.insert(name.clone());
                            } else {
                                i.remove(&name);
                            }
                        });
                    }
                };
                let summary = if role.builtin {
                    role_summary(&role.name, locale).to_owned()
                } else {
                    role.permissions.join(", ")
                };
                view! {
                    <div class="check">
                        <input type="checkbox" id=input_id.clone() prop:checked=checked on:change=toggle />
                        <label for=input_id>
                            <span class="check-title">{role_label(&role.name, locale)}</span>
                            <span class="check-note">{summary}</span>
                        </label>
                    </div>
                }
            })
            .collect_view()
    };

    view! {
        <section class="card dash-section role-editor" aria-labelledby="role-editor-heading">
            <h2 id="role-editor-heading" tabindex="-1" node_ref=heading>{title}</h2>
            <form id="role-editor-form" on:submit=submit novalidate>
                <FormAlert errors />
                <div class="narrow">
                    <Field
                        id="name"
                        label=tr(locale, "Nombre del rol", "Role name")
                        hint=tr(
                            locale,
                            "Minúsculas sin tildes, números, «-» y «_». Por ejemplo: asistente.",
                            "Lowercase letters, digits, “-” and “_”. For example: assistant.",
                        )
                        autocomplete="off"
                        value=name
                        errors
                    />
                </div>
                <fieldset class="field perm-fieldset" aria-describedby="permissions-note">
                    <legend>{tr(locale, "Permisos", "Permissions")}</legend>
                    <p id="permissions-note" class=move || if permissions_error().is_some() { "hint field-error" } else { "hint" }>
                        {move || permissions_error().unwrap_or_else(|| tr(
                            locale,
                            "Marca lo que este rol puede hacer. Lo que hereda de otros roles ya aparece marcado.",
                            "Tick what this role may do. What it inherits from other roles is already ticked.",
                        ).to_owned())}
                    </p>
                    <div class="perm-grid">{groups}</div>
                </fieldset>
                <fieldset class="field perm-fieldset" aria-describedby="inherits-note">
                    <legend>{tr(locale, "Hereda de", "Inherits from")}</legend>
                    <p id="inherits-note" class=move || if inherits_error().is_some() { "hint field-error" } else { "hint" }>
                        {move || inherits_error().unwrap_or_else(|| tr(
                            locale,
                            "El rol tendrá también todo lo que permiten los roles que marques.",
                            "The role also gets everything the roles you tick allow.",
                        ).to_owned())}
                    </p>
                    <div class="check-list">{parents}</div>
                </fieldset>
                <div class="form-actions">
                    <Submit label=tr(locale, "Guardar rol", "Save role") busy_label=tr(locale, "Guardando…", "Saving…") pending=save.pending().into() />
                    <button type="button" class="button button-quiet" on:click=move |_| draft.set(None)>
                        {tr(locale, "Cerrar", "Close")}
                    </button>
                    <span class="quiet-status" role="status">
                        {move || {
                            if saved() {
                                tr(locale, "Guardado", "Saved")
                            } else if errors.with(|e| e.general.is_some() || !e.fields.is_empty()) {
                                tr(locale, "No se guardó: revisa los avisos marcados.", "Not saved: see the marked problems.")
                            } else {
                                ""
                            }
                        }}
                    </span>
                </div>
            </form>
        </section>
    }
}

/// One resource's permissions: an "everything under it" toggle (`resource:*`, which also covers
/// permissions added later) and a checkbox per permission, each with its description.
#[component]
fn PermissionGroup(
    locale: Locale,
    group: &'static [PermissionInfo],
    patterns: RwSignal<BTreeSet<String>>,
    inherited: Memo<Vec<(String, Vec<PermissionPattern>)>>,
) -> impl IntoView {
    let resource: &'static str = group.first().map_or("", |info| info.permission.resource());
    let wildcard = format!("{resource}:*");
    let wildcard_pattern = PermissionPattern::parse(&wildcard).ok();
    let title = resource_label(resource, locale);
    let all_id = format!("perm-{resource}-all");
    let all_checked = {
        let wildcard = wildcard.clone();
        move || patterns.with(|p| p.contains(&wildcard) || p.contains("*"))
    };
    // Covered without this toggle: by `*` or by a parent role.
    let all_given = {
        let wildcard_pattern = wildcard_pattern.clone();
        move || {
            patterns.with(|p| p.contains("*"))
                || wildcard_pattern.as_ref().is_some_and(|w| {
                    inherited.with(|i| i.iter().any(|(_, ps)| ps.iter().any(|p| p.covers(w))))
                })
        }
    };
    let toggle_all = {
        let wildcard = wildcard.clone();
        move |ev: leptos::ev::Event| {
            let on = event_target_checked(&ev);
            patterns.update(|p| {
                if on {
                    p.insert(wildcard.clone());
                } else {
                    p.remove(&wildcard);
                }
            });
        }
    };
    let all_checked_shown = all_checked.clone();
    let all_given_shown = all_given.clone();
    let items = group
        .iter()
        .map(|info| {
            let code = info.permission.as_str();
            let input_id = format!("perm-{}", code.replace(':', "-"));
            let own_exact = move || patterns.with(|p| p.contains(code));
            // Granted by one of the role's own wildcards.
            let own_wild = move || {
                patterns.with(|p| {
                    p.iter()
                        .filter(|raw| raw.as_str() != code)
                        .filter_map(|raw| raw.parse::<PermissionPattern>().ok())
                        .any(|pattern| pattern.matches(&info.permission))
                })
            };
            // The first parent role granting it.
            let via = move || {
                inherited.with(|i| {
                    i.iter().find(|(_, ps)| ps.iter().any(|p| p.matches(&info.permission))).map(|(r, _)| r.clone())
                })
            };
            let checked = move || own_exact() || own_wild() || via().is_some();
            let disabled = move || own_wild() || (via().is_some() && !own_exact());
            let toggle = move |ev: leptos::ev::Event| {
                let on = event_target_checked(&ev);
                patterns.update(|p| {
                    if on {
                        p.insert(code.to_owned());
                    } else {
                        p.remove(code);
                    }
                });
            };
            let note = move || {
                if own_wild() {
                    Some(tr(locale, "Incluido en «todo»", "Included in “everything”").to_owned())
                } else {
                    via().map(|role| match locale {
                        Locale::Es => format!("Heredado de {}", role_label(&role, locale)),
                        Locale::En => format!("Inherited from {}", role_label(&role, locale)),
                    })
                }
            };
            view! {
                <div class="check">
                    <input type="checkbox" id=input_id.clone() value=code prop:checked=checked prop:disabled=disabled on:change=toggle />
                    <label for=input_id>
                        <span class="check-title">{permission_description(info, locale)}</span>
                        <span class="check-note"><code>{code}</code>{move || note().map(|n| view! { " · " {n} })}</span>
                    </label>
                </div>
            }
        })
        .collect_view();
    view! {
        <fieldset class="perm-group">
            <legend>{title.clone()}</legend>
            <div class="check check-all">
                <input type="checkbox" id=all_id.clone() value=wildcard.clone() prop:checked=all_checked_shown prop:disabled=all_given_shown on:change=toggle_all />
                <label for=all_id>
                    <span class="check-title">
                        {match locale {
                            Locale::Es => format!("Todo en {title}"),
                            Locale::En => format!("Everything in {title}"),
                        }}
                    </span>
                    <span class="check-note">
                        <code>{wildcard.clone()}</code>
                        {tr(locale, " · también lo que se añada más adelante", " · including what is added later")}
                    </span>
                </label>
            </div>
            {items}
        </fieldset>
    }
}

/// After a refused save: focus the first field marked invalid, or else bring the first problem
/// (a permission or inheritance note, or the form's alert) into view from the heading.
fn show_first_problem(heading: NodeRef<H2>) {
    #[cfg(feature = "hydrate")]
    {
        use leptos::wasm_bindgen::JsCast;
        let find = |selector: &str| document().query_selector(selector).ok().flatten();
        if let Some(field) = find("#role-editor-form [aria-invalid='true']")
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = field.focus();
            return;
        }
        if let Some(h) = heading.get_untracked() {
            let _ = h.focus();
        }
        if let Some(problem) =
            find("#role-editor-form .field-error, #role-editor-form .form-alert:not([hidden])")
        {
            problem.scroll_into_view_with_bool(false);
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = heading;
}

/// What a role grants through its own patterns and its parents', depth-first; `seen` stops cycles.
fn resolved(name: &str, roles: &[RoleView], seen: &mut BTreeSet<String>) -> Vec<PermissionPattern> {
    if !seen.insert(name.to_owned()) {
        return Vec::new();
    }
    let Some(role) = roles.iter().find(|r| r.name == name) else {
        return BuiltinRole::from_name(name).map(|b| b.patterns().to_vec()).unwrap_or_default();
    };
    let mut patterns: Vec<PermissionPattern> =
        role.permissions.iter().filter_map(|p| p.parse().ok()).collect();
    for parent in &role.inherits {
        patterns.extend(resolved(parent, roles, seen));
    }
    patterns
}

/// The patterns to save: those no other chosen pattern already covers (`links:read` goes when
/// `links:*` is ticked), sorted.
fn normalized(patterns: &BTreeSet<String>) -> Vec<String> {
    let parsed: Vec<PermissionPattern> = patterns.iter().filter_map(|p| p.parse().ok()).collect();
    patterns
        .iter()
        .filter(|raw| {
            let Ok(own) = raw.parse::<PermissionPattern>() else { return true };
            !parsed.iter().any(|other| *other != own && other.covers(&own))
        })
        .cloned()
        .collect()
}

/// A role's name for people: the built-in ones translated, custom ones as written.
#[must_use]
pub(crate) fn role_label(name: &str, locale: Locale) -> String {
    match BuiltinRole::from_name(name) {
        Some(BuiltinRole::Owner) => tr(locale, "Propietario", "Owner").to_owned(),
        Some(BuiltinRole::Admin) => tr(locale, "Administrador", "Admin").to_owned(),
        Some(BuiltinRole::Editor) => tr(locale, "Editor", "Editor").to_owned(),
        Some(BuiltinRole::Viewer) => tr(locale, "Lector", "Viewer").to_owned(),
        None => name.to_owned(),
    }
}

/// One sentence on what a built-in role allows.
fn role_summary(name: &str, locale: Locale) -> &'static str {
    match BuiltinRole::from_name(name) {
        Some(BuiltinRole::Owner) => tr(
            locale,
            "Todo, incluida la facturación y borrar la organización.",
            "Everything, including billing and deleting the organization.",
        ),
        Some(BuiltinRole::Admin) => tr(
            locale,
            "Todo salvo la facturación y borrar la organización.",
            "Everything except billing and deleting the organization.",
        ),
        Some(BuiltinRole::Editor) => tr(
            locale,
            "Crea y edita páginas y ve los contactos captados.",
            "Creates and edits pages and sees captured leads.",
        ),
        Some(BuiltinRole::Viewer) => {
            tr(locale, "Ve las páginas y sus estadísticas.", "Sees pages and their analytics.")
        }
        None => "",
    }
}

/// The name of a permission group.
fn resource_label(resource: &str, locale: Locale) -> String {
    let (es, en) = match resource {
        "org" => ("Organización", "Organization"),
        "members" => ("Miembros", "Members"),
        "roles" => ("Roles", "Roles"),
        "billing" => ("Facturación", "Billing"),
        "links" => ("Páginas", "Pages"),
        "analytics" => ("Estadísticas", "Analytics"),
        "audit" => ("Auditoría", "Audit log"),
        "flags" => ("Funciones en prueba", "Feature flags"),
        other => return other.to_owned(),
    };
    tr(locale, es, en).to_owned()
}

/// The catalog's permissions described in Spanish (the catalog's own descriptions are English).
const SPANISH: &[(Permission, &str)] = &[
    (Permission::ORG_READ, "Ver el nombre y los ajustes de la organización"),
    (Permission::ORG_UPDATE, "Renombrar la organización y cambiar sus ajustes"),
    (Permission::ORG_DELETE, "Borrar la organización y todo lo que contiene"),
    (Permission::MEMBERS_READ, "Ver quién pertenece a la organización"),
    (Permission::MEMBERS_INVITE, "Invitar a personas por correo"),
    (Permission::MEMBERS_MANAGE, "Cambiar el rol de los miembros y quitarlos"),
    (Permission::ROLES_READ, "Ver los roles de la organización"),
    (Permission::ROLES_MANAGE, "Crear, editar y borrar roles personalizados"),
    (Permission::BILLING_READ, "Ver el plan, las facturas y el uso"),
    (Permission::BILLING_MANAGE, "Cambiar el plan y el medio de pago"),
    (Permission::LINKS_READ, "Ver páginas, bloques y sus estadísticas"),
    (Permission::LINKS_WRITE, "Crear, editar, publicar y borrar páginas y bloques"),
    (Permission::LINKS_LEADS_READ, "Ver los contactos captados por las páginas"),
    (Permission::LINKS_LEADS_EXPORT, "Descargar los contactos en CSV"),
    (Permission::ANALYTICS_READ, "Ver las estadísticas de la organización"),
    (Permission::AUDIT_READ, "Ver el registro de auditoría"),
    (Permission::FLAGS_READ, "Ver las funciones en prueba de la organización"),
];

/// A permission's description in the user's language.
fn permission_description(info: &PermissionInfo, locale: Locale) -> &'static str {
    match locale {
        Locale::En => info.description,
        Locale::Es => SPANISH
            .iter()
            .find(|(permission, _)| *permission == info.permission)
            .map_or(info.description, |(_, es)| es),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(items: &[&str]) -> BTreeSet<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn saving_drops_what_a_wildcard_covers() {
        assert_eq!(normalized(&set(&["links:*", "links:read", "org:read"])), ["links:*", "org:read"]);
        assert_eq!(normalized(&set(&["*", "links:*"])), ["*"]);
        assert_eq!(normalized(&set(&["links:leads:*", "links:leads:read"])), ["links:leads:*"]);
    }

    #[test]
    fn inheritance_resolves_through_custom_and_builtin_roles_without_looping() {
        let role = |name: &str, permissions: &[&str], inherits: &[&str]| RoleView {
            id: Some(name.to_owned()),
            name: name.to_owned(),
            permissions: permissions.iter().map(|s| (*s).to_owned()).collect(),
            inherits: inherits.iter().map(|s| (*s).to_owned()).collect(),
            builtin: false,
        };
        let roles = vec![role("a", &["org:read"], &["b"]), role("b", &["audit:read"], &["a", "viewer"])];
        let got: Vec<String> =
            resolved("a", &roles, &mut BTreeSet::new()).iter().map(ToString::to_string).collect();
        assert_eq!(got, ["org:read", "audit:read", "links:read"]);
    }

    #[test]
    fn every_permission_is_described_in_spanish() {
        for info in CATALOG {
            assert!(
                SPANISH.iter().any(|(permission, _)| *permission == info.permission),
                "{} has no Spanish description",
                info.permission
            );
        }
        assert_eq!(SPANISH.len(), CATALOG.len());
        let export = CATALOG.iter().find(|i| i.permission == Permission::LINKS_LEADS_EXPORT).unwrap();
        assert_eq!(permission_description(export, Locale::Es), "Descargar los contactos en CSV");
        assert_eq!(permission_description(export, Locale::En), "Download leads as CSV");
    }
}
