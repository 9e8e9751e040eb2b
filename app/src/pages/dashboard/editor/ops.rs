//! What the block list does to the server: each edit shows at once in the list and the preview,
//! then is written; a refusal puts the list back and says why in a toast.
//!
//! Reordering is debounced and serialised: moves change the list immediately, and one task at a
//! time brings the server's order to the list's with as few `afterBlockId` writes as it can
//! ([`reorder::plan`]), so quick key presses never race each other.

use std::collections::BTreeSet;

use contracts::blocks::BlockType;
use contracts::links::{BlockView, CreateBlockInput, UpdateBlockInput};
use leptos::prelude::*;

use super::block_form::Draft;
use super::{Ed, reorder};
use crate::api::links::{add_block, delete_block, restore_block, update_block};
use crate::i18n::tr;

/// How long the list waits after a move before saving the order.
#[cfg(feature = "hydrate")]
const ORDER_DEBOUNCE_MS: u64 = 300;

/// A deleted block, kept so that "Undo" can add it back where it was.
#[derive(Debug, Clone)]
pub struct Deleted {
    pub block: BlockView,
    /// The block it came after (`None`: it was first).
    pub after: Option<String>,
    pub label: String,
}

/// The list's operations and their progress.
#[derive(Debug, Clone, Copy)]
pub struct Ops {
    pub ed: Ed,
    /// The order the server has, as far as the editor knows.
    server_order: StoredValue<Vec<String>>,
    syncing: StoredValue<bool>,
    again: StoredValue<bool>,
    ticket: StoredValue<u64>,
    /// Whether an order change is waiting or being written.
    pub saving_order: RwSignal<bool>,
    /// Rows with a write in flight.
    pub busy: RwSignal<BTreeSet<String>>,
    /// The last deleted block, while "Undo" is offered.
    pub undo: RwSignal<Option<Deleted>>,
    pub restoring: RwSignal<bool>,
    /// The block being duplicated.
    pub duplicating: RwSignal<Option<String>>,
}

impl Ops {
    pub fn new(ed: Ed) -> Self {
        let order = ed.blocks.with_untracked(|b| b.iter().map(|b| b.id.clone()).collect());
        Self {
            ed,
            server_order: StoredValue::new(order),
            syncing: StoredValue::new(false),
            again: StoredValue::new(false),
            ticket: StoredValue::new(0),
            saving_order: RwSignal::new(false),
            busy: RwSignal::new(BTreeSet::new()),
            undo: RwSignal::new(None),
            restoring: RwSignal::new(false),
            duplicating: RwSignal::new(None),
        }
    }

    fn set_busy(self, id: &str, busy: bool) {
        self.busy.try_update(|b| {
            if busy {
                b.insert(id.to_owned())
            } else {
                b.remove(id)
            };
        });
    }

    fn index_of(self, id: &str) -> Option<usize> {
        self.ed.blocks.with_untracked(|b| b.iter().position(|b| b.id == id))
    }

    fn replace(self, view: BlockView) {
        self.ed.blocks.try_update(|bs| {
            if let Some(b) = bs.iter_mut().find(|b| b.id == view.id) {
                *b = view;
            }
        });
    }

    /// Inserts a block the server just created right after `after` (`None`: first).
    fn insert_after(self, view: BlockView, after: Option<&str>) {
        let place = |ids: &[String]| after.and_then(|a| ids.iter().position(|i| i == a)).map_or(0, |i| i + 1);
        self.server_order.try_update_value(|o| {
            let at = place(o);
            o.insert(at, view.id.clone());
        });
        self.ed.blocks.try_update(|bs| {
            let ids: Vec<String> = bs.iter().map(|b| b.id.clone()).collect();
            let at = place(&ids);
            bs.insert(at, view);
        });
    }

    /// Moves block `id` to index `to` of the list, and saves the order shortly after.
    pub fn move_to(self, id: &str, to: usize) -> bool {
        let ids: Vec<String> = self.ed.blocks.with_untracked(|b| b.iter().map(|b| b.id.clone()).collect());
        let Some(from) = ids.iter().position(|i| i == id) else { return false };
        let Some(order) = reorder::moved(&ids, from, to) else { return false };
        let at = order.iter().position(|i| i == id).unwrap_or_default();
        self.ed.blocks.update(|bs| {
            let block = bs.remove(from);
            bs.insert(at, block);
        });
        let locale = self.ed.locale;
        let text = match locale {
            contracts::Locale::Es => format!("Movido a la posición {} de {}.", at + 1, order.len()),
            contracts::Locale::En => format!("Moved to position {} of {}.", at + 1, order.len()),
        };
        self.ed.announce.set(text);
        self.schedule_order_sync();
        true
    }

