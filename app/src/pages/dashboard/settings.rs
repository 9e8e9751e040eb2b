//! `/dashboard/settings`: the signed-in user's own account — name, language, password, and which
//! notification emails they get.

use crate::components::head::PageTitle;
use contracts::Locale;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use contracts::notifications::PreferenceView;
use leptos::either::EitherOf3;

use crate::api::auth::{ChangePassword, RemoveAvatar, UpdateProfile};
use crate::api::notifications::{notification_preferences, set_notification_preference};
use crate::components::client_only::ClientOnly;
use crate::components::form::{Field, FormAlert, FormErrors, Submit, describe};
use crate::components::toast::toast_error;
use crate::components::upload::ImageUpload;
use crate::i18n::{email_kind_hint, email_kind_label, tr};
use crate::pages::dashboard::members::{Loading, load_in_browser};
use crate::pages::dashboard::{DashboardCtx, SessionReload};

/// The account settings page.
#[component]
pub fn Page() -> impl IntoView {
    let ctx = expect_context::<DashboardCtx>();
    let locale = ctx.locale;
    view! {
        <PageTitle text=tr(locale, "Ajustes — mibio", "Settings — mibio") />
        <h1>{tr(locale, "Ajustes de tu cuenta", "Your account settings")}</h1>
        <div class="settings-grid">
            <AvatarForm />
            <ProfileForm />
            <PasswordForm />
            <EmailNotifications />
        </div>
    }
}

/// The profile photo: shown in the header's menu. Uploading or removing reloads the session, so
/// the header follows at once.
#[component]
fn AvatarForm() -> impl IntoView {
    let ctx = expect_context::<DashboardCtx>();
    let locale = ctx.locale;
    let user = ctx.session.user.clone();
    let reload = SessionReload::get();
    let url = RwSignal::new(user.avatar_url.clone());
    let initial = crate::components::user_menu::initial(&user.name);
    let remove = ServerAction::<RemoveAvatar>::new();
    Effect::new(move |_| match remove.value().get() {
        Some(Ok(())) => {
            url.set(None);
            reload.to("/dashboard/settings");
        }
        Some(Err(err)) => toast_error(describe(&err, locale)),
        None => {}
    });
    let uploaded = move |answer: serde_json::Value| {
        url.set(answer["avatarUrl"].as_str().map(str::to_owned));
        reload.to("/dashboard/settings");
    };
    view! {
        <section class="card dash-section" aria-labelledby="avatar-heading">
            <h2 id="avatar-heading">{tr(locale, "Foto de perfil", "Profile photo")}</h2>
            <div class="avatar-edit">
                {move || match url.get() {
                    Some(src) => view! { <img class="avatar-large" src=src alt=tr(locale, "Tu foto", "Your photo") width="72" height="72" data-testid="account-avatar" /> }.into_any(),
                    None => view! { <span class="avatar-large" aria-hidden="true">{initial.clone()}</span> }.into_any(),
                }}
                <div class="avatar-actions">
                    <ImageUpload
                        endpoint="/api/v1/me/avatar".to_owned()
                        id="account-avatar-file"
                        label=tr(locale, "Subir foto", "Upload photo")
                        locale
                        on_done=uploaded
                    />
                    {move || url.get().is_some().then(|| view! {
                        <button
                            type="button"
                            class="button button-quiet"
                            disabled=move || remove.pending().get()
                            on:click=move |_| { remove.dispatch(RemoveAvatar {}); }
                        >
                            {tr(locale, "Quitar foto", "Remove photo")}
                        </button>
                    })}
                </div>
            </div>
        </section>
    }
}

