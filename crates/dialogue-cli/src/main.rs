//! `chinwag-dialogue validate FILE...` checks dialogue files and prints every problem
//! like a compiler (`file: path: message`), exiting non-zero when any is found, so
//! site owners can run it in their own CI. `chinwag-dialogue schema` prints the
//! JSON Schema that editors use for autocompletion.

use chinwag_dialogue::{Dialogue, Problem};
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(version, about = "Validate Chinwag dialogue files")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check dialogue files (or folders of them) and list every problem.
    Validate {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Print the dialogue JSON Schema.
    Schema,
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Schema => {
            print!("{}", schema());
            ExitCode::SUCCESS
        }
        Command::Validate { files } => {
            let files = expand(&files);
            let mut failed = 0;
            for file in &files {
                let problems = check_file(file);
                for problem in &problems {
                    println!("{}: {problem}", file.display());
                }
                failed += usize::from(!problems.is_empty());
            }
            if failed == 0 {
                eprintln!("{} dialogue file(s) valid", files.len());
                ExitCode::SUCCESS
            } else {
                eprintln!("{failed} of {} dialogue file(s) have problems", files.len());
                ExitCode::FAILURE
            }
        }
    }
}

/// Folders stand for the `.json` files directly inside them.
fn expand(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for path in paths {
        match std::fs::read_dir(path) {
            Ok(entries) => {
                let mut found: Vec<PathBuf> = entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "json"))
                    .collect();
                found.sort();
                files.extend(found);
            }
            Err(_) => files.push(path.clone()),
        }
    }
    files
}

fn check_file(file: &Path) -> Vec<Problem> {
    match std::fs::read_to_string(file) {
        Ok(json) => check_json(&json),
        Err(e) => vec![Problem {
            path: "(file)".into(),
            message: format!("cannot read: {e}"),
        }],
    }
}

/// Parses and validates one dialogue. Parse errors carry the JSON path too.
pub fn check_json(json: &str) -> Vec<Problem> {
    chinwag_dialogue::json::check(json).err().unwrap_or_default()
}

fn schema() -> String {
    let schema = serde_json::to_value(schemars::schema_for!(Dialogue)).expect("a schema always serialises");
    serde_json::to_string_pretty(&sorted(schema)).expect("a schema always serialises") + "\n"
}

/// Keys in alphabetical order whatever serde_json's features: a workspace build with
/// the console turns on `preserve_order`, and the checked-in schema must not depend on
/// which crates were built together.
fn sorted(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            let mut pairs: Vec<(String, Value)> = map.into_iter().collect();
            pairs.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(pairs.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}

#[cfg(test)]
mod tests;
