//! The Leptos shell rendered by the host: the landing page in both languages, the language
//! cookie, the HTML 404, and hashed assets with long-lived cache headers.

use crate::common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use base64::Engine as _;
use common::{get, header, send, state, text};
use pretty_assertions::assert_eq;
use sha2::{Digest as _, Sha256};
use test_db::TestDb;

fn with_language(path: &str, accept_language: &str) -> Request<Body> {
    Request::get(path).header("accept-language", accept_language).body(Body::empty()).unwrap()
}

#[tokio::test]
async fn landing_speaks_the_browsers_language() {
    let db = TestDb::new().await;
    let router = mibio_server::http::router(state(&db));

    let res = send(&router, with_language("/", "en-GB,en;q=0.9,es;q=0.5")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(header(&res, "content-type").unwrap().starts_with("text/html"));
    let csp = header(&res, "content-security-policy").unwrap().to_owned();
    let html = text(res).await;
    assert!(html.starts_with("<!DOCTYPE html><html lang=\"en\""), "{}", &html[..80]);
    assert_eq!(html.matches("<h1").count(), 1);
    assert!(html.contains("One link in your bio that turns visitors into clients"));
    // The inline hydration script is allowed by its hash (the page is rendered once and kept, so
    // a nonce would be the same for everyone), and no inline script without it.
    let script = html
        .split_once("<script type=\"module\"")
        .and_then(|(_, rest)| rest.split_once('>'))
        .and_then(|(_, rest)| rest.split_once("</script>"))
        .map(|(script, _)| script)
        .expect("the inline hydration script");
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script.as_bytes()));
    let script_src = csp.split(';').find(|d| d.trim().starts_with("script-src")).expect("script-src");
    assert!(script_src.contains(&format!("'sha256-{hash}'")), "{csp}");
    assert!(!script_src.contains("'nonce-") && !script_src.contains("'unsafe-inline'"), "{csp}");

    let html = text(send(&router, with_language("/", "es-MX,es;q=0.9")).await).await;
    assert!(html.contains("<html lang=\"es\""));
    assert!(html.contains("Un enlace en tu bio que convierte visitas en clientes"));

    // No header, or only unsupported languages: Spanish.
    assert!(text(get(&router, "/").await).await.contains("<html lang=\"es\""));
    assert!(text(send(&router, with_language("/", "fr-FR,de")).await).await.contains("<html lang=\"es\""));
}

#[tokio::test]
async fn an_explicit_language_choice_is_remembered() {
    let db = TestDb::new().await;
    let router = mibio_server::http::router(state(&db));

    let res = send(&router, with_language("/?lang=en", "es")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let cookie = header(&res, "set-cookie").unwrap().to_owned();
    assert!(cookie.starts_with("mibio_lang=en;"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax") && cookie.contains("Path=/"), "{cookie}");
    assert!(text(res).await.contains("<html lang=\"en\""));

    // The cookie beats Accept-Language on the next visit.
    let req = Request::get("/")
        .header("accept-language", "es")
        .header("cookie", "other=1; mibio_lang=en")
        .body(Body::empty())
        .unwrap();
    assert!(text(send(&router, req).await).await.contains("<html lang=\"en\""));

    // A bogus choice is ignored, not stored.
    let res = send(&router, with_language("/?lang=%3Cscript%3E", "en")).await;
    assert_eq!(header(&res, "set-cookie"), None);
    assert!(text(res).await.contains("<html lang=\"en\""));
}

#[tokio::test]
async fn unknown_pages_get_the_styled_404() {
    let db = TestDb::new().await;
    let router = mibio_server::http::router(state(&db));
    let res = send(&router, with_language("/definitely/not/a/page", "en")).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(header(&res, "content-type").unwrap().starts_with("text/html"));
    let html = text(res).await;
    assert!(
        html.contains("We couldn&#x27;t find this page") || html.contains("We couldn't find this page"),
        "{html}"
    );
    assert!(html.contains("href=\"/\""));
    assert!(html.contains("noindex"));
}

#[tokio::test]
async fn hashed_assets_are_cached_for_a_year() {
    let db = TestDb::new().await;
    let site = std::env::temp_dir().join(format!("mibio-site-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    std::fs::write(site.join("pkg/mibio.AbC123.js"), "export default 1;").unwrap();

    let mut state = state(&db);
    state.make_mut().leptos.site_root = site.to_string_lossy().into_owned().into();
    state.make_mut().leptos.hash_files = true;
    let router = mibio_server::http::router(state.clone());
    let res = get(&router, "/pkg/mibio.AbC123.js").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header(&res, "cache-control"), Some("public, max-age=31536000, immutable"));
    assert_eq!(text(res).await, "export default 1;");
    // A missing asset is not cached.
    let res = get(&router, "/pkg/mibio.gone.js").await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(header(&res, "cache-control"), None);

    // Without hashed names, browsers must revalidate.
    state.make_mut().leptos.hash_files = false;
    let res = get(&mibio_server::http::router(state), "/pkg/mibio.AbC123.js").await;
    assert_eq!(header(&res, "cache-control"), Some("no-cache"));
    std::fs::remove_dir_all(site).unwrap();
}

#[tokio::test]
async fn the_language_switch_stays_on_the_page() {
    let db = TestDb::new().await;
    let router = mibio_server::http::router(state(&db));
    let html = text(send(&router, with_language("/signin", "es")).await).await;
    assert!(html.contains(r#"href="/signin?lang=en""#), "{html}");
    let html = text(send(&router, with_language("/signin?lang=en", "es")).await).await;
    assert!(html.contains("<html lang=\"en\""));
    assert!(html.contains(r#"href="/signin?lang=es""#));
}
