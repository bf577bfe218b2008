//! The operator's brand on the pages: the product name, the logo (embedded as a `data:` URI, so a page never
//! loads anything from elsewhere) and the stylesheet (the built-in one, the accent colour, the custom CSS), all
//! made once at start.

/// The built-in stylesheet.
const STYLESHEET: &str = include_str!("../../templates/static/tessera.css");

#[derive(Debug, Clone)]
pub struct Branding {
    pub product_name: String,
    /// A `data:image/…` URI; `None`: the built-in mark.
    pub logo: Option<String>,
    /// What `/static/tessera.css` serves.
    pub stylesheet: String,
}

impl Default for Branding {
    fn default() -> Self {
        Branding { product_name: "Tessera".into(), logo: None, stylesheet: STYLESHEET.to_owned() }
    }
}

impl Branding {
    /// `accent` is `#rrggbb` or empty (the built-in one); `custom_css` is appended last, so it wins.
    pub fn new(product_name: &str, logo: Option<String>, accent: &str, custom_css: Option<&str>) -> Branding {
        let mut stylesheet = STYLESHEET.to_owned();
        if let Some(rgb) = parse_hex(accent) {
            // The text on the accent is whichever of near-black and white contrasts more with it; the same accent
            // serves both themes (links and focus rings keep their own colours).
            let on_accent = if contrast(rgb, [0x11, 0x11, 0x11]) >= contrast(rgb, [0xff, 0xff, 0xff]) {
                "#111111"
            } else {
                "#ffffff"
            };
            stylesheet.push_str(&format!(
                "\n/* accent_color */\n:root {{ --accent: {accent}; --accent-fg: {on_accent}; }}\n\
                 @media (prefers-color-scheme: dark) {{ :root {{ --accent: {accent}; --accent-fg: {on_accent}; }} }}\n"
            ));
        }
        if let Some(css) = custom_css {
            stylesheet.push_str("\n/* custom_css_file */\n");
            stylesheet.push_str(css);
        }
        Branding { product_name: product_name.to_owned(), logo, stylesheet }
    }

    /// The contrast of the text on the accent colour (WCAG 2.1 contrast ratio), for the start-up warning.
    pub fn accent_text_contrast(accent: &str) -> Option<f64> {
        let rgb = parse_hex(accent)?;
        Some(contrast(rgb, [0x11, 0x11, 0x11]).max(contrast(rgb, [0xff, 0xff, 0xff])))
    }
}

fn parse_hex(color: &str) -> Option<[u8; 3]> {
    let hex = color.strip_prefix('#')?;
    if hex.len() != 6 {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

/// WCAG 2.1 relative luminance.
fn luminance(rgb: [u8; 3]) -> f64 {
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.03928 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
    };
    0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2])
}

/// WCAG 2.1 contrast ratio, 1 to 21.
pub fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// The contrast ratio of two `#rrggbb` colours.
pub fn contrast_of(a: &str, b: &str) -> Option<f64> {
    Some(contrast(parse_hex(a)?, parse_hex(b)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The colour pairs of the built-in stylesheet that WCAG 2.1 sets a minimum for, in both themes: text 4.5:1
    /// (§1.4.3), and the borders of input fields and secondary buttons 3:1 against the card (§1.4.11).
    #[test]
    fn both_themes_pass_contrast() {
        let light = ("#1d2330", "#5b6475", "#2b59c3", "#ffffff", "#1f4fb8", "#ffffff", "#f3f5f9", "#a4161a", "#767f8f");
        let dark = ("#e7eaf0", "#a7afbe", "#7aa2ff", "#0d1117", "#8fb3ff", "#161b22", "#0d1117", "#ff8a8a", "#7d8590");
        for (theme, (fg, muted, accent, accent_fg, link, card, bg, err, control)) in [("light", light), ("dark", dark)]
        {
            for (name, color) in [
                ("--fg", fg),
                ("--muted", muted),
                ("--accent", accent),
                ("--accent-fg", accent_fg),
                ("--link", link),
                ("--card", card),
                ("--bg", bg),
                ("--err", err),
                ("--control", control),
            ] {
                assert!(STYLESHEET.contains(&format!("{name}: {color}")), "{theme}: {name} is not {color}");
            }
            for (what, a, b, minimum) in [
                ("text", fg, card, 4.5),
                ("text on the page", fg, bg, 4.5),
                ("secondary text", muted, card, 4.5),
                ("links", link, card, 4.5),
                ("errors", err, card, 4.5),
                ("primary buttons", accent_fg, accent, 4.5),
                ("input and button borders", control, card, 3.0),
                ("focus ring", accent, card, 3.0),
            ] {
                let ratio = contrast_of(a, b).unwrap();
                assert!(ratio >= minimum, "{theme}: {what} {a} on {b} is {ratio:.2}:1, below {minimum}:1");
            }
        }
    }

    #[test]
    fn the_text_on_a_custom_accent_is_the_readable_one() {
        let dark_accent = Branding::new("X", None, "#0b3d2e", None);
        assert!(dark_accent.stylesheet.contains("--accent: #0b3d2e; --accent-fg: #ffffff;"));
        let light_accent = Branding::new("X", None, "#ffd54f", Some("h1 { letter-spacing: 0 }"));
        assert!(light_accent.stylesheet.contains("--accent-fg: #111111;"));
        assert!(light_accent.stylesheet.ends_with("h1 { letter-spacing: 0 }"));
        assert!(Branding::accent_text_contrast("#0b3d2e").unwrap() >= 4.5);
    }
}
