//! No page slug can shadow a route of the app: every first path segment the host routes (the
//! Leptos pages and every `.route(...)`/`nest_service(...)` literal in the host's HTTP code) is a
//! reserved slug. New routes are covered automatically: this test reads the router's sources.

use std::path::Path;

use contracts::slug::is_reserved;
use leptos_axum::generate_route_list;

fn first_segment(path: &str) -> Option<&str> {
    let segment = path.trim_start_matches('/').split('/').next()?;
    // Parameters (`{slug}`, `:token`) and the root are not names a slug could take.
    (!segment.is_empty() && !segment.starts_with(['{', ':', '*'])).then_some(segment)
}

fn route_literals(dir: &Path, found: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).expect("the http sources are readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            route_literals(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let source = std::fs::read_to_string(&path).expect("a source file");
            for marker in [".route(\"", "nest_service(\"", ".nest(\""] {
                for (i, _) in source.match_indices(marker) {
                    let rest = &source[i + marker.len()..];
                    let literal = &rest[..rest.find('"').expect("a closing quote")];
                    found.push((literal.to_owned(), path.display().to_string()));
                }
            }
        }
    }
}

// A Tokio runtime: building the route list renders the app once, and that spawns.
#[tokio::test]
async fn every_routed_first_segment_is_a_reserved_slug() {
    let mut routes = Vec::new();
    route_literals(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src/http"), &mut routes);
    assert!(routes.iter().any(|(r, _)| r == "/health"), "the scan found the host's routes: {routes:?}");
    assert!(routes.iter().any(|(r, _)| r == "/{slug}"), "the scan found the public page route");
    let leptos: Vec<String> = generate_route_list(app::App).iter().map(|r| r.path().to_owned()).collect();
    assert!(leptos.iter().any(|p| p.starts_with("/dashboard")), "the Leptos routes are listed: {leptos:?}");

    let mut unreserved = Vec::new();
    for (path, origin) in routes
        .iter()
        .map(|(p, o)| (p.as_str(), o.as_str()))
        .chain(leptos.iter().map(|p| (p.as_str(), "leptos")))
    {
        if let Some(segment) = first_segment(path)
            && !is_reserved(segment)
        {
            unreserved.push(format!("{segment} ({path} in {origin})"));
        }
    }
    assert!(unreserved.is_empty(), "add these to contracts::slug::RESERVED_SLUGS: {unreserved:?}");
}
