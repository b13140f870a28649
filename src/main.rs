//! The demo page's entry point: mounts the widget into every `[data-gws-im-widget]` element.

#[cfg(target_arch = "wasm32")]
fn main() {
    gws_im_widget::mount_all();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("gws-im-widget runs in a browser: build it with `trunk build --release`.");
}
