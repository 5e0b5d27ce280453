//! Where in a body decoding failed. Bodies are decoded with `serde_json::from_slice` alone, so
//! that every model's `Deserialize` is compiled for one deserializer only; when decoding fails,
//! this scanner (not generic: compiled once) walks the body's JSON up to the position serde_json
//! reports and names the path there, as `serde_path_to_error` prints it:
//! `_embedded.customers[0].status`, `.` for the body itself, `?` for a key that is not one.
//!
//! Where serde_json stops says which value failed: a value whose type does not fit is reported
//! just after it (an object or array given for a scalar, just before it; an object that lacks
//! a field, just after its closing brace), a syntax error at the offending byte. One divergence
//! from a path-tracking deserializer is deliberate: a syntax error inside a property the type
//! ignores is named where it is (`extra.a[1]`), not at the ignored property (`extra`).

use serde_json::error::Category;

/// The text of `e` without serde_json's trailing ` at line L column C`.
pub(crate) fn message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    if e.line() == 0 {
        return text;
    }
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    match text.strip_suffix(&suffix) {
        Some(m) => m.to_owned(),
        None => text,
    }
}

/// The path in `body` of the value where decoding it failed with `e`.
pub(crate) fn path(body: &[u8], e: &serde_json::Error) -> String {
    if e.line() == 0 {
        // A custom error nothing gave a position to: raised by the body's own `Deserialize`.
        return ".".to_owned();
    }
    let k = offset(body, e.line(), e.column());
    let data = e.classify() == Category::Data;
    let text = message(e);
    let mut scan = Scan::default();
    if text == "trailing characters" {
        // More after the body (the root's), or after the elements a fixed-size type takes (that
        // array's): reported at the byte that should not be there.
        scan.run(body, k.saturating_sub(1));
        let (_, below) = scan.frames.split_last().expect("the root frame is never popped");
        return render(&below.iter().filter_map(segment).collect::<Vec<_>>());
    }
    let stop = scan.run(body, k);
    render(&resolve(&scan, body, k, stop, data, data && text.starts_with("unknown field")))
}

/// The byte offset of 1-based `line` and its `column` (bytes consumed on that line).
fn offset(body: &[u8], line: usize, column: usize) -> usize {
    let mut start = 0;
    let mut newlines = 1;
    for (i, b) in body.iter().enumerate() {
        if newlines == line {
            break;
        }
        if *b == b'\n' {
            newlines += 1;
            start = i + 1;
        }
    }
    (start + column).min(body.len())
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Root,
    Object,
    Array,
}

/// Where a container is between its tokens.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Phase {
    /// Just opened (the root: nothing read yet).
    Open,
    /// Inside a key.
    Key,
    /// After a key, before its `:`.
    AfterKey,
    /// After a `:`, before the value.
    Colon,
    /// Inside a value (a scalar, or a container on the frame above).
    Value,
    /// After a value.
    After,
    /// After a `,`.
    Comma,
}

#[derive(Debug)]
struct Frame {
    kind: Kind,
    phase: Phase,
    /// An object's current key (`None` before the first, or when it is not a valid string).
    key: Option<String>,
    /// How many elements an array has started.
    count: usize,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Num {
    Minus,
    Zero,
    Int,
    Dot,
    Frac,
    Exp,
    ExpSign,
    ExpInt,
}

impl Num {
    fn complete(self) -> bool {
        matches!(self, Num::Zero | Num::Int | Num::Frac | Num::ExpInt)
    }

