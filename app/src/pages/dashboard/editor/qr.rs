//! The page's QR code, made in the browser with the `qrcode` crate (no image dependency): the SVG
//! comes from the crate's renderer, and the PNG is drawn module by module on a canvas and read
//! back as a data URL. Both are plain download links.

use leptos::either::Either;
use leptos::prelude::*;
use qrcode::{EcLevel, QrCode};

use super::Ed;
use crate::i18n::tr;
use crate::pages::dashboard::page_kit::site_origin;

/// Pixels per module of the PNG.
const PNG_SCALE: usize = 12;
/// The white margin around the code, in modules (the standard asks for 4).
const QUIET: usize = 4;

/// The PNG's side in pixels for a code `width` modules wide.
#[must_use]
pub const fn png_side(width: usize) -> usize {
    (width + 2 * QUIET) * PNG_SCALE
}

/// The code of `url` (medium error correction: survives a smudge, stays small).
fn code(url: &str) -> Option<QrCode> {
    QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M).ok()
}

/// The QR code of `url` as a standalone SVG document.
#[must_use]
pub fn svg(url: &str) -> Option<String> {
    let code = code(url)?;
    Some(
        code.render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(512, 512)
            .quiet_zone(true)
            .dark_color(qrcode::render::svg::Color("#000000"))
            .light_color(qrcode::render::svg::Color("#ffffff"))
            .build(),
    )
}

/// The code's modules, row by row (`true` = dark), and the side length.
#[must_use]
pub fn modules(url: &str) -> Option<(usize, Vec<bool>)> {
    let code = code(url)?;
    let width = code.width();
    let dark = code.to_colors().into_iter().map(|c| c == qrcode::Color::Dark).collect();
    Some((width, dark))
}

/// `data:` URL of a text document.
fn data_url(mime: &str, body: &str) -> String {
    format!("data:{mime};charset=utf-8,{}", contracts::blocks::percent_encode(body))
}

/// The PNG of the code as a `data:` URL, drawn on a canvas (browser only).
fn png_url(url: &str) -> Option<String> {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let (width, dark) = modules(url)?;
        let side = png_side(width);
        let document = web_sys::window()?.document()?;
        let canvas: web_sys::HtmlCanvasElement = document.create_element("canvas").ok()?.dyn_into().ok()?;
        let side_px = u32::try_from(side).ok()?;
        canvas.set_width(side_px);
        canvas.set_height(side_px);
        let ctx: web_sys::CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
        ctx.set_fill_style_str("#ffffff");
        let to_f = |v: usize| f64::from(u32::try_from(v).unwrap_or_default());
        ctx.fill_rect(0.0, 0.0, to_f(side), to_f(side));
        ctx.set_fill_style_str("#000000");
        for (i, _) in dark.iter().enumerate().filter(|(_, d)| **d) {
            let (x, y) = (i % width + QUIET, i / width + QUIET);
            ctx.fill_rect(to_f(x * PNG_SCALE), to_f(y * PNG_SCALE), to_f(PNG_SCALE), to_f(PNG_SCALE));
        }
        canvas.to_data_url_with_type("image/png").ok()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        // No canvas on the server: the panel that shows this link only opens in the browser.
        modules(url).map(|(width, _)| png_side(width)).and(None)
    }
}

/// The "QR code" button and its panel.
#[component]
pub fn QrButton() -> impl IntoView {
    let ed = expect_context::<Ed>();
    let locale = ed.locale;
    let open = RwSignal::new(false);
    // A click anywhere else closes the panel, as Escape does.
    let wrapper = NodeRef::<leptos::html::Div>::new();
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let listener = window_event_listener(leptos::ev::click, move |ev| {
            if !open.get_untracked() {
                return;
            }
            let target = ev.target().and_then(|t| t.dyn_into::<web_sys::Node>().ok());
            let inside = wrapper.get_untracked().is_some_and(|w| w.contains(target.as_ref()));
            if !inside {
                open.set(false);
            }
        });
        on_cleanup(move || listener.remove());
    }
    let origin = site_origin();
    let url = Memo::new(move |_| format!("{origin}/{}", ed.slug.get()));
    let panel = move || {
        let url = url.get();
        let slug = ed.slug.get();
        let Some(svg) = svg(&url) else {
            return Either::Left(
                view! { <p class="hint field-error">{tr(locale, "No pudimos generar el código.", "We couldn't make the code.")}</p> },
            );
        };
        let svg_href = data_url("image/svg+xml", &svg);
        let png_href = png_url(&url);
        let alt = match locale {
            contracts::Locale::Es => format!("Código QR que abre {url}"),
            contracts::Locale::En => format!("QR code that opens {url}"),
        };
        Either::Right(view! {
            <img class="qr-image" src=svg_href.clone() alt=alt width="200" height="200" data-testid="qr-image" />
            <p class="hint">{tr(locale, "Imprímelo en tarjetas, carteles o diapositivas.", "Print it on cards, posters or slides.")}</p>
            <div class="qr-actions">
                <a class="button button-quiet button-sm" href=svg_href download=format!("mibio-{slug}.svg") rel="external">
                    {tr(locale, "Descargar SVG", "Download SVG")}
                </a>
                {png_href.map(|href| view! {
                    <a class="button button-quiet button-sm" href=href download=format!("mibio-{slug}.png") rel="external">
                        {tr(locale, "Descargar PNG", "Download PNG")}
                    </a>
                })}
            </div>
        })
    };
    view! {
        <div class="qr" node_ref=wrapper on:keydown=move |ev: leptos::ev::KeyboardEvent| {
            if ev.key() == "Escape" && open.get_untracked() {
                open.set(false);
            }
        }>
            <button type="button" class="button button-quiet button-sm" aria-expanded=move || open.get().to_string() aria-controls="qr-panel"
                on:click=move |_| open.update(|o| *o = !*o)>
                {tr(locale, "Código QR", "QR code")}
            </button>
            <div id="qr-panel" class="qr-panel" hidden=move || !open.get()>
                {move || open.get().then(panel)}
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_square_with_a_quiet_zone() {
        let url = "https://mibio.example/ana-perez";
        let (width, dark) = modules(url).unwrap();
        assert_eq!(dark.len(), width * width);
        assert!(width >= 21 && (width - 17) % 4 == 0, "a QR version's side: {width}");
        // The finder pattern's corner is dark.
        assert!(dark[0] && dark[width - 1] && dark[width * (width - 1)]);
        let svg = svg(url).unwrap();
        assert!(svg.contains("<svg") && svg.contains("#000000"));
        assert!(data_url("image/svg+xml", &svg).starts_with("data:image/svg+xml;charset=utf-8,%3C"));
        assert_eq!(png_side(25), (25 + 8) * 12);
    }
}
