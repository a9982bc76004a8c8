//! What a file is, from its bytes and never its name, and whether we take it: images,
//! PDF, office documents, archives, audio and video of common types, and plain text.
//! Web pages, SVG and XML (they can carry scripts), executables and anything unknown
//! are refused. Pure.

/// Types read from magic bytes (`infer`) that are taken.
const TAKEN: [&str; 18] = [
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "application/pdf",
    "application/zip",
    "application/gzip",
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "audio/mpeg",
    "video/mp4",
    "video/quicktime",
];

/// Markup that a browser could run as a page, looked for at the start of text.
const MARKUP: [&str; 8] = [
    "<!doctype",
    "<html",
    "<svg",
    "<?xml",
    "<script",
    "<body",
    "<head",
    "<iframe",
];

const MARKUP_REFUSED: &str = "web pages, SVG and XML files are not accepted: they can carry scripts";

/// The file's type when it is taken; else why not, in words for the person sending it.
pub fn of(bytes: &[u8]) -> Result<&'static str, &'static str> {
    if bytes.is_empty() {
        return Err("the file is empty");
    }
    if let Some(found) = infer::get(bytes) {
        let mime = found.mime_type();
        if mime.contains("xml") || mime.contains("html") {
            return Err(MARKUP_REFUSED);
        }
        return TAKEN
            .iter()
            .find(|t| **t == mime)
            .copied()
            .ok_or("this type of file is not accepted");
    }
    // No magic number: text, if it is UTF-8 without control bytes, and not markup.
    let text = std::str::from_utf8(bytes).map_err(|_| "this type of file is not accepted")?;
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
    {
        return Err("this type of file is not accepted");
    }
    let start = text.trim_start_matches('\u{feff}').trim_start();
    let head: String = start.chars().take(1024).collect::<String>().to_lowercase();
    if head.starts_with('<') && MARKUP.iter().any(|m| head.contains(m)) {
        return Err(MARKUP_REFUSED);
    }
    Ok("text/plain")
}

/// A name safe to store and to put in a header: the last part of a path, no control
/// characters or quotes, at most 200 characters; `file` when nothing is left.
pub fn clean_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = last
        .chars()
        // Bidirectional controls would show `report\u{202e}fdp.zip` as `reportpiz.pdf`.
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
        .take(200)
        .collect();
    let clean = clean.trim().trim_start_matches('.').trim().to_owned();
    if clean.is_empty() {
        "file".into()
    } else {
        clean
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

    #[test]
    fn the_type_comes_from_the_bytes() {
        assert_eq!(of(PNG), Ok("image/png"));
        assert_eq!(of(b"%PDF-1.7\n1 0 obj"), Ok("application/pdf"));
        assert_eq!(of("Invoice 12 €\nThanks".as_bytes()), Ok("text/plain"));
        // A GIF that is also JavaScript (a polyglot) is a GIF: served as an image, never run.
        assert_eq!(of(b"GIF89a/*\x01\x00*/=alert(1)//"), Ok("image/gif"));
    }

    #[test]
    fn pages_svg_programs_and_unknown_bytes_are_refused() {
        let svg = br#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#;
        assert!(of(svg).unwrap_err().contains("SVG"));
        assert!(
            of(b"  <!DOCTYPE html><html><script>alert(1)</script>").is_err(),
            "HTML named .png"
        );
        assert!(of(b"\xef\xbb\xbf<svg onload=alert(1)>").is_err());
        assert!(of(b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0").is_err());
        assert!(of(b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff").is_err());
        assert!(of(b"\0\x01\x02 binary").is_err());
        assert!(of(b"").is_err());
        // Text that only mentions markup is text.
        assert_eq!(of(b"I pasted <html> by mistake"), Ok("text/plain"));
    }

    #[test]
    fn names_are_made_safe() {
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("C:\\Users\\v\\photo.png"), "photo.png");
        assert_eq!(clean_name("a\"b\r\n.png"), "ab.png");
        assert_eq!(clean_name(".."), "file");
        assert_eq!(
            clean_name("report\u{202e}fdp.zip"),
            "reportfdp.zip",
            "no bidi tricks"
        );
        assert_eq!(clean_name(&"x".repeat(300)).len(), 200);
    }
}
