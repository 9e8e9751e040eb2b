//! Roles of an organization and what a member may do: role names, custom role definitions with
//! inheritance, their validation when saved, and the effective [`GrantSet`] of a role.
//!
//! The built-in roles ([`BuiltinRole`]) exist in every organization and may be inherited; a
//! built-in name always means the built-in role. Pure domain: no IO.

use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::str::FromStr;

use contracts::Problem;
use contracts::permissions::{BuiltinRole, Permission, PermissionPattern};
use serde::{Deserialize, Serialize};

/// Shortest accepted role name.
pub const ROLE_NAME_MIN_LEN: usize = 2;
/// Longest accepted role name.
pub const ROLE_NAME_MAX_LEN: usize = 40;
/// Most `inherits` steps between a role and the end of its longest inheritance chain.
pub const MAX_INHERITANCE_DEPTH: usize = 8;

kernel::define_id!(
    /// A custom role (built-in roles have no id: they are code).
    RoleId
);

/// A role's name, built-in or custom: 2–40 characters of `a-z`, `0-9`, `-` and `_`, starting and
/// ending with a letter or digit. Serialized as the string.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RoleName(String);

/// Why a string is not a role name; as a [`Problem`] for the person typing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleNameError {
    TooShort,
    TooLong,
    InvalidCharacters,
    EdgePunctuation,
}

impl From<RoleNameError> for Problem {
    fn from(e: RoleNameError) -> Self {
        match e {
            RoleNameError::TooShort => Self::TooShort { min: ROLE_NAME_MIN_LEN },
            RoleNameError::TooLong => Self::TooLong { max: ROLE_NAME_MAX_LEN },
            RoleNameError::InvalidCharacters => Self::RoleNameCharacters,
            RoleNameError::EdgePunctuation => Self::EdgeCharacter,
        }
    }
}

contracts::display_as_problem!(RoleNameError);

impl RoleName {
    /// Validates `raw` as a role name (built-in names included; see [`RoleName::builtin`]).
    ///
    /// # Errors
    /// The first rule `raw` breaks, as a [`RoleNameError`].
    pub fn parse(raw: &str) -> Result<Self, RoleNameError> {
        if raw.len() < ROLE_NAME_MIN_LEN {
            return Err(RoleNameError::TooShort);
        }
        if raw.len() > ROLE_NAME_MAX_LEN {
            return Err(RoleNameError::TooLong);
        }
        let allowed = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_';
        if !raw.bytes().all(allowed) {
            return Err(RoleNameError::InvalidCharacters);
        }
        if raw.starts_with(['-', '_']) || raw.ends_with(['-', '_']) {
            return Err(RoleNameError::EdgePunctuation);
        }
        Ok(Self(raw.to_owned()))
    }

    /// The name as text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The built-in role of this name, if it is one of the four reserved names.
    #[must_use]
    pub fn builtin(&self) -> Option<BuiltinRole> {
        BuiltinRole::from_name(&self.0)
    }
}

impl From<BuiltinRole> for RoleName {
    fn from(role: BuiltinRole) -> Self {
        Self(role.name().to_owned())
    }
}

impl fmt::Display for RoleName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for RoleName {
    type Err = RoleNameError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for RoleName {
    type Error = RoleNameError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<RoleName> for String {
    fn from(name: RoleName) -> Self {
        name.0
    }
}

/// A custom role of one organization: its own patterns plus those of every role it inherits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleDefinition {
    /// Unique in the organization, and never a built-in name.
    pub name: RoleName,
    /// The role's own patterns.
    pub permissions: Vec<PermissionPattern>,
    /// Roles (built-in or custom) whose grants this role also holds.
    pub inherits: Vec<RoleName>,
}

/// Why a role cannot be saved or resolved; as a [`Problem`] for the person editing it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoleError {
    /// A custom role took a built-in role's name.
    ReservedName(RoleName),
    /// A role (asked for, or inherited) does not exist in the organization.
    UnknownRole(RoleName),
    /// Roles inherit from each other in a circle; the path starts and ends with the same role.
    Cycle(Vec<RoleName>),
    /// The role's longest inheritance chain has more than [`MAX_INHERITANCE_DEPTH`] steps.
    TooDeep(RoleName),
    /// A pattern grants nothing the product knows (a typo like `lnks:read`).
    UnknownPermission(PermissionPattern),
}

