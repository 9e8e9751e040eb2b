//! `/dashboard/billing`: the organization's plan, the plans to move to (priced in the viewer's
//! currency where the plan has one), the provider's checkout and customer portal, a banner when a
//! payment failed, and the plan's usage.

use contracts::Locale;
use contracts::billing::{
    BillingInterval, BillingOverview, CheckoutBody, Currency, Meter, PlanId, PlanView, PriceView,
    SubscriptionStatus, SubscriptionView,
};
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::billing::{OpenBillingPortal, StartCheckout, load_billing};
use crate::components::form::{describe, go};
use crate::components::head::PageTitle;
use crate::i18n::tr;
use crate::pages::dashboard::DashboardCtx;
use crate::pages::dashboard::analytics::long_date;
use crate::pages::dashboard::members::{Loading, NoOrganization, load_in_browser};
use crate::pages::dashboard::usage_panel::UsagePanel;

/// The billing screen.
#[component]
pub fn Page() -> impl IntoView {
    let ctx = expect_context::<DashboardCtx>();
    let locale = ctx.locale;
    let has_org = ctx.session.organization.is_some();
    view! {
        <PageTitle text=tr(locale, "Facturación — mibio", "Billing — mibio") />
        <h1>{tr(locale, "Facturación", "Billing")}</h1>
        {if has_org {
            Either::Left(view! { <CheckoutOutcome locale /> <Billing locale /> <UsagePanel /> })
        } else {
            Either::Right(view! { <NoOrganization locale /> })
        }}
    }
}

/// The notice after the provider sends the browser back (`?checkout=success|canceled`).
#[component]
fn CheckoutOutcome(locale: Locale) -> impl IntoView {
    let query = use_query_map();
    move || {
        let outcome = query.read().get("checkout");
        let (class, text) = match outcome.as_deref() {
            Some("success") => (
                "notice notice-success",
                tr(
                    locale,
                    "¡Gracias! Recibimos tu pago; tu plan se actualiza en cuanto el proveedor lo confirme (suele tardar unos segundos).",
                    "Thank you! We got your payment; your plan updates as soon as the provider confirms it (usually a few seconds).",
                ),
            ),
            Some("canceled") => (
                "notice notice-info",
                tr(
                    locale,
                    "No se hizo ningún cargo: tu plan sigue igual.",
                    "Nothing was charged: your plan is unchanged.",
                ),
            ),
            _ => return None,
        };
        Some(view! { <p class=class role="status" data-testid="checkout-outcome">{text}</p> })
    }
}

#[component]
fn Billing(locale: Locale) -> impl IntoView {
    let overview = load_in_browser(|| (), load_billing);
    move || match overview.get() {
        None => EitherOf3::A(view! { <Loading locale /> }),
        Some(Err(err)) => EitherOf3::B(view! {
            <p class="notice notice-error" role="alert">{describe(&err, locale)}</p>
        }),
        Some(Ok(o)) => EitherOf3::C(view! { <Overview o locale /> }),
    }
}

