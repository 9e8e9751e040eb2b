//! What the provider tests share: fixed times, signing, requests and the recorded calls.

use billing::domain::provider::{CheckoutRequest, PortalRequest, WebhookRequest};
use chrono::{DateTime, Utc};
use contracts::billing::{BillingInterval, Currency, PlanId};
use hmac::Mac as _;
use http::{HeaderMap, HeaderValue};
use kernel::OrganizationId;
use wiremock::MockServer;

type HmacSha256 = hmac::Hmac<sha2_011::Sha256>;

/// When the test deliveries are signed: 2026-01-01T12:00:00Z.
pub const T: i64 = 1_767_268_800;

pub fn at(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).unwrap()
}

/// HMAC-SHA256 of `message` under `key`.
pub fn hmac(key: &[u8], message: &[u8]) -> Vec<u8> {
    let mut mac = <HmacSha256 as hmac::KeyInit>::new_from_slice(key).unwrap();
    mac.update(message);
    mac.finalize().into_bytes().to_vec()
}

pub fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    let mut h = HeaderMap::new();
    for (k, v) in pairs {
        h.append(*k, HeaderValue::from_str(v).unwrap());
    }
    h
}

pub fn delivery<'a>(headers: &'a HeaderMap, query: Option<&'a str>, body: &'a [u8]) -> WebhookRequest<'a> {
    WebhookRequest { headers, query, body }
}

pub fn org() -> OrganizationId {
    "0193a5c8-7d6e-7f00-8000-00000000abcd".parse().unwrap()
}

pub fn checkout(plan: PlanId, currency: Currency, interval: BillingInterval) -> CheckoutRequest {
    CheckoutRequest {
        organization_id: org(),
        plan,
        currency,
        interval,
        customer_email: Some("owner@example.com".to_owned()),
        provider_customer_id: None,
        success_url: "https://app.mibio.test/billing?checkout=success".to_owned(),
        cancel_url: "https://app.mibio.test/billing?checkout=cancel".to_owned(),
    }
}

pub fn portal(customer: &str) -> PortalRequest {
    PortalRequest {
        organization_id: org(),
        provider_customer_id: customer.to_owned(),
        return_url: "https://app.mibio.test/billing".to_owned(),
    }
}

/// The only request the server received.
pub async fn only_request(server: &MockServer) -> wiremock::Request {
    let mut requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "{requests:?}");
    requests.remove(0)
}

/// A form body's fields, in order.
pub fn form(body: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(body).into_owned().collect()
}

pub fn header<'r>(request: &'r wiremock::Request, name: &str) -> &'r str {
    request.headers.get(name).unwrap_or_else(|| panic!("no {name}")).to_str().unwrap()
}
