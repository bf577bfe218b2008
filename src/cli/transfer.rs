//! `tessera export` and `tessera import`: a deployment as JSON lines, to move it to another backend.

use std::io::{BufRead, Write};
use std::path::PathBuf;

use anyhow::Context;

use super::open::open_db;
use crate::config::Settings;
use crate::storage::{ExportRecord, Transfer};

pub fn export(settings: &Settings, output: Option<PathBuf>) -> anyhow::Result<()> {
    let records = open_db(settings)?.export_records()?;
    let mut writer: Box<dyn Write> = match &output {
        Some(path) => {
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            Box::new(options.open(path).with_context(|| format!("creating {}", path.display()))?)
        }
        None => Box::new(std::io::stdout().lock()),
    };
    for record in &records {
        serde_json::to_writer(&mut writer, record)?;
        writer.write_all(b"\n")?;
    }
    writer.flush()?;
    eprintln!("exported {} records; the export holds password hashes and private keys: keep it secret", records.len());
    Ok(())
}

pub fn import(settings: &Settings, file: Option<PathBuf>) -> anyhow::Result<()> {
    let reader: Box<dyn BufRead> = match file.as_deref() {
        Some(path) if path.as_os_str() != "-" => Box::new(std::io::BufReader::new(
            std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?,
        )),
        _ => Box::new(std::io::stdin().lock()),
    };
    let mut records = Vec::new();
    for (number, line) in reader.lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        records.push(serde_json::from_str::<ExportRecord>(&line).with_context(|| format!("line {}", number + 1))?);
    }
    let count = open_db(settings)?.import_records(&records)?;
    println!("imported {count} records into {}", settings.database_display());
    Ok(())
}
