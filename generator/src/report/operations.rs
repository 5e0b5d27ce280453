//! Operations, matched by operationId, and `ApiErrorBody`.

use super::change::{Change, ChangeKind, Subject};
use super::pairing::{Paired, pair_lists};
use super::surface::{InputFacts, OperationFacts};
use super::types::{Matching, methods};

fn subject(op: &OperationFacts) -> Subject {
    Subject::Operation {
        id: op.id.clone(),
        call: op.call.clone(),
    }
}

pub(super) fn diff(m: &Matching<'_>, out: &mut Vec<Change>) {
    for entry in pair_lists(&m.old.operations, &m.new.operations, |o, n| o.id == n.id) {
        match entry {
            Paired::Added(n) => out.push(Change {
                subject: subject(n),
                kind: ChangeKind::OperationAdded,
            }),
            Paired::Both(o, n) => {
                let mut kinds = Vec::new();
                pair(m, o, n, &mut kinds);
                out.extend(kinds.into_iter().map(|kind| Change {
                    subject: subject(n),
                    kind,
                }));
            }
            Paired::Removed(o) => out.push(Change {
                subject: subject(o),
                kind: ChangeKind::OperationRemoved,
            }),
        }
    }

    // `ApiErrorBody`: one variant per distinct error body type.
    let same_body = |o: &String, n: &String| m.translate(&format!("{{{o}}}")) == format!("{{{n}}}");
    for entry in pair_lists(&m.old.error_bodies, &m.new.error_bodies, same_body) {
        let kind = match entry {
            Paired::Added(n) => ChangeKind::ErrorBodyAdded {
                name: m.new.display(&format!("{{{n}}}")),
            },
            Paired::Removed(o) => ChangeKind::ErrorBodyRemoved {
                name: m.old.display(&format!("{{{o}}}")),
            },
            Paired::Both(..) => continue,
        };
        out.push(Change {
            subject: Subject::ErrorBody,
            kind,
        });
    }
}

fn same_input(a: &InputFacts, b: &InputFacts) -> bool {
    a.location == b.location && a.wire == b.wire
}

/// The arguments `from` shares with `other`, in `from`'s order.
fn args<'a>(from: &'a OperationFacts, other: &OperationFacts) -> Vec<&'a InputFacts> {
    from.inputs
        .iter()
        .filter(|i| i.required && other.inputs.iter().any(|x| x.required && same_input(x, i)))
        .collect()
}

/// Every change to an operation both surfaces have.
fn pair(m: &Matching<'_>, o: &OperationFacts, n: &OperationFacts, out: &mut Vec<ChangeKind>) {
    use ChangeKind::*;
    call_and_request(o, n, out);
    inputs(m, o, n, out);
    argument_order(o, n, out);
    if let (Some(a), Some(b)) = (&o.media, &n.media)
        && a != b
    {
        out.push(MediaChanged {
            from: a.clone(),
            to: b.clone(),
        });
    }
    if m.translate(&o.output) != n.output {
        out.push(OutputChanged {
            from: m.old.display(&o.output),
            to: m.new.display(&n.output),
        });
    }
    errors(m, o, n, out);
    methods(m, &o.methods, &n.methods, out);
    if o.deprecated != n.deprecated {
        out.push(Deprecated { now: n.deprecated });
    }
}

/// How the operation is reached from the client (method chain, builder type, feature) and
/// the HTTP request it makes.
fn call_and_request(o: &OperationFacts, n: &OperationFacts, out: &mut Vec<ChangeKind>) {
    use ChangeKind::*;
    if o.call != n.call {
        out.push(CallMoved {
            from: o.call.clone(),
            to: n.call.clone(),
        });
    }
    if o.builder != n.builder {
        out.push(BuilderRenamed {
            from: o.builder.clone(),
            to: n.builder.clone(),
        });
    }
    if o.module != n.module {
        out.push(FeatureChanged {
            from: o.module.clone(),
            to: n.module.clone(),
            from_features: Vec::new(),
            to_features: Vec::new(),
        });
    }
    if (&o.http_method, &o.path) != (&n.http_method, &n.path) {
        out.push(RequestChanged {
            from: format!("{} {}", o.http_method, o.path),
            to: format!("{} {}", n.http_method, n.path),
        });
    }
}

