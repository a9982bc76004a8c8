//! A site's appearance as CSS: custom properties (and a few placement rules) that
//! the widget adds after its own stylesheet inside the shadow root.
//!
//! Colours are checked here against WCAG AA: text on the accent is white or
//! black, whichever contrasts more, and the accent used as text on the panel
//! (`--cw-ink`: answer buttons, links) is darkened or lightened until it reaches 4.5:1.

use crate::appearance::{parse_hex, Appearance, Position, Theme};

const DEFAULT_ACCENT: [u8; 3] = [0x1f, 0x5f, 0xbf];
const LIGHT_BG: [u8; 3] = [0xff, 0xff, 0xff];
const DARK_BG: [u8; 3] = [0x17, 0x1a, 0x1f];
const BLACK: [u8; 3] = [0, 0, 0];

/// The dark palette: text, muted text and bubbles all at least 4.5:1 on their
/// backgrounds.
const DARK: &str = "--cw-bg:#171a1f;--cw-text:#e8eaed;--cw-muted:#a8b0ba;--cw-bot-bubble:#2a3038;\
                    --cw-border:#3d4550;--cw-error:#ff9b90;";

/// CSS for the widget on this site; `accent` is a dialogue's own accent colour,
/// which wins over the site's. Unusable values are skipped (the server refuses
/// them before they are stored).
pub fn css(appearance: &Appearance, accent: Option<&str>) -> String {
    let accent = accent
        .or(appearance.accent_color.as_deref())
        .and_then(parse_hex)
        .unwrap_or(DEFAULT_ACCENT);
    let mut css = format!(
        ".cw{{--cw-accent:{};--cw-accent-text:{};",
        hex(accent),
        hex(text_on(accent))
    );
    if appearance.theme == Theme::Dark {
        css.push_str(DARK);
    }
    let ink_bg = if appearance.theme == Theme::Dark {
        DARK_BG
    } else {
        LIGHT_BG
    };
    css.push_str(&format!("--cw-ink:{};", hex(ink(accent, ink_bg))));
    if let Some(font) = &appearance.font_family {
        css.push_str(&format!("font-family:{font},system-ui,sans-serif;"));
    }
    if appearance.position == Position::Left {
        css.push_str("right:auto;left:20px;align-items:flex-start;");
    }
    css.push('}');
    if appearance.theme == Theme::Auto {
        css.push_str(&format!(
            "@media (prefers-color-scheme:dark){{.cw{{{DARK}--cw-ink:{};}}}}",
            hex(ink(accent, DARK_BG))
        ));
    }
    css
}

fn hex([r, g, b]: [u8; 3]) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// WCAG relative luminance.
fn luminance(rgb: [u8; 3]) -> f64 {
    let [r, g, b] = rgb.map(|c| {
        let c = f64::from(c) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    });
    0.2126 * r + 0.7152 * g + 0.0722 * b
}

/// WCAG contrast ratio, from 1 to 21.
pub fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// White or black on this background, whichever contrasts more (one of them
/// always reaches 4.5:1).
fn text_on(background: [u8; 3]) -> [u8; 3] {
    if contrast(LIGHT_BG, background) >= contrast(BLACK, background) {
        LIGHT_BG
    } else {
        BLACK
    }
}

/// The accent moved towards black (on a light panel) or white (on a dark one) in
/// small steps until it reads as text at 4.5:1.
fn ink(accent: [u8; 3], background: [u8; 3]) -> [u8; 3] {
    let toward: u8 = if luminance(background) > 0.5 { 0 } else { 255 };
    let mut color = accent;
    for step in 0..=20u16 {
        color = accent.map(|c| {
            let (c, t) = (u16::from(c), u16::from(toward));
            // Integer mix: step/20 of the way from c to t.
            ((c * (20 - step) + t * step) / 20) as u8
        });
        if contrast(color, background) >= 4.5 {
            break;
        }
    }
    color
}

