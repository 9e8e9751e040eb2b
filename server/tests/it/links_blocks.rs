//! Blocks (docs/http-api.md, "Links"): adding each type, strict per-type configs (hostile URLs,
//! unknown fields, E.164 phones, reserved types), sparse positions (append, `afterBlockId`,
//! explicit positions, renumbering when no gap is left), visibility windows, editing, deleting,
//! the 100-block cap, and isolation between pages and organizations.

use crate::common;
use crate::common::links;

use axum::http::StatusCode;
use common::app::{Call, Client, TestApp};
use links::*;
use pretty_assertions::assert_eq;
use serde_json::{Value, json};

/// Ana, owner of an organization, with a blank page; (app, ana, page id).
async fn page() -> (TestApp, Client, String) {
    let app = TestApp::start().await;
    let ana = owner(&app, "ana@example.com", "org-ana").await;
    let page_id = id(&create_page(&ana, "ana-coach").await);
    (app, ana, page_id)
}

/// The block titles (LINK `title` / HEADER `text`) of a page, in the page's order.
fn labels(page: &Value) -> Vec<String> {
    page["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            let config = &b["config"];
            config["title"].as_str().or_else(|| config["text"].as_str()).unwrap_or_default().to_owned()
        })
        .collect()
}

#[tokio::test]
async fn blocks_are_appended_at_sparse_positions() {
    let (_app, ana, page_id) = page().await;

    let first = try_add_block(&ana, &page_id, json!({"type": "HEADER", "config": header("Services")}))
        .await
        .expect(StatusCode::CREATED)
        .json();
    uuid::Uuid::parse_str(&id(&first)).expect("a UUID id");
    assert_eq!(
        first,
        json!({"id": id(&first), "type": "HEADER", "config": {"text": "Services"}, "enabled": true,
               "position": 10, "visibleFrom": null, "visibleUntil": null})
    );
    let second = add_block(&ana, &page_id, "LINK", link("Book a call")).await;
    let third = add_block_with(
        &ana,
        &page_id,
        json!({"type": "LINK", "config": link("Old offer"), "enabled": false}),
    )
    .await;
    assert_eq!(second["position"], 20);
    assert_eq!((third["position"].clone(), third["enabled"].clone()), (json!(30), json!(false)));

    let page = get_page(&ana, &page_id).await;
    assert_eq!(block_ids(&page), [id(&first), id(&second), id(&third)]);
    assert_eq!(page["blocks"][1], second);
    assert_eq!(page["blocks"][2], third);
    assert_eq!(ana.get(PAGES).await.json()["items"][0]["blockCount"], 3);
}

#[tokio::test]
async fn every_creatable_type_is_accepted_and_echoed() {
    let (_app, ana, page_id) = page().await;
    let cases = [
        (
            "LINK",
            json!({"url": "https://ana.coach", "title": "Web", "thumbnailUrl": "https://ana.coach/t.png"}),
        ),
        ("HEADER", json!({"text": "Servicios"})),
        ("PAYMENT_LINK", json!({"url": "https://buy.stripe.com/x", "title": "Pagar", "priceLabel": "$50"})),
        ("BOOKING_LINK", json!({"url": "https://cal.com/ana", "title": "Agenda", "durationMinutes": 30})),
        ("WHATSAPP", json!({"phone": "+5215512345678", "message": "Hola", "title": "WhatsApp"})),
        (
            "LEAD_CAPTURE",
            json!({"title": "Newsletter", "buttonLabel": "Suscribirme", "successMessage": "Gracias",
                   "consentText": "Acepto"}),
        ),
        ("IMAGE", json!({"url": "https://ana.coach/a.jpg", "alt": "Ana", "linkUrl": "https://ana.coach"})),
        (
            "SOCIAL_ROW",
            json!({"links": [{"network": "instagram", "url": "https://instagram.com/ana"},
                             {"network": "linkedin", "url": "https://linkedin.com/in/ana"}]}),
        ),
    ];
    for (kind, config) in &cases {
        let block = add_block(&ana, &page_id, kind, config.clone()).await;
        assert_eq!((&block["type"], &block["config"]), (&json!(kind), config), "{kind}");
    }
    let page = get_page(&ana, &page_id).await;
    let types: Vec<&str> =
        page["blocks"].as_array().unwrap().iter().map(|b| b["type"].as_str().unwrap()).collect();
    assert_eq!(types, cases.iter().map(|(k, _)| *k).collect::<Vec<_>>());
    assert_eq!(positions(&page), [10, 20, 30, 40, 50, 60, 70, 80]);
}

