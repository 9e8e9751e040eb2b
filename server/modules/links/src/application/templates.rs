//! The template gallery.

use contracts::Locale;
use contracts::links::TemplateView;

use crate::domain::templates;

/// The four coach templates, described in `locale`.
#[must_use]
pub fn gallery(locale: Locale) -> Vec<TemplateView> {
    templates::all().iter().map(|t| t.view(locale)).collect()
}

/// The thumbnail SVG served at `/static/templates/{file}` (`wellness.svg`).
#[must_use]
pub fn thumbnail(file: &str) -> Option<&'static str> {
    let id = file.strip_suffix(".svg")?;
    templates::find(id).map(templates::Template::thumbnail_svg)
}
