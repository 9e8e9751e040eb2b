//! The page behind the unsubscribe link of an email (`/notifications/unsubscribe?token=…`),
//! rendered on the server without WASM in mibio's own colours, like the public 404 page. Opening
//! the link only asks (mail scanners open links); the button posts the token back, and only that
//! turns the emails off.

use contracts::Locale;
use contracts::notifications::NotificationKind;
use leptos::prelude::*;

use super::document::{footer, house_theme, render_document};
use super::{PUBLIC_CSS, ROOT_CLASS, theme_attrs};
use crate::i18n::{email_kind_phrase, tr};

/// Where the settings screen lets people turn emails back on.
pub const EMAIL_SETTINGS_PATH: &str = "/dashboard/settings#email-notifications";

/// What the unsubscribe page says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnsubscribeStep {
    /// A valid link was opened: what would stop, and a button that posts `token` to `action`.
    Confirm { kind: NotificationKind, token: String, action: String },
    /// The emails of `kind` are off.
    Done { kind: NotificationKind },
    /// An unknown, used or forged link.
    Invalid,
}

/// The complete HTML document (`<!DOCTYPE html>` included).
#[must_use]
pub fn render_unsubscribe(locale: Locale, step: UnsubscribeStep) -> String {
    render_document(move || unsubscribe_document(locale, step))
}

fn unsubscribe_document(locale: Locale, step: UnsubscribeStep) -> impl IntoView {
    let theme = house_theme();
    let (style, buttons) = theme_attrs(&theme);
    let title = match step {
        UnsubscribeStep::Confirm { .. } => {
            tr(locale, "¿Dejar de recibir estos correos?", "Stop these emails?")
        }
        UnsubscribeStep::Done { .. } => {
            tr(locale, "Listo: no te los enviaremos más", "Done: we won't send them any more")
        }
        UnsubscribeStep::Invalid => tr(locale, "Este enlace ya no es válido", "This link is no longer valid"),
    };
    let settings = tr(locale, "Ir a mis ajustes de correo", "Go to my email settings");
    let body = match step {
        UnsubscribeStep::Confirm { kind, token, action } => {
            let text = match locale {
                Locale::Es => format!(
                    "Dejarás de recibir por correo {}. Seguirás viéndolos en tu panel, y puedes volver a activarlos cuando quieras.",
                    email_kind_phrase(locale, kind)
                ),
                Locale::En => format!(
                    "You will stop getting {}. You'll still see them in your dashboard, and you can turn them back on at any time.",
                    email_kind_phrase(locale, kind)
                ),
            };
            view! {
                <p>{text}</p>
                <form method="post" action=action data-testid="unsubscribe-form">
                    <input type="hidden" name="token" value=token />
                    <button class="btn" type="submit">{tr(locale, "Sí, dejar de recibirlos", "Yes, stop these emails")}</button>
                </form>
                <a class="lost-alt" href=EMAIL_SETTINGS_PATH>{settings}</a>
            }
            .into_any()
        }
        UnsubscribeStep::Done { kind } => {
            let text = match locale {
                Locale::Es => format!(
                    "Ya no recibirás {}. Puedes volver a activarlos en los ajustes de tu cuenta.",
                    email_kind_phrase(locale, kind)
                ),
                Locale::En => format!(
                    "You won't get {} any more. You can turn them back on in your account settings.",
                    email_kind_phrase(locale, kind)
                ),
            };
            view! {
                <p data-testid="unsubscribed">{text}</p>
                <a class="btn" href=EMAIL_SETTINGS_PATH>{settings}</a>
            }
            .into_any()
        }
        UnsubscribeStep::Invalid => view! {
            <p>{tr(
                locale,
                "Puede que ya lo hayas usado, o que esté incompleto. Elige qué correos recibes en los ajustes de tu cuenta.",
                "It may have been used already, or be incomplete. Choose which emails you get in your account settings.",
            )}</p>
            <a class="btn" href=EMAIL_SETTINGS_PATH>{settings}</a>
        }
        .into_any(),
    };
    view! {
        <html lang=locale.tag()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <title>{format!("{title} — mibio")}</title>
                <meta name="robots" content="noindex" />
                <meta name="referrer" content="no-referrer" />
                <meta name="theme-color" content=theme.surface.clone() />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <style>{PUBLIC_CSS}</style>
            </head>
            <body class=ROOT_CLASS data-buttons=buttons style=style>
                <div class="sheet">
                    <main id="main" class="lost unsubscribe">
                        <h1>{title}</h1>
                        {body}
                    </main>
                    {footer(locale)}
                </div>
            </body>
        </html>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_confirmation_asks_and_posts_the_token_back() {
        let step = UnsubscribeStep::Confirm {
            kind: NotificationKind::LeadCaptured,
            token: "abc\"<x>".to_owned(),
            action: "/notifications/unsubscribe".to_owned(),
        };
        let html = render_unsubscribe(Locale::Es, step);
        assert!(html.starts_with("<!DOCTYPE html><html lang=\"es\""), "{html}");
        assert!(html.contains("¿Dejar de recibir estos correos?"), "{html}");
        assert!(html.contains("los avisos de nuevos contactos"), "{html}");
        assert!(html.contains(r#"<form method="post" action="/notifications/unsubscribe""#), "{html}");
        assert!(!html.contains("<x>"), "the token is escaped: {html}");
        let html =
            render_unsubscribe(Locale::En, UnsubscribeStep::Done { kind: NotificationKind::LeadCaptured });
        assert!(
            html.contains("You won&#x27;t get emails about new leads any more")
                || html.contains("You won't get emails about new leads any more"),
            "{html}"
        );
        assert!(!html.contains("<form"), "{html}");
        let html = render_unsubscribe(Locale::En, UnsubscribeStep::Invalid);
        assert!(html.contains("This link is no longer valid"), "{html}");
        assert!(html.contains(EMAIL_SETTINGS_PATH), "{html}");
    }
}
