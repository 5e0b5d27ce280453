//! Exchange sessions, partner by partner: the responses in Dwolla's docs (the seeds) decode to
//! the right `ProviderSession` variant and lose nothing; the create requests built with the
//! typed API equal, as JSON, the spec's own examples; and the whole flow works against a mock.

use std::path::{Path, PathBuf};

use dwolla::models::{
    CreateCustomerExchangeSessionForWeb, CreateCustomerExchangeSessionWithRedirect, CreateReAuthExchangeSessionForWeb,
    CreateReAuthExchangeSessionWithRedirect, ExchangePartnerLinks, ExchangePartnerName, ExchangePartnerRedirectLinks,
    ExchangeSession, ProviderSession, RedirectLinks,
};
use serde_json::{Value, json};
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(workspace().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Every top-level JSON object in `text` that starts with `{` on a line of its own.
fn json_objects(text: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(start) = text[i..].find("\n{\n").map(|p| i + p + 1) {
        let mut depth = 0;
        let mut end = None;
        let mut in_string = false;
        let mut escaped = false;
        for (j, &b) in bytes.iter().enumerate().skip(start) {
            match (in_string, escaped, b) {
                (true, true, _) => escaped = false,
                (true, false, b'\\') => escaped = true,
                (true, false, b'"') => in_string = false,
                (false, _, b'"') => in_string = true,
                (false, _, b'{') => depth += 1,
                (false, _, b'}') => {
                    depth -= 1;
                    if depth == 0 {
                        end = Some(j + 1);
                        break;
                    }
                }
                _ => {}
            }
        }
        let Some(end) = end else { break };
        if let Ok(v) = serde_json::from_str(&text[start..end]) {
            out.push(v);
        }
        i = end;
    }
    out
}

fn decode(v: &Value) -> ExchangeSession {
    serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("does not decode: {e}\n{v:#}"))
}

fn variant(s: &ExchangeSession) -> &'static str {
    match s.provider_session() {
        ProviderSession::Redirect { .. } => "Redirect",
        ProviderSession::PlaidLinkToken { .. } => "PlaidLinkToken",
        ProviderSession::CheckoutCom { .. } => "CheckoutCom",
        ProviderSession::Unknown { .. } => "Unknown",
        _ => "a variant added after this test",
    }
}

/// The Checkout.com response the API reference's schema describes: its property examples.
fn checkout_response_from_the_seed_schema() -> Value {
    let md = read("tests/fixtures/seeds/api-reference-retrieve-exchange-session.openapi.md");
    let yaml = md
        .split("````yaml")
        .nth(1)
        .and_then(|s| s.split("````").next())
        .expect("the seed's YAML block");
    let doc: serde_yaml::Value =
        serde_yaml::from_str(yaml.split_once('\n').map_or(yaml, |x| x.1)).expect("seed YAML parses");
    let schema = &doc["components"]["schemas"]["ExchangeSession"]["properties"];
    let ex = |v: &serde_yaml::Value| serde_json::to_value(v["example"].clone()).expect("example is JSON");
    let link = |name: &str| {
        let p = &schema["_links"]["properties"][name]["properties"];
        json!({"href": ex(&p["href"]), "type": ex(&p["type"]), "resource-type": ex(&p["resource-type"])})
    };
    let data = &schema["externalProviderSessionData"]["properties"];
    json!({
        "created": ex(&schema["created"]),
        "_links": {"self": link("self"), "exchange-partner": link("exchange-partner")},
        "externalProviderSessionData": {
            "id": ex(&data["id"]),
            "payment_session_secret": ex(&data["payment_session_secret"]),
            "payment_session_token": ex(&data["payment_session_token"]),
        }
    })
}