#[tokio::test]
async fn after_block_id_places_a_block_between_its_neighbours() {
    let (_app, ana, page_id) = page().await;
    let a = add_block(&ana, &page_id, "HEADER", header("A")).await;
    let b = add_block(&ana, &page_id, "HEADER", header("B")).await;
    add_block(&ana, &page_id, "HEADER", header("C")).await;

    let ab = add_block_with(
        &ana,
        &page_id,
        json!({"type": "HEADER", "config": header("AB"), "afterBlockId": id(&a)}),
    )
    .await;
    assert_eq!(ab["position"], 15, "the midpoint of 10 and 20");
    let first = add_block_with(
        &ana,
        &page_id,
        json!({"type": "HEADER", "config": header("First"), "afterBlockId": null}),
    )
    .await;
    assert!(first["position"].as_i64().unwrap() < 10, "{first}");
    let c = get_page(&ana, &page_id).await["blocks"][4].clone();
    let last = add_block_with(
        &ana,
        &page_id,
        json!({"type": "HEADER", "config": header("Last"), "afterBlockId": id(&c)}),
    )
    .await;
    assert!(last["position"].as_i64().unwrap() > 30, "{last}");
    let bc = add_block_with(
        &ana,
        &page_id,
        json!({"type": "HEADER", "config": header("BC"), "afterBlockId": id(&b)}),
    )
    .await;
    assert_eq!(bc["position"], 25);

    let page = get_page(&ana, &page_id).await;
    assert_eq!(labels(&page), ["First", "A", "AB", "B", "BC", "C", "Last"]);
    assert_strictly_increasing(&positions(&page));

    // An `afterBlockId` that is not a block of this page is refused; nothing is added.
    let stranger = uuid::Uuid::now_v7().to_string();
    let reply = try_add_block(
        &ana,
        &page_id,
        json!({"type": "HEADER", "config": header("X"), "afterBlockId": stranger}),
    )
    .await;
    assert!(
        matches!(reply.status, StatusCode::BAD_REQUEST | StatusCode::NOT_FOUND),
        "unknown afterBlockId: {} {}",
        reply.status,
        reply.text()
    );
    assert_eq!(get_page(&ana, &page_id).await["blocks"].as_array().unwrap().len(), 7);
}

#[tokio::test]
async fn inserting_again_and_again_after_one_block_renumbers_when_no_gap_is_left() {
    let (_app, ana, page_id) = page().await;
    let a = add_block(&ana, &page_id, "HEADER", header("A")).await;
    add_block(&ana, &page_id, "HEADER", header("Z")).await;

    // Each new block goes right after A: 15, 12, 11, then no integer is left between 10 and 11.
    let mut expected = vec!["A".to_owned(), "Z".to_owned()];
    for n in 1..=12 {
        let label = format!("N{n}");
        let block = add_block_with(
            &ana,
            &page_id,
            json!({"type": "HEADER", "config": header(&label), "afterBlockId": id(&a)}),
        )
        .await;
        expected.insert(1, label.clone());
        let page = get_page(&ana, &page_id).await;
        assert_eq!(labels(&page), expected, "after inserting {label}");
        let positions = positions(&page);
        assert_strictly_increasing(&positions);
        match n {
            1 => assert_eq!(block["position"], 15),
            2 => assert_eq!(block["position"], 12),
            3 => assert_eq!(block["position"], 11),
            4 => {
                // The page was renumbered 10, 20, 30…: every block but (maybe) the new one sits on
                // a multiple of 10.
                let others: Vec<i64> = page["blocks"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|b| b["id"] != block["id"])
                    .map(|b| b["position"].as_i64().unwrap())
                    .collect();
                assert!(others.iter().all(|p| p % 10 == 0), "not renumbered: {positions:?}");
                assert_eq!(others[0], 10, "{positions:?}");
            }
            _ => {}
        }
    }
}

