//! The Dwolla part of a made-up application: sign a user up as an unverified customer, open an
//! exchange session with a bank-data partner, and tell the user where to go next. Its tests
//! show how a crate that depends on `dwolla` tests such code with the `test-util` feature
//! alone: the mock Dwolla, the model constructors and `ApiError::new`, no HTTP server of its
//! own.

use dwolla::models::{
    CreateCustomerExchangeSessionForWeb, CreateUnverifiedCustomer, ExchangePartnerLinks, ExchangeSession,
};

/// What signing a user up leaves behind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Onboarded {
    /// The new customer's id.
    pub customer_id: String,
    /// The exchange session's id.
    pub session_id: String,
    /// What to tell the user.
    pub next_step: String,
}

/// Creates the customer, opens a web exchange session with `partner_href` for it and reads the
/// session back.
pub async fn onboard(
    client: &dwolla::Client,
    first_name: &str,
    last_name: &str,
    email: &str,
    partner_href: &str,
) -> Result<Onboarded, dwolla::Error> {
    let customer = client
        .customers()
        .create(CreateUnverifiedCustomer::new(first_name, last_name, email))
        .await?
        .into_inner();
    let session = client
        .customers()
        .exchange_sessions()
        .create(
            &customer.id,
            CreateCustomerExchangeSessionForWeb::new(ExchangePartnerLinks::new(partner_href)),
        )
        .await?
        .into_inner();
    let retrieved = client.exchange_sessions().get(&session.id).await?.into_inner();
    Ok(Onboarded {
        customer_id: customer.id,
        session_id: session.id,
        next_step: next_step(&retrieved),
    })
}

/// What the user does next with a session: follow the partner's link when there is one.
pub fn next_step(session: &ExchangeSession) -> String {
    match &session.links.external_provider_session {
        Some(link) => format!("continue at {}", link.href),
        None => "wait for the bank connection to finish".to_owned(),
    }
}

/// What to show the user for a failed call.
pub fn user_message(error: &dwolla::Error) -> String {
    match error.api() {
        Some(api) if api.code.as_deref() == Some("ValidationError") => {
            let fields: Vec<&str> = api.errors.iter().filter_map(|e| e.path.as_deref()).collect();
            format!("please check: {}", fields.join(", "))
        }
        Some(api) => format!("Dwolla said no ({})", api.status),
        None => "Dwolla could not be reached; try again later".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use dwolla::models::{ExchangeSessionLink, ExchangeSessionLinks};
    use dwolla::reqwest::StatusCode;
    use dwolla::test_util::{CREATED_ID, MockDwolla, op};
    use serde_json::json;

    use super::*;

    const PARTNER: &str = "https://api-sandbox.dwolla.com/exchange-partners/292317ec-e252-47d8-93c3-2d128e037aa4";

    #[tokio::test]
    async fn onboarding_creates_the_customer_and_opens_a_session_for_it() {
        let dwolla = MockDwolla::start().await;
        let done = onboard(&dwolla.client(), "Jane", "Doe", "jane@example.com", PARTNER)
            .await
            .unwrap();
        assert_eq!(done.customer_id, CREATED_ID);
        assert_eq!(done.session_id, CREATED_ID);
        assert!(done.next_step.starts_with("continue at https://"), "{}", done.next_step);

        let sent = dwolla.received(op::CREATE_CUSTOMER).await;
        assert_eq!(sent.len(), 1);
        let body: serde_json::Value = sent[0].json().unwrap();
        assert_eq!(body["firstName"], "Jane");
        assert_eq!(body["email"], "jane@example.com");
        let sessions = dwolla.received(op::CREATE_CUSTOMER_EXCHANGE_SESSION).await;
        assert_eq!(
            sessions[0].url.path(),
            format!("/customers/{CREATED_ID}/exchange-sessions")
        );
        assert_eq!(
            sessions[0].json::<serde_json::Value>().unwrap()["_links"]["exchange-partner"]["href"],
            PARTNER
        );
        assert_eq!(dwolla.received(op::RETRIEVE_CUSTOMER_EXCHANGE_SESSION).await.len(), 1);
    }

    #[tokio::test]
    async fn a_validation_error_stops_onboarding_before_any_session() {
        let dwolla = MockDwolla::start().await;
        dwolla.on(op::CREATE_CUSTOMER).respond(
            400,
            json!({
                "code": "ValidationError",
                "message": "Validation error(s) present. See embedded errors list for more details.",
                "_embedded": {"errors": [{"code": "Invalid", "message": "Invalid parameter.", "path": "/email"}]}
            }),
        );
        let error = onboard(&dwolla.client(), "Jane", "Doe", "not-an-email", PARTNER)
            .await
            .unwrap_err();
        assert_eq!(error.status(), Some(StatusCode::BAD_REQUEST));
        assert_eq!(user_message(&error), "please check: /email");
        assert!(dwolla.received(op::CREATE_CUSTOMER_EXCHANGE_SESSION).await.is_empty());
    }

    #[test]
    fn a_session_without_a_partner_link_says_to_wait() {
        let link = |href: &str| ExchangeSessionLink::new(href, "application/vnd.dwolla.v1.hal+json", "exchange-sessions");
        let links = ExchangeSessionLinks::new(link("https://x/exchange-sessions/1"), link(PARTNER));
        let session = ExchangeSession::new(dwolla::chrono::DateTime::UNIX_EPOCH, links);
        assert_eq!(next_step(&session), "wait for the bank connection to finish");
    }

    #[test]
    fn an_api_error_other_than_validation_names_the_status() {
        let error = dwolla::Error::Api(Box::new(dwolla::ApiError::new(
            "createCustomer",
            StatusCode::FORBIDDEN,
            json!({"code": "Forbidden", "message": "Not authorized to create customers."}),
        )));
        assert_eq!(user_message(&error), "Dwolla said no (403 Forbidden)");
    }
}
