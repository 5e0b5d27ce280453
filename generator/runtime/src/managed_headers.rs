/// The headers the client sets itself: `.header()` cannot set them, and the generator makes no
/// parameter of them. The one home of the list: the runtime uses this file as a module, and the
/// generator `include!`s it, so the file holds this constant alone (and no `use`).
pub const MANAGED_HEADERS: &[&str] = &["accept", "authorization", "content-type", "content-length", "idempotency-key", "user-agent", "host"];