#[tokio::test]
async fn an_explicit_position_is_used_as_is_or_goes_before_the_block_holding_it() {
    let (_app, ana, page_id) = page().await;
    add_block(&ana, &page_id, "HEADER", header("A")).await;
    add_block(&ana, &page_id, "HEADER", header("B")).await;
    add_block(&ana, &page_id, "HEADER", header("C")).await;

    let free =
        add_block_with(&ana, &page_id, json!({"type": "HEADER", "config": header("At25"), "position": 25}))
            .await;
    assert_eq!(free["position"], 25);
    let far = add_block_with(
        &ana,
        &page_id,
        json!({"type": "HEADER", "config": header("At1000"), "position": 1000}),
    )
    .await;
    assert_eq!(far["position"], 1000);
    let taken =
        add_block_with(&ana, &page_id, json!({"type": "HEADER", "config": header("At20"), "position": 20}))
            .await;

    let page = get_page(&ana, &page_id).await;
    assert_eq!(labels(&page), ["A", "At20", "B", "At25", "C", "At1000"]);
    assert_strictly_increasing(&positions(&page));
    let at20 = page["blocks"][1].clone();
    assert_eq!(at20["id"], taken["id"]);
    assert_eq!(at20["position"], taken["position"], "the answer tells the block's real position");
}

#[tokio::test]
async fn block_types_and_configs_are_validated() {
    let (app, ana, page_id) = page().await;
    let now = app.now();
    let url = |url: &str| json!({"type": "LINK", "config": {"url": url, "title": "Click"}});
    let cases = [
        (json!({"type": "EMBED", "config": {"url": "https://youtube.com/x"}}), "type"),
        (json!({"type": "TESTIMONIAL", "config": {"text": "Great"}}), "type"),
        (json!({"type": "SCRIPT", "config": {}}), "type"),
        (json!({"type": "link", "config": link("x")}), "type"),
        (url("javascript:alert(1)"), "config.url"),
        (url("JaVaScRiPt:alert(1)"), "config.url"),
        (url("java\tscript:alert(1)"), "config.url"),
        (url(" https://x.co"), "config.url"),
        (url("javascript%3Aalert(1)"), "config.url"),
        (url("data:text/html,<script>alert(1)</script>"), "config.url"),
        (url("//evil.example"), "config.url"),
        (url("https://paypal.com@evil.example"), "config.url"),
        (url(""), "config.url"),
        (
            json!({"type": "LINK", "config": {"url": "https://x.co", "title": "x", "onclick": "alert(1)"}}),
            "config.onclick",
        ),
        (json!({"type": "LINK", "config": {"url": "https://x.co"}}), "config.title"),
        (
            json!({"type": "LINK", "config": {"url": "https://x.co", "title": "x".repeat(101)}}),
            "config.title",
        ),
        (json!({"type": "HEADER", "config": {"text": "   "}}), "config.text"),
        (json!({"type": "HEADER", "config": "text"}), "config"),
        (json!({"type": "WHATSAPP", "config": {"phone": "5512345678"}}), "config.phone"),
        (json!({"type": "WHATSAPP", "config": {"phone": "+52 55 1234 5678"}}), "config.phone"),
        (
            json!({"type": "IMAGE", "config": {"url": "https://x.co/a.png", "alt": "a", "linkUrl": "javascript:alert(1)"}}),
            "config.linkUrl",
        ),
        (
            json!({"type": "SOCIAL_ROW", "config": {"links": [{"network": "x", "url": "https://x.com/a"},
                                                           {"network": "x", "url": "javascript:1"}]}}),
            "config.links[1].url",
        ),
        (
            json!({"type": "HEADER", "config": header("x"), "visibleFrom": hours_from(now, 2), "visibleUntil": hours_from(now, 1)}),
            "visibleUntil",
        ),
        (
            json!({"type": "HEADER", "config": header("x"), "visibleFrom": hours_from(now, 1), "visibleUntil": hours_from(now, 1)}),
            "visibleUntil",
        ),
        (json!({"type": "HEADER", "config": header("x"), "visibleFrom": "tomorrow"}), "visibleFrom"),
        (
            json!({"type": "HEADER", "config": header("x"), "visibleFrom": "2026-13-01T00:00:00Z"}),
            "visibleFrom",
        ),
        (json!({"type": "HEADER", "config": header("x"), "visibleUntil": "2026-12-01"}), "visibleUntil"),
        (json!({"type": "HEADER", "config": header("x"), "pageId": page_id}), "pageId"),
        (json!({"type": "HEADER", "config": header("x"), "enabled": "yes"}), "enabled"),
        (json!({"config": header("x")}), "type"),
    ];
    for (body, field) in cases {
        let reply = try_add_block(&ana, &page_id, body.clone()).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{body}: {}", reply.text());
        assert_eq!(reply.json()["error"]["code"], "validation", "{body}: {}", reply.text());
        assert!(
            reply.json()["error"]["fields"][field].is_string(),
            "{body} should name {field}: {}",
            reply.text()
        );
    }
    assert_eq!(get_page(&ana, &page_id).await["blocks"], json!([]));
}

