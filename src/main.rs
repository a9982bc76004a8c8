fn main() {
    console_error_panic_hook::set_once();
    #[cfg(feature = "preview")]
    chinwag_widget::preview::run();
    #[cfg(not(feature = "preview"))]
    chinwag_widget::embed::run();
}
