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
