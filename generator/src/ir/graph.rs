//! Whole-graph passes over the named types: which references must be boxed (cycles), which
//! module each type lives in (the resource groups that reach it), and which types users build.

use std::collections::BTreeSet;

use heck::ToSnakeCase;

use super::{Additional, COMMON_MODULE, CONSTS_MODULE, Module, Operation, TypeEntry, TypeId, TypeKind, TypeRef};

/// Named types a type refers to, each with whether the reference is direct (stored inline,
/// so a cycle through it would have infinite size) or behind a `Vec`/map.
fn children(kind: &TypeKind) -> Vec<(TypeId, bool)> {
    let mut out = Vec::new();
    fn walk(t: &TypeRef, direct: bool, out: &mut Vec<(TypeId, bool)>) {
        match t {
            TypeRef::Named(id) => out.push((*id, direct)),
            TypeRef::Vec(inner) | TypeRef::Map(inner) => walk(inner, false, out),
            _ => {}
        }
    }
    match kind {
        TypeKind::Struct(s) => {
            for f in &s.fields {
                walk(&f.ty, true, &mut out);
            }
            if let Some(Additional::Typed(t)) = &s.additional {
                walk(t, false, &mut out);
            }
        }
        TypeKind::Union(u) => {
            for v in &u.variants {
                walk(&v.ty, true, &mut out);
            }
        }
        TypeKind::Alias(t) => walk(t, true, &mut out),
        TypeKind::Enum(_) | TypeKind::Const { .. } => {}
    }
    out
}

/// Strongly connected components over direct references (iterative Tarjan, so a long chain of
/// schemas cannot overflow the stack). Returns the component index of every type.
fn scc(types: &[TypeEntry]) -> Vec<usize> {
    let n = types.len();
    let edges: Vec<Vec<usize>> = types
        .iter()
        .map(|t| {
            children(&t.kind)
                .into_iter()
                .filter(|(_, direct)| *direct)
                .map(|(id, _)| id.0)
                .collect()
        })
        .collect();
    const UNSEEN: usize = usize::MAX;
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut comp = vec![UNSEEN; n];
    let mut next_index = 0;
    let mut next_comp = 0;
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        // (node, next edge to look at)
        let mut work = vec![(root, 0usize)];
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut edge)) = work.last_mut() {
            if let Some(&w) = edges[v].get(*edge) {
                *edge += 1;
                if index[w] == UNSEEN {
                    index[w] = next_index;
                    low[w] = next_index;
                    next_index += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    comp[w] = next_comp;
                    if w == v {
                        break;
                    }
                }
                next_comp += 1;
            }
        }
    }
    comp
}

/// Boxes every direct reference that closes a cycle, so that recursive schemas have a size.
pub fn mark_boxes(types: &mut [TypeEntry]) {
    let comp = scc(types);
    for i in 0..types.len() {
        let same = |t: &TypeRef| matches!(t, TypeRef::Named(id) if comp[id.0] == comp[i]);
        match &mut types[i].kind {
            TypeKind::Struct(s) => {
                for f in &mut s.fields {
                    f.boxed = same(&f.ty);
                }
            }
            TypeKind::Union(u) => {
                for v in &mut u.variants {
                    v.boxed = same(&v.ty);
                }
            }
            _ => {}
        }
    }
}

/// Places every type in a module: the one resource group whose operations reach it, or the
/// shared `common` core when several (or none) do. A shared type is compiled when any of the
/// groups that reach it is enabled, and always when none does (a component no operation uses)
/// or an always-compiled type refers to it. Marks the types that request bodies reach.
/// Returns the modules in output order.
pub fn place(types: &mut [TypeEntry], ops: &[Operation], tags: &[openapiv3::Tag]) -> Vec<Module> {
    let edges: Vec<Vec<usize>> = types
        .iter()
        .map(|t| children(&t.kind).into_iter().map(|(id, _)| id.0).collect())
        .collect();
    let (reached, in_request) = reach(types.len(), ops, &edges);
    for (i, t) in types.iter_mut().enumerate() {
        t.in_request = in_request[i];
        if t.module == CONSTS_MODULE {
            continue;
        }
        t.module = match reached[i].len() {
            1 => reached[i]
                .iter()
                .next()
                .map_or(COMMON_MODULE.to_owned(), |m| (*m).to_owned()),
            _ => COMMON_MODULE.to_owned(),
        };
    }
    close_placement(types, &edges);
    let always = always_compiled(types, &reached, &edges);
    let mut modules = modules_of(types, ops, tags);
    for (i, t) in types.iter_mut().enumerate() {
        t.features = if t.module == COMMON_MODULE && !always[i] {
            let mut f: Vec<String> = reached[i]
                .iter()
                .filter_map(|m| modules.iter().find(|x| x.name == *m).and_then(|x| x.feature.clone()))
                .collect();
            f.sort();
            f.dedup();
            f
        } else {
            Vec::new()
        };
    }
    for core in [COMMON_MODULE, CONSTS_MODULE] {
        modules.push(Module {
            name: core.to_owned(),
            feature: None,
            tag: None,
            description: None,
        });
    }
    modules
}

