//! The host page's side of the widget: `mount(element, options)` / `unmount(element)` for
//! JavaScript, auto-mounting of `[data-gws-im-widget]` elements, and the DOM events the host hears.

#[cfg(target_arch = "wasm32")]
mod crash;

/// `mount()` option names and the `data-*` attributes they stand for (an option wins over the
/// element's attribute). Objects and arrays are given as JSON, as in the attributes.
pub const OPTIONS: [(&str, &str); 12] = [
    ("apiBase", "data-api-base"),
    ("notificationsUrl", "data-notifications-url"),
    ("locale", "data-locale"),
    ("theme", "data-theme"),
    ("sound", "data-sound"),
    ("waitWarningSeconds", "data-wait-warning-seconds"),
    ("waitUrgentSeconds", "data-wait-urgent-seconds"),
    ("ringRepeatSeconds", "data-ring-repeat-seconds"),
    ("cannedResponses", "data-canned-responses"),
    ("directory", "data-directory"),
    ("storage", "data-storage"),
    ("retentionHours", "data-retention-hours"),
];

/// The attribute a `mount()` option sets, `None` for an option the widget does not know.
pub fn attribute_for(option: &str) -> Option<&'static str> {
    OPTIONS
        .iter()
        .find(|(name, _)| *name == option)
        .map(|(_, attribute)| *attribute)
}

#[cfg(target_arch = "wasm32")]
pub use browser::{mount, mount_all, mounted_hosts, sign_out, transcript, unmount};

#[cfg(target_arch = "wasm32")]
mod browser {
    use std::any::Any;
    use std::cell::RefCell;
    use std::rc::Rc;

    use leptos::prelude::{ReadSignal, WithUntracked};

    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    use crate::config::WidgetConfig;
    use crate::host_events::{Detail, HostEvent};

    /// Marks a host element while a widget lives in it.
    const MOUNTED_ATTRIBUTE: &str = "data-imw-mounted";
    /// Marks a host element whose agent was signed out (`mountAll` leaves it alone; `mount` clears it).
    const SIGNED_OUT_ATTRIBUTE: &str = "data-imw-signed-out";

    /// One mounted widget: its host element, its configuration, the handle whose drop unmounts it,
    /// and what `transcript(element, sessionId)` reads (set once the runtime started).
    struct Mounted {
        host: web_sys::Element,
        config: WidgetConfig,
        handle: Box<dyn Any>,
        reader: Reader,
    }

    /// The widget's model and language, for the host's `transcript` call.
    type Reader = Rc<RefCell<Option<(ReadSignal<crate::state::Model>, crate::i18n::I18n)>>>;

    thread_local! {
        static MOUNTED: RefCell<Vec<Mounted>> = const { RefCell::new(Vec::new()) };
    }

    /// Mounts a widget into every `[data-gws-im-widget]` element not already holding one
    /// (`mountAll()` for a host that added elements after the page loaded).
    #[wasm_bindgen(js_name = mountAll)]
    pub fn mount_all() {
        super::crash::install_panic_hook();
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let Ok(hosts) = document.query_selector_all("[data-gws-im-widget]") else {
            return;
        };
        for index in 0..hosts.length() {
            let Some(host) = hosts
                .item(index)
                .and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
            else {
                continue;
            };
            if !host.has_attribute(MOUNTED_ATTRIBUTE) && !host.has_attribute(SIGNED_OUT_ATTRIBUTE) {
                let config = WidgetConfig::from_attributes(|name| host.get_attribute(name));
                mount_into(host, config);
            }
        }
    }

    /// The host elements that hold a widget now.
    pub fn mounted_hosts() -> Vec<web_sys::Element> {
        // `try_borrow`: this also runs from the panic hook, maybe while the list is being changed.
        MOUNTED.with(|mounted| {
            mounted
                .try_borrow()
                .map(|mounted| mounted.iter().map(|m| m.host.clone()).collect())
                .unwrap_or_default()
        })
    }

