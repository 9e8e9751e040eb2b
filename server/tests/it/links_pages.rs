//! Pages (docs/http-api.md, "Links"): the template gallery, creating pages (blank or from a coach
//! template), slug and title rules, the organization's list, editing (title, bio, theme, slug,
//! publishing), deleting, and who may do what: another organization's pages are 404, viewers
//! only read, and everything needs a session and an active organization.

use crate::common;
use crate::common::links;

use axum::http::StatusCode;
use common::app::{Call, TestApp};
use links::*;
use pretty_assertions::assert_eq;
use serde_json::{Value, json};

#[tokio::test]
async fn creating_a_blank_page_answers_the_page_view() {
    let app = TestApp::start().await;
    let ana = owner(&app, "ana@example.com", "org-ana").await;

    let reply = try_create_page(&ana, json!({"slug": "ana-coach", "title": "Ana Coach"}))
        .await
        .expect(StatusCode::CREATED);
    let page = reply.json();
    let page_id = id(&page);
    uuid::Uuid::parse_str(&page_id).expect("a UUID id");
    assert_eq!(
        keys(&page),
        sorted(&[
            "id",
            "slug",
            "title",
            "bio",
            "theme",
            "published",
            "hideBranding",
            "avatarUrl",
            "createdAt",
            "updatedAt",
            "blocks"
        ])
    );
    assert_eq!(page["slug"], "ana-coach");
    assert_eq!(page["title"], "Ana Coach");
    assert_eq!(page["bio"], "");
    assert_eq!(page["theme"], json!({"preset": "consultor"}));
    assert_eq!(page["published"], false);
    assert_eq!(page["avatarUrl"], Value::Null);
    assert_eq!(page["blocks"], json!([]));
    let created = instant(&page["createdAt"]);
    assert!(instant(&page["updatedAt"]) >= created);

    // What the editor reads back is what creation answered.
    assert_eq!(get_page(&ana, &page_id).await, page);

    let list = ana.get(PAGES).await.expect(StatusCode::OK).json();
    assert_eq!(
        list,
        json!({"items": [{
            "id": page_id, "slug": "ana-coach", "title": "Ana Coach", "published": false,
            "blockCount": 0, "updatedAt": page["updatedAt"],
        }]})
    );
}

#[tokio::test]
async fn page_slugs_are_validated() {
    let app = TestApp::start().await;
    let ana = owner(&app, "ana@example.com", "org-ana").await;
    let too_long = "x".repeat(41);
    for slug in
        ["Ab", "ab", "Ana", "a--b", "-ab", "ab-", too_long.as_str(), "<script>", "ana perez", "ana_p", ""]
    {
        let reply = try_create_page(&ana, json!({"slug": slug, "title": "Ana"})).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{slug:?}: {}", reply.text());
        reply.expect_invalid("slug");
    }
    try_create_page(&ana, json!({"title": "Ana"})).await.expect_invalid("slug");
    try_create_page(&ana, json!({"slug": 42, "title": "Ana"})).await.expect_invalid("slug");
    assert_eq!(ana.get(PAGES).await.expect(StatusCode::OK).json(), json!({"items": []}));

    // The edges of the rule are fine.
    create_page(&ana, "a1b").await;
    create_page(&ana, &"x".repeat(40)).await;
}

#[tokio::test]
async fn reserved_and_taken_slugs_are_409_slug_unavailable() {
    let app = TestApp::start().await;
    let ana = owner(&app, "ana@example.com", "org-ana").await;
    let zoe = owner(&app, "zoe@example.com", "org-zoe").await;

    for slug in ["admin", "dashboard", "api", "signin", "pricing", "static"] {
        let reply = try_create_page(&ana, json!({"slug": slug, "title": "Mine"})).await;
        assert_eq!(reply.status, StatusCode::CONFLICT, "{slug}: {}", reply.text());
        reply.expect_error(StatusCode::CONFLICT, "slug_unavailable");
    }

    create_page(&ana, "ana-coach").await;
    // Taken by another organization, or by the same one: either way unavailable.
    try_create_page(&zoe, json!({"slug": "ana-coach", "title": "Zoe"}))
        .await
        .expect_error(StatusCode::CONFLICT, "slug_unavailable");
    try_create_page(&ana, json!({"slug": "ana-coach", "title": "Again"}))
        .await
        .expect_error(StatusCode::CONFLICT, "slug_unavailable");

    assert_eq!(app.count("SELECT count(*) AS n FROM links.pages").await, 1);
    assert_eq!(zoe.get(PAGES).await.expect(StatusCode::OK).json(), json!({"items": []}));
}

