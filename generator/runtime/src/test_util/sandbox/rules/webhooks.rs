//! Events and webhooks, from Dwolla's webhook pages ("Webhook Events", "Webhook
//! Subscriptions", "Process and Validate Webhooks"): what the Sandbox does creates an event
//! (`customer_created`, `customer_transfer_completed`, ...: a `customer_` topic when the
//! resource relates to a customer), and every subscription that is not paused gets a webhook
//! for it, its JSON body signed with the subscription's secret in `X-Request-Signature-SHA-256`
//! and its topic in `X-Dwolla-Topic`. "It should respond with a HTTP 2xx status code to
//! indicate successful receipt. If Dwolla receives a status code greater than or equal to 3xx,
//! or your application fails to respond within 10 seconds of the attempt, another attempt will
//! be made. Dwolla will not follow redirects"; "Dwolla will re-attempt delivery 8 times over the
//! course of 72 hours" ([`RETRY_SCHEDULE`]).

use std::time::Duration;

use serde_json::{Value, json};

use super::super::engine::{Refusal, State, invalid};
use super::super::store;
use crate::webhooks::WebhookSecret;

/// When each retry falls due, relative to the original attempt: 15 min, 1 h, 3 h, 6 h, 12 h,
/// 24 h, 48 h and 72 h ("Acknowledgement and retries").
pub const RETRY_SCHEDULE: [Duration; 8] = [
    Duration::from_secs(15 * 60),
    Duration::from_secs(60 * 60),
    Duration::from_secs(3 * 60 * 60),
    Duration::from_secs(6 * 60 * 60),
    Duration::from_secs(12 * 60 * 60),
    Duration::from_secs(24 * 60 * 60),
    Duration::from_secs(48 * 60 * 60),
    Duration::from_secs(72 * 60 * 60),
];

/// How long Dwolla waits for an answer before it counts the attempt as failed.
pub const ANSWER_WITHIN: Duration = Duration::from_secs(10);

/// One delivery of a webhook waiting for its time.
#[derive(Clone, Debug)]
pub(crate) struct Delivery {
    pub(crate) webhook: String,
    /// When the first attempt was due: retries count from it.
    pub(crate) first: Duration,
    pub(crate) due: Duration,
    /// 0 for the first attempt, then the retry's number.
    pub(crate) retry: usize,
}

/// A new subscription: `paused: false`; its secret is kept apart (never in a body), and a
/// blank one is refused as the crate's own [`WebhookSecret`] refuses it.
pub(super) fn subscribed(state: &mut State, body: &mut Value, request: &Value) -> Result<(), Refusal> {
    let secret = request.get("secret").and_then(Value::as_str).unwrap_or_default();
    let secret = WebhookSecret::new(secret).map_err(|_| Box::new(invalid("Invalid", "secret is invalid.", "/secret")))?;
    let id = body["id"].as_str().unwrap_or_default().to_owned();
    state.secrets.insert(id, secret);
    body["paused"] = false.into();
    Ok(())
}

/// Records an event of `topic` about the resource at `resource` (a URL of the Sandbox), for
/// `customer` when it relates to one (then the topic takes the `customer_` prefix), and queues
/// a webhook of it for every subscription that is not paused.
pub(crate) fn emit(state: &mut State, topic: &str, resource: &str, customer: Option<&str>) {
    let topic = match customer {
        Some(_) => format!("customer_{topic}"),
        None => topic.to_owned(),
    };
    let id = state.store.new_id();
    let url = state.store.url("events", &id);
    let resource_id = resource.rsplit('/').next().unwrap_or_default();
    let now = state.clock.timestamp();
    let mut event = json!({"id": id, "created": now, "topic": topic, "resourceId": resource_id, "timestamp": now});
    store::set_link(&mut event, "self", &url, "event");
    let account = state.account.clone();
    store::set_link(&mut event, "account", &account, "account");
    store::set_link(&mut event, "resource", resource, "resource");
    if let Some(customer) = customer {
        store::set_link(&mut event, "customer", customer, "customer");
    }
    state.store.insert("events", &id, event.clone());
    let subscriptions: Vec<String> = state
        .store
        .list("webhook-subscriptions", None)
        .iter()
        .filter(|s| s.body["paused"] != true)
        .map(|s| s.id.clone())
        .collect();
    for subscription in subscriptions {
        queue(state, &subscription, &event);
    }
}

