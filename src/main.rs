use clap::Parser;

fn main() -> std::process::ExitCode {
    // The log starts in `cli::run`, once the settings say which format it has (`log_format`).
    match tessera::cli::run(tessera::cli::Cli::parse()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