impl From<RoleError> for Problem {
    fn from(e: RoleError) -> Self {
        let name = |n: &RoleName| n.as_str().to_owned();
        match e {
            RoleError::ReservedName(n) => Self::BuiltinRoleName { name: name(&n) },
            RoleError::UnknownRole(n) => Self::UnknownRole { name: name(&n) },
            RoleError::Cycle(path) => Self::InheritanceCycle { path: path.iter().map(name).collect() },
            RoleError::TooDeep(n) => Self::InheritsTooDeep { name: name(&n), max: MAX_INHERITANCE_DEPTH },
            RoleError::UnknownPermission(p) => Self::UnknownPermission { pattern: p.to_string() },
        }
    }
}

contracts::display_as_problem!(RoleError);

/// The patterns a member holds through their role: the answer to "may they do this?".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GrantSet {
    patterns: BTreeSet<PermissionPattern>,
}

impl GrantSet {
    /// Whether some granted pattern matches `permission`.
    #[must_use]
    pub fn allows(&self, permission: &Permission) -> bool {
        self.is_superuser() || self.patterns.iter().any(|p| p.matches(permission))
    }

    /// Whether `*` is granted.
    #[must_use]
    pub fn is_superuser(&self) -> bool {
        self.patterns.contains(&PermissionPattern::ALL)
    }

    /// Whether everything `other` grants, this set grants too (pattern by pattern, so `links:*`
    /// is not covered by the list of today's `links` permissions). A role editor may only save a
    /// role their own grants cover.
    #[must_use]
    pub fn covers(&self, other: &Self) -> bool {
        other.patterns.iter().all(|theirs| self.patterns.iter().any(|own| own.covers(theirs)))
    }

    /// The granted patterns, sorted and deduplicated, or just `["*"]` when `*` is granted: the
    /// session response's `permissions`.
    #[must_use]
    pub fn to_sorted_strings(&self) -> Vec<String> {
        if self.is_superuser() {
            return vec!["*".to_owned()];
        }
        let strings: BTreeSet<String> = self.patterns.iter().map(ToString::to_string).collect();
        strings.into_iter().collect()
    }
}

impl FromIterator<PermissionPattern> for GrantSet {
    fn from_iter<I: IntoIterator<Item = PermissionPattern>>(iter: I) -> Self {
        Self { patterns: iter.into_iter().collect() }
    }
}

impl Extend<PermissionPattern> for GrantSet {
    fn extend<I: IntoIterator<Item = PermissionPattern>>(&mut self, iter: I) {
        self.patterns.extend(iter);
    }
}

/// The effective grants of `role`: its own patterns and, transitively, those of every role it
/// inherits. `definitions` are the organization's custom roles; built-in names always resolve to
/// the built-in role, and a definition that (against validation) reuses one is ignored.
///
/// # Errors
/// [`RoleError::UnknownRole`] if `role` or a role it inherits does not exist,
/// [`RoleError::Cycle`] if inheritance loops, [`RoleError::TooDeep`] past
/// [`MAX_INHERITANCE_DEPTH`]. Callers should then grant nothing (fail closed).
pub fn resolve(definitions: &[RoleDefinition], role: &RoleName) -> Result<GrantSet, RoleError> {
    let roles = Roles::new(definitions.iter());
    let mut walk = Walk::new(&roles, role);
    walk.visit(role)?;
    Ok(walk.grants)
}

/// Checks `candidate` — a new role, or a new version of the role of the same name in
/// `definitions` — before it is saved. To rename a role, leave the old version out of
/// `definitions`.
///
/// # Errors
/// [`RoleError::ReservedName`] for a built-in name, [`RoleError::UnknownPermission`] for a
/// pattern that grants nothing known, and the errors of [`resolve`] for the candidate — or
/// [`RoleError::TooDeep`] for a role that inherits the candidate and would become too deep.
pub fn validate(definitions: &[RoleDefinition], candidate: &RoleDefinition) -> Result<(), RoleError> {
    if candidate.name.builtin().is_some() {
        return Err(RoleError::ReservedName(candidate.name.clone()));
    }
    if let Some(unknown) = candidate.permissions.iter().find(|p| !p.is_all() && !p.grants_any_known()) {
        return Err(RoleError::UnknownPermission(unknown.clone()));
    }
    let others = definitions.iter().filter(|d| d.name != candidate.name);
    let roles = Roles::new(others.clone().chain([candidate]));
    Walk::new(&roles, &candidate.name).visit(&candidate.name)?;
    for dependant in others.filter(|d| roles.reaches(&d.name, &candidate.name)) {
        // Only depth can newly fail here: a new cycle or unknown role would pass through the
        // candidate, whose own walk succeeded; other failures were there before.
        if let Err(too_deep @ RoleError::TooDeep(_)) =
            Walk::new(&roles, &dependant.name).visit(&dependant.name)
        {
            return Err(too_deep);
        }
    }
    Ok(())
}

