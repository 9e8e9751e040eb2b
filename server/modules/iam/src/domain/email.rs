//! Email addresses: the rule is shared with every context (and the browser), so it lives in
//! `contracts`.

pub use contracts::email::{EmailAddress, EmailError};
