//! Routing a request to the operation whose path template it fits, one rule for the mock and
//! the Sandbox alike: the method must match, every segment must match its template's (a
//! `{param}` matches any non-empty segment), and of the templates that fit, the one with the
//! most literal segments wins (`/customers/exchange-sessions` over `/customers/{id}`); on a tie
//! the first in the table.

/// A row of a table of operations: its HTTP method and path template.
pub(crate) trait Template {
    /// The HTTP method, in any case.
    fn method(&self) -> &str;
    /// The path template (`/customers/{id}`).
    fn path(&self) -> &str;
}

/// The operation of `table` that `method` and `path` route to, with the values of its
/// template's parameters in order.
pub(crate) fn route<'t, T: Template>(table: &'t [T], method: &str, path: &str) -> Option<(&'t T, Vec<String>)> {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let mut best: Option<(usize, &T, Vec<String>)> = None;
    for op in table.iter().filter(|op| op.method().eq_ignore_ascii_case(method)) {
        let template: Vec<&str> = op.path().trim_matches('/').split('/').collect();
        if template.len() != segments.len() {
            continue;
        }
        let (mut literal, mut params, mut fits) = (0, Vec::new(), true);
        for (t, s) in template.iter().zip(&segments) {
            if t.starts_with('{') && t.ends_with('}') {
                fits &= !s.is_empty();
                params.push((*s).to_owned());
            } else {
                literal += 1;
                fits &= t == s;
            }
        }
        if fits && best.as_ref().is_none_or(|(n, _, _)| literal > *n) {
            best = Some((literal, op, params));
        }
    }
    best.map(|(_, op, params)| (op, params))
}