#[component]
fn Overview(o: BillingOverview, locale: Locale) -> impl IntoView {
    let configured = o.provider.is_some();
    let can_manage = o.can_manage;
    let current = o.subscription.clone();
    let currencies = offered_currencies(&o.plans);
    let currency = RwSignal::new(Currency::Usd);
    // The viewer's currency, from the browser's languages (es-MX → MXN, pt-BR → BRL, …).
    let offered = currencies.clone();
    Effect::new(move |_| {
        let guess = guess_currency(&browser_languages());
        if offered.contains(&guess) {
            currency.set(guess);
        }
    });
    let interval = RwSignal::new(BillingInterval::Month);
    let error = RwSignal::new(None::<String>);
    let checkout = ServerAction::<StartCheckout>::new();
    let portal = ServerAction::<OpenBillingPortal>::new();
    Effect::new(move |_| {
        for result in [checkout.value().get(), portal.value().get()].into_iter().flatten() {
            match result {
                Ok(redirect) => go(&redirect.url),
                Err(err) => error.set(Some(describe(&err, locale))),
            }
        }
    });
    let busy = Signal::derive(move || checkout.pending().get() || portal.pending().get());
    let has_account = current.provider.is_some();
    let choose = Callback::new(move |plan: PlanId| {
        error.set(None);
        checkout.dispatch(StartCheckout {
            body: CheckoutBody {
                plan_id: plan,
                interval: Some(interval.get_untracked()),
                currency: Some(currency.get_untracked()),
            },
        });
    });
    let open_portal = Callback::new(move |()| {
        error.set(None);
        portal.dispatch(OpenBillingPortal {});
    });
    let manage = move |_| open_portal.run(());
    // A running subscription changes plan in the provider's portal (a second checkout would
    // charge twice; the server refuses it too).
    let running = has_account
        && matches!(
            current.status,
            SubscriptionStatus::Trialing | SubscriptionStatus::Active | SubscriptionStatus::PastDue
        );
    let plans = o
        .plans
        .into_iter()
        .map(|plan| {
            let is_current = plan.id == current.plan_id;
            let choose = if running { Callback::new(move |_: PlanId| open_portal.run(())) } else { choose };
            view! { <PlanCard plan is_current locale currency interval choose busy enabled=configured && can_manage running /> }
        })
        .collect_view();
    let currency_options = currencies
        .into_iter()
        .map(|c| view! { <option value=c.key() selected=move || currency.get() == c>{c.key()}</option> })
        .collect_view();
    view! {
        {(current.status == SubscriptionStatus::PastDue).then(|| view! {
            <div class="notice notice-error billing-past-due" role="alert" data-testid="past-due">
                <strong>{tr(locale, "Tu último pago no se pudo cobrar. ", "Your last payment could not be charged. ")}</strong>
                {tr(
                    locale,
                    "Actualiza tu medio de pago para no perder tu plan; el proveedor volverá a intentarlo.",
                    "Update your payment method to keep your plan; the provider will try again.",
                )}
            </div>
        })}
        <section class="card dash-section billing-current" aria-labelledby="current-plan" data-testid="current-plan">
            <h2 id="current-plan">{tr(locale, "Tu plan", "Your plan")}</h2>
            <CurrentPlan s=current.clone() locale />
            {(has_account && can_manage && configured).then(|| view! {
                <button type="button" class="button button-quiet" on:click=manage disabled=move || busy.get()
                    aria-busy=move || portal.pending().get().to_string() data-testid="manage-billing">
                    {tr(locale, "Administrar facturación", "Manage billing")}
                </button>
            })}
        </section>
        {(!configured).then(|| view! {
            <p class="notice notice-info" data-testid="billing-not-configured">
                {tr(
                    locale,
                    "Los pagos aún no están habilitados en este sitio: todas las organizaciones usan el plan gratuito por ahora.",
                    "Payments are not set up on this site yet: every organization is on the free plan for now.",
                )}
            </p>
        })}
        {(configured && !can_manage).then(|| view! {
            <p class="hint">{tr(
                locale,
                "Solo quien administra la facturación de la organización puede cambiar el plan.",
                "Only those who manage the organization's billing can change its plan.",
            )}</p>
        })}
        <div role="alert">{move || error.get().map(|e| view! { <p class="notice notice-error">{e}</p> })}</div>
        <section class="dash-section" aria-labelledby="plans-heading">
            <div class="billing-plans-head">
                <h2 id="plans-heading">{tr(locale, "Planes", "Plans")}</h2>
                <fieldset class="segmented">
                    <legend class="visually-hidden">{tr(locale, "Frecuencia de pago", "Billing frequency")}</legend>
                    <label>
                        <input type="radio" name="interval" checked=move || interval.get() == BillingInterval::Month
                            on:change=move |_| interval.set(BillingInterval::Month) />
                        <span>{tr(locale, "Mensual", "Monthly")}</span>
                    </label>
                    <label>
                        <input type="radio" name="interval" checked=move || interval.get() == BillingInterval::Year
                            on:change=move |_| interval.set(BillingInterval::Year) />
                        <span>{tr(locale, "Anual", "Yearly")}</span>
                    </label>
                </fieldset>
                <label class="billing-currency">
                    <span>{tr(locale, "Moneda", "Currency")}</span>
                    <select data-testid="currency" on:change=move |ev| {
                        if let Ok(c) = event_target_value(&ev).parse() {
                            currency.set(c);
                        }
                    }>{currency_options}</select>
                </label>
            </div>
            <ul class="billing-plans">{plans}</ul>
        </section>
    }
}

#[component]
fn CurrentPlan(s: SubscriptionView, locale: Locale) -> impl IntoView {
    let name = plan_name(s.plan_id);
    let end = s.current_period_end.as_deref().map(|e| long_date(e, locale));
    let period = match (s.plan_id, end, s.cancel_at_period_end || s.status == SubscriptionStatus::Canceled) {
        (PlanId::Free, _, _) => tr(
            locale,
            "Gratis para siempre. Mejora cuando necesites más páginas, contactos o miembros.",
            "Free forever. Upgrade when you need more pages, leads or members.",
        )
        .to_owned(),
        (_, Some(day), true) => format!("{} {day}", tr(locale, "Termina el", "Ends on")),
        (_, Some(day), false) => format!("{} {day}", tr(locale, "Se renueva el", "Renews on")),
        (_, None, _) => String::new(),
    };
    view! {
        <p class="billing-plan-line">
            <strong class="billing-plan-name">{name}</strong>
            " "
            {(s.plan_id != PlanId::Free).then(|| view! {
                <span class="badge" data-testid="subscription-status">{status_label(s.status, locale)}</span>
            })}
        </p>
        <p class="hint">{period}</p>
    }
}

