//! Reading a dialogue file like a compiler: every problem with its path, parse errors
//! (`stream[0].answers[0].then[0].txt: unknown field ...`) and validation problems alike.
//! One function, used by `chinwag-dialogue validate`, `chinwag dialogue push`, the
//! server's admin API and the fuzz targets.

use crate::dialogue::FORMAT_VERSION;
use crate::validate::{validate, Problem, ValidDialogue};
use crate::Dialogue;

/// The `version` a file says it is in, if it says one and is JSON at all.
fn declared_version(json: &str) -> Option<u32> {
    #[derive(serde::Deserialize)]
    struct Version {
        version: Option<u32>,
    }
    serde_json::from_str::<Version>(json).ok()?.version
}

/// Parses and validates one dialogue; `Err` holds every problem found.
pub fn check(json: &str) -> Result<ValidDialogue, Vec<Problem>> {
    // A newer format would fail on its first new field: say what is wrong instead.
    if let Some(version) = declared_version(json).filter(|v| *v > FORMAT_VERSION) {
        return Err(vec![Problem {
            path: "version".into(),
            message: format!(
                "format version {version} is newer than this Chinwag reads (version {FORMAT_VERSION}): upgrade Chinwag"
            ),
        }]);
    }
    // Migrations from older versions go here, in order, on the JSON value, each
    // raising `version` by one (none yet: version 1 is the first).
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

/// A dialogue as a file: the format's own key order (the order of the model's fields),
/// two-space indentation and a final newline, so exports diff small in git and the
/// same dialogue always gives the same text.
pub fn to_file(dialogue: &Dialogue) -> String {
    serde_json::to_string_pretty(dialogue).unwrap_or_default() + "\n"
}
