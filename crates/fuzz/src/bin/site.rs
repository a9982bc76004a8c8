//! AFL++ entry point for [`chinwag_fuzz::site`]: `scripts/fuzz.sh site`.
fn main() {
    afl::fuzz!(|data: &[u8]| chinwag_fuzz::site(data));
}
