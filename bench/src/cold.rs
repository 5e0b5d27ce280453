//! Cold builds of a minimal downstream binary: a crate under `target/bench/cold/<row>` that calls
//! one operation, built from nothing (its own fresh target directory per run, downloads done
//! beforehand by `cargo fetch`, then `cargo build --offline`, debug). One row per way of
//! depending on the client, and the peer: cargo-progenitor's crate with `reqwest`'s rustls.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::timings::{self, Unit};
use crate::util::{Result, cargo, median, read, run_cmd, write};

/// TLS features of the crate, one of which a build with `default-features = false` names.
pub const TLS: [&str; 3] = ["rustls-aws-lc-rs", "rustls-ring", "native-tls"];

/// The `--only` key of the row that builds every resource group with one TLS feature in place
/// of the default one (there is such a row for each TLS feature but the default).
pub fn tls_key(tls: &str) -> &'static str {
    match tls {
        "rustls-aws-lc-rs" => "cold-rustls-aws-lc-rs",
        "rustls-ring" => "cold-rustls-ring",
        _ => "cold-native-tls",
    }
}

/// What the downstream binary depends on for its client.
#[derive(Debug, Clone, PartialEq)]
pub enum Client {
    /// `dwolla-client` by path, with or without its default features, and these features.
    Dwolla {
        default_features: bool,
        features: Vec<String>,
    },
    /// cargo-progenitor's crate by path, and `reqwest` with its rustls feature.
    Progenitor,
}

/// One row: a key for `--only`, what the report calls it, what the binary depends on.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    pub key: &'static str,
    pub what: String,
    pub client: Client,
}

/// A row's result: how long the cold build took (median), or why it was not measured.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Took(Duration),
    NotMeasured(String),
}

/// The crate's features as `generated/Cargo.toml` declares them: the default set, with the
/// default TLS feature taken out, and that TLS feature.
#[derive(Debug, Clone, PartialEq)]
pub struct Features {
    pub default_resources: Vec<String>,
    pub default_tls: String,
}

pub fn features(root: &Path) -> Result<Features> {
    let manifest: toml::Table = read(&root.join("generated/Cargo.toml"))?
        .parse()
        .map_err(|e| format!("generated/Cargo.toml: {e}"))?;
    let declared = manifest
        .get("features")
        .and_then(|f| f.as_table())
        .ok_or("generated/Cargo.toml has no [features]")?;
    if let Some(missing) = TLS.iter().find(|t| !declared.contains_key(**t)) {
        return Err(format!(
            "generated/Cargo.toml has no `{missing}` feature: update bench/src/cold.rs"
        ));
    }
    let default: Vec<String> = declared
        .get("default")
        .and_then(|d| d.as_array())
        .ok_or("generated/Cargo.toml has no default features")?
        .iter()
        .filter_map(|f| f.as_str().map(str::to_owned))
        .collect();
    let (tls, resources): (Vec<String>, Vec<String>) = default.into_iter().partition(|f| TLS.contains(&f.as_str()));
    let [default_tls] =
        <[String; 1]>::try_from(tls).map_err(|t| format!("default TLS features: {t:?}, expected one"))?;
    Ok(Features {
        default_resources: resources,
        default_tls,
    })
}

/// Every row, in the report's order: the client's ways of being depended on, the peer, and the
/// optional features on top of the default ones.
pub fn variants(f: &Features) -> Vec<Variant> {
    let dwolla = |default_features: bool, features: Vec<String>| Client::Dwolla {
        default_features,
        features,
    };
    let with_tls = |tls: &str| {
        f.default_resources
            .iter()
            .cloned()
            .chain([tls.to_owned()])
            .collect::<Vec<_>>()
    };
    let resources = f.default_resources.join("`, `");
    let mut rows = vec![Variant {
        key: "cold-default",
        what: format!("default features (`{resources}`, `{}`)", f.default_tls),
        client: dwolla(true, vec![]),
    }];
    rows.push(Variant {
        key: "cold-exchange-sessions",
        what: format!(
            "`exchange-sessions` alone (`default-features = false`, with `{}`)",
            f.default_tls
        ),
        client: dwolla(false, vec!["exchange-sessions".into(), f.default_tls.clone()]),
    });
    for tls in TLS.into_iter().filter(|t| *t != f.default_tls) {
        rows.push(Variant {
            key: tls_key(tls),
            what: format!("`{resources}` with `{tls}` instead of `{}`", f.default_tls),
            client: dwolla(false, with_tls(tls)),
        });
    }
    rows.push(Variant {
        key: "cold-progenitor",
        what: "cargo-progenitor's crate + `reqwest` with rustls (the baseline)".into(),
        client: Client::Progenitor,
    });
    for feature in ["test-util", "decimal"] {
        rows.push(Variant {
            key: if feature == "test-util" {
                "features-test-util"
            } else {
                "features-decimal"
            },
            what: format!("default features + `{feature}`"),
            client: dwolla(true, vec![feature.into()]),
        });
    }
    rows
}

