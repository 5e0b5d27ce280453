//! Paginated lists as a `Stream` of items. The first page is the operation's own request (its
//! `limit` and filters apply); after it, each page's `_links.next.href` is followed until a
//! page has none. A `next` link outside the client's base URL ends the stream with
//! [`Error::ForeignLink`](crate::Error::ForeignLink) instead of sending the access token there.
//!
//! The server's links are not trusted to end: an empty page ends the list whatever its `next`
//! says, a `next` link to a page already fetched (the first page included: a page linking to
//! itself, two pages linking to each other) ends the stream with
//! [`Error::Pagination`](crate::Error::Pagination) before that page is fetched again, and so
//! does a list longer than [`Paged::max_pages`] pages.

use std::collections::{HashSet, VecDeque};
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use serde::de::DeserializeOwned;

use crate::BoxFuture;
use crate::request::{Raw, Request};
use crate::{Client, Error, ErrorBody, Response, Untyped};

/// How many pages a stream fetches at most unless [`Paged::max_pages`] says otherwise: at
/// Dwolla's largest page size (200), two million items.
pub const DEFAULT_MAX_PAGES: usize = 10_000;

/// One page, reduced to what the stream needs.
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
    pub total: Option<i64>,
}

/// A page being fetched: the page, and the URL it came from when the stream has not recorded
/// it yet (the first page's; a link is recorded before it is followed).
type PageFuture<T, B> = BoxFuture<'static, Result<(Page<T>, Option<String>), Error<B>>>;

type NextPage<T, B> = fn(Client, &'static str, String) -> PageFuture<T, B>;

enum State<T, B: 'static> {
    Fetching(PageFuture<T, B>),
    Next(String),
    /// The list does not end well; the error is yielded once the buffered items are.
    Failed(Error<B>),
    Done,
}

/// The items of every page of a list operation, in order. Made by the `stream()` method of a
/// list operation's request builder.
///
/// A stream owns what it needs (a clone of the [`Client`], which shares the connection pool and
/// the access token), so it is `'static` and `Send`: it can outlive the client it came from,
/// be stored, or be moved into a spawned task. Its errors are `Error<B>`, the generated crate's
/// `Error`.
#[must_use = "a stream does nothing until it is polled"]
pub struct Paged<T, B: 'static = Untyped> {
    client: Client,
    operation: &'static str,
    state: State<T, B>,
    next_page: NextPage<T, B>,
    buffer: VecDeque<T>,
    total: Option<i64>,
    pages: usize,
    max_pages: usize,
    /// The URLs fetched or being fetched (the first page's and the links followed),
    /// normalized by [`url_key`], to notice a `next` link that loops back.
    seen: HashSet<String>,
}

// The futures are boxed and items are only moved, never pinned in place.
impl<T, B: 'static> Unpin for Paged<T, B> {}

impl<T, B: 'static> std::fmt::Debug for Paged<T, B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Paged")
            .field("operation", &self.operation)
            .field("pages", &self.pages)
            .field("total", &self.total)
            .field("buffered", &self.buffer.len())
            .finish()
    }
}

impl<T: Send + 'static, B: 'static> Paged<T, B> {
    /// A stream of `operation`'s items, whose first page `first` fetches and whose every next
    /// page `next_page` fetches from its link (what a list operation's `stream()` calls).
    #[doc(hidden)]
    pub fn new(
        client: Client,
        operation: &'static str,
        first: PageFuture<T, B>,
        next_page: NextPage<T, B>,
    ) -> Self {
        Paged {
            client,
            operation,
            state: State::Fetching(first),
            next_page,
            buffer: VecDeque::new(),
            total: None,
            pages: 0,
            max_pages: DEFAULT_MAX_PAGES,
            seen: HashSet::new(),
        }
    }

    /// Fetches at most `pages` pages (the first included), ending with
    /// [`Error::Pagination`] if the list has more;
    /// [`DEFAULT_MAX_PAGES`] unless set.
    pub fn max_pages(mut self, pages: usize) -> Self {
        self.max_pages = pages.max(1);
        self
    }

    /// What follows a fetched page: its `next` link, unless the list has ended or loops.
    fn after(&mut self, page_was_empty: bool, next: Option<String>) -> Result<State<T, B>, Error<B>> {
        let Some(next) = next else { return Ok(State::Done) };
        if page_was_empty {
            // Nothing on this page: the list is exhausted, whatever its links say.
            return Ok(State::Done);
        }
        if !self.seen.insert(url_key(&next)) {
            return Err(Error::Pagination {
                operation: self.operation,
                message: format!("the `next` link {} leads back to a page already fetched", crate::redact::url(&next)),
            });
        }
        if self.pages >= self.max_pages {
            return Err(Error::Pagination {
                operation: self.operation,
                message: format!("the list has more than {} pages", self.max_pages),
            });
        }
        Ok(State::Next(next))
    }