#[tokio::test]
async fn visibility_windows_round_trip_and_can_be_cleared() {
    let (app, ana, page_id) = page().await;
    let now = app.now();
    let from = hours_from(now, 1);
    let until = hours_from(now, 48);
    let block = add_block_with(
        &ana,
        &page_id,
        json!({"type": "LINK", "config": link("Webinar"), "visibleFrom": from, "visibleUntil": until}),
    )
    .await;
    assert_eq!(instant(&block["visibleFrom"]), instant(&json!(from)));
    assert_eq!(instant(&block["visibleUntil"]), instant(&json!(until)));

    // Only one end of the window is fine.
    let open_ended = add_block_with(
        &ana,
        &page_id,
        json!({"type": "LINK", "config": link("Promo"), "visibleUntil": until}),
    )
    .await;
    assert_eq!(open_ended["visibleFrom"], Value::Null);

    // Moving only one end is checked against the other one.
    let path = block_path(&page_id, &id(&block));
    ana.patch(&path, json!({"visibleUntil": rfc3339(now)})).await.expect_invalid("visibleUntil");
    // Null clears.
    let cleared = patch_block(&ana, &page_id, &id(&block), json!({"visibleFrom": null})).await;
    assert_eq!(cleared["visibleFrom"], Value::Null);
    assert_eq!(instant(&cleared["visibleUntil"]), instant(&json!(until)));
    let cleared = patch_block(&ana, &page_id, &id(&block), json!({"visibleUntil": null})).await;
    assert_eq!((cleared["visibleFrom"].clone(), cleared["visibleUntil"].clone()), (Value::Null, Value::Null));
    assert_eq!(get_page(&ana, &page_id).await["blocks"][0], cleared);
}

