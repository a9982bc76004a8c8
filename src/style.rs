//! Styles a part brings with it (the meeting card's, the rating's), added to the
//! widget's shadow root (or the page) as a constructed stylesheet, once per root: a
//! `<style>` element would be refused by a page whose CSP has no 'unsafe-inline'.

use js_sys::Reflect;
use wasm_bindgen::{JsCast, JsValue};

/// Adds `css` to the root `el` is in, unless `marker` says it is there already.
pub fn adopt(el: &web_sys::Element, css: &str, marker: &str) {
    let root: JsValue = el.get_root_node().into();
    let marker = marker.into();
    if Reflect::has(&root, &marker).unwrap_or(true) {
        return;
    }
    let Ok(sheet) = web_sys::CssStyleSheet::new() else {
        return;
    };
    if sheet.replace_sync(css).is_err() {
        return;
    }
    let sheets = Reflect::get(&root, &"adoptedStyleSheets".into())
        .ok()
        .and_then(|s| s.dyn_into::<js_sys::Array>().ok())
        .unwrap_or_default();
    sheets.push(&sheet);
    let _ = Reflect::set(&root, &"adoptedStyleSheets".into(), &sheets);
    let _ = Reflect::set(&root, &marker, &true.into());
}