    fn mount_into(host: web_sys::HtmlElement, config: WidgetConfig) {
        for warning in &config.warnings {
            web_sys::console::warn_1(&warning.into());
        }
        let element: web_sys::Element = host.clone().into();
        let _ = element.remove_attribute(SIGNED_OUT_ATTRIBUTE);
        host.set_text_content(None);
        let _ = element.set_attribute(MOUNTED_ATTRIBUTE, "");
        let for_app = element.clone();
        let for_view = config.clone();
        let reader: Reader = Rc::default();
        let for_reader = Rc::clone(&reader);
        let handle = leptos::mount::mount_to(host, move || {
            // Inside the mount's owner: the runtime's signals and timers end with the widget.
            let i18n = crate::i18n::I18n::new(for_view.locale.as_deref());
            leptos::prelude::provide_context(i18n);
            let ctx = crate::runtime::start(for_view.clone(), host_shell(&for_app));
            *for_reader.borrow_mut() = Some((ctx.model, i18n));
            leptos::view! { <crate::ui::App ctx=ctx i18n=i18n /> }
        });
        MOUNTED.with(|mounted| {
            mounted.borrow_mut().push(Mounted {
                host: element,
                config,
                handle: Box::new(handle),
                reader,
            })
        });
    }

    /// `mount(element, options)`: starts a widget in `element`, configured by `options` (see
    /// [`super::OPTIONS`]) over the element's `data-*` attributes. A widget already there is
    /// replaced. Throws a `TypeError` for a non-element or non-object argument; unknown options
    /// are reported on the console and ignored.
    #[wasm_bindgen]
    pub fn mount(element: JsValue, options: JsValue) -> Result<(), JsValue> {
        super::crash::install_panic_hook();
        let host = element.dyn_into::<web_sys::HtmlElement>().map_err(|_| {
            js_sys::TypeError::new(
                "gws-im-widget mount(element, options): element must be an HTML element",
            )
        })?;
        let given = read_options(&options)?;
        unmount_element(&host);
        let config = WidgetConfig::from_attributes(|name| {
            given
                .iter()
                .find(|(attribute, _)| *attribute == name)
                .map(|(_, value)| value.clone())
                .or_else(|| host.get_attribute(name))
        });
        mount_into(host, config);
        Ok(())
    }

    /// `unmount(element)`: stops the widget in `element` (its requests, long-poll, timers and
    /// listeners) and empties the element. Returns whether a widget was there.
    #[wasm_bindgen]
    pub fn unmount(element: JsValue) -> bool {
        element
            .dyn_into::<web_sys::Element>()
            .is_ok_and(|host| unmount_element(&host))
    }

    fn unmount_element(host: &web_sys::Element) -> bool {
        take_widget(host).is_some()
    }

    /// Stops the widget in `host` and empties it; its configuration, if one was there.
    fn take_widget(host: &web_sys::Element) -> Option<WidgetConfig> {
        let widget = MOUNTED.with(|mounted| {
            let mut mounted = mounted.borrow_mut();
            let index = mounted.iter().position(|m| &m.host == host)?;
            Some(mounted.remove(index))
        })?;
        // Dropping the handle removes the view and runs every cleanup of the widget.
        drop(widget.handle);
        let _ = host.remove_attribute(MOUNTED_ATTRIBUTE);
        let _ = host.remove_attribute("data-imw-unread");
        host.set_text_content(None);
        Some(widget.config)
    }