#[tokio::test]
async fn editing_a_block() {
    let (_app, ana, page_id) = page().await;
    let a = add_block(&ana, &page_id, "LINK", link("A")).await;
    add_block(&ana, &page_id, "HEADER", header("B")).await;
    let c = add_block(&ana, &page_id, "WHATSAPP", json!({"phone": "+5215512345678"})).await;

    let edited = patch_block(
        &ana,
        &page_id,
        &id(&a),
        json!({"config": {"url": "https://ana.coach/new", "title": "A2"}, "enabled": false}),
    )
    .await;
    assert_eq!(
        edited,
        json!({"id": id(&a), "type": "LINK", "config": {"url": "https://ana.coach/new", "title": "A2"},
               "enabled": false, "position": 10, "visibleFrom": null, "visibleUntil": null})
    );
    // Moving: first, then after another block.
    let moved = patch_block(&ana, &page_id, &id(&c), json!({"afterBlockId": null})).await;
    assert_eq!(moved["config"], json!({"phone": "+5215512345678"}), "moving keeps the config");
    assert_eq!(labels(&get_page(&ana, &page_id).await), ["", "A2", "B"]);
    patch_block(&ana, &page_id, &id(&c), json!({"afterBlockId": id(&a)})).await;
    let page = get_page(&ana, &page_id).await;
    assert_eq!(labels(&page), ["A2", "", "B"]);
    assert_strictly_increasing(&positions(&page));
    let page_after_moves = page;

    // The config is checked against the block's own type, which cannot change.
    let path = block_path(&page_id, &id(&a));
    let refused = [
        (json!({"config": {"url": "javascript:alert(1)", "title": "A"}}), "config.url"),
        (json!({"config": {"url": "https://x.co", "title": "A", "onclick": "x"}}), "config.onclick"),
        (json!({"config": {"text": "I am a header now"}}), "config.text"),
        (json!({"type": "HEADER"}), "type"),
        (json!({"pageId": uuid::Uuid::now_v7().to_string()}), "pageId"),
        (json!({"visibleFrom": "soon"}), "visibleFrom"),
    ];
    for (body, field) in refused {
        let reply = ana.patch(&path, body.clone()).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{body}: {}", reply.text());
        assert!(
            reply.json()["error"]["fields"][field].is_string(),
            "{body} should name {field}: {}",
            reply.text()
        );
    }
    ana.patch(&block_path(&page_id, &id(&c)), json!({"config": {"phone": "12345"}}))
        .await
        .expect_invalid("config.phone");
    assert_eq!(get_page(&ana, &page_id).await, page_after_moves);
}

#[tokio::test]
async fn deleting_a_block() {
    let (_app, ana, page_id) = page().await;
    let a = add_block(&ana, &page_id, "HEADER", header("A")).await;
    let b = add_block(&ana, &page_id, "HEADER", header("B")).await;

    ana.delete(&block_path(&page_id, &id(&a))).await.expect(StatusCode::NO_CONTENT);
    assert_eq!(block_ids(&get_page(&ana, &page_id).await), [id(&b)]);
    ana.delete(&block_path(&page_id, &id(&a))).await.expect_error(StatusCode::NOT_FOUND, "not_found");
    ana.patch(&block_path(&page_id, &id(&a)), json!({"enabled": false}))
        .await
        .expect_error(StatusCode::NOT_FOUND, "not_found");
    assert_eq!(ana.get(PAGES).await.json()["items"][0]["blockCount"], 1);
}

fn restore_path(page_id: &str, block_id: &str) -> String {
    format!("{}/restore", block_path(page_id, block_id))
}

#[tokio::test]
async fn a_deleted_block_comes_back_with_its_id_config_and_window() {
    let (app, ana, page_id) = page().await;
    let a = add_block(&ana, &page_id, "HEADER", header("A")).await;
    let b =
        add_block(&ana, &page_id, "LINK", json!({"url": "https://example.com/agenda", "title": "Agenda"}))
            .await;
    let b = patch_block(
        &ana,
        &page_id,
        &id(&b),
        json!({"enabled": false, "visibleUntil": "2031-01-01T00:00:00Z"}),
    )
    .await;
    let c = add_block(&ana, &page_id, "HEADER", header("C")).await;
    let before = get_page(&ana, &page_id).await;

    ana.delete(&block_path(&page_id, &id(&b))).await.expect(StatusCode::NO_CONTENT);
    assert_eq!(block_ids(&get_page(&ana, &page_id).await), [id(&a), id(&c)]);

    // "Undo": back after the block it followed, with everything it had.
    let restored = ana
        .post(&restore_path(&page_id, &id(&b)), json!({"afterBlockId": id(&a)}))
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(restored["id"], b["id"]);
    assert_eq!(restored["config"], b["config"]);
    assert_eq!(restored["enabled"], false);
    assert_eq!(restored["visibleUntil"], b["visibleUntil"]);
    assert_eq!(block_ids(&get_page(&ana, &page_id).await), block_ids(&before));

    // Restored once: it is a block again, not a deleted one.
    ana.post_empty(&restore_path(&page_id, &id(&b))).await.expect_error(StatusCode::NOT_FOUND, "not_found");

    // Without a body it returns to its old position; a day later it is gone for good.
    ana.delete(&block_path(&page_id, &id(&a))).await.expect(StatusCode::NO_CONTENT);
    let back = ana.post_empty(&restore_path(&page_id, &id(&a))).await.expect(StatusCode::OK).json();
    assert_eq!(back["position"], a["position"]);
    assert_eq!(block_ids(&get_page(&ana, &page_id).await), block_ids(&before));
    ana.delete(&block_path(&page_id, &id(&c))).await.expect(StatusCode::NO_CONTENT);
    app.clock.advance(chrono::TimeDelta::hours(24) + chrono::TimeDelta::seconds(1));
    ana.post_empty(&restore_path(&page_id, &id(&c))).await.expect_error(StatusCode::NOT_FOUND, "not_found");
    assert_eq!(block_ids(&get_page(&ana, &page_id).await), [id(&a), id(&b)]);
}

