//! The signed-out screens: sign in, sign up, email verification, forgot and reset password.
//! Sign-in, sign-up and the verification link carry `next`, where the person continues once in
//! (only a path on this site: `contracts::next`).

use crate::components::head::PageTitle;
use contracts::Locale;
use contracts::auth::UserView;
use contracts::next::NextPath;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::auth::{RequestPasswordReset, ResetPassword, SignIn, SignUp, verify_email};
use crate::components::form::{Field, FormAlert, FormErrors, Submit, go};
use crate::components::site_header::SiteHeader;
use crate::i18n::tr;

/// The centred card the signed-out screens share.
#[component]
fn AuthCard(locale: Locale, title: &'static str, children: Children) -> impl IntoView {
    view! {
        <PageTitle text=format!("{title} — mibio") />
        <SiteHeader locale />
        <main id="main" class="auth-page">
            <section class="card auth-card" aria-labelledby="auth-title">
                <h1 id="auth-title">{title}</h1>
                {children()}
            </section>
        </main>
    }
}

/// `/signin`.
#[component]
pub fn SignInPage(locale: Locale) -> impl IntoView {
    let query = use_query_map();
    let next = NextPath::or_default(query.read_untracked().get("next").as_deref());
    let verified = query.read_untracked().get("verified");
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());
    let action = ServerAction::<SignIn>::new();
    // The server judged `next` again and answers where to go.
    Effect::new(move |_| match action.value().get() {
        Some(Ok(signed_in)) => go(&signed_in.next),
        Some(Err(err)) => errors.set(FormErrors::from_api(&err, locale)),
        None => {}
    });
    let next_for_submit = next.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(FormErrors::default());
        action.dispatch(SignIn {
            email: email.get_untracked(),
            password: password.get_untracked(),
            next: Some(next_for_submit.as_str().to_owned()),
        });
    };
    let notice = match verified.as_deref() {
        Some("1") => Some((
            "notice notice-success",
            tr(
                locale,
                "¡Correo confirmado! Ya puedes iniciar sesión.",
                "Email confirmed! You can sign in now.",
            ),
        )),
        Some("0") => Some((
            "notice notice-error",
            tr(
                locale,
                "Ese enlace de confirmación no es válido o ya se usó.",
                "That confirmation link is invalid or was already used.",
            ),
        )),
        _ => None,
    };
    view! {
        <AuthCard locale title=tr(locale, "Inicia sesión", "Sign in")>
            {notice.map(|(class, text)| view! { <p class=class role="status">{text}</p> })}
            <form class="stack" method="post" on:submit=submit novalidate>
                <FormAlert errors />
                <Field id="email" label=tr(locale, "Correo", "Email") kind="email" autocomplete="email" value=email errors />
                <Field id="password" label=tr(locale, "Contraseña", "Password") kind="password" autocomplete="current-password" value=password errors />
                <Submit label=tr(locale, "Entrar", "Sign in") busy_label=tr(locale, "Entrando…", "Signing in…") pending=action.pending().into() />
            </form>
            <p class="auth-links">
                <a href="/forgot-password">{tr(locale, "¿Olvidaste tu contraseña?", "Forgot your password?")}</a>
                <a href=next.on("/signup")>{tr(locale, "Crear una cuenta", "Create an account")}</a>
            </p>
        </AuthCard>
    }
}

