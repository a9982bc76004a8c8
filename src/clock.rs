//! The widget's clock and dice: the engine takes time as a parameter, and this is where
//! it comes from; and random ids.

/// Milliseconds since the Unix epoch.
pub fn now() -> u64 {
    js_sys::Date::now() as u64
}

/// An id nobody else has: 128 random bits, from `crypto.getRandomValues` (unlike
/// `randomUUID`, there on plain-http pages too).
pub fn random_id() -> String {
    let mut bytes = [0u8; 16];
    get_random_values(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = crypto, js_name = getRandomValues)]
    fn get_random_values(bytes: &mut [u8]);
}
