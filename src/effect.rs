//! Every effect of the widget through one copy of Leptos's `Effect`.
//!
//! `Effect::new` compiles its whole task loop again for each closure it is given: 0.5 to
//! 2.7 KB of wasm each (twiggy; docs/performance.md). Here every effect is a boxed
//! closure of one type, so the loop is compiled once, in the start, and the parts call
//! that one.

use leptos::prelude::*;
use leptos::tachys::html::element::ElementType;
use wasm_bindgen::JsCast;

/// Runs `run` now and again after every change of a signal it read, as `Effect::new`
/// does. What an effect remembers between runs, its closure keeps.
pub fn effect(run: impl FnMut() + 'static) {
    boxed(Box::new(run));
}

#[inline(never)]
fn boxed(mut run: Box<dyn FnMut()>) {
    Effect::new(move |_| run());
}

/// Calls `f` with the element once it is in the page, as `NodeRef::on_load` does.
pub fn on_load<E>(node: NodeRef<E>, f: impl FnOnce(E::Output) + 'static)
where
    E: ElementType + 'static,
    E::Output: JsCast + Clone + 'static,
{
    let mut f = Some(f);
    effect(move || {
        if let Some(el) = node.get() {
            if let Some(f) = f.take() {
                untrack(move || f(el));
            }
        }
    });
}