#[tokio::test]
async fn titles_are_required_and_bounded() {
    let app = TestApp::start().await;
    let ana = owner(&app, "ana@example.com", "org-ana").await;
    let too_long = "x".repeat(81);
    for title in ["", "   ", too_long.as_str()] {
        let reply = try_create_page(&ana, json!({"slug": "ana-coach", "title": title})).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{title:?}: {}", reply.text());
        reply.expect_invalid("title");
    }
    try_create_page(&ana, json!({"slug": "ana-coach"})).await.expect_invalid("title");
    assert_eq!(ana.get(PAGES).await.json(), json!({"items": []}));

    let eighty = "y".repeat(80);
    let page = try_create_page(&ana, json!({"slug": "ana-coach", "title": eighty}))
        .await
        .expect(StatusCode::CREATED)
        .json();
    assert_eq!(page["title"], eighty.as_str());
}

#[tokio::test]
async fn validation_problems_carry_a_code_and_its_parameters() {
    let app = TestApp::start().await;
    let ana = owner(&app, "ana@example.com", "org-ana").await;
    let page_id = id(&create_page(&ana, "ana-coach").await);

    let reply = ana.patch(&page_path(&page_id), json!({"title": "x".repeat(81)})).await;
    let error = &reply.expect(StatusCode::BAD_REQUEST).json()["error"];
    assert_eq!(error["code"], "validation");
    assert_eq!(error["fields"], json!({"title": "must be at most 80 characters"}));
    assert_eq!(error["problems"], json!({"title": {"code": "too_long", "max": 80}}));

    // Every field a problem, whichever layer found it: the JSON reader…
    let reply = try_create_page(&ana, json!({"slug": "ana-2", "title": "Ana", "isAdmin": true})).await;
    let error = &reply.expect(StatusCode::BAD_REQUEST).json()["error"];
    assert_eq!(error["problems"], json!({"isAdmin": {"code": "unknown_field"}}));
    assert_eq!(error["fields"], json!({"isAdmin": "is not a known field"}));
    // …or the use case, naming each bad field.
    let reply = try_create_page(&ana, json!({"slug": "a", "title": " ", "templateId": "nope"})).await;
    let error = &reply.expect(StatusCode::BAD_REQUEST).json()["error"];
    assert_eq!(
        error["problems"],
        json!({
            "slug": {"code": "too_short", "min": 3},
            "title": {"code": "required"},
            "templateId": {"code": "unknown_template"},
        })
    );
    assert_eq!(keys(&error["fields"]), keys(&error["problems"]));

    // Other errors carry neither map.
    let reply = try_create_page(&ana, json!({"slug": "admin", "title": "Admin"})).await;
    let error = &reply.expect(StatusCode::CONFLICT).json()["error"];
    assert_eq!(keys(error), ["code", "message"]);
}

#[tokio::test]
async fn unknown_fields_and_templates_are_rejected() {
    let app = TestApp::start().await;
    let ana = owner(&app, "ana@example.com", "org-ana").await;
    let zoe_org = uuid::Uuid::now_v7().to_string();
    try_create_page(&ana, json!({"slug": "ana-coach", "title": "Ana", "organizationId": zoe_org}))
        .await
        .expect_invalid("organizationId");
    try_create_page(&ana, json!({"slug": "ana-coach", "title": "Ana", "published": true}))
        .await
        .expect_invalid("published");
    for template in ["nope", "", "WELLNESS", "../wellness"] {
        let reply =
            try_create_page(&ana, json!({"slug": "ana-coach", "title": "Ana", "templateId": template})).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{template:?}: {}", reply.text());
        reply.expect_invalid("templateId");
    }
    assert_eq!(app.count("SELECT count(*) AS n FROM links.pages").await, 0);
}

