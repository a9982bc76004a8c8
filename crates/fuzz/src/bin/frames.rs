//! AFL++ entry point for [`chinwag_fuzz::frames`]: `scripts/fuzz.sh frames`.
fn main() {
    afl::fuzz!(|data: &[u8]| chinwag_fuzz::frames(data));
}
