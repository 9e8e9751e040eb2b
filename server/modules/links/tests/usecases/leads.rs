//! Leads: capture from a public form (one per page and email), who may read and export them, and
//! the per-page counts of the dashboard.

use std::collections::HashMap;

use chrono::TimeDelta;
use contracts::permissions::Permission;
use kernel::{OrganizationId, PageRequest};
use links::LinksError;
use links::application::blocks::{self, BlockChanges};
use links::application::leads::{self, Captured, Submission, consent_version};
use links::domain::page::{Block, BlockId, PageId};
use links::{LinksCtx, application::pages};
use pretty_assertions::assert_eq;

use crate::{
    World, add, assert_forbidden, assert_not_found, invalid_fields, lead_form, link, member, names, owner,
    page, published,
};

fn submission(form: BlockId, email: &str) -> Submission {
    Submission { block_id: form.to_string(), email: email.to_owned(), ..Submission::default() }
}

async fn capture(ctx: &LinksCtx, form: BlockId, email: &str) -> Captured {
    leads::capture(ctx, submission(form, email), None).await.expect("the lead is captured")
}

/// A published page with a lead form; (page, form).
async fn form_page(w: &World, actor: &kernel::Actor, slug: &str) -> (PageId, Block) {
    let id = published(&w.ctx, actor, slug).await;
    (id, add(&w.ctx, actor, id, lead_form(None)).await)
}

async fn emails(w: &World, actor: &kernel::Actor, id: PageId) -> Vec<(String, Option<String>)> {
    let all = PageRequest::parse(None, Some("100")).unwrap();
    let listed = leads::list(&w.ctx, actor, id, all).await.unwrap();
    listed.items.into_iter().map(|l| (l.email, l.name)).collect()
}

#[tokio::test]
async fn one_lead_per_page_and_email_whatever_the_case_and_repeats_refresh_the_name() {
    let w = World::new().await;
    let ana = owner(OrganizationId::new());
    let (id, form) = form_page(&w, &ana, "ana-coach").await;

    let first = Submission { name: Some("Lea".into()), ..submission(form.id, "Lea@Example.com") };
    let captured = leads::capture(&w.ctx, first, Some("ana-coach")).await.unwrap();
    let thanks = Some("Thanks!".to_owned());
    assert_eq!(captured, Captured { created: true, message: thanks.clone(), slug: "ana-coach".into() });
    w.clock.advance(TimeDelta::minutes(5));
    let again = Submission { name: Some("Lea Martín".into()), ..submission(form.id, " lea@example.COM ") };
    let repeat = leads::capture(&w.ctx, again, None).await.unwrap();
    assert_eq!(repeat, Captured { created: false, message: thanks, slug: "ana-coach".into() });
    let nameless = capture(&w.ctx, form.id, "LEA@example.com").await;
    assert!(!nameless.created);

    assert_eq!(emails(&w, &ana, id).await, [("Lea@Example.com".to_owned(), Some("Lea Martín".to_owned()))]);
    let lead = leads::list(&w.ctx, &ana, id, PageRequest::parse(None, None).unwrap()).await.unwrap().items;
    assert_eq!(lead[0].created_at, crate::t0(), "a repeat keeps the first capture's time");
    assert_eq!(lead[0].block_id, form.id);
    assert_eq!(w.events("lead.captured").await.len(), 1, "only a new lead is an event");

    // The same address on another page is another lead.
    let (other, other_form) = form_page(&w, &ana, "ana-talks").await;
    assert!(capture(&w.ctx, other_form.id, "lea@example.com").await.created);
    assert_eq!(emails(&w, &ana, other).await.len(), 1);

    // A filled honeypot is answered like a success and stores nothing.
    let bot =
        Submission { website: Some("http://spam.example".into()), ..submission(form.id, "bot@example.com") };
    assert!(leads::capture(&w.ctx, bot, None).await.unwrap().created);
    assert_eq!(w.count("SELECT count(*) AS n FROM links.leads").await, 2);
}

