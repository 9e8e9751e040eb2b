//! Pages: permissions, isolation between organizations, slugs, publishing, templates and the
//! public cache.

use contracts::Locale;
use contracts::permissions::Permission;
use kernel::{OrganizationId, PageRequest};
use links::LinksError;
use links::application::blocks::{self, BlockChanges, PlacementInput};
use links::application::leads;
use links::application::pages::{self, NewPage, PageChanges};
use links::application::public::{CacheStatus, page_by_slug};
use links::domain::page::{BlockId, PageId};
use links::domain::templates;
use pretty_assertions::assert_eq;

use crate::{
    World, add, assert_forbidden, assert_not_found, blank, invalid_fields, lead_form, link, member, names,
    owner, page, publish, published,
};

fn retitle(title: &str) -> PageChanges {
    PageChanges { title: Some(title.to_owned()), ..PageChanges::default() }
}

#[tokio::test]
async fn writing_needs_links_write_and_a_refused_write_changes_nothing() {
    let w = World::new().await;
    let org = OrganizationId::new();
    let ana = owner(org);
    let id = page(&w.ctx, &ana, "ana-coach").await;
    let kept = add(&w.ctx, &ana, id, link("Web")).await;
    let gone = add(&w.ctx, &ana, id, link("Old")).await;
    blocks::delete(&w.ctx, &ana, id, gone.id).await.unwrap();
    let before = (w.footprint().await, pages::get(&w.ctx, &ana, id).await.unwrap().page);

    // Everything but links:write.
    let reader =
        member(org, &[Permission::LINKS_READ, Permission::LINKS_LEADS_READ, Permission::LINKS_LEADS_EXPORT]);
    let write = &Permission::LINKS_WRITE;
    assert_forbidden(pages::create(&w.ctx, &reader, blank("bea-coach")).await, write);
    assert_forbidden(pages::update(&w.ctx, &reader, id, retitle("Mine now")).await, write);
    assert_forbidden(pages::delete(&w.ctx, &reader, id).await, write);
    assert_forbidden(blocks::add(&w.ctx, &reader, id, link("Spam")).await, write);
    let disable = BlockChanges { enabled: Some(false), ..BlockChanges::default() };
    assert_forbidden(blocks::update(&w.ctx, &reader, id, kept.id, disable).await, write);
    assert_forbidden(blocks::delete(&w.ctx, &reader, id, kept.id).await, write);
    let restore = blocks::restore(&w.ctx, &reader, id, gone.id, PlacementInput::default()).await;
    assert_forbidden(restore, write);
    assert_eq!((w.footprint().await, pages::get(&w.ctx, &ana, id).await.unwrap().page), before);

    // Reading needs links:read, even for one who may write.
    let writer = member(org, &[Permission::LINKS_WRITE]);
    let read = &Permission::LINKS_READ;
    assert_forbidden(pages::list(&w.ctx, &writer).await, read);
    assert_forbidden(pages::get(&w.ctx, &writer, id).await, read);
    assert_forbidden(pages::slug_available(&w.ctx, &writer, "free-slug", None).await, read);
    assert_forbidden(leads::counts_over(&w.ctx, &writer, 7).await, read);
    assert_eq!(pages::list(&w.ctx, &reader).await.unwrap().len(), 1);
}

