//! The screens whose code the browser loads on demand. `cargo leptos build --split` cuts each
//! `#[lazy_route]` view below into its own WASM chunk, fetched when the router first shows it (and,
//! on a first visit, before hydration: `leptos::mount::hydrate_lazy`). The main chunk keeps what
//! every visitor needs — the router, the landing and sign-in screens, the dashboard's shell and
//! its small home screen — so a coach opening the dashboard downloads the shell and the one screen
//! they look at, and the admin console costs nothing to anyone who never opens it.
//!
//! The dashboard's home stays in the main chunk on purpose: as a split point it is a few KB of
//! code but a dozen small shared chunks, which cost more on the wire than the code itself.
//!
//! On the server nothing is split: each view renders as it would without the wrapper.

use contracts::Locale;
use leptos::prelude::*;
use leptos_router::{LazyRoute, lazy_route};

use crate::i18n::use_locale;
use crate::pages::admin::setup::SetupPage;
use crate::pages::admin::{self, AdminShell};
use crate::pages::dashboard::{
    analytics, billing, editor, leads, members, notifications, pages, roles, settings,
};
use crate::pages::invitation::InvitationPage;

/// One lazily loaded screen: a unit route type whose `view` renders `$view`.
macro_rules! lazy_screen {
    ($($(#[$doc:meta])* $name:ident => $view:expr;)+) => {$(
        $(#[$doc])*
        pub struct $name;

        #[lazy_route]
        impl LazyRoute for $name {
            fn data() -> Self {
                Self
            }

            fn view(_this: Self) -> AnyView {
                let render: fn(Locale) -> AnyView = $view;
                render(use_locale())
            }
        }
    )+};
}

lazy_screen! {
    /// `/invitations/:token`: seen by invitees only.
    Invitation => |locale| view! { <InvitationPage locale /> }.into_any();
    /// `/admin/setup`: seen once per platform.
    AdmSetup => |locale| view! { <SetupPage locale /> }.into_any();
    /// `/dashboard/pages`.
    DashPages => |_| pages::Page().into_any();
    /// `/dashboard/pages/:id`: the editor, the heaviest screen.
    DashEditor => |_| editor::Page().into_any();
    /// `/dashboard/pages/:id/leads`.
    DashLeads => |_| leads::Page().into_any();
    /// `/dashboard/pages/:id/analytics`.
    DashAnalytics => |_| analytics::Page().into_any();
    /// `/dashboard/members`.
    DashMembers => |_| members::Page().into_any();
    /// `/dashboard/roles`.
    DashRoles => |_| roles::Page().into_any();
    /// `/dashboard/billing`.
    DashBilling => |_| billing::Page().into_any();
    /// `/dashboard/settings`.
    DashSettings => |_| settings::Page().into_any();
    /// `/dashboard/notifications`.
    DashNotifications => |_| notifications::Page().into_any();
    /// `/admin`'s shell: the whole console is loaded only by platform admins.
    AdmShell => |locale| view! { <AdminShell locale /> }.into_any();
    /// `/admin`.
    AdmOverview => |_| admin::overview::Page().into_any();
    /// `/admin/users`.
    AdmUsers => |_| admin::users::Page().into_any();
    /// `/admin/users/:id`.
    AdmUser => |_| admin::users::detail::Page().into_any();
    /// `/admin/organizations`.
    AdmOrgs => |_| admin::organizations::Page().into_any();
    /// `/admin/organizations/:id`.
    AdmOrg => |_| admin::organizations::Detail().into_any();
    /// `/admin/audit`.
    AdmAudit => |_| admin::audit::Page().into_any();
    /// `/admin/flags`.
    AdmFlags => |_| admin::flags::Page().into_any();
    /// `/admin/jobs`.
    AdmJobs => |_| admin::jobs::Page().into_any();
}