#[tokio::test]
async fn the_template_gallery_lists_the_four_archetypes_with_thumbnails() {
    let app = TestApp::start().await;
    let ana = owner(&app, "ana@example.com", "org-ana").await;

    let gallery = ana.get(TEMPLATES).await.expect(StatusCode::OK).json();
    let items = gallery["items"].as_array().expect("items");
    let mut ids: Vec<&str> = items.iter().map(|t| t["id"].as_str().expect("an id")).collect();
    ids.sort_unstable();
    let mut expected: Vec<&str> = TEMPLATES_AND_PRESETS.iter().map(|(t, _)| *t).collect();
    expected.sort_unstable();
    assert_eq!(ids, expected);

    for template in items {
        assert_eq!(keys(template), sorted(&["id", "name", "description", "thumbnail"]), "{template}");
        assert!(!template["name"].as_str().unwrap().trim().is_empty(), "{template}");
        assert!(!template["description"].as_str().unwrap().trim().is_empty(), "{template}");
        let thumbnail = template["thumbnail"].as_str().unwrap();
        assert!(thumbnail.starts_with("/static/templates/") && thumbnail.ends_with(".svg"), "{thumbnail}");
        let image = app.client().get(thumbnail).await.expect(StatusCode::OK);
        let content_type = image.header("content-type").unwrap_or_default();
        assert!(content_type.starts_with("image/svg+xml"), "{thumbnail}: {content_type}");
        assert!(image.text().contains("<svg"), "{thumbnail}");
    }
}

#[tokio::test]
async fn a_template_seeds_the_theme_the_bio_and_the_blocks() {
    let app = TestApp::start().await;
    let ana = owner(&app, "ana@example.com", "org-ana").await;

    for (n, (template, preset)) in TEMPLATES_AND_PRESETS.into_iter().enumerate() {
        let locale = if n % 2 == 0 { "es" } else { "en" };
        let page = try_create_page(
            &ana,
            json!({"slug": format!("ana-{template}"), "title": "Ana", "templateId": template, "locale": locale}),
        )
        .await
        .expect(StatusCode::CREATED)
        .json();
        assert_eq!(page["theme"]["preset"], preset, "{template}");
        assert!(!page["bio"].as_str().unwrap().trim().is_empty(), "{template} brings its bio");
        assert_eq!(page["published"], false, "{template}");

        let blocks = page["blocks"].as_array().unwrap();
        assert!((5..=8).contains(&blocks.len()), "{template}: {} blocks", blocks.len());
        let expected_positions: Vec<i64> = (1..=blocks.len() as i64).map(|i| i * 10).collect();
        assert_eq!(positions(&page), expected_positions, "{template}");
        let forms = blocks.iter().filter(|b| b["type"] == "LEAD_CAPTURE").count();
        assert_eq!(forms, 1, "{template} has exactly one lead form");
        for block in blocks {
            assert_eq!(
                keys(block),
                sorted(&["id", "type", "config", "enabled", "position", "visibleFrom", "visibleUntil"]),
                "{block}"
            );
        }

        // The seeded blocks are real blocks of the page.
        assert_eq!(get_page(&ana, &id(&page)).await, page);
        let summary = ana.get(PAGES).await.json()["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == page["id"])
            .cloned()
            .expect("the page is listed");
        assert_eq!(summary["blockCount"], blocks.len());
    }
}

#[tokio::test]
async fn the_list_holds_only_the_active_organizations_pages() {
    let app = TestApp::start().await;
    let (ana, _) = app.user("ana@example.com").await;
    let org_a = app.organization(&ana, "Ana One", "ana-one").await;
    let first = create_page(&ana, "ana-first").await;
    add_block(&ana, &id(&first), "HEADER", header("Hello")).await;
    add_block(&ana, &id(&first), "LINK", link("Web")).await;

    let org_b = app.organization(&ana, "Ana Two", "ana-two").await;
    let second = create_page(&ana, "ana-second").await;
    let zoe = owner(&app, "zoe@example.com", "org-zoe").await;
    create_page(&zoe, "zoe-page").await;

    let slugs = |list: Value| -> Vec<(String, i64)> {
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p["slug"].as_str().unwrap().to_owned(), p["blockCount"].as_i64().unwrap()))
            .collect()
    };
    assert_eq!(slugs(ana.get(PAGES).await.expect(StatusCode::OK).json()), [("ana-second".to_owned(), 0)]);
    ana.activate(&org_a).await;
    assert_eq!(slugs(ana.get(PAGES).await.json()), [("ana-first".to_owned(), 2)]);
    // Acting in A, B's page is someone else's.
    ana.get(&page_path(&id(&second))).await.expect_error(StatusCode::NOT_FOUND, "not_found");
    ana.activate(&org_b).await;
    get_page(&ana, &id(&second)).await;
    assert_eq!(slugs(zoe.get(PAGES).await.json()), [("zoe-page".to_owned(), 0)]);
}