#[component]
#[allow(clippy::too_many_arguments)]
fn PlanCard(
    plan: PlanView,
    is_current: bool,
    locale: Locale,
    currency: RwSignal<Currency>,
    interval: RwSignal<BillingInterval>,
    choose: Callback<PlanId>,
    busy: Signal<bool>,
    enabled: bool,
    /// A subscription runs: other plans are chosen in the provider's portal.
    running: bool,
) -> impl IntoView {
    let id = plan.id;
    let prices = plan.prices.clone();
    let price = move || {
        if id == PlanId::Free {
            return tr(locale, "Gratis", "Free").to_owned();
        }
        match price_in(&prices, currency.get(), interval.get()) {
            Some(p) => {
                let per = match p.interval {
                    BillingInterval::Month => tr(locale, "/mes", "/month"),
                    BillingInterval::Year => tr(locale, "/año", "/year"),
                };
                format!("{}{per}", format_money(locale, p.currency, p.amount_minor))
            }
            None => tr(locale, "No disponible en esta moneda", "Not offered in this currency").to_owned(),
        }
    };
    let caps =
        plan.caps.iter().map(|c| view! { <li>{cap_line(c.meter, c.limit, locale)}</li> }).collect_view();
    let action = if is_current {
        EitherOf3::A(
            view! { <p class="badge badge-live billing-current-badge">{tr(locale, "Tu plan actual", "Your current plan")}</p> },
        )
    } else if id == PlanId::Free {
        EitherOf3::B(())
    } else {
        let label = if running {
            format!("{} {}", tr(locale, "Cambiar a", "Switch to"), plan.name)
        } else {
            format!("{} {}", tr(locale, "Mejorar a", "Upgrade to"), plan.name)
        };
        EitherOf3::C(view! {
            <button type="button" class="button button-primary button-block" data-testid=format!("upgrade-{}", id.key())
                disabled=move || !enabled || busy.get() on:click=move |_| choose.run(id)>
                {label}
            </button>
        })
    };
    view! {
        <li class="card billing-plan" class:billing-plan-current=is_current data-plan=id.key()>
            <h3>{plan.name.clone()}</h3>
            <p class="billing-price" data-testid=format!("price-{}", id.key())>{price}</p>
            <ul class="billing-caps">{caps}</ul>
            {action}
        </li>
    }
}

/// A plan's display name.
const fn plan_name(plan: PlanId) -> &'static str {
    match plan {
        PlanId::Free => "Free",
        PlanId::Pro => "Pro",
        PlanId::Business => "Business",
    }
}

/// A subscription status in the viewer's words.
fn status_label(status: SubscriptionStatus, locale: Locale) -> &'static str {
    match status {
        SubscriptionStatus::Trialing => tr(locale, "En prueba", "Trial"),
        SubscriptionStatus::Active => tr(locale, "Activa", "Active"),
        SubscriptionStatus::PastDue => tr(locale, "Pago vencido", "Past due"),
        SubscriptionStatus::Canceled => tr(locale, "Cancelada", "Canceled"),
        SubscriptionStatus::Incomplete => tr(locale, "Incompleta", "Incomplete"),
    }
}

/// A cap as a line of the plan card ("10 pages", "Unlimited leads a month").
fn cap_line(meter: Meter, limit: Option<u32>, locale: Locale) -> String {
    let (es, en) = match meter {
        Meter::Pages => (("página", "páginas", "Páginas ilimitadas"), ("page", "pages", "Unlimited pages")),
        Meter::LeadsPerMonth => (
            ("contacto al mes", "contactos al mes", "Contactos ilimitados"),
            ("lead a month", "leads a month", "Unlimited leads"),
        ),
        Meter::Members => {
            (("miembro", "miembros", "Miembros ilimitados"), ("member", "members", "Unlimited members"))
        }
    };
    let (one, many, unlimited) = match locale {
        Locale::Es => es,
        Locale::En => en,
    };
    match limit {
        None => unlimited.to_owned(),
        Some(1) => format!("1 {one}"),
        Some(n) => format!("{} {many}", group_thousands(u64::from(n), locale)),
    }
}

/// The currencies some plan is priced in, in the contract's order.
fn offered_currencies(plans: &[PlanView]) -> Vec<Currency> {
    Currency::ALL
        .iter()
        .copied()
        .filter(|c| plans.iter().any(|p| p.prices.iter().any(|price| price.currency == *c)))
        .collect()
}

/// The price in `currency` and `interval`.
fn price_in(prices: &[PriceView], currency: Currency, interval: BillingInterval) -> Option<PriceView> {
    prices.iter().find(|p| p.currency == currency && p.interval == interval).cloned()
}

