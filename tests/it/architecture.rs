//! The import graph of `src/`, checked: no cycle among files, and layers that only point down.
//!
//! The graph is built from the source text (no compiler, no dependency): one node per file of the library
//! (`src/lib.rs` is `crate`, `src/a.rs` or `src/a/mod.rs` is `crate::a`, `src/a/b.rs` is `crate::a::b`;
//! `src/main.rs` is the binary and is skipped). Edges come from `use crate::…`, `use super::…`, `use self::…`
//! (grouped, nested, renamed, globs, `pub use`), from `use child::…` of a declared child module, and from
//! paths written in code (`crate::storage::StorageError`, `super::Params`, `super::super::x`, `end_session::f`
//! after `use super::end_session`). Comments (doc comments included) and string literals are stripped first;
//! `#[cfg(test)] mod tests { … }` is ignored (unit tests may import anything); `mod x;` is not an edge.
//!
//! Each path goes to the file that DEFINES the named item: the path is walked as far as it names files, the next
//! segment is an item, and re-exports (`pub use child::Name`, also `pub use child::*` and plain imports a child
//! reaches through `super::`) are followed to the defining file. The re-exporting file keeps its own edge to the
//! child, the importer gets none to the re-exporting file. A name that cannot be resolved (macro-generated items
//! such as diesel's `table!`, external re-exports) goes to the deepest file reached and is listed by
//! `architecture::real_graph_is_parsed` (run it with `-- --nocapture`; `TESSERA_ARCH_DUMP=1` also prints
//! every edge).
//!
//! Run: `cargo test --test it architecture`.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::path::Path;

/// Layer ranks of the top-level modules of `src/` (the first segment after `crate`).
///
/// The rule: a module may import only modules of a lower rank; modules of one rank do not import each other.
/// Every top-level module must be placed here (and in ARCHITECTURE.md); `layers_point_down` fails otherwise.
const LAYERS: &[(&str, u8)] = &[
    ("cli", 9),
    ("startup", 8),
    ("http", 7),
    ("admin", 6),
    ("oauth", 5),
    ("oidc", 4),
    ("keys", 3),
    ("storage", 2),
    ("domain", 1),
    ("params", 1),
    ("error", 0),
    ("clock", 0),
    ("config", 0),
    ("i18n", 0),
    ("secrets", 0),
];

/// A real tree has far more edges than this; fewer means the parser lost them and the rules pass vacuously.
const MIN_REAL_EDGES: usize = 40;

#[test]
fn import_graph_has_no_cycle() {
    let graph = real_graph();
    let cycles = cycle_report(&graph);
    assert!(
        cycles.is_empty(),
        "the import graph of src/ has {} cycle(s); break each one (move the shared item down, or invert the \
         dependency):\n{}",
        cycles.len(),
        cycles.join("\n")
    );
}

#[test]
fn layers_point_down() {
    let graph = real_graph();
    let report = layer_report(&graph, LAYERS);
    let mut message = String::new();
    if !report.unknown.is_empty() {
        message.push_str(&format!(
            "{} top-level module(s) missing from LAYERS: place each in the LAYERS table of \
             tests/it/architecture.rs (and in ARCHITECTURE.md):\n",
            report.unknown.len()
        ));
        for line in &report.unknown {
            message.push_str(&format!("  {line}\n"));
        }
    }
    if !report.upward.is_empty() {
        message.push_str(&format!(
            "{} import(s) that do not point to a lower layer (a module may import only modules of a lower rank; \
             modules of one rank do not import each other):\n",
            report.upward.len()
        ));
        for line in &report.upward {
            message.push_str(&format!("  {line}\n"));
        }
    }
    assert!(message.is_empty(), "{message}");
}

/// Handlers extract, call the core once, render (ARCHITECTURE.md): nothing in `src/http/` reaches storage or the
/// key store, nor a database, password-hashing or signing crate. The CSP source hash of the form_post page's static
/// script (`pages.rs`, a SHA-256 of a constant) is the one digest allowed there: it protects nothing secret.
#[test]
fn http_makes_no_storage_or_crypto_call() {
    let graph = real_graph();
    let mut found = Vec::new();
    for ((from, to), names) in &graph.edges {
        let (from, to) = (&graph.files[*from], &graph.files[*to]);
        if from.starts_with("src/http/")
            && (to.starts_with("src/storage/") || to.starts_with("src/keys/") || to == "src/secrets.rs")
        {
            found.push(format!("{from} -> {to}: {}", join(names)));
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    collect_rs_files(&root.join("src/http"), "src/http", &mut files);
    for (path, text) in &files {
        for word in ["diesel::", "argon2::", "jsonwebtoken::", "rsa::", "aws_lc_rs::signature", "aws_lc_rs::aead"] {
            if text.contains(word) {
                found.push(format!("{path} uses {word}"));
            }
        }
    }
    assert!(found.is_empty(), "src/http/ must call the core, not storage or crypto:\n{}", found.join("\n"));
}

#[test]
fn real_graph_is_parsed() {
    let graph = real_graph();
    println!("{} files, {} file-to-file edges", graph.files.len(), graph.edges.len());
    println!("{} unresolved name(s), each attributed to the deepest module file reached:", graph.unresolved.len());
    for line in &graph.unresolved {
        println!("  {line}");
    }
    if std::env::var_os("TESSERA_ARCH_DUMP").is_some() {
        for ((from, to), names) in &graph.edges {
            println!("{} -> {}: {}", graph.files[*from], graph.files[*to], join(names));
        }
    }
    assert!(
        graph.edges.len() > MIN_REAL_EDGES,
        "only {} edges found in src/: the import parser is broken, the architecture rules would pass vacuously",
        graph.edges.len()
    );
    assert!(graph.files.iter().any(|f| f == "src/lib.rs"), "src/lib.rs not read: {:?}", graph.files);
}

// ---------------------------------------------------------------------------------------------------------------
// Reading the tree

fn real_graph() -> Graph {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    collect_rs_files(&root.join("src"), "src", &mut files);
    files.sort();
    build_graph(&files)
}

/// (path relative to the crate root with `/` separators, contents) of every `.rs` file under `dir`.
fn collect_rs_files(dir: &Path, rel: &str, out: &mut Vec<(String, String)>) {
    let entries = fs::read_dir(dir).unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()));
    for entry in entries {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        let rel = format!("{rel}/{name}");
        if path.is_dir() {
            collect_rs_files(&path, &rel, out);
        } else if name.ends_with(".rs") {
            let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
            out.push((rel, text));
        }
    }
}

