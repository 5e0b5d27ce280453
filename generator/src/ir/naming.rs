//! The one place where spec names become Rust names. Every function returns an identifier that
//! is valid Rust (ASCII, not a keyword, not starting with a digit); callers compare the result
//! with the wire name to decide whether a `serde(rename)` is needed.

use std::collections::HashSet;

use heck::{ToKebabCase, ToSnakeCase, ToUpperCamelCase};

/// Rust keywords (strict and reserved, all editions) that cannot be identifiers.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait",
    "true", "try", "type", "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keeps ASCII letters and digits, folds Latin letters with diacritics to their base letter
/// (`é` → `e`, `ß` → `ss`), and turns everything else into word breaks, so that heck splits
/// `Checkout.com` into `Checkout com` and `x-y` into `x y`.
fn words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if let Some(folded) = fold_latin(c) {
            out.push_str(folded);
        } else {
            out.push(' ');
        }
    }
    out
}

/// The ASCII spelling of a Latin-1 or Latin Extended-A letter with a diacritic.
fn fold_latin(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' | 'Ă' | 'Ą' => "A",
        'ç' | 'ć' | 'č' => "c",
        'Ç' | 'Ć' | 'Č' => "C",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => "e",
        'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ę' | 'Ě' => "E",
        'ì' | 'í' | 'î' | 'ï' | 'ī' => "i",
        'Ì' | 'Í' | 'Î' | 'Ï' | 'Ī' => "I",
        'ñ' | 'ń' | 'ň' => "n",
        'Ñ' | 'Ń' | 'Ň' => "N",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ō' | 'Ő' => "O",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => "u",
        'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ū' | 'Ů' | 'Ű' => "U",
        'ý' | 'ÿ' => "y",
        'Ý' => "Y",
        'ś' | 'š' => "s",
        'Ś' | 'Š' => "S",
        'ź' | 'ż' | 'ž' => "z",
        'Ź' | 'Ż' | 'Ž' => "Z",
        'ł' => "l",
        'Ł' => "L",
        'ß' => "ss",
        'æ' => "ae",
        'Æ' => "AE",
        'œ' => "oe",
        'Œ' => "OE",
        _ => return None,
    })
}

/// The type of a group of operations, from its path, with `Api` after it so that it never
/// shares a name with a model (the spec's list pages are `Customers`, `Transfers`, ...):
/// `["customers", "exchange_sessions"]` → `CustomersExchangeSessionsApi`.
pub fn group_type(path: &[String]) -> String {
    let mut name: String = path.iter().map(|s| s.to_upper_camel_case()).collect();
    name.push_str("Api");
    name
}

/// The request builder of an operation, from its operationId. A builder says what it does, so
/// an operationId that is a bare verb (`update`, `delete`) is completed with the resource of its
/// group, in the singular: `update` in `customers` → `UpdateCustomer`, `delete` in
/// `webhook_subscriptions` → `DeleteWebhookSubscription`.
pub fn builder_name(operation_id: &str, group: &[String]) -> String {
    let name = type_name(operation_id, "Operation");
    if camel_words(&name).len() > 1 {
        return name;
    }
    match group.last() {
        Some(resource) => type_name(&format!("{name} {}", singular(resource)), "Operation"),
        None => name,
    }
}

/// The singular of a resource group's name, by English's regular rules (`webhook_subscriptions`
/// → `webhook_subscription`, `entries` → `entry`); a name that is not plural is kept.
fn singular(plural: &str) -> String {
    if let Some(stem) = plural.strip_suffix("ies") {
        format!("{stem}y")
    } else if let Some(stem) = plural.strip_suffix("sses") {
        format!("{stem}ss")
    } else if let Some(stem) = plural.strip_suffix('s').filter(|s| !s.ends_with('s')) {
        stem.to_owned()
    } else {
        plural.to_owned()
    }
}

/// The name a model that would share its name with an operation's builder gets instead: the
/// builder keeps the operation's name (it is what the operation does) and the model says what
/// it is, the body of a request (`CreateCustomerFundingSourceBody`) or else a resource.
pub fn model_beside_builder(name: &str, in_request: bool) -> String {
    if in_request { format!("{name}Body") } else { format!("{name}Resource") }
}

/// The struct of named fields a model's `new` takes when it has many
/// (`CreateVerifiedPersonalCustomer::new(CreateVerifiedPersonalCustomerRequired { .. })`): the
/// model's name and what the struct holds, its required fields.
pub fn required_fields(model: &str) -> String {
    format!("{model}Required")
}

