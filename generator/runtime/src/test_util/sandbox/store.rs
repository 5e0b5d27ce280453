//! The Sandbox's resources: JSON bodies by collection and id, the ids it hands out, the links
//! between them and the pages of a list, all on the Sandbox's own base URL.

use serde_json::{Map, Value, json};

/// The most items one page holds, as Dwolla caps `limit`.
pub const MAX_PAGE: usize = 200;

/// The base URL of Dwolla's own Sandbox, whose links the Sandbox takes for its own.
pub const DWOLLA_SANDBOX: &str = "https://api-sandbox.dwolla.com";

/// Items per page when the request names no `limit`, as Dwolla pages.
pub const DEFAULT_PAGE: usize = 25;

/// One stored resource.
#[derive(Clone, Debug)]
pub(crate) struct Resource {
    pub(crate) collection: String,
    pub(crate) id: String,
    pub(crate) body: Value,
}

/// Every resource, oldest first, and where new ids come from.
#[derive(Debug)]
pub(crate) struct Store {
    base: String,
    seed: u32,
    issued: u64,
    resources: Vec<Resource>,
}

impl Store {
    /// An empty store whose links start with `base` (`http://127.0.0.1:port`) and whose ids
    /// derive from `seed`.
    pub(crate) fn new(base: &str, seed: u32) -> Self {
        Store {
            base: base.trim_end_matches('/').to_owned(),
            seed,
            issued: 0,
            resources: Vec::new(),
        }
    }

    /// The base URL, without a trailing `/`.
    pub(crate) fn base(&self) -> &str {
        &self.base
    }

    /// A new id in the shape of Dwolla's (a UUID), the same for the same seed and order of
    /// creation.
    pub(crate) fn new_id(&mut self) -> String {
        self.issued = self.issued.saturating_add(1);
        format!("{:08x}-0000-4000-8000-{:012x}", self.seed, self.issued)
    }

    /// The URL of an item.
    pub(crate) fn url(&self, collection: &str, id: &str) -> String {
        format!("{}/{collection}/{id}", self.base)
    }

    /// The collection and id a URL of this Sandbox names, if it names an item. A URL on
    /// Dwolla's own Sandbox host ([`DWOLLA_SANDBOX`]) names the same item here, so that code
    /// written against Dwolla's Sandbox runs unchanged.
    pub(crate) fn locate(&self, href: &str) -> Option<(String, String)> {
        let path = href.strip_prefix(&self.base).or_else(|| href.strip_prefix(DWOLLA_SANDBOX))?;
        let mut parts = path.trim_matches('/').split('/');
        match (parts.next(), parts.next(), parts.next()) {
            (Some(c), Some(id), None) if !c.is_empty() && !id.is_empty() => Some((c.to_owned(), id.to_owned())),
            _ => None,
        }
    }

    /// Stores a resource.
    pub(crate) fn insert(&mut self, collection: &str, id: &str, body: Value) {
        self.resources.push(Resource {
            collection: collection.to_owned(),
            id: id.to_owned(),
            body,
        });
    }

    /// The resource of that collection and id.
    pub(crate) fn get(&self, collection: &str, id: &str) -> Option<&Resource> {
        self.resources.iter().find(|r| r.collection == collection && r.id == id)
    }

    /// The resource of that collection and id, to change.
    pub(crate) fn get_mut(&mut self, collection: &str, id: &str) -> Option<&mut Resource> {
        self.resources.iter_mut().find(|r| r.collection == collection && r.id == id)
    }

    /// The resource a URL of this Sandbox names.
    pub(crate) fn follow(&self, href: &str) -> Option<&Resource> {
        let (collection, id) = self.locate(href)?;
        self.get(&collection, &id)
    }

    /// Removes a resource and returns it.
    pub(crate) fn remove(&mut self, collection: &str, id: &str) -> Option<Resource> {
        let at = self.resources.iter().position(|r| r.collection == collection && r.id == id)?;
        Some(self.resources.remove(at))
    }

    /// Every resource of a collection, newest first (as Dwolla lists), only those linking to
    /// `owner` (a URL) when one is given.
    pub(crate) fn list(&self, collection: &str, owner: Option<&str>) -> Vec<&Resource> {
        self.resources
            .iter()
            .rev()
            .filter(|r| r.collection == collection)
            .filter(|r| owner.is_none_or(|o| links_to(&r.body, o)))
            .collect()
    }

    /// Every resource of a collection, newest first, to change.
    pub(crate) fn list_mut(&mut self, collection: &str) -> impl Iterator<Item = &mut Resource> {
        self.resources.iter_mut().rev().filter(move |r| r.collection == collection)
    }
}

/// Whether one of the body's `_links` is `href`.
pub(crate) fn links_to(body: &Value, href: &str) -> bool {
    body.get("_links")
        .and_then(Value::as_object)
        .is_some_and(|links| links.values().any(|l| l.get("href").and_then(Value::as_str) == Some(href)))
}

/// A HAL link to `href`.
pub(crate) fn link(href: &str, resource_type: &str) -> Value {
    json!({"href": href, "type": "application/vnd.dwolla.v1.hal+json", "resource-type": resource_type})
}

