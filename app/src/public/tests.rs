//! What visitors get from the public page renderer, checked on the HTML it produces.

use base64::Engine as _;
use contracts::Locale;
use contracts::blocks::{
    BlockConfig, BookingLinkConfig, HeaderConfig, ImageConfig, LeadCaptureConfig, LinkConfig,
    PaymentLinkConfig, SocialLink, SocialNetwork, SocialRowConfig, WhatsappConfig,
};
use contracts::links::{PublicBlock, PublicPage, PublicPageView};
use contracts::theme::{PageTheme, ThemePreset};
use leptos::prelude::*;
use sha2::Digest as _;

use super::LeadFormError;
use super::blocks::ProfileBlock;
use super::document::{
    PROFILE_SCRIPT, ProfileRender, profile_script_csp_hash, render_not_found, render_profile,
};

const HOSTILE_TITLE: &str = "<script>alert(1)</script>";
const HOSTILE_BIO: &str = "\"><img src=x onerror=alert(1)>";

fn block(id: &str, block: BlockConfig) -> PublicBlock {
    PublicBlock { id: id.to_owned(), block }
}

/// One block of every creatable type.
fn every_block(hostile: &str) -> Vec<PublicBlock> {
    vec![
        block("b-header", BlockConfig::Header(HeaderConfig { text: "Sesiones".into() })),
        block(
            "b-link",
            BlockConfig::Link(LinkConfig {
                url: "https://example.com/blog".into(),
                title: hostile.into(),
                thumbnail_url: Some("https://example.com/thumb.png".into()),
            }),
        ),
        block(
            "b-pay",
            BlockConfig::PaymentLink(PaymentLinkConfig {
                url: "https://buy.stripe.com/abc".into(),
                title: "Programa 360".into(),
                price_label: Some("USD 490".into()),
            }),
        ),
        block(
            "b-book",
            BlockConfig::BookingLink(BookingLinkConfig {
                url: "https://cal.com/ana/30min".into(),
                title: "Sesión de diagnóstico".into(),
                duration_minutes: Some(30),
            }),
        ),
        block(
            "b-wa",
            BlockConfig::Whatsapp(WhatsappConfig {
                phone: "+34600111222".into(),
                message: Some("Hola Ana & equipo".into()),
                title: None,
            }),
        ),
        block(
            "b-lead",
            BlockConfig::LeadCapture(LeadCaptureConfig {
                title: "Recibe mi guía".into(),
                button_label: "Quiero la guía".into(),
                success_message: Some("¡Listo! Revisa tu correo.".into()),
                consent_text: Some(format!("Acepto la política de privacidad {hostile}")),
            }),
        ),
        block(
            "b-img",
            BlockConfig::Image(ImageConfig {
                url: "https://example.com/photo.jpg".into(),
                alt: "Ana en un taller".into(),
                link_url: Some("https://example.com/talleres".into()),
            }),
        ),
        block(
            "b-social",
            BlockConfig::SocialRow(SocialRowConfig {
                links: SocialNetwork::ALL
                    .into_iter()
                    .map(|network| SocialLink {
                        network,
                        url: format!("https://example.com/{}", network.as_str()),
                    })
                    .collect(),
            }),
        ),
    ]
}

fn page_view(title: &str, bio: &str, blocks: Vec<PublicBlock>) -> PublicPageView {
    PublicPageView {
        page: PublicPage {
            id: "p1".into(),
            slug: "ana-perez".into(),
            title: title.into(),
            bio: bio.into(),
            theme: PageTheme::preset(ThemePreset::Terapia),
            avatar_url: None,
            updated_at: "2026-01-01T00:00:00Z".into(),
            branding: true,
        },
        blocks,
    }
}

fn opts() -> ProfileRender {
    ProfileRender {
        locale: Locale::Es,
        public_url: "https://mibio.example/".into(),
        ..ProfileRender::default()
    }
}

fn sample() -> String {
    render_profile(&page_view("Ana Pérez", "Coach de liderazgo.", every_block("Mi blog")), &opts())
}

/// The real tags of a document (text is escaped, so every `<` followed by a letter opens one);
/// the raw text of `<style>` and `<script>` has no `<`.
fn tags(html: &str) -> Vec<&str> {
    html.match_indices('<')
        .filter(|(i, _)| html[i + 1..].starts_with(|c: char| c.is_ascii_alphabetic()))
        .map(|(i, _)| &html[i..i + html[i..].find('>').unwrap_or(html.len() - i) + 1])
        .collect()
}

/// The first tag that contains `needle`.
fn tag_with<'a>(html: &'a str, needle: &str) -> &'a str {
    tags(html).into_iter().find(|t| t.contains(needle)).unwrap_or_else(|| panic!("no tag with {needle}"))
}

