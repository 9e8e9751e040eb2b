//! "Welcome to mibio", after sign-up.

use contracts::Locale;

use super::{MailContent, greeting};
use crate::template::{escape_html, layout};

/// The welcome email; `start` is the dashboard's pages screen.
pub(crate) fn welcome(locale: Locale, name: Option<&str>, start: &str) -> MailContent {
    let (subject, body, action, footer) = match locale {
        Locale::Es => (
            "Te damos la bienvenida a mibio",
            "Tu cuenta está lista. Elige una plantilla, agrega tus enlaces y comparte tu página en tu bio: \
             tus visitantes podrán agendar, pagarte o dejarte su correo desde ahí.",
            "Crear mi página",
            "Recibes este correo porque creaste una cuenta en mibio.",
        ),
        Locale::En => (
            "Welcome to mibio",
            "Your account is ready. Pick a template, add your links and share your page in your bio: \
             visitors can book you, pay you or leave their email right there.",
            "Create my page",
            "You are getting this email because you created a mibio account.",
        ),
    };
    let hello = greeting(locale, name);
    MailContent {
        subject: subject.to_owned(),
        text: format!("{hello}\n\n{body}\n\n{action}: {start}\n\n{footer}\n"),
        html: layout(locale, &[escape_html(&hello), escape_html(body)], (action, start), footer),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_escape_the_name() {
        for locale in Locale::ALL {
            let mail = welcome(locale, Some("<b>Ana</b>"), "https://mibio.test/dashboard/pages");
            assert!(mail.html.contains("&lt;b&gt;Ana&lt;/b&gt;") && !mail.html.contains("<b>Ana"));
            assert!(mail.text.contains("<b>Ana</b>"), "the text part is plain text");
            assert!(mail.html.contains(&format!("lang=\"{}\"", locale.tag())));
            assert!(!mail.html.contains("unsubscribe") && !mail.text.contains("unsubscribe"));
        }
        assert_eq!(welcome(Locale::En, None, "x").subject, "Welcome to mibio");
    }
}
