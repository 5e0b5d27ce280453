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

/// `#[cfg(feature = ..)]` or `#[cfg(any(..))]` for `features`, with the same condition as a
/// `doc(cfg)` for docs.rs (built with `--cfg docsrs`), which shows it as a badge on the item;
/// nothing when `features` is empty.
pub fn cfg(features: &[String]) -> TokenStream {
    let condition = match features {
        [] => return TokenStream::new(),
        [one] => quote!(feature = #one),
        _ => quote!(any(#(feature = #features),*)),
    };
    quote! {
        #[cfg(#condition)]
        #[cfg_attr(docsrs, doc(cfg(#condition)))]
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

#[cfg(test)]
mod tests {
    use super::cfg;

    #[test]
    fn every_cfg_carries_its_condition_as_a_docs_rs_badge() {
        let text = |features: &[&str]| {
            let features: Vec<String> = features.iter().map(|f| (*f).to_owned()).collect();
            cfg(&features).to_string().replace(' ', "")
        };
        assert_eq!(text(&[]), "");
        assert_eq!(
            text(&["transfers"]),
            "#[cfg(feature=\"transfers\")]#[cfg_attr(docsrs,doc(cfg(feature=\"transfers\")))]"
        );
        assert_eq!(
            text(&["accounts", "labels"]),
            "#[cfg(any(feature=\"accounts\",feature=\"labels\"))]\
             #[cfg_attr(docsrs,doc(cfg(any(feature=\"accounts\",feature=\"labels\"))))]"
        );
    }
}
