/// The future a request builder becomes when awaited, and a [`TokenProvider`](crate::TokenProvider)
/// returns: boxed, `Send`, borrowing for `'a`.
pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;