    fn schedule_order_sync(self) {
        let ticket = self.ticket.get_value() + 1;
        self.ticket.set_value(ticket);
        self.saving_order.set(true);
        #[cfg(feature = "hydrate")]
        set_timeout(
            move || {
                if self.ticket.try_get_value() == Some(ticket) {
                    self.sync_order();
                }
            },
            std::time::Duration::from_millis(ORDER_DEBOUNCE_MS),
        );
        // The server renders no list that moves; this only keeps one code path for both builds.
        #[cfg(not(feature = "hydrate"))]
        self.sync_order();
    }

    fn sync_order(self) {
        if self.syncing.get_value() {
            self.again.set_value(true);
            return;
        }
        self.syncing.set_value(true);
        leptos::task::spawn_local(async move {
            let mut seen;
            loop {
                self.again.try_set_value(false);
                seen = self.ticket.try_get_value();
                let Some(wanted) =
                    self.ed.blocks.try_with_untracked(|b| b.iter().map(|b| b.id.clone()).collect::<Vec<_>>())
                else {
                    return;
                };
                let server = self.server_order.try_get_value().unwrap_or_default();
                let mut failure = None;
                for (id, after) in reorder::plan(&server, &wanted) {
                    let changes = UpdateBlockInput {
                        after_block_id: Some(after.clone()),
                        ..UpdateBlockInput::default()
                    };
                    match update_block(self.ed.id(), id.clone(), changes).await {
                        Ok(view) => {
                            self.server_order.try_update_value(|o| {
                                o.retain(|c| *c != id);
                                let at = after
                                    .as_ref()
                                    .and_then(|a| o.iter().position(|c| c == a))
                                    .map_or(0, |i| i + 1);
                                o.insert(at, id.clone());
                            });
                            self.ed.blocks.try_update(|bs| {
                                if let Some(b) = bs.iter_mut().find(|b| b.id == view.id) {
                                    b.position = view.position;
                                }
                            });
                        }
                        Err(err) => {
                            failure = Some(err);
                            break;
                        }
                    }
                }
                if let Some(err) = failure {
                    let server = self.server_order.try_get_value().unwrap_or_default();
                    self.ed.blocks.try_update(|bs| {
                        bs.sort_by_key(|b| server.iter().position(|s| *s == b.id).unwrap_or(usize::MAX));
                    });
                    self.ed.fail(&err);
                    break;
                }
                if self.again.try_get_value() != Some(true) {
                    self.ed
                        .announce
                        .try_set(tr(self.ed.locale, "Orden guardado.", "Order saved.").to_owned());
                    break;
                }
            }
            self.syncing.try_set_value(false);
            // A move made meanwhile has its own sync coming; until then the order is not saved.
            if seen.is_some() && self.ticket.try_get_value() == seen {
                self.saving_order.try_set(false);
            }
        });
    }

    /// Shows or hides a block.
    pub fn toggle(self, id: String) {
        let Some(was) = self.ed.blocks.with_untracked(|b| b.iter().find(|b| b.id == id).map(|b| b.enabled))
        else {
            return;
        };
        self.ed.blocks.update(|bs| {
            if let Some(b) = bs.iter_mut().find(|b| b.id == id) {
                b.enabled = !was;
            }
        });
        self.set_busy(&id, true);
        leptos::task::spawn_local(async move {
            let changes = UpdateBlockInput { enabled: Some(!was), ..UpdateBlockInput::default() };
            match update_block(self.ed.id(), id.clone(), changes).await {
                Ok(_) => {
                    let text = if was {
                        tr(self.ed.locale, "Bloque oculto.", "Block hidden.")
                    } else {
                        tr(self.ed.locale, "Bloque visible.", "Block shown.")
                    };
                    self.ed.announce.try_set(text.to_owned());
                }
                Err(err) => {
                    self.ed.blocks.try_update(|bs| {
                        if let Some(b) = bs.iter_mut().find(|b| b.id == id) {
                            b.enabled = was;
                        }
                    });
                    self.ed.fail(&err);
                }
            }
            self.set_busy(&id, false);
        });
    }

    /// Deletes a block at once and offers "Undo".
    pub fn delete(self, id: String, label: String) {
        let Some(index) = self.index_of(&id) else { return };
        let (block, after) = self
            .ed
            .blocks
            .with_untracked(|bs| (bs[index].clone(), index.checked_sub(1).map(|i| bs[i].id.clone())));
        self.ed.blocks.update(|bs| {
            bs.remove(index);
        });
        self.ed.drafts.update(|d| {
            d.remove(&id);
        });
        self.ed.unsaved.update(|u| {
            u.remove(&id);
        });
        self.undo.set(Some(Deleted { block: block.clone(), after: after.clone(), label }));
        leptos::task::spawn_local(async move {
            match delete_block(self.ed.id(), id.clone()).await {
                Ok(()) => {
                    self.server_order.try_update_value(|o| o.retain(|c| *c != id));
                }
                Err(err) => {
                    self.undo.try_set(None);
                    self.ed.blocks.try_update(|bs| bs.insert(index.min(bs.len()), block));
                    self.ed.fail(&err);
                }
            }
        });
    }