/// The custom roles that inherit `role`, directly or through others, sorted: deleting `role`
/// would leave them broken.
#[must_use]
pub fn dependants(definitions: &[RoleDefinition], role: &RoleName) -> Vec<RoleName> {
    let roles = Roles::new(definitions.iter());
    let mut found: Vec<RoleName> = definitions
        .iter()
        .filter(|d| &d.name != role && roles.reaches(&d.name, role))
        .map(|d| d.name.clone())
        .collect();
    found.sort_unstable();
    found.dedup();
    found
}

/// An organization's roles, looked up by name.
struct Roles<'a> {
    custom: HashMap<&'a str, &'a RoleDefinition>,
}

impl<'a> Roles<'a> {
    /// Indexes `definitions`; the first of a duplicated name wins.
    fn new(definitions: impl Iterator<Item = &'a RoleDefinition>) -> Self {
        let mut custom = HashMap::new();
        for definition in definitions {
            custom.entry(definition.name.as_str()).or_insert(definition);
        }
        Self { custom }
    }

    /// A role's own patterns and the roles it inherits, or `None` if there is no such role.
    fn lookup(&self, name: &RoleName) -> Option<(&'a [PermissionPattern], &'a [RoleName])> {
        match name.builtin() {
            Some(builtin) => Some((builtin.patterns(), &[])),
            None => self.custom.get(name.as_str()).map(|d| (&d.permissions[..], &d.inherits[..])),
        }
    }

    /// Whether `from` inherits `target`, directly or transitively. Safe on cycles.
    fn reaches(&self, from: &RoleName, target: &RoleName) -> bool {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from];
        while let Some(name) = stack.pop() {
            let Some((_, parents)) = self.lookup(name) else { continue };
            for parent in parents {
                if parent == target {
                    return true;
                }
                if seen.insert(parent) {
                    stack.push(parent);
                }
            }
        }
        false
    }
}

/// One depth-first resolution from a root role, collecting grants. Each role is expanded once
/// (diamonds stay cheap); `heights` remembers how deep a finished role's inheritance goes.
struct Walk<'r, 'a> {
    roles: &'r Roles<'a>,
    root: &'r RoleName,
    path: Vec<&'r RoleName>,
    heights: HashMap<&'r RoleName, usize>,
    grants: GrantSet,
}

impl<'r, 'a: 'r> Walk<'r, 'a> {
    fn new(roles: &'r Roles<'a>, root: &'r RoleName) -> Self {
        Self { roles, root, path: Vec::new(), heights: HashMap::new(), grants: GrantSet::default() }
    }

    /// Collects `name`'s grants and returns its height (the longest inheritance chain below it).
    /// Recursion is bounded: a path longer than [`MAX_INHERITANCE_DEPTH`] stops the walk.
    fn visit(&mut self, name: &'r RoleName) -> Result<usize, RoleError> {
        let depth = self.path.len();
        if let Some(&height) = self.heights.get(name) {
            return self.check_depth(depth + height).map(|()| height);
        }
        if let Some(start) = self.path.iter().position(|on_path| *on_path == name) {
            let mut cycle: Vec<RoleName> = self.path[start..].iter().map(|n| (*n).clone()).collect();
            cycle.push(name.clone());
            return Err(RoleError::Cycle(cycle));
        }
        self.check_depth(depth)?;
        let (patterns, parents) =
            self.roles.lookup(name).ok_or_else(|| RoleError::UnknownRole(name.clone()))?;
        self.grants.extend(patterns.iter().cloned());
        self.path.push(name);
        let mut height = 0;
        for parent in parents {
            height = height.max(self.visit(parent)? + 1);
        }
        self.path.pop();
        self.heights.insert(name, height);
        Ok(height)
    }

    fn check_depth(&self, depth: usize) -> Result<(), RoleError> {
        if depth > MAX_INHERITANCE_DEPTH { Err(RoleError::TooDeep(self.root.clone())) } else { Ok(()) }
    }
}

#[cfg(test)]
mod tests {
    use pretty_assertions::assert_eq;

    use super::*;

    fn name(raw: &str) -> RoleName {
        RoleName::parse(raw).unwrap()
    }

    fn role(raw: &str, permissions: &[&str], inherits: &[&str]) -> RoleDefinition {
        RoleDefinition {
            name: name(raw),
            permissions: permissions.iter().map(|p| PermissionPattern::parse(p).unwrap()).collect(),
            inherits: inherits.iter().map(|n| name(n)).collect(),
        }
    }

