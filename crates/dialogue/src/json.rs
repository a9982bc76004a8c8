//! Reading a dialogue file like a compiler: every problem with its path, parse errors
//! (`stream[0].answers[0].then[0].txt: unknown field ...`) and validation problems alike.
//! One function, used by `chinwag-dialogue validate`, `chinwag dialogue push`, the
//! server's admin API and the fuzz targets.

use crate::validate::{validate, Problem, ValidDialogue};
use crate::Dialogue;

/// Parses and validates one dialogue; `Err` holds every problem found.
pub fn check(json: &str) -> Result<ValidDialogue, Vec<Problem>> {
    let mut de = serde_json::Deserializer::from_str(json);
    let parsed = serde_path_to_error::deserialize::<_, Dialogue>(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." { "(file)".to_owned() } else { path };
        Problem {
            path,
            message: e.into_inner().to_string(),
        }
    });
    let parsed = parsed.and_then(|d| {
        de.end().map(|()| d).map_err(|e| Problem {
            path: "(file)".into(),
            message: e.to_string(),
        })
    });
    match parsed {
        Err(problem) => Err(vec![problem]),
        Ok(dialogue) => validate(dialogue),
    }
}