/// Why a row cannot be built on this machine, if it cannot: native-tls needs OpenSSL's
/// development files, found through pkg-config as `openssl-sys` finds them.
pub fn missing_requirement(client: &Client) -> Option<String> {
    let Client::Dwolla { features, .. } = client else {
        return None;
    };
    if !features.iter().any(|f| f == "native-tls") {
        return None;
    }
    match Command::new("pkg-config").args(["--exists", "openssl"]).status() {
        Ok(s) if s.success() => None,
        Ok(_) => Some("OpenSSL's development files are not installed (`apt-get install libssl-dev`)".into()),
        Err(_) => Some("pkg-config is not installed, and native-tls needs it to find OpenSSL".into()),
    }
}

/// The downstream crate's directory for a row.
pub fn dir(work: &Path, key: &str) -> PathBuf {
    work.join("cold").join(key)
}

/// The downstream crate's manifest.
fn manifest(root: &Path, peer: &Path, client: &Client) -> String {
    let path = |p: &Path| format!("{:?}", p.display().to_string());
    let dependency = match client {
        Client::Dwolla {
            default_features,
            features,
        } => {
            let features = features.iter().map(|f| format!("{f:?}")).collect::<Vec<_>>().join(", ");
            let defaults = if *default_features {
                ""
            } else {
                "default-features = false, "
            };
            format!(
                "dwolla = {{ package = \"dwolla-client\", path = {}, {defaults}features = [{features}] }}",
                path(&root.join("generated"))
            )
        }
        Client::Progenitor => format!(
            "progenitor-dwolla = {{ path = {} }}\nreqwest = {{ version = \"0.13\", default-features = false, features = [\"rustls\"] }}",
            path(peer)
        ),
    };
    format!(
        "[package]\nname = \"downstream\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\n{dependency}\ntokio = {{ version = \"1.38\", features = [\"macros\", \"rt-multi-thread\"] }}\n\n[workspace]\n"
    )
}

/// The downstream binary: a client built from credentials, one call to get an exchange session.
/// It is compiled, never run.
fn main_rs(client: &Client) -> &'static str {
    match client {
        Client::Dwolla { .. } => {
            r#"//! A minimal downstream binary: one call to Dwolla. Compiled by the bench, never run.

#[tokio::main]
async fn main() -> Result<(), dwolla::Error> {
    let client = dwolla::Client::builder()
        .environment(dwolla::Environment::Sandbox)
        .credentials("client-id", "client-secret")
        .build()?;
    let session = client.exchange_sessions().get("id").await?.into_inner();
    println!("{session:?}");
    Ok(())
}
"#
        }
        Client::Progenitor => PROGENITOR_MAIN,
    }
}

/// The same binary over cargo-progenitor's crate: it has no authentication of its own, so the
/// access token goes in a default header of the `reqwest` client handed to it.
const PROGENITOR_MAIN: &str = r#"//! A minimal downstream binary: one call to Dwolla. Compiled by the bench, never run.

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::AUTHORIZATION, "Bearer access-token".parse()?);
    let http = reqwest::Client::builder().default_headers(headers).build()?;
    let client = progenitor_dwolla::Client::new_with_client("https://api-sandbox.dwolla.com", http);
    let session = client.retrieve_customer_exchange_session("id", Default::default()).await?.into_inner();
    println!("{session:?}");
    Ok(())
}
"#;

/// Writes a row's downstream crate with the workspace's lockfile (so that the versions it shares
/// with the workspace are the same) and downloads what it needs, so that the timed builds run offline.
pub fn prepare(root: &Path, work: &Path, peer: &Path, v: &Variant) -> Result<PathBuf> {
    let dir = dir(work, v.key);
    write(&dir.join("Cargo.toml"), &manifest(root, peer, &v.client))?;
    write(&dir.join("src/main.rs"), main_rs(&v.client))?;
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    run_cmd(Command::new(cargo()).arg("fetch").current_dir(&dir))?;
    Ok(dir)
}

/// One cold build of a prepared crate: its target directory removed, then `cargo build
/// --offline`, with `--timings` if asked (the report's units are returned then).
pub fn build(dir: &Path, timings: bool) -> Result<(Duration, Option<Vec<Unit>>)> {
    let target = dir.join("target");
    if target.exists() {
        std::fs::remove_dir_all(&target).map_err(|e| format!("{}: {e}", target.display()))?;
    }
    let mut cmd = Command::new(cargo());
    cmd.args(["build", "--offline", "--target-dir"])
        .arg(&target)
        .current_dir(dir);
    if timings {
        cmd.arg("--timings");
    }
    let took = run_cmd(&mut cmd)?;
    let units = if timings {
        Some(timings::parse(&read(&target.join("cargo-timings/cargo-timing.html"))?)?)
    } else {
        None
    };
    Ok((took, units))
}

