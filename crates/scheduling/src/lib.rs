//! Meeting scheduling as pure functions (no I/O, no clock): the server reads calendars
//! and bookings, passes them in with the time, and stores what comes out.
//!
//! - [`Availability`]: an agent's time zone, weekly working hours (several blocks a day)
//!   and date overrides (a day off, extra hours), turned into instants with the IANA
//!   database ([`jiff`]), daylight saving included.
//! - [`slots`]: working hours ∩ free − bookings − buffers, from now + notice to the
//!   horizon, starting on a clean step in the *visitor's* zone, for one host or a team.
//! - [`round_robin::pick`]: which free host gets a booking (strict rotation or equal
//!   distribution) and the reason, kept with the meeting.
//!
//! Times are Unix seconds (`i64`) in [`Interval`]s: what the database stores.

pub mod availability;
pub mod interval;
pub mod round_robin;
pub mod slots;

pub use availability::{Availability, Block, Clock, DateOverride, Day};
pub use interval::Interval;
pub use round_robin::{Candidate, Pick, Skip, Strategy};
pub use slots::{never_offered, slots, Booked, Host, Rules, Slot};
