//! Telling apps' built-in browsers from real ones, for the "open in your browser" hint.

/// Whether a `User-Agent` is an app's built-in browser (Instagram, Facebook, TikTok, LINE,
/// Snapchat, LinkedIn, X/Twitter, Pinterest), where checkout and booking pages often fail.
#[must_use]
pub fn is_in_app_browser(user_agent: &str) -> bool {
    const MARKERS: [&str; 13] = [
        "Instagram",
        "FBAN/",
        "FBAV/",
        "FB_IAB",
        "musical_ly",
        "BytedanceWebview",
        "TikTok",
        " Line/",
        "Snapchat",
        "LinkedInApp",
        "Twitter",
        "Pinterest",
        "FBIOS",
    ];
    MARKERS.iter().any(|marker| user_agent.contains(marker))
}

#[cfg(test)]
mod tests {
    use super::is_in_app_browser;

    #[test]
    fn detects_in_app_browsers() {
        let in_app = [
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 330.0.0.25.87 (iPhone14,5; iOS 17_4; es_ES; es; scale=3.00; 1170x2532; 584812562)",
            "Mozilla/5.0 (Linux; Android 14; SM-S911B Build/UP1A.231005.007; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/124.0.6367.82 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/462.0.0.41.83;]",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBDV/iPhone13,2;FBMD/iPhone;FBSN/iOS;FBSV/16.6;FBSS/3;FBCR/;FBID/phone;FBLC/es_LA;FBOP/5]",
            "Mozilla/5.0 (Linux; Android 13; Pixel 7 Build/TQ3A.230805.001; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 trill_330304 BytedanceWebview/d8a21c6 musical_ly_2023303040 JsSdk/1.0",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 TikTok 32.5.0",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Safari Line/13.20.0",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Snapchat/12.60.0.43 (like Safari/8617.1.17.10.9, panda)",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [LinkedInApp]/9.29.5610",
            "Mozilla/5.0 (Linux; Android 12; moto g(60)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36 TwitterAndroid",
        ];
        for ua in in_app {
            assert!(is_in_app_browser(ua), "{ua}");
        }
        let browsers = [
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
            "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0",
            "",
        ];
        for ua in browsers {
            assert!(!is_in_app_browser(ua), "{ua}");
        }
    }
}
