//! [`ClientIp`]: the address of the client a request comes from, for rate limits.
//!
//! It is the socket peer, unless that peer is one of `TRUSTED_PROXIES`: then `X-Forwarded-For`
//! is walked from the right, past every trusted proxy, and the first address that is not one is
//! the client. Entries left of it were written by the client itself and are never believed.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use ipnet::{IpNet, Ipv6Net};
use kernel::DomainError;

use crate::http::error::ApiFailure;
use crate::state::AppState;

/// The header proxies append the address of their own peer to.
pub const X_FORWARDED_FOR: &str = "x-forwarded-for";

/// The client's address (IPv4-mapped IPv6 addresses are given as IPv4).
///
/// As an extractor it reads the socket peer from axum's `ConnectInfo<SocketAddr>`, which
/// `serve::run` provides (`into_make_service_with_connect_info`); tests provide it with
/// `axum::extract::connect_info::MockConnectInfo` or by inserting a `ConnectInfo` extension into
/// the request. Without either the extractor refuses with a logged `500`: guessing an address
/// (say 127.0.0.1) would silently pool every client into one rate-limit budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClientIp(pub IpAddr);

impl ClientIp {
    /// The key rate limits count this client under: the IPv4 address, or the /64 network of an
    /// IPv6 address (one subscriber commonly holds a whole /64, so single addresses are free).
    #[must_use]
    pub fn rate_limit_key(self) -> String {
        match self.0 {
            IpAddr::V4(v4) => v4.to_string(),
            IpAddr::V6(v6) => {
                Ipv6Net::new(v6, 64).map_or_else(|_| v6.to_string(), |net| net.trunc().to_string())
            }
        }
    }
}

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = ApiFailure;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let ConnectInfo(peer) =
            ConnectInfo::<SocketAddr>::from_request_parts(parts, state).await.map_err(|_| {
                ApiFailure::from(DomainError::Internal(anyhow::anyhow!(
                    "no ConnectInfo<SocketAddr> on the request: serve the router with \
                     into_make_service_with_connect_info (tests: MockConnectInfo)"
                )))
            })?;
        Ok(Self(resolve(peer.ip(), &parts.headers, &state.config.trusted_proxies)))
    }
}

/// The client address of a request from `peer` with `headers`, believing `X-Forwarded-For`
/// only as far as it was written by `trusted` proxies.
///
/// Walks right to left from the peer: while the current hop is trusted, step to the address it
/// says it received the request from. The first untrusted address is the client. A malformed
/// entry ends the walk at the last hop we could verify (we cannot tell who wrote it, so nothing
/// left of it is believed); an exhausted list gives its leftmost (trusted) address.
#[must_use]
pub fn resolve(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    let mut current = peer.to_canonical();
    if !is_trusted(&current) {
        return current;
    }
    // Several X-Forwarded-For lines form one list, in order; a line that is not text is malformed.
    'walk: for line in headers.get_all(X_FORWARDED_FOR).iter().rev() {
        let Ok(line) = line.to_str() else { break };
        for entry in line.rsplit(',') {
            let Some(ip) = parse_entry(entry) else { break 'walk };
            current = ip.to_canonical();
            if !is_trusted(&current) {
                break 'walk;
            }
        }
    }
    current
}

/// One `X-Forwarded-For` entry: an address, possibly with a port (`1.2.3.4:80`, `[::1]:80`).
fn parse_entry(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|addr| addr.ip()))
        .or_else(|| entry.strip_prefix('[')?.strip_suffix(']')?.parse().ok())
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn xff(lines: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for line in lines {
            headers.append(X_FORWARDED_FOR, HeaderValue::from_str(line).unwrap());
        }
        headers
    }

    fn proxies() -> Vec<IpNet> {
        vec!["10.0.0.0/8".parse().unwrap(), "2001:db8:ffff::/48".parse().unwrap()]
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_the_header_says() {
        let headers = xff(&["198.51.100.7"]);
        assert_eq!(resolve(ip("203.0.113.9"), &headers, &proxies()), ip("203.0.113.9"));
        assert_eq!(resolve(ip("203.0.113.9"), &headers, &[]), ip("203.0.113.9"));
    }

    #[test]
    fn a_trusted_peer_hands_over_to_the_first_untrusted_address_from_the_right() {
        // client 198.51.100.7 → proxy 10.0.0.7 → proxy 10.0.0.5 (peer); the client forged the
        // leftmost entry.
        let headers = xff(&["1.1.1.1, 198.51.100.7, 10.0.0.7"]);
        assert_eq!(resolve(ip("10.0.0.5"), &headers, &proxies()), ip("198.51.100.7"));
    }

    #[test]
    fn several_header_lines_form_one_list() {
        let headers = xff(&["1.1.1.1", "198.51.100.7", "10.0.0.7"]);
        assert_eq!(resolve(ip("10.0.0.5"), &headers, &proxies()), ip("198.51.100.7"));
    }

    #[test]
    fn a_trusted_peer_without_the_header_is_the_client() {
        assert_eq!(resolve(ip("10.0.0.5"), &HeaderMap::new(), &proxies()), ip("10.0.0.5"));
    }

    #[test]
    fn an_all_trusted_chain_gives_its_leftmost_address() {
        let headers = xff(&["10.1.1.1, 10.0.0.7"]);
        assert_eq!(resolve(ip("10.0.0.5"), &headers, &proxies()), ip("10.1.1.1"));
    }

    #[test]
    fn a_malformed_entry_stops_the_walk_at_the_last_verified_hop() {
        let headers = xff(&["198.51.100.7, unknown, 10.0.0.7"]);
        assert_eq!(resolve(ip("10.0.0.5"), &headers, &proxies()), ip("10.0.0.7"));
        let headers = xff(&["198.51.100.7, "]);
        assert_eq!(resolve(ip("10.0.0.5"), &headers, &proxies()), ip("10.0.0.5"));
    }

    #[test]
    fn ports_brackets_ipv6_and_mapped_addresses_are_understood() {
        let headers = xff(&["198.51.100.7:5123, [2001:db8:ffff::2]:443"]);
        assert_eq!(resolve(ip("10.0.0.5"), &headers, &proxies()), ip("198.51.100.7"));
        let headers = xff(&["[2001:db8::1]"]);
        assert_eq!(resolve(ip("2001:db8:ffff::9"), &headers, &proxies()), ip("2001:db8::1"));
        // An IPv4 proxy seen through a dual-stack socket is still trusted.
        let headers = xff(&["::ffff:198.51.100.7"]);
        assert_eq!(resolve(ip("::ffff:10.0.0.5"), &headers, &proxies()), ip("198.51.100.7"));
    }

    #[test]
    fn rate_limit_keys_group_ipv6_by_64() {
        assert_eq!(ClientIp(ip("198.51.100.7")).rate_limit_key(), "198.51.100.7");
        assert_eq!(ClientIp(ip("2001:db8:1:2:3:4:5:6")).rate_limit_key(), "2001:db8:1:2::/64");
        assert_eq!(
            ClientIp(ip("2001:db8:1:2::9")).rate_limit_key(),
            ClientIp(ip("2001:db8:1:2:ffff::1")).rate_limit_key()
        );
    }
}
