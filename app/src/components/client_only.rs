//! Views that exist only in the browser.
//!
//! Some dashboard screens have nothing to render on the server: they wait for data fetched after
//! hydration. Rendered as ordinary children, their whole view tree would still be compiled with
//! the code that hydrates it (`hydrate`, and the larger `hydrate_async` of every type-erased
//! view), though it never runs. [`ClientOnly`] instead leaves an empty element in the server's
//! HTML and, once the page is interactive, builds its children into it: only the code that builds
//! and updates them reaches the WASM.

use contracts::Locale;
use leptos::prelude::*;

use crate::i18n::tr;

/// Renders `render`'s view in the browser only (a "Loading…" line until then). Contexts of the
/// surrounding component (router, dashboard, toasts) are available to the children, and they are
/// cleaned up with it.
#[component]
pub fn ClientOnly<F, V>(render: F, locale: Locale) -> impl IntoView
where
    F: FnOnce() -> V + 'static,
    V: IntoView + 'static,
{
    let host = NodeRef::<leptos::html::Div>::new();
    let mounted = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    {
        use leptos::__reexports::send_wrapper::SendWrapper;
        use leptos::tachys::view::{Mountable, Render};

        let render = std::cell::Cell::new(Some(render));
        Effect::new(move |_| {
            let Some(element) = host.get() else { return };
            let Some(render) = render.take() else { return };
            // A child of the current owner, so the children see its contexts and go with it.
            let owner = Owner::new();
            let view = owner.with(move || {
                let mut view = render().into_view().build();
                view.mount(&element, None);
                view
            });
            mounted.set(true);
            let kept = SendWrapper::new((view, owner));
            on_cleanup(move || {
                let (mut view, owner) = kept.take();
                view.unmount();
                drop(owner);
            });
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = render;
    view! {
        <Show when=move || !mounted.get()>
            <p class="loading" role="status">{tr(locale, "Cargando…", "Loading…")}</p>
        </Show>
        <div class="client-only" node_ref=host></div>
    }
}