/// Makes the webhook of `event` for one subscription and queues its first attempt, due now.
fn queue(state: &mut State, subscription: &str, event: &Value) {
    let id = state.store.new_id();
    let url = state.store.url("webhooks", &id);
    let subscription_url = state.store.url("webhook-subscriptions", subscription);
    let mut webhook = json!({
        "id": id, "topic": event["topic"], "accountId": state.account.rsplit('/').next().unwrap_or_default(),
        "eventId": event["id"], "subscriptionId": subscription, "attempts": [],
    });
    store::set_link(&mut webhook, "self", &url, "webhook");
    store::set_link(&mut webhook, "subscription", &subscription_url, "webhook-subscription");
    store::set_link(&mut webhook, "retry", &format!("{url}/retries"), "retry");
    store::set_link(&mut webhook, "event", event["_links"]["self"]["href"].as_str().unwrap_or_default(), "event");
    state.store.insert("webhooks", &id, webhook);
    let now = state.clock.elapsed();
    state.deliveries.push(Delivery { webhook: id, first: now, due: now, retry: 0 });
}

/// The customer a resource relates to: itself, or the customer it links to.
pub(crate) fn customer_of(body: &Value) -> Option<String> {
    if store::link_href(body, "self").is_some_and(|s| s.contains("/customers/")) {
        return store::link_href(body, "self").map(str::to_owned);
    }
    store::link_href(body, "customer").map(str::to_owned)
}

/// The event's body as a webhook carries it: the event itself, as JSON text.
pub(crate) fn payload(state: &State, webhook: &str) -> Option<(String, String, Vec<u8>, String)> {
    let webhook = state.store.get("webhooks", webhook)?;
    let event_href = store::link_href(&webhook.body, "event")?;
    let event = state.store.follow(event_href)?;
    let subscription = webhook.body["subscriptionId"].as_str()?;
    let url = state.store.get("webhook-subscriptions", subscription)?.body["url"].as_str()?.to_owned();
    let body = serde_json::to_vec(&event.body).ok()?;
    let secret = state.secrets.get(subscription)?;
    let signature = crate::webhooks::sign(secret, &body);
    Some((url, event.body["topic"].as_str().unwrap_or_default().to_owned(), body, signature))
}

/// Records one attempt on its webhook and, when it failed, queues the next retry if the
/// schedule has one.
pub(crate) fn attempted(state: &mut State, delivery: &Delivery, url: &str, status: Option<u16>) {
    let now = state.clock.timestamp();
    let id = state.store.new_id();
    if let Some(webhook) = state.store.get_mut("webhooks", &delivery.webhook) {
        let attempt = json!({
            "id": id,
            "request": {"timestamp": now, "url": url},
            "response": {"timestamp": now, "statusCode": status},
        });
        if let Some(attempts) = webhook.body["attempts"].as_array_mut() {
            attempts.push(attempt);
        }
    }
    let acknowledged = status.is_some_and(|s| (200..300).contains(&s));
    if let (false, Some(offset)) = (acknowledged, RETRY_SCHEDULE.get(delivery.retry)) {
        state.deliveries.push(Delivery {
            webhook: delivery.webhook.clone(),
            first: delivery.first,
            due: delivery.first.saturating_add(*offset),
            retry: delivery.retry.saturating_add(1),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eight_retries_span_72_hours_each_later_than_the_last() {
        assert_eq!(RETRY_SCHEDULE.len(), 8);
        assert_eq!(RETRY_SCHEDULE[7], Duration::from_secs(72 * 3600));
        assert!(RETRY_SCHEDULE.windows(2).all(|w| w[0] < w[1]));
    }
}