/// `/signup`.
#[component]
pub fn SignUpPage(locale: Locale) -> impl IntoView {
    let query = use_query_map();
    let next = NextPath::or_default(query.read_untracked().get("next").as_deref());
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());
    let done = RwSignal::new(None::<UserView>);
    let action = ServerAction::<SignUp>::new();
    Effect::new(move |_| match action.value().get() {
        Some(Ok(user)) => done.set(Some(user)),
        Some(Err(err)) => errors.set(FormErrors::from_api(&err, locale)),
        None => {}
    });
    let signin = next.on("/signin");
    let next = (!next.is_default()).then(|| next.as_str().to_owned());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(FormErrors::default());
        action.dispatch(SignUp {
            name: name.get_untracked(),
            email: email.get_untracked(),
            password: password.get_untracked(),
            locale,
            next: next.clone(),
        });
    };
    view! {
        <AuthCard locale title=tr(locale, "Crea tu cuenta", "Create your account")>
            <Show
                when=move || done.with(Option::is_none)
                fallback=move || view! {
                    <div class="notice notice-success" role="status">
                        <p><strong>{tr(locale, "Revisa tu correo.", "Check your inbox.")}</strong></p>
                        <p>
                            {tr(locale, "Te enviamos un enlace para confirmar ", "We sent a link to confirm ")}
                            <strong>{move || done.with(|u| u.as_ref().map(|u| u.email.clone()).unwrap_or_default())}</strong>
                            {tr(locale, ". Ábrelo en este dispositivo y entrarás directamente.", ". Open it on this device and you will be signed in.")}
                        </p>
                    </div>
                }
            >
                <form class="stack" method="post" on:submit=submit.clone() novalidate>
                    <FormAlert errors />
                    <Field id="name" label=tr(locale, "Tu nombre", "Your name") autocomplete="name" value=name errors />
                    <Field id="email" label=tr(locale, "Correo", "Email") kind="email" autocomplete="email" value=email errors />
                    <Field
                        id="password"
                        label=tr(locale, "Contraseña", "Password")
                        kind="password"
                        autocomplete="new-password"
                        hint=tr(locale, "Al menos 8 caracteres. Una frase larga es lo mejor.", "At least 8 characters. A long phrase is best.")
                        value=password
                        errors
                    />
                    <Submit label=tr(locale, "Crear cuenta", "Create account") busy_label=tr(locale, "Creando…", "Creating…") pending=action.pending().into() />
                </form>
            </Show>
            <p class="auth-links">
                <a href=signin.clone()>{tr(locale, "¿Ya tienes cuenta? Inicia sesión", "Already have an account? Sign in")}</a>
            </p>
        </AuthCard>
    }
}

/// `/verify-email?token=&next=`: confirms on load (server-rendered). In the browser that signed
/// up, that also signs in, and the server answers `303` to `next`; anywhere else the page says the
/// address is confirmed and offers sign-in (keeping `next`).
#[component]
pub fn VerifyEmailPage(locale: Locale) -> impl IntoView {
    let query = use_query_map();
    let token = query.read_untracked().get("token").unwrap_or_default();
    let next = NextPath::or_default(query.read_untracked().get("next").as_deref());
    let result = Resource::new_blocking(move || token.clone(), verify_email);
    // Reached by in-app navigation rather than the mailed link: the browser goes on by itself.
    let onward = next.clone();
    Effect::new(move |_| {
        if matches!(result.get(), Some(Ok(true))) {
            go(onward.as_str());
        }
    });
    let continue_to = next.as_str().to_owned();
    let sign_in = next.on("/signin");
    view! {
        <AuthCard locale title=tr(locale, "Confirmación de correo", "Email confirmation")>
            <Suspense fallback=move || view! { <p>{tr(locale, "Confirmando…", "Confirming…")}</p> }>
                {move || result.get().map(|r| match r {
                    Ok(true) => {
                        #[cfg(feature = "ssr")]
                        crate::server::see_other(&continue_to);
                        view! {
                            <div class="notice notice-success" role="status" data-testid="verify-result" data-ok="true">
                                <p>{tr(locale, "¡Listo! Tu correo está confirmado y ya entraste.", "Done! Your email is confirmed and you are signed in.")}</p>
                            </div>
                            <a class="button button-primary button-block" href=continue_to.clone() rel="external">{tr(locale, "Continuar", "Continue")}</a>
                        }.into_any()
                    }
                    Ok(false) => view! {
                        <div class="notice notice-success" role="status" data-testid="verify-result" data-ok="true">
                            <p>{tr(locale, "¡Listo! Tu correo está confirmado.", "Done! Your email is confirmed.")}</p>
                        </div>
                        <a class="button button-primary button-block" href=sign_in.clone()>{tr(locale, "Iniciar sesión", "Sign in")}</a>
                    }.into_any(),
                    Err(_) => view! {
                        <div class="notice notice-error" role="alert" data-testid="verify-result" data-ok="false">
                            <p>{tr(locale, "Este enlace no es válido, ya se usó o venció.", "This link is invalid, already used or expired.")}</p>
                        </div>
                        <a class="button button-primary button-block" href="/signin">{tr(locale, "Ir a iniciar sesión", "Go to sign in")}</a>
                    }.into_any(),
                })}
            </Suspense>
        </AuthCard>
    }
}