/// What the cold builds measured: each row's outcome, and the default build's units when asked.
#[derive(Debug, Default)]
pub struct Measured {
    pub outcomes: BTreeMap<&'static str, Outcome>,
    pub default_units: Option<Vec<Unit>>,
}

/// Builds each row `runs` times, the rows taking turns within each round so that a change of
/// load on the machine falls on all of them alike. The default row's first build records
/// `--timings` when `units` is set (a build of its own if the default row is not among `rows`).
pub fn measure(root: &Path, work: &Path, rows: &[Variant], runs: usize, units: bool) -> Result<Measured> {
    let mut measured = Measured::default();
    let peer = if rows.iter().any(|v| v.client == Client::Progenitor) {
        crate::progenitor::ensure_crate(root, work)?
    } else {
        crate::progenitor::crate_dir(work)
    };
    let mut ready = Vec::new();
    for v in rows {
        match missing_requirement(&v.client) {
            Some(why) => {
                measured.outcomes.insert(v.key, Outcome::NotMeasured(why));
            }
            None => ready.push((v, prepare(root, work, &peer, v)?, Vec::new())),
        }
    }
    if units && !rows.iter().any(|v| v.key == "cold-default") {
        let all = variants(&features(root)?);
        let default = all.iter().find(|v| v.key == "cold-default").ok_or("no default row")?;
        let dir = prepare(root, work, &peer, default)?;
        eprintln!("bench: cold build, {} (--timings)", default.what);
        measured.default_units = build(&dir, true)?.1;
    }
    for round in 0..runs {
        for (v, dir, times) in &mut ready {
            eprintln!("bench: cold build {}/{runs}, {}", round + 1, v.what);
            let record = units && round == 0 && v.key == "cold-default";
            let (took, recorded) = build(dir, record)?;
            times.push(took);
            if recorded.is_some() {
                measured.default_units = recorded;
            }
        }
    }
    for (v, _, times) in ready {
        measured.outcomes.insert(v.key, Outcome::Took(median(times)));
    }
    Ok(measured)
}

/// The names of `dwolla-client`'s own dependencies, `-` spelled `_`, to mark them in the
/// per-dependency table.
pub fn direct_dependencies(root: &Path) -> Result<std::collections::BTreeSet<String>> {
    let manifest: toml::Table = read(&root.join("generated/Cargo.toml"))?
        .parse()
        .map_err(|e| format!("generated/Cargo.toml: {e}"))?;
    Ok(manifest
        .get("dependencies")
        .and_then(|d| d.as_table())
        .map(|d| d.keys().map(|k| k.replace('-', "_")).collect())
        .unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_follow_the_manifest_features() {
        let f = features(&crate::util::root()).unwrap();
        assert!(TLS.contains(&f.default_tls.as_str()));
        assert!(!f.default_resources.is_empty());
        let rows = variants(&f);
        let es = rows.iter().find(|v| v.key == "cold-exchange-sessions").unwrap();
        assert_eq!(
            es.client,
            Client::Dwolla {
                default_features: false,
                features: vec!["exchange-sessions".into(), f.default_tls.clone()]
            }
        );
        for tls in TLS.into_iter().filter(|t| *t != f.default_tls) {
            let row = rows.iter().find(|v| v.key == tls_key(tls)).unwrap();
            let Client::Dwolla { features, .. } = &row.client else {
                panic!()
            };
            assert!(features.ends_with(&[tls.to_owned()]) && !features.contains(&f.default_tls));
        }
        assert!(rows.iter().all(|v| v.key != tls_key(&f.default_tls)));
        for key in crate::PARTS
            .iter()
            .filter(|k| k.starts_with("cold-") || k.starts_with("features-"))
        {
            assert!(
                rows.iter().any(|v| v.key == *key)
                    || ["cold-deps", "features-tree"].contains(key)
                    || *key == tls_key(&f.default_tls),
                "{key}"
            );
        }
    }

    #[test]
    fn manifests_name_the_client_as_asked() {
        let root = Path::new("/r");
        let m = manifest(
            root,
            Path::new("/p"),
            &Client::Dwolla {
                default_features: false,
                features: vec!["a".into(), "b".into()],
            },
        );
        assert!(m.contains("dwolla = { package = \"dwolla-client\", path = \"/r/generated\", default-features = false, features = [\"a\", \"b\"] }"), "{m}");
        let m = manifest(root, Path::new("/p"), &Client::Progenitor);
        assert!(
            m.contains("progenitor-dwolla = { path = \"/p\" }") && m.contains("features = [\"rustls\"]"),
            "{m}"
        );
    }
}
