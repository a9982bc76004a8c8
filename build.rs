//! For the preview build, embeds every dialogue of `www/dialogues/` and every invalid
//! fixture of `www/fixtures/invalid/`, so the preview lists them without a server and
//! editing one rebuilds (and reloads) the preview under `trunk serve`.

use std::fmt::Write;
use std::path::Path;

fn main() {
    minify_css();
    // wasm-split reads the linker's relocations to cut the module into parts.
    if std::env::var_os("CARGO_FEATURE_SPLIT").is_some() {
        println!("cargo:rustc-link-arg-bins=--emit-relocs");
    }
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("dialogues.rs");
    let preview = std::env::var_os("CARGO_FEATURE_PREVIEW").is_some();
    let mut code = String::new();
    for (name, dir) in [("EXAMPLES", "www/dialogues"), ("INVALID", "www/fixtures/invalid")] {
        writeln!(code, "pub const {name}: &[(&str, &str)] = &[").unwrap();
        if preview {
            println!("cargo:rerun-if-changed={dir}");
            let mut files: Vec<_> = std::fs::read_dir(dir)
                .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
                .unwrap_or_default();
            files.retain(|p| p.extension().is_some_and(|x| x == "json"));
            files.sort();
            for file in files {
                let stem = file.file_stem().unwrap().to_string_lossy();
                let abs = std::fs::canonicalize(&file).unwrap();
                writeln!(
                    code,
                    "    ({stem:?}, include_str!({:?})),",
                    abs.display().to_string()
                )
                .unwrap();
            }
        }
        writeln!(code, "];").unwrap();
    }
    // The demo site's appearance, which the preview applies (`www/appearance.json`).
    if preview {
        println!("cargo:rerun-if-changed=www/appearance.json");
        let abs = std::fs::canonicalize("www/appearance.json").unwrap();
        writeln!(
            code,
            "pub const APPEARANCE: &str = include_str!({:?});",
            abs.display().to_string()
        )
        .unwrap();
    }
    std::fs::write(out, code).unwrap();
    println!("cargo:rerun-if-changed=build.rs");
}

/// The widget's CSS ships inside the wasm: drop comments and layout whitespace first.
/// The launcher's rules come first: they are shared with the loader (chinwag-site).
fn minify_css() {
    minify(
        &["crates/site/src/launcher.css", "src/widget.css"],
        "widget.min.css",
    );
    // The meeting card's own rules, in its part.
    minify(&["src/meeting/meeting.css"], "meeting.min.css");
    // The live-chat card's and its rating's, in the live-chat part; the form's, in the
    // info-capture part.
    minify(&["src/cards/live_chat.css"], "live_chat.min.css");
    minify(&["src/cards/info_capture.css"], "info_capture.min.css");
}

fn minify(files: &[&str], name: &str) {
    let mut css = String::new();
    for file in files {
        println!("cargo:rerun-if-changed={file}");
        css += &std::fs::read_to_string(file).unwrap();
    }
    let mut out = String::with_capacity(css.len());
    let mut rest = css.as_str();
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        rest = rest[start..]
            .find("*/")
            .map_or("", |end| &rest[start + end + 2..]);
    }
    out.push_str(rest);
    let words: Vec<&str> = out.split_whitespace().collect();
    let mut min = words.join(" ");
    for token in ["{", "}", ";", ",", ">"] {
        min = min
            .replace(&format!(" {token}"), token)
            .replace(&format!("{token} "), token);
    }
    // Only after a colon: a space before one is a descendant selector (`.cw :focus`).
    min = min.replace(": ", ":");
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join(name);
    std::fs::write(out, min).unwrap();
}