#[tokio::test]
async fn restoring_checks_its_input_the_caller_and_the_page() {
    let (app, ana, page_id) = page().await;
    let a = add_block(&ana, &page_id, "HEADER", header("A")).await;
    let other_page = id(&create_page(&ana, "ana-other").await);
    ana.delete(&block_path(&page_id, &id(&a))).await.expect(StatusCode::NO_CONTENT);

    // A block that was never deleted, another page's path, a malformed id: nothing to restore.
    let live = add_block(&ana, &page_id, "HEADER", header("Live")).await;
    for path in [
        restore_path(&page_id, &id(&live)),
        restore_path(&other_page, &id(&a)),
        restore_path(&page_id, "not-a-uuid"),
    ] {
        ana.post_empty(&path).await.expect_error(StatusCode::NOT_FOUND, "not_found");
    }
    // Another organization cannot see it.
    let zoe = owner(&app, "zoe@example.com", "org-zoe").await;
    zoe.post_empty(&restore_path(&page_id, &id(&a))).await.expect_error(StatusCode::NOT_FOUND, "not_found");
    // A viewer may not.
    let vic = member(&app, &ana, "vic@example.com", "viewer").await;
    vic.post_empty(&restore_path(&page_id, &id(&a))).await.expect_error(StatusCode::FORBIDDEN, "forbidden");
    // Unknown fields, a bad anchor and a body that is not JSON are refused, and change nothing.
    ana.post(&restore_path(&page_id, &id(&a)), json!({"pageId": other_page})).await.expect_invalid("pageId");
    ana.post(&restore_path(&page_id, &id(&a)), json!({"afterBlockId": "nope"}))
        .await
        .expect_invalid("afterBlockId");
    ana.send(Call::post(&restore_path(&page_id, &id(&a))).body("text/plain", "please"))
        .await
        .expect_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
    assert_eq!(block_ids(&get_page(&ana, &page_id).await), [id(&live)]);

    // After all that it can still be restored, first.
    let restored = ana
        .post(&restore_path(&page_id, &id(&a)), json!({"afterBlockId": null}))
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(restored["id"], a["id"]);
    assert_eq!(block_ids(&get_page(&ana, &page_id).await), [id(&a), id(&live)]);
}

