//! The links context's domain events (recorded in the outbox).

use runtime::outbox::DomainEvent;
use serde::Serialize;
use uuid::Uuid;

/// A page was created.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PageCreated {
    pub page_id: Uuid,
    pub organization_id: Uuid,
    pub slug: String,
    pub template_id: Option<String>,
    pub actor_id: Uuid,
}

impl DomainEvent for PageCreated {
    const TYPE: &'static str = "page.created";
    const PRODUCER: &'static str = "links";
}

/// A page was published or unpublished.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PagePublicationChanged {
    pub page_id: Uuid,
    pub organization_id: Uuid,
    pub slug: String,
    pub published: bool,
    pub actor_id: Uuid,
}

impl DomainEvent for PagePublicationChanged {
    const TYPE: &'static str = "page.publication_changed";
    const PRODUCER: &'static str = "links";
}

/// A page was deleted (with its blocks and leads).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PageDeleted {
    pub page_id: Uuid,
    pub organization_id: Uuid,
    pub slug: String,
    pub actor_id: Uuid,
}

impl DomainEvent for PageDeleted {
    const TYPE: &'static str = "page.deleted";
    const PRODUCER: &'static str = "links";
}

/// A visitor left their email in a lead form (the address itself stays in the links context).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LeadCaptured {
    pub lead_id: Uuid,
    pub page_id: Uuid,
    pub block_id: Uuid,
    pub organization_id: Uuid,
    /// Captured over the plan's monthly lead cap (stored and flagged all the same).
    pub over_quota: bool,
}

impl DomainEvent for LeadCaptured {
    const TYPE: &'static str = "lead.captured";
    const PRODUCER: &'static str = "links";
}

/// Leads were exported as CSV (audited: it is personal data leaving the system).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LeadsExported {
    pub page_id: Uuid,
    pub organization_id: Uuid,
    pub actor_id: Uuid,
}

impl DomainEvent for LeadsExported {
    const TYPE: &'static str = "leads.exported";
    const PRODUCER: &'static str = "links";
}

/// A page's settings were edited (title, bio, theme, slug or publication).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PageUpdated {
    pub page_id: Uuid,
    pub organization_id: Uuid,
    pub slug: String,
    /// The fields the edit named (`title`, `theme`, …).
    pub fields: Vec<&'static str>,
    pub actor_id: Uuid,
}

impl DomainEvent for PageUpdated {
    const TYPE: &'static str = "page.updated";
    const PRODUCER: &'static str = "links";
}

/// What every block event says.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BlockFacts {
    pub page_id: Uuid,
    pub block_id: Uuid,
    pub organization_id: Uuid,
    pub block_type: String,
    pub actor_id: Uuid,
}

macro_rules! block_event {
    ($(#[$doc:meta])* $name:ident, $type:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Serialize)]
        pub struct $name(pub BlockFacts);

        impl DomainEvent for $name {
            const TYPE: &'static str = $type;
            const PRODUCER: &'static str = "links";
        }
    };
}

block_event!(
    /// A block was added to a page.
    BlockAdded,
    "block.added"
);
block_event!(
    /// A block was edited (config, visibility, window or position).
    BlockUpdated,
    "block.updated"
);
block_event!(
    /// A block was removed from its page.
    BlockRemoved,
    "block.removed"
);
block_event!(
    /// A removed block was put back on its page, with its id ("Undo").
    BlockRestored,
    "block.restored"
);
