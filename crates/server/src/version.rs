//! What build this is: `chinwag --version` and `/healthz` say it (commit and build date
//! from `build.rs`).

/// `0.1.0 (commit 1a2b3c4d5e6f, built 2026-12-05)`.
pub fn long() -> &'static str {
    concat!(
        env!("CARGO_PKG_VERSION"),
        " (commit ",
        env!("BUILD_COMMIT"),
        ", built ",
        env!("BUILD_DATE"),
        ")"
    )
}
