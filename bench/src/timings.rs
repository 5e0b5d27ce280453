//! What each dependency costs in a build: the units of cargo's `--timings` report, summed by
//! package. Stable cargo writes the report as HTML only (`--timings=json` needs `-Z
//! unstable-options`); the page carries its data as a JSON array, `const UNIT_DATA = [...]`.

use std::collections::{BTreeMap, BTreeSet};

use crate::util::Result;

/// One unit of the build: a library, a build script's compilation or its run, a binary.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    pub name: String,
    pub version: String,
    /// What cargo calls the target: empty for a library, `build-script`, `build-script (run)`,
    /// `bin "name"`.
    pub target: String,
    /// Seconds from the unit's start to its end.
    pub duration: f64,
}

/// A package's units, with their total.
#[derive(Debug, Clone, PartialEq)]
pub struct Package {
    pub name: String,
    pub version: String,
    pub total: f64,
    pub units: Vec<(String, f64)>,
}

/// The units of a `cargo build --timings` HTML report.
pub fn parse(html: &str) -> Result<Vec<Unit>> {
    const MARK: &str = "const UNIT_DATA = ";
    let at = html
        .find(MARK)
        .ok_or("no `const UNIT_DATA` in cargo's timing report: its format changed")?;
    let mut values = serde_json::Deserializer::from_str(&html[at + MARK.len()..]).into_iter::<serde_json::Value>();
    let data = values
        .next()
        .ok_or("empty UNIT_DATA in cargo's timing report")?
        .map_err(|e| format!("UNIT_DATA in cargo's timing report: {e}"))?;
    let units = data
        .as_array()
        .ok_or("UNIT_DATA in cargo's timing report is not an array")?;
    units
        .iter()
        .map(|u| {
            let text = |key: &str| u[key].as_str().map(str::to_owned);
            Ok(Unit {
                name: text("name").ok_or("a unit without a name")?,
                version: text("version").unwrap_or_default(),
                target: text("target").unwrap_or_default().trim().to_owned(),
                duration: u["duration"].as_f64().ok_or("a unit without a duration")?,
            })
        })
        .collect()
}

/// The units summed by package, the costliest first.
pub fn by_package(units: &[Unit]) -> Vec<Package> {
    let mut packages: BTreeMap<(String, String), Vec<(String, f64)>> = BTreeMap::new();
    for u in units {
        let what = if u.target.is_empty() {
            "lib".to_owned()
        } else {
            u.target.clone()
        };
        packages
            .entry((u.name.clone(), u.version.clone()))
            .or_default()
            .push((what, u.duration));
    }
    let mut out: Vec<Package> = packages
        .into_iter()
        .map(|((name, version), units)| Package {
            total: units.iter().map(|(_, d)| d).sum(),
            name,
            version,
            units,
        })
        .collect();
    out.sort_by(|a, b| b.total.total_cmp(&a.total).then_with(|| a.name.cmp(&b.name)));
    out
}

/// A markdown table of the packages, marking those `direct` names (`-` spelled `_`, as in
/// `futures_core`), with the sum of all.
pub fn table(packages: &[Package], direct: &BTreeSet<String>) -> String {
    let mut out = String::from(
        "| crate | version | direct dependency of `dwolla-client` | compile time | units |\n|---|---|---|---|---|\n",
    );
    for p in packages {
        let units = p
            .units
            .iter()
            .map(|(what, d)| format!("{what} {d:.2} s"))
            .collect::<Vec<_>>()
            .join(", ");
        let direct = if direct.contains(&p.name.replace('-', "_")) {
            "yes"
        } else {
            ""
        };
        out.push_str(&format!(
            "| {} | {} | {direct} | {:.2} s | {units} |\n",
            p.name, p.version, p.total
        ));
    }
    let sum: f64 = packages.iter().map(|p| p.total).sum();
    out.push_str(&format!(
        "| all {} crates, summed (they overlap on the cores) | | | {sum:.2} s | |\n",
        packages.len()
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<script>
const UNIT_DATA = [
  {"i": 1, "name": "serde_core", "version": "1.0.229", "mode": "todo", "target": " build-script", "start": 0.1, "duration": 1.5},
  {"i": 2, "name": "serde_core", "version": "1.0.229", "mode": "run-custom-build", "target": " build-script (run)", "start": 1.6, "duration": 0.25},
  {"i": 3, "name": "serde_core", "version": "1.0.229", "mode": "todo", "target": "", "start": 1.9, "duration": 3.0},
  {"i": 4, "name": "heck", "version": "0.5.0", "mode": "todo", "target": "", "start": 0.1, "duration": 0.5}
];
const CONCURRENCY_DATA = [];
</script>"#;

    #[test]
    fn sums_units_by_package_costliest_first() {
        let units = parse(PAGE).unwrap();
        assert_eq!(units.len(), 4);
        assert_eq!(units[1].target, "build-script (run)");
        let packages = by_package(&units);
        assert_eq!(packages[0].name, "serde_core");
        assert!((packages[0].total - 4.75).abs() < 1e-9);
        assert_eq!(packages[0].units[2], ("lib".to_owned(), 3.0));
        assert_eq!(packages[1].name, "heck");
        let table = table(&packages, &["heck".to_owned()].into());
        assert!(
            table.contains("| heck | 0.5.0 | yes | 0.50 s | lib 0.50 s |"),
            "{table}"
        );
        assert!(table.contains("all 2 crates, summed"), "{table}");
    }

    #[test]
    fn a_page_without_unit_data_is_an_error() {
        assert!(parse("<html></html>").is_err());
    }
}
