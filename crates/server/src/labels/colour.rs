//! A label's colour and the text on it: WCAG 2's contrast ratio, pure.

/// `#rrggbb` (any case) as its three channels.
pub fn parse(colour: &str) -> Option<[u8; 3]> {
    let hex = colour
        .strip_prefix('#')
        .filter(|h| h.len() == 6 && h.is_ascii())?;
    let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some([channel(0)?, channel(2)?, channel(4)?])
}

/// WCAG 2's relative luminance.
fn luminance([r, g, b]: [u8; 3]) -> f64 {
    let linear = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
}

/// WCAG 2's contrast ratio between two colours (1 to 21).
pub fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// The text colour for a label of `colour`, black or white, whichever contrasts more,
/// and that contrast (never under 4.58: every colour reads at AA's 4.5 with one of them).
pub fn text_on(colour: [u8; 3]) -> (&'static str, f64) {
    let (black, white) = (contrast(colour, [0, 0, 0]), contrast(colour, [255, 255, 255]));
    match black >= white {
        true => ("#000000", black),
        false => ("#ffffff", white),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_only_six_hex_digits() {
        assert_eq!(parse("#0B4FA8"), Some([11, 79, 168]));
        for bad in ["0b4fa8", "#0b4fa", "#0b4fa8ff", "#gggggg", "#é0000"] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn contrast_is_wcag_s() {
        assert!((contrast([0, 0, 0], [255, 255, 255]) - 21.0).abs() < 1e-9);
        assert!((contrast([119, 119, 119], [255, 255, 255]) - 4.48).abs() < 0.01);
    }

    #[test]
    fn every_colour_gets_text_that_reads_at_aa() {
        let mut worst = 21.0f64;
        for r in (0..=255).step_by(5) {
            for g in (0..=255).step_by(5) {
                for b in (0..=255).step_by(5) {
                    worst = worst.min(text_on([r as u8, g as u8, b as u8]).1);
                }
            }
        }
        assert!(worst >= 4.5, "{worst}");
        assert_eq!(text_on([11, 79, 168]).0, "#ffffff");
        assert_eq!(text_on([255, 248, 197]).0, "#000000");
    }
}
