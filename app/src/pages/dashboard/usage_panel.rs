//! The billing screen's usage panel: each meter the plan caps — its name, used / cap (or
//! "unlimited"), and when the count starts again. A cap that is reached says so, with the way to
//! a bigger plan (`/dashboard/billing`).

use contracts::Locale;
use contracts::usage::{Cadence, MeterUsageView, UsageView};
use leptos::either::EitherOf3;
use leptos::prelude::*;

use crate::api::usage::usage_overview;
use crate::components::form::describe;
use crate::i18n::{meter_name, tr};
use crate::pages::dashboard::DashboardCtx;
use crate::pages::dashboard::analytics::long_date;
use crate::pages::dashboard::billing::group_thousands;
use crate::pages::dashboard::members::{Loading, load_in_browser};

/// The organization's usage (rendered in the browser: it waits for data).
#[component]
pub fn UsagePanel() -> impl IntoView {
    let locale = expect_context::<DashboardCtx>().locale;
    let usage = load_in_browser(|| (), usage_overview);
    view! {
        <section class="card usage-panel" aria-labelledby="usage-heading" data-testid="usage-panel">
            <h2 id="usage-heading">{tr(locale, "Uso del plan", "Plan usage")}</h2>
            {move || match usage.get() {
                None => EitherOf3::A(view! { <Loading locale /> }),
                Some(Err(err)) => EitherOf3::B(view! {
                    <p class="notice notice-error" role="alert">{describe(&err, locale)}</p>
                }),
                Some(Ok(view)) => EitherOf3::C(view! { <Meters view locale /> }),
            }}
        </section>
    }
}

#[component]
fn Meters(view: UsageView, locale: Locale) -> impl IntoView {
    let enforced = view.enforced;
    let rows = view.meters.into_iter().map(|m| view! { <MeterRow meter=m locale enforced /> }).collect_view();
    view! { <ul class="usage-meters">{rows}</ul> }
}

#[component]
fn MeterRow(meter: MeterUsageView, locale: Locale, enforced: bool) -> impl IntoView {
    let amount = match meter.limit {
        Some(limit) => {
            format!("{} / {}", group_thousands(meter.used, locale), group_thousands(limit, locale))
        }
        None => format!("{} / {}", group_thousands(meter.used, locale), tr(locale, "ilimitado", "unlimited")),
    };
    let reached = meter.limit.is_some_and(|limit| meter.used >= limit);
    let resets = match (meter.cadence, meter.period_end.as_deref()) {
        (Cadence::Lifetime, _) | (_, None) => tr(locale, "Sin reinicio", "Never resets").to_owned(),
        (_, Some(end)) => format!("{} {}", tr(locale, "Se reinicia el", "Resets on"), long_date(end, locale)),
    };
    view! {
        <li class="usage-meter" data-testid="usage-meter" data-meter=meter.meter.key()>
            <div class="usage-meter-head">
                <span class="usage-meter-name">{meter_name(locale, meter.meter)}</span>
                <span class="usage-meter-amount">{amount}</span>
            </div>
            {meter.limit.map(|limit| view! {
                <progress max=limit.to_string() value=meter.used.min(limit).to_string()></progress>
            })}
            <p class="hint">{resets}</p>
            {(reached && enforced).then(|| view! {
                <p class="notice notice-info" role="status">
                    {tr(locale, "Llegaste al límite de tu plan. ", "You reached your plan's limit. ")}
                    <a href="/dashboard/billing">{tr(locale, "Mejora tu plan", "Upgrade your plan")}</a>
                </p>
            })}
        </li>
    }
}

#[cfg(test)]
mod tests {
    use contracts::usage::UsageMeter;

    use super::*;

    fn row(meter: MeterUsageView, locale: Locale, enforced: bool) -> String {
        Owner::new().with(|| view! { <MeterRow meter locale enforced /> }.to_html())
    }

    fn leads(used: u64, limit: Option<u64>) -> MeterUsageView {
        MeterUsageView {
            meter: UsageMeter::LeadsCaptured,
            cadence: Cadence::Monthly,
            used,
            limit,
            period_start: Some("2026-12-01T00:00:00+00:00".to_owned()),
            period_end: Some("2027-01-01T00:00:00+00:00".to_owned()),
        }
    }

    #[test]
    fn a_meter_shows_its_name_use_cap_and_when_it_resets() {
        let html = row(leads(3, Some(50)), Locale::En, true);
        assert!(html.contains("Leads this month"), "{html}");
        assert!(html.contains("3 / 50"), "{html}");
        assert!(html.contains("Resets on Jan 1, 2027"), "{html}");
        assert!(!html.contains("/dashboard/billing"), "no upgrade while under the cap: {html}");
        let html = row(leads(7, None), Locale::Es, true);
        assert!(html.contains("Contactos este mes") && html.contains("7 / ilimitado"), "{html}");
    }

    #[test]
    fn a_reached_cap_points_to_billing_when_enforced() {
        let html = row(leads(50, Some(50)), Locale::En, true);
        assert!(
            html.contains("You reached your plan's limit")
                || html.contains("You reached your plan&#x27;s limit"),
            "{html}"
        );
        assert!(html.contains(r#"href="/dashboard/billing""#), "{html}");
        let html = row(leads(50, Some(50)), Locale::En, false);
        assert!(!html.contains("/dashboard/billing"), "metering off: nothing to upgrade for: {html}");
    }

    #[test]
    fn a_lifetime_meter_never_resets() {
        let pages = MeterUsageView {
            meter: UsageMeter::PagesCreated,
            cadence: Cadence::Lifetime,
            used: 1,
            limit: Some(1),
            period_start: None,
            period_end: None,
        };
        let html = row(pages, Locale::Es, true);
        assert!(
            html.contains("Páginas") && html.contains("1 / 1") && html.contains("Sin reinicio"),
            "{html}"
        );
    }
}
