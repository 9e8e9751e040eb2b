//! Which events the audit log keeps.

/// The audited event types: exact types, and `family.*` for every type of a family (billing is
/// audited whole). Besides these, every event recorded during an impersonation is audited,
/// whatever its type (see [`crate::AuditSubscriber`]).
pub const AUDITED: &[&str] = &[
    // Membership and role changes (tenancy).
    "membership.added",
    "membership.role_changed",
    "membership.removed",
    "role.created",
    "role.updated",
    "role.deleted",
    "organization.created",
    // Personal data leaving the system (links).
    "leads.exported",
    // Admin user mutations (iam, platform).
    "user.deactivated",
    "user.reactivated",
    "platform_admin.granted",
    "impersonation.started",
    "impersonation.stopped",
    "impersonation.action",
    // Feature flags.
    "feature_flag.changed",
    // Billing (every event of the family).
    "billing.*",
    "subscription.*",
];

/// Whether events of `event_type` are audited (see [`AUDITED`]).
#[must_use]
pub fn is_audited(event_type: &str) -> bool {
    AUDITED.iter().any(|pattern| match pattern.strip_suffix('*') {
        Some(family) => event_type.starts_with(family) && event_type.len() > family.len(),
        None => *pattern == event_type,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_types_and_families() {
        for yes in
            ["membership.role_changed", "role.deleted", "billing.invoice_paid", "subscription.canceled"]
        {
            assert!(is_audited(yes), "{yes}");
        }
        for no in ["page.created", "lead.captured", "billing.", "billing", "membership", "role.created.x"] {
            assert!(!is_audited(no), "{no}");
        }
    }
}
