//! The live preview: the page as visitors will see it, drawn with the public page's own block
//! components ([`ProfileBlock`]) and stylesheet ([`crate::public::PUBLIC_CSS`], linked by its
//! fingerprint) inside a phone frame. It follows the settings and the open block forms as the
//! coach types. The frame is `inert`: nothing in it can be clicked, focused or submitted.

use contracts::links::PublicBlock;
use leptos::either::Either;
use leptos::prelude::*;

use super::Ed;
use super::schedule;
use crate::components::phone_preview::monogram;
use crate::i18n::tr;
use crate::public::blocks::ProfileBlock;
use crate::public::{ROOT_CLASS, public_css_href, theme_attrs};

#[component]
pub fn Preview() -> impl IntoView {
    let ed = expect_context::<Ed>();
    let locale = ed.locale;
    let attrs = Memo::new(move |_| ed.theme.with(|t| theme_attrs(&t.resolve())));
    let now = schedule::now_ms();
    let blocks = move || {
        let drafts = ed.drafts.get();
        let mut shown: Vec<PublicBlock> = ed
            .blocks
            .get()
            .into_iter()
            .filter(|b| {
                b.enabled && schedule::visible_at(b.visible_from.as_deref(), b.visible_until.as_deref(), now)
            })
            .map(|b| PublicBlock { block: drafts.get(&b.id).cloned().unwrap_or(b.block), id: b.id })
            .collect();
        if let Some(new) = drafts.get(super::blocks::NEW_KEY) {
            shown.push(PublicBlock { id: "preview-new".into(), block: new.clone() });
        }
        let slug = ed.slug.get();
        shown
            .into_iter()
            .map(|block| view! { <ProfileBlock block slug=slug.clone() locale /> })
            .collect_view()
    };
    let avatar = move || match ed.avatar_url.get() {
        Some(src) => Either::Left(view! { <img class="avatar" src=src alt="" width="96" height="96" /> }),
        None => {
            let initials = monogram(&ed.title.get());
            let initials = if initials.is_empty() { "·".to_owned() } else { initials };
            Either::Right(view! { <div class="avatar">{initials}</div> })
        }
    };
    let bio = move || {
        let bio = ed.bio.get();
        (!bio.trim().is_empty()).then(|| view! { <p class="bio">{bio}</p> })
    };
    view! {
        <link rel="stylesheet" href=public_css_href() />
        <div class="ed-phone" data-testid="preview">
            <div class="ed-phone-bar" aria-hidden="true"><span></span></div>
            // Focusable so that keyboard users can scroll it; the page inside is inert.
            <div class="ed-screen" tabindex="0" role="region" aria-label=tr(locale, "Página de muestra, desplazable", "Sample page, scrollable")>
                <div class=ROOT_CLASS style=move || attrs.get().0 data-buttons=move || attrs.get().1 inert=true>
                    <div class="sheet">
                        <div class="ed-pv-main">
                            <div class="head">
                                {avatar}
                                <p class="ed-pv-title">{move || ed.title.get()}</p>
                                {bio}
                            </div>
                            <div class="blocks">{blocks}</div>
                        </div>
                        <Show when=move || !ed.hide_branding.get()>
                            <div class="foot"><span>{tr(locale, "Hecho con", "Made with")}" "<b>"mibio"</b></span></div>
                        </Show>
                    </div>
                </div>
            </div>
        </div>
        <p class="ed-side-note">
            {tr(locale, "Así la verán tus visitantes. Los bloques ocultos o fuera de su horario no aparecen.", "This is what visitors see. Hidden blocks, and blocks outside their schedule, don't show.")}
        </p>
    }
}
