//! What is new in a visitor's email answer: its text without the quoted earlier mail,
//! the signature or the phone's "Sent from" line (docs/inbox.md, "Answers by email").
//! Pure: a parsed mail in, text out.

use mailparse::{DispositionType, MailHeaderMap, ParsedMail};

/// The mail's own text: every plain-text part that is not an attachment, in order
/// (Apple Mail puts text, an image, then more text), else the first HTML part as text;
/// then [`new_lines`].
pub fn text(mail: &ParsedMail) -> String {
    let mut plain = Vec::new();
    parts(mail, "text/plain", &mut plain);
    let mut body: Vec<String> = plain.iter().filter_map(|p| p.get_body().ok()).collect();
    if body.is_empty() {
        let mut html = Vec::new();
        parts(mail, "text/html", &mut html);
        body.extend(
            html.first()
                .and_then(|p| p.get_body().ok())
                .map(|h| html_text(&h)),
        );
    }
    new_lines(&body.join("\n"))
}

/// The leaf parts of type `mime` that are not attachments, in order.
fn parts<'a>(mail: &'a ParsedMail<'a>, mime: &str, out: &mut Vec<&'a ParsedMail<'a>>) {
    if mail.subparts.is_empty() {
        let attached = mail.get_content_disposition().disposition == DispositionType::Attachment;
        if mail.ctype.mimetype.eq_ignore_ascii_case(mime) && !attached {
            out.push(mail);
        }
        return;
    }
    // Of alternatives, the plain one is enough: its HTML twin says the same.
    for p in &mail.subparts {
        parts(p, mime, out);
        if mail.ctype.mimetype.eq_ignore_ascii_case("multipart/alternative") && !out.is_empty() {
            return;
        }
    }
}

/// The files a mail carries, with their names: parts marked as attachments, and inline
/// parts that are not its text (a pasted picture), except the pictures of the
/// signature and of the quoted mail ([`quoted_or_signed`]).
pub fn attachments(mail: &ParsedMail) -> Vec<(String, Vec<u8>)> {
    let mut html = Vec::new();
    parts(mail, "text/html", &mut html);
    let html = html.first().and_then(|p| p.get_body().ok()).unwrap_or_default();
    let mut out = Vec::new();
    collect_files(mail, &html, &mut out);
    out
}

fn collect_files(mail: &ParsedMail, html: &str, out: &mut Vec<(String, Vec<u8>)>) {
    if !mail.subparts.is_empty() {
        for p in &mail.subparts {
            collect_files(p, html, out);
        }
        return;
    }
    let disposition = mail.get_content_disposition();
    let mime = mail.ctype.mimetype.to_ascii_lowercase();
    let text = mime == "text/plain" || mime == "text/html";
    if disposition.disposition != DispositionType::Attachment && (text || mime.starts_with("multipart/")) {
        return;
    }
    let id = mail.headers.get_first_value("Content-ID");
    let id = id
        .as_deref()
        .map(|i| i.trim().trim_start_matches('<').trim_end_matches('>'));
    if disposition.disposition != DispositionType::Attachment
        && id.is_some_and(|id| quoted_or_signed(html, id))
    {
        return;
    }
    let name = disposition
        .params
        .get("filename")
        .or_else(|| mail.ctype.params.get("name"))
        .cloned()
        .unwrap_or_else(|| "attachment".into());
    if let Ok(bytes) = mail.get_body_raw() {
        out.push((name, bytes));
    }
}

/// Where mail programs mark, in their HTML, the signature or the quoted mail: what
/// comes after the first of these is not the visitor's new content.
const NOT_NEW: [&str; 10] = [
    "gmail_signature",
    "gmail_quote",
    "id=\"signature\"",
    "_mailautosig",
    "divrplyfwdmsg",
    "appendonsend",
    "moz-signature",
    "moz-cite-prefix",
    "yahoo_quoted",
    "<blockquote",
];

/// Whether the HTML shows the inline picture `id` (`cid:` in RFC 2392) only in its
/// signature or quote: a logo in every answer (Outlook's `image001.png`) or the
/// earlier mail's pictures, which would otherwise join the chat as files each time. A
/// picture pasted into the answer itself, or shown nowhere, is kept.
fn quoted_or_signed(html: &str, id: &str) -> bool {
    let lower = html.to_ascii_lowercase();
    let cut = NOT_NEW.iter().filter_map(|m| lower.find(m)).min();
    let reference = format!("cid:{}", id.to_ascii_lowercase());
    match (cut, lower.find(&reference)) {
        (Some(cut), Some(first)) => first > cut,
        _ => false,
    }
}

/// The Message-ID, for telling a mail delivered twice from two mails.
pub fn message_id(mail: &ParsedMail) -> Option<String> {
    mail.headers
        .get_first_value("Message-ID")
        .map(|v| v.trim().to_owned())
}

/// Ends of the line that opens a quote, in the languages mail programs write it.
const WROTE: [&str; 7] = [
    "wrote:",
    "a écrit :",
    "a écrit:",
    "schrieb:",
    "escribió:",
    "ha scritto:",
    "schreef:",
];

