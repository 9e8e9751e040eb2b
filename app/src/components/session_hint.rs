//! Whether the visitor has a session, for the public screens that offer "Sign in" or "Go to your
//! dashboard". The server reads it from the request (the session layer already loaded it) and
//! marks `<html data-session>`; the browser reads the mark back, so hydration renders exactly the
//! links the server sent. Signing in or out always loads a new page, so the mark stays true.

/// Whether the visitor is signed in.
#[must_use]
pub fn signed_in() -> bool {
    #[cfg(feature = "ssr")]
    {
        crate::server::auth_session().is_ok_and(|auth| auth.user.is_some())
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        leptos::prelude::document().document_element().is_some_and(|root| root.has_attribute("data-session"))
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    false
}

/// The value of `<html data-session>` (present only for a signed-in visitor).
#[must_use]
pub fn attr() -> Option<&'static str> {
    signed_in().then_some("")
}
