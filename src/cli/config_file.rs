//! The optional TOML config file. Its keys are the long names of the flags (`data-dir`,
//! `http`, `domain`, ...), so there is one list of settings, documented once by `--help`.
//!
//! Precedence is flag, then env var, then file, then default. The file is merged by adding its
//! values as flags to the command line for every setting that neither a flag nor an env var
//! already set, then parsing again: clap validates file values exactly like typed ones.

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::parser::ValueSource;
use clap::{ArgAction, ArgMatches, CommandFactory, FromArgMatches};

use super::Cli;

/// Read when it exists and `--config` is not given.
pub const DEFAULT_PATH: &str = "/etc/order-system/config.toml";

/// Settings never printed back: `config check` shows them masked.
const SECRETS: [&str; 4] = ["jwt-secret", "admin-password", "metrics-token", "database"];

/// The config file that was read, and which of its keys took effect.
pub struct Loaded {
    pub path: PathBuf,
    pub applied: BTreeSet<String>,
}

/// Every setting of the leaf command with its effective value and where that came from; filled
/// for `config check`.
#[derive(Default)]
pub struct Report {
    pub entries: Vec<Entry>,
}

pub struct Entry {
    pub key: String,
    /// As given (masked for secrets); empty when unset.
    pub values: Vec<String>,
    /// flag, env, file, default or unset.
    pub source: &'static str,
}

pub struct Parsed {
    pub cli: Cli,
    pub file: Option<Loaded>,
    pub report: Report,
}

/// Parses the command line, merging in the config file. Help, version and usage errors exit
/// the process the way clap does.
pub fn parse(mut argv: Vec<OsString>) -> anyhow::Result<Parsed> {
    let first = Cli::command().try_get_matches_from(&argv).unwrap_or_else(|e| e.exit());
    let path = match first.get_one::<PathBuf>("config") {
        Some(path) => Some(path.clone()),
        None if matches!(first.subcommand_name(), Some("version" | "openapi")) => None,
        None => Some(PathBuf::from(DEFAULT_PATH)).filter(|p| p.exists()),
    };
    let Some(path) = path else {
        let report = report_if_asked(&first, &BTreeSet::new());
        let cli = Cli::from_arg_matches(&first).unwrap_or_else(|e| e.exit());
        return Ok(Parsed {
            cli,
            file: None,
            report,
        });
    };
    let table = read(&path)?;
    let (extra, applied) = merge_args(&table, &first).with_context(|| format!("config file {}", path.display()))?;
    argv.extend(extra);
    let matches = Cli::command()
        .try_get_matches_from(&argv)
        .map_err(|e| anyhow::anyhow!("config file {}: {}", path.display(), first_line(&e.to_string())))?;
    let report = report_if_asked(&matches, &applied);
    let cli = Cli::from_arg_matches(&matches).map_err(|e| anyhow::anyhow!("{}", first_line(&e.to_string())))?;
    Ok(Parsed {
        cli,
        file: Some(Loaded { path, applied }),
        report,
    })
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or(text).trim_start_matches("error: ")
}

fn read(path: &Path) -> anyhow::Result<toml::Table> {
    let text = std::fs::read_to_string(path).with_context(|| {
        format!(
            "cannot read the config file {} (run as the service's user, or pass --config)",
            path.display()
        )
    })?;
    text.parse::<toml::Table>()
        .map_err(|e| anyhow::anyhow!("config file {}: {}", path.display(), e.to_string().trim_end()))
}

/// The keys a config file may hold: the global flags and every flag of `serve`.
fn known_keys() -> BTreeSet<String> {
    let cmd = Cli::command();
    let globals = cmd.get_arguments().filter(|a| a.is_global_set());
    let serve = cmd
        .find_subcommand("serve")
        .map(|s| s.get_arguments().cloned().collect::<Vec<_>>())
        .unwrap_or_default();
    globals
        .cloned()
        .chain(serve)
        .filter_map(|a| a.get_long().map(str::to_owned))
        .filter(|long| long != "config" && long != "help")
        .collect()
}

/// The deepest subcommand's matches and its command definition.
fn leaf(matches: &ArgMatches) -> (clap::Command, ArgMatches) {
    let mut cmd = Cli::command();
    // Building propagates the global flags into every subcommand's definition.
    cmd.build();
    let mut m = matches.clone();
    while let Some((name, sub)) = m.subcommand() {
        let Some(next) = cmd.find_subcommand(name).cloned() else {
            break;
        };
        let sub = sub.clone();
        (cmd, m) = (next, sub);
    }
    (cmd, m)
}

