//! AFL++ entry point for [`chinwag_fuzz::dialogue`]: `scripts/fuzz.sh dialogue`.
fn main() {
    afl::fuzz!(|data: &[u8]| chinwag_fuzz::dialogue(data));
}
