//! Sending the webhooks the Sandbox queued: to the test's handler when it set one, else by
//! HTTP `POST` to the subscription's URL, which must be on loopback (the Sandbox never
//! reaches past the machine). Each attempt's answer is recorded on its webhook, and a failed
//! one queues the next retry of Dwolla's schedule ([`RETRY_SCHEDULE`](super::RETRY_SCHEDULE)).

use std::net::IpAddr;
use std::sync::{Arc, PoisonError};

use http::{HeaderMap, HeaderName, HeaderValue};

use super::Sandbox;
use super::rules::webhooks::{self, ANSWER_WITHIN, Delivery};

/// A webhook as Dwolla sends it: to the subscription's URL, with `X-Dwolla-Topic`,
/// `X-Request-Signature-SHA-256` and the event as its JSON body.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct WebhookRequest {
    /// The subscription's URL.
    pub url: String,
    /// The headers, the signature among them.
    pub headers: HeaderMap,
    /// The raw body, as signed.
    pub body: Vec<u8>,
}

/// A test's webhook handler: takes a webhook, answers its status.
pub(crate) type Handler = Arc<dyn Fn(&WebhookRequest) -> u16 + Send + Sync>;

/// Whether a URL's host is on loopback.
fn on_loopback(url: &str) -> bool {
    let Ok(url) = url::Url::parse(url) else { return false };
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// Sends one webhook by HTTP; its status, or `None` when it got no answer in time, was refused
/// (not on loopback) or was redirected (`Dwolla will not follow redirects`, a failure either
/// way, so a `3xx` counts as one).
async fn post(request: &WebhookRequest) -> Option<u16> {
    if !on_loopback(&request.url) {
        return None;
    }
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(ANSWER_WITHIN)
        .build()
        .ok()?;
    let response = client.post(&request.url).headers(request.headers.clone()).body(request.body.clone()).send().await.ok()?;
    Some(response.status().as_u16())
}

/// The request of one delivery, if its webhook, event and subscription still exist.
fn request(state: &super::engine::State, delivery: &Delivery) -> Option<WebhookRequest> {
    let (url, topic, body, signature) = webhooks::payload(state, &delivery.webhook)?;
    let mut headers = HeaderMap::new();
    headers.insert(http::header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(HeaderName::from_static("x-dwolla-topic"), HeaderValue::from_str(&topic).ok()?);
    let signature_header = HeaderName::from_bytes(crate::webhooks::SIGNATURE_HEADER.as_bytes()).ok()?;
    headers.insert(signature_header, HeaderValue::from_str(&signature).ok()?);
    Some(WebhookRequest { url, headers, body })
}

impl<S> Sandbox<S> {
    /// From now on, hands every webhook to `handler` instead of sending it over HTTP; its
    /// answer is the status Dwolla would receive (a `2xx` acknowledges it, anything else is
    /// retried on the schedule).
    pub fn on_webhook(&self, handler: impl Fn(&WebhookRequest) -> u16 + Send + Sync + 'static) {
        *self.handler.lock().unwrap_or_else(PoisonError::into_inner) = Some(Arc::new(handler));
    }

    /// Sends every webhook attempt that is due on the Sandbox's clock (new events at once,
    /// retries once [`advance`](Self::advance) reached their time), oldest first, and answers
    /// how many attempts were made.
    pub async fn deliver_webhooks(&self) -> usize {
        let due: Vec<(Delivery, Option<WebhookRequest>)> = {
            let mut state = self.state();
            let now = state.clock.elapsed();
            let (due, later): (Vec<Delivery>, Vec<Delivery>) = state.deliveries.drain(..).partition(|d| d.due <= now);
            state.deliveries = later;
            due.into_iter().map(|d| {
                let request = request(&state, &d);
                (d, request)
            }).collect()
        };
        let handler = self.handler.lock().unwrap_or_else(PoisonError::into_inner).clone();
        let mut attempts = 0_usize;
        for (delivery, request) in due {
            let Some(request) = request else { continue };
            let status = match &handler {
                Some(handler) => Some(handler(&request)),
                None => post(&request).await,
            };
            webhooks::attempted(&mut self.state(), &delivery, &request.url, status);
            attempts = attempts.saturating_add(1);
        }
        attempts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_urls_are_sent_to() {
        assert!(on_loopback("http://127.0.0.1:8080/hook"));
        assert!(on_loopback("http://localhost/hook"));
        assert!(on_loopback("http://[::1]:9/hook"));
        assert!(!on_loopback("https://example.com/hook"));
        assert!(!on_loopback("http://10.0.0.1/hook"));
        assert!(!on_loopback("not a url"));
    }
}
