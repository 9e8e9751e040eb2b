//! Pages of the active organization: create (blank or from a template), list, read, edit,
//! publish, delete.

use contracts::Locale;
use contracts::permissions::Permission;
use contracts::slug::{Slug, SlugError};
use contracts::theme::PageTheme;
use contracts::usage::UsageMeter;
use contracts::{Problem, Problems};
use diesel_async::{AsyncConnection as _, AsyncPgConnection};
use kernel::Actor;
use kernel::quota::{Usage, Verdict};
use runtime::outbox;

use crate::application::{LinksCtx, LinksError};
use crate::domain::events::{PageCreated, PageDeleted, PagePublicationChanged, PageUpdated};
use crate::domain::page::{Block, BlockId, Page, PageId, check_bio, check_title};
use crate::domain::placement::STEP;
use crate::domain::templates;
use crate::infrastructure::blocks::{self, BlockRow};
use crate::infrastructure::pages::{self, PageRow, SavePageError};

/// A page with all its blocks (enabled or not) in position order.
#[derive(Debug, Clone)]
pub struct PageDetail {
    pub page: Page,
    pub blocks: Vec<Block>,
    /// Where the page's avatar is served from, if it has one.
    pub avatar_url: Option<String>,
}

/// A new page.
#[derive(Debug, Clone)]
pub struct NewPage {
    pub slug: String,
    pub title: String,
    pub template_id: Option<String>,
    /// The language of the template's texts.
    pub locale: Locale,
}

/// What a page edit changes (every field optional).
#[derive(Debug, Clone, Default)]
pub struct PageChanges {
    pub title: Option<String>,
    pub bio: Option<String>,
    pub theme: Option<PageTheme>,
    pub slug: Option<String>,
    pub published: Option<bool>,
    /// Hide the "Made with mibio" footer: a paid feature (turning it on needs premium; turning it
    /// off never does).
    pub hide_branding: Option<bool>,
}

impl PageChanges {
    /// The fields this edit names, for its event.
    #[must_use]
    pub fn named_fields(&self) -> Vec<&'static str> {
        [
            ("title", self.title.is_some()),
            ("bio", self.bio.is_some()),
            ("theme", self.theme.is_some()),
            ("slug", self.slug.is_some()),
            ("published", self.published.is_some()),
            ("hideBranding", self.hide_branding.is_some()),
        ]
        .into_iter()
        .filter_map(|(name, named)| named.then_some(name))
        .collect()
    }
}

impl From<contracts::links::UpdatePageInput> for PageChanges {
    fn from(input: contracts::links::UpdatePageInput) -> Self {
        Self {
            title: input.title,
            bio: input.bio,
            theme: input.theme,
            slug: input.slug,
            published: input.published,
            hide_branding: input.hide_branding,
        }
    }
}

/// Checks a slug for a page: syntax errors name the `slug` field; a reserved word is
/// [`LinksError::SlugUnavailable`], like a taken one.
///
/// # Errors
/// As above.
pub fn check_slug(raw: &str) -> Result<Slug, LinksError> {
    Slug::parse(raw).map_err(|e| match e {
        SlugError::Reserved => LinksError::SlugUnavailable,
        other => LinksError::field("slug", other),
    })
}

fn save_error(e: SavePageError) -> LinksError {
    match e {
        SavePageError::SlugTaken => LinksError::SlugUnavailable,
        SavePageError::Database(e) => e.into(),
    }
}