/// `src/lib.rs` -> `crate`, `src/a/mod.rs` -> `crate::a`, `src/a/b.rs` -> `crate::a::b`; binaries -> None.
fn module_path(rel: &str) -> Option<Vec<String>> {
    let inner = rel.strip_prefix("src/")?.strip_suffix(".rs")?;
    if inner == "main" || inner.starts_with("bin/") {
        return None;
    }
    let mut module = vec!["crate".to_string()];
    if inner != "lib" {
        let mut parts: Vec<&str> = inner.split('/').collect();
        if parts.last() == Some(&"mod") {
            parts.pop();
        }
        module.extend(parts.iter().map(|p| p.to_string()));
    }
    Some(module)
}

// ---------------------------------------------------------------------------------------------------------------
// Lexing: comments dropped, string and char literals reduced to one opaque token

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Ident,
    Punct,
    Literal,
}

#[derive(Debug, Clone)]
struct Token {
    kind: Kind,
    text: String,
    line: usize,
}

fn is_ident_start(c: char) -> bool {
    c == '_' || c.is_alphabetic()
}

fn is_ident_char(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

fn lex(src: &str) -> Vec<Token> {
    let c: Vec<char> = src.chars().collect();
    let at = |k: usize| c.get(k).copied().unwrap_or('\0');
    let mut tokens = Vec::new();
    let mut line = 1;
    let mut i = 0;
    while i < c.len() {
        let ch = c[i];
        let start_line = line;
        let (end, token) = if ch.is_whitespace() {
            (i + 1, None)
        } else if ch == '/' && at(i + 1) == '/' {
            let mut j = i;
            while j < c.len() && c[j] != '\n' {
                j += 1;
            }
            (j, None)
        } else if ch == '/' && at(i + 1) == '*' {
            (skip_block_comment(&c, i), None)
        } else if ch == '"' {
            (skip_quoted(&c, i, '"'), Some((Kind::Literal, "\"\"".to_string())))
        } else if ch == '\'' {
            lex_quote(&c, i)
        } else if is_ident_start(ch) {
            lex_word(&c, i)
        } else if ch.is_ascii_digit() {
            let mut j = i + 1;
            while j < c.len() && (is_ident_char(c[j]) || (c[j] == '.' && at(j + 1).is_ascii_digit())) {
                j += 1;
            }
            (j, Some((Kind::Literal, c[i..j].iter().collect())))
        } else if ch == ':' && at(i + 1) == ':' {
            (i + 2, Some((Kind::Punct, "::".to_string())))
        } else {
            (i + 1, Some((Kind::Punct, ch.to_string())))
        };
        line += c[i..end].iter().filter(|&&x| x == '\n').count();
        if let Some((kind, text)) = token {
            tokens.push(Token { kind, text, line: start_line });
        }
        i = end;
    }
    tokens
}

/// End of a (nested) block comment starting at `i`.
fn skip_block_comment(c: &[char], i: usize) -> usize {
    let mut depth = 0;
    let mut j = i;
    while j < c.len() {
        if c[j] == '/' && c.get(j + 1) == Some(&'*') {
            depth += 1;
            j += 2;
        } else if c[j] == '*' && c.get(j + 1) == Some(&'/') {
            depth -= 1;
            j += 2;
            if depth == 0 {
                return j;
            }
        } else {
            j += 1;
        }
    }
    c.len()
}

/// End of a literal opened by `quote` at `i`, honouring backslash escapes.
fn skip_quoted(c: &[char], i: usize, quote: char) -> usize {
    let mut j = i + 1;
    while j < c.len() {
        if c[j] == '\\' {
            j += 2;
        } else if c[j] == quote {
            return j + 1;
        } else {
            j += 1;
        }
    }
    c.len()
}

/// A char literal (`'x'`, `'\n'`, `'\u{1F600}'`) or a lifetime / label (`'a`).
fn lex_quote(c: &[char], i: usize) -> (usize, Option<(Kind, String)>) {
    if c.get(i + 1) == Some(&'\\') {
        let mut j = i + 3;
        while j < c.len() && c[j] != '\'' {
            j += 1;
        }
        return (j + 1, Some((Kind::Literal, "''".to_string())));
    }
    if c.get(i + 2) == Some(&'\'') {
        return (i + 3, Some((Kind::Literal, "''".to_string())));
    }
    let mut j = i + 1;
    while j < c.len() && is_ident_char(c[j]) {
        j += 1;
    }
    (j, Some((Kind::Literal, c[i..j].iter().collect())))
}

/// An identifier, a raw identifier (`r#type`), or a prefixed literal (`b"…"`, `b'x'`, `r#"…"#`, `br"…"`, `c"…"`).
fn lex_word(c: &[char], i: usize) -> (usize, Option<(Kind, String)>) {
    let ch = c[i];
    let next = c.get(i + 1).copied().unwrap_or('\0');
    if (ch == 'b' || ch == 'c') && next == '"' {
        return (skip_quoted(c, i + 1, '"'), Some((Kind::Literal, "\"\"".to_string())));
    }
    if ch == 'b' && next == '\'' {
        return (skip_quoted(c, i + 1, '\''), Some((Kind::Literal, "''".to_string())));
    }
    let r = if ch == 'r' {
        Some(i)
    } else if (ch == 'b' || ch == 'c') && next == 'r' {
        Some(i + 1)
    } else {
        None
    };
    if let Some(r) = r {
        let mut hashes = 0;
        while c.get(r + 1 + hashes) == Some(&'#') {
            hashes += 1;
        }
        let open = r + 1 + hashes;
        if c.get(open) == Some(&'"') {
            let mut j = open + 1;
            while j < c.len() {
                if c[j] == '"' && (1..=hashes).all(|h| c.get(j + h) == Some(&'#')) {
                    return (j + 1 + hashes, Some((Kind::Literal, "\"\"".to_string())));
                }
                j += 1;
            }
            return (c.len(), Some((Kind::Literal, "\"\"".to_string())));
        }
        if ch == 'r' && hashes == 1 && c.get(open).is_some_and(|&x| is_ident_start(x)) {
            let mut j = open;
            while j < c.len() && is_ident_char(c[j]) {
                j += 1;
            }
            return (j, Some((Kind::Ident, c[open..j].iter().collect())));
        }
    }
    let mut j = i;
    while j < c.len() && is_ident_char(c[j]) {
        j += 1;
    }
    (j, Some((Kind::Ident, c[i..j].iter().collect())))
}

fn text(tokens: &[Token], i: usize) -> &str {
    tokens.get(i).map_or("", |t| t.text.as_str())
}

fn is_ident(tokens: &[Token], i: usize) -> bool {
    tokens.get(i).is_some_and(|t| t.kind == Kind::Ident)
}

fn texts_are(tokens: &[Token], i: usize, expected: &[&str]) -> bool {
    expected.iter().enumerate().all(|(k, e)| text(tokens, i + k) == *e)
}

/// Index of the bracket closing the one at `open` (same kind), or the last token.
fn matching(tokens: &[Token], open: usize) -> usize {
    let (left, right) = match text(tokens, open) {
        "{" => ("{", "}"),
        "[" => ("[", "]"),
        _ => ("(", ")"),
    };
    let mut depth = 0;
    for (k, t) in tokens.iter().enumerate().skip(open) {
        if t.kind == Kind::Punct && t.text == left {
            depth += 1;
        } else if t.kind == Kind::Punct && t.text == right {
            depth -= 1;
            if depth == 0 {
                return k;
            }
        }
    }
    tokens.len().saturating_sub(1)
}

/// Drops every `#[cfg(test)] [attributes] [pub] mod name { … }`: unit tests may import anything.
fn strip_test_modules(tokens: Vec<Token>) -> Vec<Token> {
    let mut out = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        if texts_are(&tokens, i, &["#", "[", "cfg", "(", "test", ")", "]"]) {
            let mut j = i + 7;
            while text(&tokens, j) == "#" && text(&tokens, j + 1) == "[" {
                j = matching(&tokens, j + 1) + 1;
            }
            if text(&tokens, j) == "pub" {
                j += 1;
                if text(&tokens, j) == "(" {
                    j = matching(&tokens, j) + 1;
                }
            }
            if text(&tokens, j) == "mod" && is_ident(&tokens, j + 1) && text(&tokens, j + 2) == "{" {
                i = matching(&tokens, j + 2) + 1;
                continue;
            }
        }
        out.push(tokens[i].clone());
        i += 1;
    }
    out
}

