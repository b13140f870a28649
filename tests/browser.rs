//! Tests that need a real browser API: mounting the widget into a page and fetching over HTTP.
//! Run with `cargo test --target wasm32-unknown-unknown` (headless Chromium via chromedriver).
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Waits up to two seconds for `predicate` to hold on the host element's text.
async fn wait_for_text(host: &web_sys::HtmlElement, predicate: impl Fn(&str) -> bool) -> String {
    let mut text = String::new();
    for _ in 0..40 {
        text = host.inner_text();
        if predicate(&text) {
            break;
        }
        sleep_ms(50).await;
    }
    text
}

#[wasm_bindgen_test]
async fn mounts_into_a_marked_element_and_shows_a_load_error_in_words() {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a browser document");
    let host: web_sys::HtmlElement = document
        .create_element("div")
        .expect("a div")
        .dyn_into()
        .expect("an HTML element");
    host.set_attribute("data-gws-im-widget", "")
        .expect("attribute");
    // The test runner's own server has no GWS API: the list request gets an HTTP 404.
    host.set_attribute("data-api-base", "/no-gws-here/api/v2")
        .expect("attribute");
    document
        .body()
        .expect("a body")
        .append_child(&host)
        .expect("appended");

    gws_im_widget::mount_all();

    let text = wait_for_text(&host, |t| t.contains("Could not load")).await;
    assert!(text.contains("IM sessions"), "heading shown: {text}");
    assert!(
        text.contains("Could not load IM sessions. The server answered with error 404."),
        "error shown in words: {text}"
    );
}