/// Creates a page (unpublished). With a template, the page takes the template's theme and bio
/// and its blocks at positions 10, 20, 30… (`links:write`). The page counts against the plan's
/// page cap in the same transaction: a refused or failed creation uses up nothing.
///
/// # Errors
/// `Forbidden`, `Validation` (`slug`, `title`, `templateId`), `SlugUnavailable`, `QuotaExceeded`
/// (`pages_created`, when metering is enforced).
pub async fn create(ctx: &LinksCtx, actor: &Actor, new: NewPage) -> Result<PageDetail, LinksError> {
    actor.require(&Permission::LINKS_WRITE)?;
    let mut errors = Problems::new();
    let slug = match check_slug(&new.slug) {
        Ok(slug) => Some(slug),
        Err(LinksError::Validation(f)) => {
            errors.extend(f);
            None
        }
        Err(other) => return Err(other),
    };
    let title = check_title(&new.title).map_err(|p| errors.insert("title".to_owned(), p)).ok();
    let template = match new.template_id.as_deref() {
        None => None,
        Some(id) => templates::find(id).or_else(|| {
            errors.insert("templateId".to_owned(), Problem::UnknownTemplate);
            None
        }),
    };
    let (Some(slug), Some(title), true) = (slug, title, errors.is_empty()) else {
        return Err(LinksError::Validation(errors));
    };

    let now = ctx.clock.now();
    let id = PageId::new().into_uuid();
    let (theme, bio) = template
        .map_or_else(|| (PageTheme::default(), String::new()), |t| (t.theme(), t.bio(new.locale).to_owned()));
    let page = PageRow {
        id,
        organization_id: actor.organization_id.into_uuid(),
        slug: slug.to_string(),
        title,
        bio,
        theme: serde_json::to_value(&theme).map_err(anyhow::Error::from)?,
        avatar_key: None,
        published: false,
        created_at: now,
        updated_at: now,
        hide_branding: false,
    };
    let seeds: Vec<BlockRow> = template
        .map(|t| t.blocks(new.locale))
        .unwrap_or_default()
        .into_iter()
        .zip(1..)
        .map(|(config, i)| BlockRow {
            id: BlockId::new().into_uuid(),
            page_id: id,
            kind: config.kind().as_str().to_owned(),
            config: config.config_json(),
            enabled: true,
            position: i * STEP,
            visible_from: None,
            visible_until: None,
            created_at: now,
            updated_at: now,
        })
        .collect();

    let mut conn = ctx.db.get().await?;
    let quota_key = format!("page:{id}");
    let usage = Usage {
        organization: actor.organization_id,
        meter: UsageMeter::PagesCreated,
        amount: 1,
        actor: Some(actor.user_id),
        idempotency_key: &quota_key,
    };
    conn.transaction::<_, LinksError, _>(async |tx| {
        if let Verdict::Exceeded { limit } = ctx.quotas.check_and_increment(tx, &usage).await? {
            return Err(LinksError::QuotaExceeded { meter: usage.meter, limit });
        }
        pages::insert(tx, &page).await.map_err(save_error)?;
        if !seeds.is_empty() {
            blocks::insert(tx, &seeds).await?;
        }
        let event = PageCreated {
            page_id: id,
            organization_id: actor.organization_id.into_uuid(),
            slug: page.slug.clone(),
            template_id: template.map(|t| t.id().to_owned()),
            actor_id: actor.user_id.into_uuid(),
        };
        outbox::record(tx, &event, now).await?;
        Ok(())
    })
    .await?;
    let blocks = seeds.iter().map(BlockRow::to_block).collect::<anyhow::Result<_>>()?;
    Ok(PageDetail { page: page.to_page(), blocks, avatar_url: None })
}

/// The organization's pages with their block counts, oldest first (`links:read`).
///
/// # Errors
/// `Forbidden`.
pub async fn list(ctx: &LinksCtx, actor: &Actor) -> Result<Vec<(Page, i64)>, LinksError> {
    actor.require(&Permission::LINKS_READ)?;
    let mut conn = ctx.db.get().await?;
    let rows = pages::of_org(&mut conn, actor.organization_id.into_uuid()).await?;
    Ok(rows.iter().map(|(page, blocks)| (page.to_page(), *blocks)).collect())
}

/// One page of the organization with its blocks (`links:read`).
///
/// # Errors
/// `Forbidden`, `NotFound` (also for another organization's page).
pub async fn get(ctx: &LinksCtx, actor: &Actor, id: PageId) -> Result<PageDetail, LinksError> {
    actor.require(&Permission::LINKS_READ)?;
    let id = id.into_uuid();
    let mut conn = ctx.db.get().await?;
    let page = pages::find_in_org(&mut conn, actor.organization_id.into_uuid(), id)
        .await?
        .ok_or(LinksError::NotFound)?;
    detail(ctx, &mut conn, page).await
}

