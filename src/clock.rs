//! The widget's clock: the engine takes time as a parameter, and this is where it comes from.

/// Milliseconds since the Unix epoch.
pub fn now() -> u64 {
    js_sys::Date::now() as u64
}
