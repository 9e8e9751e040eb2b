//! The block list: one row per block (drag handle that also moves with the arrow keys, move up /
//! down buttons, icon and label, schedule badge, show/hide switch, edit, delete with undo), the
//! gallery of block types, and the form of a block being added.

use contracts::Locale;
use contracts::blocks::{BlockConfig, BlockType};
use contracts::links::BlockView;
use leptos::prelude::*;

use super::block_form::{Draft, DraftFields, describe_type, starter};
use super::ops::Ops;
use super::{Ed, schedule};
use crate::components::undo::UndoBar;
use crate::i18n::tr;

/// The key of the block being added in [`Ed::drafts`] and [`Ed::unsaved`].
pub const NEW_KEY: &str = "new";

#[component]
pub fn Blocks() -> impl IntoView {
    let ed = expect_context::<Ed>();
    let locale = ed.locale;
    let ops = Ops::new(ed);
    provide_context(ops);
    DragState::provide();
    let gallery = RwSignal::new(false);
    let adding = RwSignal::new(None::<BlockType>);
    let count = move || ed.blocks.with(Vec::len);
    let undo_message = Signal::derive(move || {
        ops.undo.with(|u| {
            u.as_ref().map(|d| match locale {
                Locale::Es => format!("Bloque «{}» eliminado.", d.label),
                Locale::En => format!("Block “{}” deleted.", d.label),
            })
        })
    });
    let pick = move |kind: BlockType| {
        gallery.set(false);
        adding.set(Some(kind));
    };
    view! {
        <section class="card ed-card" aria-labelledby="blocks-heading">
            <div class="ed-card-head">
                <h2 id="blocks-heading">{tr(locale, "Bloques", "Blocks")}</h2>
                <span class="quiet-status" data-testid="order-status">
                    {move || if ops.saving_order.get() { tr(locale, "Guardando el orden…", "Saving the order…") } else { "" }}
                </span>
            </div>
            <p id="reorder-help" class="visually-hidden">
                {tr(locale, "Para mover el bloque, usa las flechas arriba y abajo.", "To move the block, use the up and down arrow keys.")}
            </p>
            <Show when=move || count() == 0 && adding.with(Option::is_none)>
                <p class="empty-state">{tr(locale, "Tu página aún no tiene bloques. Añade el primero: un enlace, tu agenda o un formulario de contacto.", "Your page has no blocks yet. Add the first: a link, your calendar or a lead form.")}</p>
            </Show>
            <ol class="blk-list" data-testid="blocks">
                <For each=move || ed.blocks.get() key=|b| b.id.clone() let:block>
                    <BlockRow id=block.id.clone() />
                </For>
            </ol>
            {move || adding.get().map(|kind| view! { <NewBlock kind adding /> })}
            {ed.can_write.then(|| view! {
                <div class="blk-add">
                    <button type="button" class="button button-quiet" aria-expanded=move || gallery.get().to_string() aria-controls="block-gallery"
                        disabled=move || adding.with(Option::is_some) on:click=move |_| gallery.update(|g| *g = !*g)>
                        <span aria-hidden="true">"+ "</span>{tr(locale, "Añadir bloque", "Add block")}
                    </button>
                </div>
                <div id="block-gallery" class="blk-gallery" hidden=move || !gallery.get()>
                    <ul class="blk-types" aria-label=tr(locale, "Tipos de bloque", "Block types")>
                        {BlockType::CREATABLE.into_iter().map(|kind| {
                            let (name, sentence) = describe_type(kind, locale);
                            view! {
                                <li>
                                    <button type="button" class="blk-type" on:click=move |_| pick(kind)>
                                        <span class="blk-icon" aria-hidden="true">{icon(kind)}</span>
                                        <span class="blk-type-text"><span class="blk-type-name">{name}</span><span class="blk-type-desc">{sentence}</span></span>
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </div>
            })}
            <UndoBar message=undo_message pending=ops.restoring on_undo=Callback::new(move |()| ops.restore())
                on_dismiss=Callback::new(move |()| ops.undo.set(None)) locale />
        </section>
    }
}

/// An action on a named block for screen readers: `Subir «Mi web»` / `Move up “My site”`.
fn named(locale: Locale, verb: &str, label: String) -> String {
    match locale {
        Locale::Es => format!("{verb} «{label}»"),
        Locale::En => format!("{verb} “{label}”"),
    }
}

/// A block's name in lists: its label, or its type's name when it has none.
fn label_of(block: &BlockConfig, locale: Locale) -> String {
    let label = block.label().trim();
    if label.is_empty() { describe_type(block.kind(), locale).0.to_owned() } else { label.to_owned() }
}

/// A badge for a block with a visibility window.
fn schedule_badge(block: &BlockView, locale: Locale) -> Option<(String, &'static str)> {
    let now = schedule::now_ms();
    let at =
        |t: &Option<String>| t.as_deref().and_then(schedule::to_local).map(|l| schedule::human(&l, locale));
    let until_ms = block.visible_until.as_deref().and_then(schedule::epoch_ms);
    let from_ms = block.visible_from.as_deref().and_then(schedule::epoch_ms);
    if until_ms.is_some_and(|u| u <= now) {
        return Some((tr(locale, "Finalizado", "Ended").to_owned(), "badge badge-soft"));
    }
    if from_ms.is_some_and(|f| f > now) {
        let text = format!("{} {}", tr(locale, "Desde", "From"), at(&block.visible_from).unwrap_or_default());
        return Some((text, "badge badge-scheduled"));
    }
    until_ms.map(|_| {
        (
            format!("{} {}", tr(locale, "Hasta", "Until"), at(&block.visible_until).unwrap_or_default()),
            "badge badge-scheduled",
        )
    })
}

#[component]
fn BlockRow(id: String) -> impl IntoView {
    let ed = expect_context::<Ed>();
    let ops = expect_context::<Ops>();
    let locale = ed.locale;
    let block = {
        let id = id.clone();
        Memo::new(move |_| ed.blocks.with(|bs| bs.iter().find(|b| b.id == id).cloned()))
    };
    let index = {
        let id = id.clone();
        Memo::new(move |_| ed.blocks.with(|bs| bs.iter().position(|b| b.id == id)).unwrap_or_default())
    };
    let total = move || ed.blocks.with(Vec::len);
    let label = Memo::new(move |_| {
        block.with(|b| b.as_ref().map(|b| label_of(&b.block, locale)).unwrap_or_default())
    });
    let open = RwSignal::new(false);
    let busy = {
        let id = id.clone();
        move || ops.busy.with(|b| b.contains(&id))
    };
    let handle_id = format!("handle-{id}");
    let panel_id = format!("panel-{id}");
    let move_by = {
        let id = id.clone();
        let handle_id = handle_id.clone();
        move |delta: isize| {
            let to = index.get_untracked().saturating_add_signed(delta);
            if ops.move_to(&id, to) {
                refocus(handle_id.clone());
            }
        }
    };
    let on_key = {
        let move_by = move_by.clone();
        move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
            "ArrowUp" => {
                ev.prevent_default();
                move_by(-1);
            }
            "ArrowDown" => {
                ev.prevent_default();
                move_by(1);
            }
            _ => {}
        }
    };
    // Drag and drop: the handle drags, every row is a drop target.
    let dragging = expect_context::<DragState>();
    let drag_start = {
        let id = id.clone();
        move |ev: leptos::ev::DragEvent| {
            if let Some(data) = ev.data_transfer() {
                let _ = data.set_data("text/plain", &id);
                data.set_effect_allowed("move");
            }
            dragging.0.set(Some(id.clone()));
        }
    };
    let drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        if let Some(moving) = dragging.0.get_untracked() {
            ops.move_to(&moving, index.get_untracked());
        }
        dragging.0.set(None);
    };
    let is_target = {
        let id = id.clone();
        move || dragging.0.with(|d| d.as_ref().is_some_and(|d| *d != id))
    };
    let handle_label = move || match locale {
        Locale::Es => format!("Mover «{}», posición {} de {}", label.get(), index.get() + 1, total()),
        Locale::En => format!("Move “{}”, position {} of {}", label.get(), index.get() + 1, total()),
    };
    let enabled = move || block.with(|b| b.as_ref().is_some_and(|b| b.enabled));
    let kind = block.with_untracked(|b| b.as_ref().map_or(BlockType::Link, |b| b.block.kind()));
    let (up, down) = (move_by.clone(), move_by);
    let toggle_id = id.clone();
    let delete_id = id.clone();
    let duplicate_id = id.clone();
    view! {
        <li class="blk-row" class:blk-off=move || !enabled() class:blk-drop=is_target
            on:dragover=move |ev: leptos::ev::DragEvent| ev.prevent_default() on:drop=drop data-testid="block-row">
            <div class="blk-line">
                {ed.can_write.then(|| view! {
                    <div class="blk-order">
                        <button type="button" id=handle_id.clone() class="blk-handle" draggable="true" aria-label=handle_label
                            aria-describedby="reorder-help" on:keydown=on_key on:dragstart=drag_start
                            on:dragend=move |_| dragging.0.set(None)>
                            <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"><circle cx="9" cy="6" r="1.6"/><circle cx="15" cy="6" r="1.6"/><circle cx="9" cy="12" r="1.6"/><circle cx="15" cy="12" r="1.6"/><circle cx="9" cy="18" r="1.6"/><circle cx="15" cy="18" r="1.6"/></svg>
                        </button>
                        <div class="blk-arrows">
                            <button type="button" class="blk-arrow" disabled=move || { index.get() == 0 }
                                aria-label=move || named(locale, tr(locale, "Subir", "Move up"), label.get()) on:click=move |_| { up(-1); }>"↑"</button>
                            <button type="button" class="blk-arrow" disabled=move || { index.get() + 1 >= total() }
                                aria-label=move || named(locale, tr(locale, "Bajar", "Move down"), label.get()) on:click=move |_| { down(1); }>"↓"</button>
                        </div>
                    </div>
                })}
                <span class="blk-icon" aria-hidden="true">{icon(kind)}</span>
                <div class="blk-text">
                    <span class="blk-label">{move || label.get()}</span>
                    <span class="blk-kind">
                        {describe_type(kind, locale).0}
                        {move || block.with(|b| b.as_ref().and_then(|b| schedule_badge(b, locale))).map(|(text, class)| view! { " " <span class=class>{text}</span> })}
                    </span>
                </div>
                {ed.can_write.then(|| view! {
                    <div class="blk-actions">
                        <button type="button" role="switch" class="switch" aria-checked=move || enabled().to_string()
                            aria-label=move || named(locale, tr(locale, "Mostrar", "Show"), label.get())
                            disabled=busy.clone() on:click=move |_| ops.toggle(toggle_id.clone())>
                            <span class="switch-track" aria-hidden="true"><span class="switch-knob"></span></span>
                        </button>
                        <button type="button" class="button button-quiet button-sm" aria-expanded=move || open.get().to_string() aria-controls=panel_id.clone()
                            aria-label=move || named(locale, tr(locale, "Editar", "Edit"), label.get()) on:click=move |_| open.update(|o| *o = !*o)>
                            {tr(locale, "Editar", "Edit")}
                        </button>
                        <button type="button" class="icon-button icon-danger" aria-label=move || named(locale, tr(locale, "Eliminar", "Delete"), label.get())
                            on:click=move |_| ops.delete(delete_id.clone(), label.get_untracked())>
                            <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"><path d="M4 7h16M10 11v6M14 11v6M6 7l1 12a2 2 0 0 0 2 2h6a2 2 0 0 0 2-2l1-12M9 7V4h6v3"/></svg>
                        </button>
                    </div>
                })}
            </div>
            <Show when=move || open.get()>
                <RowEditor id=id.clone() panel_id=format!("panel-{id}") open duplicate=Callback::new({ let d = duplicate_id.clone(); move |()| ops.duplicate(d.clone()) }) />
            </Show>
        </li>
    }
}

/// Which block is being dragged (shared by the rows).
#[derive(Debug, Clone, Copy)]
struct DragState(RwSignal<Option<String>>);

impl DragState {
    fn provide() -> Self {
        let state = Self(RwSignal::new(None));
        provide_context(state);
        state
    }
}

/// Focuses an element once the list has re-rendered (moving a row's node drops its focus).
fn refocus(id: String) {
    #[cfg(feature = "hydrate")]
    request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        if let Some(el) =
            document().get_element_by_id(&id).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}

/// Keeps the preview and the unsaved-changes guard in step with an open form.
fn follow_draft(ed: Ed, key: String, draft: Draft, saved: Option<BlockView>) {
    let effect_key = key.clone();
    Effect::new(move |_| {
        let (json, parsed) = draft.check();
        let (from, until) = (draft.from.get(), draft.until.get());
        let key = effect_key.clone();
        match parsed {
            Ok(config) => ed.drafts.update(|d| {
                d.insert(key.clone(), config);
            }),
            Err(_) => ed.drafts.update(|d| {
                d.remove(&key);
            }),
        }
        let changed = saved.as_ref().is_none_or(|s| {
            let local = |t: &Option<String>| t.as_deref().and_then(schedule::to_local).unwrap_or_default();
            s.block.config_json() != json
                || local(&s.visible_from) != from
                || local(&s.visible_until) != until
        });
        ed.unsaved.update(|u| {
            if changed {
                u.insert(key.clone())
            } else {
                u.remove(&key)
            };
        });
    });
    on_cleanup(move || {
        ed.drafts.try_update(|d| d.remove(&key));
        ed.unsaved.try_update(|u| u.remove(&key));
    });
}

/// The form of a saved block.
#[component]
fn RowEditor(id: String, panel_id: String, open: RwSignal<bool>, duplicate: Callback<()>) -> impl IntoView {
    let ed = expect_context::<Ed>();
    let ops = expect_context::<Ops>();
    let locale = ed.locale;
    let saved = ed.blocks.with_untracked(|b| b.iter().find(|b| b.id == id).cloned())?;
    let draft = Draft::new(
        saved.block.kind(),
        &saved.block.config_json(),
        saved.visible_from.as_deref(),
        saved.visible_until.as_deref(),
    );
    follow_draft(ed, id.clone(), draft, Some(saved));
    let busy = {
        let id = id.clone();
        Memo::new(move |_| ops.busy.with(|b| b.contains(&id)))
    };
    let duplicating = {
        let id = id.clone();
        Memo::new(move |_| ops.duplicating.with(|d| d.as_deref() == Some(id.as_str())))
    };
    let save = {
        let id = id.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            ops.save(id.clone(), draft, move || {
                open.try_set(false);
            });
        }
    };
    Some(view! {
        <form id=panel_id class="blk-panel" on:submit=save novalidate>
            <DraftFields draft prefix=format!("b-{id}") locale />
            <div class="form-actions">
                <button type="submit" class="button button-primary button-sm" disabled=busy aria-busy=move || busy.get().to_string()>
                    {move || if busy.get() { tr(locale, "Guardando…", "Saving…") } else { tr(locale, "Guardar bloque", "Save block") }}
                </button>
                <button type="button" class="button button-quiet button-sm" on:click=move |_| open.set(false)>{tr(locale, "Cancelar", "Cancel")}</button>
                <button type="button" class="button button-quiet button-sm blk-dup" disabled=duplicating aria-busy=move || duplicating.get().to_string()
                    on:click=move |_| duplicate.run(())>
                    {move || if duplicating.get() { tr(locale, "Duplicando…", "Duplicating…") } else { tr(locale, "Duplicar", "Duplicate") }}
                </button>
            </div>
        </form>
    })
}

/// The form of a block being added.
#[component]
fn NewBlock(kind: BlockType, adding: RwSignal<Option<BlockType>>) -> impl IntoView {
    let ed = expect_context::<Ed>();
    let ops = expect_context::<Ops>();
    let locale = ed.locale;
    let draft = Draft::new(kind, &starter(kind, locale), None, None);
    follow_draft(ed, NEW_KEY.to_owned(), draft, None);
    let pending = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        ops.add(kind, draft, pending, move || {
            adding.try_set(None);
        });
    };
    let (name, sentence) = describe_type(kind, locale);
    // Take the coach to the form's first field.
    Effect::new(move |_| {
        refocus(format!("new-{}", super::block_form::fields(kind).first().map_or("from", |f| f.key)))
    });
    view! {
        <section class="blk-new" aria-labelledby="new-block-heading" data-testid="new-block">
            <h3 id="new-block-heading"><span class="blk-icon" aria-hidden="true">{icon(kind)}</span>{tr(locale, "Nuevo bloque: ", "New block: ")}{name}</h3>
            <p class="hint">{sentence}</p>
            <form class="blk-panel" on:submit=submit novalidate>
                <DraftFields draft prefix="new".to_owned() locale />
                <div class="form-actions">
                    <button type="submit" class="button button-primary button-sm" disabled=move || pending.get() aria-busy=move || pending.get().to_string()>
                        {move || if pending.get() { tr(locale, "Añadiendo…", "Adding…") } else { tr(locale, "Añadir a la página", "Add to the page") }}
                    </button>
                    <button type="button" class="button button-quiet button-sm" on:click=move |_| adding.set(None)>{tr(locale, "Descartar", "Discard")}</button>
                </div>
            </form>
        </section>
    }
}

/// A small line icon per block type.
fn icon(kind: BlockType) -> impl IntoView {
    let path = match kind {
        BlockType::Link => {
            "M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1"
        }
        BlockType::Header => "M6 5v14M18 5v14M6 12h12",
        BlockType::PaymentLink => "M3 7h18v10H3zM3 10h18M7 14h3",
        BlockType::BookingLink => "M4 6h16v14H4zM4 10h16M8 3v5M16 3v5",
        BlockType::Whatsapp => "M4 20l1.5-4A8 8 0 1 1 8 18.5zM9 10c0 3 2 5 5 5",
        BlockType::LeadCapture => "M3 6h18v12H3zM3 7l9 6 9-6",
        BlockType::Image => "M4 5h16v14H4zM4 16l5-5 4 4 2-2 5 5M15 9h.01",
        BlockType::SocialRow | BlockType::Embed | BlockType::Testimonial => {
            "M6 12a2 2 0 1 0 0 .01M18 6a2 2 0 1 0 0 .01M18 18a2 2 0 1 0 0 .01M8 11l8-4M8 13l8 4"
        }
    };
    view! {
        <svg viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">
            <path d=path />
        </svg>
    }
}
