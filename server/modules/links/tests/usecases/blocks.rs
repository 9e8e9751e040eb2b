//! Blocks: sparse placement, the per-page limit, and deleting with a restore window.

use chrono::TimeDelta;
use contracts::links::PAGE_BLOCKS_MAX;
use kernel::OrganizationId;
use links::LinksError;
use links::application::blocks::{self, BlockChanges, NewBlock, PlacementInput, RESTORE_WINDOW};
use links::domain::page::BlockId;
use pretty_assertions::assert_eq;
use serde_json::json;

use crate::{World, add, assert_not_found, block, invalid_fields, layout, link, names, owner, page};

fn after(id: BlockId) -> PlacementInput {
    PlacementInput { position: None, after_block_id: Some(Some(id.to_string())) }
}

fn at(position: i32) -> PlacementInput {
    PlacementInput { position: Some(position), after_block_id: None }
}

fn placed(new: NewBlock, placement: PlacementInput) -> NewBlock {
    NewBlock { placement, ..new }
}

fn labels(expected: &[(&str, i32)]) -> Vec<(String, i32)> {
    expected.iter().map(|(l, p)| ((*l).to_owned(), *p)).collect()
}

#[tokio::test]
async fn blocks_go_last_first_after_a_block_or_at_a_position_and_renumber_when_no_gap_is_left() {
    let w = World::new().await;
    let ana = owner(OrganizationId::new());
    let id = page(&w.ctx, &ana, "ana-coach").await;
    let a = add(&w.ctx, &ana, id, link("A")).await;
    let b = add(&w.ctx, &ana, id, link("B")).await;
    add(&w.ctx, &ana, id, link("C")).await;
    assert_eq!(layout(&w.ctx, &ana, id).await, labels(&[("A", 10), ("B", 20), ("C", 30)]));

    add(&w.ctx, &ana, id, placed(link("after A"), after(a.id))).await;
    let first = PlacementInput { position: None, after_block_id: Some(None) };
    add(&w.ctx, &ana, id, placed(link("first"), first)).await;
    add(&w.ctx, &ana, id, placed(link("at 20"), at(20))).await;
    assert_eq!(
        layout(&w.ctx, &ana, id).await,
        labels(&[("first", 5), ("A", 10), ("after A", 15), ("at 20", 17), ("B", 20), ("C", 30)]),
        "a taken position goes right before the block holding it"
    );

    // Move B to 11: no gap is left after A, so the next block placed there renumbers the page.
    blocks::update(&w.ctx, &ana, id, b.id, BlockChanges { placement: at(11), ..BlockChanges::default() })
        .await
        .unwrap();
    add(&w.ctx, &ana, id, placed(link("squeezed"), after(a.id))).await;
    assert_eq!(
        layout(&w.ctx, &ana, id).await,
        labels(&[
            ("first", 10),
            ("A", 20),
            ("squeezed", 30),
            ("B", 40),
            ("after A", 50),
            ("at 20", 60),
            ("C", 70)
        ])
    );
}

#[tokio::test]
async fn a_placement_must_name_one_spot_on_this_page_and_a_block_must_be_on_its_page() {
    let w = World::new().await;
    let ana = owner(OrganizationId::new());
    let id = page(&w.ctx, &ana, "ana-coach").await;
    let other = page(&w.ctx, &ana, "ana-talks").await;
    let a = add(&w.ctx, &ana, id, link("A")).await;
    let elsewhere = add(&w.ctx, &ana, other, link("X")).await;
    let before = w.footprint().await;

    let both = PlacementInput { position: Some(10), after_block_id: Some(Some(a.id.to_string())) };
    let add = async |new| blocks::add(&w.ctx, &ana, id, new).await;
    assert_eq!(invalid_fields(add(placed(link("B"), both)).await), names(&["position"]));
    assert_eq!(invalid_fields(add(placed(link("B"), after(elsewhere.id))).await), names(&["afterBlockId"]));
    assert_eq!(invalid_fields(add(placed(link("B"), at(0))).await), names(&["position"]));
    assert_eq!(invalid_fields(add(block("EMBED", json!({}))).await), names(&["type"]));
    let unsafe_url = block("LINK", json!({"url": "javascript:alert(1)", "title": "B"}));
    assert!(invalid_fields(add(unsafe_url).await).iter().all(|f| f.starts_with("config")));
    let backwards = NewBlock {
        visible_from: Some("2026-12-02T00:00:00Z".into()),
        visible_until: Some("2026-12-01T00:00:00Z".into()),
        ..link("B")
    };
    assert_eq!(invalid_fields(add(backwards).await), names(&["visibleUntil"]));
    assert_eq!(w.footprint().await, before);

    // A block of another page is not found through this page, for edits and deletes alike.
    let disable = BlockChanges { enabled: Some(false), ..BlockChanges::default() };
    assert_not_found(blocks::update(&w.ctx, &ana, id, elsewhere.id, disable).await);
    assert_not_found(blocks::delete(&w.ctx, &ana, id, elsewhere.id).await);
    assert_eq!(layout(&w.ctx, &ana, other).await, [("X".to_owned(), 10)]);
}

