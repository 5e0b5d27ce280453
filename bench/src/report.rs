//! The report's tables: the headline one is filled by `headline`; the cold-build sections are
//! written here from what `cold` and `features` measured.

use std::collections::BTreeSet;
use std::time::Duration;

use crate::cold::{Measured, Outcome, Variant};
use crate::features::Trees;
use crate::timings;
use crate::util::secs;

/// A markdown table.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(header: &[&str]) -> Self {
        Table {
            header: header.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
        }
    }

    pub fn row<const N: usize>(&mut self, cells: [String; N]) {
        self.rows.push(cells.into());
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn markdown(&self) -> String {
        let line = |cells: &[String]| format!("| {} |\n", cells.join(" | "));
        let mut out = line(&self.header);
        out.push_str(&line(&vec!["---".to_owned(); self.header.len()]));
        for r in &self.rows {
            out.push_str(&line(r));
        }
        out
    }
}

/// Ours over the baseline, two decimals.
pub fn ratio(ours: Duration, base: Duration) -> String {
    format!("{:.2}", ours.as_secs_f64() / base.as_secs_f64())
}

/// The ratio of two outcomes when both were measured.
fn outcome_ratio(ours: Option<&Outcome>, base: Option<&Outcome>) -> Option<f64> {
    match (ours, base) {
        (Some(Outcome::Took(a)), Some(Outcome::Took(b))) => Some(a.as_secs_f64() / b.as_secs_f64()),
        _ => None,
    }
}

fn cell(o: Option<&Outcome>) -> String {
    match o {
        Some(Outcome::Took(d)) => secs(*d),
        Some(Outcome::NotMeasured(why)) => format!("not measured: {why}"),
        None => "—".into(),
    }
}

/// The targets the cold builds are held to, as the most a row may take of progenitor's.
const TARGETS: [(&str, f64); 2] = [("cold-default", 0.7), ("cold-exchange-sessions", 0.5)];

/// Each cold row against the progenitor baseline of the same run, with its target if it has one.
pub fn cold_table(rows: &[Variant], m: &Measured) -> Table {
    let mut table = Table::new(&[
        "cold `cargo build` (debug) of a downstream binary",
        "time",
        "progenitor's",
        "ratio",
        "target",
    ]);
    let base = m.outcomes.get("cold-progenitor");
    for v in rows.iter().filter(|v| v.key.starts_with("cold-")) {
        let Some(ours) = m.outcomes.get(v.key) else { continue };
        let r = outcome_ratio(Some(ours), base);
        let target = match (TARGETS.iter().find(|(k, _)| *k == v.key), r) {
            (Some((_, t)), Some(r)) => format!("≤ {t:.2} ({})", if r <= *t { "met" } else { "not met" }),
            (Some((_, t)), None) => format!("≤ {t:.2}"),
            (None, _) => String::new(),
        };
        let r = r.map_or("—".into(), |r| format!("{r:.2}"));
        table.row([v.what.clone(), cell(Some(ours)), cell(base), r, target]);
    }
    table
}

/// What each dependency costs in the default cold build, costliest first.
pub fn dependency_table(units: &[timings::Unit], direct: &BTreeSet<String>) -> String {
    timings::table(&timings::by_package(units), direct)
}

/// The optional features' cold builds against the default one, then what `test-util` off costs.
pub fn feature_table(
    rows: &[Variant],
    m: &Measured,
    trees: Option<&Trees>,
    crate_only: Option<(Duration, Duration)>,
) -> Table {
    let mut table = Table::new(&["what", "with the feature", "default build", "ratio"]);
    let base = m.outcomes.get("cold-default");
    for v in rows.iter().filter(|v| v.key.starts_with("features-")) {
        let Some(ours) = m.outcomes.get(v.key) else { continue };
        let r = outcome_ratio(Some(ours), base).map_or("—".into(), |r| format!("{r:.2}"));
        table.row([format!("cold build, {}", v.what), cell(Some(ours)), cell(base), r]);
    }
    if let Some(t) = trees {
        table.row([
            "packages built (`cargo tree -e normal`), default + `test-util` vs default".into(),
            t.test_util.len().to_string(),
            t.default.len().to_string(),
            format!("{:.2}", t.test_util.len() as f64 / t.default.len() as f64),
        ]);
    }
    if let Some((with, without)) = crate_only {
        table.row([
            "`cargo build` of `dwolla-client` alone (dependencies built), default + `test-util` vs default".into(),
            secs(with),
            secs(without),
            ratio(with, without),
        ]);
    }
    table
}

/// What the dependency trees say about `test-util` off, in a sentence.
pub fn test_util_off(t: &Trees) -> String {
    let only = t.only_test_util();
    let verdict = if t.default_has_wiremock() {
        "the default build has `wiremock` all the same: `test-util` off is not free"
    } else {
        "the default build has none of them (no `wiremock`): with the feature off, no package is compiled for it"
    };
    format!(
        "`test-util` brings {} packages of its own ({}); {verdict}.\n",
        only.len(),
        only.join(", ")
    )
}