/// `/forgot-password`.
#[component]
pub fn ForgotPasswordPage(locale: Locale) -> impl IntoView {
    let email = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());
    let sent = RwSignal::new(false);
    let action = ServerAction::<RequestPasswordReset>::new();
    Effect::new(move |_| match action.value().get() {
        Some(Ok(())) => sent.set(true),
        Some(Err(err)) => errors.set(FormErrors::from_api(&err, locale)),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(FormErrors::default());
        action.dispatch(RequestPasswordReset { email: email.get_untracked() });
    };
    view! {
        <AuthCard locale title=tr(locale, "Recupera tu contraseña", "Reset your password")>
            <Show
                when=move || !sent.get()
                fallback=move || view! {
                    <p class="notice notice-success" role="status">
                        {tr(locale, "Si ese correo tiene una cuenta, te enviamos un enlace. Vence en 1 hora.", "If that email has an account, we sent it a link. It expires in 1 hour.")}
                    </p>
                }
            >
                <form class="stack" method="post" on:submit=submit novalidate>
                    <FormAlert errors />
                    <Field id="email" label=tr(locale, "Correo", "Email") kind="email" autocomplete="email" value=email errors />
                    <Submit label=tr(locale, "Enviar enlace", "Send link") busy_label=tr(locale, "Enviando…", "Sending…") pending=action.pending().into() />
                </form>
            </Show>
            <p class="auth-links"><a href="/signin">{tr(locale, "Volver a iniciar sesión", "Back to sign in")}</a></p>
        </AuthCard>
    }
}

/// `/reset-password?token=`.
#[component]
pub fn ResetPasswordPage(locale: Locale) -> impl IntoView {
    let query = use_query_map();
    let token = query.read_untracked().get("token").unwrap_or_default();
    let password = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());
    let done = RwSignal::new(false);
    let action = ServerAction::<ResetPassword>::new();
    Effect::new(move |_| match action.value().get() {
        Some(Ok(())) => done.set(true),
        Some(Err(err)) => errors.set(FormErrors::from_api(&err, locale)),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(FormErrors::default());
        action.dispatch(ResetPassword { token: token.clone(), new_password: password.get_untracked() });
    };
    view! {
        <AuthCard locale title=tr(locale, "Elige una contraseña nueva", "Choose a new password")>
            <Show
                when=move || !done.get()
                fallback=move || view! {
                    <p class="notice notice-success" role="status">
                        {tr(locale, "Contraseña cambiada. Cerramos tus otras sesiones por seguridad.", "Password changed. We signed you out everywhere else, for safety.")}
                    </p>
                    <a class="button button-primary button-block" href="/signin">{tr(locale, "Iniciar sesión", "Sign in")}</a>
                }
            >
                <form class="stack" method="post" on:submit=submit.clone() novalidate>
                    <FormAlert errors />
                    <Field id="newPassword" label=tr(locale, "Contraseña nueva", "New password") kind="password" autocomplete="new-password"
                        hint=tr(locale, "Al menos 8 caracteres.", "At least 8 characters.") value=password errors />
                    <Submit label=tr(locale, "Guardar contraseña", "Save password") busy_label=tr(locale, "Guardando…", "Saving…") pending=action.pending().into() />
                </form>
            </Show>
        </AuthCard>
    }
}
