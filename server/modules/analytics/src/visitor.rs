//! Who counts, and as whom: bot filtering, device classes, referrer hosts, UTM tags, and the
//! visitor hash `SHA-256(daily salt ‖ IP ‖ user agent ‖ page)` — the same person on the same
//! page is one visitor for a day, and nobody can be followed across days or pages.

use std::net::IpAddr;

use sha2::{Digest as _, Sha256};
use uuid::Uuid;

/// User-agent fragments of crawlers, link previewers and automation (lowercase). A request
/// without a user agent is not a browser either.
const BOT_MARKERS: &[&str] = &[
    "bot",
    "crawl",
    "spider",
    "slurp",
    "facebookexternalhit",
    "facebookcatalog",
    "meta-externalagent",
    "whatsapp",
    "telegram",
    "embedly",
    "preview",
    "headlesschrome",
    "lighthouse",
    "pingdom",
    "uptime",
    "monitor",
    "curl/",
    "wget/",
    "python-requests",
    "python-urllib",
    "go-http-client",
    "okhttp",
    "java/",
    "libwww",
    "httpclient",
    "axios/",
    "node-fetch",
    "scrapy",
    "phantomjs",
];

/// Whether the user agent belongs to a bot (not counted).
#[must_use]
pub fn is_bot(user_agent: &str) -> bool {
    let ua = user_agent.trim().to_ascii_lowercase();
    ua.is_empty() || BOT_MARKERS.iter().any(|m| ua.contains(m))
}

/// A device class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Device {
    Mobile,
    Tablet,
    Desktop,
}

impl Device {
    /// Classifies a (browser) user agent.
    #[must_use]
    pub fn of(user_agent: &str) -> Self {
        let ua = user_agent.to_ascii_lowercase();
        if ua.contains("ipad") || ua.contains("tablet") || (ua.contains("android") && !ua.contains("mobile"))
        {
            Self::Tablet
        } else if ua.contains("mobi")
            || ua.contains("iphone")
            || ua.contains("ipod")
            || ua.contains("android")
        {
            Self::Mobile
        } else {
            Self::Desktop
        }
    }

    /// The stored name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Mobile => "mobile",
            Self::Tablet => "tablet",
            Self::Desktop => "desktop",
        }
    }
}

/// The host of an external referrer (`https://l.instagram.com/?u=…` → `l.instagram.com`);
/// `None` for none, for our own site (`own_host`) and for anything that is not an http(s) URL.
#[must_use]
pub fn referrer_host(referrer: &str, own_host: Option<&str>) -> Option<String> {
    let url = url::Url::parse(referrer.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let host = url.host_str()?.trim_start_matches("www.").to_ascii_lowercase();
    if host.is_empty()
        || own_host.is_some_and(|own| own.trim_start_matches("www.").eq_ignore_ascii_case(&host))
    {
        return None;
    }
    Some(truncate(&host, 253))
}

/// `utm_source`, `utm_medium`, `utm_campaign` of the page address the view came from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Utm {
    pub source: Option<String>,
    pub medium: Option<String>,
    pub campaign: Option<String>,
}

impl Utm {
    /// Reads the tags from a page URL (the beacon's `Referer`, which is the profile page).
    #[must_use]
    pub fn from_page_url(page_url: &str) -> Self {
        let Ok(url) = url::Url::parse(page_url) else { return Self::default() };
        let mut utm = Self::default();
        for (key, value) in url.query_pairs() {
            let value = Some(truncate(value.trim(), 100)).filter(|v| !v.is_empty());
            match key.as_ref() {
                "utm_source" => utm.source = value,
                "utm_medium" => utm.medium = value,
                "utm_campaign" => utm.campaign = value,
                _ => {}
            }
        }
        utm
    }
}

fn truncate(text: &str, max_chars: usize) -> String {
    text.chars().filter(|c| !c.is_control()).take(max_chars).collect()
}

/// The visitor hash of one request (16 bytes of SHA-256: plenty to tell a day's visitors apart).
#[must_use]
pub fn visitor_hash(salt: &[u8], ip: IpAddr, user_agent: &str, page: Uuid) -> Vec<u8> {
    let mut hasher = Sha256::new();
    hasher.update(salt);
    hasher.update(ip.to_string().as_bytes());
    hasher.update([0]);
    hasher.update(user_agent.as_bytes());
    hasher.update([0]);
    hasher.update(page.as_bytes());
    hasher.finalize()[..16].to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    const IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
    const IPAD: &str = "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
    const ANDROID_TABLET: &str = "Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36";
    const ANDROID_PHONE: &str = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36";
    const DESKTOP: &str =
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36";

    #[test]
    fn bots_are_not_visitors() {
        for bot in [
            "",
            "Googlebot/2.1 (+http://www.google.com/bot.html)",
            "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
            "WhatsApp/2.23.20.0",
            "TelegramBot (like TwitterBot)",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0 Safari/537.36",
            "curl/8.5.0",
            "python-requests/2.31",
        ] {
            assert!(is_bot(bot), "{bot:?}");
        }
        for person in [IPHONE, IPAD, ANDROID_PHONE, DESKTOP] {
            assert!(!is_bot(person), "{person}");
        }
    }

    #[test]
    fn devices_are_classified() {
        assert_eq!(Device::of(IPHONE), Device::Mobile);
        assert_eq!(Device::of(ANDROID_PHONE), Device::Mobile);
        assert_eq!(Device::of(IPAD), Device::Tablet);
        assert_eq!(Device::of(ANDROID_TABLET), Device::Tablet);
        assert_eq!(Device::of(DESKTOP), Device::Desktop);
    }

    #[test]
    fn referrers_keep_only_the_external_host() {
        assert_eq!(referrer_host("https://l.instagram.com/?u=x", None).as_deref(), Some("l.instagram.com"));
        assert_eq!(referrer_host("https://www.Google.com/search?q=a", None).as_deref(), Some("google.com"));
        assert_eq!(referrer_host("https://mibio.example/ana", Some("mibio.example")), None);
        for nothing in ["", "android-app://com.instagram.android", "javascript:alert(1)", "not a url"] {
            assert_eq!(referrer_host(nothing, None), None, "{nothing:?}");
        }
    }

    #[test]
    fn utm_tags_come_from_the_page_address() {
        let utm = Utm::from_page_url(
            "https://mibio.example/ana?utm_source=ig&utm_medium=bio&utm_campaign=launch%20day&x=1",
        );
        assert_eq!(
            utm,
            Utm {
                source: Some("ig".into()),
                medium: Some("bio".into()),
                campaign: Some("launch day".into())
            }
        );
        assert_eq!(Utm::from_page_url("nope"), Utm::default());
    }

    #[test]
    fn visitor_hashes_depend_on_salt_ip_agent_and_page() {
        let ip: IpAddr = "203.0.113.7".parse().unwrap();
        let page = Uuid::now_v7();
        let a = visitor_hash(b"salt-1", ip, IPHONE, page);
        assert_eq!(a.len(), 16);
        assert_eq!(a, visitor_hash(b"salt-1", ip, IPHONE, page));
        assert_ne!(a, visitor_hash(b"salt-2", ip, IPHONE, page), "a new day is a new visitor");
        assert_ne!(a, visitor_hash(b"salt-1", "203.0.113.8".parse().unwrap(), IPHONE, page));
        assert_ne!(a, visitor_hash(b"salt-1", ip, DESKTOP, page));
        assert_ne!(a, visitor_hash(b"salt-1", ip, IPHONE, Uuid::now_v7()), "pages do not share visitors");
    }
}
