//! In-app notifications as a reader sees them: title, body and link written from the stored
//! facts, in the reader's language.

use chrono::SecondsFormat;
use contracts::Locale;
use contracts::usage::UsageMeter;
use serde::de::DeserializeOwned;

use crate::application::payloads::{LeadPayload, PaymentPayload, QuotaPayload};
use crate::infrastructure::inbox::NotificationRow;
use crate::views::{NotificationKind, NotificationView};

/// The path of the dashboard's billing screen.
pub(crate) const BILLING_PATH: &str = "/dashboard/billing";

/// The dashboard path of a page's leads.
pub(crate) fn leads_path(page: uuid::Uuid) -> String {
    format!("/dashboard/pages/{page}/leads")
}

/// `row` in `locale`; `None` for a row this build cannot read (a kind or payload written by a
/// newer one), which the list leaves out.
pub(crate) fn view(row: &NotificationRow, locale: Locale) -> Option<NotificationView> {
    let kind: NotificationKind = row.kind.parse().ok()?;
    let (title, body, link) = match kind {
        NotificationKind::LeadCaptured => lead(&payload(row)?, locale),
        NotificationKind::PaymentFailed => payment(&payload(row)?, locale),
        NotificationKind::QuotaExceeded => quota(&payload(row)?, locale),
    };
    Some(NotificationView {
        id: row.id.to_string(),
        kind,
        title,
        body,
        link: Some(link),
        organization_id: row.organization_id.map(|o| o.to_string()),
        created_at: row.created_at.to_rfc3339_opts(SecondsFormat::AutoSi, true),
        read: row.read_at.is_some(),
    })
}

fn payload<T: DeserializeOwned>(row: &NotificationRow) -> Option<T> {
    match T::deserialize(&row.payload) {
        Ok(payload) => Some(payload),
        Err(e) => {
            tracing::warn!(notification_id = %row.id, kind = %row.kind, error = %e, "unreadable notification payload");
            None
        }
    }
}

fn lead(p: &LeadPayload, locale: Locale) -> (String, String, String) {
    let (title, slug) = (&p.page_title, &p.page_slug);
    let (title, mut body, over) = match locale {
        Locale::Es => (
            format!("Nuevo contacto en «{title}»"),
            format!("Alguien dejó su correo en tu página /{slug}."),
            " Llegó por encima del límite mensual de contactos de tu plan.",
        ),
        Locale::En => (
            format!("New lead on “{title}”"),
            format!("Someone left their email on your page /{slug}."),
            " It came in over your plan's monthly lead limit.",
        ),
    };
    if p.over_quota {
        body.push_str(over);
    }
    (title, body, leads_path(p.page_id))
}

fn payment(p: &PaymentPayload, locale: Locale) -> (String, String, String) {
    let org = &p.organization_name;
    let (title, body) = match locale {
        Locale::Es => (
            "No pudimos cobrar tu suscripción".to_owned(),
            format!(
                "No pudimos cobrar la renovación de «{org}». Revisa tu medio de pago para no perder las funciones de tu plan."
            ),
        ),
        Locale::En => (
            "Your payment failed".to_owned(),
            format!(
                "We could not charge the renewal of “{org}”. Check your payment method so you keep your plan's features."
            ),
        ),
    };
    (title, body, BILLING_PATH.to_owned())
}

fn quota(p: &QuotaPayload, locale: Locale) -> (String, String, String) {
    let limit = p.limit;
    let one = limit == 1;
    let (title, body) = match (locale, p.meter.parse::<UsageMeter>().ok()) {
        (Locale::Es, Some(UsageMeter::PagesCreated)) => (
            "Llegaste al límite de páginas de tu plan",
            format!(
                "Tu plan incluye {limit} {}. Mejora tu plan para crear más.",
                if one { "página" } else { "páginas" }
            ),
        ),
        (Locale::Es, Some(UsageMeter::LeadsCaptured)) => (
            "Llegaste al límite de contactos de tu plan",
            format!(
                "Tu plan incluye {limit} {} por mes y este mes ya llegaste. Mejora tu plan para ampliar el límite.",
                if one { "contacto" } else { "contactos" }
            ),
        ),
        (Locale::Es, None) => ("Llegaste a un límite de tu plan", format!("Límite de {}: {limit}.", p.meter)),
        (Locale::En, Some(UsageMeter::PagesCreated)) => (
            "You reached your plan's page limit",
            format!(
                "Your plan includes {limit} {}. Upgrade to create more.",
                if one { "page" } else { "pages" }
            ),
        ),
        (Locale::En, Some(UsageMeter::LeadsCaptured)) => (
            "You reached your plan's lead limit",
            format!(
                "Your plan includes {limit} {} a month, and this month you reached it. Upgrade for a higher limit.",
                if one { "lead" } else { "leads" }
            ),
        ),
        (Locale::En, None) => ("You reached a limit of your plan", format!("{} limit: {limit}.", p.meter)),
    };
    (title.to_owned(), body, BILLING_PATH.to_owned())
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone as _, Utc};
    use serde_json::json;
    use uuid::Uuid;

    use super::*;

    fn row(kind: &str, payload: serde_json::Value) -> NotificationRow {
        NotificationRow {
            id: Uuid::now_v7(),
            organization_id: Some(Uuid::nil()),
            kind: kind.to_owned(),
            payload,
            created_at: Utc.with_ymd_and_hms(2026, 12, 6, 12, 0, 0).unwrap(),
            read_at: None,
        }
    }

    #[test]
    fn every_kind_reads_in_both_languages() {
        let page = Uuid::now_v7();
        let lead = row(
            "lead_captured",
            json!({"pageId": page, "pageSlug": "ana", "pageTitle": "Coaching", "leadId": page, "overQuota": true}),
        );
        let en = view(&lead, Locale::En).unwrap();
        assert_eq!(en.title, "New lead on “Coaching”");
        assert!(en.body.ends_with("over your plan's monthly lead limit."), "{}", en.body);
        assert_eq!(en.link.as_deref(), Some(format!("/dashboard/pages/{page}/leads").as_str()));
        assert_eq!((en.created_at.as_str(), en.read), ("2026-12-06T12:00:00Z", false));
        assert_eq!(view(&lead, Locale::Es).unwrap().title, "Nuevo contacto en «Coaching»");

        let paid = row("payment_failed", json!({"organizationName": "Ana Co"}));
        assert!(view(&paid, Locale::Es).unwrap().body.contains("«Ana Co»"));
        let quota = row("quota_exceeded", json!({"meter": "pages_created", "limit": 1, "periodEnd": null}));
        assert_eq!(
            view(&quota, Locale::En).unwrap().body,
            "Your plan includes 1 page. Upgrade to create more."
        );
        assert!(view(&quota, Locale::Es).unwrap().body.starts_with("Tu plan incluye 1 página."));
    }

    #[test]
    fn rows_this_build_cannot_read_are_left_out() {
        assert!(view(&row("mention", json!({})), Locale::En).is_none());
        assert!(view(&row("payment_failed", json!({"nope": 1})), Locale::En).is_none());
    }
}
