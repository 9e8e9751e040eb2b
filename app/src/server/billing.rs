//! What both doors of billing share: where the provider sends the browser back.

use crate::server::Services;

/// The billing screen: where the provider's portal sends the browser back.
#[must_use]
pub fn billing_url(services: &Services) -> String {
    format!("{}/dashboard/billing", services.public_url.trim_end_matches('/'))
}

/// The billing screen with the checkout's outcome in its query (`?checkout=success|canceled`),
/// which the screen turns into a notice.
#[must_use]
pub fn return_urls(services: &Services) -> ::billing::application::CheckoutUrls {
    let base = billing_url(services);
    ::billing::application::CheckoutUrls {
        success_url: format!("{base}?checkout=success"),
        cancel_url: format!("{base}?checkout=canceled"),
    }
}