    /// The list's `total`, as the last page fetched reported it (`None` before the first).
    pub fn total(&self) -> Option<i64> {
        self.total
    }

    /// How many pages have been fetched so far.
    pub fn pages_fetched(&self) -> usize {
        self.pages
    }

    /// Collects at most `n` items, fetching no page beyond the one that holds the `n`th.
    pub async fn collect_at_most(mut self, n: usize) -> Result<Vec<T>, Error<B>> {
        let mut out = Vec::with_capacity(n.min(1024));
        while out.len() < n {
            match std::future::poll_fn(|cx| Pin::new(&mut self).poll_next(cx)).await {
                Some(item) => out.push(item?),
                None => break,
            }
        }
        Ok(out)
    }
}

impl<T: Send + 'static, B: 'static> Stream for Paged<T, B> {
    type Item = Result<T, Error<B>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffer.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            match std::mem::replace(&mut this.state, State::Done) {
                State::Done => return Poll::Ready(None),
                State::Failed(e) => return Poll::Ready(Some(Err(e))),
                State::Next(url) => this.state = State::Fetching((this.next_page)(this.client.clone(), this.operation, url)),
                State::Fetching(mut fetch) => match fetch.as_mut().poll(cx) {
                    Poll::Pending => {
                        this.state = State::Fetching(fetch);
                        return Poll::Pending;
                    }
                    Poll::Ready(Err(e)) => return Poll::Ready(Some(Err(e))),
                    Poll::Ready(Ok((page, from))) => {
                        if let Some(url) = from {
                            this.seen.insert(url_key(&url));
                        }
                        this.pages += 1;
                        this.total = page.total.or(this.total);
                        let empty = page.items.is_empty();
                        this.buffer.extend(page.items);
                        match this.after(empty, page.next) {
                            Ok(state) => this.state = state,
                            // The error comes after this page's items.
                            Err(e) => this.state = State::Failed(e),
                        }
                    }
                },
            }
        }
    }
}

/// A URL as the stream remembers it: parsed and written back, so that two spellings of one
/// URL (`HTTP://Host:80/x`, `http://host/x`) are one.
fn url_key(url: &str) -> String {
    url::Url::parse(url).map(|u| u.to_string()).unwrap_or_else(|_| url.to_owned())
}

/// The first page: the list operation's own `request`, sent, decoded with `decode` and reduced
/// with `extract`, with the URL it was fetched from, so that a `next` link back to it ends the
/// list like a link back to any other page.
pub fn first<P, T, B>(
    client: Client,
    request: Result<Request, Error<B>>,
    decode: fn(Raw) -> Result<Response<P>, Error<B>>,
    extract: fn(P) -> Page<T>,
) -> PageFuture<T, B>
where
    P: Send + 'static,
    T: Send + 'static,
    B: ErrorBody,
{
    Box::pin(async move {
        let raw = client.execute(request?).await?;
        let url = raw.url.to_string();
        Ok((extract(decode(raw)?.into_inner()), Some(url)))
    })
}

/// Fetches the page at `url` (checked to be under the base URL) and reduces it with `extract`.
pub fn follow<P, T, B>(client: Client, operation: &'static str, url: String, extract: fn(P) -> Page<T>) -> PageFuture<T, B>
where
    P: DeserializeOwned + Send + 'static,
    T: Send + 'static,
    B: ErrorBody,
{
    Box::pin(async move { Ok((extract(client.follow_as::<P>(operation, &url).await?.into_inner()), None)) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paged() -> Paged<u32> {
        let client = Client::builder()
            .base_url("http://127.0.0.1:9")
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        Paged::new(
            client,
            "op",
            Box::pin(async { Ok((Page { items: vec![], next: None, total: None }, None)) }),
            |_, _, _| Box::pin(async { Ok((Page { items: vec![], next: None, total: None }, None)) }),
        )
    }

    #[test]
    fn an_empty_page_or_no_next_link_ends_the_list() {
        let mut p = paged();
        assert!(matches!(p.after(false, None), Ok(State::Done)));
        assert!(matches!(p.after(true, Some("http://127.0.0.1:9/x?offset=1".into())), Ok(State::Done)));
    }

    #[test]
    fn a_next_link_seen_before_ends_with_an_error() {
        let mut p = paged();
        assert!(matches!(p.after(false, Some("http://127.0.0.1:9/x?offset=1".into())), Ok(State::Next(_))));
        assert!(matches!(p.after(false, Some("http://127.0.0.1:9/x?offset=1".into())), Err(Error::Pagination { .. })));
    }

    #[test]
    fn more_pages_than_the_limit_end_with_an_error() {
        let mut p = paged().max_pages(2);
        p.pages = 2;
        assert!(matches!(p.after(false, Some("http://127.0.0.1:9/x?offset=2".into())), Err(Error::Pagination { .. })));
    }

    #[test]
    fn a_stream_is_static_and_send() {
        fn static_send<T: Send + 'static>(_: &T) {}
        static_send(&paged());
    }
}