// Here rather than in `appearance.rs`: the theme reads the appearance, never the reverse.
impl Appearance {
    /// A dialogue on this site: what its own appearance leaves out comes from the
    /// site's (bot name, avatar, typing times). Returns the CSS it needs (its own
    /// accent wins over the site's).
    pub fn apply_to(&self, own: &mut chinwag_dialogue::Appearance) -> String {
        own.bot_name = own.bot_name.take().or_else(|| self.bot_name.clone());
        own.avatar_url = own.avatar_url.take().or_else(|| self.avatar_url.clone());
        own.typing_ms_per_char = own.typing_ms_per_char.or(self.typing_ms_per_char);
        own.typing_max_ms = own.typing_max_ms.or(self.typing_max_ms);
        css(self, own.accent_color.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn custom(css: &str, name: &str) -> [u8; 3] {
        let start = css.find(&format!("{name}:")).unwrap() + name.len() + 1;
        parse_hex(&css[start..start + 7]).unwrap()
    }

    #[test]
    fn the_default_theme_meets_wcag_aa() {
        let css = css(&Appearance::default(), None);
        let accent = custom(&css, "--cw-accent");
        assert!(contrast(custom(&css, "--cw-accent-text"), accent) >= 4.5);
        assert!(contrast(custom(&css, "--cw-ink"), LIGHT_BG) >= 4.5);
        // The widget's own stylesheet defaults: text and muted text on white and on
        // the bot bubble.
        for (fg, bg) in [
            ("#1b1f24", "#ffffff"),
            ("#57606a", "#ffffff"),
            ("#1b1f24", "#eef1f5"),
        ] {
            assert!(
                contrast(parse_hex(fg).unwrap(), parse_hex(bg).unwrap()) >= 4.5,
                "{fg} on {bg}"
            );
        }
    }

    #[test]
    fn any_accent_gets_readable_text_in_both_themes() {
        for accent in [
            "#ffeb3b", "#00ff00", "#000000", "#ffffff", "#1f5fbf", "#ff5a5f", "#777777",
        ] {
            for theme in [Theme::Light, Theme::Dark] {
                let appearance = Appearance {
                    accent_color: Some(accent.into()),
                    theme,
                    ..Default::default()
                };
                let css = css(&appearance, None);
                let bg = if theme == Theme::Dark { DARK_BG } else { LIGHT_BG };
                let fill = custom(&css, "--cw-accent");
                assert!(
                    contrast(custom(&css, "--cw-accent-text"), fill) >= 4.5,
                    "{accent} {theme:?}"
                );
                assert!(
                    contrast(custom(&css, "--cw-ink"), bg) >= 4.5,
                    "{accent} {theme:?}"
                );
            }
        }
    }

    #[test]
    fn the_dark_palette_meets_wcag_aa() {
        let bg = custom(DARK, "--cw-bg");
        for name in ["--cw-text", "--cw-muted", "--cw-error"] {
            assert!(contrast(custom(DARK, name), bg) >= 4.5, "{name}");
        }
        assert!(contrast(custom(DARK, "--cw-text"), custom(DARK, "--cw-bot-bubble")) >= 4.5);
    }

    #[test]
    fn a_dialogue_accent_wins_and_placement_follows_the_site() {
        let appearance = Appearance {
            accent_color: Some("#112233".into()),
            position: Position::Left,
            font_family: Some("\"Inter\", sans-serif".into()),
            theme: Theme::Auto,
            ..Default::default()
        };
        let css = css(&appearance, Some("#ff5a5f"));
        assert_eq!(custom(&css, "--cw-accent"), [0xff, 0x5a, 0x5f]);
        assert!(css.contains("left:20px"));
        assert!(css.contains("font-family:\"Inter\", sans-serif,system-ui"));
        assert!(css.contains("@media (prefers-color-scheme:dark)"));
    }
}