#[tokio::test]
async fn only_an_enabled_form_shown_on_a_published_page_accepts_leads() {
    let w = World::new().await;
    let ana = owner(OrganizationId::new());
    let (id, form) = form_page(&w, &ana, "ana-coach").await;
    let (_, other_form) = form_page(&w, &ana, "ana-talks").await;
    let web = add(&w.ctx, &ana, id, link("Web")).await;
    let draft = page(&w.ctx, &ana, "ana-draft").await;
    let draft_form = add(&w.ctx, &ana, draft, lead_form(None)).await;
    let later = crate::block("LEAD_CAPTURE", serde_json::json!({"title": "Soon", "buttonLabel": "Join"}));
    let later = blocks::NewBlock { visible_from: Some("2026-12-01T00:00:00Z".into()), ..later };
    let later = add(&w.ctx, &ana, id, later).await;

    let refused = async |block_id: &str, slug: Option<&str>| {
        let submission =
            Submission { block_id: block_id.to_owned(), ..submission(form.id, "lea@example.com") };
        leads::capture(&w.ctx, submission, slug).await
    };
    assert_not_found(refused(&draft_form.id.to_string(), None).await);
    assert_not_found(refused(&web.id.to_string(), None).await);
    assert_not_found(refused(&later.id.to_string(), None).await);
    assert_not_found(refused(&BlockId::new().to_string(), None).await);
    assert_not_found(refused("not-a-block", None).await);
    // A form of one page cannot be aimed at through another page's address.
    assert_not_found(refused(&other_form.id.to_string(), Some("ana-coach")).await);
    let disable = BlockChanges { enabled: Some(false), ..BlockChanges::default() };
    blocks::update(&w.ctx, &ana, id, form.id, disable).await.unwrap();
    assert_not_found(refused(&form.id.to_string(), None).await);
    assert_eq!(w.count("SELECT count(*) AS n FROM links.leads").await, 0);

    // Once its window opens, the scheduled form takes leads.
    w.clock.advance(TimeDelta::days(6));
    assert!(capture(&w.ctx, later.id, "lea@example.com").await.created);
}

#[tokio::test]
async fn a_form_with_a_consent_text_stores_the_version_accepted_and_bad_input_names_its_field() {
    let w = World::new().await;
    let ana = owner(OrganizationId::new());
    let id = published(&w.ctx, &ana, "ana-coach").await;
    let consent = "I agree to receive the newsletter";
    let form = add(&w.ctx, &ana, id, lead_form(Some(consent))).await;

    let silent = submission(form.id, "lea@example.com");
    assert_eq!(invalid_fields(leads::capture(&w.ctx, silent, None).await), names(&["consent"]));
    let declined = Submission { consent: Some(false), ..submission(form.id, "lea@example.com") };
    assert_eq!(invalid_fields(leads::capture(&w.ctx, declined, None).await), names(&["consent"]));
    let bad = Submission {
        name: Some("x".repeat(contracts::links::LEAD_NAME_MAX + 1)),
        consent: Some(true),
        ..submission(form.id, "lea at example.com")
    };
    assert_eq!(invalid_fields(leads::capture(&w.ctx, bad, None).await), names(&["email", "name"]));
    assert_eq!(w.count("SELECT count(*) AS n FROM links.leads").await, 0);

    let accepted = Submission { consent: Some(true), ..submission(form.id, "lea@example.com") };
    assert!(leads::capture(&w.ctx, accepted, None).await.unwrap().created);
    let stored = format!(
        "SELECT count(*) AS n FROM links.leads WHERE consent_text = '{consent}' AND consent_version = '{}'",
        consent_version(consent)
    );
    assert_eq!(w.count(&stored).await, 1);
}

