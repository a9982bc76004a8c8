//! The floor under the widget's start: a Leptos panel that does nothing of ours (a
//! launcher that opens a panel with a header, a log and a button), built with the
//! widget's profile and dependencies. `scripts/floor.sh` measures it beside the
//! real start, to show what Leptos and the standard library cost before any of
//! Chinwag's code (docs/performance.md, "Where the start goes").

use leptos::prelude::*;

#[component]
fn Panel() -> impl IntoView {
    let open = RwSignal::new(false);
    let lines = RwSignal::new(Vec::<String>::new());
    Effect::new(move |_| {
        if open.get() {
            lines.update(|l| l.push("Hello".into()));
        }
    });
    view! {
        <div class="cw" class:cw-is-open=move || open.get()>
            {move || open.get().then(|| view! {
                <section class="cw-panel" role="dialog">
                    <header><h2>"Chat"</h2></header>
                    <div role="log">{move || lines.get().into_iter().map(|l| view! { <p>{l}</p> }).collect_view()}</div>
                    <button on:click=move |_| lines.update(|l| l.push("Yes".into()))>"Yes"</button>
                </section>
            })}
            <button class="cw-launcher" aria-expanded=move || open.get().to_string() on:click=move |_| open.update(|o| *o = !*o)>"Chat"</button>
        </div>
    }
}

// The widget's allocator, as in src/main.rs.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };

fn main() {
    leptos::mount::mount_to_body(Panel);
}
