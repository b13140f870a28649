//! The demo page's entry point: mounts the widget into every `[data-gws-im-widget]` element.

#[cfg(target_arch = "wasm32")]
fn main() {
    #[cfg(feature = "alloc-stats")]
    alloc_stats::install();
    gws_im_widget::mount_all();
}

/// Diagnostics: the allocator's live allocations by size, as `window.__imwAlloc()` (JSON).
#[cfg(all(target_arch = "wasm32", feature = "alloc-stats"))]
mod alloc_stats {
    use std::alloc::{GlobalAlloc, Layout, System};
    use std::sync::atomic::{AtomicIsize, Ordering::Relaxed};

    const SIZES: usize = 4097;
    static COUNTS: [AtomicIsize; SIZES] = [const { AtomicIsize::new(0) }; SIZES];
    static BYTES: AtomicIsize = AtomicIsize::new(0);
    static LIVE: AtomicIsize = AtomicIsize::new(0);

    fn note(size: usize, by: isize) {
        COUNTS[size.min(SIZES - 1)].fetch_add(by, Relaxed);
        BYTES.fetch_add(by * size as isize, Relaxed);
        LIVE.fetch_add(by, Relaxed);
    }

    struct Counting;

    unsafe impl GlobalAlloc for Counting {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            let p = unsafe { System.alloc(layout) };
            if !p.is_null() {
                note(layout.size(), 1);
            }
            p
        }
        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            unsafe { System.dealloc(ptr, layout) };
            note(layout.size(), -1);
        }
        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            let p = unsafe { System.realloc(ptr, layout, new_size) };
            if !p.is_null() {
                note(layout.size(), -1);
                note(new_size, 1);
            }
            p
        }
    }

    #[global_allocator]
    static ALLOCATOR: Counting = Counting;

    fn report() -> String {
        let sizes: Vec<String> = COUNTS
            .iter()
            .enumerate()
            .filter(|(_, n)| n.load(Relaxed) != 0)
            .map(|(size, n)| format!("\"{size}\":{}", n.load(Relaxed)))
            .collect();
        format!(
            "{{\"bytes\":{},\"live\":{},\"sizes\":{{{}}}}}",
            BYTES.load(Relaxed),
            LIVE.load(Relaxed),
            sizes.join(",")
        )
    }

    pub fn install() {
        use wasm_bindgen::prelude::*;
        let f = Closure::<dyn Fn() -> String>::new(report);
        if let Some(window) = web_sys::window() {
            let _ = js_sys::Reflect::set(&window, &"__imwAlloc".into(), f.as_ref());
        }
        f.forget();
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("gws-im-widget runs in a browser: build it with `trunk build --release`.");
}
