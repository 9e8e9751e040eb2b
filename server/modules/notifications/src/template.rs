//! The shared look of every email mibio sends: a minimal, inline-styled HTML layout that survives
//! mail clients, and HTML escaping for user input (names, organization names).

use contracts::Locale;

/// Escapes text for HTML element content and attribute values.
#[must_use]
pub fn escape_html(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

/// Wraps paragraphs (already HTML-escaped) and one call-to-action button `(label, href)` in the
/// shared, minimal email layout, with `footer` and the bare link under the button.
pub fn layout(locale: Locale, paragraphs: &[String], action: (&str, &str), footer: &str) -> String {
    page(locale, paragraphs, action, footer, "")
}

/// [`layout`] with a last line linking to `unsubscribe` `(label, href)`: for the emails a
/// member may turn off (the essential ones — welcome, billing — have none).
pub fn layout_with_unsubscribe(
    locale: Locale,
    paragraphs: &[String],
    action: (&str, &str),
    footer: &str,
    unsubscribe: (&str, &str),
) -> String {
    let (label, href) = unsubscribe;
    let last = format!(
        "<p style=\"color:#565a63;font-size:13px;margin:16px 0 0\"><a href=\"{href}\" style=\"color:#565a63\">{label}</a></p>",
        href = escape_html(href),
        label = escape_html(label),
    );
    page(locale, paragraphs, action, footer, &last)
}

fn page(locale: Locale, paragraphs: &[String], action: (&str, &str), footer: &str, last: &str) -> String {
    let body: String = paragraphs.iter().map(|p| format!("<p style=\"margin:0 0 16px\">{p}</p>")).collect();
    let (label, href) = action;
    format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><body style=\"margin:0;background:#f7f6f2;font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:#17181c\">\
         <div style=\"max-width:520px;margin:0 auto;padding:32px 20px\">\
         <p style=\"font-weight:800;font-size:20px;margin:0 0 24px\">mibio</p>{body}\
         <p style=\"margin:24px 0\"><a href=\"{href}\" style=\"display:inline-block;background:#1e3a5f;color:#ffffff;text-decoration:none;font-weight:600;padding:12px 20px;border-radius:999px\">{label}</a></p>\
         <p style=\"color:#565a63;font-size:13px;margin:0 0 8px\">{footer}</p>\
         <p style=\"color:#565a63;font-size:13px;word-break:break-all;margin:0\">{href}</p>{last}\
         </div></body></html>",
        lang = locale.tag(),
        href = escape_html(href),
        label = escape_html(label),
        footer = escape_html(footer),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape_html(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn layout_escapes_the_link_and_carries_the_language() {
        let html = layout(Locale::En, &["Hi".to_owned()], ("Go", "https://x.example/a?b=1&c=2"), "Bye");
        assert!(html.starts_with("<!DOCTYPE html><html lang=\"en\">"));
        assert!(html.contains("href=\"https://x.example/a?b=1&amp;c=2\""));
        assert!(!html.contains("unsubscribe"));
    }

    #[test]
    fn the_unsubscribe_line_comes_last_and_is_escaped() {
        let html = layout_with_unsubscribe(
            Locale::Es,
            &["Hola".to_owned()],
            ("Ver", "https://x.example/a"),
            "Pie",
            ("Dejar de recibir <estos>", "https://x.example/unsubscribe?token=a&b"),
        );
        let link = "<a href=\"https://x.example/unsubscribe?token=a&amp;b\" style=\"color:#565a63\">Dejar de recibir &lt;estos&gt;</a>";
        assert!(html.contains(link), "{html}");
        assert!(html.find(link) > html.find("Pie"));
        assert!(html.ends_with("</div></body></html>"));
    }
}
