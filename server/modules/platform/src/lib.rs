//! The platform context: the cross-cutting side of running mibio. Who is a platform admin
//! (`PLATFORM_ADMIN_EMAILS`, or granted through the first-run setup token, the CLI or another
//! admin), impersonation (an admin acting as a user for support: visible, audited, one hour at
//! most, never another admin), and the overview reader. Mutations of users, organizations, flags
//! and jobs stay in their owning contexts; the host's `/api/v1/platform` routes call them.

pub mod application;
pub mod domain;
pub(crate) mod infrastructure;

pub use application::PlatformCtx;