#[tokio::test]
async fn editing_a_page() {
    let app = TestApp::start().await;
    let ana = owner(&app, "ana@example.com", "org-ana").await;
    let page = create_page(&ana, "ana-coach").await;
    let page_id = id(&page);

    app.clock.advance(chrono::TimeDelta::seconds(5));
    let theme = json!({
        "preset": "wellness",
        "colors": {"accent": "#ffe066"},
        "buttonStyle": "outline",
        "corners": "pill",
        "font": "serif",
    });
    let bio = "b".repeat(300);
    let edited = patch_page(
        &ana,
        &page_id,
        json!({"title": "Ana Perez", "bio": bio, "theme": theme, "slug": "ana-perez", "published": true}),
    )
    .await;
    assert_eq!(edited["id"], page_id.as_str());
    assert_eq!(edited["title"], "Ana Perez");
    assert_eq!(edited["bio"], bio.as_str());
    assert_eq!(edited["theme"], theme);
    assert_eq!(edited["slug"], "ana-perez");
    assert_eq!(edited["published"], true);
    assert_eq!(edited["createdAt"], page["createdAt"]);
    assert!(instant(&edited["updatedAt"]) > instant(&page["updatedAt"]), "updatedAt moves with an edit");
    assert_eq!(get_page(&ana, &page_id).await, edited);

    // Any subset; the rest stays.
    let again = patch_page(&ana, &page_id, json!({"bio": ""})).await;
    assert_eq!(again["bio"], "");
    assert_eq!((again["title"].clone(), again["slug"].clone()), (json!("Ana Perez"), json!("ana-perez")));
    // Saving the page's own slug is not a conflict with itself.
    patch_page(&ana, &page_id, json!({"slug": "ana-perez", "title": "Ana P."})).await;
    let theme_back = patch_page(&ana, &page_id, json!({"theme": {"preset": "terapia"}})).await;
    assert_eq!(theme_back["theme"], json!({"preset": "terapia"}));

    let list = ana.get(PAGES).await.json();
    assert_eq!(list["items"][0]["slug"], "ana-perez");
    assert_eq!(list["items"][0]["title"], "Ana P.");
    assert_eq!(list["items"][0]["published"], true);
    // The old slug is free again.
    create_page(&ana, "ana-coach").await;
}

