//! `/dashboard/pages/:id/analytics`: a page's numbers over 7, 30 or 90 days — totals as cards, one
//! hand-written SVG line chart of views and clicks per day (with a title, a description, a
//! tooltip and a visually hidden table of the same numbers), clicks per block and top referrers
//! as ranked bar lists. Before the first visit it explains when numbers appear.

use crate::components::form::describe;
use crate::components::head::PageTitle;
use contracts::analytics::{AnalyticsReport, DayPoint, Range};
use contracts::links::PageView;
use contracts::{ApiError, Locale};
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;

use crate::api::links::{get_page, page_analytics};
use crate::components::client_only::ClientOnly;
use crate::i18n::tr;
use crate::pages::dashboard::DashboardCtx;
use crate::pages::dashboard::members::{Loading, NoOrganization, load_in_browser};
use crate::pages::dashboard::page_kit::{BackToPages, PageTabs, page_id};

/// The chart's drawing area inside its `viewBox`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Plot {
    pub width: f64,
    pub height: f64,
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
}

/// The chart's layout: room on the left for the scale and below for the dates.
pub const PLOT: Plot = Plot { width: 640.0, height: 240.0, left: 40.0, right: 12.0, top: 12.0, bottom: 28.0 };
/// On a phone: a narrower drawing, so that its text stays at reading size.
pub const PLOT_NARROW: Plot =
    Plot { width: 340.0, height: 220.0, left: 32.0, right: 8.0, top: 12.0, bottom: 28.0 };

/// The layout for the window's width (the chart renders in the browser only).
fn plot_for_screen() -> Plot {
    #[cfg(feature = "hydrate")]
    {
        let narrow = web_sys::window()
            .and_then(|w| w.inner_width().ok())
            .and_then(|w| w.as_f64())
            .is_some_and(|w| w < 600.0);
        if narrow {
            return PLOT_NARROW;
        }
    }
    PLOT
}

impl Plot {
    /// The x of day `i` of `n` (a single day sits in the middle).
    #[must_use]
    pub fn x(&self, i: usize, n: usize) -> f64 {
        let span = self.width - self.left - self.right;
        if n <= 1 {
            return self.left + span / 2.0;
        }
        self.left + span * count(i) / count(n - 1)
    }

    /// The y of `value` on a scale topping at `max`.
    #[must_use]
    pub fn y(&self, value: u64, max: u64) -> f64 {
        let span = self.height - self.top - self.bottom;
        self.height - self.bottom - span * number(value) / number(max.max(1))
    }
}

fn count(n: usize) -> f64 {
    f64::from(u32::try_from(n).unwrap_or(u32::MAX))
}

#[expect(clippy::cast_precision_loss, reason = "chart counts are far below 2^52")]
const fn number(n: u64) -> f64 {
    n as f64
}

/// A round top for the scale: at least 4, then 1, 2 or 5 times a power of ten.
#[must_use]
pub fn nice_max(max: u64) -> u64 {
    if max <= 4 {
        return 4;
    }
    let mut magnitude = 1;
    while magnitude * 10 <= max {
        magnitude *= 10;
    }
    [1, 2, 5, 10].into_iter().map(|m| m * magnitude).find(|&top| top >= max).unwrap_or(10 * magnitude)
}

