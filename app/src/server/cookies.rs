//! The cookies both doors (REST handlers and server functions) read and write, in one place:
//! the active organization, the interface language and sign-up's browser proof.

use contracts::Locale;

/// The active-organization cookie.
pub const ORG_COOKIE: &str = "mibio_org";

/// The cookie of the browser that signed up (see [`crate::server::signup`]).
pub const SIGNUP_COOKIE: &str = "mibio_signup";

/// A cookie's value from request headers (`None` when absent; `a=1; b=2` lists are split).
#[must_use]
pub fn read<'a>(headers: &'a http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|h| h.to_str().ok())
        .flat_map(|h| h.split(';'))
        .find_map(|c| c.trim().strip_prefix(name)?.strip_prefix('='))
}

/// The `Set-Cookie` value making `organization` active (`None` clears it): a year, `HttpOnly`,
/// `SameSite=Lax`, `Secure` on https.
#[must_use]
pub fn org_cookie(organization: Option<tenancy::OrganizationId>, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    match organization {
        Some(id) => format!("{ORG_COOKIE}={id}; Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000{secure}"),
        None => format!("{ORG_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
    }
}

/// The `Set-Cookie` value remembering an explicit language choice for a year.
#[must_use]
pub fn locale_cookie(locale: Locale) -> String {
    format!("{}={}; Path=/; Max-Age=31536000; SameSite=Lax", crate::i18n::LOCALE_COOKIE, locale.tag())
}

/// The `Set-Cookie` value keeping sign-up's browser proof for as long as the mailed link works
/// (24 hours; `None` clears it): `HttpOnly`, `SameSite=Lax`, `Secure` on https.
#[must_use]
pub fn signup_cookie(proof: Option<&str>, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    match proof {
        Some(proof) => {
            format!("{SIGNUP_COOKIE}={proof}; Path=/; HttpOnly; SameSite=Lax; Max-Age=86400{secure}")
        }
        None => format!("{SIGNUP_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_one_cookie_among_others() {
        let mut headers = http::HeaderMap::new();
        headers.append(
            http::header::COOKIE,
            http::HeaderValue::from_static("a=1; mibio_org=abc; mibio_org_x=2"),
        );
        assert_eq!(read(&headers, "mibio_org"), Some("abc"));
        assert_eq!(read(&headers, "a"), Some("1"));
        assert_eq!(read(&headers, "missing"), None);
    }

    #[test]
    fn cookie_attributes() {
        let id = tenancy::OrganizationId::from(uuid::Uuid::nil());
        assert_eq!(
            org_cookie(Some(id), true),
            format!("mibio_org={id}; Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000; Secure")
        );
        assert!(org_cookie(None, false).contains("Max-Age=0"));
        assert_eq!(locale_cookie(Locale::En), "mibio_lang=en; Path=/; Max-Age=31536000; SameSite=Lax");
        assert_eq!(
            signup_cookie(Some("ab12"), false),
            "mibio_signup=ab12; Path=/; HttpOnly; SameSite=Lax; Max-Age=86400"
        );
        assert!(signup_cookie(None, true).ends_with("Max-Age=0; Secure"));
    }
}
