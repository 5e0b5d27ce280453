//! Values the spec or Dwolla's docs type are typed: a transfer's status is an open enum, the
//! transfer filters take that enum and dates, and a date of birth is a date. Each is sent as
//! Dwolla spells it.

use client_tests::{client, received, server_answering};
use dwolla::chrono::NaiveDate;
use dwolla::models::{CreateVerifiedPersonalCustomer, CreateVerifiedPersonalCustomerRequired, Transfer, TransferStatus};
use serde_json::json;
use wiremock::ResponseTemplate;

const CUSTOMER: &str = "AB443D36-3757-44C1-A1B4-29727FB3111C";

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_else(|| panic!("{y}-{m}-{d} is a date"))
}

#[tokio::test]
async fn transfer_filters_send_dates_and_statuses_as_dwolla_spells_them() {
    let path = format!("/customers/{CUSTOMER}/transfers");
    let page = json!({"_links": {}, "_embedded": {"transfers": []}, "total": 0});
    let server = server_answering("GET", &path, ResponseTemplate::new(200).set_body_json(page)).await;
    client(&server)
        .customers()
        .transfers()
        .list(CUSTOMER)
        .start_date(date(2024, 1, 31))
        .end_date(date(2024, 2, 29))
        .status(TransferStatus::Processed)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let requests = received(&server, &path).await;
    let query = requests.first().and_then(|r| r.url.query()).unwrap_or_default();
    assert_eq!(query, "startDate=2024-01-31&endDate=2024-02-29&status=processed");
}

#[test]
fn a_transfer_status_reads_as_an_enum_and_one_dwolla_adds_later_is_kept() {
    let transfer = |status: &str| -> Transfer {
        serde_json::from_value(json!({"_links": {}, "id": "t1", "status": status}))
            .unwrap_or_else(|e| panic!("a transfer: {e}"))
    };
    assert_eq!(transfer("submitted").status, Some(TransferStatus::Submitted));
    assert_eq!(transfer("cancelled").status, Some(TransferStatus::Cancelled));
    assert_eq!(transfer("returned").status, Some(TransferStatus::Unknown("returned".to_owned())));
}

#[test]
fn a_date_of_birth_is_sent_as_a_date() {
    let customer = CreateVerifiedPersonalCustomer::new(CreateVerifiedPersonalCustomerRequired {
        first_name: "Jane".into(),
        last_name: "Doe".into(),
        email: "jane@example.com".into(),
        address1: "1 Main St".into(),
        city: "Des Moines".into(),
        state: "IA".into(),
        postal_code: "50309".into(),
        ssn: "1234".into(),
        date_of_birth: date(1970, 7, 11),
    });
    let body = serde_json::to_value(&customer).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(body["dateOfBirth"], "1970-07-11");
    assert_eq!(body["type"], "personal");
}
