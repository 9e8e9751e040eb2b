//! The payment providers' adapters against a local server speaking each provider's wire format
//! (wiremock): the calls they make (method, path, credentials, fields) and what they answer, and
//! the webhooks they accept, from realistic bodies signed here with `hmac` as each provider signs
//! them (not with the crate's own code).

#[path = "providers/mercadopago.rs"]
mod mercadopago;
#[path = "providers/polar.rs"]
mod polar;
#[path = "providers/stripe.rs"]
mod stripe;
#[path = "providers/support.rs"]
mod support;