#[tokio::test]
async fn another_organizations_page_is_not_found_never_forbidden() {
    let w = World::new().await;
    let (org_a, org_b) = (OrganizationId::new(), OrganizationId::new());
    let (ana, bea) = (owner(org_a), owner(org_b));
    let id = published(&w.ctx, &ana, "ana-coach").await;
    let form = add(&w.ctx, &ana, id, lead_form(None)).await;
    let gone = add(&w.ctx, &ana, id, link("Old")).await;
    blocks::delete(&w.ctx, &ana, id, gone.id).await.unwrap();
    let lead = leads::Submission {
        block_id: form.id.to_string(),
        email: "lea@example.com".into(),
        ..Default::default()
    };
    leads::capture(&w.ctx, lead, None).await.unwrap();
    let before = (w.footprint().await, pages::get(&w.ctx, &ana, id).await.unwrap().blocks);

    // Bea holds every permission, in her own organization.
    assert_not_found(pages::get(&w.ctx, &bea, id).await);
    assert_not_found(pages::update(&w.ctx, &bea, id, retitle("Mine now")).await);
    assert_not_found(pages::delete(&w.ctx, &bea, id).await);
    assert_not_found(blocks::add(&w.ctx, &bea, id, link("Spam")).await);
    let disable = BlockChanges { enabled: Some(false), ..BlockChanges::default() };
    assert_not_found(blocks::update(&w.ctx, &bea, id, form.id, disable).await);
    assert_not_found(blocks::delete(&w.ctx, &bea, id, form.id).await);
    assert_not_found(blocks::restore(&w.ctx, &bea, id, gone.id, PlacementInput::default()).await);
    let first = PageRequest::parse(None, None).unwrap();
    assert_not_found(leads::list(&w.ctx, &bea, id, first).await);
    assert_not_found(leads::export(&w.ctx, &bea, id).await);

    assert_eq!((w.footprint().await, pages::get(&w.ctx, &ana, id).await.unwrap().blocks), before);
    assert_eq!(pages::get(&w.ctx, &ana, id).await.unwrap().page.title, "Ana");
    assert!(pages::list(&w.ctx, &bea).await.unwrap().is_empty());
    assert!(leads::counts_over(&w.ctx, &bea, 30).await.unwrap().is_empty());
    // The page's owner is known to the contexts that ask (analytics), whoever asks.
    assert_eq!(pages::organization_of(&w.ctx, id).await.unwrap(), Some(org_a));
    assert_eq!(pages::organization_of(&w.ctx, PageId::new()).await.unwrap(), None);
    // And what notifications name it by (unpublished pages included).
    let named = pages::by_id(&w.ctx, id).await.unwrap().expect("the page");
    assert_eq!((named.organization_id, named.title.as_str()), (org_a, "Ana"));
    assert!(pages::by_id(&w.ctx, PageId::new()).await.unwrap().is_none());
}

#[tokio::test]
async fn slugs_must_be_well_formed_free_and_not_reserved() {
    let w = World::new().await;
    let (ana, bea) = (owner(OrganizationId::new()), owner(OrganizationId::new()));
    let anas = page(&w.ctx, &ana, "ana-coach").await;
    let beas = page(&w.ctx, &bea, "bea-coach").await;

    for reserved in ["admin", "login", "api"] {
        let result = pages::create(&w.ctx, &ana, blank(reserved)).await;
        assert!(matches!(result, Err(LinksError::SlugUnavailable)), "{reserved}: {result:?}");
    }
    // Taken by a page of another organization: slugs are one namespace.
    let taken = pages::create(&w.ctx, &bea, blank("ana-coach")).await;
    assert!(matches!(taken, Err(LinksError::SlugUnavailable)), "{taken:?}");
    let to_anas = PageChanges { slug: Some("ana-coach".into()), ..PageChanges::default() };
    let taken = pages::update(&w.ctx, &bea, beas, to_anas).await;
    assert!(matches!(taken, Err(LinksError::SlugUnavailable)), "{taken:?}");
    // Letter case does not make another slug: the upper-case spelling is refused, not a new page.
    assert_eq!(invalid_fields(pages::create(&w.ctx, &bea, blank("Ana-Coach")).await), names(&["slug"]));
    for malformed in ["ab", "-ana", "ana-", "ana--coach", "ana coach", "ana_coach", &"a".repeat(41)] {
        assert_eq!(invalid_fields(pages::create(&w.ctx, &bea, blank(malformed)).await), names(&["slug"]));
    }
    let both = NewPage { title: " ".into(), ..blank("x") };
    assert_eq!(invalid_fields(pages::create(&w.ctx, &bea, both).await), names(&["slug", "title"]));
    assert_eq!(w.count("SELECT count(*) AS n FROM links.pages").await, 2);
    assert_eq!(pages::get(&w.ctx, &bea, beas).await.unwrap().page.slug, "bea-coach");

    // The availability check answers the same rules.
    let available = |actor, slug, except| pages::slug_available(&w.ctx, actor, slug, except);
    assert!(!available(&bea, "ana-coach", None).await.unwrap());
    assert!(available(&ana, "ana-coach", Some(anas)).await.unwrap(), "a page's own slug is free for it");
    assert!(!available(&ana, "admin", None).await.unwrap());
    assert!(available(&ana, "free-slug", None).await.unwrap());
    assert_eq!(invalid_fields(available(&ana, "Ana", None).await), names(&["slug"]));
    // Renaming frees the old slug.
    let rename = PageChanges { slug: Some("ana-mentora".into()), ..PageChanges::default() };
    pages::update(&w.ctx, &ana, anas, rename).await.unwrap();
    page(&w.ctx, &bea, "ana-coach").await;
}

