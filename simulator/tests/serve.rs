//! Serving `dist/` at `/`, with the index.html fallback, and the page shown when it is missing.

mod common;

use std::path::PathBuf;

use axum::http::Method;
use common::{config, send};
use gws_sim::{app, SimConfig, SimState};

fn dist_with_files(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gws-sim-dist-{}-{name}", std::process::id()));
    std::fs::create_dir_all(dir.join("assets")).unwrap();
    std::fs::write(
        dir.join("index.html"),
        "<!doctype html><title>widget</title><div id=app></div>",
    )
    .unwrap();
    std::fs::write(dir.join("assets/app.js"), "console.log('widget')").unwrap();
    dir
}

#[tokio::test]
async fn serves_dist_with_index_fallback() {
    let dist = dist_with_files("served");
    let app = app(SimState::new(SimConfig {
        dist: dist.clone(),
        ..config()
    }));
    let index = send(&app, Method::GET, "/", &[], None).await;
    assert_eq!(index.status, 200);
    assert!(index.text().contains("<title>widget</title>"));
    assert!(index.header("set-cookie").is_some());
    let script = send(&app, Method::GET, "/assets/app.js", &[], None).await;
    assert_eq!(script.status, 200);
    assert!(script
        .header("content-type")
        .unwrap()
        .contains("javascript"));
    assert!(
        script.header("set-cookie").is_none(),
        "only the page logs in"
    );
    let route = send(&app, Method::GET, "/some/client/route", &[], None).await;
    assert_eq!(route.status, 200);
    assert!(route.text().contains("<title>widget</title>"));
    let _ = std::fs::remove_dir_all(dist);
}

#[tokio::test]
async fn without_dist_a_page_says_how_to_build_the_widget() {
    let app = app(SimState::new(config()));
    let page = send(&app, Method::GET, "/", &[], None).await;
    assert_eq!(page.status, 200);
    assert!(page
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    assert!(page.text().contains("trunk build"), "{}", page.text());
    assert!(page.header("set-cookie").is_some());
    assert_eq!(
        send(&app, Method::GET, "/missing.js", &[], None)
            .await
            .status,
        404
    );
}