/// The longest name a synthesized (inline) type may have, so that every name in the index
/// reads at a glance; the spec's own component names are the spec's to choose.
pub const MAX_INLINE_NAME: usize = 48;

/// The name of an inline type from its parent's name and its own part (a property's name,
/// `Item` for an array's items, `Value` for a map's), shortened by rules that look only at
/// these two names, so a name stays the same while its place in the spec does:
///
/// - HAL's `_embedded` holder adds nothing to its children's names (a synthesized parent only,
///   `inline_parent`: a component's name is the spec's, whatever its last word):
///   `BusinessClassificationEmbedded` + `IndustryClassificationsItem` →
///   `BusinessClassificationIndustryClassificationsItem`.
/// - Words the part repeats from the end of the parent are said once, when something of the part
///   is left: `AvailableExchangeConnections` + `AvailableExchangeConnectionsItem` →
///   `AvailableExchangeConnectionsItem`.
/// - An array's item adds nothing to the names of its own parts (a synthesized parent only):
///   `CardSourceNotAllowedErrorErrorsItem` + `Message` → `CardSourceNotAllowedErrorErrorsMessage`.
pub fn child_name(parent: &str, part: &str, inline_parent: bool) -> String {
    let mut words = camel_words(parent);
    let part_words = camel_words(part);
    if inline_parent && words.len() > 1 && matches!(words.last().map(String::as_str), Some("Embedded" | "Item")) {
        words.pop();
    }
    let overlap = (1..part_words.len())
        .rev()
        .find(|&n| words.len() >= n && words[words.len() - n..] == part_words[..n])
        .unwrap_or(0);
    words.extend(part_words.into_iter().skip(overlap));
    words.concat()
}

/// The enum of an operation's successes, when they differ by status: `CreateFundingSourceOutcome`.
pub fn outcome_enum(operation_type: &str) -> String {
    format!("{operation_type}Outcome")
}

/// A variant of an outcome enum, by status: `Ok`, `Created`, `Accepted`, `NoContent`, else
/// `Status{code}`.
pub fn outcome_variant(code: u16) -> String {
    match code {
        200 => "Ok".to_owned(),
        201 => "Created".to_owned(),
        202 => "Accepted".to_owned(),
        204 => "NoContent".to_owned(),
        c => format!("Status{c}"),
    }
}

/// A word for an error status, to name inline error body types: `CreateCustomerBadRequest`.
pub fn status_word(s: super::Status) -> String {
    use super::Status;
    match s {
        Status::Code(400) => "BadRequest".into(),
        Status::Code(401) => "Unauthorized".into(),
        Status::Code(403) => "Forbidden".into(),
        Status::Code(404) => "NotFound".into(),
        Status::Code(409) => "Conflict".into(),
        Status::Code(413) => "PayloadTooLarge".into(),
        Status::Code(429) => "TooManyRequests".into(),
        Status::Code(c) => format!("Status{c}"),
        Status::Range(r) => format!("Status{r}xx"),
        Status::Default => "Error".into(),
    }
}