    /// `transcript(element, sessionId)`: the session's lines as the widget shows them, oldest first,
    /// for a host that files the IM into its case: `[{ at, time, who, party, text, status, until }]`
    /// (`who`: "agent", "party", "event" or "gap"; `at` and `until` in ms since the epoch; `time`
    /// as the agent reads it; `status` only for the agent's lines the server never confirmed).
    /// `null` when no widget is in `element` or it has no such session; throws a `TypeError` for a
    /// non-element or a session id that is not a string.
    #[wasm_bindgen]
    pub fn transcript(element: JsValue, session: JsValue) -> Result<JsValue, JsValue> {
        let wrong = || {
            js_sys::TypeError::new(
                "gws-im-widget transcript(element, sessionId): element must be an HTML element and sessionId a string",
            )
        };
        let host = element
            .dyn_into::<web_sys::Element>()
            .map_err(|_| wrong())?;
        let session = session.as_string().ok_or_else(wrong)?;
        let reader = MOUNTED.with(|mounted| {
            mounted
                .borrow()
                .iter()
                .find(|m| m.host == host)
                .and_then(|m| *m.reader.borrow())
        });
        let Some((model, i18n)) = reader else {
            return Ok(JsValue::NULL);
        };
        let entries = model
            .try_with_untracked(|m| {
                m.session(&session)
                    .map(|view| crate::i18n::transcript::entries(view, i18n.texts))
            })
            .flatten();
        let Some(entries) = entries else {
            return Ok(JsValue::NULL);
        };
        let array = js_sys::Array::new();
        for entry in entries {
            let object = js_sys::Object::new();
            let set = |key: &str, value: JsValue| {
                let _ = js_sys::Reflect::set(&object, &key.into(), &value);
            };
            let text =
                |value: Option<String>| value.map_or(JsValue::NULL, |v| JsValue::from_str(&v));
            set("at", JsValue::from_f64(entry.at));
            set("time", JsValue::from_str(&i18n.time(entry.at)));
            set("who", JsValue::from_str(entry.who.as_str()));
            set("party", text(entry.party));
            set("text", JsValue::from_str(&entry.text));
            set("status", text(entry.status));
            set(
                "until",
                entry.until.map_or(JsValue::NULL, JsValue::from_f64),
            );
            array.push(&object);
        }
        Ok(array.into())
    }

    /// `signOut(element)`: the host page's logout. Removes everything the widget keeps for any
    /// agent in this browser (both storage areas), tells every other tab of the widget to do the
    /// same, stops the widget and leaves a short "Signed out" notice until `mount` is called again.
    /// Works on an element without a widget too (its stored data still goes). Returns whether a
    /// widget was there; throws a `TypeError` for a non-element.
    #[wasm_bindgen(js_name = signOut)]
    pub fn sign_out(element: JsValue) -> Result<bool, JsValue> {
        super::crash::install_panic_hook();
        let host = element.dyn_into::<web_sys::Element>().map_err(|_| {
            js_sys::TypeError::new(
                "gws-im-widget signOut(element): element must be an HTML element",
            )
        })?;
        let mounted = take_widget(&host);
        let was_mounted = mounted.is_some();
        let config = mounted
            .unwrap_or_else(|| WidgetConfig::from_attributes(|name| host.get_attribute(name)));
        // After the widget stopped: its last save is gone with the rest.
        crate::runtime::storage::clear_everyone();
        crate::net::tabs::broadcast(
            &crate::net::tabs::channel_name(&config.api_base),
            &crate::net::tabs::message::TabMessage::SignOut,
            config.storage != crate::config::StorageMode::None,
        );
        show_signed_out(&host, &config);
        Ok(was_mounted)
    }

    /// Another tab signed the agent out: the widget in `host` ends here too.
    fn sign_out_here(host: &web_sys::Element) {
        let Some(config) = take_widget(host) else {
            return;
        };
        // This tab's sessionStorage is its own: only this tab can empty it.
        crate::runtime::storage::clear_everyone();
        show_signed_out(host, &config);
    }

    fn show_signed_out(host: &web_sys::Element, config: &WidgetConfig) {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let Ok(notice) = document.create_element("p") else {
            return;
        };
        let locale = crate::i18n::page_locale(config.locale.as_deref()).0;
        notice.set_class_name("imw-signed-out");
        let _ = notice.set_attribute("role", "status");
        let _ = notice.set_attribute("lang", locale.tag());
        let _ = notice.set_attribute("dir", locale.dir());
        notice.set_text_content(Some(locale.texts().signed_out_notice));
        host.set_text_content(None);
        let _ = host.append_child(&notice);
        let _ = host.set_attribute(SIGNED_OUT_ATTRIBUTE, "");
    }