// ---------------------------------------------------------------------------------------------------------------
// Parsing one file: its top-level items, child modules, `use` trees and the paths written in code

#[derive(Debug, Default)]
struct Source {
    path: String,
    module: Vec<String>,
    /// Items defined at the top level of the file (fn, struct, enum, trait, type, const, static, union,
    /// macro_rules!, inline `mod name { … }`).
    defined: BTreeSet<String>,
    /// `#[macro_export] macro_rules! name`: reachable as `crate::name!`.
    exported_macros: BTreeSet<String>,
    /// `mod name;` declarations.
    children: BTreeSet<String>,
    imports: Vec<Import>,
    /// Paths written in code, as `a::b::c` (only those starting with a crate-local head become edges).
    paths: Vec<CodePath>,
}

#[derive(Debug)]
struct Import {
    segments: Vec<String>,
    /// The name the import binds (`as` rename applied); `None` for a glob.
    local: Option<String>,
    line: usize,
}

#[derive(Debug)]
struct CodePath {
    segments: Vec<String>,
    line: usize,
}

const ITEM_KEYWORDS: &[&str] = &["fn", "struct", "enum", "trait", "type", "const", "static", "union"];

fn parse_source(path: &str, module: Vec<String>, src: &str) -> Source {
    let tokens = strip_test_modules(lex(src));
    let mut source = Source { path: path.to_string(), module, ..Source::default() };
    let mut depth = 0i32;
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        if t.kind == Kind::Punct {
            match t.text.as_str() {
                "{" => depth += 1,
                "}" => depth -= 1,
                _ => {}
            }
            i += 1;
            continue;
        }
        if t.kind != Kind::Ident {
            i += 1;
            continue;
        }
        let word = t.text.as_str();
        let next = text(&tokens, i + 1);
        if word == "use" && (is_ident(&tokens, i + 1) || next == "::" || next == "{") {
            i = parse_use(&tokens, i + 1, &mut source.imports);
            continue;
        }
        if depth == 0 && ITEM_KEYWORDS.contains(&word) {
            if let Some(name) = item_name(&tokens, i) {
                source.defined.insert(name);
            }
        } else if depth == 0 && word == "macro_rules" && next == "!" && is_ident(&tokens, i + 2) {
            let name = text(&tokens, i + 2).to_string();
            if has_attribute(&tokens, i, "macro_export") {
                source.exported_macros.insert(name.clone());
            }
            source.defined.insert(name);
        } else if depth == 0 && word == "mod" && is_ident(&tokens, i + 1) {
            let name = text(&tokens, i + 1).to_string();
            match text(&tokens, i + 2) {
                "{" => {
                    source.defined.insert(name);
                }
                ";" => {
                    source.children.insert(name);
                }
                _ => {}
            }
        } else if next == "::" && is_path_start(&tokens, i) {
            let mut segments = vec![word.to_string()];
            let mut j = i + 1;
            while text(&tokens, j) == "::" && is_ident(&tokens, j + 1) {
                segments.push(text(&tokens, j + 1).to_string());
                j += 2;
            }
            if segments.len() > 1 {
                source.paths.push(CodePath { segments, line: t.line });
            }
            i = j;
            continue;
        }
        i += 1;
    }
    source
}

