//! Tenancy's `UserDirectory` port, answered by the identity context.

use iam::IamCtx;
use iam::application::users;
use tenancy::application::{DirectoryUser, UserDirectory};
use uuid::Uuid;

/// The user directory over iam's use cases.
pub struct IamDirectory(pub IamCtx);

#[async_trait::async_trait]
impl UserDirectory for IamDirectory {
    async fn users(&self, ids: &[Uuid]) -> anyhow::Result<Vec<DirectoryUser>> {
        let ids: Vec<iam::UserId> = ids.iter().copied().map(iam::UserId::from).collect();
        let found = users::get_many(&self.0, &ids).await.map_err(|e| anyhow::anyhow!(e))?;
        Ok(found
            .into_iter()
            .map(|u| DirectoryUser { id: u.id.into_uuid(), email: u.email, name: u.name })
            .collect())
    }
}
