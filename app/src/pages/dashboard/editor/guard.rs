//! The unsaved-changes guard: while the settings form or a block form has changes, closing the tab
//! or reloading asks first (`beforeunload`), and so does following a link inside the dashboard (a
//! capturing click listener runs before the router's and cancels the navigation if the coach
//! stays), and so do the browser's back and forward buttons (a capturing `popstate` listener runs
//! before the router's; staying keeps the router from following and puts the editor's address
//! back in the address bar).
//!
//! The listeners are installed once per browser tab and read a flag the open editor keeps up to
//! date; leaving the editor clears it.

#[cfg(feature = "hydrate")]
use leptos::prelude::*;

use super::Ed;
#[cfg(feature = "hydrate")]
use crate::i18n::tr;

#[cfg(feature = "hydrate")]
thread_local! {
    /// Whether the open editor has unsaved changes, and the question to ask.
    static DIRTY: std::cell::RefCell<Option<&'static str>> = const { std::cell::RefCell::new(None) };
    /// The editor's address while it has unsaved changes (where back/forward returns to on "stay").
    static HERE: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
    static INSTALLED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Keeps the guard's flag in step with the editor `ed` while it is on screen.
pub(crate) fn install(ed: Ed) {
    #[cfg(feature = "hydrate")]
    {
        let question = tr(
            ed.locale,
            "Tienes cambios sin guardar. ¿Salir sin guardarlos?",
            "You have unsaved changes. Leave without saving them?",
        );
        Effect::new(move |_| {
            let dirty = ed.settings_dirty.get() || ed.unsaved.with(|u| !u.is_empty());
            DIRTY.with(|d| *d.borrow_mut() = dirty.then_some(question));
            let here = dirty.then(|| window().location().href().ok()).flatten();
            HERE.with(|h| *h.borrow_mut() = here);
        });
        on_cleanup(|| DIRTY.with(|d| *d.borrow_mut() = None));
        listen();
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = ed;
}

/// Installs the guard's window listeners (once per tab). The app calls this before it creates its
/// router: listeners of one target run in the order they were added, and the back/forward one must
/// run before the router's own `popstate` listener, while the editor is still on screen.
pub fn listen() {
    #[cfg(feature = "hydrate")]
    listen_once();
}

#[cfg(feature = "hydrate")]
fn listen_once() {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;

    if INSTALLED.with(|i| i.replace(true)) {
        return;
    }
    let Some(window) = web_sys::window() else { return };
    let before_unload =
        Closure::<dyn Fn(web_sys::BeforeUnloadEvent)>::new(|ev: web_sys::BeforeUnloadEvent| {
            if DIRTY.with(|d| d.borrow().is_some()) {
                ev.prevent_default();
                ev.set_return_value("");
            }
        });
    let _ = window.add_event_listener_with_callback("beforeunload", before_unload.as_ref().unchecked_ref());
    before_unload.forget();

    let click = Closure::<dyn Fn(web_sys::MouseEvent)>::new(|ev: web_sys::MouseEvent| {
        let Some(question) = DIRTY.with(|d| *d.borrow()) else { return };
        if ev.default_prevented() || ev.button() != 0 || ev.meta_key() || ev.ctrl_key() || ev.shift_key() {
            return;
        }
        let anchor = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("a[href]").ok().flatten());
        let Some(anchor) = anchor else { return };
        let opens_elsewhere =
            anchor.has_attribute("download") || anchor.get_attribute("target").is_some_and(|t| t == "_blank");
        if opens_elsewhere {
            return;
        }
        let leave = web_sys::window().and_then(|w| w.confirm_with_message(question).ok()).unwrap_or(true);
        if !leave {
            ev.prevent_default();
            ev.stop_propagation();
        } else {
            // Leaving on purpose: the unload prompt must not ask a second time.
            DIRTY.with(|d| *d.borrow_mut() = None);
        }
    });
    if let Some(document) = window.document() {
        let _ =
            document.add_event_listener_with_callback_and_bool("click", click.as_ref().unchecked_ref(), true);
    }
    click.forget();

    // Back and forward: at the window (the event's target) capturing listeners run first.
    let popstate = Closure::<dyn Fn(web_sys::PopStateEvent)>::new(|ev: web_sys::PopStateEvent| {
        let Some(question) = DIRTY.with(|d| *d.borrow()) else { return };
        let Some(window) = web_sys::window() else { return };
        if window.confirm_with_message(question).unwrap_or(true) {
            DIRTY.with(|d| *d.borrow_mut() = None);
            return;
        }
        ev.stop_immediate_propagation();
        if let (Some(here), Ok(history)) = (HERE.with(|h| h.borrow().clone()), window.history()) {
            let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&here));
        }
    });
    let _ =
        window.add_event_listener_with_callback_and_bool("popstate", popstate.as_ref().unchecked_ref(), true);
    popstate.forget();
}
