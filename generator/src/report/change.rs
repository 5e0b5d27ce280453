//! One change to the crate's API, and the rules that decide whether it is breaking. The whole
//! policy is [`ChangeKind::breaking`] and [`ChangeKind::reason`]; the module documentation of
//! [`crate::report`] states it in prose.

use serde::{Deserialize, Serialize};

/// What a change is about.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    /// An operation, by operationId, with its method chain from the client (as it is now, or
    /// as it was when the operation is gone).
    Operation { id: String, call: String },
    /// A type, by Rust name (as it is now, or as it was when the type is gone) and key (see
    /// [`super::TypeFacts::key`]).
    Type { name: String, key: String },
    /// `dwolla::ApiErrorBody`, the enum of typed error bodies.
    ErrorBody,
    /// An item of the Rust API as rustdoc sees it, by its public path (see
    /// [`super::rust_api::RustItem::path`]); `spec` when the item was made from the spec.
    Rust {
        path: String,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        spec: bool,
    },
}

/// One change. Type names in the strings are Rust names (of the old crate in `from`, of the
/// new one in `to`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub subject: Subject,
    #[serde(flatten)]
    pub kind: ChangeKind,
}

impl Change {
    pub fn breaking(&self) -> bool {
        self.kind.breaking()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum ChangeKind {
    // Operations.
    OperationAdded,
    OperationRemoved,
    /// The method chain from the client changed.
    CallMoved {
        from: String,
        to: String,
    },
    /// The request builder's type name changed.
    BuilderRenamed {
        from: String,
        to: String,
    },
    /// `GET /a` became `POST /b`; the Rust call is the same.
    RequestChanged {
        from: String,
        to: String,
    },
    /// An argument (`required`) or a setter appeared.
    InputAdded {
        location: String,
        wire: String,
        ident: String,
        ty: String,
        required: bool,
    },
    InputRemoved {
        location: String,
        wire: String,
        ident: String,
        required: bool,
    },
    /// A setter became an argument.
    InputNowRequired {
        location: String,
        wire: String,
        ident: String,
    },
    /// An argument became a setter.
    InputNowOptional {
        location: String,
        wire: String,
        ident: String,
    },
    InputTypeChanged {
        location: String,
        wire: String,
        ident: String,
        from: String,
        to: String,
    },
    /// The Rust name of an input changed; `required` says it is a positional argument.
    InputRenamed {
        location: String,
        wire: String,
        from: String,
        to: String,
        required: bool,
    },
    /// The same required inputs, in another argument order.
    ArgumentsReordered {
        from: Vec<String>,
        to: Vec<String>,
    },
    /// The media type the body is sent as.
    MediaChanged {
        from: String,
        to: String,
    },
    /// What awaiting the request gives.
    OutputChanged {
        from: String,
        to: String,
    },
    ErrorAdded {
        status: String,
        body: Option<String>,
    },
    ErrorRemoved {
        status: String,
        body: Option<String>,
    },
    ErrorChanged {
        status: String,
        from: Option<String>,
        to: Option<String>,
    },
    Deprecated {
        now: bool,
    },

    // Operations and types.
    /// The cargo feature (resource module) that compiles it.
    FeatureChanged {
        from: String,
        to: String,
        /// For a shared (`common`) type: the features any one of which compiles it; empty
        /// when every build does.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        from_features: Vec<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        to_features: Vec<String>,
    },
    /// A helper method, as `name() -> Type`.
    MethodAdded {
        signature: String,
    },
    MethodRemoved {
        signature: String,
    },
    MethodChanged {
        from: String,
        to: String,
    },

    // Types.
    TypeAdded {
        kind: String,
    },
    TypeRemoved {
        kind: String,
    },
    /// The Rust name changed.
    TypeRenamed {
        from: String,
        to: String,
    },
    /// The same Rust type now comes from another schema (keys, see [`super::TypeFacts::key`]).
    SchemaChanged {
        from: String,
        to: String,
    },
    /// Struct, enum, union, alias or const: `from` and `to` describe the two.
    KindChanged {
        from: String,
        to: String,
    },
    AliasChanged {
        from: String,
        to: String,
    },
    /// The type became reachable from a request body: it gained `new(..)` and setters.
    ConstructorAdded,
    ConstructorRemoved,
    /// `argument`: the type is built by users and the field is a parameter of `new(..)`.
    FieldAdded {
        wire: String,
        ident: String,
        ty: String,
        option: bool,
        argument: bool,
    },
    FieldRemoved {
        wire: String,
        ident: String,
    },
    FieldRenamed {
        wire: String,
        from: String,
        to: String,
    },
    FieldTypeChanged {
        wire: String,
        ident: String,
        from: String,
        to: String,
    },
    /// `Option<T>` became `T`.
    FieldNowRequired {
        wire: String,
        ident: String,
        ty: String,
    },
    /// `T` became `Option<T>`.
    FieldNowOptional {
        wire: String,
        ident: String,
        ty: String,
    },
    /// The spec's `required` changed for a nullable field, which stays an `Option`.
    FieldWireRequired {
        wire: String,
        ident: String,
        now: bool,
    },
    AdditionalAdded {
        ty: String,
    },
    AdditionalRemoved {
        ty: String,
    },
    AdditionalChanged {
        from: String,
        to: String,
    },
    ValueAdded {
        wire: String,
        ident: String,
    },
    ValueRemoved {
        wire: String,
        ident: String,
    },
    ValueRenamed {
        wire: String,
        from: String,
        to: String,
    },
    VariantAdded {
        ident: String,
        ty: String,
    },
    VariantRemoved {
        ident: String,
        ty: String,
    },
    VariantRenamed {
        ty: String,
        from: String,
        to: String,
    },
    VariantTypeChanged {
        ident: String,
        from: String,
        to: String,
    },
    ConstChanged {
        from: String,
        to: String,
    },

    // `ApiErrorBody`.
    ErrorBodyAdded {
        name: String,
    },
    ErrorBodyRemoved {
        name: String,
    },

    // The Rust API as rustdoc sees it (`report/rust_api/`); `kind` is the item's (`method`,
    // `variant`, `auto trait impl`..).
    /// `closed`: an item whose addition breaks code (see [`super::rust_api::RustItem::closed`]).
    RustAdded {
        kind: String,
        signature: String,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        closed: bool,
    },
    RustRemoved {
        kind: String,
        signature: String,
    },
    RustChanged {
        kind: String,
        from: String,
        to: String,
    },
}

/// The features any one of which compiles code of `module` (for a shared module, `features`);
/// `None` when every build compiles it.
fn gate(module: &str, features: &[String]) -> Option<Vec<String>> {
    if module == crate::ir::COMMON_MODULE || module == crate::ir::CONSTS_MODULE {
        (!features.is_empty()).then(|| features.to_vec())
    } else {
        Some(vec![module.replace('_', "-")])
    }
}

/// Whether every build that compiled the old placement compiles the new one.
fn still_compiled(from: &str, from_features: &[String], to: &str, to_features: &[String]) -> bool {
    match (gate(from, from_features), gate(to, to_features)) {
        (_, None) => true,
        (None, Some(_)) => false,
        (Some(old), Some(new)) => old.iter().all(|f| new.contains(f)),
    }
}

/// Which builds compile code of `module`, in words.
fn builds(module: &str, features: &[String]) -> String {
    match gate(module, features) {
        None => "every build".into(),
        Some(f) => format!("builds with any of `{}`", f.join("`, `")),
    }
}

impl ChangeKind {
    /// Whether code that compiled against the previous crate may have to change: it stops
    /// compiling, or (reordered arguments) compiles with another meaning.
    pub fn breaking(&self) -> bool {
        use ChangeKind::*;
        match self {
            OperationAdded | TypeAdded { .. } | ConstructorAdded => false,
            OperationRemoved | TypeRemoved { .. } | ConstructorRemoved => true,
            CallMoved { .. } | BuilderRenamed { .. } | TypeRenamed { .. } => true,
            SchemaChanged { .. } => false,
            RequestChanged { .. } | MediaChanged { .. } => false,
            InputAdded { required, .. } => *required,
            InputRemoved { .. } | InputNowRequired { .. } | InputNowOptional { .. } | InputTypeChanged { .. } => true,
            InputRenamed { required, .. } => !*required,
            ArgumentsReordered { .. } => true,
            OutputChanged { .. } => true,
            ErrorAdded { .. } | ErrorRemoved { .. } | ErrorChanged { .. } => false,
            Deprecated { .. } => false,
            FeatureChanged {
                from,
                to,
                from_features,
                to_features,
            } => !still_compiled(from, from_features, to, to_features),
            MethodAdded { .. } => false,
            MethodRemoved { .. } | MethodChanged { .. } => true,
            KindChanged { .. } | AliasChanged { .. } => true,
            FieldAdded { option, argument, .. } => !*option && *argument,
            FieldRemoved { .. } | FieldRenamed { .. } | FieldTypeChanged { .. } => true,
            FieldNowRequired { .. } | FieldNowOptional { .. } => true,
            FieldWireRequired { .. } => false,
            AdditionalAdded { .. } => false,
            AdditionalRemoved { .. } | AdditionalChanged { .. } => true,
            ValueAdded { .. } => false,
            ValueRemoved { .. } | ValueRenamed { .. } => true,
            VariantAdded { .. } => false,
            VariantRemoved { .. } | VariantRenamed { .. } | VariantTypeChanged { .. } => true,
            ConstChanged { .. } => false,
            ErrorBodyAdded { .. } => false,
            ErrorBodyRemoved { .. } => true,
            RustAdded { closed, .. } => *closed,
            RustRemoved { .. } | RustChanged { .. } => true,
        }
    }

    /// Why the change is (or is not) breaking, in a few words.
    pub fn reason(&self) -> &'static str {
        use ChangeKind::*;
        match self {
            OperationAdded => "a new method; existing calls are untouched",
            OperationRemoved => "calls to the method no longer compile",
            CallMoved { .. } => "the method is reached by another chain from the client",
            BuilderRenamed { .. } => "code that names the request builder's type no longer compiles",
            RequestChanged { .. } => "the Rust call is unchanged; the request goes where the spec now says",
            InputAdded { required: true, .. } => "the method takes one more argument",
            InputAdded { required: false, .. } => "a new optional setter on the request builder",
            InputRemoved { required: true, .. } => "the method takes one argument fewer",
            InputRemoved { required: false, .. } => "calls to the removed setter no longer compile",
            InputNowRequired { .. } => "a setter became an argument of the method",
            InputNowOptional { .. } => "an argument of the method became a setter",
            InputTypeChanged { .. } => "values of the old type no longer convert into the argument or setter",
            InputRenamed { required: true, .. } => "only the name of a positional argument changed",
            InputRenamed { required: false, .. } => "the setter has another name",
            ArgumentsReordered { .. } => "positional arguments are taken in another order",
            MediaChanged { .. } => "the Rust call is unchanged; only the body's encoding differs",
            OutputChanged { .. } => "awaiting the request gives another type",
            ErrorAdded { .. } | ErrorRemoved { .. } | ErrorChanged { .. } => {
                "errors stay `Error::Api`; `ApiErrorBody` is `#[non_exhaustive]`, so matches on it still compile"
            }
            Deprecated { now: true } => "a deprecation warning, not an error",
            Deprecated { now: false } => "the deprecation warning goes away",
            FeatureChanged { .. } if !self.breaking() => "every build that compiled it still does",
            FeatureChanged { .. } => "a build that compiled it before but enables none of these features no longer has it",
            MethodAdded { .. } => "a new method",
            MethodRemoved { .. } => "calls to the method no longer compile",
            MethodChanged { .. } => "the method returns something else",
            TypeAdded { .. } => "a new type; nothing existing refers to it",
            TypeRemoved { .. } => "code that names the type no longer compiles",
            TypeRenamed { .. } => "code that names the type by its old name no longer compiles",
            SchemaChanged { .. } => "the Rust type keeps its name",
            KindChanged { .. } => "code that builds, matches or reads the old kind of type no longer compiles",
            AliasChanged { .. } => "the alias stands for another type",
            ConstructorAdded => "users now build it: it gained `new(..)` and setters",
            ConstructorRemoved => "it lost `new(..)` and its setters",
            FieldAdded { option: true, .. } => {
                "an `Option` field; `#[non_exhaustive]` means no code builds or destructures the struct exhaustively"
            }
            FieldAdded { argument: true, .. } => "users build this type: `new(..)` takes one more argument",
            FieldAdded { .. } => {
                "a required field of a type users only read (`#[non_exhaustive]`, no constructor); decoding now expects it"
            }
            FieldRemoved { .. } => "code that reads or sets the field no longer compiles",
            FieldRenamed { .. } => "the field has another Rust name",
            FieldTypeChanged { .. } => "the field has another Rust type",
            FieldNowRequired { .. } => "`Option<T>` became `T` (and `new(..)` of a type users build takes it)",
            FieldNowOptional { .. } => {
                "`T` became `Option<T>` (and `new(..)` of a type users build no longer takes it)"
            }
            FieldWireRequired { now: true, .. } => "still an `Option`; `None` is now sent as `null`",
            FieldWireRequired { now: false, .. } => "still an `Option`; `None` is now left out",
            AdditionalAdded { .. } => "a new `additional_properties` field on a `#[non_exhaustive]` struct",
            AdditionalRemoved { .. } => "code that reads `additional_properties` no longer compiles",
            AdditionalChanged { .. } => "`additional_properties` holds another type",
            ValueAdded { .. } => "a new variant of a `#[non_exhaustive]` enum; the value used to arrive as `Unknown`",
            ValueRemoved { .. } => {
                "code that names the variant no longer compiles (the value now arrives as `Unknown`)"
            }
            ValueRenamed { .. } => "the variant has another Rust name",
            VariantAdded { .. } => "a new variant of a `#[non_exhaustive]` enum",
            VariantRemoved { .. } => "code that names the variant no longer compiles",
            VariantRenamed { .. } => "the variant has another Rust name",
            VariantTypeChanged { .. } => "the variant holds another type",
            ConstChanged { .. } => "the type's name and use are unchanged; it sends the new value",
            ErrorBodyAdded { .. } => "a new variant of the `#[non_exhaustive]` `ApiErrorBody`",
            ErrorBodyRemoved { .. } => "code that names the variant no longer compiles",
            RustAdded { closed: false, kind, .. } if kind == "exhaustive" => {
                "`#[non_exhaustive]` is gone: code may now match or build it exhaustively"
            }
            RustAdded { closed: false, .. } => "a new item; nothing existing refers to it",
            RustAdded { kind, .. } if kind == "variant" => {
                "the enum is not `#[non_exhaustive]`: exhaustive matches no longer compile"
            }
            RustAdded { kind, .. } if kind == "field" => {
                "the struct is not `#[non_exhaustive]` and has only public fields: struct literals no longer compile"
            }
            RustAdded { .. } => "it has no default: implementations of the trait no longer compile",
            RustRemoved { kind, .. } if kind == "exhaustive" => {
                "now `#[non_exhaustive]`: exhaustive matches, struct literals and patterns no longer compile"
            }
            RustRemoved { kind, .. } if kind.ends_with("impl") => "code that relies on the impl no longer compiles",
            RustRemoved { .. } => "code that names it no longer compiles",
            RustChanged { .. } => "code written against the old signature may no longer compile",
        }
    }

    /// What changed, in markdown, without the subject. The changes to an operation's inputs
    /// and to a struct's fields name what changed the same way within each family, so each
    /// family is described by a function of its own.
    pub fn describe(&self) -> String {
        use ChangeKind::*;
        match self {
            OperationAdded => "operation added".into(),
            OperationRemoved => "operation removed".into(),
            CallMoved { from, to } => format!("method moved: `client.{from}(..)` → `client.{to}(..)`"),
            BuilderRenamed { from, to } => format!("request builder renamed: `{from}` → `{to}`"),
            RequestChanged { from, to } => format!("request changed: `{from}` → `{to}`"),
            InputAdded { .. }
            | InputRemoved { .. }
            | InputNowRequired { .. }
            | InputNowOptional { .. }
            | InputTypeChanged { .. }
            | InputRenamed { .. } => self.describe_input(),
            ArgumentsReordered { from, to } => {
                format!("arguments reordered: `({})` → `({})`", from.join(", "), to.join(", "))
            }
            MediaChanged { from, to } => format!("body media type changed: `{from}` → `{to}`"),
            OutputChanged { from, to } => {
                format!("success result changed: {} → {}", output_text(from), output_text(to))
            }
            ErrorAdded { status, body } => format!("error status `{status}` added ({})", with_body(body)),
            ErrorRemoved { status, body } => format!("error status `{status}` removed ({})", with_body(body)),
            ErrorChanged { status, from, to } => {
                format!("error status `{status}` body changed: {} → {}", body(from), body(to))
            }
            Deprecated { now: true } => "now deprecated".into(),
            Deprecated { now: false } => "no longer deprecated".into(),
            FeatureChanged {
                from,
                to,
                from_features,
                to_features,
            } => placement_change(from, to, from_features, to_features),
            MethodAdded { signature } => format!("method `{signature}` added"),
            MethodRemoved { signature } => format!("method `{signature}` removed"),
            MethodChanged { from, to } => format!("method changed: `{from}` → `{to}`"),
            TypeAdded { kind } => format!("{kind} added"),
            TypeRemoved { kind } => format!("{kind} removed"),
            TypeRenamed { from, to } => format!("renamed: `{from}` → `{to}`"),
            SchemaChanged { from, to } => {
                format!("now made from {} instead of {}", describe_key(to), describe_key(from))
            }
            KindChanged { from, to } => format!("changed from {from} to {to}"),
            AliasChanged { from, to } => format!("alias target changed: `{from}` → `{to}`"),
            ConstructorAdded => "now built by users: `new(..)` and setters added".into(),
            ConstructorRemoved => "no longer in any request: `new(..)` and setters removed".into(),
            FieldAdded { .. }
            | FieldRemoved { .. }
            | FieldRenamed { .. }
            | FieldTypeChanged { .. }
            | FieldNowRequired { .. }
            | FieldNowOptional { .. }
            | FieldWireRequired { .. } => self.describe_field(),
            AdditionalAdded { ty } => format!("`additional_properties` added, values `{ty}`"),
            AdditionalRemoved { ty } => format!("`additional_properties` (values `{ty}`) removed"),
            AdditionalChanged { from, to } => format!("`additional_properties` values changed: `{from}` → `{to}`"),
            ValueAdded { wire, ident } => format!("value `{wire}` added (variant `{ident}`)"),
            ValueRemoved { wire, ident } => format!("value `{wire}` removed (variant `{ident}`)"),
            ValueRenamed { wire, from, to } => format!("the variant of value `{wire}` renamed: `{from}` → `{to}`"),
            VariantAdded { ident, ty } => format!("variant `{}` added", variant(ident, ty)),
            VariantRemoved { ident, ty } => format!("variant `{}` removed", variant(ident, ty)),
            VariantRenamed { ty, from, to } => format!("variant holding `{ty}` renamed: `{from}` → `{to}`"),
            VariantTypeChanged { ident, from, to } => format!("variant `{ident}` type changed: `{from}` → `{to}`"),
            ConstChanged { from, to } => format!("value changed: `{from}` → `{to}`"),
            ErrorBodyAdded { name } => format!("variant `{name}` added"),
            ErrorBodyRemoved { name } => format!("variant `{name}` removed"),
            RustAdded { kind, signature, .. } => format!("{kind} added: `{signature}`"),
            RustRemoved { kind, signature } => format!("{kind} removed: `{signature}`"),
            RustChanged { kind, from, to } => format!("{kind} changed: `{from}` → `{to}`"),
        }
    }

    /// [`Self::describe`] for a change of an operation's input (`Input*`), which names the input
    /// by where it goes, its wire name and its Rust name.
    fn describe_input(&self) -> String {
        use ChangeKind::*;
        match self {
            InputAdded {
                location,
                wire,
                ident,
                ty,
                required,
            } => format!("{} added, `{ty}`, as {}", input(location, wire, ident), role(*required)),
            InputRemoved {
                location,
                wire,
                ident,
                required,
            } => format!("{} removed (it was {})", input(location, wire, ident), role(*required)),
            InputNowRequired { location, wire, ident } => {
                format!("{} is now required", input(location, wire, ident))
            }
            InputNowOptional { location, wire, ident } => {
                format!("{} is now optional", input(location, wire, ident))
            }
            InputTypeChanged {
                location,
                wire,
                ident,
                from,
                to,
            } => format!("{} type changed: `{from}` → `{to}`", input(location, wire, ident)),
            InputRenamed {
                location,
                wire,
                from,
                to,
                ..
            } => format!("{} renamed: `{from}` → `{to}`", input(location, wire, from)),
            other => unreachable!("not a change of an input: {other:?}"),
        }
    }

    /// [`Self::describe`] for a change of a struct's field (`Field*`), which names the field by
    /// its Rust name and, where it differs, its wire name.
    fn describe_field(&self) -> String {
        use ChangeKind::*;
        match self {
            FieldAdded {
                wire,
                ident,
                ty,
                option,
                ..
            } => {
                let ty = if *option { format!("Option<{ty}>") } else { ty.clone() };
                format!("{} added: `{ty}`", field(wire, ident))
            }
            FieldRemoved { wire, ident } => format!("{} removed", field(wire, ident)),
            FieldRenamed { wire, from, to } => format!("field `{wire}` renamed: `{from}` → `{to}`"),
            FieldTypeChanged { wire, ident, from, to } => {
                format!("{} type changed: `{from}` → `{to}`", field(wire, ident))
            }
            FieldNowRequired { wire, ident, ty } => {
                format!("{} now required: `Option<{ty}>` → `{ty}`", field(wire, ident))
            }
            FieldNowOptional { wire, ident, ty } => {
                format!("{} now optional: `{ty}` → `Option<{ty}>`", field(wire, ident))
            }
            FieldWireRequired { wire, ident, now } => format!(
                "{} is {} in the spec (nullable)",
                field(wire, ident),
                if *now { "now required" } else { "no longer required" }
            ),
            other => unreachable!("not a change of a field: {other:?}"),
        }
    }
}

/// An operation's input as prose: the request body, a multipart part or a parameter.
fn input(location: &str, wire: &str, ident: &str) -> String {
    match location {
        "body" => "the request body".to_owned(),
        "part" => format!("multipart part `{wire}` (`{ident}`)"),
        _ if wire == ident => format!("{location} parameter `{wire}`"),
        _ => format!("{location} parameter `{wire}` (`{ident}`)"),
    }
}

/// What a required input is (a positional argument) and what an optional one is.
fn role(required: bool) -> &'static str {
    if required { "an argument" } else { "a setter" }
}

