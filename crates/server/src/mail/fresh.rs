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
                .map(|h| html_text(&without(&h, &old_spans(&h)))),
        );
    }
    new_lines(&body.join("\n"))
}

/// The leaf parts of type `mime` that are not attachments, in order.
fn parts<'a>(mail: &'a ParsedMail<'a>, mime: &str, out: &mut Vec<&'a ParsedMail<'a>>) {
    if mail.subparts.is_empty() {
        if mail.ctype.mimetype.eq_ignore_ascii_case(mime) && !is_file(mail) {
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

/// Whether a leaf part is a file: marked as an attachment, or a named plain-text part we
/// would take as a file (Apple Mail marks an attached `log.txt` inline, with its name;
/// a named part we would refuse, Latin-1 text or Exchange's `ATT00001.htm`, is read as
/// text, as before, rather than bounce the answer).
fn is_file(part: &ParsedMail) -> bool {
    part.get_content_disposition().disposition == DispositionType::Attachment
        || (file_name(part).is_some()
            && part.ctype.mimetype.eq_ignore_ascii_case("text/plain")
            && part
                .get_body_raw()
                .is_ok_and(|bytes| crate::files::kind::of(&bytes).is_ok()))
}

fn file_name(part: &ParsedMail) -> Option<String> {
    part.get_content_disposition()
        .params
        .get("filename")
        .or_else(|| part.ctype.params.get("name"))
        .cloned()
}

/// Parts that are the mail's wrapping, not the visitor's files: an S/MIME or PGP
/// signature (a company's mail server may sign every mail) and Outlook's `winmail.dat`
/// (its rich-text twin of the mail, not readable anywhere else).
const NOT_FILES: [&str; 4] = [
    "application/pkcs7-signature",
    "application/x-pkcs7-signature",
    "application/pgp-signature",
    "application/ms-tnef",
];

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
    let attached = mail.get_content_disposition().disposition == DispositionType::Attachment;
    let mime = mail.ctype.mimetype.to_ascii_lowercase();
    let text = mime == "text/plain" || mime == "text/html";
    if NOT_FILES.contains(&mime.as_str()) || (!is_file(mail) && (text || mime.starts_with("multipart/"))) {
        return;
    }
    let id = mail.headers.get_first_value("Content-ID");
    let id = id
        .as_deref()
        .map(|i| i.trim().trim_start_matches('<').trim_end_matches('>'));
    if !attached && id.is_some_and(|id| quoted_or_signed(html, id)) {
        return;
    }
    let name = file_name(mail).unwrap_or_else(|| "attachment".into());
    if let Ok(bytes) = mail.get_body_raw() {
        out.push((name, bytes));
    }
}

/// Marks of the elements mail programs wrap a signature or the quoted mail in: what is
/// inside them is not the visitor's new content (read in tags only, never in text).
const HOLDS_OLD: [&str; 6] = [
    "gmail_signature",
    "gmail_quote",
    "id=\"signature\"",
    "moz-signature",
    "moz-cite-prefix",
    "yahoo_quoted",
];

/// Marks Outlook puts where its signature or the earlier mail begins: everything after
/// them is old (Outlook writes above the quote, and does not wrap it).
const OLD_FROM_HERE: [&str; 3] = ["divrplyfwdmsg", "appendonsend", "_mailautosig"];

/// Elements with no end tag.
const VOID: [&str; 8] = ["img", "br", "hr", "meta", "link", "input", "wbr", "col"];

/// The byte ranges of `html` that are a signature or quoted mail: quotes
/// (`<blockquote>`), elements with a [`HOLDS_OLD`] mark, and everything from an
/// [`OLD_FROM_HERE`] mark on.
fn old_spans(html: &str) -> Vec<(usize, usize)> {
    let lower = html.to_ascii_lowercase();
    let mut spans = Vec::new();
    // Open elements: name, where the tag starts, whether it holds old content.
    let mut open: Vec<(String, usize, bool)> = Vec::new();
    let mut at = 0;
    while let Some(found) = lower[at..].find('<') {
        let start = at + found;
        let Some(length) = lower[start..].find('>') else {
            break;
        };
        let tag = &lower[start + 1..start + length];
        at = start + length + 1;
        if tag.starts_with('!') || tag.starts_with('?') {
            continue;
        }
        if OLD_FROM_HERE.iter().any(|m| tag.contains(m)) {
            spans.push((start, html.len()));
            break;
        }
        let (closing, name) = tag_name(tag);
        if closing {
            if let Some(i) = open.iter().rposition(|(n, _, _)| *n == name) {
                for (_, from, old) in open.drain(i..) {
                    if old {
                        spans.push((from, at));
                    }
                }
            }
        } else if !VOID.contains(&name.as_str()) && !tag.ends_with('/') {
            let old = name == "blockquote" || HOLDS_OLD.iter().any(|m| tag.contains(m));
            open.push((name, start, old));
        }
    }
    spans.extend(
        open.into_iter()
            .filter(|(_, _, old)| *old)
            .map(|(_, from, _)| (from, html.len())),
    );
    spans
}

/// Whether a tag's text (between `<` and `>`, lower case) closes an element, and the
/// element's name.
fn tag_name(tag: &str) -> (bool, String) {
    let name = tag
        .trim_start_matches('/')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    (tag.starts_with('/'), name)
}

/// `html` without the `spans`.
fn without(html: &str, spans: &[(usize, usize)]) -> String {
    let mut out = String::new();
    let mut at = 0;
    let mut sorted = spans.to_vec();
    sorted.sort();
    for (from, to) in sorted {
        if from > at {
            out.push_str(&html[at..from]);
        }
        at = at.max(to);
    }
    out.push_str(&html[at.min(html.len())..]);
    out
}

/// Whether the HTML shows the inline picture `id` (`cid:` in RFC 2392) only in its
/// signature or quote: a logo in every answer (Outlook's `image001.png`) or the
/// earlier mail's pictures, which would otherwise join the chat as files each time. A
/// picture pasted into the answer (above or below a quote), or shown nowhere, is kept.
fn quoted_or_signed(html: &str, id: &str) -> bool {
    let reference = format!("cid:{}", id.to_ascii_lowercase());
    let lower = html.to_ascii_lowercase();
    let spans = old_spans(html);
    let mut shown = lower.match_indices(&reference).map(|(at, _)| at).peekable();
    shown.peek().is_some() && shown.all(|at| spans.iter().any(|(from, to)| (*from..*to).contains(&at)))
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

/// Whether a line ends as an opening line does: "… wrote:", or with the writer after
/// the verb, as German and Dutch put it ("… schrieb Demo shop <noreply@shop.example>:").
fn wrote(line: &str) -> bool {
    WROTE.iter().any(|w| line.ends_with(w))
        || line.ends_with(">:")
            && WROTE
                .iter()
                .any(|w| line.contains(&format!(" {} ", w.trim_end_matches(':').trim_end())))
}

/// Outlook's header above the earlier mail, unquoted: "From:" then "Sent:" (or the
/// date), in the languages mail programs write it.
const FROM: [&str; 6] = ["From:", "Von:", "De :", "De:", "Da:", "Van:"];
const SENT: [&str; 13] = [
    "Sent:",
    "Date:",
    "Gesendet:",
    "Datum:",
    "Envoyé :",
    "Envoyé:",
    "Date :",
    "Enviado:",
    "Fecha:",
    "Inviato:",
    "Data:",
    "Verzonden:",
    "Verstuurd:",
];

/// Outlook's line above the earlier mail, between dashes, in the languages it writes it.
const ORIGINAL: [&str; 7] = [
    "Original Message",
    "Ursprüngliche Nachricht",
    "Message d'origine",
    "Mensaje original",
    "Messaggio originale",
    "Oorspronkelijk bericht",
    "Mensagem original",
];

/// The line a phone or Outlook adds under an answer.
const SENT_FROM: [&str; 9] = [
    "Sent from my ",
    "Get Outlook for ",
    "Von meinem ",
    "Gesendet von meinem ",
    "Envoyé de mon ",
    "Enviado desde mi ",
    "Inviato da ",
    "Verzonden met ",
    "Verstuurd vanaf mijn ",
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
    let mut kept: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let (line, trimmed) = (lines[i], lines[i].trim());
        let next = lines.get(i + 1).map_or("", |l| l.trim());
        // Outlook puts the whole earlier mail below a separator, unquoted.
        // "-----Original Message-----" and its translations (by name: a PGP block's
        // "-----BEGIN PGP SIGNED MESSAGE-----" is no quote).
        let separator = trimmed.starts_with("-----")
            && ORIGINAL
                .iter()
                .any(|o| trimmed.trim_matches('-').trim().eq_ignore_ascii_case(o));
        let outlook = separator
            || (FROM.iter().any(|f| trimmed.starts_with(f)) && SENT.iter().any(|h| next.starts_with(h)))
            || (trimmed.len() >= 20 && trimmed.chars().all(|c| c == '_'));
        if outlook || line == "-- " {
            break;
        }
        // A line of the visitor's own may end with "wrote:": an opening line also starts
        // as mail programs write it or names an address, and a quote follows it.
        let opens =
            wrote(trimmed) && (starts_quote_line(trimmed) || trimmed.contains('@')) && quote_follows(i);
        let opens_wrapped =
            starts_quote_line(trimmed) && wrote(&format!("{trimmed} {next}")) && quote_follows(i + 1);
        let phone = SENT_FROM.iter().any(|p| trimmed.starts_with(p));
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
    const SKIPPED: [&str; 4] = ["blockquote", "style", "script", "head"];
    let mut out = String::new();
    let mut rest = html;
    // The element being left out, and how deep in it (a quote holds older quotes).
    let mut skip: Option<(&str, usize)> = None;
    while let Some(open) = rest.find('<') {
        if skip.is_none() {
            out.push_str(&entities(&rest[..open]));
        }
        let Some(close) = rest[open..].find('>') else {
            break;
        };
        let tag = rest[open + 1..open + close].trim().to_ascii_lowercase();
        let (closing, name) = tag_name(&tag);
        rest = &rest[open + close + 1..];
        match skip {
            Some((until, depth)) if name == until => {
                skip = match (closing, depth) {
                    (true, 1) => None,
                    (true, _) => Some((until, depth - 1)),
                    (false, _) => Some((until, depth + 1)),
                }
            }
            Some(_) => {}
            None if !closing => {
                if let Some(element) = SKIPPED.into_iter().find(|n| *n == name) {
                    skip = Some((element, 1));
                } else if ["br", "p", "div", "li", "tr"].contains(&name.as_str()) {
                    out.push('\n');
                }
            }
            None if ["p", "div", "li", "tr"].contains(&name.as_str()) => out.push('\n'),
            None => {}
        }
    }
    if skip.is_none() {
        out.push_str(&entities(rest));
    }
    out
}

/// Every HTML entity, named or numbered; a no-break space as a space.
fn entities(text: &str) -> String {
    html_escape::decode_html_entities(text).replace('\u{a0}', " ")
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
    fn quotes_and_phone_lines_in_german_dutch_and_french_are_left_out() {
        let german =
            "Passt.\n\nAm Sa., 5. Dez. 2026 um 10:02 Uhr schrieb Demo shop <noreply@shop.test>:\n> Dienstag?";
        assert_eq!(new_lines(german), "Passt.");
        let wrapped = "Passt.\n\nAm Sa., 5. Dez. 2026 um 10:02 Uhr schrieb Demo shop <\nnoreply@shop.test>:\n> Dienstag?";
        assert_eq!(new_lines(wrapped), "Passt.");
        let dutch = "Prima\n\nOp za 5 dec. 2026 om 10:02 schreef Demo shop <noreply@shop.test>:\n> Dinsdag?";
        assert_eq!(new_lines(dutch), "Prima");
        let outlook_de = "Gerne\r\n\r\nVon: Demo shop <noreply@shop.test>\r\nGesendet: Samstag, 5. Dezember 2026 10:02\r\nAn: Vera\r\nBen: Dienstag?\r\n";
        assert_eq!(new_lines(outlook_de), "Gerne");
        let outlook_fr = "Volontiers\r\n\r\nDe : Demo shop <noreply@shop.test>\r\nEnvoyé : samedi 5 décembre 2026 10:02\r\nBen: mardi ?\r\n";
        assert_eq!(new_lines(outlook_fr), "Volontiers");
        let original = "Ja\n\n-----Ursprüngliche Nachricht-----\nBen: Dienstag?";
        assert_eq!(new_lines(original), "Ja");
        assert_eq!(new_lines("Ok\n\nVon meinem iPhone gesendet"), "Ok");
        assert_eq!(new_lines("Ok\n\nEnvoyé de mon iPhone"), "Ok");
        // A line of her own that only looks alike stays.
        assert_eq!(
            new_lines("Mein Mann schrieb mir: <3>:"),
            "Mein Mann schrieb mir: <3>:"
        );
        assert_eq!(new_lines("-----\nJa"), "-----\nJa");
    }

    #[test]
    fn a_signed_mail_and_an_apple_mail_text_file() {
        // S/MIME: the signature is the mail's wrapping, not a file of hers.
        let signed = b"From: v@shop.test\r\nContent-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; boundary=s\r\n\r\n--s\r\nContent-Type: text/plain\r\n\r\nSigned answer\r\n--s\r\nContent-Type: application/pkcs7-signature; name=smime.p7s\r\nContent-Disposition: attachment; filename=smime.p7s\r\n\r\nMIAGCSqGSIb3\r\n--s--\r\n";
        let mail = mailparse::parse_mail(signed).unwrap();
        assert!(attachments(&mail).is_empty());
        assert_eq!(text(&mail), "Signed answer");
        // Apple Mail marks an attached text file inline, with its name: a file, not text.
        let apple = b"From: v@shop.test\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nThe log:\r\n--b\r\nContent-Type: text/plain; name=log.txt\r\nContent-Disposition: inline; filename=log.txt\r\n\r\nERROR 42\r\n--b--\r\n";
        let mail = mailparse::parse_mail(apple).unwrap();
        let files = attachments(&mail);
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].0, "log.txt");
        assert_eq!(text(&mail), "The log:");
    }

    #[test]
    fn html_only_answers_decode_every_entity_and_stop_at_the_quote() {
        let html = |body: &str| {
            let raw = format!("From: v@shop.test\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{body}");
            text(&mailparse::parse_mail(raw.as_bytes()).unwrap())
        };
        assert_eq!(
            html("<p>Caf&eacute; &#233;t&eacute; &rsquo;ok&apos; &amp;&nbsp;co</p>"),
            "Café été ’ok' & co"
        );
        // Thunderbird: the opening line is outside the quote.
        assert_eq!(
            html(
                r#"<p>Sure</p><div class="moz-cite-prefix">On 05/12/2026 10:02, Ben wrote:<br></div><blockquote type="cite">old</blockquote>"#
            ),
            "Sure"
        );
        // A quote holding an older quote is left out whole; her words after it stay.
        assert_eq!(
            html("<div>Top</div><blockquote>a<blockquote>b</blockquote>c</blockquote><div>Bottom</div>"),
            "Top\n\nBottom"
        );
    }

    #[test]
    fn below_the_quote_a_picture_and_words_are_hers_and_a_mark_in_her_words_is_text() {
        let related = |html: &str, images: &[(&str, &str)]| {
            let mut raw = format!("From: v@shop.test\r\nContent-Type: multipart/related; boundary=r\r\n\r\n--r\r\nContent-Type: text/html\r\n\r\n{html}\r\n");
            for (id, name) in images {
                raw.push_str(&format!("--r\r\nContent-Type: image/png; name={name}\r\nContent-Disposition: inline; filename={name}\r\nContent-ID: <{id}>\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n"));
            }
            raw.push_str("--r--\r\n");
            raw
        };
        // Thunderbird writes below the quote by default.
        let thunderbird = related(
            r#"<div class="moz-cite-prefix">On 05/12/2026 10:02, Ben wrote:<br></div><blockquote type="cite">old<img src="cid:old@tb"></blockquote><p>My answer below</p><img src="cid:new@tb">"#,
            &[("old@tb", "old.png"), ("new@tb", "new.png")],
        );
        let mail = mailparse::parse_mail(thunderbird.as_bytes()).unwrap();
        let names: Vec<String> = attachments(&mail).into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["new.png"]);
        assert_eq!(text(&mail), "My answer below");
        // A mark is read in tags only: her words may say it.
        let words = related(
            r#"<div>I searched for gmail_quote in the docs</div><div class="gmail_quote">On Sat, Ben wrote:<blockquote>old</blockquote></div>"#,
            &[],
        );
        let mail = mailparse::parse_mail(words.as_bytes()).unwrap();
        assert_eq!(text(&mail), "I searched for gmail_quote in the docs");
    }

    #[test]
    fn a_pgp_signed_answer_and_a_latin1_named_part_are_read_as_text() {
        let pgp = "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nYes, Tuesday.\n-----BEGIN PGP SIGNATURE-----\niQEz\n-----END PGP SIGNATURE-----";
        assert!(new_lines(pgp).contains("Yes, Tuesday."), "{}", new_lines(pgp));
        // A named part we would not take as a file (not UTF-8) stays the answer's text.
        let latin1 = b"From: v@shop.test\r\nContent-Type: text/plain; charset=iso-8859-1; name=note.txt\r\nContent-Disposition: inline; filename=note.txt\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nD=E9j=E0 vu\r\n";
        let mail = mailparse::parse_mail(latin1).unwrap();
        assert!(attachments(&mail).is_empty());
        assert_eq!(text(&mail), "Déjà vu");
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