/// The currency of the first of the browser's languages whose region has one of ours.
fn guess_currency(languages: &[String]) -> Currency {
    languages
        .iter()
        .find_map(|tag| {
            let tag = tag.to_ascii_lowercase();
            let region = tag.split(['-', '_']).nth(1).unwrap_or("");
            match (tag.split(['-', '_']).next().unwrap_or(""), region) {
                (_, "mx") => Some(Currency::Mxn),
                (_, "br") | ("pt", "") => Some(Currency::Brl),
                (_, "ar") => Some(Currency::Ars),
                (_, "co") => Some(Currency::Cop),
                (_, "cl") => Some(Currency::Clp),
                (_, "us") => Some(Currency::Usd),
                _ => None,
            }
        })
        .unwrap_or(Currency::Usd)
}

/// `navigator.languages` (empty outside the browser).
fn browser_languages() -> Vec<String> {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        return window.navigator().languages().iter().filter_map(|v| v.as_string()).collect();
    }
    Vec::new()
}

/// An amount in a currency's minor unit, for `locale` ("$1,790 MXN", "R$49 BRL"; cents only when
/// there are some).
fn format_money(locale: Locale, currency: Currency, amount_minor: i64) -> String {
    let symbol = match currency {
        Currency::Brl => "R$",
        _ => "$",
    };
    let sign = if amount_minor < 0 { "-" } else { "" };
    let minor = amount_minor.unsigned_abs();
    let whole = group_thousands(minor / 100, locale);
    let cents = minor % 100;
    let decimal = match locale {
        Locale::Es => ',',
        Locale::En => '.',
    };
    if cents == 0 {
        format!("{sign}{symbol}{whole} {}", currency.key())
    } else {
        format!("{sign}{symbol}{whole}{decimal}{cents:02} {}", currency.key())
    }
}

/// `1790` as `1,790` (English) or `1.790` (Spanish).
pub(crate) fn group_thousands(n: u64, locale: Locale) -> String {
    let sep = match locale {
        Locale::Es => '.',
        Locale::En => ',',
    };
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_reads_as_the_locale_writes_it() {
        assert_eq!(format_money(Locale::En, Currency::Usd, 900), "$9 USD");
        assert_eq!(format_money(Locale::En, Currency::Mxn, 179_000), "$1,790 MXN");
        assert_eq!(format_money(Locale::Es, Currency::Mxn, 179_000), "$1.790 MXN");
        assert_eq!(format_money(Locale::Es, Currency::Brl, 4_950), "R$49,50 BRL");
        assert_eq!(format_money(Locale::En, Currency::Ars, 31_900_000), "$319,000 ARS");
    }

    #[test]
    fn the_browser_language_picks_the_currency() {
        let langs = |l: &[&str]| l.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(guess_currency(&langs(&["es-MX", "en"])), Currency::Mxn);
        assert_eq!(guess_currency(&langs(&["pt-BR"])), Currency::Brl);
        assert_eq!(guess_currency(&langs(&["pt"])), Currency::Brl);
        assert_eq!(guess_currency(&langs(&["es", "es-AR"])), Currency::Ars);
        assert_eq!(guess_currency(&langs(&["en-GB", "de"])), Currency::Usd);
        assert_eq!(guess_currency(&[]), Currency::Usd);
    }

    #[test]
    fn dates_read_as_the_locale_writes_them() {
        assert_eq!(long_date("2027-01-05T12:00:00+00:00", Locale::Es), "5 ene 2027");
        assert_eq!(long_date("2027-01-05", Locale::En), "Jan 5, 2027");
        assert_eq!(long_date("soon", Locale::En), "soon");
    }

    #[test]
    fn caps_read_as_sentences() {
        assert_eq!(cap_line(Meter::Pages, Some(1), Locale::Es), "1 página");
        assert_eq!(cap_line(Meter::LeadsPerMonth, Some(2_000), Locale::En), "2,000 leads a month");
        assert_eq!(cap_line(Meter::Pages, None, Locale::En), "Unlimited pages");
        assert_eq!(cap_line(Meter::Members, None, Locale::Es), "Miembros ilimitados");
    }

    #[test]
    fn only_currencies_a_plan_has_are_offered() {
        let plan = |currencies: &[Currency]| PlanView {
            id: PlanId::Pro,
            name: "Pro".into(),
            prices: currencies
                .iter()
                .map(|c| PriceView { currency: *c, interval: BillingInterval::Month, amount_minor: 100 })
                .collect(),
            caps: vec![],
        };
        assert_eq!(
            offered_currencies(&[plan(&[Currency::Brl, Currency::Usd]), plan(&[Currency::Usd])]),
            vec![Currency::Usd, Currency::Brl]
        );
    }
}
