//! The blocks of a public page, one component per block type. The public page renders them on the
//! server; the editor's live preview renders the very same components in the browser, so nothing
//! here may depend on the server.
//!
//! Every outgoing link carries `rel="noopener noreferrer"` and no `target` (in-app browsers handle
//! new windows badly), and every clickable block's anchor carries `data-block-id` for the click
//! beacon. Texts are children or attributes, which Leptos escapes.

use contracts::Locale;
use contracts::blocks::{
    BlockConfig, BookingLinkConfig, ImageConfig, LinkConfig, PaymentLinkConfig, SocialRowConfig,
    WhatsappConfig, check_url,
};
use contracts::links::PublicBlock;
use leptos::prelude::*;

use super::LeadFormState;
use super::icons;
use super::lead_form::LeadCapture;
use crate::i18n::tr;

/// The `rel` of every outgoing link.
pub const OUTGOING_REL: &str = "noopener noreferrer";

/// `url` as a link target, if it is an `http:`/`https:` address. Blocks are validated when saved;
/// this keeps a `javascript:` URL that reached the database some other way from ever becoming a
/// link.
#[must_use]
pub fn safe_href(url: String) -> Option<String> {
    check_url(&url).is_ok().then_some(url)
}

/// One block of a public page. `slug` is the page's (lead forms post to `/{slug}/leads`); `lead`
/// only matters for `LEAD_CAPTURE` blocks.
#[component]
pub fn ProfileBlock(
    block: PublicBlock,
    #[prop(into)] slug: String,
    locale: Locale,
    #[prop(optional)] lead: LeadFormState,
) -> impl IntoView {
    let PublicBlock { id, block } = block;
    match block {
        BlockConfig::Link(config) => link(id, config).into_any(),
        BlockConfig::Header(config) => view! { <h2 class="block section">{config.text}</h2> }.into_any(),
        BlockConfig::PaymentLink(config) => payment(id, config).into_any(),
        BlockConfig::BookingLink(config) => booking(id, config).into_any(),
        BlockConfig::Whatsapp(config) => whatsapp(id, config, locale).into_any(),
        BlockConfig::LeadCapture(config) => {
            view! { <LeadCapture id config slug locale state=lead /> }.into_any()
        }
        BlockConfig::Image(config) => image(id, config).into_any(),
        BlockConfig::SocialRow(config) => social_row(id, config).into_any(),
    }
}

fn link(id: String, config: LinkConfig) -> impl IntoView {
    let class = if config.thumbnail_url.is_some() { "block btn has-thumb" } else { "block btn" };
    let thumbnail = config.thumbnail_url.map(|src| {
        view! {
            <img class="btn-thumb" src=src alt="" width="40" height="40" loading="lazy" decoding="async" />
        }
    });
    view! {
        <a class=class href=safe_href(config.url) rel=OUTGOING_REL data-block-id=id>
            {thumbnail}
            <span class="btn-title">{config.title}</span>
        </a>
    }
}

/// A button with a leading glyph and an optional second line (price, duration).
fn rich_button(
    id: String,
    url: String,
    kind: &'static str,
    glyph: AnyView,
    title: String,
    sub: Option<String>,
) -> impl IntoView {
    view! {
        <a class=format!("block btn btn-rich {kind}") href=safe_href(url) rel=OUTGOING_REL data-block-id=id>
            <span class="btn-icon">{glyph}</span>
            <span class="btn-text">
                <span class="btn-title">{title}</span>
                {sub.map(|sub| view! { <span class="btn-sub">{sub}</span> })}
            </span>
        </a>
    }
}

fn payment(id: String, config: PaymentLinkConfig) -> impl IntoView {
    let price = config.price_label.filter(|p| !p.trim().is_empty());
    rich_button(id, config.url, "pay", icons::card().into_any(), config.title, price)
}

fn booking(id: String, config: BookingLinkConfig) -> impl IntoView {
    let duration = config.duration_minutes.map(duration_label);
    rich_button(id, config.url, "book", icons::calendar().into_any(), config.title, duration)
}

/// A session length as people write it: `30 min`, `1 h`, `1 h 30 min`.
#[must_use]
pub fn duration_label(minutes: u16) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

fn whatsapp(id: String, config: WhatsappConfig, locale: Locale) -> impl IntoView {
    let href = config.chat_url();
    let title = config
        .title
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| tr(locale, "Escríbeme por WhatsApp", "Message me on WhatsApp").to_owned());
    view! {
        <a class="block btn wa" href=href rel=OUTGOING_REL data-block-id=id>
            <span class="btn-icon">{icons::whatsapp()}</span>
            <span class="btn-title">{title}</span>
        </a>
    }
}

fn image(id: String, config: ImageConfig) -> impl IntoView {
    let picture = view! {
        <img class="pic" src=config.url alt=config.alt loading="lazy" decoding="async" />
    };
    match config.link_url {
        Some(href) => view! {
            <a class="block pic-frame" href=safe_href(href) rel=OUTGOING_REL data-block-id=id>
                {picture}
            </a>
        }
        .into_any(),
        None => view! { <div class="block pic-frame">{picture}</div> }.into_any(),
    }
}

fn social_row(id: String, config: SocialRowConfig) -> impl IntoView {
    let icons = config
        .links
        .into_iter()
        .map(|link| {
            let network = link.network;
            view! {
                <li>
                    <a
                        class="social"
                        href=safe_href(link.url)
                        rel=OUTGOING_REL
                        aria-label=network.label()
                        data-network=network.as_str()
                        data-block-id=id.clone()
                    >
                        {icons::social(network)}
                    </a>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="block socials">{icons}</ul> }
}

#[cfg(test)]
mod tests {
    use super::duration_label;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration_label(30), "30 min");
        assert_eq!(duration_label(60), "1 h");
        assert_eq!(duration_label(90), "1 h 30 min");
        assert_eq!(duration_label(1440), "24 h");
    }
}