#[tokio::test]
async fn blocks_of_another_page_or_organization_are_404() {
    let (app, ana, page_id) = page().await;
    let other_page = id(&create_page(&ana, "ana-other").await);
    let a = add_block(&ana, &page_id, "HEADER", header("A")).await;
    let zoe = owner(&app, "zoe@example.com", "org-zoe").await;
    let zoe_page = id(&create_page(&zoe, "zoe-page").await);
    let z = add_block(&zoe, &zoe_page, "HEADER", header("Z")).await;

    // Ana's block through her other page's path; Zoe's block through Ana's page; a malformed id.
    let calls = [
        Call::patch(&block_path(&other_page, &id(&a))).json(&json!({"enabled": false})),
        Call::delete(&block_path(&other_page, &id(&a))),
        Call::patch(&block_path(&page_id, &id(&z))).json(&json!({"enabled": false})),
        Call::delete(&block_path(&page_id, &id(&z))),
        Call::patch(&block_path(&zoe_page, &id(&z))).json(&json!({"enabled": false})),
        Call::delete(&block_path(&zoe_page, &id(&z))),
        Call::post(&blocks_path(&zoe_page)).json(&json!({"type": "HEADER", "config": header("Mine")})),
        Call::patch(&block_path(&page_id, "not-a-uuid")).json(&json!({"enabled": false})),
        Call::delete(&block_path(&page_id, "not-a-uuid")),
        Call::post(&blocks_path("not-a-uuid")).json(&json!({"type": "HEADER", "config": header("x")})),
    ];
    for call in calls {
        let what = format!("{call:?}");
        let reply = ana.send(call).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{what}: {}", reply.text());
        assert_eq!(reply.json()["error"]["code"], "not_found", "{what}");
    }
    // Zoe's block cannot be used as an anchor on Ana's page either.
    let reply = try_add_block(
        &ana,
        &page_id,
        json!({"type": "HEADER", "config": header("X"), "afterBlockId": id(&z)}),
    )
    .await;
    assert!(matches!(reply.status, StatusCode::BAD_REQUEST | StatusCode::NOT_FOUND), "{}", reply.text());

    assert_eq!(get_page(&ana, &page_id).await["blocks"][0], a);
    assert_eq!(get_page(&zoe, &zoe_page).await["blocks"], json!([z]));
    assert_eq!(get_page(&ana, &other_page).await["blocks"], json!([]));
}

#[tokio::test]
async fn a_page_holds_at_most_100_blocks() {
    let (_app, ana, page_id) = page().await;
    for n in 1..=100 {
        add_block(&ana, &page_id, "HEADER", header(&format!("H{n}"))).await;
    }
    try_add_block(&ana, &page_id, json!({"type": "HEADER", "config": header("H101")}))
        .await
        .expect_error(StatusCode::CONFLICT, "conflict");
    let page = get_page(&ana, &page_id).await;
    assert_eq!(page["blocks"].as_array().unwrap().len(), 100);
    assert_eq!(positions(&page).last(), Some(&1000));

    // Removing one makes room again.
    let first = block_ids(&page)[0].clone();
    ana.delete(&block_path(&page_id, &first)).await.expect(StatusCode::NO_CONTENT);
    add_block(&ana, &page_id, "HEADER", header("H101")).await;
}

#[tokio::test]
async fn viewers_cannot_change_blocks() {
    let (app, ana, page_id) = page().await;
    let a = add_block(&ana, &page_id, "HEADER", header("A")).await;
    let vic = member(&app, &ana, "vic@example.com", "viewer").await;
    let before = get_page(&ana, &page_id).await;
    assert_eq!(get_page(&vic, &page_id).await, before);

    let calls = [
        Call::post(&blocks_path(&page_id)).json(&json!({"type": "HEADER", "config": header("V")})),
        Call::patch(&block_path(&page_id, &id(&a))).json(&json!({"enabled": false})),
        Call::delete(&block_path(&page_id, &id(&a))),
    ];
    for call in calls {
        let what = format!("{call:?}");
        let reply = vic.send(call).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{what}: {}", reply.text());
        assert_eq!(reply.json()["error"]["code"], "forbidden", "{what}");
    }
    assert_eq!(get_page(&ana, &page_id).await, before);

    // An editor may.
    let ed = member(&app, &ana, "ed@example.com", "editor").await;
    patch_block(&ed, &page_id, &id(&a), json!({"enabled": false})).await;
    add_block(&ed, &page_id, "HEADER", header("E")).await;
    ed.delete(&block_path(&page_id, &id(&a))).await.expect(StatusCode::NO_CONTENT);
}