#[test]
fn the_seed_responses_decode_to_the_right_variant_and_lose_nothing() {
    let docs = json_objects(&read(
        "tests/fixtures/seeds/developer-docs-retrieve-exchange-session.txt",
    ));
    assert_eq!(docs.len(), 3, "the developer docs show three responses");
    let mut examples: Vec<(&str, Value)> = vec![
        ("developer docs, MX", docs[0].clone()),
        ("developer docs, Plaid", docs[1].clone()),
        ("developer docs, MX", docs[2].clone()),
        (
            "API reference schema examples, Checkout.com",
            checkout_response_from_the_seed_schema(),
        ),
    ];
    // Visa shares MX's shape: a redirect link to Visa's page.
    let mut visa = docs[0].clone();
    visa["_links"]["external-provider-session"]["href"] =
        json!("https://secure.visa.example/open-banking/authorize?session=abc");
    examples.push(("MX-shaped Visa", visa));
    let expected = ["Redirect", "PlaidLinkToken", "Redirect", "CheckoutCom", "Redirect"];
    for ((what, json), want) in examples.iter().zip(expected) {
        let session = decode(json);
        println!("{what}: {} ({:?})", variant(&session), session.provider_session());
        assert_eq!(variant(&session), want, "{what}");
        let back = serde_json::to_value(&session).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(&back["_links"], &json["_links"], "{what}: links must survive");
        assert_eq!(
            back.get("externalProviderSessionToken"),
            json.get("externalProviderSessionToken")
        );
        assert_eq!(
            back.get("externalProviderSessionData"),
            json.get("externalProviderSessionData")
        );
    }
    match decode(&examples[0].1).provider_session() {
        ProviderSession::Redirect { url, .. } => {
            assert!(url.starts_with("https://int-widgets.moneydesktop.com/md/connect/"))
        }
        other => panic!("{other:?}"),
    }
    match decode(&examples[1].1).provider_session() {
        ProviderSession::PlaidLinkToken { token, .. } => {
            assert_eq!(token, "link-production-b41e8ed3-0874-4c64-b07d-a77088979d5f")
        }
        other => panic!("{other:?}"),
    }
    match decode(&examples[3].1).provider_session() {
        ProviderSession::CheckoutCom {
            id,
            payment_session_secret,
            payment_session_token,
            ..
        } => {
            assert_eq!(id, "ps_39vhHjFxZuJRKOw5Hexbnv39fC7");
            assert_eq!(payment_session_secret, "pss_2400dd88-171d-4a9c-bebf-e06b56d59bb6");
            assert!(payment_session_token.starts_with("YmFzZTY0"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_session_with_none_of_the_shapes_is_unknown_and_keeps_what_it_has() {
    let json = json!({
        "created": "2024-03-25T17:13:38.430Z",
        "_links": {
            "self": {"href": "https://api.dwolla.com/exchange-sessions/1", "type": "application/vnd.dwolla.v1.hal+json", "resource-type": "exchange-sessions"},
            "exchange-partner": {"href": "https://api.dwolla.com/exchange-partners/2", "type": "application/vnd.dwolla.v1.hal+json", "resource-type": "exchange-partner"},
            "partner-widget": {"href": "https://finicity.example/connect/xyz"}
        },
        "externalProviderSessionUrl": "https://finicity.example/connect/xyz"
    });
    let session = decode(&json);
    assert_eq!(variant(&session), "Unknown");
    assert_eq!(
        session.additional_properties.get("externalProviderSessionUrl"),
        json.get("externalProviderSessionUrl")
    );
    assert_eq!(
        serde_json::to_value(&session).unwrap_or_default(),
        json,
        "nothing is lost"
    );
}

#[test]
fn when_several_partners_shapes_are_present_the_documented_order_decides() {
    let checkout = checkout_response_from_the_seed_schema();
    let mut all = checkout.clone();
    all["externalProviderSessionToken"] = json!("link-sandbox-1");
    all["_links"]["external-provider-session"] =
        json!({"href": "https://www.mx.com/connect/x", "type": "t", "resource-type": "text/html"});
    assert_eq!(variant(&decode(&all)), "CheckoutCom", "Checkout.com first");
    let mut plaid_and_mx = all.clone();
    plaid_and_mx
        .as_object_mut()
        .map(|o| o.remove("externalProviderSessionData"));
    assert_eq!(variant(&decode(&plaid_and_mx)), "PlaidLinkToken", "then Plaid");
    // Incomplete Checkout.com data is not a Checkout.com session.
    let mut partial = checkout;
    partial["externalProviderSessionData"]
        .as_object_mut()
        .map(|o| o.remove("payment_session_token"));
    assert_eq!(variant(&decode(&partial)), "Unknown");
}

/// The JSON bodies of the spec's code samples for an operation.
fn spec_samples(operation_id: &str) -> Vec<(String, Value)> {
    let spec: serde_yaml::Value = serde_yaml::from_str(&read("spec/dwolla.yaml")).expect("spec parses");
    let mut out = Vec::new();
    for (_, item) in spec["paths"].as_mapping().into_iter().flatten() {
        for (_, op) in item.as_mapping().into_iter().flatten() {
            if op["operationId"].as_str() != Some(operation_id) {
                continue;
            }
            let source = op["x-codeSamples"][0]["source"].as_str().unwrap_or_default();
            let mut title = String::from("(untitled)");
            for chunk in source.split("\n\n") {
                if let Some(t) = chunk.lines().find(|l| l.starts_with('#')) {
                    title = t.trim_start_matches('#').trim().to_owned();
                }
                if let Ok(v) = serde_json::from_str::<Value>(chunk.trim()) {
                    out.push((title.clone(), v));
                }
            }
        }
    }
    out
}

#[test]
fn typed_create_requests_equal_the_spec_and_sdk_examples() {
    let samples = spec_samples("createCustomerExchangeSession");
    let titles: Vec<&str> = samples.iter().map(|(t, _)| t.as_str()).collect();
    println!("spec samples: {titles:?}");
    assert_eq!(samples.len(), 5);
    let plaid = "https://api.dwolla.com/exchange-partners/f53ffb32-c84f-496a-9d9d-acd100d396ef";
    let built: Vec<Value> = vec![
        serde_json::to_value(CreateCustomerExchangeSessionForWeb::new(ExchangePartnerLinks::new(
            plaid,
        ))),
        serde_json::to_value(CreateCustomerExchangeSessionWithRedirect::new(
            ExchangePartnerRedirectLinks::new(plaid, "com.example.app123"),
        )),
        serde_json::to_value(CreateCustomerExchangeSessionWithRedirect::new(
            ExchangePartnerRedirectLinks::new(plaid, "https://example.com/app123"),
        )),
        serde_json::to_value(CreateCustomerExchangeSessionForWeb::new(ExchangePartnerLinks::new(
            "https://api.dwolla.com/exchange-partners/2164407f-33c3-4555-a6a1-40d5e9e58744",
        ))),
        serde_json::to_value(CreateCustomerExchangeSessionForWeb::new(ExchangePartnerLinks::new(
            "https://api-sandbox.dwolla.com/exchange-partners/d652517d-9c02-4ea4-87af-2977e6cf3850",
        ))),
    ]
    .into_iter()
    .map(|r| r.unwrap_or_else(|e| panic!("{e}")))
    .collect();
    for ((title, want), got) in samples.iter().zip(&built) {
        assert_eq!(got, want, "{title}");
    }
    // The TypeScript SDK's example (camelCase `links.exchangePartner` is `_links.exchange-partner`).
    let sdk = CreateCustomerExchangeSessionWithRedirect::new(ExchangePartnerRedirectLinks::new(
        "https://api.dwolla.com/exchange-partners/292317ec-e252-47d8-93c3-2d128e037aa4",
        "{\"description\":\"Plaid Android example\",\"value\":\"com.example.app123\"}",
    ));
    assert_eq!(
        serde_json::to_value(sdk).unwrap_or_default(),
        json!({"_links": {
            "exchange-partner": {"href": "https://api.dwolla.com/exchange-partners/292317ec-e252-47d8-93c3-2d128e037aa4"},
            "redirect-url": {"href": "{\"description\":\"Plaid Android example\",\"value\":\"com.example.app123\"}"}
        }})
    );
    // Re-authentication.
    let reauth = spec_samples("createReAuthExchangeSession");
    assert_eq!(reauth.len(), 1);
    let built =
        CreateReAuthExchangeSessionWithRedirect::new(RedirectLinks::new("https://www.yourdomain.com/iav-callback"));
    assert_eq!(serde_json::to_value(built).unwrap_or_default(), reauth[0].1);
    assert_eq!(
        serde_json::to_value(CreateReAuthExchangeSessionForWeb::new()).unwrap_or_default(),
        json!({})
    );
}

#[tokio::test]
async fn the_whole_flow_against_a_mock_server() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "t", "token_type": "Bearer", "expires_in": 3600})),
        )
        .mount(&server)
        .await;
    let partner_href = format!("{}/exchange-partners/bca8d065", server.uri());
    Mock::given(method("POST"))
        .and(path("/customers/cust-1/exchange-sessions"))
        .and(body_json(
            json!({"_links": {"exchange-partner": {"href": partner_href}}}),
        ))
        .respond_with(
            ResponseTemplate::new(201).insert_header("location", format!("{}/exchange-sessions/sess-1", server.uri())),
        )
        .mount(&server)
        .await;
    let mut session_json = json_objects(&read(
        "tests/fixtures/seeds/developer-docs-retrieve-exchange-session.txt",
    ))[1]
        .clone();
    session_json["_links"]["exchange-partner"]["href"] = json!(partner_href);
    Mock::given(method("GET"))
        .and(path("/exchange-sessions/sess-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(session_json))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/exchange-partners/bca8d065"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "_links": {"self": {"href": partner_href}}, "id": "bca8d065", "name": "Plaid", "status": "active", "created": "2022-07-23T00:18:21.419Z"
        })))
        .mount(&server)
        .await;
    let client = client_tests::client(&server);

    let created = client
        .customers()
        .exchange_sessions()
        .create(
            "cust-1",
            CreateCustomerExchangeSessionForWeb::new(ExchangePartnerLinks::new(partner_href.as_str())),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(created.id, "sess-1");
    let session = client
        .exchange_sessions()
        .get(&created.id)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_inner();
    assert!(matches!(
        session.provider_session(),
        ProviderSession::PlaidLinkToken {
            token: "link-production-b41e8ed3-0874-4c64-b07d-a77088979d5f",
            ..
        }
    ));
    assert_eq!(session.exchange_partner_id(), "bca8d065");
    let partner = session
        .fetch_exchange_partner(&client)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_inner();
    assert_eq!(partner.name, ExchangePartnerName::Plaid);
    let same = client
        .exchange_partners()
        .get(session.exchange_partner_id())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(same.id, partner.id);

    // The opt-in follow-up: create, then fetch what `Location` names, typed.
    let fetched = client
        .customers()
        .exchange_sessions()
        .create(
            "cust-1",
            CreateCustomerExchangeSessionForWeb::new(ExchangePartnerLinks::new(partner_href.as_str())),
        )
        .fetch_created()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_inner();
    assert_eq!(fetched, session);
}