/// A tag's attribute names and unquoted parts, without the (escaped) quoted values.
fn without_values(tag: &str) -> String {
    tag.split('"').step_by(2).collect()
}

fn count(html: &str, needle: &str) -> usize {
    html.matches(needle).count()
}

/// The text between the first `open` and the next `close`.
fn between<'a>(html: &'a str, open: &str, close: &str) -> &'a str {
    let start = html.find(open).expect("opening tag") + open.len();
    let end = html[start..].find(close).expect("closing tag") + start;
    &html[start..end]
}

#[test]
fn hostile_texts_are_escaped_everywhere() {
    let view = page_view(HOSTILE_TITLE, HOSTILE_BIO, every_block(HOSTILE_TITLE));
    let html = render_profile(&view, &opts());
    assert!(!html.contains("<script>alert"), "raw script from user text");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the title is shown, escaped");
    assert!(!html.contains("<img src=x"), "an attribute or text broke out");
    for tag in tags(&html) {
        let names = without_values(tag).to_ascii_lowercase();
        assert!(!names.contains("onerror") && !names.contains(" on"), "event handler in {tag}");
    }
    assert!(
        html.contains(r#"content="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;""#),
        "escaped in attributes"
    );
    assert_eq!(count(&html, "<script"), 1, "only the profile script");
}

#[test]
fn only_web_addresses_become_links() {
    let mut blocks = every_block("Blog");
    for b in &mut blocks {
        match &mut b.block {
            BlockConfig::Link(c) => c.url = "javascript:alert(1)".into(),
            BlockConfig::PaymentLink(c) => c.url = " JaVaScRiPt:alert(1)".into(),
            BlockConfig::Image(c) => c.link_url = Some("data:text/html,<script>alert(1)</script>".into()),
            BlockConfig::SocialRow(c) => c.links[0].url = "vbscript:msgbox".into(),
            _ => {}
        }
    }
    let html = render_profile(&page_view("Ana", "", blocks), &opts());
    for tag in tags(&html).into_iter().filter(|t| t.starts_with("<a ")) {
        let lower = tag.to_ascii_lowercase();
        assert!(!lower.contains("script:") && !lower.contains("data:"), "{tag}");
    }
    assert!(!tag_with(&html, r#"data-block-id="b-link""#).contains("href="), "no target at all");
}

#[test]
fn every_block_type_renders() {
    let html = sample();
    assert!(html.contains(r#"<h2 class="block section">Sesiones</h2>"#), "header is a section label");
    assert!(!html.contains(r#"data-block-id="b-header""#), "a header is not clickable");
    assert!(html.contains(r#"href="https://example.com/blog""#));
    assert!(tag_with(&html, "thumb.png").contains(r#"class="btn-thumb""#));
    assert!(html.contains("USD 490"), "payment shows its price");
    assert!(html.contains("30 min"), "booking shows its duration");
    assert!(html.contains(r#"href="https://wa.me/34600111222?text=Hola%20Ana%20%26%20equipo""#));
    assert!(html.contains("Escríbeme por WhatsApp"), "default WhatsApp label");
    assert!(html.contains(r#"action="/ana-perez/leads""#));
    let picture = tag_with(&html, "photo.jpg");
    for attr in [r#"alt="Ana en un taller""#, r#"loading="lazy""#, r#"decoding="async""#] {
        assert!(picture.contains(attr), "{picture} lacks {attr}");
    }
    assert!(tag_with(&html, r#"data-block-id="b-img""#).contains(r#"href="https://example.com/talleres""#));
    for network in SocialNetwork::ALL {
        assert!(html.contains(&format!(r#"aria-label="{}""#, network.label())), "{network:?}");
    }
    let icons: Vec<_> = tags(&html).into_iter().filter(|t| t.contains(r#"class="icon""#)).collect();
    assert_eq!(icons.len(), SocialNetwork::ALL.len());
    assert!(
        icons.iter().all(|t| t.contains(r#"width="40" height="40""#) && t.contains(r#"aria-hidden="true""#))
    );
    for id in ["b-link", "b-pay", "b-book", "b-wa", "b-img"] {
        assert_eq!(count(&html, &format!(r#"data-block-id="{id}""#)), 1, "{id}");
    }
    assert_eq!(count(&html, r#"data-block-id="b-social""#), SocialNetwork::ALL.len());
}

#[test]
fn outgoing_links_are_safe_and_beaconed() {
    let html = sample();
    assert!(!html.contains("target="), "no new windows (in-app browsers mishandle them)");
    let external: Vec<_> =
        tags(&html).into_iter().filter(|t| t.starts_with("<a ") && t.contains("href=\"http")).collect();
    assert_eq!(external.len(), 5 + SocialNetwork::ALL.len());
    for tag in external {
        assert!(tag.contains(r#"rel="noopener noreferrer""#), "{tag}");
        assert!(tag.contains("data-block-id="), "{tag}");
    }
}

#[test]
fn lead_form_posts_without_javascript_and_hides_its_honeypot() {
    let html = sample();
    let form = between(&html, "<form", "</form>");
    assert!(form.contains(r#"method="post" action="/ana-perez/leads""#), "{form}");
    assert!(form.contains(r#"type="hidden" name="blockId" value="b-lead""#));
    let email = tags(form).into_iter().find(|t| t.contains(r#"name="email""#)).expect("email input");
    for attr in [r#"type="email""#, "required", r#"autocomplete="email""#] {
        assert!(email.contains(attr), "{email} lacks {attr}");
    }
    let name = tags(form).into_iter().find(|t| t.contains(r#"name="name""#)).expect("name input");
    assert!(!name.contains("required"), "the name is optional");
    let consent = tags(form).into_iter().find(|t| t.contains(r#"name="consent""#)).expect("consent box");
    assert!(
        consent.contains(r#"type="checkbox""#)
            && consent.contains(r#"value="true""#)
            && consent.contains("required")
    );
    let honeypot = tags(form).into_iter().find(|t| t.contains(r#"name="website""#)).expect("honeypot");
    for attr in [r#"tabindex="-1""#, r#"autocomplete="off""#, r#"aria-hidden="true""#, r#"type="text""#] {
        assert!(honeypot.contains(attr), "{honeypot} lacks {attr}");
    }
    assert!(tag_with(form, r#"class="hp""#).contains(r#"aria-hidden="true""#), "visually hidden wrapper");
    assert!(form.contains(">Quiero la guía</button>"));
    assert!(tag_with(&html, r#"class="lead-done""#).contains(" hidden "), "success waits hidden");
}

#[test]
fn lead_form_without_consent_text_has_no_checkbox() {
    let blocks = vec![block(
        "b-lead",
        BlockConfig::LeadCapture(LeadCaptureConfig {
            title: "Newsletter".into(),
            button_label: "Subscribe".into(),
            success_message: None,
            consent_text: None,
        }),
    )];
    let html = render_profile(&page_view("Ana", "", blocks), &ProfileRender { locale: Locale::En, ..opts() });
    assert!(!html.contains(r#"name="consent""#));
    assert!(
        html.contains("Thank you! I&#x27;ll be in touch very soon.")
            || html.contains("Thank you! I'll be in touch very soon.")
    );
}

#[test]
fn lead_form_shows_success_and_errors_after_a_post() {
    let view = page_view("Ana Pérez", "", every_block("Blog"));
    let done = render_profile(&view, &ProfileRender { subscribed_block: Some("b-lead".into()), ..opts() });
    assert!(!done.contains("<form"), "the form gives way to the thank-you");
    assert!(!tag_with(&done, r#"class="lead-done""#).contains("hidden"), "the thank-you shows");
    assert!(done.contains("¡Listo! Revisa tu correo."));
    let all = render_profile(&view, &ProfileRender { subscribed: true, ..opts() });
    assert!(!all.contains("<form"), "subscribed without a block: every form thanks");
    let other = render_profile(
        &view,
        &ProfileRender { subscribed_block: Some("b-x".into()), subscribed: true, ..opts() },
    );
    assert!(other.contains("<form"), "another block's success leaves this form alone");

    let error = LeadFormError {
        block_id: "b-lead".into(),
        field: "email".into(),
        message: "No parece un correo".into(),
    };
    let failed = render_profile(&view, &ProfileRender { lead_error: Some(error), ..opts() });
    let email = tags(&failed).into_iter().find(|t| t.contains(r#"name="email""#)).expect("email input");
    assert!(email.contains(r#"aria-invalid="true""#), "{email}");
    assert!(tag_with(&failed, r#"data-for="email""#).contains(r#"id="lead-b-lead-email-err""#));
    assert!(!tag_with(&failed, r#"data-for="email""#).contains("hidden"));
    assert!(failed.contains(r#"class="lead-err">No parece un correo</p>"#));
    assert!(email.contains(r#"aria-describedby="lead-b-lead-email-err""#));
    let odd = LeadFormError {
        block_id: "b-lead".into(),
        field: "blockId".into(),
        message: "Demasiados intentos".into(),
    };
    let failed = render_profile(&view, &ProfileRender { lead_error: Some(odd), ..opts() });
    assert!(!tag_with(&failed, r#"data-for="form""#).contains("hidden"));
    assert!(failed.contains(r#"class="lead-err">Demasiados intentos</p>"#));
}

#[test]
fn document_is_complete_static_and_shareable() {
    let html = sample();
    assert!(html.starts_with("<!DOCTYPE html><html lang=\"es\">"), "{}", &html[..60]);
    assert!(html.ends_with("</html>"));
    assert_eq!(count(&html, "<h1"), 1);
    assert_eq!(count(&html, "<style"), 1);
    assert!(html.contains("<title>Ana Pérez</title>"));
    assert!(html.contains(r#"<meta name="description" content="Coach de liderazgo.""#));
    for tag in [
        r#"<link rel="canonical" href="https://mibio.example/ana-perez""#,
        r#"<meta property="og:type" content="profile""#,
        r#"<meta property="og:title" content="Ana Pérez""#,
        r#"<meta property="og:description" content="Coach de liderazgo.""#,
        r#"<meta property="og:url" content="https://mibio.example/ana-perez""#,
        r#"<meta property="og:image" content="https://mibio.example/ana-perez/opengraph-image""#,
        r#"<meta property="og:image:width" content="1200""#,
        r#"<meta property="og:image:height" content="630""#,
        r#"<meta property="og:image:alt" content="Ana Pérez — mibio""#,
        r#"<meta name="twitter:card" content="summary_large_image""#,
        r#"<meta name="twitter:title" content="Ana Pérez""#,
        r#"<meta name="twitter:image" content="https://mibio.example/ana-perez/opengraph-image""#,
        r#"<link rel="icon" href="/favicon.svg""#,
    ] {
        assert!(html.contains(tag), "missing {tag}");
    }
    assert!(!html.contains("/pkg/"), "no WASM bundle");
    assert!(!html.contains("type=\"module\""), "no hydration script");
    assert!(html.contains(r#"data-slug="ana-perez""#), "the script's slug");
    assert!(html.contains("--accent:#5b5fc7") && html.contains(r#"data-buttons="shadow""#), "the theme");
    let footer = between(&html, "<footer", "</footer>");
    assert!(footer.contains(r#"<a href="/">Hecho con"#) && footer.contains(" <b>mibio</b></a>"), "{footer}");
    assert!(html.contains(r#"class="avatar">AP</div>"#), "monogram");
    assert!(!html.contains("Abrir en el navegador"), "no hint outside in-app browsers");
}

#[test]
fn a_paid_page_that_hides_branding_has_no_footer() {
    let mut view = page_view("Ana Pérez", "Coach", vec![]);
    view.page.branding = false;
    let html = render_profile(&view, &opts());
    assert!(!html.contains("<footer"), "no footer");
    assert!(!html.contains("Hecho con"), "no mibio mention");
    assert!(html.contains("<h1>Ana Pérez</h1>"), "the page itself is there");
}

#[test]
fn empty_bio_gets_a_default_description_and_long_bio_a_more_control() {
    let html = render_profile(&page_view("Ana Pérez", "  ", vec![]), &opts());
    assert!(html.contains(
        r#"<meta name="description" content="Ana Pérez — reservas, pagos y contacto en un solo enlace.""#
    ));
    assert!(!html.contains("class=\"bio\""));
    let long = "Acompaño a directivos a decidir mejor. ".repeat(5);
    let html = render_profile(&page_view("Ana", &long, vec![]), &opts());
    assert!(html.contains(r#"<input type="checkbox" id="bio-more" class="more-toggle sr-only""#));
    assert!(html.contains("Ver más"));
    let short = render_profile(&page_view("Ana", "Corta.", vec![]), &opts());
    assert!(!short.contains("bio-more"));
}

#[test]
fn in_app_browsers_get_a_dismissible_hint() {
    let html =
        render_profile(&page_view("Ana", "", vec![]), &ProfileRender { in_app_browser: true, ..opts() });
    let hint = between(&html, "<aside", "</aside>");
    assert!(hint.contains("Abrir en el navegador"));
    assert!(
        hint.contains(r#"<input type="checkbox" id="hint-off""#) && hint.contains(r#"<label for="hint-off""#)
    );
    let en = render_profile(
        &page_view("Ana", "", vec![]),
        &ProfileRender { in_app_browser: true, locale: Locale::En, ..opts() },
    );
    assert!(
        en.contains("Open in your browser") && en.contains("checkout and booking pages work better there")
    );
    assert!(en.starts_with("<!DOCTYPE html><html lang=\"en\">"));
}

#[test]
fn the_script_is_small_and_allowed_by_its_hash() {
    assert!(PROFILE_SCRIPT.len() < 2048, "{} bytes", PROFILE_SCRIPT.len());
    let html = sample();
    let embedded = between(&html, "<script>", "</script>");
    assert_eq!(embedded, PROFILE_SCRIPT, "embedded byte for byte");
    let digest = sha2::Sha256::digest(embedded.as_bytes());
    let expected = format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest));
    assert_eq!(profile_script_csp_hash(), expected);
    for endpoint in
        ["/api/v1/public/analytics/view", "/api/v1/public/analytics/click", "/api/v1/public/leads"]
    {
        assert!(PROFILE_SCRIPT.contains(endpoint), "{endpoint}");
    }
}

#[test]
fn not_found_is_a_standalone_bilingual_page() {
    let es = render_not_found(Locale::Es, "https://mibio.example/");
    assert!(es.starts_with("<!DOCTYPE html><html lang=\"es\">"));
    assert!(es.contains("No encontramos esta página") && es.contains(r#"href="https://mibio.example/""#));
    assert!(es.contains(r#"href="https://mibio.example/signin""#) && es.contains("Iniciar sesión"));
    assert!(es.contains(r#"<meta name="robots" content="noindex""#));
    assert_eq!(count(&es, "<h1"), 1);
    assert!(!es.contains("<script") && !es.contains("/pkg/"));
    let en = render_not_found(Locale::En, "http://localhost:3000");
    assert!(en.contains("We couldn&#x27;t find this page") || en.contains("We couldn't find this page"));
    assert!(en.contains(r#"href="http://localhost:3000/""#));
}

#[test]
fn blocks_render_on_their_own_for_the_editor_preview() {
    for block in every_block("Blog") {
        let kind = block.block.kind();
        let html =
            Owner::new().with(|| view! { <ProfileBlock block slug="ana" locale=Locale::En /> }.to_html());
        assert!(html.contains("class=\"block"), "{kind}: {html}");
    }
}

/// Writes sample pages for every preset to the temp directory, to look at them in a browser:
/// `cargo test -p app --features ssr --lib public::tests::write_samples -- --ignored`.
#[test]
#[ignore = "writes files for a visual check"]
fn write_samples() {
    for preset in ThemePreset::ALL {
        for (locale, in_app) in [(Locale::Es, false), (Locale::En, true)] {
            let mut view = page_view(
                "Laura Méndez · Coach ejecutiva",
                "Acompaño a directivos y líderes de equipo a tomar mejores decisiones, comunicar con \
                 claridad y crecer sin quemarse. Más de 12 años en empresas de América Latina. Coach \
                 certificada ICF (PCC).",
                every_block("Lee mi blog sobre liderazgo"),
            );
            view.page.theme = PageTheme::preset(preset);
            for b in &mut view.blocks {
                if let BlockConfig::Image(image) = &mut b.block {
                    image.url = SAMPLE_IMAGE.into();
                }
                if let BlockConfig::Link(link) = &mut b.block {
                    link.thumbnail_url = None;
                }
            }
            let html = render_profile(&view, &ProfileRender { locale, in_app_browser: in_app, ..opts() });
            let path = std::env::temp_dir().join(format!("profile-{}-{locale}.html", preset.id()));
            std::fs::write(&path, html).expect("write sample");
        }
    }
    std::fs::write(std::env::temp_dir().join("profile-404.html"), render_not_found(Locale::Es, "/"))
        .expect("write 404");
    let view = page_view("Ana Pérez", "Coach de liderazgo.", every_block("Mi blog"));
    let error = LeadFormError {
        block_id: "b-lead".into(),
        field: "email".into(),
        message: "No parece un correo.".into(),
    };
    for (name, render) in [
        ("error", ProfileRender { lead_error: Some(error), ..opts() }),
        ("done", ProfileRender { subscribed: true, ..opts() }),
    ] {
        let path = std::env::temp_dir().join(format!("profile-{name}.html"));
        std::fs::write(path, render_profile(&view, &render)).expect("write sample");
    }
    std::fs::write(std::env::temp_dir().join("profile-script.txt"), profile_script_csp_hash()).expect("hash");
}

const SAMPLE_IMAGE: &str = "data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg' width='800' height='450'><defs><linearGradient id='g' x1='0' y1='0' x2='1' y2='1'><stop offset='0' stop-color='%23c9b79c'/><stop offset='1' stop-color='%236d7f6a'/></linearGradient></defs><rect width='800' height='450' fill='url(%23g)'/><circle cx='600' cy='140' r='70' fill='%23f4e9d4' opacity='.8'/></svg>";