pub(crate) async fn detail(
    ctx: &LinksCtx,
    conn: &mut AsyncPgConnection,
    page: PageRow,
) -> Result<PageDetail, LinksError> {
    let rows = blocks::of_page(conn, page.id).await?;
    let blocks = rows.iter().map(BlockRow::to_block).collect::<anyhow::Result<_>>()?;
    let avatar_url = storage::upload::url_of(ctx.storage.as_ref(), page.avatar_key.as_deref());
    Ok(PageDetail { page: page.to_page(), blocks, avatar_url })
}

/// The organization that owns page `id` (published or not), for the contexts that keep facts
/// about pages and must answer only their owners (analytics). No permission: it reveals nothing
/// to a visitor, and the asking context checks its own actor.
///
/// # Errors
/// The database's.
pub async fn organization_of(
    ctx: &LinksCtx,
    id: PageId,
) -> Result<Option<kernel::OrganizationId>, LinksError> {
    let mut conn = ctx.db.get().await?;
    Ok(pages::organization_of(&mut conn, id.into_uuid()).await?.map(Into::into))
}

/// Page `id` (published or not) as other contexts name it — its organization, address and
/// title — for the notifications about it. No permission, like [`organization_of`]: the asking
/// context tells only the page's owners.
///
/// # Errors
/// The database's.
pub async fn by_id(ctx: &LinksCtx, id: PageId) -> Result<Option<Page>, LinksError> {
    let mut conn = ctx.db.get().await?;
    Ok(pages::find(&mut conn, id.into_uuid()).await?.map(|row| row.to_page()))
}

/// Whether `slug` could be this organization's page address (`links:read`): `Ok(true)` when
/// free (or already `except`'s), `Ok(false)` when taken or reserved.
///
/// # Errors
/// `Forbidden`, `Validation` (`slug`) for a malformed slug.
pub async fn slug_available(
    ctx: &LinksCtx,
    actor: &Actor,
    slug: &str,
    except: Option<PageId>,
) -> Result<bool, LinksError> {
    actor.require(&Permission::LINKS_READ)?;
    let except = except.map(PageId::into_uuid);
    let slug = match check_slug(slug) {
        Ok(slug) => slug,
        Err(LinksError::SlugUnavailable) => return Ok(false),
        Err(other) => return Err(other),
    };
    let mut conn = ctx.db.get().await?;
    Ok(!pages::slug_taken(&mut conn, slug.as_str(), except).await?)
}

