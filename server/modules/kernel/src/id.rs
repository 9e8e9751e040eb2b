//! Typed ids: every aggregate gets its own UUIDv7 newtype, so a `PageId` can never be passed
//! where a `UserId` is expected. v7 ids sort by creation time, which keeps btree indexes compact
//! and makes ids usable as pagination tie-breakers.

/// Declares a typed id: `define_id!(PageId, "page");` gives `PageId::new()`, `From<Uuid>`,
/// `Display`/`FromStr` (plain UUID text) and serde as a UUID string.
#[macro_export]
macro_rules! define_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            ::serde::Serialize, ::serde::Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(::uuid::Uuid);

        impl $name {
            /// A fresh, time-ordered (v7) id.
            #[must_use]
            pub fn new() -> Self {
                Self(::uuid::Uuid::now_v7())
            }

            /// The underlying UUID.
            #[must_use]
            pub const fn into_uuid(self) -> ::uuid::Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl From<::uuid::Uuid> for $name {
            fn from(id: ::uuid::Uuid) -> Self {
                Self(id)
            }
        }

        impl From<$name> for ::uuid::Uuid {
            fn from(id: $name) -> Self {
                id.0
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.0, f)
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::uuid::Error;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                ::uuid::Uuid::parse_str(s).map(Self)
            }
        }
    };
}

define_id!(
    /// A user's id (iam owns users; every context names them by this id).
    UserId
);

define_id!(
    /// An organization's id (tenancy owns organizations; every organization-scoped record names
    /// its organization by this id).
    OrganizationId
);

#[cfg(test)]
mod tests {
    define_id!(
        /// An id used only by these tests.
        ThingId
    );

    #[test]
    fn ids_are_v7_and_time_ordered() {
        let a = ThingId::new();
        let b = ThingId::new();
        assert_eq!(a.into_uuid().get_version_num(), 7);
        assert!(a < b, "v7 ids created later sort later");
    }

    #[test]
    fn ids_round_trip_as_plain_uuid_text() {
        let id = ThingId::new();
        let text = id.to_string();
        assert_eq!(text.parse::<ThingId>().unwrap(), id);
        assert_eq!(serde_json::to_string(&id).unwrap(), format!("\"{text}\""));
        assert!("not-a-uuid".parse::<ThingId>().is_err());
    }
}
