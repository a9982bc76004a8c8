//! Who may do what: agents' sign-in and sessions (cookie and CSRF), visitors' signed
//! tokens, identity verification of a site's known visitors, invitations, rate limits,
//! and the secrets kept encrypted at rest.

pub mod auth;
pub mod identity;
pub mod invitation;
pub mod limit;
pub mod routes;
pub mod secrets;
pub mod sign_in;
pub mod token;
