// SAFETY: wasm32 without threads: the widget runs on one thread.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };

fn main() {
    #[cfg(feature = "preview")]
    {
        // Readable panics for developers; visitors' bundles skip the bytes.
        console_error_panic_hook::set_once();
        chinwag_widget::preview::run();
    }
    #[cfg(not(feature = "preview"))]
    chinwag_widget::embed::run();
}
