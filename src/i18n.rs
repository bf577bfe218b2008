//! The pages' words, in the user's language: Fluent catalogues (`locales/<tag>/tessera.ftl`, embedded in the
//! binary), one bundle per shipped language, and the choice of a language for a request.
//!
//! The language is the first shipped one named by the request's `ui_locales` (OpenID Connect Core §3.1.2.1), then by
//! the browser's `Accept-Language`, then the configured `default_locale`. A requested language matches a shipped one
//! by its tag, then by its language alone (`fr-CA` gets `fr`, `pt-PT` gets `pt-BR`); Chinese in the Traditional
//! script (`zh-TW`, `zh-Hant`) is not given Simplified Chinese.
//!
//! A message missing from a catalogue renders as `⟦key⟧`, never as another language's text: the test that renders
//! every page in every language fails on it.

use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

/// The shipped catalogues: tag, catalogue. English first; it is the default `default_locale`.
const CATALOGUES: &[(&str, &str)] = &[
    ("en", include_str!("../locales/en/tessera.ftl")),
    ("fr", include_str!("../locales/fr/tessera.ftl")),
    ("de", include_str!("../locales/de/tessera.ftl")),
    ("es", include_str!("../locales/es/tessera.ftl")),
    ("pt-BR", include_str!("../locales/pt-BR/tessera.ftl")),
    ("it", include_str!("../locales/it/tessera.ftl")),
    ("nl", include_str!("../locales/nl/tessera.ftl")),
    ("pl", include_str!("../locales/pl/tessera.ftl")),
    ("ja", include_str!("../locales/ja/tessera.ftl")),
    ("zh-Hans", include_str!("../locales/zh-Hans/tessera.ftl")),
];

/// Languages written right to left, by their language subtag (none is shipped yet; `dir` follows the catalogue).
const RIGHT_TO_LEFT: &[&str] = &["ar", "fa", "he", "ur", "yi"];

/// The tags of the shipped languages (discovery's `ui_locales_supported`).
pub fn supported_locales() -> impl Iterator<Item = &'static str> {
    CATALOGUES.iter().map(|(tag, _)| *tag)
}

/// One shipped language.
pub struct Locale {
    pub tag: &'static str,
    bundle: FluentBundle<FluentResource>,
    /// The catalogue's own source, for the key checks of the tests.
    source: &'static str,
}

impl std::fmt::Debug for Locale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.tag)
    }
}

fn locales() -> &'static [Locale] {
    static LOCALES: OnceLock<Vec<Locale>> = OnceLock::new();
    LOCALES.get_or_init(|| {
        CATALOGUES
            .iter()
            .map(|(tag, source)| {
                let id: LanguageIdentifier = tag.parse().unwrap_or_default();
                let mut bundle = FluentBundle::new_concurrent(vec![id]);
                // No Unicode isolation marks around values: the pages are HTML with `dir` set, and the marks would
                // end up inside usernames and application names a person may copy.
                bundle.set_use_isolating(false);
                // A catalogue that does not parse fails the tests (`every_catalogue_parses`); here its messages that
                // did parse are kept, so one typo cannot take a whole language down.
                let resource = FluentResource::try_new((*source).to_owned()).unwrap_or_else(|(partial, _)| partial);
                let _ = bundle.add_resource(resource);
                Locale { tag, bundle, source }
            })
            .collect()
    })
}

impl Locale {
    /// The shipped language with exactly this tag (case-insensitive).
    pub fn by_tag(tag: &str) -> Option<&'static Locale> {
        locales().iter().find(|l| l.tag.eq_ignore_ascii_case(tag))
    }

    /// English, the language every other catalogue is checked against.
    pub fn english() -> &'static Locale {
        &locales()[0]
    }

    pub fn all() -> &'static [Locale] {
        locales()
    }

    /// `ltr` or `rtl`, for `<html dir>`.
    pub fn direction(&self) -> &'static str {
        let language = self.tag.split('-').next().unwrap_or(self.tag);
        if RIGHT_TO_LEFT.contains(&language) { "rtl" } else { "ltr" }
    }

    /// The message `key`; `⟦key⟧` when the catalogue lacks it.
    pub fn text(&self, key: &str) -> String {
        self.format(key, None)
    }

    /// The message `key` with its arguments.
    pub fn text_with(&self, key: &str, args: &[(&str, Arg<'_>)]) -> String {
        let mut fluent = FluentArgs::new();
        for (name, value) in args {
            match value {
                Arg::Text(text) => fluent.set(*name, FluentValue::from(*text)),
                Arg::Number(n) => fluent.set(*name, FluentValue::from(*n)),
            }
        }
        self.format(key, Some(&fluent))
    }

    fn format(&self, key: &str, args: Option<&FluentArgs<'_>>) -> String {
        let Some(pattern) = self.bundle.get_message(key).and_then(|m| m.value()) else {
            return format!("⟦{key}⟧");
        };
        let mut errors = Vec::new();
        let text = self.bundle.format_pattern(pattern, args, &mut errors);
        if errors.is_empty() { text.into_owned() } else { format!("⟦{key}⟧") }
    }

    /// The message ids this catalogue defines.
    pub fn keys(&self) -> Vec<String> {
        FluentResource::try_new(self.source.to_owned())
            .unwrap_or_else(|(partial, _)| partial)
            .entries()
            .filter_map(|entry| match entry {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
                _ => None,
            })
            .collect()
    }

    /// Whether the catalogue parses without an error.
    pub fn parses(&self) -> bool {
        FluentResource::try_new(self.source.to_owned()).is_ok()
    }
}

/// A message argument.
#[derive(Debug, Clone, Copy)]
pub enum Arg<'a> {
    Text(&'a str),
    Number(i64),
}

/// The shipped language that best serves `requested` (one language tag), if any.
fn best_match(requested: &str) -> Option<&'static Locale> {
    let requested = requested.trim();
    if let Some(exact) = Locale::by_tag(requested) {
        return Some(exact);
    }
    let id: LanguageIdentifier = requested.parse().ok()?;
    let language = id.language.as_str();
    if language == "zh" {
        let script = id.script.map(|s| s.as_str().to_ascii_lowercase());
        let region = id.region.map(|r| r.as_str().to_ascii_uppercase());
        let traditional = script.as_deref() == Some("hant")
            || (script.is_none() && matches!(region.as_deref(), Some("TW" | "HK" | "MO")));
        return if traditional { None } else { Locale::by_tag("zh-Hans") };
    }
    locales().iter().find(|l| l.tag.split('-').next().is_some_and(|primary| primary.eq_ignore_ascii_case(language)))
}

