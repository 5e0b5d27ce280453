//! Which cargo features compile a type: its resource module's, or for a shared type the groups
//! that use it (see `ir::graph::place`). Code that names a type carries the type's `#[cfg]`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Ir, TypeId};

/// The feature that compiles `module`; `None` for the shared modules.
pub fn of_module(ir: &Ir, module: &str) -> Option<String> {
    ir.modules
        .iter()
        .find(|m| m.name == module)
        .and_then(|m| m.feature.clone())
}

/// The features any one of which compiles type `id`; empty when it is always compiled.
pub fn of_type(ir: &Ir, id: TypeId) -> Vec<String> {
    let t = &ir.types[id.0];
    match of_module(ir, &t.module) {
        Some(f) => vec![f],
        None => t.features.clone(),
    }
}

/// `#[cfg(feature = ..)]` or `#[cfg(any(..))]` for `features`; nothing when it is empty.
pub fn cfg(features: &[String]) -> TokenStream {
    match features {
        [] => TokenStream::new(),
        [one] => quote!(#[cfg(feature = #one)]),
        _ => quote!(#[cfg(any(#(feature = #features),*))]),
    }
}

/// The `#[cfg]` for code that names type `id` inside code already compiled under `context`
/// (features, any one of which is on; empty for always): nothing when `id` is compiled
/// whenever that code is.
pub fn cfg_within(ir: &Ir, id: TypeId, context: &[String]) -> TokenStream {
    let needed = of_type(ir, id);
    let implied = needed.is_empty() || (!context.is_empty() && context.iter().all(|f| needed.contains(f)));
    if implied { TokenStream::new() } else { cfg(&needed) }
}
