//! The one way text reaches the document's `<head>`: [`PageTitle`] for `<title>`, [`PageMeta`] for
//! `<meta name|property=… content=…>`.
//!
//! Why a wrapper: during server rendering `leptos_meta` 0.8 writes the `<title>` text into the
//! document **as is** (its `MetaTags` pushes the string into the HTML buffer), so a title built from
//! a user's words — an organization named `</title><meta http-equiv=refresh …>` — became markup in
//! every member's dashboard. [`PageTitle`] escapes the text for HTML on the server; in the browser
//! the same text goes to `document.title`, which is never parsed as HTML, so it stays raw there.
//! Meta tags are rendered by tachys as attributes, which it escapes; [`PageMeta`] exists so that
//! every head text has one door and the next sink is found here, not in a screen.
//!
//! `leptos_meta::Title` and `leptos_meta::Meta` are disallowed everywhere else by `clippy.toml`
//! (`disallowed-methods`), and `server/tests/it/hostile_strings.rs` walks every routed screen with
//! hostile names to prove nothing escapes.

use leptos::prelude::*;
use leptos::text_prop::TextProp;

/// The document title. Use it for every screen instead of `leptos_meta::Title`.
#[component]
pub fn PageTitle(
    /// The title, as the user should read it (no escaping: this component does it).
    #[prop(into)]
    text: TextProp,
) -> impl IntoView {
    let text = head_text(text);
    #[allow(clippy::disallowed_methods)] // the one place `Title` is used
    let title = view! { <leptos_meta::Title text /> };
    title
}

/// A `<meta>` tag: `name` or `property` (OpenGraph) names it, `content` is its text.
#[component]
pub fn PageMeta(
    /// `<meta name=…>` (description, robots, twitter:…).
    #[prop(optional)]
    name: Option<&'static str>,
    /// `<meta property=…>` (og:…).
    #[prop(optional)]
    property: Option<&'static str>,
    /// The content, as the user should read it (attributes are escaped by the renderer).
    #[prop(into)]
    content: TextProp,
) -> impl IntoView {
    #[allow(clippy::disallowed_methods)] // the one place `Meta` is used
    let meta = match (name, property) {
        (Some(name), _) => view! { <leptos_meta::Meta name content /> }.into_any(),
        (None, Some(property)) => view! { <leptos_meta::Meta property content /> }.into_any(),
        (None, None) => ().into_any(),
    };
    meta
}

/// `text`, escaped for the server's HTML and untouched for the browser's `document.title`.
fn head_text(text: TextProp) -> TextProp {
    #[cfg(feature = "ssr")]
    {
        TextProp::from(move || escape_text(&text.get()))
    }
    #[cfg(not(feature = "ssr"))]
    {
        text
    }
}

/// Escapes `&`, `<` and `>` (element text; the title is never inside an attribute).
#[cfg(feature = "ssr")]
#[must_use]
pub fn escape_text(text: &str) -> String {
    html_escape::encode_text(text).into_owned()
}

#[cfg(test)]
mod guard {
    use std::path::Path;

    /// Every `.rs` file under `dir` with its text.
    fn sources(dir: &Path, found: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).expect("the sources are readable") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                sources(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("a source file");
                found.push((path.display().to_string(), text));
            }
        }
    }

    /// Whether `text` names `leptos_meta`'s `Title` or `Meta` (by path, in a `use` group, or as
    /// a `view!` tag).
    fn uses_head_tags(text: &str) -> bool {
        let named = |name: &str| name.trim() == "Title" || name.trim() == "Meta";
        let in_group = text.match_indices("leptos_meta::{").any(|(i, _)| {
            let group = &text[i + "leptos_meta::{".len()..];
            group[..group.find('}').unwrap_or(group.len())].split(',').any(named)
        });
        let by_path = text.match_indices("leptos_meta::").any(|(i, _)| {
            let rest = &text[i + "leptos_meta::".len()..];
            named(&rest[..rest.find(|c: char| !c.is_alphanumeric()).unwrap_or(rest.len())])
        });
        in_group || by_path || text.contains("<Title ") || text.contains("<Meta ")
    }

    #[test]
    fn the_scan_recognises_every_spelling() {
        assert!(uses_head_tags("use leptos_meta::{Meta, Title};"));
        assert!(uses_head_tags("use leptos_meta::Title;"));
        assert!(uses_head_tags("view! { <Title text=name /> }"));
        assert!(!uses_head_tags("use leptos_meta::{HashedStylesheet, MetaTags, provide_meta_context};"));
        assert!(!uses_head_tags("view! { <PageTitle text=name /> }"));
    }

    /// The head's texts have one door: no screen uses `leptos_meta`'s `Title` or `Meta` itself.
    #[test]
    fn no_screen_writes_head_tags_past_this_module() {
        let mut files = Vec::new();
        sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
        assert!(files.len() > 20, "the scan found the app's sources");
        let offenders: Vec<&str> = files
            .iter()
            .filter(|(path, _)| !path.ends_with("components/head.rs"))
            .filter(|(_, text)| uses_head_tags(text))
            .map(|(path, _)| path.as_str())
            .collect();
        assert!(offenders.is_empty(), "use components::head::{{PageTitle, PageMeta}} in {offenders:?}");
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::escape_text;

    #[test]
    fn markup_in_a_title_becomes_text() {
        let hostile =
            r#"</title><meta http-equiv=refresh content="0;url=https://evil.example/"><b>HI</b> & co"#;
        let escaped = escape_text(hostile);
        assert!(!escaped.contains('<') && !escaped.contains('>'), "{escaped}");
        assert!(escaped.starts_with("&lt;/title&gt;&lt;meta"), "{escaped}");
        assert!(escaped.ends_with("&lt;/b&gt; &amp; co"), "{escaped}");
        assert_eq!(escape_text("Ana Pérez — mibio"), "Ana Pérez — mibio");
    }
}
