//! What the overlay did to one revision of the spec: which actions selected nothing, and which
//! nodes each of the others wrote. A run says from it which corrections applied, and an error
//! at a node an overlay action wrote is re-attributed to that action: the fix belongs in the
//! overlay, not in Dwolla's file, and this is the one place that decides so.

use super::overlay::{ActionWrites, Applied, OverlayWarning};
use crate::error::{Error, OverlayActionError};

/// The overlay as applied to one spec.
#[derive(Clone, Debug, Default)]
pub struct AppliedOverlay {
    /// Name of the overlay file, for messages.
    pub file: String,
    /// How many actions the overlay has.
    pub actions: usize,
    pub applied: Applied,
}

impl AppliedOverlay {
    /// The actions that selected nothing in this revision.
    pub fn warnings(&self) -> &[OverlayWarning] {
        &self.applied.warnings
    }

    /// One line for a run's summary: how many actions applied, and which selected nothing.
    pub fn summary(&self) -> String {
        let skipped: Vec<String> = self
            .applied
            .warnings
            .iter()
            .map(|w| format!("actions[{}]", w.action))
            .collect();
        let applied = self.actions.saturating_sub(skipped.len());
        let mut line = format!("{}: {applied} of {} actions applied to this spec", self.file, self.actions);
        if !skipped.is_empty() {
            line.push_str(&format!("; selected nothing: {}", skipped.join(", ")));
        }
        line
    }

    /// `error`, or, when it names a node of the spec at or below one an overlay action wrote,
    /// the same failure as that action's: the last action to write there, whose write stands.
    pub fn attribute(&self, error: Error) -> Error {
        let Error::Spec { file, pointer, message } = error else {
            return error;
        };
        match self.writer_of(&pointer) {
            Some((action, written)) if file != self.file => Error::Overlay(Box::new(OverlayActionError {
                overlay: self.file.clone(),
                action: action.action,
                target: action.target.clone(),
                written,
                spec: file,
                pointer,
                message,
            })),
            _ => Error::Spec { file, pointer, message },
        }
    }

    /// The last action that wrote the node at `pointer` or one of its ancestors, with the
    /// pointer it wrote.
    fn writer_of(&self, pointer: &str) -> Option<(&ActionWrites, String)> {
        self.applied.writes.iter().rev().find_map(|action| {
            action.written.iter().map(ToString::to_string).find_map(|written| {
                let below = pointer
                    .strip_prefix(written.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
                below.then_some((action, written))
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::error::Error;

    const SPEC: &str = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b: {$ref: '#/components/schemas/Missing'}\n    B:\n      type: object\n";

    const OVERLAY: &str = "overlay: 1.0.0\ninfo: {title: o, version: '1'}\nactions:\n  - target: $.nowhere\n    update: {x: 1}\n  - target: $.components.schemas\n    update:\n      C:\n        oneOf:\n          - $ref: '#/components/schemas/B'\n          - $ref: '#/components/schemas/Gone'\n";

    fn error_of(spec: &str, overlay: &str) -> Error {
        match crate::spec::read(spec, "spec.yaml", Some((overlay, "overlay.yaml"))) {
            Ok(_) => panic!("expected the spec to fail"),
            Err(e) => e,
        }
    }

    #[test]
    fn a_dangling_reference_an_overlay_action_wrote_names_the_action_and_its_target() {
        let spec = SPEC.replace("'#/components/schemas/Missing'", "'#/components/schemas/B'");
        let e = error_of(&spec, OVERLAY).to_string();
        assert!(
            e.starts_with("overlay.yaml: actions[1] (target `$.components.schemas`) wrote #/components/schemas/C"),
            "{e}"
        );
        assert!(e.contains("#/components/schemas/C/oneOf/1/$ref"), "{e}");
        assert!(e.contains("dangling reference `#/components/schemas/Gone`"), "{e}");
    }

    #[test]
    fn an_error_in_what_the_spec_wrote_stays_the_specs() {
        let e = error_of(SPEC, OVERLAY);
        assert!(matches!(e, Error::Spec { .. }), "{e}");
        assert!(e.to_string().starts_with("spec.yaml: #/components/schemas/A/properties/b/$ref"), "{e}");
    }

    #[test]
    fn the_summary_says_how_many_actions_applied_and_which_selected_nothing() {
        let mut doc = crate::spec::parse_yaml(SPEC, "spec.yaml").unwrap();
        let applied = crate::spec::apply_overlay(&mut doc, (OVERLAY, "overlay.yaml")).unwrap();
        assert_eq!(
            applied.summary(),
            "overlay.yaml: 1 of 2 actions applied to this spec; selected nothing: actions[0]"
        );
    }

    /// Dwolla's revisions from before `ReceiveOnlyCustomer` existed stop at our overlay's
    /// `Customer` union, which refers to it: the error sends the maintainer to the overlay.
    #[test]
    fn dwollas_spec_without_a_schema_the_overlay_refers_to_names_the_overlay_action() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let read = |p: &str| std::fs::read_to_string(root.join(p)).unwrap();
        let spec = without_component(&read(crate::SPEC_PATH), "ReceiveOnlyCustomer");
        let overlay = read(crate::OVERLAY_PATH);
        let e = match crate::render(&spec, crate::SPEC_PATH, Some((&overlay, crate::OVERLAY_PATH))) {
            Ok(_) => panic!("expected generation to fail without ReceiveOnlyCustomer"),
            Err(e) => e,
        };
        let text = e.to_string();
        assert!(matches!(e, Error::Overlay(_)), "{text}");
        assert!(text.starts_with("spec/overlay.yaml: actions["), "{text}");
        assert!(text.contains("(target `$.components.schemas`)"), "{text}");
        assert!(text.contains("#/components/schemas/Customer/oneOf/1/$ref"), "{text}");
        assert!(text.contains("ReceiveOnlyCustomer"), "{text}");
    }

    /// `spec` as a revision from before the component schema `name` existed: without its block
    /// (indented by four spaces) and without the union members (`- $ref:` lines) that name it.
    fn without_component(spec: &str, name: &str) -> String {
        let reference = format!("- $ref: '#/components/schemas/{name}'");
        let mut out = String::with_capacity(spec.len());
        let mut skipping = false;
        for line in spec.lines() {
            let indent = line.len() - line.trim_start().len();
            if line == format!("    {name}:") {
                skipping = true;
            } else if skipping && !line.trim().is_empty() && indent <= 4 {
                skipping = false;
            }
            if !skipping && line.trim() != reference {
                out.push_str(line);
                out.push('\n');
            }
        }
        assert!(out.len() < spec.len(), "no component {name} in the spec");
        out
    }
}
