//! The launcher as the loader draws it before the widget's wasm arrives: the same
//! button (look, place, accessible name) as the widget's, from one source. The
//! widget builds its CSS from [`CSS`] too (`build.rs`) and draws [`ICON`].

use crate::Strings;

/// The launcher's and the frame's rules (`launcher.css`).
pub const CSS: &str = include_str!("launcher.css");

/// The speech bubble in the launcher (an SVG path in a 24 × 24 box).
pub const ICON: &str = "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z";

/// Inline styles on the shadow host, which the page's CSS could otherwise move, hide
/// or transform: `!important` inline wins over any stylesheet rule.
pub const HOST_STYLE: &str = "all:initial!important;display:block!important;position:fixed!important;\
    inset:auto 0 0 auto!important;width:0!important;height:0!important;\
    z-index:2147483647!important;visibility:visible!important;opacity:1!important";

/// The launcher's markup, named in the visitor's language. Text is text: the name is
/// escaped, although it comes from our own tables.
pub fn markup(strings: &Strings) -> String {
    format!(
        "<div class=\"cw\"><button class=\"cw-launcher\" aria-expanded=\"false\" aria-label=\"{}\">\
         <svg viewBox=\"0 0 24 24\" aria-hidden=\"true\" focusable=\"false\"><path d=\"{ICON}\"/></svg>\
         </button></div>",
        crate::html::escape(strings.open_chat)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_launcher_is_named_in_the_visitors_language() {
        let html = markup(Strings::for_locale("pt"));
        assert!(html.contains("aria-label=\"Abrir chat\""), "{html}");
        assert!(html.contains(ICON));
    }

    #[test]
    fn every_rule_closes() {
        assert_eq!(CSS.matches('{').count(), CSS.matches('}').count());
        assert!(CSS.contains(".cw-launcher{"));
    }
}
