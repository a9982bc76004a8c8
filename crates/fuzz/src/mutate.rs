//! Mutations for the random campaigns that run without AFL++: `cargo test` here and
//! the widget's browser test (its readers need a browser). Seeded, so a failure repeats.

/// A small xorshift generator: deterministic, so a failing run can be repeated.
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}

/// Bytes and fragments that reach odd corners: multi-byte characters, JSON syntax,
/// numbers at the edges, the tricky URL schemes.
const PIECES: &[&str] = &[
    "€",
    "é",
    "\u{10ffff}",
    "\u{85}",
    "\u{feff}",
    "\"",
    "\\",
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "null",
    "-1",
    "1e999",
    "18446744073709551616",
    "javascript:",
    "https://",
    "mailto:",
    "//",
    "*",
    "\0",
    "{\"type\": \"goto\", \"to\": \"x\"}",
    "stream[0]",
    "\"type\"",
    "\"then\": []",
];

pub fn mutate(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    let mut out = seed.to_vec();
    for _ in 0..=rng.below(4) {
        let at = rng.below(out.len() + 1);
        match rng.below(4) {
            0 if !out.is_empty() => {
                let end = (at + rng.below(16)).min(out.len());
                out.drain(at.min(end)..end);
            }
            1 => {
                let piece = PIECES[rng.below(PIECES.len())].as_bytes();
                out.splice(at..at, piece.iter().copied());
            }
            2 if at < out.len() => out[at] = rng.next_u64() as u8,
            _ => {
                // Copy a run of the input elsewhere: grows nesting and repeats.
                let from = rng.below(out.len() + 1);
                let end = (from + rng.below(64)).min(out.len());
                let run: Vec<u8> = out[from..end].to_vec();
                out.splice(at..at, run);
            }
        }
    }
    out
}
