//! The one reader of YAML text (the spec and the overlay): YAML → `serde_json::Value`, key order
//! kept, bounded in memory and time.
//!
//! YAML aliases let a small document stand for an enormous one: a list of 100,000 scalars
//! aliased 1,000 times, aliased 10 times, is 200 KB of text and 10⁹ nodes. `serde_yaml` 0.9
//! limits how many times it jumps to an anchor, not how much a jump expands, so it would build
//! every node. Here the value is built by a visitor that charges every node it builds, and the
//! bytes of every string, to a budget proportional to the text's own size (with a floor), and
//! stops with an error once the budget is spent. Because the budget is charged while the value
//! is built, nothing the parser expands escapes it, and no second parser has to agree with
//! `serde_yaml` on what the text means. `serde_yaml` is no longer maintained; it is kept
//! because this bound closes the hole that matters for our inputs, at no new dependency.

use std::cell::Cell;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use crate::error::{Error, Result};

/// How much a document may expand to, per byte of its text: nodes plus the bytes of its
/// strings. A document without aliases spends at most about two per byte.
const BUDGET_PER_BYTE: usize = 4;
/// The budget of a small document, so that small documents may use anchors freely.
const BUDGET_FLOOR: usize = 1 << 20;

/// Parses YAML text into a JSON value, keeping key order. Broken YAML, and a document that
/// expands past its budget through aliases, is an [`Error::Yaml`] naming `file`, line and column
/// (for a document too large, the place in the aliased content where the budget ran out).
pub fn parse(text: &str, file: &str) -> Result<Value> {
    let budget = Budget::for_text(text);
    Node(&budget)
        .deserialize(serde_yaml::Deserializer::from_str(text))
        .map_err(|e| {
            let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
            let mut message = e.to_string();
            if budget.exceeded.get()
                && let Some(anchor) = anchor_at(text, line, column)
            {
                message.push_str(&format!(" (in the content of the anchor `&{anchor}`)"));
            }
            Error::Yaml {
                file: file.to_owned(),
                line,
                column,
                message,
            }
        })
}

/// The name of the anchor written at `line` and `column` (both from 1), if one is: where the
/// parser was when the budget ran out is inside aliased content, which starts at its anchor.
fn anchor_at(text: &str, line: usize, column: usize) -> Option<String> {
    let mut rest = text.lines().nth(line.checked_sub(1)?)?.chars().skip(column.checked_sub(1)?);
    if rest.next()? != '&' {
        return None;
    }
    let name: String = rest
        .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | '[' | ']' | '{' | '}'))
        .take(64)
        .filter(|c| !c.is_control())
        .collect();
    (!name.is_empty()).then_some(name)
}

/// What is left of the expansion a document may build.
struct Budget {
    left: Cell<usize>,
    /// Set when the budget ran out, so that the error can name the anchor.
    exceeded: Cell<bool>,
    limit: usize,
    text_len: usize,
}

impl Budget {
    fn for_text(text: &str) -> Self {
        let limit = text.len().saturating_mul(BUDGET_PER_BYTE).max(BUDGET_FLOOR);
        Budget {
            left: Cell::new(limit),
            exceeded: Cell::new(false),
            limit,
            text_len: text.len(),
        }
    }

    /// Spends `cost`, or fails once the budget cannot pay it.
    fn spend<E: serde::de::Error>(&self, cost: usize) -> Result<(), E> {
        match self.left.get().checked_sub(cost) {
            Some(left) => {
                self.left.set(left);
                Ok(())
            }
            None => {
                self.exceeded.set(true);
                Err(E::custom(format_args!(
                    "the document expands through YAML aliases (`*name` of an `&name` anchor) past {} nodes \
                     and string bytes, the limit for a text of {} bytes; an anchor is aliased too often",
                    self.limit, self.text_len
                )))
            }
        }
    }
}

