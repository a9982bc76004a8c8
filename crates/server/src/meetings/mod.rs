//! Meetings booked from the chat (docs/meetings.md): agents' calendars and working
//! hours, slots, atomic booking with round robin, invitations by email, the list.
//! The arithmetic is `chinwag-scheduling`'s; this module reads and writes.

pub mod book;
pub mod calendar;
pub mod email;
pub mod ical;
pub mod manage;
pub mod routes;
pub mod services;
pub mod settings;
pub mod store;
pub mod windows_zones;
pub mod worker;

pub use services::Services;
