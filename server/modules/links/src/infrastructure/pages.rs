//! The pages repository.

use chrono::{DateTime, Utc};
use diesel::prelude::{
    AsChangeset, ExpressionMethods, Insertable, JoinOnDsl as _, NullableExpressionMethods as _,
    OptionalExtension as _, QueryDsl, QueryResult, Queryable, Selectable, SelectableHelper,
};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel::sql_types::Text;
use diesel_async::{AsyncPgConnection, RunQueryDsl as _};
use uuid::Uuid;

use crate::infrastructure::schema::{blocks, pages};

/// A page row.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = pages, treat_none_as_null = true)]
pub struct PageRow {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub slug: String,
    pub title: String,
    pub bio: String,
    pub theme: serde_json::Value,
    pub avatar_key: Option<String>,
    pub published: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The owner asked to hide the "Made with mibio" footer (shown anyway without premium).
    pub hide_branding: bool,
}

impl PageRow {
    /// The page this row stores. The theme was validated when saved; a row from an older rule
    /// set falls back to the default rather than failing the read.
    #[must_use]
    pub fn to_page(&self) -> crate::domain::page::Page {
        crate::domain::page::Page {
            id: self.id.into(),
            organization_id: self.organization_id.into(),
            slug: self.slug.clone(),
            title: self.title.clone(),
            bio: self.bio.clone(),
            theme: self.theme(),
            avatar_key: self.avatar_key.clone(),
            published: self.published,
            hide_branding: self.hide_branding,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }

    /// The stored theme (see [`to_page`](Self::to_page)).
    #[must_use]
    pub fn theme(&self) -> contracts::theme::PageTheme {
        serde_json::from_value(self.theme.clone()).unwrap_or_default()
    }
}

/// Why a page could not be saved.
#[derive(Debug, thiserror::Error)]
pub enum SavePageError {
    /// Another page holds the slug (compared case-insensitively).
    #[error("slug taken")]
    SlugTaken,
    #[error(transparent)]
    Database(#[from] DieselError),
}

fn map_unique(e: DieselError) -> SavePageError {
    match e {
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => SavePageError::SlugTaken,
        other => SavePageError::Database(other),
    }
}

diesel::define_sql_function!(fn lower(x: Text) -> Text);

/// The organization of page `id`, if there is such a page.
///
/// # Errors
/// The database's.
pub async fn organization_of(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<Uuid>> {
    pages::table.find(id).select(pages::organization_id).first(conn).await.optional()
}

/// Page `id`, published or not, whatever its organization.
///
/// # Errors
/// The database's.
pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<PageRow>> {
    pages::table.find(id).select(PageRow::as_select()).first(conn).await.optional()
}

/// Inserts a page.
///
/// # Errors
/// [`SavePageError::SlugTaken`], or the database's.
pub async fn insert(conn: &mut AsyncPgConnection, page: &PageRow) -> Result<(), SavePageError> {
    diesel::insert_into(pages::table).values(page).execute(conn).await.map_err(map_unique)?;
    Ok(())
}

/// Saves every column of `page`.
///
/// # Errors
/// [`SavePageError::SlugTaken`], or the database's.
pub async fn update(conn: &mut AsyncPgConnection, page: &PageRow) -> Result<(), SavePageError> {
    diesel::update(pages::table.find(page.id)).set(page).execute(conn).await.map_err(map_unique)?;
    Ok(())
}

/// The organization's page `id`, locked for the rest of the transaction (block writes of one page
/// are serialised by this lock, which keeps positions consistent).
///
/// # Errors
/// The database's.
pub async fn lock_in_org(conn: &mut AsyncPgConnection, org: Uuid, id: Uuid) -> QueryResult<Option<PageRow>> {
    pages::table
        .filter(pages::id.eq(id))
        .filter(pages::organization_id.eq(org))
        .select(PageRow::as_select())
        .for_update()
        .first(conn)
        .await
        .map(Some)
        .or_else(not_found_as_none)
}

/// The organization's page `id`.
///
/// # Errors
/// The database's.
pub async fn find_in_org(conn: &mut AsyncPgConnection, org: Uuid, id: Uuid) -> QueryResult<Option<PageRow>> {
    pages::table
        .filter(pages::id.eq(id))
        .filter(pages::organization_id.eq(org))
        .select(PageRow::as_select())
        .first(conn)
        .await
        .map(Some)
        .or_else(not_found_as_none)
}

/// The organization's pages, oldest first, each with its number of blocks.
///
/// # Errors
/// The database's.
pub async fn of_org(conn: &mut AsyncPgConnection, org: Uuid) -> QueryResult<Vec<(PageRow, i64)>> {
    pages::table
        .left_join(blocks::table.on(blocks::page_id.eq(pages::id)))
        .filter(pages::organization_id.eq(org))
        .group_by(pages::id)
        .order((pages::created_at.asc(), pages::id.asc()))
        .select((PageRow::as_select(), diesel::dsl::count(blocks::id.nullable())))
        .load(conn)
        .await
}

/// The published page with this slug.
///
/// # Errors
/// The database's.
pub async fn published_by_slug(conn: &mut AsyncPgConnection, slug: &str) -> QueryResult<Option<PageRow>> {
    pages::table
        .filter(lower(pages::slug).eq(slug.to_lowercase()))
        .filter(pages::published.eq(true))
        .select(PageRow::as_select())
        .first(conn)
        .await
        .map(Some)
        .or_else(not_found_as_none)
}

/// Whether any page (of any organization) other than `except` holds `slug`.
///
/// # Errors
/// The database's.
pub async fn slug_taken(conn: &mut AsyncPgConnection, slug: &str, except: Option<Uuid>) -> QueryResult<bool> {
    let mut query = pages::table.filter(lower(pages::slug).eq(slug.to_lowercase())).into_boxed();
    if let Some(id) = except {
        query = query.filter(pages::id.ne(id));
    }
    diesel::select(diesel::dsl::exists(query)).get_result(conn).await
}

/// Marks the page changed (a block of it was written): bumps `updated_at` and announces the
/// change to every process's cache ([`announce_change`]).
///
/// # Errors
/// The database's.
pub async fn touch(conn: &mut AsyncPgConnection, id: Uuid, at: DateTime<Utc>) -> QueryResult<()> {
    diesel::update(pages::table.find(id)).set(pages::updated_at.eq(at)).execute(conn).await?;
    announce_change(conn, id).await
}

/// Deletes a page (its blocks and leads go with it).
///
/// # Errors
/// The database's.
pub async fn delete(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<usize> {
    diesel::delete(pages::table.find(id)).execute(conn).await
}

/// Tells every process that caches public pages that page `id` changed. Sent inside the writing
/// transaction, Postgres delivers it only if (and when) the transaction commits.
///
/// # Errors
/// The database's.
pub async fn announce_change(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<()> {
    diesel::sql_query("SELECT pg_notify($1, $2)")
        .bind::<Text, _>(crate::infrastructure::cache::CHANGE_CHANNEL)
        .bind::<Text, _>(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

pub(crate) fn not_found_as_none<T>(e: DieselError) -> QueryResult<Option<T>> {
    match e {
        DieselError::NotFound => Ok(None),
        other => Err(other),
    }
}