    fn step(self, b: u8) -> Option<Num> {
        let digit = b.is_ascii_digit();
        match (self, b) {
            (Num::Minus, b'0') => Some(Num::Zero),
            (Num::Minus, _) if digit => Some(Num::Int),
            (Num::Int, _) if digit => Some(Num::Int),
            (Num::Zero | Num::Int, b'.') => Some(Num::Dot),
            (Num::Dot | Num::Frac, _) if digit => Some(Num::Frac),
            (Num::Zero | Num::Int | Num::Frac, b'e' | b'E') => Some(Num::Exp),
            (Num::Exp, b'+' | b'-') => Some(Num::ExpSign),
            (Num::Exp | Num::ExpSign | Num::ExpInt, _) if digit => Some(Num::ExpInt),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Scalar {
    None,
    /// A string; `escape` is 1 after a backslash, 2 to 5 inside the hex digits of `\u`.
    Str { start: usize, escape: u8 },
    Num(Num),
    Lit(&'static [u8]),
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Stop {
    /// Everything up to the position was well-formed.
    Clean,
    /// The byte at this offset cannot come where it is.
    Invalid(usize),
}

#[derive(Debug)]
struct Scan {
    frames: Vec<Frame>,
    scalar: Scalar,
}

impl Default for Scan {
    fn default() -> Self {
        Scan {
            frames: vec![Frame {
                kind: Kind::Root,
                phase: Phase::Open,
                key: None,
                count: 0,
            }],
            scalar: Scalar::None,
        }
    }
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

impl Scan {
    fn top(&mut self) -> &mut Frame {
        let last = self.frames.len() - 1;
        &mut self.frames[last]
    }

    /// Walks `body[..end]`.
    fn run(&mut self, body: &[u8], end: usize) -> Stop {
        for (i, &b) in body.iter().enumerate().take(end) {
            let read = match self.scalar_byte(body, i) {
                InScalar::Consumed => Ok(()),
                InScalar::Outside if is_ws(b) => Ok(()),
                InScalar::Outside => self.structure_byte(b, i),
                InScalar::Invalid => Err(()),
            };
            if read.is_err() {
                return Stop::Invalid(i);
            }
        }
        // A number that may go on is complete as far as the error is concerned.
        if let Scalar::Num(n) = self.scalar {
            if n.complete() {
                self.scalar = Scalar::None;
                self.top().phase = Phase::After;
            }
        }
        Stop::Clean
    }

    /// Reads `body[i]` as part of the string, number or literal being read, if any.
    fn scalar_byte(&mut self, body: &[u8], i: usize) -> InScalar {
        let b = body[i];
        match self.scalar {
            Scalar::None => InScalar::Outside,
            Scalar::Str { start, escape } => {
                let escape = match (escape, b) {
                    (0, b'"') => {
                        self.scalar = Scalar::None;
                        let top = self.top();
                        if top.phase == Phase::Key {
                            top.key = serde_json::from_slice::<String>(&body[start..=i]).ok();
                            top.phase = Phase::AfterKey;
                        } else {
                            top.phase = Phase::After;
                        }
                        return InScalar::Consumed;
                    }
                    (0, b'\\') => 1,
                    (0, _) if b < 0x20 => return InScalar::Invalid,
                    (0, _) => 0,
                    (1, b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => 0,
                    (1, b'u') => 2,
                    (2..=5, _) if b.is_ascii_hexdigit() => (escape + 1) % 6,
                    _ => return InScalar::Invalid,
                };
                self.scalar = Scalar::Str { start, escape };
                InScalar::Consumed
            }
            Scalar::Num(n) => match n.step(b) {
                Some(next) => {
                    self.scalar = Scalar::Num(next);
                    InScalar::Consumed
                }
                // The number ended before `b`, which is read as what follows it.
                None if n.complete() && !(n == Num::Zero && b.is_ascii_digit()) => {
                    self.scalar = Scalar::None;
                    self.top().phase = Phase::After;
                    InScalar::Outside
                }
                None => InScalar::Invalid,
            },
            Scalar::Lit(rest) => {
                if rest.first() != Some(&b) {
                    return InScalar::Invalid;
                }
                if rest.len() == 1 {
                    self.scalar = Scalar::None;
                    self.top().phase = Phase::After;
                } else {
                    self.scalar = Scalar::Lit(&rest[1..]);
                }
                InScalar::Consumed
            }
        }
    }

    /// Reads `b` (at `i`, not whitespace, outside any scalar) as structure: a bracket, a key, a
    /// colon, a comma or the start of a value. `Err` when JSON allows none of them here.
    fn structure_byte(&mut self, b: u8, i: usize) -> Result<(), ()> {
        let top = self.top();
        let (kind, phase) = (top.kind, top.phase);
        let value_slot = matches!(
            (kind, phase),
            (Kind::Root, Phase::Open) | (Kind::Object, Phase::Colon) | (Kind::Array, Phase::Open | Phase::Comma)
        );
        match (kind, phase, b) {
            (Kind::Array, Phase::Open | Phase::After, b']') | (Kind::Object, Phase::Open | Phase::After, b'}') => {
                self.frames.pop();
                self.top().phase = Phase::After;
            }
            (Kind::Object, Phase::Open | Phase::Comma, b'"') => {
                top.phase = Phase::Key;
                top.key = None;
                self.scalar = Scalar::Str { start: i, escape: 0 };
            }
            (Kind::Object, Phase::AfterKey, b':') => top.phase = Phase::Colon,
            (Kind::Object | Kind::Array, Phase::After, b',') => top.phase = Phase::Comma,
            _ if value_slot => self.start_value(b, i)?,
            _ => return Err(()),
        }
        Ok(())
    }

    /// Starts the value whose first byte is `b`, in the slot the top frame has open.
    fn start_value(&mut self, b: u8, i: usize) -> Result<(), ()> {
        let scalar = match b {
            b'"' => Scalar::Str { start: i, escape: 0 },
            b'-' => Scalar::Num(Num::Minus),
            b'0' => Scalar::Num(Num::Zero),
            b'1'..=b'9' => Scalar::Num(Num::Int),
            b't' => Scalar::Lit(b"rue"),
            b'f' => Scalar::Lit(b"alse"),
            b'n' => Scalar::Lit(b"ull"),
            b'{' | b'[' => Scalar::None,
            _ => return Err(()),
        };
        let top = self.top();
        if top.kind == Kind::Array {
            top.count += 1;
        }
        top.phase = Phase::Value;
        self.scalar = scalar;
        if matches!(b, b'{' | b'[') {
            self.frames.push(Frame {
                kind: if b == b'{' { Kind::Object } else { Kind::Array },
                phase: Phase::Open,
                key: None,
                count: 0,
            });
        }
        Ok(())
    }
}

/// What a byte did to the string, number or literal being read.
enum InScalar {
    /// It belongs to it.
    Consumed,
    /// No scalar is being read, or the number ended before this byte: it is structure.
    Outside,
    /// JSON allows no such byte here.
    Invalid,
}

enum Segment {
    Key(String),
    Index(usize),
    Unknown,
}

/// A frame's current value, as seen from its parent.
fn segment(f: &Frame) -> Option<Segment> {
    match f.kind {
        Kind::Root => None,
        Kind::Object => Some(f.key.clone().map_or(Segment::Unknown, Segment::Key)),
        Kind::Array => Some(Segment::Index(f.count.saturating_sub(1))),
    }
}

/// What went wrong at the scan's position, as a path.
fn resolve(scan: &Scan, body: &[u8], k: usize, stop: Stop, data: bool, unknown_field: bool) -> Vec<Segment> {
    let (top, below) = scan.frames.split_last().expect("the root frame is never popped");
    let container: Vec<Segment> = below.iter().filter_map(segment).collect();
    let with = |s: Option<Segment>| {
        let mut p: Vec<Segment> = below.iter().filter_map(segment).collect();
        p.extend(s);
        p
    };
    let value = || with(segment(top));
    let next_element = || with(Some(Segment::Index(top.count)));
    let unknown_key = || with(Some(Segment::Unknown));
    // A type error, or a syntax error about what was just read (a number out of range, a
    // string that is not UTF-8, nesting too deep), rather than about what should come next.
    let about_last = data || (stop == Stop::Clean && k < body.len());
    match top.kind {
        Kind::Root => container,
        Kind::Object => match top.phase {
            Phase::Open if about_last => container,
            Phase::Open | Phase::Key | Phase::Comma => unknown_key(),
            Phase::AfterKey if data => {
                if unknown_field {
                    value()
                } else {
                    container
                }
            }
            Phase::AfterKey if about_last => unknown_key(),
            Phase::AfterKey => container,
            Phase::Colon | Phase::Value => value(),
            Phase::After if about_last => value(),
            Phase::After => unknown_key(),
        },
        Kind::Array => match top.phase {
            Phase::Open | Phase::Comma => match stop {
                Stop::Invalid(j) if body[j] != b']' => next_element(),
                _ if data => next_element(),
                _ => container,
            },
            Phase::After if !about_last => container,
            _ => value(),
        },
    }
}

fn render(path: &[Segment]) -> String {
    if path.is_empty() {
        return ".".to_owned();
    }
    let mut out = String::new();
    for (i, s) in path.iter().enumerate() {
        let key = match s {
            Segment::Index(n) => {
                out.push_str(&format!("[{n}]"));
                continue;
            }
            Segment::Key(k) => k.as_str(),
            Segment::Unknown => "?",
        };
        if i > 0 {
            out.push('.');
        }
        out.push_str(key);
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    //! The paths are checked against `serde_path_to_error` decoding the same body with the same
    //! deserializer, over hand-picked bodies and generated ones (valid and broken).

    use std::collections::BTreeMap;

    use proptest::prelude::*;
    use serde::Deserialize;
    use serde::de::DeserializeOwned;
    use serde_json::Value;

    use super::{message, path};

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    pub(crate) struct Doc {
        id: String,
        n: u32,
        #[serde(default)]
        tags: Vec<String>,
        inner: Option<Inner>,
        #[serde(default)]
        items: Vec<Item>,
        #[serde(rename = "_embedded")]
        embedded: Option<BTreeMap<String, Vec<Item>>>,
        extra: Option<Value>,
        pair: Option<(u8, bool)>,
    }

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    pub(crate) struct Inner {
        a: i64,
        b: bool,
        c: Option<f64>,
    }

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    pub(crate) struct Item {
        name: String,
        amount: Amount,
        status: Status,
    }

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    pub(crate) struct Amount {
        value: String,
        currency: String,
    }

    #[derive(Deserialize, Debug)]
    #[serde(rename_all = "lowercase")]
    pub(crate) enum Status {
        Pending,
        Processed,
    }

    /// A struct that ignores what it does not declare, as the models do.
    #[derive(Deserialize, Debug)]
    #[allow(dead_code)]
    pub(crate) struct Lenient {
        id: Option<String>,
        n: Option<u32>,
        items: Option<Vec<Item>>,
    }

    /// What went wrong, or `None` when `body` decodes. Panics when the path differs from
    /// `serde_path_to_error`'s (which is exact, but for a syntax error inside a property the
    /// type ignores, which serde names at the property and this scanner where it is).
    fn check<T: DeserializeOwned>(body: &[u8], ignores: bool) -> Option<(String, String)> {
        let ours = serde_json::from_slice::<T>(body);
        let theirs = serde_path_to_error::deserialize::<_, T>(&mut serde_json::Deserializer::from_slice(body));
        let text = String::from_utf8_lossy(body);
        match (ours, theirs) {
            (Ok(_), Ok(_)) => None,
            (Ok(_), Err(e)) => panic!("only serde_path_to_error fails on {text}: {e}"),
            (Err(e), Ok(_)) => {
                // serde_path_to_error does not check for trailing characters.
                assert!(message(&e).starts_with("trailing"), "{e} on {text}");
                assert_eq!(path(body, &e), ".", "{e} on {text}");
                Some((".".into(), message(&e)))
            }
            (Err(e), Err(t)) => {
                assert_eq!(e.to_string(), t.inner().to_string(), "{text}");
                let (ours, theirs) = (path(body, &e), t.path().to_string());
                let deeper = ignores
                    && e.classify() != serde_json::error::Category::Data
                    && (theirs == "." || ours.strip_prefix(&theirs).is_some_and(|rest| rest.starts_with(['.', '['])));
                assert!(ours == theirs || deeper, "path {ours:?}, expected {theirs:?}: {e} on {text}");
                Some((ours, message(&e)))
            }
        }
    }

    fn all(body: &[u8]) {
        check::<Value>(body, false);
        check::<Doc>(body, false);
        check::<Vec<Item>>(body, false);
        check::<BTreeMap<String, Inner>>(body, false);
        check::<Lenient>(body, true);
    }

    #[track_caller]
    fn path_of<T: DeserializeOwned>(body: &str) -> String {
        check::<T>(body.as_bytes(), false).map(|(p, _)| p).unwrap_or_else(|| panic!("{body} decodes"))
    }

    #[test]
    fn paths_name_the_value_that_does_not_fit() {
        assert_eq!(path_of::<Doc>(r#"{"id":"x","n":"one"}"#), "n");
        assert_eq!(path_of::<Doc>(r#"{"id":"x","n":1,"items":[{"name":"a","amount":{"value":"1","currency":"USD"},"status":"gone"}]}"#), "items[0].status");
        assert_eq!(path_of::<Doc>(r#"{"id":"x","n":1,"_embedded":{"customers":[{"name":"a","amount":{"value":"1"},"status":"pending"}]}}"#), "_embedded.customers[0].amount");
        assert_eq!(path_of::<Doc>(r#"{"id":"x","n":1,"inner":{"a":1,"b":true,"c":"x"}}"#), "inner.c");
        assert_eq!(path_of::<Doc>(r#"{"id":"x","n":1,"inner":{"a":1}}"#), "inner");
        assert_eq!(path_of::<Doc>(r#"{"id":"x","n":1,"inner":{}}"#), "inner");
        assert_eq!(path_of::<Doc>(r#"{"id":"x"}"#), ".");
        assert_eq!(path_of::<Doc>("{\n  \"id\": \"x\",\n  \"n\": 1,\n  \"inner\": {\n    \"a\": 1\n  }\n}"), "inner");
        assert_eq!(path_of::<Doc>(r#"{"id":"x","n":1,"tags":["a",{}]}"#), "tags[1]");
        assert_eq!(path_of::<Doc>(r#"{"id":"x","n":1,"pair":[1]}"#), "pair");
        assert_eq!(path_of::<Doc>(r#"{"id":"x","n":1,"bogus":1}"#), "bogus");
        assert_eq!(path_of::<Doc>(r#"{"id":"x","id":"y","n":1}"#), ".");
        assert_eq!(path_of::<Doc>(r#"{"id":"x\"y\u00e9","n":1,"inner":{"a":1,"b":null,"c":1}}"#), "inner.b");
        assert_eq!(path_of::<Doc>(r#"[1]"#), "[0]");
        assert_eq!(path_of::<Doc>(r#"{"id":"x","n":1,"pair":[1,true,2]}"#), "pair");
    }

    #[test]
    fn paths_of_broken_json_name_where_it_breaks() {
        assert_eq!(path_of::<Value>(r#"{"a":[1,2"#), "a");
        assert_eq!(path_of::<Value>(r#"{"a":[1,x]}"#), "a[1]");
        assert_eq!(path_of::<Value>(r#"{"a":{"b":1"#), "a.?");
        assert_eq!(path_of::<Value>(r#"{"a":"#), "a");
        assert_eq!(path_of::<Value>(r#"{"a" 1}"#), ".");
        assert_eq!(path_of::<Value>(r#"{"a":tru}"#), "a");
        assert_eq!(path_of::<Value>(r#"{"a":1,}"#), "?");
        assert_eq!(path_of::<Value>(r#"[1,]"#), ".");
        assert_eq!(path_of::<Value>(r#"{"a":"b\q"}"#), "a");
        assert_eq!(path_of::<Value>("<html>"), ".");
        assert_eq!(path_of::<Value>(""), ".");
        assert_eq!(path_of::<Value>(r#"{"a":1} x"#), ".");
    }

    #[test]
    fn the_message_loses_only_its_position() {
        let e = serde_json::from_str::<u32>("\"x\"").unwrap_err();
        assert_eq!(message(&e), "invalid type: string \"x\", expected u32");
    }

    pub(crate) fn arb_json() -> impl Strategy<Value = Value> {
        let key = prop::sample::select(vec![
            "id", "n", "tags", "inner", "items", "_embedded", "extra", "pair", "a", "b", "c", "name", "amount", "status",
            "value", "currency", "customers", "x", "é\"k\\", "_links", "type", "firstName",
        ]);
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            (0u32..300).prop_map(Value::from),
            (-5i64..5).prop_map(Value::from),
            prop::sample::select(vec![0.5, -1.25, 1e10]).prop_map(Value::from),
            prop::sample::select(vec!["", "x", "pending", "processed", "gone", "USD", "a\"b", "tab\tnew\nline", "é✓😀", "\\", "\u{1}"])
                .prop_map(Value::from),
        ];
        leaf.prop_recursive(5, 48, 6, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
                prop::collection::btree_map(key.clone(), inner, 0..6)
                    .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())),
            ]
        })
    }

    /// `text` with one edit: cut, a byte removed, or something inserted.
    fn broken(text: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
        let len = text.len();
        let insert = prop::sample::select(vec!["\"", "}", "]", ",", ":", "x", "1", " ", "\n", "\\", "{", "[", "null", "\u{1}", "-", ".", "e", "0"]);
        (0..=len, 0..4u8, insert).prop_map(move |(at, how, what)| {
            let mut t = text.clone();
            match how {
                0 => t.truncate(at),
                1 if at < len => {
                    t.remove(at);
                }
                _ => {
                    t.splice(at..at, what.bytes());
                }
            }
            t
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn paths_match_a_path_tracking_deserializer(v in arb_json(), pretty in any::<bool>()) {
            let text = if pretty { serde_json::to_vec_pretty(&v) } else { serde_json::to_vec(&v) }.unwrap();
            all(&text);
        }

        #[test]
        fn paths_of_broken_bodies_match_a_path_tracking_deserializer(
            t in (arb_json(), any::<bool>()).prop_flat_map(|(v, pretty)| {
                broken(if pretty { serde_json::to_vec_pretty(&v) } else { serde_json::to_vec(&v) }.unwrap())
            })
        ) {
            all(&t);
        }
    }
}
