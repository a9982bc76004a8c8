//! Attachments in the thread (docs/inbox.md, "Attachments"): an image as a thumbnail
//! that opens it, any other file as a download link with its size; and the agent's
//! "Attach a file" button, which uploads the file's bytes to the conversation.

use crate::state::Inbox;
use chinwag_protocol::{File, MAX_FILE};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// A file in a thread line.
pub fn shown(file: File) -> impl IntoView {
    let path = file.path();
    let label = format!("{} ({})", file.name, size(file.size));
    if file.is_image() {
        let thumb = path.clone();
        view! {
            <a class="file image" href=path target="_blank" rel="noopener">
                <img src=thumb alt=file.name.clone() loading="lazy" />
                <span>{label}</span>
            </a>
        }
        .into_any()
    } else {
        view! { <a class="file" href=path download=file.name.clone()>{label}</a> }.into_any()
    }
}

/// A size in words: bytes, KB or MB.
pub fn size(bytes: u64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < 1024 * 1024 => format!("{} KB", b.div_ceil(1024)),
        b => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
    }
}

/// "Attach a file": the chosen file goes to the conversation at once; what happens is
/// said in a status line (sending, or why it was refused).
#[component]
pub fn AttachButton(inbox: Inbox, id: String) -> impl IntoView {
    let status = RwSignal::new(String::new());
    let picked = move |e: leptos::ev::Event| {
        let Some(input) = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        let name = file.name();
        if file.size() as u64 > MAX_FILE {
            status.set(format!(
                "{name} is too big: a file has at most {} MB.",
                MAX_FILE >> 20
            ));
            return;
        }
        status.set(format!("Sending {name}…"));
        // The name (which can be personal) in a header, out of proxies' logs.
        let path = format!("/api/conversations/{id}/files");
        let described = [
            ("chinwag-message-id", crate::socket::random_id()),
            ("chinwag-file-name", js_sys::encode_uri_component(&name).into()),
        ];
        let csrf = inbox.csrf.get_value();
        leptos::task::spawn_local(async move {
            match crate::api::upload(&path, described, file.into(), &csrf).await {
                Ok(()) => status.set(format!("{name} sent.")),
                Err(why) => status.set(format!("{name} was not sent: {why}")),
            }
        });
    };
    view! {
        <div class="attach-row">
            <label class="attach">
                "Attach a file"
                <input type="file" class="sr-only" on:change=picked />
            </label>
            <p class="attach-status" role="status">{move || status.get()}</p>
        </div>
    }
}