/// Not the middle of a longer path, not a method or field, not `pub(in crate::x)`.
fn is_path_start(tokens: &[Token], i: usize) -> bool {
    if i == 0 {
        return true;
    }
    match text(tokens, i - 1) {
        "::" | "." => false,
        "in" => i < 2 || text(tokens, i - 2) != "(",
        _ => true,
    }
}

/// The name an item keyword at `i` introduces, if it introduces one here.
fn item_name(tokens: &[Token], i: usize) -> Option<String> {
    let mut j = i + 1;
    match text(tokens, i) {
        "const" if matches!(text(tokens, j), "fn" | "unsafe" | "async" | "extern") => return None,
        "static" if text(tokens, j) == "mut" => j += 1,
        _ => {}
    }
    let name = text(tokens, j);
    (is_ident(tokens, j) && name != "_").then(|| name.to_string())
}

/// Whether one of the outer attributes right before token `i` mentions `name` (`#[macro_export]`).
fn has_attribute(tokens: &[Token], i: usize, name: &str) -> bool {
    let mut end = i;
    while end > 0 && text(tokens, end - 1) == "]" {
        let mut depth = 0;
        let mut k = end - 1;
        loop {
            match text(tokens, k) {
                "]" => depth += 1,
                "[" => depth -= 1,
                _ => {}
            }
            if depth == 0 || k == 0 {
                break;
            }
            k -= 1;
        }
        if k == 0 || text(tokens, k - 1) != "#" {
            return false;
        }
        if tokens[k..end].iter().any(|t| t.text == name) {
            return true;
        }
        end = k - 1;
    }
    false
}

/// Parses the use tree after `use` at `start`; returns the index after its `;`.
fn parse_use(tokens: &[Token], start: usize, out: &mut Vec<Import>) -> usize {
    let mut i = start;
    parse_use_tree(tokens, &mut i, Vec::new(), out);
    while i < tokens.len() && text(tokens, i) != ";" {
        i += 1;
    }
    i + 1
}

