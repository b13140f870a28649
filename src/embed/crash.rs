//! The crash notice: a panicked wasm instance is dead, so every mounted widget is replaced by a
//! plain notice in its language.

/// Logs a panic to the console and, since a panicked wasm instance is dead, replaces every mounted
/// widget with a plain notice (and marks it `data-imw-crashed` for tests and host pages).
pub(crate) fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            console_error_panic_hook::hook(info);
            show_crash_notice();
        }));
    });
}

fn show_crash_notice() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    for host in super::mounted_hosts() {
        let Ok(notice) = document.create_element("p") else {
            continue;
        };
        notice.set_class_name("imw-crashed");
        let _ = notice.set_attribute("role", "alert");
        let configured = host.get_attribute("data-locale");
        let locale = crate::i18n::page_locale(configured.as_deref()).0;
        let _ = notice.set_attribute("lang", locale.tag());
        let _ = notice.set_attribute("dir", locale.dir());
        notice.set_text_content(Some(locale.texts().crashed));
        host.set_text_content(None);
        let _ = host.append_child(&notice);
        let _ = host.set_attribute("data-imw-crashed", "");
    }
}