/// `UpperCamelCase` type or variant name. `fallback` is used when nothing alphanumeric is left.
pub fn type_name(raw: &str, fallback: &str) -> String {
    let mut name = words(raw).to_upper_camel_case();
    if name.is_empty() {
        name = fallback.to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    if KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// `UpperCamelCase` for a piece of a longer name (`ExchangeSession` + `Links`): no keyword
/// escaping, since the result is never an identifier on its own.
pub fn type_part(raw: &str, fallback: &str) -> String {
    let name = words(raw).to_upper_camel_case();
    if name.is_empty() { fallback.to_owned() } else { name }
}

/// `snake_case` field, method or module name. Leading underscores (`_links`) are dropped.
pub fn field_name(raw: &str) -> String {
    let mut name = words(raw).to_snake_case();
    if name.is_empty() {
        name = "field".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, "n_");
    }
    if KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// The name of an operation's own test in the generated tests, from its type name:
/// `CreateCustomer` → `create_customer`, never a keyword (`Move` → `move_`).
pub fn test_name(operation_type: &str) -> String {
    field_name(operation_type)
}

/// Names a resource group's cargo feature cannot have: the features the crate's `Cargo.toml`
/// defines itself, and its dependencies (which an optional dependency would turn into features,
/// and which would read as the dependency's own features in `cfg`s). A tag that wants one gets
/// the next free name, `full-2`, rather than an error: a tag is the spec's to name, and the
/// rename shows in the generated crate's diff. (A unit test in `output/templates.rs` keeps the
/// list in step with `templates/Cargo.toml.tera`.)
pub const RESERVED_FEATURES: &[&str] = &[
    "default", "full", "rustls-aws-lc-rs", "rustls-ring", "native-tls", "test-util", "decimal", "axum", "bytes",
    "chrono", "dwolla-client-runtime", "fastrand", "futures", "futures-core", "generator", "hmac", "http", "httpdate",
    "percent-encoding", "proptest", "reqwest", "rust_decimal", "rustls", "serde", "serde_json", "serde_path_to_error",
    "serde_urlencoded", "sha2", "thiserror", "tokio", "tokio-util", "tracing", "url", "uuid", "wiremock", "dwolla-client",
];

/// `kebab-case` cargo feature name of a resource group (spec tag): ASCII, so it is a bare key
/// of `Cargo.toml` and a valid feature name. Claim it in a scope made with
/// [`RESERVED_FEATURES`], with `-` before the number.
pub fn feature_name(raw: &str) -> String {
    let name = words(raw).to_kebab_case();
    if name.is_empty() { "group".to_owned() } else { name }
}

/// Hands out names that are unique within one scope, suffixing `2`, `3`, ... on a collision.
/// The first claimant keeps the plain name, so the result depends only on claim order.
#[derive(Debug, Default)]
pub struct Scope {
    taken: HashSet<String>,
}

impl Scope {
    pub fn new() -> Self {
        Self::default()
    }

    /// A scope in which `reserved` are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Scope {
            taken: reserved.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    pub fn claim(&mut self, wanted: &str) -> String {
        self.claim_with(wanted, "")
    }

    /// Like [`Scope::claim`], with `sep` between the name and the number (`_` for snake case).
    pub fn claim_with(&mut self, wanted: &str, sep: &str) -> String {
        if self.taken.insert(wanted.to_owned()) {
            return wanted.to_owned();
        }
        let mut n = 2usize;
        loop {
            let candidate = format!("{wanted}{sep}{n}");
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
            n += 1;
        }
    }
}

/// The private modules of the shared `common` module, one per set of features that compiles
/// its types (in `sets`' order): named after the features, `for_accounts_and_transfers`, and
/// when there are more than three after the first two and how many more,
/// `for_accounts_customers_and_11_more` (the `#[cfg]` above the module lists them all).
pub fn feature_group_modules(sets: &[Vec<String>]) -> Vec<String> {
    let mut scope = Scope::new();
    sets.iter()
        .map(|features| {
            let snake: Vec<String> = features.iter().map(|f| f.replace('-', "_")).collect();
            let wanted = match snake.as_slice() {
                [first, second, rest @ ..] if rest.len() > 1 => {
                    format!("for_{first}_{second}_and_{}_more", rest.len())
                }
                _ => format!("for_{}", snake.join("_and_")),
            };
            scope.claim_with(&wanted, "_")
        })
        .collect()
}

/// Strips the longest common leading and trailing words shared by every name, when the result
/// leaves each name non-empty and distinct: `UnverifiedCustomer`, `VerifiedPersonalCustomer`
/// → `Unverified`, `VerifiedPersonal`.
pub fn strip_common_words(names: &[String]) -> Vec<String> {
    if names.len() < 2 {
        return names.to_vec();
    }
    let split: Vec<Vec<String>> = names.iter().map(|n| camel_words(n)).collect();
    let min = split.iter().map(Vec::len).min().unwrap_or(0);
    let mut prefix = 0;
    while prefix < min && split.iter().all(|w| w[prefix] == split[0][prefix]) {
        prefix += 1;
    }
    let mut suffix = 0;
    while suffix < min - prefix
        && split
            .iter()
            .all(|w| w[w.len() - 1 - suffix] == split[0][split[0].len() - 1 - suffix])
    {
        suffix += 1;
    }
    let stripped: Vec<String> = split.iter().map(|w| w[prefix..w.len() - suffix].concat()).collect();
    let distinct: HashSet<&String> = stripped.iter().collect();
    let ok = distinct.len() == names.len()
        && stripped
            .iter()
            .all(|s| !s.is_empty() && !s.starts_with(|c: char| c.is_ascii_digit()) && !KEYWORDS.contains(&s.as_str()));
    if ok { stripped } else { names.to_vec() }
}

/// A name for one type used in places that would name it differently (`candidates`, the
/// names each place gives, in the order met), that none of them would mislead with. In order
/// of preference, the first that is not `taken` by another type:
///
/// 1. The words they share, with the words where they differ joined by `Or`, when that is
///    short (each difference at most two words, the whole at most seven):
///    `TransferAchDetailsSource` and `...Destination` give `TransferAchDetailsSourceOrDestination`.
/// 2. The words every candidate has, in order (their longest common subsequence), when that is
///    at least two words: `CreateBeneficialOwnerForCustomerRequest` and
///    `UpdateBeneficialOwnerRequest` give `BeneficialOwnerRequest`.
/// 3. The type's contents (`contents`: its property names or enum values, when there are one
///    to three) with the candidates' common last word, or `Object`: `{status}` in
///    `CertifyBeneficialOwnershipForCustomerRequest` and `UpdateMassPaymentRequest` gives
///    `StatusRequest`.
/// 4. The common words after all, or the first candidate when there are none; the caller's
///    scope still makes the result unique.
pub fn neutral_name(candidates: &[String], contents: &[String], taken: &dyn Fn(&str) -> bool) -> String {
    let Some(first) = candidates.first() else {
        return "Shared".to_owned();
    };
    let split: Vec<Vec<String>> = candidates.iter().map(|c| camel_words(c)).collect();
    if let Some(name) = alternatives(&split).filter(|n| !taken(n)) {
        return name;
    }
    let mut common = split[0].clone();
    for words in &split[1..] {
        common = common_subsequence(&common, words);
    }
    let joined = common.concat();
    if common.len() >= 2 && !taken(&joined) {
        return joined;
    }
    if (1..=3).contains(&contents.len()) {
        let last = split.iter().map(|w| w.last()).collect::<Vec<_>>();
        let suffix = match last.first() {
            Some(Some(w)) if last.iter().all(|l| *l == Some(*w)) => (*w).clone(),
            _ => "Object".to_owned(),
        };
        let mut name: String = contents.iter().map(|c| type_part(c, "")).collect();
        name.push_str(&suffix);
        let name = type_name(&name, "Shared");
        if !taken(&name) {
            return name;
        }
    }
    if joined.is_empty() {
        first.clone()
    } else {
        type_name(&joined, "Shared")
    }
}

/// `Prefix` + `A` `Or` `B` + `Suffix` for candidates that differ in one short run of words
/// between a shared prefix and suffix; `None` when they differ more than that.
fn alternatives(split: &[Vec<String>]) -> Option<String> {
    let min = split.iter().map(Vec::len).min()?;
    let first = split.first()?;
    let mut prefix = 0;
    while prefix < min && split.iter().all(|w| w[prefix] == first[prefix]) {
        prefix += 1;
    }
    let mut suffix = 0;
    while suffix < min - prefix
        && split
            .iter()
            .all(|w| w[w.len() - 1 - suffix] == first[first.len() - 1 - suffix])
    {
        suffix += 1;
    }
    if prefix + suffix == 0 {
        return None;
    }
    let middles: Vec<&[String]> = split.iter().map(|w| &w[prefix..w.len() - suffix]).collect();
    if middles.iter().any(|m| m.is_empty() || m.len() > 2) {
        return None;
    }
    let words = prefix + suffix + middles.iter().map(|m| m.len()).sum::<usize>() + middles.len() - 1;
    if words > 7 {
        return None;
    }
    let mut name = first[..prefix].concat();
    let middle: Vec<String> = middles.iter().map(|m| m.concat()).collect();
    name.push_str(&middle.join("Or"));
    name.push_str(&first[first.len() - suffix..].concat());
    Some(name)
}

/// The longest common subsequence of two word lists (dynamic programming; names are short).
fn common_subsequence(a: &[String], b: &[String]) -> Vec<String> {
    let (n, m) = (a.len(), b.len());
    let mut table = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            table[i][j] = if a[i] == b[j] {
                table[i + 1][j + 1] + 1
            } else {
                table[i + 1][j].max(table[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < n && j < m {
        if a[i] == b[j] {
            out.push(a[i].clone());
            i += 1;
            j += 1;
        } else if table[i + 1][j] >= table[i][j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

/// Splits an `UpperCamelCase` identifier into its words.
fn camel_words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    for c in name.chars() {
        if c.is_ascii_uppercase() && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        current.push(c);
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_operation_test_is_named_after_the_operation_and_never_a_keyword() {
        assert_eq!(test_name("CreateCustomer"), "create_customer");
        assert_eq!(test_name("ListBusinessClassifications"), "list_business_classifications");
        // Keywords, including those that cannot be raw identifiers.
        for (type_name, test) in [("Move", "move_"), ("Type", "type_"), ("SelfValue", "self_value"), ("Self_", "self_"), ("Crate", "crate_")] {
            assert_eq!(test_name(type_name), test, "{type_name}");
        }
    }

    #[test]
    fn groups_and_outcomes_are_named_from_their_parts() {
        assert_eq!(group_type(&["customers".into(), "exchange_sessions".into()]), "CustomersExchangeSessionsApi");
        assert_eq!(outcome_enum("CreateFundingSource"), "CreateFundingSourceOutcome");
        let variants: Vec<String> = [200, 201, 202, 204, 207].map(outcome_variant).into();
        assert_eq!(variants, ["Ok", "Created", "Accepted", "NoContent", "Status207"]);
        assert_eq!(status_word(super::super::Status::Range(4)), "Status4xx");
    }

    #[test]
    fn builders_are_named_after_what_they_do() {
        let group = |g: &[&str]| g.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(builder_name("createCustomer", &group(&["customers"])), "CreateCustomer");
        assert_eq!(builder_name("update", &group(&["customers"])), "UpdateCustomer");
        assert_eq!(builder_name("delete", &group(&["webhook_subscriptions"])), "DeleteWebhookSubscription");
        assert_eq!(builder_name("get", &group(&["labels", "ledger_entries"])), "GetLedgerEntry");
        assert_eq!(builder_name("get", &group(&["kba"])), "GetKba");
        assert_eq!(builder_name("get", &group(&["addresses"])), "GetAddress");
        assert_eq!(model_beside_builder("VerifyMicroDeposits", true), "VerifyMicroDepositsBody");
        assert_eq!(model_beside_builder("Root", false), "RootResource");
    }

    #[test]
    fn inline_names_say_each_word_once() {
        // HAL's `_embedded` holder and an array's item add nothing to their children's names.
        assert_eq!(
            child_name("BusinessClassificationEmbedded", "IndustryClassificationsItem", true),
            "BusinessClassificationIndustryClassificationsItem"
        );
        assert_eq!(child_name("ErrorsItem", "Message", true), "ErrorsMessage");
        // Words the part repeats from the end of the parent are said once.
        assert_eq!(
            child_name("AvailableExchangeConnectionsEmbedded", "AvailableExchangeConnectionsItem", true),
            "AvailableExchangeConnectionsItem"
        );
        assert_eq!(child_name("Document", "DocumentVerificationStatus", false), "DocumentVerificationStatus");
        // A component's name is the spec's: its last word stays.
        assert_eq!(child_name("LineItem", "Price", false), "LineItemPrice");
        // A part that is all repetition keeps its words, or the child would be its parent.
        assert_eq!(child_name("BusinessController", "Controller", false), "BusinessControllerController");
    }

    #[test]
    fn feature_group_modules_are_readable_and_unique() {
        let set = |fs: &[&str]| fs.iter().map(|f| (*f).to_owned()).collect::<Vec<_>>();
        let names = feature_group_modules(&[
            set(&["accounts", "funding-sources"]),
            set(&["accounts", "customers", "events", "transfers"]),
            set(&["accounts", "customers", "labels", "webhooks"]),
            set(&["a", "b", "c"]),
        ]);
        assert_eq!(
            names,
            [
                "for_accounts_and_funding_sources",
                "for_accounts_customers_and_2_more",
                "for_accounts_customers_and_2_more_2",
                "for_a_and_b_and_c",
            ]
        );
    }

    #[test]
    fn type_names_follow_heck() {
        assert_eq!(type_name("ExchangeSession", "T"), "ExchangeSession");
        assert_eq!(
            type_name("CreateMXOpenBankingExchange", "T"),
            "CreateMxOpenBankingExchange"
        );
        assert_eq!(type_name("Checkout.com", "T"), "CheckoutCom");
        assert_eq!(type_name("NO CHECK", "T"), "NoCheck");
        assert_eq!(type_name("3ds", "T"), "V3ds");
        assert_eq!(type_name("", "Empty"), "Empty");
        assert_eq!(type_name("Self", "T"), "Self_");
        assert_eq!(type_name("Café", "T"), "Cafe");
        assert_eq!(type_name("crème brûlée", "T"), "CremeBrulee");
        assert_eq!(field_name("größe"), "grosse");
        assert_eq!(type_name("日本語", "Schema"), "Schema");
    }

    #[test]
    fn field_names_escape_keywords_and_underscores() {
        assert_eq!(field_name("type"), "type_");
        assert_eq!(field_name("_links"), "links");
        assert_eq!(field_name("resource-type"), "resource_type");
        assert_eq!(
            field_name("externalProviderSessionToken"),
            "external_provider_session_token"
        );
        assert_eq!(field_name("1st"), "n_1st");
        assert_eq!(field_name("$"), "field");
    }

    #[test]
    fn feature_names_are_ascii_kebab_and_never_reserved() {
        assert_eq!(feature_name("Exchange Sessions"), "exchange-sessions");
        assert_eq!(feature_name("cafés"), "cafes");
        assert_eq!(feature_name("a\"] = 1\n[x"), "a-1-x");
        assert_eq!(feature_name("日本語"), "group");
        let mut features = Scope::with_reserved(RESERVED_FEATURES);
        assert_eq!(features.claim_with(&feature_name("Full"), "-"), "full-2");
        assert_eq!(features.claim_with(&feature_name("default"), "-"), "default-2");
        assert_eq!(features.claim_with(&feature_name("serde"), "-"), "serde-2");
        assert_eq!(features.claim_with(&feature_name("full"), "-"), "full-3");
    }

    #[test]
    fn scopes_suffix_collisions_in_claim_order() {
        let mut s = Scope::new();
        assert_eq!(s.claim("FooBar"), "FooBar");
        assert_eq!(s.claim("FooBar"), "FooBar2");
        assert_eq!(s.claim("FooBar"), "FooBar3");
        let mut s = Scope::with_reserved(&["Unknown"]);
        assert_eq!(s.claim("Unknown"), "Unknown2");
    }

    #[test]
    fn common_words_are_stripped_only_when_it_stays_unambiguous() {
        let v = |xs: &[&str]| xs.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            strip_common_words(&v(&["UnverifiedCustomer", "VerifiedPersonalCustomer"])),
            v(&["Unverified", "VerifiedPersonal"])
        );
        assert_eq!(
            strip_common_words(&v(&[
                "CreateCustomerExchangeSessionWithRedirect",
                "CreateCustomerExchangeSessionForWeb"
            ])),
            v(&["WithRedirect", "ForWeb"])
        );
        assert_eq!(strip_common_words(&v(&["Foo", "FooBar"])), v(&["Foo", "FooBar"]));
    }

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn neutral_names_say_what_every_use_has_in_common() {
        let free = |_: &str| false;
        // One short difference between a shared prefix and suffix: both alternatives.
        assert_eq!(
            neutral_name(
                &names(&["TransferAchDetailsSource", "TransferAchDetailsDestination"]),
                &[],
                &free
            ),
            "TransferAchDetailsSourceOrDestination"
        );
        assert_eq!(
            neutral_name(
                &names(&["UnverifiedCustomerStatus", "ReceiveOnlyCustomerStatus"]),
                &[],
                &free
            ),
            "UnverifiedOrReceiveOnlyCustomerStatus"
        );
        // Longer differences: the words all of them have.
        assert_eq!(
            neutral_name(
                &names(&[
                    "CreateBeneficialOwnerForCustomerRequest",
                    "UpdateBeneficialOwnerRequest"
                ]),
                &[],
                &free
            ),
            "BeneficialOwnerRequest"
        );
        // Nothing but a generic word in common: the contents name it.
        assert_eq!(
            neutral_name(
                &names(&[
                    "CertifyBeneficialOwnershipForCustomerRequest",
                    "UpdateMassPaymentRequest"
                ]),
                &names(&["status"]),
                &free
            ),
            "StatusRequest"
        );
        // A name another type has is not taken over.
        let taken = |n: &str| n == "TransferAchDetailsSourceOrDestination" || n == "TransferAchDetails";
        assert_eq!(
            neutral_name(
                &names(&["TransferAchDetailsSource", "TransferAchDetailsDestination"]),
                &names(&["id"]),
                &taken
            ),
            "IdObject"
        );
        // Nothing in common and no contents to go by: the first, made unique by the caller.
        assert_eq!(neutral_name(&names(&["Alpha", "Beta"]), &[], &free), "Alpha");
    }
}