/// The SVG path of a series: `M x,y L x,y …`, one decimal.
#[must_use]
pub fn line_path(values: &[u64], max: u64, plot: &Plot) -> String {
    values
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            let command = if i == 0 { 'M' } else { 'L' };
            format!("{command}{:.1},{:.1}", plot.x(i, values.len()), plot.y(v, max))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `2025-03-05` as `5 mar` / `Mar 5`.
#[must_use]
pub fn short_date(date: &str, locale: Locale) -> String {
    const ES: [&str; 12] =
        ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"];
    const EN: [&str; 12] =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let month: Option<usize> = date.get(5..7).and_then(|m| m.parse().ok()).filter(|m| (1..=12).contains(m));
    let day: Option<u32> = date.get(8..10).and_then(|d| d.parse().ok());
    match (month, day, locale) {
        (Some(m), Some(d), Locale::Es) => format!("{d} {}", ES[m - 1]),
        (Some(m), Some(d), Locale::En) => format!("{} {d}", EN[m - 1]),
        _ => date.to_owned(),
    }
}

/// `2025-03-05` (or an RFC 3339 instant on that day) as `5 mar 2025` / `Mar 5, 2025`.
#[must_use]
pub fn long_date(date: &str, locale: Locale) -> String {
    let day = date.get(..10).unwrap_or(date);
    let (short, year) = (short_date(day, locale), day.get(..4).unwrap_or(""));
    if short == day {
        return date.to_owned();
    }
    match locale {
        Locale::Es => format!("{short} {year}"),
        Locale::En => format!("{short}, {year}"),
    }
}

/// The analytics page.
#[component]
pub fn Page() -> impl IntoView {
    let ctx = expect_context::<DashboardCtx>();
    let locale = ctx.locale;
    let title = view! { <PageTitle text=tr(locale, "Estadísticas — mibio", "Analytics — mibio") /> };
    if ctx.session.organization.is_none() {
        return Either::Left(view! { {title} <NoOrganization locale /> });
    }
    Either::Right(view! {
        {title}
        <BackToPages locale />
        <ClientOnly locale render=move || view! { <Analytics locale /> } />
    })
}

/// The page's title and tabs, then its numbers (browser only).
#[component]
fn Analytics(locale: Locale) -> impl IntoView {
    let id = page_id();
    let range = RwSignal::new(Range::Days30);
    let page = load_in_browser(move || id.track(), move || get_page(id.get_untracked()));
    let report = load_in_browser(
        move || {
            id.track();
            range.track();
        },
        move || page_analytics(id.get_untracked(), range.get_untracked()),
    );
    move || match page.get() {
        None => EitherOf3::A(view! { <Loading locale /> }),
        Some(Err(err)) => {
            EitherOf3::B(view! { <p class="notice notice-error" role="alert">{describe(&err, locale)}</p> })
        }
        Some(Ok(page)) => EitherOf3::C(view! {
            <h1>{page.title.clone()}</h1>
            <PageTabs page_id=page.id.clone() locale />
            <Report page report range locale />
        }),
    }
}

#[component]
fn Report(
    page: PageView,
    report: ReadSignal<Option<Result<AnalyticsReport, ApiError>>>,
    range: RwSignal<Range>,
    locale: Locale,
) -> impl IntoView {
    let ranges = Range::ALL
        .into_iter()
        .map(|r| {
            let label = match locale {
                Locale::Es => format!("{} días", r.days()),
                Locale::En => format!("{} days", r.days()),
            };
            view! {
                <button type="button" class="seg" aria-pressed=move || (range.get() == r).to_string() on:click=move |_| range.set(r)>{label}</button>
            }
        })
        .collect_view();
    let labels: Vec<(String, String)> =
        page.blocks.iter().map(|b| (b.id.clone(), b.block.label().to_owned())).collect();
    let published = page.published;
    view! {
        <div class="an-head">
            <h2 class="visually-hidden">{tr(locale, "Periodo", "Period")}</h2>
            <div class="segmented" role="group" aria-label=tr(locale, "Periodo", "Period")>{ranges}</div>
        </div>
        {move || match report.get() {
            None => EitherOf3::A(view! { <Loading locale /> }),
            Some(Err(err)) => EitherOf3::B(view! { <p class="notice notice-error" role="alert">{describe(&err, locale)}</p> }),
            Some(Ok(report)) => {
                let empty = report.totals.views == 0 && report.totals.clicks == 0;
                EitherOf3::C(view! {
                    <Totals report=report.clone() locale />
                    {if empty {
                        Either::Left(view! { <EmptyAnalytics published locale /> })
                    } else {
                        Either::Right(view! {
                            <Chart series=report.series.clone() locale />
                            <div class="an-lists">
                                <BlockClicks report=report.clone() labels=labels.clone() locale />
                                <Referrers report locale />
                            </div>
                        })
                    }}
                })
            }
        }}
    }
}

#[component]
fn Totals(report: AnalyticsReport, locale: Locale) -> impl IntoView {
    let t = report.totals;
    let rate = if t.views == 0 {
        "—".to_owned()
    } else {
        format!("{:.1} %", number(t.clicks) * 100.0 / number(t.views))
    };
    let cards = [
        (tr(locale, "Visitas", "Views"), t.views.to_string(), "total-views"),
        (tr(locale, "Visitantes únicos", "Unique visitors"), t.unique_visitors.to_string(), "total-visitors"),
        (tr(locale, "Clics", "Clicks"), t.clicks.to_string(), "total-clicks"),
        (tr(locale, "Clics por visita", "Click rate"), rate, "total-rate"),
    ];
    view! {
        <ul class="an-cards">
            {cards.into_iter().map(|(label, value, id)| view! {
                <li class="an-card"><span class="an-card-label">{label}</span><span class="an-card-value" data-testid=id>{value}</span></li>
            }).collect_view()}
        </ul>
    }
}

#[component]
fn EmptyAnalytics(published: bool, locale: Locale) -> impl IntoView {
    view! {
        <div class="empty-teach" data-testid="analytics-empty">
            <h3>{tr(locale, "Todavía no hay visitas en este periodo", "No visits in this period yet")}</h3>
            <p>{tr(locale, "Las cifras aparecen unos segundos después de que alguien abra tu página publicada o toque uno de sus bloques. No contamos robots ni tus vistas previas.", "Numbers appear a few seconds after someone opens your published page or taps one of its blocks. Bots and your previews don't count.")}</p>
            {(!published).then(|| view! {
                <p><strong>{tr(locale, "Tu página aún es un borrador: publícala desde el editor para empezar a medir.", "Your page is still a draft: publish it from the editor to start measuring.")}</strong></p>
            })}
        </div>
    }
}

#[component]
fn Chart(series: Vec<DayPoint>, locale: Locale) -> impl IntoView {
    let views: Vec<u64> = series.iter().map(|d| d.views).collect();
    let clicks: Vec<u64> = series.iter().map(|d| d.clicks).collect();
    let top = nice_max(views.iter().chain(&clicks).copied().max().unwrap_or_default());
    let n = series.len();
    let p = plot_for_screen();
    let grid = [0, top / 2, top]
        .into_iter()
        .map(|v| {
            let y = format!("{:.1}", p.y(v, top));
            view! {
                <line x1=p.left x2=p.width - p.right y1=y.clone() y2=y.clone() class="an-grid" />
                <text x=p.left - 8.0 y=y class="an-axis" text-anchor="end" dominant-baseline="middle">{v.to_string()}</text>
            }
        })
        .collect_view();
    let ticks = [0, n / 2, n.saturating_sub(1)]
        .into_iter()
        .filter(|&i| i < n)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .map(|i| {
            let anchor = if i == 0 { "start" } else if i + 1 == n { "end" } else { "middle" };
            view! { <text x=format!("{:.1}", p.x(i, n)) y=p.height - 8.0 class="an-axis" text-anchor=anchor>{short_date(&series[i].date, locale)}</text> }
        })
        .collect_view();
    let hover = RwSignal::new(None::<usize>);
    // Hit areas as wide as the step between days, so that they tile without gaps.
    let span = p.width - p.left - p.right;
    let column = if n > 1 { span / count(n - 1) } else { span };
    let points = series.clone();
    let hit = points
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let x = p.x(i, n) - column / 2.0;
            let tip = match locale {
                Locale::Es => format!("{}: {} visitas, {} clics", short_date(&d.date, locale), d.views, d.clicks),
                Locale::En => format!("{}: {} views, {} clicks", short_date(&d.date, locale), d.views, d.clicks),
            };
            view! {
                <rect x=format!("{x:.1}") y=p.top width=format!("{column:.1}") height=p.height - p.top - p.bottom class="an-hit"
                    on:mouseenter=move |_| hover.set(Some(i)) on:mouseleave=move |_| hover.set(None)>
                    <title>{tip}</title>
                </rect>
            }
        })
        .collect_view();
    let guide = move || {
        hover.get().and_then(|i| points.get(i).map(|d| (i, d.clone()))).map(|(i, d)| {
            let x = p.x(i, n);
            // The box sits right of the guide, or left of it near the right edge.
            let box_x = if x + 158.0 > p.width - p.right { x - 158.0 } else { x + 8.0 };
            let views_label = format!("{} {}", d.views, tr(locale, "visitas", "views"));
            let clicks_label = format!("{} {}", d.clicks, tr(locale, "clics", "clicks"));
            view! {
                <g class="an-tip" pointer-events="none">
                    <line x1=format!("{x:.1}") x2=format!("{x:.1}") y1=p.top y2=p.height - p.bottom class="an-guide" />
                    <circle cx=format!("{x:.1}") cy=format!("{:.1}", p.y(d.views, top)) r="4" class="an-dot-views" />
                    <circle cx=format!("{x:.1}") cy=format!("{:.1}", p.y(d.clicks, top)) r="4" class="an-dot-clicks" />
                    <rect x=format!("{box_x:.1}") y=p.top width="150" height="58" rx="8" class="an-tip-box" />
                    <text x=format!("{:.1}", box_x + 10.0) y=p.top + 18.0 class="an-tip-date">{short_date(&d.date, locale)}</text>
                    <text x=format!("{:.1}", box_x + 10.0) y=p.top + 34.0 class="an-tip-views">{views_label}</text>
                    <text x=format!("{:.1}", box_x + 10.0) y=p.top + 50.0 class="an-tip-clicks">{clicks_label}</text>
                </g>
            }
        })
    };
    let total_views: u64 = views.iter().sum();
    let total_clicks: u64 = clicks.iter().sum();
    let desc = match locale {
        Locale::Es => format!(
            "{n} días: {total_views} visitas y {total_clicks} clics en total. La tabla siguiente tiene las cifras de cada día."
        ),
        Locale::En => format!(
            "{n} days: {total_views} views and {total_clicks} clicks in all. The table below has each day's numbers."
        ),
    };
    let rows = series
        .iter()
        .map(
            |d| view! { <tr><th scope="row">{d.date.clone()}</th><td>{d.views}</td><td>{d.clicks}</td></tr> },
        )
        .collect_view();
    view! {
        <section class="card an-chart" aria-labelledby="chart-heading">
            <div class="an-chart-head">
                <h2 id="chart-heading">{tr(locale, "Visitas y clics por día", "Views and clicks per day")}</h2>
                <p class="an-legend" aria-hidden="true">
                    <span class="an-key an-key-views">{tr(locale, "Visitas", "Views")}</span>
                    <span class="an-key an-key-clicks">{tr(locale, "Clics", "Clicks")}</span>
                </p>
            </div>
            <svg viewBox=format!("0 0 {} {}", p.width, p.height) role="img" aria-labelledby="chart-title chart-desc" class="an-svg" data-testid="chart">
                <title id="chart-title">{tr(locale, "Visitas y clics por día", "Views and clicks per day")}</title>
                <desc id="chart-desc">{desc}</desc>
                {grid}
                {ticks}
                <path d=line_path(&views, top, &p) class="an-line-views" />
                <path d=line_path(&clicks, top, &p) class="an-line-clicks" />
                {hit}
                {guide}
            </svg>
            <table class="visually-hidden">
                <caption>{tr(locale, "Visitas y clics por día", "Views and clicks per day")}</caption>
                <thead><tr>
                    <th scope="col">{tr(locale, "Día", "Day")}</th>
                    <th scope="col">{tr(locale, "Visitas", "Views")}</th>
                    <th scope="col">{tr(locale, "Clics", "Clicks")}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}