#[tokio::test]
async fn leads_are_read_with_links_leads_read_and_exported_with_links_leads_export() {
    let w = World::new().await;
    let org = OrganizationId::new();
    let ana = owner(org);
    let (id, form) = form_page(&w, &ana, "ana-coach").await;
    for email in ["a@example.com", "b@example.com", "c@example.com"] {
        capture(&w.ctx, form.id, email).await;
        w.clock.advance(TimeDelta::minutes(1));
    }
    let first = PageRequest::parse(None, Some("2")).unwrap();

    let pages_only = member(org, &[Permission::LINKS_READ, Permission::LINKS_WRITE]);
    assert_forbidden(leads::list(&w.ctx, &pages_only, id, first).await, &Permission::LINKS_LEADS_READ);
    let reader = member(org, &[Permission::LINKS_READ, Permission::LINKS_LEADS_READ]);
    assert_forbidden(leads::export(&w.ctx, &reader, id).await, &Permission::LINKS_LEADS_EXPORT);
    assert!(w.events("leads.exported").await.is_empty(), "a refused export is not recorded");

    // Newest first, a page at a time.
    let one = leads::list(&w.ctx, &reader, id, first).await.unwrap();
    let cursor = one.next_cursor.clone().expect("a next page");
    let two = leads::list(&w.ctx, &reader, id, PageRequest::parse(Some(&cursor), Some("2")).unwrap())
        .await
        .unwrap();
    let listed: Vec<_> = one.items.iter().chain(&two.items).map(|l| l.email.as_str()).collect();
    assert_eq!(listed, ["c@example.com", "b@example.com", "a@example.com"]);
    assert_eq!(two.next_cursor, None);

    // The export needs only its own permission, reads every lead, and is audited.
    let exporter = member(org, &[Permission::LINKS_LEADS_EXPORT]);
    let mut export = leads::export(&w.ctx, &exporter, id).await.unwrap();
    assert_eq!(export.slug, "ana-coach");
    let batch = export.next_batch().await.unwrap().expect("a batch");
    assert_eq!(batch.len(), 3);
    assert!(export.next_batch().await.unwrap().is_none());
    let exported = w.events("leads.exported").await;
    assert_eq!(exported.len(), 1);
    assert_eq!(exported[0]["actorId"], exporter.user_id.to_string());
}

#[tokio::test]
async fn lead_counts_cover_the_last_utc_days_of_the_actors_organization_only() {
    let w = World::new().await;
    let (ana, bea) = (owner(OrganizationId::new()), owner(OrganizationId::new()));
    let (talks, talks_form) = form_page(&w, &ana, "ana-talks").await;
    let (coach, coach_form) = form_page(&w, &ana, "ana-coach").await;
    let (_, beas_form) = form_page(&w, &bea, "bea-coach").await;
    page(&w.ctx, &ana, "ana-quiet").await;

    // Now is 2026-11-25 12:00 UTC: one lead just before 11-24 began, one as it began, one now.
    w.clock.advance(-TimeDelta::hours(36) - TimeDelta::seconds(1));
    capture(&w.ctx, talks_form.id, "a@example.com").await;
    w.clock.advance(TimeDelta::seconds(1));
    capture(&w.ctx, talks_form.id, "b@example.com").await;
    w.clock.advance(TimeDelta::hours(36));
    capture(&w.ctx, coach_form.id, "c@example.com").await;
    capture(&w.ctx, beas_form.id, "d@example.com").await;

    let counts = async |days| leads::counts_over(&w.ctx, &ana, days).await.unwrap();
    assert_eq!(counts(1).await, HashMap::from([(coach, 1)]), "today only");
    assert_eq!(counts(0).await, counts(1).await, "zero days means today");
    assert_eq!(counts(2).await, HashMap::from([(coach, 1), (talks, 1)]));
    assert_eq!(counts(3).await, HashMap::from([(coach, 1), (talks, 2)]));
    // Counts are no personal data: links:read is enough.
    let viewer = member(ana.organization_id, &[Permission::LINKS_READ]);
    assert_eq!(leads::counts_over(&w.ctx, &viewer, 3).await.unwrap().len(), 2);
    pages::delete(&w.ctx, &ana, talks).await.unwrap();
    assert_eq!(counts(3).await, HashMap::from([(coach, 1)]), "a deleted page's leads went with it");
    assert!(matches!(
        leads::counts_over(&w.ctx, &member(ana.organization_id, &[]), 3).await,
        Err(LinksError::Forbidden(_))
    ));
}