/// The language of a page: the first shipped match of `ui_locales` (space-separated, in order of preference), then of
/// the `Accept-Language` header (by quality), then `default`, then English.
pub fn choose(ui_locales: Option<&str>, accept_language: Option<&str>, default: &str) -> &'static Locale {
    let from_ui = ui_locales.into_iter().flat_map(|v| v.split(' ')).filter(|t| !t.is_empty());
    let from_header = accept_language.map(preferences).unwrap_or_default();
    from_ui
        .chain(from_header.iter().map(String::as_str))
        .take(32)
        .find_map(best_match)
        .or_else(|| Locale::by_tag(default))
        .unwrap_or_else(Locale::english)
}

/// The language ranges of an `Accept-Language` header (RFC 9110 §12.5.4), best first; `*` and `q=0` dropped.
fn preferences(header: &str) -> Vec<String> {
    let mut ranges: Vec<(u16, String)> = header
        .split(',')
        .take(32)
        .filter_map(|item| {
            let mut parts = item.split(';');
            let range = parts.next()?.trim();
            let quality = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(Some(1000), |q| q.trim().parse::<f32>().ok().map(|q| (q.clamp(0.0, 1.0) * 1000.0) as u16))?;
            (quality > 0 && !range.is_empty() && range != "*").then(|| (quality, range.to_owned()))
        })
        .collect();
    // Stable: ranges of equal quality keep the header's order.
    ranges.sort_by_key(|r| std::cmp::Reverse(r.0));
    ranges.into_iter().map(|(_, range)| range).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_catalogue_parses_and_has_exactly_the_english_keys() {
        let mut english = Locale::english().keys();
        english.sort();
        assert!(english.len() > 40, "{english:?}");
        for locale in Locale::all() {
            assert!(locale.parses(), "locales/{}/tessera.ftl has a syntax error", locale.tag);
            let mut keys = locale.keys();
            keys.sort();
            let missing: Vec<&String> = english.iter().filter(|k| !keys.contains(k)).collect();
            let extra: Vec<&String> = keys.iter().filter(|k| !english.contains(k)).collect();
            assert!(missing.is_empty() && extra.is_empty(), "{}: missing {missing:?}, unknown {extra:?}", locale.tag);
        }
    }

    #[test]
    fn ui_locales_then_accept_language_then_the_default() {
        assert_eq!(choose(Some("de fr"), Some("fr"), "en").tag, "de");
        assert_eq!(choose(Some("tlh fr-CA"), None, "en").tag, "fr", "the first shipped one, by language");
        assert_eq!(choose(None, Some("da, nl;q=0.8, fr;q=0.9"), "en").tag, "fr", "by quality");
        assert_eq!(choose(None, Some("pt-PT"), "en").tag, "pt-BR");
        assert_eq!(choose(None, Some("zh-CN,zh;q=0.9"), "en").tag, "zh-Hans");
        assert_eq!(choose(None, Some("zh-TW"), "de").tag, "de", "no Simplified Chinese for Traditional");
        assert_eq!(choose(None, Some("ja;q=0, *"), "pl").tag, "pl");
        assert_eq!(choose(None, None, "nonsense").tag, "en");
        assert_eq!(choose(Some("ZH-hans"), None, "en").tag, "zh-Hans");
    }

    #[test]
    fn missing_messages_are_visible_and_arguments_apply() {
        let en = Locale::english();
        assert_eq!(en.text("no-such-message"), "⟦no-such-message⟧");
        let one = en.text_with("signin-error-throttled", &[("seconds", Arg::Number(1))]);
        let many = en.text_with("signin-error-throttled", &[("seconds", Arg::Number(4))]);
        assert!(one.contains("1 second") && !one.contains("seconds"), "{one}");
        assert!(many.contains("4 seconds"), "{many}");
        assert_eq!(en.direction(), "ltr");
    }
}