/// A ranked list with bars: (label, value), largest first.
fn bars(items: Vec<(String, u64)>, testid: &'static str) -> impl IntoView {
    let top = items.iter().map(|(_, v)| *v).max().unwrap_or(1).max(1);
    view! {
        <ol class="an-bars" data-testid=testid>
            {items.into_iter().map(|(label, value)| {
                let width = format!("width:{:.1}%", number(value) * 100.0 / number(top));
                view! {
                    <li>
                        <span class="an-bar-label">{label}</span>
                        <span class="an-bar-value">{value}</span>
                        <span class="an-bar" aria-hidden="true"><span style=width></span></span>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

#[component]
fn BlockClicks(report: AnalyticsReport, labels: Vec<(String, String)>, locale: Locale) -> impl IntoView {
    let items: Vec<(String, u64)> = report
        .blocks
        .iter()
        .map(|b| {
            let label = labels
                .iter()
                .find(|(id, _)| *id == b.block_id)
                .map(|(_, l)| l.clone())
                .filter(|l| !l.trim().is_empty())
                .unwrap_or_else(|| {
                    tr(locale, "Bloque eliminado o sin título", "Deleted or untitled block").to_owned()
                });
            (label, b.clicks)
        })
        .collect();
    view! {
        <section class="card an-list" aria-labelledby="blocks-clicks-heading">
            <h2 id="blocks-clicks-heading">{tr(locale, "Clics por bloque", "Clicks per block")}</h2>
            {if items.is_empty() {
                Either::Left(view! { <p class="muted">{tr(locale, "Aún nadie ha tocado un bloque.", "Nobody has tapped a block yet.")}</p> })
            } else {
                Either::Right(bars(items, "block-clicks"))
            }}
        </section>
    }
}

#[component]
fn Referrers(report: AnalyticsReport, locale: Locale) -> impl IntoView {
    let items: Vec<(String, u64)> = report.referrers.iter().map(|r| (r.host.clone(), r.views)).collect();
    view! {
        <section class="card an-list" aria-labelledby="referrers-heading">
            <h2 id="referrers-heading">{tr(locale, "Principales orígenes", "Top referrers")}</h2>
            {if items.is_empty() {
                Either::Left(view! { <p class="muted">{tr(locale, "Las visitas llegaron directamente (enlace copiado, app o código QR).", "Visits came directly (a copied link, an app or the QR code).")}</p> })
            } else {
                Either::Right(bars(items, "referrers"))
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOX: Plot = Plot { width: 120.0, height: 60.0, left: 10.0, right: 10.0, top: 5.0, bottom: 5.0 };

    #[test]
    fn paths_span_the_plot() {
        assert_eq!(line_path(&[0, 5, 10], 10, &BOX), "M10.0,55.0 L60.0,30.0 L110.0,5.0");
        assert_eq!(line_path(&[3], 4, &BOX), "M60.0,17.5");
        assert_eq!(line_path(&[], 4, &BOX), "");
        // A zero scale draws flat at the bottom instead of dividing by zero.
        assert_eq!(line_path(&[0, 0], 0, &BOX), "M10.0,55.0 L110.0,55.0");
    }

    #[test]
    fn scales_end_on_round_numbers() {
        assert_eq!(nice_max(0), 4);
        assert_eq!(nice_max(4), 4);
        assert_eq!(nice_max(7), 10);
        assert_eq!(nice_max(10), 10);
        assert_eq!(nice_max(11), 20);
        assert_eq!(nice_max(230), 500);
        assert_eq!(nice_max(501), 1000);
    }

    #[test]
    fn days_read_short() {
        assert_eq!(short_date("2025-03-05", Locale::Es), "5 mar");
        assert_eq!(short_date("2025-12-24", Locale::En), "Dec 24");
        assert_eq!(short_date("nope", Locale::En), "nope");
    }
}