    fn grants(definitions: &[RoleDefinition], raw: &str) -> Vec<String> {
        resolve(definitions, &name(raw)).unwrap().to_sorted_strings()
    }

    fn names(raw: &[&str]) -> Vec<RoleName> {
        raw.iter().map(|n| name(n)).collect()
    }

    /// `r0` ← `r1` ← … ← `r{len-1}`: each inherits the previous one.
    fn chain(len: usize) -> Vec<RoleDefinition> {
        (0..len)
            .map(|i| {
                let parents = if i == 0 { vec![] } else { vec![format!("r{}", i - 1)] };
                let parents: Vec<&str> = parents.iter().map(String::as_str).collect();
                role(&format!("r{i}"), &["flags:read"], &parents)
            })
            .collect()
    }

    #[test]
    fn role_names_parse() {
        for ok in ["ab", "coach-lead", "sales_2", "owner", &"x".repeat(40)] {
            assert_eq!(name(ok).as_str(), ok);
        }
        assert_eq!(RoleName::parse("a"), Err(RoleNameError::TooShort));
        assert_eq!(RoleName::parse(&"xx".repeat(41)), Err(RoleNameError::TooLong));
        assert_eq!(RoleName::parse("Admin"), Err(RoleNameError::InvalidCharacters));
        assert_eq!(RoleName::parse("<b>x</b>"), Err(RoleNameError::InvalidCharacters));
        assert_eq!(RoleName::parse("éditor"), Err(RoleNameError::InvalidCharacters));
        assert_eq!(RoleName::parse("-x"), Err(RoleNameError::EdgePunctuation));
        assert_eq!(RoleName::parse("x_"), Err(RoleNameError::EdgePunctuation));
        assert_eq!(name("editor").builtin(), Some(BuiltinRole::Editor));
        assert_eq!(name("sales").builtin(), None);
    }

    #[test]
    fn builtins_resolve_without_definitions() {
        assert_eq!(grants(&[], "owner"), ["*"]);
        assert_eq!(grants(&[], "editor"), ["links:leads:read", "links:read", "links:write"]);
        assert_eq!(grants(&[], "viewer"), ["links:read"]);
        let admin = resolve(&[], &name("admin")).unwrap();
        assert!(admin.allows(&Permission::MEMBERS_MANAGE));
        assert!(admin.allows(&Permission::ORG_UPDATE));
        assert!(!admin.allows(&Permission::ORG_DELETE));
        assert!(!admin.allows(&Permission::BILLING_READ));
        assert!(!admin.is_superuser());
        // A stored definition squatting a built-in name is ignored.
        assert_eq!(grants(&[role("owner", &["links:read"], &[])], "owner"), ["*"]);
    }

    #[test]
    fn custom_role_inherits_editor_plus_analytics() {
        let defs = [role("analyst", &["analytics:read"], &["editor"])];
        let set = resolve(&defs, &name("analyst")).unwrap();
        assert_eq!(
            set.to_sorted_strings(),
            ["analytics:read", "links:leads:read", "links:read", "links:write"]
        );
        assert!(set.allows(&Permission::ANALYTICS_READ));
        assert!(!set.allows(&Permission::LINKS_LEADS_EXPORT));
        assert_eq!(validate(&[], &defs[0]), Ok(()));
    }

    #[test]
    fn chains_and_diamonds_union_everything_once() {
        let defs = [
            role("aa", &["audit:read"], &["bb"]),
            role("bb", &["flags:read"], &["cc"]),
            role("cc", &[], &["viewer"]),
        ];
        assert_eq!(grants(&defs, "aa"), ["audit:read", "flags:read", "links:read"]);

        let diamond = [
            role("top", &["org:read"], &["left", "right"]),
            role("left", &["audit:read"], &["base"]),
            role("right", &["flags:read"], &["base"]),
            role("base", &["links:read", "links:read"], &[]),
        ];
        assert_eq!(grants(&diamond, "top"), ["audit:read", "flags:read", "links:read", "org:read"]);
        assert_eq!(validate(&diamond, &diamond[0]), Ok(()));
    }