    /// Adds the last deleted block back after the block it followed.
    pub fn restore(self) {
        let Some(deleted) = self.undo.get_untracked() else { return };
        if self.restoring.get_untracked() {
            return;
        }
        let after = deleted.after.clone().filter(|a| self.index_of(a).is_some());
        let id = deleted.block.id.clone();
        self.restoring.set(true);
        leptos::task::spawn_local(async move {
            // The same block comes back (its id, so its clicks and leads stay with it).
            match restore_block(self.ed.id(), id, after.clone()).await {
                Ok(view) => {
                    self.insert_after(view, after.as_deref());
                    self.undo.try_set(None);
                    self.ed
                        .announce
                        .try_set(tr(self.ed.locale, "Bloque restaurado.", "Block restored.").to_owned());
                }
                Err(err) => self.ed.fail(&err),
            }
            self.restoring.try_set(false);
        });
    }

    /// Adds a copy of a block right after it.
    pub fn duplicate(self, id: String) {
        let Some(block) = self.ed.blocks.with_untracked(|b| b.iter().find(|b| b.id == id).cloned()) else {
            return;
        };
        let input = CreateBlockInput {
            kind: block.block.kind().as_str().to_owned(),
            config: block.block.config_json(),
            enabled: Some(block.enabled),
            position: None,
            after_block_id: Some(Some(id.clone())),
            visible_from: block.visible_from,
            visible_until: block.visible_until,
        };
        if self.duplicating.with_untracked(Option::is_some) {
            return;
        }
        self.duplicating.set(Some(id.clone()));
        leptos::task::spawn_local(async move {
            match add_block(self.ed.id(), input).await {
                Ok(view) => {
                    self.insert_after(view, Some(&id));
                    self.ed
                        .announce
                        .try_set(tr(self.ed.locale, "Bloque duplicado.", "Block duplicated.").to_owned());
                }
                Err(err) => self.ed.fail(&err),
            }
            self.duplicating.try_set(None);
        });
    }

    /// Saves an open block form; `done` runs once it is saved (the form closes).
    pub fn save(self, id: String, draft: Draft, done: impl Fn() + Send + Sync + 'static) {
        let (json, parsed) = draft.check();
        let Ok(config) = parsed else {
            draft.submitted.set(true);
            return;
        };
        let Some(before) = self.ed.blocks.with_untracked(|b| b.iter().find(|b| b.id == id).cloned()) else {
            return;
        };
        let (from, until) = draft.window();
        let changes = UpdateBlockInput {
            config: (config != before.block).then_some(json),
            visible_from: (from != before.visible_from).then(|| from.clone()),
            visible_until: (until != before.visible_until).then(|| until.clone()),
            ..UpdateBlockInput::default()
        };
        if changes == UpdateBlockInput::default() {
            done();
            return;
        }
        self.replace(BlockView { block: config, visible_from: from, visible_until: until, ..before.clone() });
        self.set_busy(&id, true);
        leptos::task::spawn_local(async move {
            match update_block(self.ed.id(), id.clone(), changes).await {
                Ok(view) => {
                    self.replace(view);
                    self.ed
                        .announce
                        .try_set(tr(self.ed.locale, "Bloque guardado.", "Block saved.").to_owned());
                    done();
                }
                Err(err) => {
                    self.replace(before);
                    self.server_problems(draft, &err);
                }
            }
            self.set_busy(&id, false);
        });
    }

    /// Adds a new block at the end; `done` runs with it once added.
    pub fn add(
        self,
        kind: BlockType,
        draft: Draft,
        pending: RwSignal<bool>,
        done: impl Fn() + Send + Sync + 'static,
    ) {
        let (json, parsed) = draft.check();
        if parsed.is_err() {
            draft.submitted.set(true);
            return;
        }
        let (from, until) = draft.window();
        let input = CreateBlockInput {
            kind: kind.as_str().to_owned(),
            config: json,
            enabled: Some(true),
            position: None,
            after_block_id: None,
            visible_from: from,
            visible_until: until,
        };
        pending.set(true);
        leptos::task::spawn_local(async move {
            match add_block(self.ed.id(), input).await {
                Ok(view) => {
                    let last = self.ed.blocks.with_untracked(|b| b.last().map(|b| b.id.clone()));
                    self.insert_after(view, last.as_deref());
                    self.ed
                        .announce
                        .try_set(tr(self.ed.locale, "Bloque añadido.", "Block added.").to_owned());
                    done();
                }
                Err(err) => self.server_problems(draft, &err),
            }
            pending.try_set(false);
        });
    }

    /// A refused save: field problems next to their fields, the rest in a toast.
    fn server_problems(self, draft: Draft, err: &contracts::ApiError) {
        if err.problems.is_empty() {
            self.ed.fail(err);
        } else {
            draft.server.try_set(err.problems.clone());
            draft.submitted.try_set(true);
        }
    }
}
