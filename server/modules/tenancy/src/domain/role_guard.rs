//! The escalation guard: the one rule that decides whether an actor may create, edit, delete,
//! assign or revoke a role. Every use case that touches a role asks [`may_change_role`]; none
//! compares grant sets itself.
//!
//! The rule: the actor needs the change's permission, and must hold everything every role the
//! change touches grants — the role as it is and as it will be, the role handed out and the role it
//! replaces. So nobody can make, unmake, cut down, hand out or take away a role above their own:
//! an admin cannot delete the owner's `*` role even while nobody holds it, because deleting it is
//! touching it.

use contracts::permissions::Permission;

use crate::domain::roles::GrantSet;

/// Something an actor does with a role, with the grants of every role it touches.
#[derive(Debug, Clone, Copy)]
pub enum RoleChange<'a> {
    /// Creating a custom role that will grant `grants`.
    Create { grants: &'a GrantSet },
    /// Redefining a custom role: what it grants now, and what it will grant.
    Edit { before: &'a GrantSet, after: &'a GrantSet },
    /// Deleting a custom role that grants `grants`.
    Delete { grants: &'a GrantSet },
    /// Inviting someone with a role.
    Invite { role: &'a GrantSet },
    /// Changing a member's role from `from` to `to`.
    Assign { from: &'a GrantSet, to: &'a GrantSet },
    /// Removing a member who holds `role` (leaving on one's own is not a role change).
    Revoke { role: &'a GrantSet },
}

impl RoleChange<'_> {
    /// The permission the change needs.
    #[must_use]
    pub const fn permission(&self) -> Permission {
        match self {
            Self::Create { .. } | Self::Edit { .. } | Self::Delete { .. } => Permission::ROLES_MANAGE,
            Self::Invite { .. } => Permission::MEMBERS_INVITE,
            Self::Assign { .. } | Self::Revoke { .. } => Permission::MEMBERS_MANAGE,
        }
    }

    /// The grant sets the change touches.
    fn touched(&self) -> [Option<&GrantSet>; 2] {
        match *self {
            Self::Create { grants } | Self::Delete { grants } => [Some(grants), None],
            Self::Invite { role } | Self::Revoke { role } => [Some(role), None],
            Self::Edit { before, after } => [Some(before), Some(after)],
            Self::Assign { from, to } => [Some(from), Some(to)],
        }
    }
}

/// Why a role change is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RoleRefusal {
    /// The actor lacks the change's permission.
    #[error("{0}")]
    Missing(Permission),
    /// A touched role grants something the actor does not hold.
    #[error("{0} (a role beyond your own)")]
    BeyondOwn(Permission),
}

/// Whether an actor whose grants are `actor` may make `change`.
///
/// # Errors
/// [`RoleRefusal::Missing`] without the change's permission; [`RoleRefusal::BeyondOwn`] when a
/// role it touches grants more than `actor` holds.
pub fn may_change_role(actor: &GrantSet, change: RoleChange<'_>) -> Result<(), RoleRefusal> {
    let permission = change.permission();
    if !actor.allows(&permission) {
        return Err(RoleRefusal::Missing(permission));
    }
    if change.touched().into_iter().flatten().all(|role| actor.covers(role)) {
        Ok(())
    } else {
        Err(RoleRefusal::BeyondOwn(permission))
    }
}

#[cfg(test)]
mod tests {
    use contracts::permissions::{BuiltinRole, PermissionPattern};

    use super::*;

    fn grants(patterns: &[&str]) -> GrantSet {
        patterns.iter().map(|p| p.parse::<PermissionPattern>().expect("a pattern")).collect()
    }

    fn builtin(role: BuiltinRole) -> GrantSet {
        role.patterns().iter().cloned().collect()
    }

    /// Whether `actor` may make each kind of change touching `role` (as the only role involved,
    /// or, for edits and assignments, on both sides).
    fn all_allowed(actor: &GrantSet, role: &GrantSet) -> [bool; 6] {
        let none = GrantSet::default();
        [
            may_change_role(actor, RoleChange::Create { grants: role }).is_ok(),
            may_change_role(actor, RoleChange::Edit { before: role, after: &none }).is_ok(),
            may_change_role(actor, RoleChange::Delete { grants: role }).is_ok(),
            may_change_role(actor, RoleChange::Invite { role }).is_ok(),
            may_change_role(actor, RoleChange::Assign { from: &none, to: role }).is_ok(),
            may_change_role(actor, RoleChange::Revoke { role }).is_ok(),
        ]
    }

    #[test]
    fn each_pair_of_builtin_roles() {
        use BuiltinRole::{Admin, Editor, Owner, Viewer};
        // (actor, target) → may the actor touch the target role, for each kind of change.
        let expected = [
            (Owner, Owner, true),
            (Owner, Admin, true),
            (Owner, Editor, true),
            (Owner, Viewer, true),
            (Admin, Owner, false),
            (Admin, Admin, true),
            (Admin, Editor, true),
            (Admin, Viewer, true),
        ];
        for (actor, target, allowed) in expected {
            let verdicts = all_allowed(&builtin(actor), &builtin(target));
            assert_eq!(verdicts, [allowed; 6], "{actor:?} touching {target:?}");
        }
        // Editors and viewers manage neither roles nor members, whatever the target.
        for actor in [Editor, Viewer] {
            for target in BuiltinRole::ALL {
                assert_eq!(
                    all_allowed(&builtin(actor), &builtin(target)),
                    [false; 6],
                    "{actor:?} → {target:?}"
                );
            }
        }
    }

    #[test]
    fn custom_roles_above_and_below_the_actor() {
        let admin = builtin(BuiltinRole::Admin);
        let star = grants(&["*"]);
        let below = grants(&["links:read", "links:write"]);
        let wildcard_below = grants(&["links:*"]);
        let above = grants(&["links:read", "billing:manage"]);
        assert_eq!(all_allowed(&admin, &below), [true; 6]);
        assert_eq!(all_allowed(&admin, &wildcard_below), [true; 6]);
        // The gap the guard closes: a `*` role made by the owner cannot be deleted by an admin,
        // even while nobody holds it — nor created, edited, handed out or revoked.
        assert_eq!(all_allowed(&admin, &star), [false; 6]);
        assert_eq!(all_allowed(&admin, &above), [false; 6]);
        assert!(all_allowed(&grants(&["*"]), &above).iter().all(|ok| *ok), "a `*` actor touches anything");
    }

    #[test]
    fn edits_and_assignments_look_at_both_sides() {
        let admin = builtin(BuiltinRole::Admin);
        let (low, high) = (grants(&["links:read"]), grants(&["*"]));
        // Cutting a role above one's own down to size is touching it.
        assert!(may_change_role(&admin, RoleChange::Edit { before: &high, after: &low }).is_err());
        assert!(may_change_role(&admin, RoleChange::Edit { before: &low, after: &high }).is_err());
        assert!(may_change_role(&admin, RoleChange::Assign { from: &high, to: &low }).is_err());
        assert!(may_change_role(&admin, RoleChange::Assign { from: &low, to: &high }).is_err());
        assert!(may_change_role(&admin, RoleChange::Assign { from: &low, to: &low }).is_ok());
    }

    #[test]
    fn refusals_name_the_permission() {
        let editor = builtin(BuiltinRole::Editor);
        let refusal = may_change_role(&editor, RoleChange::Delete { grants: &GrantSet::default() });
        assert_eq!(refusal, Err(RoleRefusal::Missing(Permission::ROLES_MANAGE)));
        let admin = builtin(BuiltinRole::Admin);
        let refusal = may_change_role(&admin, RoleChange::Invite { role: &grants(&["*"]) });
        assert_eq!(refusal, Err(RoleRefusal::BeyondOwn(Permission::MEMBERS_INVITE)));
        assert_eq!(
            refusal.unwrap_err().to_string(),
            format!("{} (a role beyond your own)", Permission::MEMBERS_INVITE)
        );
    }
}