/// Edits a page: title, bio, theme, slug and publication (`links:write`). The public cache
/// forgets the page as soon as the change commits.
///
/// # Errors
/// `Forbidden`, `NotFound`, `Validation` (`title`, `bio`, `theme.*`, `slug`), `SlugUnavailable`.
pub async fn update(
    ctx: &LinksCtx,
    actor: &Actor,
    id: PageId,
    changes: PageChanges,
) -> Result<PageDetail, LinksError> {
    actor.require(&Permission::LINKS_WRITE)?;
    let id = id.into_uuid();
    let mut errors = Problems::new();
    let title = changes
        .title
        .as_deref()
        .map(check_title)
        .transpose()
        .map_err(|p| errors.insert("title".into(), p))
        .ok()
        .flatten();
    let bio = changes
        .bio
        .as_deref()
        .map(check_bio)
        .transpose()
        .map_err(|p| errors.insert("bio".into(), p))
        .ok()
        .flatten();
    if let Some(theme) = &changes.theme
        && let Err(f) = theme.validate()
    {
        errors.extend(f);
    }
    let slug = match changes.slug.as_deref().map(check_slug).transpose() {
        Ok(slug) => slug,
        Err(LinksError::Validation(f)) => {
            errors.extend(f);
            None
        }
        Err(other) if errors.is_empty() => return Err(other),
        Err(_) => None,
    };
    if !errors.is_empty() {
        return Err(LinksError::Validation(errors));
    }
    let theme = changes.theme.as_ref().map(serde_json::to_value).transpose().map_err(anyhow::Error::from)?;

    let now = ctx.clock.now();
    let mut conn = ctx.db.get().await?;
    let saved = conn
        .transaction::<_, LinksError, _>(async |tx| {
            let mut page = pages::lock_in_org(tx, actor.organization_id.into_uuid(), id)
                .await?
                .ok_or(LinksError::NotFound)?;
            let was_published = page.published;
            if let Some(title) = title {
                page.title = title;
            }
            if let Some(bio) = bio {
                page.bio = bio;
            }
            if let Some(theme) = theme {
                page.theme = theme;
            }
            if let Some(slug) = slug {
                page.slug = slug.to_string();
            }
            if let Some(published) = changes.published {
                if published && !was_published {
                    // Publishing shows the page — and its lead forms — to the world: only a
                    // verified address may (see `Actor::require_verified_email`).
                    actor.require_verified_email()?;
                }
                page.published = published;
            }
            if let Some(hide) = changes.hide_branding {
                if hide && !page.hide_branding {
                    // The one premium feature so far: the plan must open it when it is turned on.
                    // It stays on if the subscription lapses, but the public page shows the
                    // footer again (see `public::page_by_slug`).
                    let org = kernel::OrganizationId::from(page.organization_id);
                    if !ctx.premium.has_premium(org).await? {
                        return Err(LinksError::SubscriptionRequired);
                    }
                }
                page.hide_branding = hide;
            }
            save_edit(tx, &mut page, changes.named_fields(), actor, now).await?;
            if page.published != was_published {
                let event = PagePublicationChanged {
                    page_id: page.id,
                    organization_id: page.organization_id,
                    slug: page.slug.clone(),
                    published: page.published,
                    actor_id: actor.user_id.into_uuid(),
                };
                outbox::record(tx, &event, now).await?;
            }
            pages::announce_change(tx, page.id).await?;
            Ok(page)
        })
        .await?;
    ctx.cache.evict_page(id);
    detail(ctx, &mut conn, saved).await
}

/// Saves an edited page at `now` and records its [`PageUpdated`] naming `fields`, in the caller's
/// transaction (which announces the change once it has recorded everything else).
pub(crate) async fn save_edit(
    tx: &mut AsyncPgConnection,
    page: &mut PageRow,
    fields: Vec<&'static str>,
    actor: &Actor,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), LinksError> {
    page.updated_at = now;
    pages::update(tx, page).await.map_err(save_error)?;
    let event = PageUpdated {
        page_id: page.id,
        organization_id: page.organization_id,
        slug: page.slug.clone(),
        fields,
        actor_id: actor.user_id.into_uuid(),
    };
    outbox::record(tx, &event, now).await?;
    Ok(())
}

/// Deletes a page with its blocks and leads (`links:write`); its place under the plan's page cap
/// is given back.
///
/// # Errors
/// `Forbidden`, `NotFound`.
pub async fn delete(ctx: &LinksCtx, actor: &Actor, id: PageId) -> Result<(), LinksError> {
    actor.require(&Permission::LINKS_WRITE)?;
    let id = id.into_uuid();
    let now = ctx.clock.now();
    let mut conn = ctx.db.get().await?;
    let avatar = conn
        .transaction::<_, LinksError, _>(async |tx| {
            let page = pages::lock_in_org(tx, actor.organization_id.into_uuid(), id)
                .await?
                .ok_or(LinksError::NotFound)?;
            pages::delete(tx, page.id).await?;
            let quota_key = format!("page:{}:deleted", page.id);
            let usage = Usage {
                organization: actor.organization_id,
                meter: UsageMeter::PagesCreated,
                amount: 1,
                actor: Some(actor.user_id),
                idempotency_key: &quota_key,
            };
            ctx.quotas.release(tx, &usage).await?;
            let event = PageDeleted {
                page_id: page.id,
                organization_id: page.organization_id,
                slug: page.slug.clone(),
                actor_id: actor.user_id.into_uuid(),
            };
            outbox::record(tx, &event, now).await?;
            pages::announce_change(tx, page.id).await?;
            Ok(page.avatar_key)
        })
        .await?;
    ctx.cache.evict_page(id);
    storage::upload::forget_replaced(ctx.storage.as_ref(), avatar.as_deref(), None).await;
    Ok(())
}