#[tokio::test]
async fn publishing_needs_a_verified_email_but_building_in_private_does_not() {
    let w = World::new().await;
    let org = OrganizationId::new();
    let unverified = kernel::Actor { email_verified: false, ..owner(org) };
    let id = page(&w.ctx, &unverified, "ana-coach").await;
    pages::update(&w.ctx, &unverified, id, retitle("Ana Pérez")).await.unwrap();
    add(&w.ctx, &unverified, id, link("Web")).await;

    let publish_and_retitle =
        PageChanges { title: Some("Ana P.".into()), published: Some(true), ..PageChanges::default() };
    let refused = pages::update(&w.ctx, &unverified, id, publish_and_retitle).await;
    assert!(matches!(refused, Err(LinksError::EmailUnverified)), "{refused:?}");
    let page = pages::get(&w.ctx, &unverified, id).await.unwrap().page;
    assert_eq!((page.published, page.title.as_str()), (false, "Ana Pérez"), "the whole edit was refused");
    assert!(w.events("page.publication_changed").await.is_empty());
    assert!(page_by_slug(&w.ctx, "ana-coach").await.unwrap().is_none());

    // A verified member of the same organization may publish it…
    let verified = owner(org);
    publish(&w.ctx, &verified, id, true).await.unwrap();
    assert!(page_by_slug(&w.ctx, "ana-coach").await.unwrap().is_some());
    // …and taking a page down reaches nobody: the unverified member may.
    publish(&w.ctx, &unverified, id, false).await.unwrap();
    assert!(page_by_slug(&w.ctx, "ana-coach").await.unwrap().is_none());
    let changes: Vec<_> =
        w.events("page.publication_changed").await.iter().map(|e| e["published"].clone()).collect();
    assert_eq!(changes, [true, false]);
}

#[tokio::test]
async fn a_template_seeds_its_theme_bio_and_blocks_at_positions_10_20_30() {
    let w = World::new().await;
    let ana = owner(OrganizationId::new());
    for template in templates::all() {
        let new = NewPage {
            slug: format!("t-{}", template.id()),
            title: "Ana".into(),
            template_id: Some(template.id().to_owned()),
            locale: Locale::En,
        };
        let created = pages::create(&w.ctx, &ana, new).await.unwrap();
        let stored = pages::get(&w.ctx, &ana, created.page.id).await.unwrap();
        let seeds = template.blocks(Locale::En);
        assert!(!seeds.is_empty(), "{} seeds blocks", template.id());
        for detail in [&created, &stored] {
            let configs: Vec<_> = detail.blocks.iter().map(|b| b.config.clone()).collect();
            let positions: Vec<i32> = detail.blocks.iter().map(|b| b.position).collect();
            let expected: Vec<i32> = (1..=seeds.len()).map(|i| i32::try_from(i * 10).unwrap()).collect();
            assert_eq!(configs, seeds, "{}", template.id());
            assert_eq!(positions, expected, "{}", template.id());
            assert_eq!(detail.page.theme, template.theme());
            assert_eq!(detail.page.bio, template.bio(Locale::En));
            assert_eq!(detail.page.title, "Ana", "the title is the member's, not the sample's");
            assert!(!detail.page.published);
        }
    }
    let created = w.events("page.created").await;
    let used: Vec<_> = created.iter().map(|e| e["templateId"].as_str().unwrap().to_owned()).collect();
    assert_eq!(used, templates::all().iter().map(|t| t.id()).collect::<Vec<_>>());

    let unknown = NewPage { template_id: Some("astrologer".into()), ..blank("ana-coach") };
    assert_eq!(invalid_fields(pages::create(&w.ctx, &ana, unknown).await), names(&["templateId"]));
    assert_eq!(w.count("SELECT count(*) AS n FROM links.pages").await, 4);
}