#[tokio::test]
async fn a_link_to_another_host_is_not_followed() {
    let server = MockServer::start().await;
    let client = client_tests::client(&server);
    let mut json = json_objects(&read(
        "tests/fixtures/seeds/developer-docs-retrieve-exchange-session.txt",
    ))[0]
        .clone();
    json["_links"]["exchange-partner"]["href"] = json!("https://attacker.example/exchange-partners/x");
    let session = decode(&json);
    let err = session
        .fetch_exchange_partner(&client)
        .await
        .expect_err("must not follow");
    assert!(matches!(err, dwolla::Error::ForeignLink { .. }), "{err:?}");
    assert!(
        server.received_requests().await.unwrap_or_default().is_empty(),
        "no request, not even for a token"
    );
}

#[test]
fn partner_names_are_an_open_enum() {
    for (wire, want) in [
        ("MX", ExchangePartnerName::Mx),
        ("Plaid", ExchangePartnerName::Plaid),
        ("Flinks", ExchangePartnerName::Flinks),
        ("Finicity", ExchangePartnerName::Finicity),
        ("Checkout.com", ExchangePartnerName::CheckoutCom),
        ("Visa", ExchangePartnerName::Unknown("Visa".into())),
    ] {
        let name: ExchangePartnerName = serde_json::from_value(json!(wire)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(name, want);
        assert_eq!(name.as_str(), wire);
        assert_eq!(serde_json::to_value(&name).unwrap_or_default(), json!(wire));
    }
}