fn parse_use_tree(tokens: &[Token], i: &mut usize, prefix: Vec<String>, out: &mut Vec<Import>) {
    let mut path = prefix;
    while let Some(t) = tokens.get(*i) {
        match t.text.as_str() {
            "::" => {
                if path.is_empty() {
                    path.push("::".to_string()); // `use ::name`: always an external crate
                }
                *i += 1;
            }
            "{" => {
                *i += 1;
                while let Some(t) = tokens.get(*i) {
                    match t.text.as_str() {
                        "}" => {
                            *i += 1;
                            return;
                        }
                        "," => *i += 1,
                        _ => {
                            let before = *i;
                            parse_use_tree(tokens, i, path.clone(), out);
                            if *i == before {
                                *i += 1;
                            }
                        }
                    }
                }
                return;
            }
            "*" => {
                out.push(Import { segments: path, local: None, line: t.line });
                *i += 1;
                return;
            }
            _ if t.kind == Kind::Ident => {
                let name = t.text.clone();
                *i += 1;
                if text(tokens, *i) == "::" {
                    path.push(name);
                    *i += 1;
                    continue;
                }
                let mut local = if name == "self" { path.last().cloned().unwrap_or_default() } else { name.clone() };
                if name != "self" {
                    path.push(name);
                }
                if text(tokens, *i) == "as" && is_ident(tokens, *i + 1) {
                    local = text(tokens, *i + 1).to_string();
                    *i += 2;
                }
                out.push(Import { segments: path, local: Some(local), line: t.line });
                return;
            }
            _ => return,
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Resolving paths to defining files

#[derive(Debug)]
struct Graph {
    /// Paths relative to the crate root (`src/error.rs`), indexed like `modules`.
    files: Vec<String>,
    modules: Vec<Vec<String>>,
    /// (from, to) -> the names that tie them.
    edges: BTreeMap<(usize, usize), BTreeSet<String>>,
    /// Names that could not be resolved, with the file the edge was attributed to.
    unresolved: BTreeSet<String>,
}

impl Graph {
    fn edge(&self, from: &str, to: &str) -> Option<&BTreeSet<String>> {
        let from = self.files.iter().position(|f| f == from)?;
        let to = self.files.iter().position(|f| f == to)?;
        self.edges.get(&(from, to))
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Target {
    /// The path names a module file.
    Module(usize),
    /// The path names an item; `found` is false when its definition was not found and `file` is the deepest
    /// module file reached.
    Item { file: usize, name: String, found: bool },
}

struct Resolver<'a> {
    sources: &'a [Source],
    by_module: HashMap<Vec<String>, usize>,
    exported_macros: HashMap<String, usize>,
    /// Per file: local names bound to module files by `use` (`use super::end_session;`).
    aliases: Vec<HashMap<String, Vec<String>>>,
}

impl Resolver<'_> {
    /// The module a path starts from, and the index of its first segment after that; `None` for a path that does
    /// not start inside the crate (`std::…`, a local type, an external crate).
    fn base(&self, from: usize, segments: &[String]) -> Option<(Vec<String>, usize)> {
        let source = &self.sources[from];
        match segments.first()?.as_str() {
            "crate" => Some((vec!["crate".to_string()], 1)),
            "self" => Some((source.module.clone(), 1)),
            "super" => {
                let mut module = source.module.clone();
                let mut k = 0;
                while segments.get(k).map(String::as_str) == Some("super") {
                    if module.len() <= 1 {
                        return None;
                    }
                    module.pop();
                    k += 1;
                }
                Some((module, k))
            }
            name => {
                let mut child = source.module.clone();
                child.push(name.to_string());
                if source.children.contains(name) && self.by_module.contains_key(&child) {
                    return Some((child, 1));
                }
                self.aliases[from].get(name).map(|module| (module.clone(), 1))
            }
        }
    }

    fn resolve(&self, from: usize, segments: &[String]) -> Option<Target> {
        self.resolve_guarded(from, segments, &mut BTreeSet::new())
    }

    fn resolve_guarded(
        &self,
        from: usize,
        segments: &[String],
        seen: &mut BTreeSet<(usize, String)>,
    ) -> Option<Target> {
        let (mut module, k) = self.base(from, segments)?;
        let mut rest = &segments[k..];
        while let Some(segment) = rest.first() {
            let mut deeper = module.clone();
            deeper.push(segment.clone());
            if !self.by_module.contains_key(&deeper) {
                break;
            }
            module = deeper;
            rest = &rest[1..];
        }
        let file = *self.by_module.get(&module)?;
        let Some(name) = rest.first() else {
            return Some(Target::Module(file));
        };
        let defining = self.find_item(file, name, seen);
        Some(Target::Item { file: defining.unwrap_or(file), name: name.clone(), found: defining.is_some() })
    }

    /// The file defining `name` as seen from module file `file`: defined there, or imported there (re-exports, and
    /// plain imports a child module reaches through `super::`), or a `#[macro_export]` macro at the crate root.
    fn find_item(&self, file: usize, name: &str, seen: &mut BTreeSet<(usize, String)>) -> Option<usize> {
        if !seen.insert((file, name.to_string())) {
            return None;
        }
        let source = &self.sources[file];
        if source.defined.contains(name) {
            return Some(file);
        }
        if source.module.len() == 1
            && let Some(&defining) = self.exported_macros.get(name)
        {
            return Some(defining);
        }
        for import in source.imports.iter().filter(|i| i.local.as_deref() == Some(name)) {
            match self.resolve_guarded(file, &import.segments, seen) {
                Some(Target::Module(defining)) | Some(Target::Item { file: defining, found: true, .. }) => {
                    return Some(defining);
                }
                _ => {}
            }
        }
        for import in source.imports.iter().filter(|i| i.local.is_none()) {
            if let Some(Target::Module(glob)) = self.resolve_guarded(file, &import.segments, seen)
                && let Some(defining) = self.find_item(glob, name, seen)
            {
                return Some(defining);
            }
        }
        None
    }
}

/// Builds the file-level import graph from `(path relative to the crate root, contents)` pairs.
fn build_graph(files: &[(String, String)]) -> Graph {
    let sources: Vec<Source> = files
        .iter()
        .filter_map(|(path, text)| module_path(path).map(|module| parse_source(path, module, text)))
        .collect();
    let by_module = sources.iter().enumerate().map(|(k, s)| (s.module.clone(), k)).collect();
    let exported_macros =
        sources.iter().enumerate().flat_map(|(k, s)| s.exported_macros.iter().map(move |m| (m.clone(), k))).collect();
    let mut resolver =
        Resolver { sources: &sources, by_module, exported_macros, aliases: vec![HashMap::new(); sources.len()] };
    let aliases = (0..sources.len())
        .map(|from| {
            sources[from]
                .imports
                .iter()
                .filter_map(|import| match (resolver.resolve(from, &import.segments), &import.local) {
                    (Some(Target::Module(file)), Some(local)) => Some((local.clone(), sources[file].module.clone())),
                    _ => None,
                })
                .collect()
        })
        .collect();
    resolver.aliases = aliases;

    let mut graph = Graph {
        files: sources.iter().map(|s| s.path.clone()).collect(),
        modules: sources.iter().map(|s| s.module.clone()).collect(),
        edges: BTreeMap::new(),
        unresolved: BTreeSet::new(),
    };
    for (from, source) in sources.iter().enumerate() {
        // (segments, line, target, glob)
        let mut found: Vec<(&[String], usize, Target, bool)> = Vec::new();
        let mut used_aliases = BTreeSet::new();
        for path in &source.paths {
            if let Some(target) = resolver.resolve(from, &path.segments) {
                if resolver.aliases[from].contains_key(&path.segments[0]) {
                    used_aliases.insert(&path.segments[0]);
                }
                found.push((&path.segments, path.line, target, false));
            }
        }
        for import in &source.imports {
            match resolver.resolve(from, &import.segments) {
                // A module imported by name and used in paths: the paths gave the precise edges.
                Some(Target::Module(_)) if import.local.as_ref().is_some_and(|l| used_aliases.contains(l)) => {}
                Some(target) => found.push((&import.segments, import.line, target, import.local.is_none())),
                None => {}
            }
        }
        for (segments, line, target, glob) in found {
            let (to, name) = match target {
                Target::Module(file) if glob => (file, "*".to_string()),
                Target::Module(file) => (file, format!("mod {}", sources[file].module.last().unwrap())),
                Target::Item { file, name, found } => {
                    if !found {
                        graph.unresolved.insert(format!(
                            "{}:{line}: {} (attributed to {})",
                            source.path,
                            segments.join("::"),
                            sources[file].path
                        ));
                    }
                    (file, name)
                }
            };
            if to != from {
                graph.edges.entry((from, to)).or_default().insert(name);
            }
        }
    }
    graph
}

// ---------------------------------------------------------------------------------------------------------------
// Rules

fn join(names: &BTreeSet<String>) -> String {
    names.iter().cloned().collect::<Vec<_>>().join(", ")
}

/// Strongly connected components with more than one file (Tarjan), each sorted by path, in order of their first
/// file.
fn cycles(graph: &Graph) -> Vec<Vec<usize>> {
    struct Tarjan {
        adjacent: Vec<Vec<usize>>,
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on_stack: Vec<bool>,
        stack: Vec<usize>,
        next: usize,
        components: Vec<Vec<usize>>,
    }
    fn connect(t: &mut Tarjan, v: usize) {
        t.index[v] = Some(t.next);
        t.low[v] = t.next;
        t.next += 1;
        t.stack.push(v);
        t.on_stack[v] = true;
        for w in t.adjacent[v].clone() {
            match t.index[w] {
                None => {
                    connect(t, w);
                    t.low[v] = t.low[v].min(t.low[w]);
                }
                Some(index) if t.on_stack[w] => t.low[v] = t.low[v].min(index),
                Some(_) => {}
            }
        }
        if Some(t.low[v]) == t.index[v] {
            let mut component = Vec::new();
            while let Some(w) = t.stack.pop() {
                t.on_stack[w] = false;
                component.push(w);
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                t.components.push(component);
            }
        }
    }
    let n = graph.files.len();
    let mut adjacent = vec![Vec::new(); n];
    for &(from, to) in graph.edges.keys() {
        if from != to {
            adjacent[from].push(to);
        }
    }
    let mut t = Tarjan {
        adjacent,
        index: vec![None; n],
        low: vec![0; n],
        on_stack: vec![false; n],
        stack: Vec::new(),
        next: 0,
        components: Vec::new(),
    };
    for v in 0..n {
        if t.index[v].is_none() {
            connect(&mut t, v);
        }
    }
    let mut components = t.components;
    for component in &mut components {
        component.sort_by(|a, b| graph.files[*a].cmp(&graph.files[*b]));
    }
    components.sort_by(|a, b| graph.files[a[0]].cmp(&graph.files[b[0]]));
    components
}

/// One paragraph per cycle: its files, then every edge inside it with the names that tie them.
fn cycle_report(graph: &Graph) -> Vec<String> {
    cycles(graph)
        .iter()
        .enumerate()
        .map(|(k, component)| {
            let files: Vec<&str> = component.iter().map(|&f| graph.files[f].as_str()).collect();
            let mut paragraph = format!("cycle {} ({} files): {}\n", k + 1, files.len(), files.join(", "));
            for ((from, to), names) in &graph.edges {
                if component.contains(from) && component.contains(to) {
                    paragraph.push_str(&format!(
                        "    {} -> {}: {}\n",
                        graph.files[*from],
                        graph.files[*to],
                        join(names)
                    ));
                }
            }
            paragraph
        })
        .collect()
}

struct LayerReport {
    /// `module (files…)` for each top-level module not in the table.
    unknown: Vec<String>,
    /// `from (module rank) -> to (module rank): names` for each edge that does not point down.
    upward: Vec<String>,
}

fn top_module(module: &[String]) -> Option<&str> {
    module.get(1).map(String::as_str)
}

fn layer_report(graph: &Graph, layers: &[(&str, u8)]) -> LayerReport {
    let rank = |module: &str| layers.iter().find(|(name, _)| *name == module).map(|&(_, rank)| rank);
    let mut unknown: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (file, module) in graph.files.iter().zip(&graph.modules) {
        if let Some(top) = top_module(module)
            && rank(top).is_none()
        {
            unknown.entry(top).or_default().push(file);
        }
    }
    // Modules each unknown module imports and is imported by, to help place it.
    let mut imports: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut imported_by: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut upward = Vec::new();
    for ((from, to), names) in &graph.edges {
        let (Some(a), Some(b)) = (top_module(&graph.modules[*from]), top_module(&graph.modules[*to])) else {
            continue;
        };
        if a == b {
            continue;
        }
        imports.entry(a).or_default().insert(b);
        imported_by.entry(b).or_default().insert(a);
        if let (Some(ra), Some(rb)) = (rank(a), rank(b))
            && ra <= rb
        {
            upward.push(format!(
                "{} ({a} {ra}) -> {} ({b} {rb}): {}",
                graph.files[*from],
                graph.files[*to],
                join(names)
            ));
        }
    }
    let list = |map: &BTreeMap<&str, BTreeSet<&str>>, module: &str| {
        map.get(module).map_or("nothing".to_string(), |set| set.iter().copied().collect::<Vec<_>>().join(", "))
    };
    let unknown = unknown
        .iter()
        .map(|(module, files)| {
            format!(
                "{module} ({}): imports {}; imported by {}",
                files.join(", "),
                list(&imports, module),
                list(&imported_by, module)
            )
        })
        .collect();
    LayerReport { unknown, upward }
}

// ---------------------------------------------------------------------------------------------------------------
// The checker's own tests, on small source trees

fn graph_of(files: &[(&str, &str)]) -> Graph {
    let files: Vec<(String, String)> = files.iter().map(|(p, t)| (p.to_string(), t.to_string())).collect();
    build_graph(&files)
}

fn names(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(|s| s.to_string()).collect()
}

const SMALL_LIB: (&str, &str) = ("src/lib.rs", "pub mod a;\npub mod b;\n");
const SMALL_A: (&str, &str) = ("src/a/mod.rs", "pub mod x;\npub mod y;\npub struct Top;\n");
const SMALL_X: (&str, &str) = ("src/a/x.rs", "pub struct C;\npub fn d() {}\npub(crate) const K: u8 = 1;\n");
const SMALL_Y: (&str, &str) = ("src/a/y.rs", "pub enum E { V }\npub trait F {}\nmacro_rules! m { () => {} }\n");

#[test]
fn parser_follows_grouped_nested_and_renamed_uses() {
    let b = (
        "src/b.rs",
        "pub use crate::a::{\n    x::{C, d as dee},\n    y::{self as why, E, F},\n    Top,\n};\n\
         pub(crate) use crate::a::x::K;\nmod inner;\n",
    );
    let graph = graph_of(&[SMALL_LIB, SMALL_A, SMALL_X, SMALL_Y, b]);
    assert_eq!(graph.edge("src/b.rs", "src/a/x.rs"), Some(&names(&["C", "K", "d"])));
    assert_eq!(graph.edge("src/b.rs", "src/a/y.rs"), Some(&names(&["E", "F", "mod y"])));
    assert_eq!(graph.edge("src/b.rs", "src/a/mod.rs"), Some(&names(&["Top"])));
    // `pub mod a;` in lib.rs and `mod inner;` are declarations, not edges.
    assert_eq!(graph.edges.len(), 3, "{graph:?}");
    assert!(graph.unresolved.is_empty(), "{:?}", graph.unresolved);
}

#[test]
fn parser_resolves_super_self_and_inline_paths() {
    let x = (
        "src/a/x.rs",
        "use super::Top;\nuse self::inner::Z;\nmod inner { pub struct Z; }\n\
         pub fn d() -> super::y::E { super::super::b::g(); crate::a::y::m!(); \
         let _: Vec<crate::b::B> = Vec::new(); super::y::E::V }\n",
    );
    let b = ("src/b.rs", "pub struct B;\npub fn g() {}\n");
    let graph = graph_of(&[SMALL_LIB, SMALL_A, x, SMALL_Y, b]);
    assert_eq!(graph.edge("src/a/x.rs", "src/a/mod.rs"), Some(&names(&["Top"])));
    assert_eq!(graph.edge("src/a/x.rs", "src/a/y.rs"), Some(&names(&["E", "m"])));
    assert_eq!(graph.edge("src/a/x.rs", "src/b.rs"), Some(&names(&["B", "g"])));
    assert_eq!(graph.edges.len(), 3, "self::inner is in the file itself: {graph:?}");
}

#[test]
fn parser_uses_module_aliases_in_code() {
    let b = ("src/b.rs", "use crate::a::x;\nuse crate::a::y as why;\nfn f() { x::d(); }\n");
    let graph = graph_of(&[SMALL_LIB, SMALL_A, SMALL_X, SMALL_Y, b]);
    assert_eq!(graph.edge("src/b.rs", "src/a/x.rs"), Some(&names(&["d"])));
    assert_eq!(graph.edge("src/b.rs", "src/a/y.rs"), Some(&names(&["mod y"])), "imported, never used in a path");
}

#[test]
fn parser_follows_reexports_to_the_defining_file() {
    let lib = ("src/lib.rs", "pub mod facade;\npub mod user;\n");
    let facade = (
        "src/facade/mod.rs",
        "mod deep;\nmod glob;\npub use deep::{Thing, Other as Renamed};\npub use glob::*;\n\
         use crate::user::Local;\n",
    );
    let deep = ("src/facade/deep.rs", "mod deeper;\npub use self::deeper::Thing;\npub struct Other;\n");
    let deeper = ("src/facade/deep/deeper.rs", "pub struct Thing;\n");
    let glob = ("src/facade/glob.rs", "pub fn globbed() {}\n");
    let user = (
        "src/user.rs",
        "pub struct Local;\nuse crate::facade::{Thing, Renamed};\nfn f() { crate::facade::globbed(); }\n",
    );
    let child_of_facade = ("src/facade/child.rs", "use super::Local;\n");
    let graph = graph_of(&[lib, facade, deep, deeper, glob, user, child_of_facade]);
    assert_eq!(graph.edge("src/user.rs", "src/facade/deep/deeper.rs"), Some(&names(&["Thing"])));
    assert_eq!(graph.edge("src/user.rs", "src/facade/deep.rs"), Some(&names(&["Renamed"])));
    assert_eq!(graph.edge("src/user.rs", "src/facade/glob.rs"), Some(&names(&["globbed"])));
    assert_eq!(graph.edge("src/user.rs", "src/facade/mod.rs"), None, "nothing to the re-exporting file");
    // The re-exporting files keep their own edges to their children.
    assert_eq!(graph.edge("src/facade/mod.rs", "src/facade/deep.rs"), Some(&names(&["Other"])));
    assert_eq!(graph.edge("src/facade/mod.rs", "src/facade/deep/deeper.rs"), Some(&names(&["Thing"])));
    assert_eq!(graph.edge("src/facade/mod.rs", "src/facade/glob.rs"), Some(&names(&["*"])));
    assert_eq!(graph.edge("src/facade/deep.rs", "src/facade/deep/deeper.rs"), Some(&names(&["Thing"])));
    // A child reaching a name its parent merely imports goes to where the name is defined.
    assert_eq!(graph.edge("src/facade/child.rs", "src/user.rs"), Some(&names(&["Local"])));
    assert!(graph.unresolved.is_empty(), "{:?}", graph.unresolved);
}

#[test]
fn parser_ignores_comments_strings_and_unit_tests() {
    let b = (
        "src/b.rs",
        r####"//! Module docs mention crate::a::Top and use crate::a::x::C;
/// So do item docs: [`crate::a::y::E`], `super::a::Top`.
/* block /* nested crate::a::Top */ use crate::a::Top; */
#[doc = "crate::a::Top"]
pub fn f<'a>(s: &'a str) -> (char, char, &'static str) {
    let _ = "use crate::a::Top; \" crate::a::x::C";
    let _ = r#"crate::a::x::d() "quoted" "#;
    let _ = b"crate::a::Top";
    ('{', '\'', s)
}
pub struct AfterBraceChars;
#[cfg(test)]
mod tests {
    use super::*;
    use crate::a::y::F;
    fn t() { crate::a::x::d(); }
}
"####,
    );
    let user = ("src/c.rs", "use crate::b::AfterBraceChars;\n");
    let lib = ("src/lib.rs", "pub mod a;\npub mod b;\npub mod c;\n");
    let graph = graph_of(&[lib, SMALL_A, SMALL_X, SMALL_Y, b, user]);
    let from_b: Vec<_> = graph.edges.keys().filter(|(from, _)| graph.files[*from] == "src/b.rs").collect();
    assert!(from_b.is_empty(), "edges from comments, strings or tests: {graph:?}");
    // The char literals '{' and '\'' did not unbalance the braces: the struct after them is top-level.
    assert_eq!(graph.edge("src/c.rs", "src/b.rs"), Some(&names(&["AfterBraceChars"])));
    assert!(graph.unresolved.is_empty(), "{:?}", graph.unresolved);
}

#[test]
fn parser_reports_unresolved_names_without_failing() {
    let b = ("src/b.rs", "use crate::a::x::Missing;\nfn f() { crate::a::nowhere(); }\n");
    let graph = graph_of(&[SMALL_LIB, SMALL_A, SMALL_X, SMALL_Y, b]);
    assert_eq!(graph.edge("src/b.rs", "src/a/x.rs"), Some(&names(&["Missing"])));
    assert_eq!(graph.edge("src/b.rs", "src/a/mod.rs"), Some(&names(&["nowhere"])));
    assert_eq!(graph.unresolved.len(), 2, "{:?}", graph.unresolved);
}

#[test]
fn parser_finds_exported_macros_at_the_crate_root() {
    let y = ("src/a/y.rs", "#[macro_export]\n#[doc(hidden)]\nmacro_rules! shout { () => {} }\n");
    let b = ("src/b.rs", "fn f() { crate::shout!(); }\n");
    let graph = graph_of(&[SMALL_LIB, SMALL_A, SMALL_X, y, b]);
    assert_eq!(graph.edge("src/b.rs", "src/a/y.rs"), Some(&names(&["shout"])));
}

#[test]
fn rules_find_cycles_and_upward_imports() {
    let lib = ("src/lib.rs", "pub mod low;\npub mod high;\npub mod other;\n");
    let low = ("src/low.rs", "use crate::high::H;\npub struct L;\n");
    let high = ("src/high/mod.rs", "mod part;\npub use part::H;\npub struct Shared;\n");
    let part = ("src/high/part.rs", "use crate::low::L;\nuse super::Shared;\npub struct H;\n");
    let other = ("src/other.rs", "use crate::low::L;\n");
    let graph = graph_of(&[lib, low, high, part, other]);

    let found = cycle_report(&graph);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("src/high/mod.rs, src/high/part.rs, src/low.rs"), "{}", found[0]);
    assert!(found[0].contains("src/low.rs -> src/high/part.rs: H"), "{}", found[0]);
    assert!(found[0].contains("src/high/part.rs -> src/low.rs: L"), "{}", found[0]);

    let report = layer_report(&graph, &[("high", 2), ("low", 1)]);
    assert_eq!(report.upward, vec!["src/low.rs (low 1) -> src/high/part.rs (high 2): H".to_string()]);
    assert_eq!(report.unknown, vec!["other (src/other.rs): imports low; imported by nothing".to_string()]);
    let report = layer_report(&graph, &[("high", 1), ("low", 1), ("other", 0)]);
    assert_eq!(report.upward.len(), 3, "one rank does not import each other: {:?}", report.upward);
}