#[tokio::test]
async fn every_write_evicts_the_page_from_the_public_cache() {
    let w = World::new().await;
    let ana = owner(OrganizationId::new());
    let id = published(&w.ctx, &ana, "ana-coach").await;
    let cached = || w.ctx.cache.get_by_id(id.into_uuid()).is_some();
    // Reads the page the way a visitor does; the cache holds it afterwards.
    let visit = async || {
        let read = page_by_slug(&w.ctx, "ana-coach").await.unwrap();
        assert_eq!(read.is_some(), cached());
        read
    };

    assert_eq!(visit().await.unwrap().1, CacheStatus::Miss);
    assert_eq!(visit().await.unwrap().1, CacheStatus::Hit);
    pages::update(&w.ctx, &ana, id, retitle("Ana Pérez")).await.unwrap();
    assert!(!cached(), "a page edit evicts");
    let (fresh, status) = visit().await.unwrap();
    assert_eq!((fresh.page.title.as_str(), status), ("Ana Pérez", CacheStatus::Miss));

    let block = add(&w.ctx, &ana, id, link("Web")).await;
    assert!(!cached(), "adding a block evicts");
    assert_eq!(visit().await.unwrap().0.blocks.len(), 1);
    let disable = BlockChanges { enabled: Some(false), ..BlockChanges::default() };
    blocks::update(&w.ctx, &ana, id, block.id, disable).await.unwrap();
    assert!(!cached(), "editing a block evicts");
    assert!(visit().await.unwrap().0.blocks.is_empty(), "a disabled block is not shown");
    blocks::delete(&w.ctx, &ana, id, block.id).await.unwrap();
    assert!(!cached(), "deleting a block evicts");
    visit().await.unwrap();
    blocks::restore(&w.ctx, &ana, id, block.id, PlacementInput::default()).await.unwrap();
    assert!(!cached(), "restoring a block evicts");
    visit().await.unwrap();
    publish(&w.ctx, &ana, id, false).await.unwrap();
    assert!(visit().await.is_none(), "an unpublished page is gone at once");
    publish(&w.ctx, &ana, id, true).await.unwrap();
    visit().await.unwrap();
    let rename = PageChanges { slug: Some("ana-mentora".into()), ..PageChanges::default() };
    pages::update(&w.ctx, &ana, id, rename).await.unwrap();
    assert!(visit().await.is_none(), "a renamed page leaves its old address at once");
    assert!(page_by_slug(&w.ctx, "ana-mentora").await.unwrap().is_some());
    assert!(cached());
    pages::delete(&w.ctx, &ana, id).await.unwrap();
    assert!(!cached());
    assert!(page_by_slug(&w.ctx, "ana-mentora").await.unwrap().is_none(), "a deleted page is gone at once");
    assert_eq!(w.count("SELECT count(*) AS n FROM links.blocks").await, 0, "its blocks went with it");
    assert_not_found(blocks::delete(&w.ctx, &ana, id, BlockId::new()).await);
}