#[tokio::test]
async fn page_edits_are_validated_and_change_nothing_when_refused() {
    let app = TestApp::start().await;
    let ana = owner(&app, "ana@example.com", "org-ana").await;
    let zoe = owner(&app, "zoe@example.com", "org-zoe").await;
    create_page(&zoe, "zoe-page").await;
    let page_id = id(&create_page(&ana, "ana-coach").await);
    let before = get_page(&ana, &page_id).await;
    let path = page_path(&page_id);

    let invalid = [
        (json!({"title": ""}), "title"),
        (json!({"title": "  "}), "title"),
        (json!({"title": "x".repeat(81)}), "title"),
        (json!({"bio": "b".repeat(301)}), "bio"),
        (json!({"slug": "Ana"}), "slug"),
        (json!({"slug": "a--b"}), "slug"),
        (json!({"published": "yes"}), "published"),
        (json!({"organizationId": uuid::Uuid::now_v7().to_string()}), "organizationId"),
        (json!({"theme": {"preset": "consultor", "colors": {"accent": "blue"}}}), "theme.colors.accent"),
        (
            json!({"theme": {"preset": "consultor", "colors": {"background": "red;}</style><script>"}}}),
            "theme.colors.background",
        ),
        (json!({"theme": {"preset": "consultor", "colors": {"surface": "#fff"}}}), "theme.colors.surface"),
        (json!({"theme": {"preset": "consultor", "colors": {"text": "#fafafa"}}}), "theme.colors.text"),
    ];
    for (body, field) in invalid {
        let reply = ana.patch(&path, body.clone()).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{body}: {}", reply.text());
        assert_eq!(reply.json()["error"]["code"], "validation", "{body}");
        assert!(
            reply.json()["error"]["fields"][field].is_string(),
            "{body} should name {field}: {}",
            reply.text()
        );
    }
    // Unknown theme fields and presets are refused (named somewhere under `theme`).
    for theme in [json!({"preset": "consultor", "css": "*{}"}), json!({"preset": "hacker"}), json!({})] {
        let reply = ana.patch(&path, json!({"theme": theme})).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{theme}: {}", reply.text());
        let fields = reply.json()["error"]["fields"].clone();
        assert!(
            fields.as_object().is_some_and(|f| f.keys().any(|k| k.starts_with("theme"))),
            "{theme}: {}",
            reply.text()
        );
    }
    for slug in ["admin", "pricing", "zoe-page"] {
        ana.patch(&path, json!({"slug": slug})).await.expect_error(StatusCode::CONFLICT, "slug_unavailable");
    }
    assert_eq!(get_page(&ana, &page_id).await, before);
}

#[tokio::test]
async fn deleting_a_page() {
    let app = TestApp::start().await;
    let ana = owner(&app, "ana@example.com", "org-ana").await;
    let page_id = id(&create_page(&ana, "ana-coach").await);
    add_block(&ana, &page_id, "LINK", link("Web")).await;
    publish(&ana, &page_id).await;
    app.client().get(&public_path("ana-coach")).await.expect(StatusCode::OK);

    ana.delete(&page_path(&page_id)).await.expect(StatusCode::NO_CONTENT);
    ana.get(&page_path(&page_id)).await.expect_error(StatusCode::NOT_FOUND, "not_found");
    ana.delete(&page_path(&page_id)).await.expect_error(StatusCode::NOT_FOUND, "not_found");
    app.client().get(&public_path("ana-coach")).await.expect(StatusCode::NOT_FOUND);
    app.client().get("/ana-coach").await.expect(StatusCode::NOT_FOUND);
    assert_eq!(ana.get(PAGES).await.json(), json!({"items": []}));
}

