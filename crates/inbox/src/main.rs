//! The agent inbox: sign in, see conversations arrive (with a notification, a count in
//! the tab title and a sound that can be muted), read the whole transcript with the
//! visitor's details, reply, transfer and close; the meetings booked in the chat and
//! the agent's working hours and calendar. Talks to the server over HTTP (lists,
//! history, meetings) and the agent socket (live events, actions).

mod api;
mod app;
mod attach;
mod console;
mod conversation;
mod filters;
mod keys;
mod labels;
mod list;
mod load;
mod login;
mod meetings;
mod notify;
mod saved;
mod search;
mod socket;
mod state;
mod states;
mod weekly;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
