//! "Your payment failed", to the members who can fix it.

use contracts::Locale;

use super::{MailContent, greeting};
use crate::template::{escape_html, layout};

/// The failed-payment email about `organization`; `billing` is the dashboard's billing screen.
pub(crate) fn payment_failed(
    locale: Locale,
    name: Option<&str>,
    organization: &str,
    billing: &str,
) -> MailContent {
    let (subject, body, action, footer) = match locale {
        Locale::Es => (
            format!("No pudimos cobrar la suscripción de {organization}"),
            format!(
                "No pudimos cobrar la renovación de la suscripción de «{organization}» en mibio. \
                 Revisa tu medio de pago para no perder las funciones de tu plan."
            ),
            "Revisar la facturación",
            "Recibes este correo porque puedes administrar la facturación de esta organización. Si ya lo resolviste, ignóralo.",
        ),
        Locale::En => (
            format!("We could not charge {organization}'s subscription"),
            format!(
                "The renewal payment of “{organization}”'s mibio subscription failed. \
                 Check your payment method so you keep your plan's features."
            ),
            "Review billing",
            "You are getting this email because you can manage this organization's billing. If you already fixed it, ignore it.",
        ),
    };
    let hello = greeting(locale, name);
    MailContent {
        text: format!("{hello}\n\n{body}\n\n{action}: {billing}\n\n{footer}\n"),
        html: layout(locale, &[escape_html(&hello), escape_html(&body)], (action, billing), footer),
        subject,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_organization_is_named_and_escaped() {
        for locale in Locale::ALL {
            let mail =
                payment_failed(locale, Some("Ana"), "Ana & <Co>", "https://mibio.test/dashboard/billing");
            assert!(mail.subject.contains("Ana & <Co>"));
            assert!(mail.html.contains("Ana &amp; &lt;Co&gt;") && !mail.html.contains("<Co>"));
            assert!(mail.text.contains("https://mibio.test/dashboard/billing"));
        }
    }
}