/// Name and language. Saving reloads the page so the whole interface follows the new language.
#[component]
fn ProfileForm() -> impl IntoView {
    let ctx = expect_context::<DashboardCtx>();
    let locale = ctx.locale;
    let user = ctx.session.user.clone();
    let query = use_query_map();
    let just_saved = move || query.read().get("saved").is_some();
    let reload = SessionReload::get();
    let name = RwSignal::new(user.name.clone());
    let language = RwSignal::new(user.locale);
    let errors = RwSignal::new(FormErrors::default());
    let action = ServerAction::<UpdateProfile>::new();
    Effect::new(move |_| match action.value().get() {
        // The header shows the new name once the session is loaded again.
        Some(Ok(_)) => reload.to("/dashboard/settings?saved=1"),
        Some(Err(err)) => errors.set(FormErrors::from_api(&err, locale)),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(FormErrors::default());
        action.dispatch(UpdateProfile {
            name: name.get_untracked().trim().to_owned(),
            locale: language.get_untracked(),
        });
    };
    let language_error = move || errors.with(|e| e.field("locale"));
    view! {
        <section class="card dash-section" aria-labelledby="profile-heading">
            <h2 id="profile-heading">{tr(locale, "Perfil", "Profile")}</h2>
            <div role="status">
                {move || just_saved().then(|| view! {
                    <p class="notice notice-success">{tr(locale, "Cambios guardados.", "Changes saved.")}</p>
                })}
            </div>
            <p class="account-email">
                <span class="muted">{tr(locale, "Correo de la cuenta:", "Account email:")}</span>" "
                <strong data-testid="account-email">{user.email.clone()}</strong>
            </p>
            <form class="stack" on:submit=submit novalidate>
                <FormAlert errors />
                <Field id="name" label=tr(locale, "Tu nombre", "Your name") autocomplete="name" value=name errors />
                <div class="field">
                    <label for="locale">{tr(locale, "Idioma", "Language")}</label>
                    <select
                        id="locale"
                        name="locale"
                        aria-describedby="locale-note"
                        aria-invalid=move || language_error().is_some().to_string()
                        on:change=move |ev| {
                            if let Ok(l) = event_target_value(&ev).parse::<Locale>() {
                                language.set(l);
                            }
                        }
                    >
                        {Locale::ALL
                            .into_iter()
                            .map(|l| view! {
                                <option value=l.tag() lang=l.tag() selected=l == user.locale>{l.native_name()}</option>
                            })
                            .collect_view()}
                    </select>
                    <p id="locale-note" class=move || if language_error().is_some() { "hint field-error" } else { "hint" }>
                        {move || language_error().unwrap_or_else(|| tr(
                            locale,
                            "El panel y los correos que te enviemos usarán este idioma.",
                            "The dashboard and the emails we send you use this language.",
                        ).to_owned())}
                    </p>
                </div>
                <div class="form-actions">
                    <Submit label=tr(locale, "Guardar cambios", "Save changes") busy_label=tr(locale, "Guardando…", "Saving…") pending=action.pending().into() />
                </div>
            </form>
        </section>
    }
}

/// Current and new password; the server signs out every other session.
#[component]
fn PasswordForm() -> impl IntoView {
    let ctx = expect_context::<DashboardCtx>();
    let locale = ctx.locale;
    let email = ctx.session.user.email.clone();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());
    let done = RwSignal::new(false);
    let action = ServerAction::<ChangePassword>::new();
    Effect::new(move |_| match action.value().get() {
        Some(Ok(())) => {
            done.set(true);
            current.set(String::new());
            new.set(String::new());
        }
        Some(Err(err)) => errors.set(FormErrors::from_api(&err, locale)),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(FormErrors::default());
        done.set(false);
        action.dispatch(ChangePassword {
            current_password: current.get_untracked(),
            new_password: new.get_untracked(),
        });
    };
    view! {
        <section class="card dash-section" aria-labelledby="password-heading">
            <h2 id="password-heading">{tr(locale, "Contraseña", "Password")}</h2>
            <div role="status">
                {move || done.get().then(|| view! {
                    <p class="notice notice-success" data-testid="password-changed">
                        {tr(locale, "Contraseña cambiada; cerramos tus otras sesiones.", "Password changed; we signed out your other sessions.")}
                    </p>
                })}
            </div>
            <form class="stack" on:submit=submit novalidate>
                // For password managers: which account this password belongs to.
                <input type="email" name="username" autocomplete="username" value=email hidden readonly />
                <FormAlert errors />
                <Field
                    id="currentPassword"
                    label=tr(locale, "Contraseña actual", "Current password")
                    kind="password"
                    autocomplete="current-password"
                    value=current
                    errors
                />
                <Field
                    id="newPassword"
                    label=tr(locale, "Contraseña nueva", "New password")
                    kind="password"
                    autocomplete="new-password"
                    hint=tr(locale, "Al menos 8 caracteres. Una frase larga es lo mejor.", "At least 8 characters. A long phrase is best.")
                    value=new
                    errors
                />
                <div class="form-actions">
                    <Submit
                        label=tr(locale, "Cambiar contraseña", "Change password")
                        busy_label=tr(locale, "Cambiando…", "Changing…")
                        pending=action.pending().into()
                    />
                </div>
            </form>
        </section>
    }
}

/// Which notification emails the user gets: a switch per kind they may turn off. (The
/// unsubscribe link of an email sends people here to turn them back on.)
#[component]
fn EmailNotifications() -> impl IntoView {
    let locale = expect_context::<DashboardCtx>().locale;
    view! {
        <section class="card dash-section" id="email-notifications" aria-labelledby="email-notifications-heading">
            <h2 id="email-notifications-heading">{tr(locale, "Notificaciones por correo", "Email notifications")}</h2>
            <p class="hint">{tr(
                locale,
                "Todo lo que te avisamos aparece también en tu panel (la campana de arriba).",
                "Everything we tell you also shows in your dashboard (the bell at the top).",
            )}</p>
            <ClientOnly locale render=move || view! { <Preferences locale /> } />
            <p class="hint">{tr(
                locale,
                "Los correos de bienvenida y de pagos fallidos te llegan siempre: tu cuenta depende de ellos.",
                "Welcome and failed-payment emails always reach you: your account depends on them.",
            )}</p>
        </section>
    }
}

#[component]
fn Preferences(locale: Locale) -> impl IntoView {
    let preferences = load_in_browser(|| (), notification_preferences);
    move || match preferences.get() {
        None => EitherOf3::A(view! { <Loading locale /> }),
        Some(Err(err)) => {
            EitherOf3::B(view! { <p class="notice notice-error" role="alert">{describe(&err, locale)}</p> })
        }
        Some(Ok(list)) => EitherOf3::C(view! {
            <ul class="pref-list">
                {list.into_iter().map(|preference| view! { <PreferenceRow preference locale /> }).collect_view()}
            </ul>
        }),
    }
}

/// One kind's switch; it saves as soon as it is flipped.
#[component]
fn PreferenceRow(preference: PreferenceView, locale: Locale) -> impl IntoView {
    let kind = preference.kind;
    let on = RwSignal::new(preference.email);
    let busy = RwSignal::new(false);
    let saved = RwSignal::new(false);
    let flip = move |_| {
        let wanted = !on.get_untracked();
        busy.set(true);
        saved.set(false);
        leptos::task::spawn_local(async move {
            match set_notification_preference(kind, wanted).await {
                Ok(stored) => {
                    on.try_set(stored.email);
                    saved.try_set(true);
                }
                Err(err) => toast_error(describe(&err, locale)),
            }
            busy.try_set(false);
        });
    };
    let label = format!("pref-{}-label", kind.key());
    let hint = format!("pref-{}-hint", kind.key());
    view! {
        <li class="pref-row">
            <div class="pref-text">
                <span id=label.clone() class="pref-label">{email_kind_label(locale, kind)}</span>
                <span id=hint.clone() class="hint">{email_kind_hint(locale, kind)}</span>
            </div>
            <span class="pref-saved" role="status">{move || saved.get().then(|| tr(locale, "Guardado", "Saved"))}</span>
            <button
                type="button"
                role="switch"
                class="switch"
                data-testid=format!("pref-{}", kind.key())
                aria-checked=move || on.get().to_string()
                aria-labelledby=label
                aria-describedby=hint
                disabled=move || busy.get()
                on:click=flip
            >
                <span class="switch-track" aria-hidden="true"><span class="switch-knob"></span></span>
            </button>
        </li>
    }
}
