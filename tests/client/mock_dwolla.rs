//! `test_util::MockDwolla` over the generated table of the spec's operations: every operation
//! reaches its own answer, an answer can be changed and restored, and operations are named by
//! typed handles.

use dwolla::http::{HeaderName, HeaderValue, Method, StatusCode};
use dwolla::test_util::{MockAnswer, MockDwolla, Spec, op};
use dwolla_runtime::test_util::{MockOperation, MockSpec};

/// The generated table's operation of id `id`.
fn operation(id: &str) -> &'static MockOperation {
    Spec::OPERATIONS
        .iter()
        .find(|op| op.id == id)
        .unwrap_or_else(|| panic!("no operation {id}"))
}

/// Every operation, requested at its path with each `{param}` filled in, is answered with the
/// default answer of an operation of its method and path (the most literal template wins, so a
/// literal path such as `/customers/exchange-sessions` is not taken for `/customers/{id}`).
#[tokio::test]
async fn every_operation_routes_to_its_template() {
    let dwolla = MockDwolla::start().await;
    let http = dwolla::reqwest::Client::new();
    for op in Spec::OPERATIONS {
        let method = Method::from_bytes(op.method.as_bytes()).unwrap_or_else(|e| panic!("{}: {e}", op.id));
        let path = op.path.replace('{', "x").replace('}', "");
        let response = http
            .request(method, format!("{}{path}", dwolla.uri()))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", op.id));
        let status = response.status().as_u16();
        let bytes = response.bytes().await.unwrap_or_else(|e| panic!("{}: {e}", op.id));
        let body: Option<serde_json::Value> = serde_json::from_slice(&bytes).ok();
        let answers_of_its_template = Spec::OPERATIONS.iter().any(|same| {
            let example = same.body.map(|b| serde_json::from_str::<serde_json::Value>(b).ok());
            same.method == op.method && same.path == op.path && same.status == status && example.flatten() == body
        });
        assert!(
            answers_of_its_template,
            "{} ({} {}) got {status} {body:?}",
            op.id, op.method, path
        );
    }
}

#[tokio::test]
async fn an_answer_can_be_changed_and_restored() {
    let dwolla = MockDwolla::start().await;
    let client = dwolla.client();
    let id_of = |c: &dwolla::models::Customer| serde_json::to_value(c).unwrap_or_default()["id"].clone();
    let get = |id: &'static str| client.customers().get(id);
    let original = id_of(&get("c-1").await.unwrap_or_else(|e| panic!("{e}")));
    let mut body: serde_json::Value =
        serde_json::from_str(operation("getCustomer").body.unwrap_or("{}")).unwrap_or_else(|e| panic!("{e}"));
    body["id"] = "my-id".into();
    let answer = MockAnswer::new(StatusCode::OK).json(&body).header(
        HeaderName::from_static("x-request-id"),
        HeaderValue::from_static("req-1"),
    );
    dwolla.on(op::GET_CUSTOMER).respond_with(answer);
    let changed = get("c-2").await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (id_of(&changed), changed.request_id()),
        ("my-id".into(), Some("req-1".to_owned()))
    );
    dwolla.on(op::GET_CUSTOMER).restore();
    assert_eq!(id_of(&get("c-3").await.unwrap_or_else(|e| panic!("{e}"))), original);
    let paths: Vec<String> = dwolla
        .received(op::GET_CUSTOMER)
        .await
        .iter()
        .map(|r| r.url.path().to_owned())
        .collect();
    assert_eq!(paths, ["/customers/c-1", "/customers/c-2", "/customers/c-3"]);
    dwolla.reset().await;
    assert!(dwolla.all_received().await.is_empty());
}

#[test]
fn a_handle_names_its_operation_and_a_name_of_none_is_an_error() {
    assert_eq!(MockDwolla::operation("createCustomer"), Ok(op::CREATE_CUSTOMER));
    assert_eq!((op::CREATE_CUSTOMER.method(), op::CREATE_CUSTOMER.path()), ("POST", "/customers"));
    let unknown = MockDwolla::operation("createCustomerz").unwrap_err();
    assert_eq!(unknown.to_string(), "the spec has no operation `createCustomerz`");
}
