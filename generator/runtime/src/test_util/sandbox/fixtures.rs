//! Set-up without HTTP: the customers and funding sources a test starts from, made through the
//! same engine and rules as a request (so they link, carry their status and raise their
//! events), for tests whose subject comes after them.

use serde_json::{Value, json};

use super::Sandbox;

impl<S> Sandbox<S> {
    /// Creates as if by `POST` and answers the new resource's id; `None` when the Sandbox
    /// refused it (the path names no parent, the body is invalid).
    fn create_directly(&self, path: &str, body: &Value) -> Option<String> {
        let mut state = self.state();
        let url = url::Url::parse(&format!("{}{path}", state.store.base())).ok()?;
        let raw = serde_json::to_vec(body).ok()?;
        let answer = state.handle("POST", &url, None, &raw);
        let location = answer.headers.get(http::header::LOCATION)?.to_str().ok()?;
        location.rsplit('/').next().map(str::to_owned)
    }

    /// Adds a customer of `kind` (`personal`, `business`, `unverified`, `receive-only`) whose
    /// first name (and business name) is `name`, and answers its id. A magic name gives a
    /// Verified Customer its status (`retry`, `document`, `kba`, `suspended`); a verified one
    /// gets its balance.
    ///
    /// # Panics
    ///
    /// If the Sandbox refuses it, which it does only when the spec's required fields change.
    pub fn add_customer(&self, kind: &str, name: &str) -> String {
        let body = json!({
            "firstName": name, "lastName": "Doe", "email": format!("{}@example.com", name.to_lowercase().replace(' ', ".")),
            "type": kind, "businessName": name, "address1": "1 Main St", "city": "Des Moines", "state": "IA",
            "postalCode": "50309", "dateOfBirth": "1980-01-01", "ssn": "1234",
        });
        self.create_directly("/customers", &body).unwrap_or_else(|| panic!("the Sandbox refused a {kind} customer"))
    }

    /// Adds a bank funding source named `name` (an R code there fails its transfers) to a
    /// customer, `verified` as one added through an exchange or `unverified` as one added by
    /// account number, and answers its id.
    ///
    /// # Panics
    ///
    /// If the Sandbox has no customer of that id.
    pub fn add_bank(&self, customer_id: &str, name: &str, verified: bool) -> String {
        let customer = format!("/customers/{customer_id}");
        let mut body = json!({"name": name, "bankAccountType": "checking", "routingNumber": "222222226", "accountNumber": "123456789"});
        if verified {
            let base = self.state().store.base().to_owned();
            let plaid = self.partner("Plaid").unwrap_or_default();
            let exchange = json!({"_links": {"exchange-partner": {"href": plaid}}, "token": "sandbox-token"});
            let exchange = self.create_directly(&format!("{customer}/exchanges"), &exchange);
            let exchange = exchange.unwrap_or_else(|| panic!("the Sandbox has no customer {customer_id}"));
            body = json!({"name": name, "bankAccountType": "checking", "_links": {"exchange": {"href": format!("{base}/exchanges/{exchange}")}}});
        }
        self.create_directly(&format!("{customer}/funding-sources"), &body)
            .unwrap_or_else(|| panic!("the Sandbox has no customer {customer_id}"))
    }

    /// The URL of the exchange partner of that name (`MX`, `Plaid`, `Checkout.com`, `Visa`).
    pub fn partner(&self, name: &str) -> Option<String> {
        let state = self.state();
        let partner = state.store.list("exchange-partners", None).into_iter().find(|p| p.body["name"] == name)?;
        Some(state.store.url("exchange-partners", &partner.id))
    }
}