/// Inputs (arguments and setters) added, removed or changed, matched by location and wire name.
fn inputs(m: &Matching<'_>, o: &OperationFacts, n: &OperationFacts, out: &mut Vec<ChangeKind>) {
    use ChangeKind::*;
    for entry in pair_lists(&o.inputs, &n.inputs, same_input) {
        match entry {
            Paired::Added(i) => out.push(InputAdded {
                location: i.location.clone(),
                wire: i.wire.clone(),
                ident: i.ident.clone(),
                ty: m.new.display(&i.ty),
                required: i.required,
            }),
            Paired::Both(x, i) => input(m, x, i, out),
            Paired::Removed(x) => out.push(InputRemoved {
                location: x.location.clone(),
                wire: x.wire.clone(),
                ident: x.ident.clone(),
                required: x.required,
            }),
        }
    }
}

/// What changed in one input both versions take (`x` before, `i` now).
fn input(m: &Matching<'_>, x: &InputFacts, i: &InputFacts, out: &mut Vec<ChangeKind>) {
    use ChangeKind::*;
    match (x.required, i.required) {
        (false, true) => out.push(InputNowRequired {
            location: i.location.clone(),
            wire: i.wire.clone(),
            ident: i.ident.clone(),
        }),
        (true, false) => out.push(InputNowOptional {
            location: i.location.clone(),
            wire: i.wire.clone(),
            ident: i.ident.clone(),
        }),
        _ => {}
    }
    if m.translate(&x.ty) != i.ty {
        out.push(InputTypeChanged {
            location: i.location.clone(),
            wire: i.wire.clone(),
            ident: i.ident.clone(),
            from: m.old.display(&x.ty),
            to: m.new.display(&i.ty),
        });
    }
    if x.ident != i.ident {
        out.push(InputRenamed {
            location: i.location.clone(),
            wire: i.wire.clone(),
            from: x.ident.clone(),
            to: i.ident.clone(),
            required: x.required && i.required,
        });
    }
}

/// The arguments both versions take, in each version's order: reordered if they differ.
fn argument_order(o: &OperationFacts, n: &OperationFacts, out: &mut Vec<ChangeKind>) {
    let (oa, na) = (args(o, n), args(n, o));
    if oa.iter().zip(&na).any(|(a, b)| !same_input(a, b)) {
        out.push(ChangeKind::ArgumentsReordered {
            from: oa.iter().map(|i| i.ident.clone()).collect(),
            to: na.iter().map(|i| i.ident.clone()).collect(),
        });
    }
}

/// Error statuses added, removed, or whose body type changed.
fn errors(m: &Matching<'_>, o: &OperationFacts, n: &OperationFacts, out: &mut Vec<ChangeKind>) {
    use ChangeKind::*;
    for entry in pair_lists(&o.errors, &n.errors, |x, e| x.status == e.status) {
        match entry {
            Paired::Added(e) => out.push(ErrorAdded {
                status: e.status.clone(),
                body: e.body.as_ref().map(|b| m.new.display(b)),
            }),
            Paired::Both(x, e) if x.body.as_ref().map(|b| m.translate(b)) != e.body => out.push(ErrorChanged {
                status: e.status.clone(),
                from: x.body.as_ref().map(|b| m.old.display(b)),
                to: e.body.as_ref().map(|b| m.new.display(b)),
            }),
            Paired::Both(..) => {}
            Paired::Removed(x) => out.push(ErrorRemoved {
                status: x.status.clone(),
                body: x.body.as_ref().map(|b| m.old.display(b)),
            }),
        }
    }
}