    #[test]
    fn cycles_are_reported_with_their_path() {
        let two = [role("aa", &[], &["bb"]), role("bb", &[], &["aa"])];
        assert_eq!(resolve(&two, &name("aa")), Err(RoleError::Cycle(names(&["aa", "bb", "aa"]))));
        assert_eq!(validate(&two, &two[1]), Err(RoleError::Cycle(names(&["bb", "aa", "bb"]))));
        let own = [role("aa", &[], &["aa"])];
        assert_eq!(resolve(&own, &name("aa")), Err(RoleError::Cycle(names(&["aa", "aa"]))));
        assert_eq!(validate(&[], &own[0]), Err(RoleError::Cycle(names(&["aa", "aa"]))));
        let via = [role("xx", &[], &["aa"]), two[0].clone(), two[1].clone()];
        assert_eq!(resolve(&via, &name("xx")), Err(RoleError::Cycle(names(&["aa", "bb", "aa"]))));
    }

    #[test]
    fn unknown_roles_are_reported() {
        let defs = [role("aa", &[], &["ghost"])];
        assert_eq!(resolve(&defs, &name("aa")), Err(RoleError::UnknownRole(name("ghost"))));
        assert_eq!(validate(&[], &defs[0]), Err(RoleError::UnknownRole(name("ghost"))));
        assert_eq!(resolve(&[], &name("nobody")), Err(RoleError::UnknownRole(name("nobody"))));
    }

    #[test]
    fn depth_nine_is_too_deep() {
        let eight = chain(9); // r8 inherits through 8 levels
        assert!(resolve(&eight, &name("r8")).is_ok());
        assert_eq!(validate(&eight, &eight[8]), Ok(()));
        let nine = chain(10);
        assert_eq!(resolve(&nine, &name("r9")), Err(RoleError::TooDeep(name("r9"))));
        assert_eq!(validate(&nine, &nine[9]), Err(RoleError::TooDeep(name("r9"))));
        // Deepening the bottom of the chain makes the role at the top too deep.
        let mut deeper = chain(9);
        deeper.push(role("r-1", &[], &[]));
        let candidate = role("r0", &["flags:read"], &["r-1"]);
        assert_eq!(validate(&deeper, &candidate), Err(RoleError::TooDeep(name("r8"))));
    }

    #[test]
    fn memoised_roles_still_count_depth() {
        // `top` meets `r7` (7 levels deep) first directly, fine, then again one level lower.
        let mut defs = chain(8);
        defs.push(role("top", &[], &["r7", "via"]));
        defs.push(role("via", &[], &["r7"]));
        assert_eq!(resolve(&defs, &name("top")), Err(RoleError::TooDeep(name("top"))));
        assert!(resolve(&defs, &name("via")).is_ok());
    }

    #[test]
    fn validation_rejects_reserved_names_and_unknown_permissions() {
        assert_eq!(validate(&[], &role("admin", &[], &[])), Err(RoleError::ReservedName(name("admin"))));
        let typo = role("sales", &["lnks:read"], &[]);
        assert_eq!(
            validate(&[], &typo),
            Err(RoleError::UnknownPermission(PermissionPattern::parse("lnks:read").unwrap()))
        );
        assert_eq!(validate(&[], &role("boss", &["*", "links:*", "links:leads:*"], &["owner"])), Ok(()));
    }

    #[test]
    fn star_collapses_and_wildcards_match() {
        let defs = [role("super", &["*", "links:read"], &["editor"])];
        let set = resolve(&defs, &name("super")).unwrap();
        assert!(set.is_superuser());
        assert_eq!(set.to_sorted_strings(), ["*"]);

        let links: GrantSet = [PermissionPattern::parse("links:*").unwrap()].into_iter().collect();
        assert!(links.allows(&Permission::LINKS_LEADS_EXPORT));
        assert!(!links.allows(&Permission::ANALYTICS_READ));
        assert!(!links.is_superuser());
        assert!(GrantSet::default().to_sorted_strings().is_empty());
    }

    #[test]
    fn covers_compares_grant_sets() {
        let admin = resolve(&[], &name("admin")).unwrap();
        let editor = resolve(&[], &name("editor")).unwrap();
        let owner = resolve(&[], &name("owner")).unwrap();
        assert!(admin.covers(&editor));
        assert!(!editor.covers(&admin));
        assert!(owner.covers(&admin));
        assert!(!admin.covers(&owner));
    }

    #[test]
    fn dependants_lists_transitive_heirs() {
        let defs = [
            role("aa", &[], &["bb"]),
            role("bb", &[], &["cc"]),
            role("cc", &[], &[]),
            role("dd", &[], &["viewer"]),
        ];
        assert_eq!(dependants(&defs, &name("cc")), names(&["aa", "bb"]));
        assert_eq!(dependants(&defs, &name("viewer")), names(&["dd"]));
        assert!(dependants(&defs, &name("aa")).is_empty());
    }
}
