//! What an import from the old system did (or, in a dry run, would do), for the person at the
//! terminal: counts per table, what was skipped and why, orders whose totals differ, what the
//! source held that nothing took.

use std::collections::BTreeMap;

/// An order whose recorded total is not the sum of its lines, kept as recorded.
#[derive(Debug, Clone)]
pub struct TotalDifference {
    pub order_number: String,
    pub recorded: String,
    pub lines: String,
}

#[derive(Debug, Default)]
pub struct Report {
    pub dry_run: bool,
    pub source: String,
    pub source_time_zone: String,
    /// Rows written per table of ours.
    pub counts: BTreeMap<&'static str, u64>,
    /// Rows of the source left out, each with why.
    pub skipped: Vec<String>,
    pub totals_differ: Vec<TotalDifference>,
    pub unused_tables: Vec<String>,
    pub unused_columns: Vec<String>,
    /// Accounts whose password is still admin123: they must choose a new one.
    pub must_change: Vec<String>,
    /// Things a person should know (a role read as another, addresses put in notes...).
    pub notes: Vec<String>,
    pub backup: Option<String>,
    pub check: Vec<String>,
    pub check_ok: bool,
}

/// Long lists are cut in the terminal; the counts stay whole.
const SHOWN: usize = 50;

fn listed(out: &mut Vec<String>, items: &[String]) {
    for item in items.iter().take(SHOWN) {
        out.push(format!("  {item}"));
    }
    if items.len() > SHOWN {
        out.push(format!("  ... and {} more", items.len() - SHOWN));
    }
}

impl Report {
    pub fn lines(&self) -> Vec<String> {
        let verb = if self.dry_run { "would import" } else { "imported" };
        let mut out = vec![format!(
            "{verb} from {} (its times read as {}):",
            self.source, self.source_time_zone
        )];
        for (table, n) in &self.counts {
            out.push(format!("  {table:<20} {n}"));
        }
        for note in &self.notes {
            out.push(format!("note: {note}"));
        }
        if !self.must_change.is_empty() {
            out.push(format!(
                "{} account(s) still have the password admin123 and must choose a new one at sign-in: {}",
                self.must_change.len(),
                self.must_change.join(", ")
            ));
        }
        out.push(format!(
            "{} order(s) have a total that differs from the sum of their lines; the total was kept as recorded:",
            self.totals_differ.len()
        ));
        let differ: Vec<String> = self
            .totals_differ
            .iter()
            .map(|d| format!("{}: total {}, lines {}", d.order_number, d.recorded, d.lines))
            .collect();
        listed(&mut out, &differ);
        out.push(format!("{} row(s) skipped:", self.skipped.len()));
        listed(&mut out, &self.skipped);
        if !self.unused_tables.is_empty() {
            out.push(format!("tables not used: {}", self.unused_tables.join(", ")));
        }
        if !self.unused_columns.is_empty() {
            out.push(format!("columns not used: {}", self.unused_columns.join(", ")));
        }
        if let Some(backup) = &self.backup {
            out.push(format!("the database as it was before is backed up in {backup}"));
        }
        if !self.check.is_empty() {
            out.push(format!(
                "check after the import: {}",
                if self.check_ok { "ok" } else { "PROBLEMS" }
            ));
            listed(&mut out, &self.check);
        }
        if self.dry_run {
            out.push("dry run: nothing was written".into());
        }
        out
    }
}