#[tokio::test]
async fn another_organizations_pages_are_404() {
    let app = TestApp::start().await;
    let ana = owner(&app, "ana@example.com", "org-ana").await;
    let zoe = owner(&app, "zoe@example.com", "org-zoe").await;
    let page_id = id(&create_page(&ana, "ana-coach").await);
    add_block(&ana, &page_id, "LINK", link("Web")).await;
    let before = get_page(&ana, &page_id).await;

    let path = page_path(&page_id);
    let calls = [
        Call::get(&path),
        Call::patch(&path).json(&json!({"title": "Mine now"})),
        Call::patch(&path).json(&json!({"published": true})),
        Call::delete(&path),
        Call::get(&page_path("not-a-uuid")),
        Call::patch(&page_path("not-a-uuid")).json(&json!({"title": "x"})),
        Call::delete(&page_path("not-a-uuid")),
        Call::get(&page_path(&uuid::Uuid::now_v7().to_string())),
    ];
    for call in calls {
        let what = format!("{call:?}");
        let reply = zoe.send(call).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{what}: {}", reply.text());
        assert_eq!(reply.json()["error"]["code"], "not_found", "{what}");
    }
    assert_eq!(get_page(&ana, &page_id).await, before);
    // Ana herself gets 404 for a malformed id too.
    ana.get(&page_path("not-a-uuid")).await.expect_error(StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn viewers_read_pages_and_editors_write_them() {
    let app = TestApp::start().await;
    let ana = owner(&app, "ana@example.com", "org-ana").await;
    let page_id = id(&create_page(&ana, "ana-coach").await);
    let vic = member(&app, &ana, "vic@example.com", "viewer").await;
    let ed = member(&app, &ana, "ed@example.com", "editor").await;

    // Viewers read…
    vic.get(TEMPLATES).await.expect(StatusCode::OK);
    assert_eq!(vic.get(PAGES).await.expect(StatusCode::OK).json()["items"][0]["id"], page_id.as_str());
    get_page(&vic, &page_id).await;
    // …and write nothing.
    let before = get_page(&ana, &page_id).await;
    let path = page_path(&page_id);
    let writes = [
        Call::post(PAGES).json(&json!({"slug": "vic-page", "title": "Vic"})),
        Call::patch(&path).json(&json!({"title": "Vic's now"})),
        Call::delete(&path),
        Call::post(&blocks_path(&page_id)).json(&json!({"type": "HEADER", "config": header("Hi")})),
    ];
    for call in writes {
        let what = format!("{call:?}");
        let reply = vic.send(call).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{what}: {}", reply.text());
        assert_eq!(reply.json()["error"]["code"], "forbidden", "{what}");
    }
    assert_eq!(get_page(&ana, &page_id).await, before);
    assert_eq!(app.count("SELECT count(*) AS n FROM links.pages").await, 1);

    // Editors write.
    let theirs = create_page(&ed, "ed-page").await;
    patch_page(&ed, &page_id, json!({"title": "Edited"})).await;
    ed.delete(&page_path(&id(&theirs))).await.expect(StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn links_endpoints_need_a_session_and_an_active_organization() {
    let app = TestApp::start().await;
    let ana = owner(&app, "ana@example.com", "org-ana").await;
    let page_id = id(&create_page(&ana, "ana-coach").await);
    let path = page_path(&page_id);
    let calls = || {
        [
            Call::get(TEMPLATES),
            Call::get(PAGES),
            Call::post(PAGES).json(&json!({"slug": "new-page", "title": "New"})),
            Call::get(&path),
            Call::patch(&path).json(&json!({"title": "x"})),
            Call::delete(&path),
            Call::post(&blocks_path(&page_id)).json(&json!({"type": "HEADER", "config": header("Hi")})),
            Call::get(&leads_path(&page_id)),
        ]
    };

    let stranger = app.client();
    for call in calls() {
        let what = format!("{call:?}");
        let reply = stranger.send(call).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{what}: {}", reply.text());
        assert_eq!(reply.json()["error"]["code"], "unauthenticated", "{what}");
    }

    let (orgless, _) = app.user("bea@example.com").await;
    for call in calls() {
        let what = format!("{call:?}");
        let reply = orgless.send(call).await;
        assert_eq!(reply.status, StatusCode::CONFLICT, "{what}: {}", reply.text());
        assert_eq!(reply.json()["error"]["code"], "no_active_organization", "{what}");
    }
    get_page(&ana, &page_id).await;
}

#[tokio::test]
async fn creating_a_page_honours_the_idempotency_key() {
    let app = TestApp::start().await;
    let ana = owner(&app, "ana@example.com", "org-ana").await;
    let body = json!({"slug": "ana-coach", "title": "Ana", "templateId": "wellness"});
    let create = || Call::post(PAGES).json(&body).header("Idempotency-Key", "page-create-1");

    let first = ana.send(create()).await.expect(StatusCode::CREATED).json();
    let repeat = ana.send(create()).await.expect(StatusCode::CREATED).json();
    assert_eq!(repeat, first);
    assert_eq!(app.count("SELECT count(*) AS n FROM links.pages").await, 1);
    // Without the key, the same body is a second attempt at a taken slug.
    try_create_page(&ana, body.clone()).await.expect_error(StatusCode::CONFLICT, "slug_unavailable");
}