/// For each type, the modules of the operations that reach it, and whether a request body
/// reaches it.
fn reach<'a>(n: usize, ops: &'a [Operation], edges: &[Vec<usize>]) -> (Vec<BTreeSet<&'a str>>, Vec<bool>) {
    let mut reached: Vec<BTreeSet<&str>> = vec![BTreeSet::new(); n];
    let mut in_request = vec![false; n];
    let visit = |roots: Vec<usize>, mut mark: Box<dyn FnMut(usize) -> bool + '_>| {
        let mut stack = roots;
        while let Some(v) = stack.pop() {
            if mark(v) {
                stack.extend(edges[v].iter().copied());
            }
        }
    };
    for op in ops {
        let roots: Vec<usize> = op.type_refs().filter_map(TypeRef::named).map(|t| t.0).collect();
        let module = op.module.as_str();
        visit(roots, Box::new(|v| reached[v].insert(module)));
        let body_roots: Vec<usize> = op
            .body
            .iter()
            .flat_map(|b| b.type_refs())
            .filter_map(TypeRef::named)
            .map(|t| t.0)
            .collect();
        visit(
            body_roots,
            Box::new(|v| {
                let first = !in_request[v];
                in_request[v] = true;
                first
            }),
        );
    }
    (reached, in_request)
}

/// Closes the placement: whatever an always-on type refers to must be always on, and a type
/// that a type of another resource module refers to is shared, so it moves to the core.
fn close_placement(types: &mut [TypeEntry], edges: &[Vec<usize>]) {
    let mut work: Vec<usize> = (0..types.len()).collect();
    while let Some(v) = work.pop() {
        let always_on = types[v].module == COMMON_MODULE || types[v].module == CONSTS_MODULE;
        for &c in &edges[v] {
            let child = &types[c].module;
            if child == COMMON_MODULE || child == CONSTS_MODULE || (!always_on && *child == types[v].module) {
                continue;
            }
            types[c].module = COMMON_MODULE.to_owned();
            work.push(c);
        }
    }
}

/// The shared types compiled whatever features are on: those no operation reaches, and
/// whatever they refer to. Whatever a type refers to is reached by the same operations, so a
/// child's groups include its parent's: enabling a type's group compiles what it needs.
fn always_compiled(types: &[TypeEntry], reached: &[BTreeSet<&str>], edges: &[Vec<usize>]) -> Vec<bool> {
    let mut always: Vec<bool> = (0..types.len())
        .map(|i| types[i].module == COMMON_MODULE && reached[i].is_empty())
        .collect();
    let mut work: Vec<usize> = (0..types.len()).filter(|&i| always[i]).collect();
    while let Some(v) = work.pop() {
        for &c in &edges[v] {
            if !always[c] {
                always[c] = true;
                work.push(c);
            }
        }
    }
    always
}

/// The resource modules in use, in the order of the spec's tags, then those of operations whose
/// tag is not declared, each with its feature (the core modules are added by the caller).
fn modules_of(types: &[TypeEntry], ops: &[Operation], tags: &[openapiv3::Tag]) -> Vec<Module> {
    let used: BTreeSet<&str> = types
        .iter()
        .map(|t| t.module.as_str())
        .chain(ops.iter().map(|o| o.module.as_str()))
        .collect();
    let mut modules = Vec::new();
    let mut listed = BTreeSet::new();
    let mut features = super::naming::Scope::with_reserved(super::naming::RESERVED_FEATURES);
    for tag in tags {
        let name = module_name(&tag.name);
        if used.contains(name.as_str()) && listed.insert(name.clone()) {
            modules.push(Module {
                feature: Some(features.claim_with(&super::naming::feature_name(&tag.name), "-")),
                name,
                tag: Some(tag.name.clone()),
                description: tag.description.clone(),
            });
        }
    }
    // Groups used by operations whose tag is not declared at the top level.
    for m in &used {
        if *m != COMMON_MODULE && *m != CONSTS_MODULE && listed.insert((*m).to_owned()) {
            modules.push(Module {
                name: (*m).to_owned(),
                feature: Some(features.claim_with(&super::naming::feature_name(m), "-")),
                tag: None,
                description: None,
            });
        }
    }
    modules
}

/// The module (and feature) name of a spec tag.
pub fn module_name(tag: &str) -> String {
    let name = super::naming::field_name(&tag.to_snake_case());
    if name == COMMON_MODULE || name == CONSTS_MODULE {
        format!("{name}_api")
    } else {
        name
    }
}
