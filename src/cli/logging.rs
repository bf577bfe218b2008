//! The process's log: plain text lines (the default; colours only on a terminal) or, with `log_format = "json"`,
//! one JSON object per line (tracing-subscriber's JSON formatter) whose `span` holds the request's id, route and
//! client address. Chosen once the settings are read, before anything else logs.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

pub fn init(log_format: &str) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    // A second init (a test calling `run` twice) keeps the first subscriber.
    let _ = if log_format == "json" {
        builder.json().with_current_span(true).with_span_list(false).try_init()
    } else {
        // Colours only on a terminal: log files and journald get plain, greppable lines.
        builder.with_ansi(std::io::stderr().is_terminal()).try_init()
    };
}