/// A struct field as prose: its Rust name, and its wire name where that differs.
fn field(wire: &str, ident: &str) -> String {
    if wire == ident {
        format!("field `{ident}`")
    } else {
        format!("field `{ident}` (`{wire}`)")
    }
}

/// The body of an error status, as its type.
fn body(body: &Option<String>) -> String {
    body.as_deref().map_or("no body".to_owned(), |t| format!("`{t}`"))
}

/// The body of an error status that was added or removed.
fn with_body(body: &Option<String>) -> String {
    body.as_deref().map_or("no body".to_owned(), |t| format!("body `{t}`"))
}

/// Where code of a type or operation moved, and which builds compile it now and before.
fn placement_change(from: &str, to: &str, from_features: &[String], to_features: &[String]) -> String {
    let builds = format!(
        "compiled in {} (was {})",
        builds(to, to_features),
        builds(from, from_features)
    );
    if from == to {
        builds
    } else {
        format!("moved from feature/module `{from}` to `{to}`: {builds}")
    }
}

/// A success result as prose: a type, or the enum of one variant per success status that
/// the surface writes `NameOutcome[200: A, 202: ()]`.
fn output_text(output: &str) -> String {
    match output
        .split_once('[')
        .and_then(|(name, rest)| Some((name, rest.strip_suffix(']')?)))
    {
        Some((name, statuses)) => {
            let statuses: Vec<String> = statuses
                .split(", ")
                .map(|s| match s.split_once(": ") {
                    Some((code, ty)) => format!("`{code}` → `{ty}`"),
                    None => format!("`{s}`"),
                })
                .collect();
            format!("`{name}` (by status: {})", statuses.join(", "))
        }
        None => format!("`{output}`"),
    }
}

/// A variant as Rust writes it: `Name(Type)`, or `Name { field: Type }` for the variants of a
/// view's enum, whose facts hold `(field: Type, ..)`.
fn variant(ident: &str, ty: &str) -> String {
    match ty.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
        Some("") => format!("{ident} {{}}"),
        Some(fields) if fields.contains(": ") => format!("{ident} {{ {fields} }}"),
        _ => format!("{ident}({ty})"),
    }
}

/// A type key as prose: a component schema, or a schema written inline.
fn describe_key(key: &str) -> String {
    if key.starts_with('~') {
        "an inline schema".to_owned()
    } else {
        format!("the schema `{key}`")
    }
}
