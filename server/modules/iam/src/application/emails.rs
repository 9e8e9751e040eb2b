//! The messages identity sends, in the recipient's language: plain text and HTML, with absolute
//! links. Names are escaped in HTML (a name is user input).

use contracts::Locale;
use notifications::template::{escape_html, layout};

/// A composed message, before addressing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailContent {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// "Confirm your email" after sign-up.
#[must_use]
pub fn verify_email(locale: Locale, name: &str, link: &str) -> MailContent {
    let (subject, hello, body, action, footer) = match locale {
        Locale::Es => (
            "Confirma tu correo — mibio",
            format!("Hola, {name}:"),
            "Gracias por crear tu cuenta en mibio. Confirma tu correo para empezar a construir tu página.",
            "Confirmar mi correo",
            "El enlace vence en 24 horas. Si no creaste esta cuenta, ignora este mensaje.",
        ),
        Locale::En => (
            "Confirm your email — mibio",
            format!("Hi {name},"),
            "Thanks for creating your mibio account. Confirm your email to start building your page.",
            "Confirm my email",
            "The link expires in 24 hours. If you did not create this account, ignore this message.",
        ),
    };
    MailContent {
        subject: subject.to_owned(),
        text: format!("{hello}\n\n{body}\n\n{action}: {link}\n\n{footer}\n"),
        html: layout(locale, &[escape_html(&hello), escape_html(body)], (action, link), footer),
    }
}

/// Sent instead of a verification mail when someone signs up with a registered email.
#[must_use]
pub fn already_registered(locale: Locale, name: &str, sign_in: &str, reset: &str) -> MailContent {
    let (subject, hello, body, action, footer) = match locale {
        Locale::Es => (
            "Ya tienes una cuenta en mibio",
            format!("Hola, {name}:"),
            format!(
                "Alguien (quizás tú) intentó crear una cuenta con este correo, pero ya tienes una. Si olvidaste tu contraseña, puedes restablecerla aquí: {reset}"
            ),
            "Iniciar sesión",
            "Si no fuiste tú, no tienes que hacer nada: tu cuenta sigue segura.",
        ),
        Locale::En => (
            "You already have a mibio account",
            format!("Hi {name},"),
            format!(
                "Someone (maybe you) tried to sign up with this email, but you already have an account. If you forgot your password, you can reset it here: {reset}"
            ),
            "Sign in",
            "If this wasn't you, there is nothing to do: your account is safe.",
        ),
    };
    MailContent {
        subject: subject.to_owned(),
        text: format!("{hello}\n\n{body}\n\n{action}: {sign_in}\n\n{footer}\n"),
        html: layout(locale, &[escape_html(&hello), escape_html(&body)], (action, sign_in), footer),
    }
}

/// "Reset your password".
#[must_use]
pub fn reset_password(locale: Locale, name: &str, link: &str) -> MailContent {
    let (subject, hello, body, action, footer) = match locale {
        Locale::Es => (
            "Restablece tu contraseña — mibio",
            format!("Hola, {name}:"),
            "Recibimos una solicitud para restablecer tu contraseña.",
            "Elegir una contraseña nueva",
            "El enlace vence en 1 hora y sirve una sola vez. Si no lo pediste, ignora este mensaje.",
        ),
        Locale::En => (
            "Reset your password — mibio",
            format!("Hi {name},"),
            "We received a request to reset your password.",
            "Choose a new password",
            "The link expires in 1 hour and works once. If you didn't ask for it, ignore this message.",
        ),
    };
    MailContent {
        subject: subject.to_owned(),
        text: format!("{hello}\n\n{body}\n\n{action}: {link}\n\n{footer}\n"),
        html: layout(locale, &[escape_html(&hello), escape_html(body)], (action, link), footer),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_escaped_in_html_but_not_in_text() {
        let mail = verify_email(
            Locale::En,
            "<img src=x onerror=alert(1)>",
            "https://m.example/verify-email?token=abc",
        );
        assert!(!mail.html.contains("<img"));
        assert!(mail.html.contains("&lt;img src=x onerror=alert(1)&gt;"));
        assert!(mail.text.contains("<img src=x onerror=alert(1)>"));
        assert!(mail.text.contains("https://m.example/verify-email?token=abc"));
    }

    #[test]
    fn messages_speak_the_users_language() {
        assert_eq!(verify_email(Locale::Es, "Ana", "l").subject, "Confirma tu correo — mibio");
        assert!(reset_password(Locale::En, "Ana", "l").text.contains("expires in 1 hour"));
        assert!(already_registered(Locale::Es, "Ana", "s", "r").text.contains("ya tienes una"));
    }
}