#[tokio::test]
async fn a_page_holds_at_most_page_blocks_max_blocks_restores_included() {
    let w = World::new().await;
    let ana = owner(OrganizationId::new());
    let id = page(&w.ctx, &ana, "ana-coach").await;
    let mut added = Vec::new();
    for i in 0..PAGE_BLOCKS_MAX {
        added.push(add(&w.ctx, &ana, id, link(&format!("L{i}"))).await);
    }
    let full = blocks::add(&w.ctx, &ana, id, link("one too many")).await;
    assert!(matches!(full, Err(LinksError::Conflict(_))), "{full:?}");
    assert_eq!(layout(&w.ctx, &ana, id).await.len(), PAGE_BLOCKS_MAX);

    // A freed slot taken by another block leaves no room to restore the deleted one…
    blocks::delete(&w.ctx, &ana, id, added[0].id).await.unwrap();
    let newcomer = add(&w.ctx, &ana, id, link("newcomer")).await;
    let restore = blocks::restore(&w.ctx, &ana, id, added[0].id, PlacementInput::default()).await;
    assert!(matches!(restore, Err(LinksError::Conflict(_))), "{restore:?}");
    // …and the refusal did not spend the undo: once there is room, it still works.
    blocks::delete(&w.ctx, &ana, id, newcomer.id).await.unwrap();
    let back = blocks::restore(&w.ctx, &ana, id, added[0].id, PlacementInput::default()).await.unwrap();
    assert_eq!(back.id, added[0].id);
    assert_eq!(layout(&w.ctx, &ana, id).await.len(), PAGE_BLOCKS_MAX);
}

#[tokio::test]
async fn a_deleted_block_can_be_restored_with_its_id_and_settings_for_a_day() {
    let w = World::new().await;
    let ana = owner(OrganizationId::new());
    let id = page(&w.ctx, &ana, "ana-coach").await;
    add(&w.ctx, &ana, id, link("A")).await;
    let hidden =
        NewBlock { enabled: Some(false), visible_until: Some("2027-01-01T00:00:00Z".into()), ..link("B") };
    let b = add(&w.ctx, &ana, id, hidden).await;
    let c = add(&w.ctx, &ana, id, link("C")).await;

    blocks::delete(&w.ctx, &ana, id, b.id).await.unwrap();
    assert_eq!(layout(&w.ctx, &ana, id).await, labels(&[("A", 10), ("C", 30)]));
    w.clock.advance(TimeDelta::hours(23));
    let back = blocks::restore(&w.ctx, &ana, id, b.id, PlacementInput::default()).await.unwrap();
    assert_eq!(
        (back.id, back.config, back.position, back.visibility),
        (b.id, b.config.clone(), 20, b.visibility),
        "the same block, at its old position"
    );
    assert_not_found(blocks::restore(&w.ctx, &ana, id, b.id, PlacementInput::default()).await);

    // Put back where the editor says: after C.
    blocks::delete(&w.ctx, &ana, id, b.id).await.unwrap();
    blocks::restore(&w.ctx, &ana, id, b.id, after(c.id)).await.unwrap();
    assert_eq!(layout(&w.ctx, &ana, id).await, labels(&[("A", 10), ("C", 30), ("B", 40)]));

    // Past the window, the block is gone for good.
    blocks::delete(&w.ctx, &ana, id, b.id).await.unwrap();
    w.clock.advance(RESTORE_WINDOW + TimeDelta::seconds(1));
    assert_not_found(blocks::restore(&w.ctx, &ana, id, b.id, PlacementInput::default()).await);
    assert_eq!(layout(&w.ctx, &ana, id).await, labels(&[("A", 10), ("C", 30)]));
    // A block that was never deleted cannot be "restored" either.
    assert_not_found(blocks::restore(&w.ctx, &ana, id, BlockId::new(), PlacementInput::default()).await);
    let restored = w.events("block.restored").await;
    assert_eq!((w.events("block.removed").await.len(), restored.len()), (3, 2));
    assert!(restored.iter().all(|e| e["blockId"] == b.id.to_string()));
}