/// Flags for the file's settings that neither a flag nor an env var set already.
fn merge_args(table: &toml::Table, first: &ArgMatches) -> anyhow::Result<(Vec<OsString>, BTreeSet<String>)> {
    let known = known_keys();
    let (leaf_cmd, leaf_matches) = leaf(first);
    let mut extra = Vec::new();
    let mut applied = BTreeSet::new();
    for (key, value) in table {
        if key == "config" {
            bail!("`config` cannot be set inside a config file");
        }
        if !known.contains(key) {
            let hint = known.iter().cloned().collect::<Vec<_>>().join(", ");
            bail!("unknown key `{key}` (known keys: {hint})");
        }
        let Some(arg) = leaf_cmd.get_arguments().find(|a| a.get_long() == Some(key.as_str())) else {
            // A setting of `serve` while running another command: nothing to do.
            continue;
        };
        let id = arg.get_id().as_str();
        if matches!(
            leaf_matches.value_source(id),
            Some(ValueSource::CommandLine | ValueSource::EnvVariable)
        ) {
            continue;
        }
        let flag = matches!(arg.get_action(), ArgAction::SetTrue);
        for text in values_of(key, value)? {
            match (flag, text.as_str()) {
                (true, "true") => extra.push(OsString::from(format!("--{key}"))),
                (true, "false") => {}
                (true, _) => bail!("`{key}` must be true or false"),
                (false, _) => extra.push(OsString::from(format!("--{key}={text}"))),
            }
        }
        applied.insert(key.clone());
    }
    Ok((extra, applied))
}

fn values_of(key: &str, value: &toml::Value) -> anyhow::Result<Vec<String>> {
    Ok(match value {
        toml::Value::String(s) => vec![s.clone()],
        toml::Value::Integer(i) => vec![i.to_string()],
        toml::Value::Boolean(b) => vec![b.to_string()],
        toml::Value::Array(items) => {
            let mut all = Vec::new();
            for item in items {
                if matches!(item, toml::Value::Array(_) | toml::Value::Table(_)) {
                    bail!("`{key}` must be a list of plain values");
                }
                all.extend(values_of(key, item)?);
            }
            all
        }
        _ => bail!("`{key}` must be a string, a number, true/false or a list"),
    })
}

/// The report only `config check` prints; other commands skip building it at start-up.
fn report_if_asked(matches: &ArgMatches, from_file: &BTreeSet<String>) -> Report {
    match matches.subcommand_name() {
        Some("config") => report_for(matches, from_file),
        _ => Report::default(),
    }
}

/// Where each setting of the leaf command (and each global one) came from.
fn report_for(matches: &ArgMatches, from_file: &BTreeSet<String>) -> Report {
    let (cmd, leaf_matches) = leaf(matches);
    let top = Cli::command();
    let globals: Vec<clap::Arg> = top.get_arguments().filter(|a| a.is_global_set()).cloned().collect();
    let mut entries = Vec::new();
    let mut seen = BTreeSet::new();
    for arg in globals.iter().chain(cmd.get_arguments()) {
        let (Some(long), id) = (arg.get_long(), arg.get_id().as_str()) else {
            continue;
        };
        if matches!(long, "help" | "version" | "config") || !seen.insert(long.to_owned()) {
            continue;
        }
        let values: Vec<String> = leaf_matches
            .get_raw(id)
            .into_iter()
            .flatten()
            .map(|v| v.to_string_lossy().into_owned())
            .collect();
        let source = match leaf_matches.value_source(id) {
            _ if from_file.contains(long) => "file",
            Some(ValueSource::CommandLine) => "flag",
            Some(ValueSource::EnvVariable) => "env",
            Some(ValueSource::DefaultValue) => "default",
            _ => "unset",
        };
        let values = if SECRETS.contains(&long) && !values.is_empty() {
            vec!["********".to_owned()]
        } else {
            values
        };
        entries.push(Entry {
            key: long.to_owned(),
            values,
            source,
        });
    }
    Report { entries }
}

impl Report {
    /// The effective settings as a TOML file (unset ones commented out), sources as comments.
    pub fn to_toml(&self) -> String {
        let mut out = String::new();
        for e in &self.entries {
            let value = match e.values.as_slice() {
                [] => None,
                [one] if e.key != "domain" && e.key != "metrics-allow" => Some(toml_scalar(one)),
                many => Some(format!(
                    "[{}]",
                    many.iter().map(|v| toml_scalar(v)).collect::<Vec<_>>().join(", ")
                )),
            };
            match value {
                Some(v) => out.push_str(&format!("{:<40} # {}\n", format!("{} = {v}", e.key), e.source)),
                None => out.push_str(&format!("# {} (unset)\n", e.key)),
            }
        }
        out
    }
}

fn toml_scalar(raw: &str) -> String {
    if raw == "true" || raw == "false" || raw.parse::<i64>().is_ok() {
        raw.to_owned()
    } else {
        toml::Value::String(raw.to_owned()).to_string()
    }
}