/// Sets `body._links[name]` to a link to `href`.
pub(crate) fn set_link(body: &mut Value, name: &str, href: &str, resource_type: &str) {
    if !body.get("_links").is_some_and(Value::is_object) {
        body["_links"] = Value::Object(Map::new());
    }
    body["_links"][name] = link(href, resource_type);
}

/// The `href` of `body._links[name]`.
pub(crate) fn link_href<'v>(body: &'v Value, name: &str) -> Option<&'v str> {
    body.get("_links")?.get(name)?.get("href")?.as_str()
}

/// The singular of a collection, as Dwolla names a link to one of its items
/// (`customers` → `customer`, `funding-sources` → `funding-source`).
pub(crate) fn singular(collection: &str) -> &str {
    collection.strip_suffix('s').unwrap_or(collection)
}

/// Which slice of a list a request asks for: `limit` (1 to [`MAX_PAGE`], [`DEFAULT_PAGE`] if
/// absent) and `offset`, from the query. A value that is not a number is the default.
pub(crate) fn page_window(query: &[(String, String)]) -> (usize, usize) {
    let number = |name: &str| query.iter().find(|(k, _)| k == name).and_then(|(_, v)| v.parse::<usize>().ok());
    let limit = number("limit").unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE);
    (limit, number("offset").unwrap_or(0))
}

/// One page of a list as Dwolla sends it: `_links` `self`, `first`, `last` and, when there
/// are, `prev` and `next` (each keeping the request's other query parameters), `_embedded`
/// with the items under `key`, and `total`.
pub(crate) fn page(path_url: &str, query: &[(String, String)], key: &str, items: Vec<Value>) -> Value {
    let (limit, offset) = page_window(query);
    let total = items.len();
    let shown: Vec<Value> = items.into_iter().skip(offset).take(limit).collect();
    let at = |offset: usize| {
        let mut pairs = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in query.iter().filter(|(k, _)| k != "limit" && k != "offset") {
            pairs.append_pair(k, v);
        }
        pairs.append_pair("limit", &limit.to_string()).append_pair("offset", &offset.to_string());
        link(&format!("{path_url}?{}", pairs.finish()), key)
    };
    let last = total.saturating_sub(1) / limit * limit;
    let mut links = Map::new();
    links.insert("self".into(), at(offset));
    links.insert("first".into(), at(0));
    links.insert("last".into(), at(last));
    if offset > 0 {
        links.insert("prev".into(), at(offset.saturating_sub(limit)));
    }
    if offset.saturating_add(limit) < total {
        links.insert("next".into(), at(offset.saturating_add(limit)));
    }
    json!({"_links": links, "_embedded": {key: shown}, "total": total})
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn ids_follow_the_seed_and_urls_resolve_back_to_items() {
        let mut store = Store::new("http://127.0.0.1:1/", 7);
        let id = store.new_id();
        assert_eq!(id, "00000007-0000-4000-8000-000000000001");
        let url = store.url("customers", &id);
        assert_eq!(store.locate(&url), Some(("customers".to_owned(), id.clone())));
        assert_eq!(store.locate("http://elsewhere/customers/x"), None);
        let dwollas = format!("{DWOLLA_SANDBOX}/customers/{id}");
        assert_eq!(store.locate(&dwollas), Some(("customers".to_owned(), id.clone())));
        store.insert("customers", &id, json!({"id": id}));
        assert!(store.follow(&url).is_some());
    }

    #[test]
    fn a_page_links_to_its_neighbours_and_keeps_the_query() {
        let items: Vec<Value> = (0..5).map(|i| json!(i)).collect();
        let page = page("http://h/customers", &query(&[("search", "a"), ("limit", "2"), ("offset", "2")]), "customers", items);
        assert_eq!(page["total"], 5);
        assert_eq!(page["_embedded"]["customers"], json!([2, 3]));
        assert_eq!(page["_links"]["next"]["href"], "http://h/customers?search=a&limit=2&offset=4");
        assert_eq!(page["_links"]["prev"]["href"], "http://h/customers?search=a&limit=2&offset=0");
        assert_eq!(page["_links"]["last"]["href"], "http://h/customers?search=a&limit=2&offset=4");
    }

    #[test]
    fn the_last_page_has_no_next_and_limits_are_bounded() {
        let items: Vec<Value> = (0..3).map(|i| json!(i)).collect();
        let last = page("http://h/t", &query(&[("limit", "2"), ("offset", "2")]), "t", items);
        assert!(last["_links"].get("next").is_none());
        assert_eq!(page_window(&query(&[("limit", "100000")])), (MAX_PAGE, 0));
        assert_eq!(page_window(&query(&[("limit", "0"), ("offset", "x")])), (1, 0));
        let empty = page("http://h/t", &[], "t", Vec::new());
        assert_eq!((empty["total"].clone(), empty["_links"]["last"]["href"].clone()), (json!(0), json!("http://h/t?limit=25&offset=0")));
    }
}
