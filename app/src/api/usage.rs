//! Usage server functions: the billing screen's usage panel. Calls the same use case as
//! `GET /api/v1/usage`.

use contracts::ApiError;
use contracts::usage::UsageView;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// The active organization's usage of each meter: used, the plan's cap, the period's end.
#[server(prefix = "/api/fn", endpoint = "usage_overview", input = Json)]
pub async fn usage_overview() -> Result<UsageView, ApiError> {
    let (services, _, membership) = crate::api::orgs::member().await?;
    usage::usage_overview(&services.usage, &membership.actor).await.map_err(crate::server::wire)
}
