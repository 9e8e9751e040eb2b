//! The browser entry point: `hydrate()` attaches the WASM app to the server-rendered page.

use wasm_bindgen::prelude::wasm_bindgen;

/// Called by the hydration script the server puts in every page. `hydrate_lazy` first loads the
/// code-split chunks of the screen on display (see `app::routes`), then hydrates.
#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_lazy(app::App);
}