    /// The options object as (attribute, value) pairs; strings as given, numbers and booleans in
    /// words, objects and arrays as JSON.
    fn read_options(options: &JsValue) -> Result<Vec<(&'static str, String)>, JsValue> {
        if options.is_undefined() || options.is_null() {
            return Ok(Vec::new());
        }
        if !options.is_object() {
            return Err(js_sys::TypeError::new(
                "gws-im-widget mount(element, options): options must be an object",
            )
            .into());
        }
        let mut given = Vec::new();
        for key in js_sys::Object::keys(options.unchecked_ref::<js_sys::Object>()).iter() {
            let Some(name) = key.as_string() else {
                continue;
            };
            let Some(attribute) = super::attribute_for(&name) else {
                web_sys::console::warn_1(
                    &format!("gws-im-widget: unknown option \"{name}\" ignored").into(),
                );
                continue;
            };
            let value = js_sys::Reflect::get(options, &key).unwrap_or(JsValue::UNDEFINED);
            let text = if let Some(text) = value.as_string() {
                Some(text)
            } else if let Some(flag) = value.as_bool() {
                Some(flag.to_string())
            } else if value.as_f64().is_some() {
                // JavaScript's own spelling of the number, as a data attribute would hold it (and
                // not core's float formatting: 9.5 KB of the first module).
                value
                    .unchecked_ref::<js_sys::Number>()
                    .to_string_with_radix(10)
                    .ok()
                    .map(String::from)
            } else if value.is_object() {
                js_sys::JSON::stringify(&value)
                    .ok()
                    .and_then(|json| json.as_string())
            } else {
                None
            };
            if let Some(text) = text {
                given.push((attribute, text));
            }
        }
        Ok(given)
    }

    /// What the runtime of the widget in `host` may do to the page: emit events on it, and end
    /// the widget when another tab signs the agent out.
    fn host_shell(host: &web_sys::Element) -> crate::runtime::Host {
        let for_events = host.clone();
        let for_sign_out = host.clone();
        crate::runtime::Host {
            element: host.clone(),
            emit: Box::new(move |event| dispatch_host_event(&for_events, event)),
            end_signed_out: std::rc::Rc::new(move || sign_out_here(&for_sign_out)),
        }
    }

    /// Dispatches `event` on the host element as a bubbling, composed `CustomEvent`.
    fn dispatch_host_event(host: &web_sys::Element, event: &HostEvent) {
        if let HostEvent::UnreadChanged { total } = event {
            let _ = host.set_attribute("data-imw-unread", &total.to_string());
        }
        let detail = js_sys::Object::new();
        for (key, value) in event.detail() {
            let value = match value {
                Detail::Text(text) => JsValue::from_str(&text),
                Detail::Number(number) => JsValue::from(number),
                Detail::Null => JsValue::NULL,
            };
            let _ = js_sys::Reflect::set(&detail, &key.into(), &value);
        }
        let init = web_sys::CustomEventInit::new();
        init.set_bubbles(true);
        init.set_composed(true);
        init.set_detail(&detail);
        if let Ok(dom_event) = web_sys::CustomEvent::new_with_event_init_dict(event.name(), &init) {
            let _ = host.dispatch_event(&dom_event);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::WidgetConfig;

    #[test]
    fn every_option_sets_an_attribute_the_config_reads() {
        let samples = [
            ("apiBase", "https://gws.example/api/v2"),
            ("notificationsUrl", "https://gws.example/cometd"),
            ("locale", "de"),
            ("theme", "dark"),
            ("sound", "false"),
            ("waitWarningSeconds", "5"),
            ("waitUrgentSeconds", "500"),
            ("ringRepeatSeconds", "3"),
            ("cannedResponses", r#"["Hi"]"#),
            ("directory", r#"{"3002":"Sam"}"#),
            ("storage", "none"),
            ("retentionHours", "2"),
        ];
        assert_eq!(samples.len(), OPTIONS.len());
        let default = WidgetConfig::from_attributes(|_| None);
        for (option, value) in samples {
            let attribute = attribute_for(option).expect(option);
            let config =
                WidgetConfig::from_attributes(|name| (name == attribute).then(|| value.into()));
            assert_ne!(config, default, "{option} changes nothing");
        }
        assert_eq!(attribute_for("apibase"), None);
    }
}
