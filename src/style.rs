//! Styles a part brings with it (the form's, the live-chat card's, the meeting card's),
//! added to the widget's shadow root (or the page) as a constructed stylesheet, once per
//! root: a `<style>` element would be refused by a page whose CSP has no 'unsafe-inline'.

use js_sys::{Array, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// Adds `css` to the root `el` is in, unless it is there already. The sheet is kept on
/// the root under `marker`: a widget mounted again on the same root (the host page's
/// `unmount` then `mount`) starts from the widget's own sheet alone, and gets it back.
pub fn adopt(el: &web_sys::Element, css: &str, marker: &str) {
    let root: JsValue = el.get_root_node().into();
    let marker = JsValue::from(marker);
    let sheets = Reflect::get(&root, &"adoptedStyleSheets".into())
        .ok()
        .and_then(|s| s.dyn_into::<Array>().ok())
        .unwrap_or_default();
    let kept = Reflect::get(&root, &marker).unwrap_or(JsValue::UNDEFINED);
    if !kept.is_undefined() {
        if !sheets.includes(&kept, 0) {
            sheets.push(&kept);
            let _ = Reflect::set(&root, &"adoptedStyleSheets".into(), &sheets);
        }
        return;
    }
    let Ok(sheet) = web_sys::CssStyleSheet::new() else {
        return;
    };
    if sheet.replace_sync(css).is_err() {
        return;
    }
    sheets.push(&sheet);
    let _ = Reflect::set(&root, &"adoptedStyleSheets".into(), &sheets);
    let _ = Reflect::set(&root, &marker, &sheet);
}
