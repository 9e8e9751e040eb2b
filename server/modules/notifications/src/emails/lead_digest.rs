//! "3 new leads on “Coaching”": the leads of one page gathered over a minute, in one email.

use contracts::Locale;

use super::{MailContent, greeting};
use crate::template::{escape_html, layout_with_unsubscribe};

/// What the digest says about its page and leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DigestFacts<'a> {
    pub page_title: &'a str,
    /// Leads in the digest (at least one).
    pub leads: i32,
    /// Of them, captured over the plan's monthly cap.
    pub over_quota: i32,
}

/// The links the digest carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DigestLinks<'a> {
    /// The page's leads in the dashboard.
    pub leads: &'a str,
    /// The public page.
    pub page: &'a str,
    /// Turns these emails off.
    pub unsubscribe: &'a str,
}

/// The digest email.
pub(crate) fn lead_digest(
    locale: Locale,
    name: Option<&str>,
    facts: &DigestFacts<'_>,
    links: DigestLinks<'_>,
) -> MailContent {
    let DigestFacts { page_title: title, leads: n, over_quota } = *facts;
    let (subject, body, over, action, footer, stop) = match locale {
        Locale::Es => (
            if n == 1 {
                format!("Nuevo contacto en «{title}»")
            } else {
                format!("{n} contactos nuevos en «{title}»")
            },
            if n == 1 {
                format!("Una persona dejó su correo en tu página «{title}» ({}).", links.page)
            } else {
                format!("{n} personas dejaron su correo en tu página «{title}» ({}).", links.page)
            },
            match over_quota {
                0 => None,
                1 if n == 1 => {
                    Some("Llegó por encima del límite mensual de contactos de tu plan.".to_owned())
                }
                k => Some(format!("{k} llegaron por encima del límite mensual de contactos de tu plan.")),
            },
            "Ver los contactos",
            "Recibes este correo porque tu rol te permite ver los contactos de las páginas de esta organización.",
            "No quiero recibir más correos de contactos nuevos",
        ),
        Locale::En => (
            if n == 1 {
                format!("New lead on “{title}”")
            } else {
                format!("{n} new leads on “{title}”")
            },
            if n == 1 {
                format!("Someone left their email on your page “{title}” ({}).", links.page)
            } else {
                format!("{n} people left their email on your page “{title}” ({}).", links.page)
            },
            match over_quota {
                0 => None,
                1 if n == 1 => Some("It came in over your plan's monthly lead limit.".to_owned()),
                k => Some(format!("{k} of them came in over your plan's monthly lead limit.")),
            },
            "See the leads",
            "You are getting this email because your role lets you see this organization's leads.",
            "Stop emails about new leads",
        ),
    };
    let hello = greeting(locale, name);
    let mut paragraphs = vec![hello.clone(), body];
    paragraphs.extend(over);
    let text = format!(
        "{}\n\n{action}: {}\n\n{footer}\n{stop}: {}\n",
        paragraphs.join("\n\n"),
        links.leads,
        links.unsubscribe
    );
    let escaped: Vec<String> = paragraphs.iter().map(|p| escape_html(p)).collect();
    let html =
        layout_with_unsubscribe(locale, &escaped, (action, links.leads), footer, (stop, links.unsubscribe));
    MailContent { subject, text, html }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINKS: DigestLinks<'static> = DigestLinks {
        leads: "https://mibio.test/dashboard/pages/p/leads",
        page: "https://mibio.test/ana",
        unsubscribe: "https://mibio.test/notifications/unsubscribe?token=t",
    };

    fn facts(leads: i32, over_quota: i32) -> DigestFacts<'static> {
        DigestFacts { page_title: "Coaching <1:1>", leads, over_quota }
    }

    #[test]
    fn one_lead_and_many_read_naturally_in_both_languages() {
        let one = lead_digest(Locale::En, Some("Ana"), &facts(1, 0), LINKS);
        assert_eq!(one.subject, "New lead on “Coaching <1:1>”");
        assert!(one.text.contains("Someone left their email on your page “Coaching <1:1>”"), "{}", one.text);
        let three = lead_digest(Locale::Es, Some("Ana"), &facts(3, 2), LINKS);
        assert_eq!(three.subject, "3 contactos nuevos en «Coaching <1:1>»");
        assert!(three.text.contains("3 personas dejaron su correo"), "{}", three.text);
        assert!(three.text.contains("2 llegaron por encima del límite"), "{}", three.text);
        assert!(three.html.contains("«Coaching &lt;1:1&gt;»") && !three.html.contains("<1:1>"));
    }

    #[test]
    fn it_links_to_the_leads_and_to_unsubscribe() {
        for locale in Locale::ALL {
            let mail = lead_digest(locale, None, &facts(2, 0), LINKS);
            assert!(
                mail.text.contains(LINKS.leads) && mail.text.contains(LINKS.unsubscribe),
                "{}",
                mail.text
            );
            assert!(mail.html.contains(&format!("href=\"{}\"", LINKS.unsubscribe)), "{}", mail.html);
        }
    }
}
