//! The console's organizations: list and search, one with its members.

use axum::Json;
use axum::extract::{Path, Query, State};
use contracts::links::Page;
use contracts::platform::{AdminMemberView, AdminOrganizationDetail, AdminOrganizationView};
use iam::UserId;
use tenancy::Organization;

use super::{ListQuery, PlatformAdmin, uuid_of};
use crate::http::api::fail;
use crate::http::error::ApiFailure;
use crate::state::AppState;

fn view(org: &Organization, members: i64) -> AdminOrganizationView {
    AdminOrganizationView {
        id: org.id.to_string(),
        name: org.name.clone(),
        slug: org.slug.clone(),
        created_at: org.created_at.to_rfc3339(),
        members,
        // Billing is not built yet: every organization is on the free plan.
        subscription: None,
    }
}

/// `GET organizations?q=&cursor=&limit=`.
pub async fn list(
    State(state): State<AppState>,
    _admin: PlatformAdmin,
    Query(query): Query<ListQuery>,
) -> Result<Json<Page<AdminOrganizationView>>, ApiFailure> {
    let page = query.page()?;
    let found = tenancy::application::admin::list_organizations(&state.tenancy, query.search(), &page)
        .await
        .map_err(fail)?;
    Ok(Json(Page {
        items: found.items.iter().map(|(org, members)| view(org, *members)).collect(),
        next_cursor: found.next_cursor,
    }))
}

/// `GET organizations/{id}`.
pub async fn detail(
    State(state): State<AppState>,
    _admin: PlatformAdmin,
    Path(id): Path<String>,
) -> Result<Json<AdminOrganizationDetail>, ApiFailure> {
    let (org, rows) =
        tenancy::application::admin::organization(&state.tenancy, uuid_of(&id)?).await.map_err(fail)?;
    let ids: Vec<UserId> = rows.iter().map(|m| UserId::from(m.user_id)).collect();
    let users = iam::application::users::get_many(&state.iam, &ids).await.map_err(fail)?;
    let members = rows
        .iter()
        .map(|m| {
            let user = users.iter().find(|u| u.id.into_uuid() == m.user_id);
            AdminMemberView {
                user_id: m.user_id.to_string(),
                email: user.map(|u| u.email.clone()).unwrap_or_default(),
                name: user.map(|u| u.name.clone()).unwrap_or_default(),
                role: m.role.clone(),
                joined_at: m.created_at.to_rfc3339(),
            }
        })
        .collect::<Vec<_>>();
    Ok(Json(AdminOrganizationDetail {
        organization: view(&org, i64::try_from(members.len()).unwrap_or(i64::MAX)),
        members,
    }))
}
