//! [`ImageUpload`]: choose a picture and watch it go up. The file is sent as the browser's own
//! `FormData` (field `file`) to one of the REST upload endpoints with `XMLHttpRequest` — the one
//! browser API that reports upload progress — and the answer's JSON is handed to `on_done`.
//! Sizes and types are checked here first, so a 20 MB photo is refused before it is sent; the
//! server checks again, by the bytes.

use contracts::Locale;
use leptos::prelude::*;

use crate::i18n::tr;

/// The types the picker offers and the server accepts.
pub const ACCEPT: &str = "image/png,image/jpeg,image/webp";

/// A button that picks a picture, a progress bar while it uploads, and the error if it fails.
#[component]
pub fn ImageUpload(
    /// The endpoint the file is `POST`ed to (`/api/v1/me/avatar`…).
    #[prop(into)]
    endpoint: Signal<String>,
    /// The file input's id (unique on the screen).
    #[prop(into)]
    id: String,
    /// The button's text.
    label: &'static str,
    locale: Locale,
    /// Called with the `201` answer's JSON.
    #[prop(into)]
    on_done: Callback<serde_json::Value>,
) -> impl IntoView {
    let progress = RwSignal::new(None::<u32>);
    let error = RwSignal::new(None::<String>);
    let busy = move || progress.get().is_some();
    let error_id = format!("{id}-error");
    let on_change = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        browser::picked(&ev, &endpoint.get_untracked(), locale, progress, error, on_done);
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, endpoint, on_done);
    };
    view! {
        <div class="upload">
            <input
                id=id.clone()
                class="upload-input"
                type="file"
                accept=ACCEPT
                aria-describedby=error_id.clone()
                disabled=busy
                on:change=on_change
            />
            <label for=id class="button button-quiet upload-button" class:is-busy=busy>
                {move || if busy() { tr(locale, "Subiendo…", "Uploading…") } else { label }}
            </label>
            {move || progress.get().map(|percent| view! {
                <span class="upload-progress">
                    <progress max="100" value=percent aria-label=tr(locale, "Progreso de la subida", "Upload progress")></progress>
                    <span class="upload-percent" aria-hidden="true">{format!("{percent} %")}</span>
                </span>
            })}
            <p id=error_id class="field-error upload-error" role="alert">{move || error.get()}</p>
            <p class="hint">{tr(locale, "PNG, JPEG o WebP, hasta 5 MB.", "PNG, JPEG or WebP, up to 5 MB.")}</p>
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use contracts::media::FILE_FIELD;
    use contracts::{ApiError, ErrorCode, Locale};
    use leptos::prelude::*;
    use wasm_bindgen::JsCast as _;
    use wasm_bindgen::prelude::Closure;
    use web_sys::{FormData, HtmlInputElement, ProgressEvent, XmlHttpRequest};

    use contracts::media::MAX_UPLOAD_BYTES;

    use super::ACCEPT;
    use crate::components::form::describe;
    use crate::i18n::tr;

    /// A file was chosen: check it, then send it.
    pub(super) fn picked(
        ev: &leptos::ev::Event,
        endpoint: &str,
        locale: Locale,
        progress: RwSignal<Option<u32>>,
        error: RwSignal<Option<String>>,
        on_done: Callback<serde_json::Value>,
    ) {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) else { return };
        let Some(file) = input.files().and_then(|files| files.get(0)) else { return };
        // The same file can be chosen again after a failure.
        input.set_value("");
        error.set(None);
        #[allow(clippy::cast_precision_loss)] // 5 MiB is exact in an f64.
        if file.size() > MAX_UPLOAD_BYTES as f64 {
            error.set(Some(too_large(locale)));
            return;
        }
        let kind = file.type_();
        if !kind.is_empty() && !ACCEPT.split(',').any(|t| t == kind) {
            error.set(Some(
                tr(
                    locale,
                    "Tiene que ser una imagen PNG, JPEG o WebP.",
                    "It must be a PNG, JPEG or WebP image.",
                )
                .to_owned(),
            ));
            return;
        }
        if send(endpoint, &file, locale, progress, error, on_done).is_err() {
            progress.set(None);
            error.set(Some(failed(locale)));
        }
    }

    /// The message for a file that is too large, before it is sent.
    fn too_large(locale: Locale) -> String {
        tr(
            locale,
            "Esa imagen pesa más de 5 MB; elige una más liviana.",
            "That picture is over 5 MB; choose a smaller one.",
        )
        .to_owned()
    }

    fn failed(locale: Locale) -> String {
        tr(
            locale,
            "No se pudo subir la imagen; revisa tu conexión e inténtalo de nuevo.",
            "The picture could not be uploaded; check your connection and try again.",
        )
        .to_owned()
    }

    fn send(
        endpoint: &str,
        file: &web_sys::File,
        locale: Locale,
        progress: RwSignal<Option<u32>>,
        error: RwSignal<Option<String>>,
        on_done: Callback<serde_json::Value>,
    ) -> Result<(), wasm_bindgen::JsValue> {
        let form = FormData::new()?;
        form.append_with_blob_and_filename(FILE_FIELD, file, &file.name())?;
        let xhr = XmlHttpRequest::new()?;
        xhr.open("POST", endpoint)?;
        xhr.set_request_header("Accept", "application/json")?;

        let on_progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |e: ProgressEvent| {
            if e.length_computable() && e.total() > 0.0 {
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                let percent = ((e.loaded() / e.total()) * 100.0).round().clamp(0.0, 100.0) as u32;
                progress.set(Some(percent));
            }
        });
        xhr.upload()?.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));

        let answered = xhr.clone();
        let on_end = Closure::<dyn FnMut()>::new(move || {
            progress.set(None);
            let status = answered.status().unwrap_or(0);
            let body = answered.response_text().ok().flatten().unwrap_or_default();
            if status == 201 {
                match serde_json::from_str::<serde_json::Value>(&body) {
                    Ok(value) => on_done.run(value),
                    Err(_) => error.set(Some(failed(locale))),
                }
                return;
            }
            let api = serde_json::from_str::<contracts::ApiErrorBody>(&body).map(|b| b.error).ok();
            error.set(Some(match (status, api) {
                (_, Some(err)) => describe(&err, locale),
                (413, None) => describe(&ApiError::new(ErrorCode::PayloadTooLarge, ""), locale),
                _ => failed(locale),
            }));
        });
        xhr.set_onloadend(Some(on_end.as_ref().unchecked_ref()));
        progress.set(Some(0));
        xhr.send_with_opt_form_data(Some(&form))?;
        // The request owns its handlers until it ends: one upload at a time per picker, a few
        // bytes each.
        on_progress.forget();
        on_end.forget();
        Ok(())
    }
}
