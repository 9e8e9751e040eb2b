//! The names of notification kinds, as the settings screen and the unsubscribe page say them.

use contracts::Locale;
use contracts::notifications::NotificationKind;

/// The kind's emails, as a setting's label: "Nuevos contactos" / "New leads".
#[must_use]
pub const fn email_kind_label(locale: Locale, kind: NotificationKind) -> &'static str {
    let (es, en) = match kind {
        NotificationKind::LeadCaptured => ("Nuevos contactos", "New leads"),
        NotificationKind::PaymentFailed => ("Pagos fallidos", "Failed payments"),
        NotificationKind::QuotaExceeded => ("Límites del plan", "Plan limits"),
    };
    pick(locale, es, en)
}

/// One sentence on what the kind's emails are.
#[must_use]
pub const fn email_kind_hint(locale: Locale, kind: NotificationKind) -> &'static str {
    let (es, en) = match kind {
        NotificationKind::LeadCaptured => (
            "Un correo cuando alguien deja su contacto en una de tus páginas (los que llegan en el mismo minuto, juntos).",
            "An email when someone leaves their contact on one of your pages (the ones within a minute come together).",
        ),
        NotificationKind::PaymentFailed => {
            ("Siempre te lo enviamos: tu plan está en juego.", "Always sent: your plan is at stake.")
        }
        NotificationKind::QuotaExceeded => ("Solo en el panel.", "In the dashboard only."),
    };
    pick(locale, es, en)
}

/// The kind's emails inside a sentence: "los avisos de nuevos contactos" / "emails about new
/// leads".
#[must_use]
pub const fn email_kind_phrase(locale: Locale, kind: NotificationKind) -> &'static str {
    let (es, en) = match kind {
        NotificationKind::LeadCaptured => ("los avisos de nuevos contactos", "emails about new leads"),
        NotificationKind::PaymentFailed => ("los avisos de pagos fallidos", "emails about failed payments"),
        NotificationKind::QuotaExceeded => {
            ("los avisos de límites del plan", "emails about your plan's limits")
        }
    };
    pick(locale, es, en)
}

const fn pick(locale: Locale, es: &'static str, en: &'static str) -> &'static str {
    match locale {
        Locale::Es => es,
        Locale::En => en,
    }
}