/// The visitor's own lines: `>` lines left out, and the line that opens a quote ("On …
/// wrote:", one line or wrapped over two) when a `>` line follows it; everything from
/// Outlook's separator or a signature (`-- `) on; "Sent from my …" lines. An answer
/// written between quoted lines (inline, or below the quote) keeps every line of its own.
pub fn new_lines(body: &str) -> String {
    let lines: Vec<&str> = body.lines().map(|l| l.trim_end_matches('\r')).collect();
    // Whether the first line with text after `i` is quoted.
    let quote_follows = |i: usize| {
        lines[i + 1..]
            .iter()
            .map(|l| l.trim())
            .find(|l| !l.is_empty())
            .is_some_and(|l| l.starts_with('>'))
    };
    let wrote = |l: &str| WROTE.iter().any(|w| l.ends_with(w));
    let mut kept: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let (line, trimmed) = (lines[i], lines[i].trim());
        let next = lines.get(i + 1).map_or("", |l| l.trim());
        // Outlook puts the whole earlier mail below a separator, unquoted.
        let outlook = trimmed.starts_with("-----Original Message-----")
            || (trimmed.starts_with("From:") && ["Sent:", "Date:"].iter().any(|h| next.starts_with(h)))
            || (trimmed.len() >= 20 && trimmed.chars().all(|c| c == '_'));
        if outlook || line == "-- " {
            break;
        }
        // A line of the visitor's own may end with "wrote:": an opening line also starts
        // as mail programs write it or names an address, and a quote follows it.
        let opens =
            wrote(trimmed) && (starts_quote_line(trimmed) || trimmed.contains('@')) && quote_follows(i);
        let opens_wrapped = starts_quote_line(trimmed) && wrote(next) && quote_follows(i + 1);
        let phone = trimmed.starts_with("Sent from my ") || trimmed.starts_with("Get Outlook for ");
        if opens_wrapped {
            i += 2;
            continue;
        }
        if !(opens || phone || trimmed.starts_with('>')) {
            kept.push(line);
        }
        i += 1;
    }
    let mut text = String::new();
    let mut blank = 0;
    for line in kept {
        if line.trim().is_empty() {
            blank += 1;
            continue;
        }
        if !text.is_empty() {
            text.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        text.push_str(line.trim_end());
    }
    text
}

fn starts_quote_line(line: &str) -> bool {
    ["On ", "Le ", "Am ", "El ", "Il ", "Op "]
        .iter()
        .any(|p| line.starts_with(p))
}

/// HTML as lines of text: quoted parts (`blockquote`), styles and scripts dropped, tags
/// removed, the common entities decoded. Never rendered: the result is text.
fn html_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    let mut skip: Option<&str> = None;
    while let Some(open) = rest.find('<') {
        if skip.is_none() {
            out.push_str(&entities(&rest[..open]));
        }
        let Some(close) = rest[open..].find('>') else {
            break;
        };
        let tag = rest[open + 1..open + close].trim().to_ascii_lowercase();
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        rest = &rest[open + close + 1..];
        match skip {
            Some(until) if tag.starts_with('/') && name == until => skip = None,
            Some(_) => {}
            None if ["blockquote", "style", "script", "head"].contains(&name.as_str())
                && !tag.starts_with('/') =>
            {
                skip = Some(
                    ["blockquote", "style", "script", "head"]
                        .into_iter()
                        .find(|n| *n == name)
                        .unwrap_or("head"),
                );
            }
            None if ["br", "p", "div", "li", "tr"].contains(&name.as_str()) => out.push('\n'),
            None => {}
        }
    }
    if skip.is_none() {
        out.push_str(&entities(rest));
    }
    out
}

