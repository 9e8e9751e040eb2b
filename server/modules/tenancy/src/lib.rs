//! The tenancy context: organizations, memberships, roles (built-in and custom, with inheritance
//! and wildcards) and invitations. It computes what a member may do in their active organization
//! (the [`kernel::Actor`] every organization-scoped use case takes).

pub mod application;
pub mod domain;
pub(crate) mod infrastructure;

pub use application::{TenancyCtx, TenancyError};
pub use domain::organization::{Organization, OrganizationId};