/// One node of the document, charged to the budget with every node and string below it.
#[derive(Clone, Copy)]
struct Node<'b>(&'b Budget);

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        self.0.spend(1)?;
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_i128<E: serde::de::Error>(self, v: i128) -> Result<Value, E> {
        Number::from_i128(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom("integer out of range"))
    }

    fn visit_u128<E: serde::de::Error>(self, v: u128) -> Result<Value, E> {
        Number::from_u128(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom("integer out of range"))
    }

    /// As `serde_json` reads it: a float JSON cannot hold (`.nan`, `.inf`) is null.
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Value, E> {
        self.0.spend(v.len())?;
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Value, E> {
        self.0.spend(v.len())?;
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    /// A key is read as a string, whatever its YAML type (`200:` is the key `"200"`), and a key
    /// given twice keeps its first place and its last value, as `serde_json` reads a map.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key_seed(Key(self.0))? {
            let value = map.next_value_seed(self)?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

/// A mapping key, charged to the budget like any string.
struct Key<'b>(&'b Budget);

impl<'de> DeserializeSeed<'de> for Key<'_> {
    type Value = String;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        self.0.spend(1)?;
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for Key<'_> {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<String, E> {
        self.0.spend(v.len())?;
        Ok(v.to_owned())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::time::{Duration, Instant};

    use super::*;

    /// 200 KB of YAML that aliases expand to 10⁹ scalars: after the line `head`, a list of
    /// 100,000 scalars, a list aliasing it 1,000 times, and a list aliasing that 10 times.
    pub(crate) fn alias_bomb(head: &str) -> String {
        let mut text = format!("{head}\nx-a: &a [");
        text.push_str(&vec!["0"; 100_000].join(","));
        text.push_str("]\nx-b: &b [");
        text.push_str(&vec!["*a"; 1_000].join(","));
        text.push_str("]\nx-c: [");
        text.push_str(&["*b"; 10].join(","));
        text.push_str("]\n");
        text
    }

    #[test]
    fn an_alias_bomb_is_refused_quickly_naming_the_file_and_a_place() {
        let text = alias_bomb("openapi: 3.1.0");
        let started = Instant::now();
        let e = parse(&text, "spec/bomb.yaml").unwrap_err();
        let took = started.elapsed();
        let message = e.to_string();
        assert!(message.starts_with("spec/bomb.yaml:2:"), "{message}");
        assert!(message.contains("expands through YAML aliases"), "{message}");
        assert!(message.contains("anchor `&a`"), "{message}");
        assert!(took < Duration::from_secs(20), "took {took:?}");
    }

    #[test]
    fn aliases_within_the_budget_are_expanded_and_key_order_and_types_kept() {
        let text = "z: &s {b: 1, a: [x, 2.5, true, ~]}\ny: *s\n200: {nan: .nan}\n";
        let v = parse(text, "t.yaml").unwrap();
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["z", "y", "200"]);
        assert_eq!(v["y"], serde_json::json!({"b": 1, "a": ["x", 2.5, true, null]}));
        assert_eq!(v["y"], v["z"]);
        assert_eq!(v["200"]["nan"], Value::Null);
    }

    #[test]
    fn a_document_reads_the_same_as_serde_yaml_reads_it_into_json() {
        let text = "a: 1\nb: [1, -2, 18446744073709551615, 1e3, 'q', \"r\"]\nc: {d: null, e: false}\n'404': x\n";
        let direct: Value = serde_yaml::from_str(text).unwrap();
        assert_eq!(parse(text, "t.yaml").unwrap(), direct);
    }

    #[test]
    fn the_budget_grows_with_the_text_from_a_floor() {
        assert_eq!(Budget::for_text("a: 1").limit, BUDGET_FLOOR);
        let big = "x".repeat(BUDGET_FLOOR);
        assert_eq!(Budget::for_text(&big).limit, BUDGET_FLOOR * BUDGET_PER_BYTE);
    }
}
