//! The Content-Security-Policy of every response. Pages rendered by Leptos pass the nonce of
//! their inline hydration script; all other responses get the policy without one.

/// The CSP header value. `nonce` allows exactly the inline scripts that carry it; WASM needs
/// `'wasm-unsafe-eval'`; inline `style` attributes carry theme colours, hence `'unsafe-inline'`
/// for styles only. Framing is refused (`frame-ancestors 'none'`).
#[must_use]
pub fn content_security_policy(nonce: Option<&str>) -> String {
    let script = nonce.map_or_else(
        || "script-src 'self' 'wasm-unsafe-eval'".to_owned(),
        |n| format!("script-src 'self' 'nonce-{n}' 'wasm-unsafe-eval'"),
    );
    // `cargo leptos watch` reloads the page over a websocket on another port.
    let connect = if std::env::var_os("LEPTOS_WATCH").is_some() {
        "connect-src 'self' ws://127.0.0.1:* ws://localhost:*"
    } else {
        "connect-src 'self'"
    };
    format!(
        "default-src 'self'; {script}; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; \
         font-src 'self'; {connect}; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_allows_only_nonced_inline_scripts() {
        let csp = content_security_policy(Some("abc123"));
        assert!(csp.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval'"));
        assert!(!csp.split(';').any(|d| d.trim().starts_with("script-src") && d.contains("unsafe-inline")));
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(!content_security_policy(None).contains("nonce-"));
    }
}
