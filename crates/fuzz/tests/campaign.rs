//! Every fuzz target, without AFL: each input of the corpus and every crash ever found
//! (`crashes/`, kept as regression cases) runs once, then a short random campaign
//! mutates the corpus (a seeded generator, so a failure names the input that caused
//! it). `scripts/fuzz.sh` runs the long, coverage-guided campaigns.

use chinwag_fuzz::mutate::{mutate, Rng};
use std::path::{Path, PathBuf};

type Target = fn(&[u8]);

const TARGETS: [(&str, Target); 3] = [
    ("dialogue", chinwag_fuzz::dialogue),
    ("frames", chinwag_fuzz::frames),
    ("site", chinwag_fuzz::site),
];

fn inputs(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| Some(e.ok()?.path())).collect())
        .unwrap_or_default();
    files.sort();
    files
        .into_iter()
        .filter(|p| p.is_file() && !p.ends_with("README.md"))
        .map(|p| {
            let bytes = std::fs::read(&p).expect("readable input");
            (p, bytes)
        })
        .collect()
}

fn here(part: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(part)
}

#[test]
fn every_corpus_input_and_every_crash_found_so_far_runs_clean() {
    for (name, target) in TARGETS {
        let corpus = inputs(&here("corpus").join(name));
        assert!(!corpus.is_empty(), "the {name} target has a seed corpus");
        for (path, bytes) in corpus.iter().chain(&inputs(&here("crashes").join(name))) {
            let outcome = std::panic::catch_unwind(|| target(bytes));
            assert!(outcome.is_ok(), "{name} panics on {}", path.display());
        }
    }
}

#[test]
fn a_short_random_campaign_finds_no_panic() {
    let runs: usize = std::env::var("FUZZ_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(20_000);
    for (name, target) in TARGETS {
        let corpus = inputs(&here("corpus").join(name));
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ name.len() as u64);
        for run in 0..runs {
            let (_, seed) = &corpus[rng.below(corpus.len())];
            let input = mutate(&mut rng, seed);
            if std::panic::catch_unwind(|| target(&input)).is_err() {
                let kept = std::env::temp_dir().join(format!("chinwag-{name}-crash-{run}"));
                let _ = std::fs::write(&kept, &input);
                panic!("{name} panics on run {run}; input kept at {}", kept.display());
            }
        }
    }
}