fn entities(text: &str) -> String {
    text.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gmail_apple_and_outlook_quotes_and_signatures_are_left_out() {
        let gmail = "Yes, Tuesday works.\r\n\r\nThanks!\r\n\r\nOn Sat, Dec 5, 2026 at 10:02 AM Ben <reply-x@r.test> wrote:\r\n> Could you do Tuesday?\r\n";
        assert_eq!(new_lines(gmail), "Yes, Tuesday works.\n\nThanks!");
        let wrapped = "Sure\nOn Sat, Dec 5, 2026 at 10:02 AM Demo shop <\nreply-x@r.test> wrote:\n> old\n";
        assert_eq!(new_lines(wrapped), "Sure");
        let outlook =
            "Fine by me\r\n\r\n________________________________\r\nFrom: Demo shop\r\nSent: Saturday\r\n";
        assert_eq!(new_lines(outlook), "Fine by me");
        let french = "D'accord\n\nLe sam. 5 déc. 2026 à 10:02, Ben <r@r.test> a écrit :\n> old";
        assert_eq!(new_lines(french), "D'accord");
        let signed = "See you\n-- \nVera Visitor\nACME";
        assert_eq!(new_lines(signed), "See you");
        let phone = "Ok\n\nSent from my iPhone";
        assert_eq!(new_lines(phone), "Ok");
        // Answers between quoted lines, and below the quote, keep every line of their own.
        let inline = "On Sat, Dec 5, 2026 at 10:02 AM Ben <r@r.test> wrote:\n> Could you do Tuesday?\nYes, Tuesday\n> And 3pm?\nFine";
        assert_eq!(new_lines(inline), "Yes, Tuesday\nFine");
        // The visitor's own sentences that end like an opening line, with no quote after.
        let own = "On the form, your colleague wrote:\nthat I get a discount\nI asked bob@acme.com and he wrote:\nyes";
        assert_eq!(new_lines(own), own);
        // A line of the visitor's own that mentions writing stays.
        assert_eq!(
            new_lines("Here is what I wrote:\nhello"),
            "Here is what I wrote:\nhello"
        );
    }

    #[test]
    fn files_are_the_attached_and_pasted_parts_not_the_text() {
        let raw = b"From: v@shop.test\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nSee the photo\r\n--b\r\nContent-Type: image/png; name=shot.png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=quote.pdf\r\n\r\n%PDF-1.7\r\n--b--\r\n";
        let mail = mailparse::parse_mail(raw).unwrap();
        let files = attachments(&mail);
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["shot.png", "quote.pdf"]);
        assert_eq!(files[0].1, b"\x89PNG\r\n\x1a\n");
        assert_eq!(text(&mail), "See the photo");
    }

    #[test]
    fn the_signatures_logo_and_the_quotes_pictures_are_not_files_a_pasted_one_is() {
        let part = |id: &str, name: &str| {
            format!("--r\r\nContent-Type: image/png; name={name}\r\nContent-Disposition: inline; filename={name}\r\nContent-ID: <{id}>\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n")
        };
        let mail = |html: &str, images: &[(&str, &str)]| {
            let mut raw = format!("From: v@shop.test\r\nContent-Type: multipart/related; boundary=r\r\n\r\n--r\r\nContent-Type: text/html\r\n\r\n{html}\r\n");
            for (id, name) in images {
                raw.push_str(&part(id, name));
            }
            raw.push_str("--r--\r\n");
            raw
        };
        let names = |raw: &str| -> Vec<String> {
            let parsed = mailparse::parse_mail(raw.as_bytes()).unwrap();
            attachments(&parsed).into_iter().map(|(n, _)| n).collect()
        };
        // Gmail: a screenshot pasted into the answer, the logo in the signature.
        let gmail = mail(
            r#"<div dir="ltr">Here it is:<img src="cid:ii_shot"><br></div><div><div dir="ltr" class="gmail_signature" data-smartmail="gmail_signature">Vera<img src="cid:ii_logo"></div></div>"#,
            &[("ii_shot", "shot.png"), ("ii_logo", "logo.png")],
        );
        assert_eq!(names(&gmail), ["shot.png"]);
        // Outlook: the signature's image001.png, and the earlier mail's picture below its
        // reply header.
        let outlook = mail(
            r#"<p>Thanks</p><div id="Signature"><img src="cid:image001.png@01DB4A2C.5E3F1B20"></div><div id="divRplyFwdMsg">From: Ben</div><img src="cid:image002.png@01DB4A2C.5E3F1B20">"#,
            &[
                ("image001.png@01DB4A2C.5E3F1B20", "image001.png"),
                ("image002.png@01DB4A2C.5E3F1B20", "image002.png"),
            ],
        );
        assert!(names(&outlook).is_empty(), "{:?}", names(&outlook));
        // Apple Mail: a picture in a quote is left out; one the HTML never shows is kept.
        let apple = mail(
            r#"<div>See below</div><blockquote type="cite"><img src="cid:old@apple"></blockquote>"#,
            &[("old@apple", "old.png"), ("loose@apple", "loose.png")],
        );
        assert_eq!(names(&apple), ["loose.png"]);
    }

    #[test]
    fn html_only_mail_becomes_text_without_its_quote() {
        let raw = b"From: v@shop.test\r\nContent-Type: text/html\r\n\r\n<div>Hello &amp; <b>thanks</b><br>Vera</div><blockquote>old <i>stuff</i></blockquote><script>alert(1)</script>";
        let mail = mailparse::parse_mail(raw).unwrap();
        assert_eq!(text(&mail), "Hello & thanks\nVera");
    }

    #[test]
    fn the_plain_part_wins_and_attachments_are_not_text() {
        let raw = b"From: v@shop.test\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=notes.txt\r\n\r\nattached\r\n--b\r\nContent-Type: multipart/alternative; boundary=c\r\n\r\n--c\r\nContent-Type: text/plain\r\n\r\nplain answer\r\n--c\r\nContent-Type: text/html\r\n\r\n<p>html answer</p>\r\n--c--\r\n--b--\r\n";
        let mail = mailparse::parse_mail(raw).unwrap();
        assert_eq!(text(&mail), "plain answer");
    }
}
