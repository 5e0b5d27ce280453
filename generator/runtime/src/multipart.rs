//! Files for `multipart/form-data` uploads (documents). A file is streamed, never read into
//! memory: a 10 MiB scan costs a few chunks of buffer, not 10 MiB. A file from a path or from
//! bytes can be sent again (a retry, a token refresh); one from a reader only once.
//!
//! A file from a path is read again for each attempt, so it is fingerprinted (SHA-256) as it is
//! first sent: a later attempt sends it only if it still has that fingerprint, so that different
//! bytes never go out under the same idempotency key. A replay of a changed file fails with
//! [`Error::Request`] before anything is sent; a file that changes while a replay streams it
//! has its last chunk withheld, so the server never receives a complete, different body.

use std::path::PathBuf;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncRead, AsyncReadExt};

use crate::Error;

type Reader = Box<dyn AsyncRead + Send + Unpin>;

/// A file to upload.
pub struct File {
    source: Source,
    file_name: Option<String>,
    content_type: Option<String>,
}

enum Source {
    Path {
        path: PathBuf,
        /// The SHA-256 of the bytes the first complete attempt streamed.
        sent: Arc<Mutex<Option<Vec<u8>>>>,
    },
    Bytes(Bytes),
    Reader { reader: Mutex<Option<Reader>>, length: Option<u64> },
}

impl std::fmt::Debug for File {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let source = match &self.source {
            Source::Path { path, .. } => format!("path {}", path.display()),
            Source::Bytes(b) => format!("{} bytes", b.len()),
            Source::Reader { length, .. } => format!("reader of {length:?} bytes"),
        };
        f.debug_struct("File")
            .field("source", &source)
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl File {
    /// The file at `path`, streamed from disk when sent. Its name and type come from the path
    /// (`.pdf`, `.jpg`, `.jpeg`, `.png`).
    pub fn from_path(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        let content_type = content_type_of(file_name.as_deref().unwrap_or_default()).map(str::to_owned);
        File {
            source: Source::Path {
                path,
                sent: Arc::default(),
            },
            file_name,
            content_type,
        }
    }

    /// A file already in memory.
    pub fn from_bytes(bytes: impl Into<Bytes>, file_name: impl Into<String>) -> Self {
        let file_name = file_name.into();
        File {
            content_type: content_type_of(&file_name).map(str::to_owned),
            source: Source::Bytes(bytes.into()),
            file_name: Some(file_name),
        }
    }

    /// A file read from `reader` while it is sent; `length`, when known, is sent as its size.
    /// It can be sent only once, so a request carrying it is not retried.
    pub fn from_reader(reader: impl AsyncRead + Send + Unpin + 'static, file_name: impl Into<String>, length: Option<u64>) -> Self {
        let file_name = file_name.into();
        File {
            content_type: content_type_of(&file_name).map(str::to_owned),
            source: Source::Reader {
                reader: Mutex::new(Some(Box::new(reader))),
                length,
            },
            file_name: Some(file_name),
        }
    }

    /// Sets the file name sent with the part.
    #[must_use]
    pub fn with_file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// Sets the media type sent with the part (`application/pdf`, `image/jpeg`, `image/png`).
    #[must_use]
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    async fn part(&self, operation: &'static str) -> Result<reqwest::multipart::Part, Error> {
        let fail = |message: String| Error::request(operation, message);
        let part = match &self.source {
            Source::Bytes(bytes) => reqwest::multipart::Part::stream_with_length(bytes.clone(), bytes.len() as u64),
            Source::Path { path, sent } => {
                let expected = sent.lock().unwrap_or_else(PoisonError::into_inner).clone();
                if let Some(expected) = &expected {
                    let now = digest_of(path)
                        .await
                        .map_err(|e| fail(format!("cannot read {}: {e}", path.display())))?;
                    if &now != expected {
                        return Err(fail(format!(
                            "{} changed since it was first sent; it is not sent again under the same idempotency key",
                            path.display()
                        )));
                    }
                }
                let file = tokio::fs::File::open(path)
                    .await
                    .map_err(|e| fail(format!("cannot open {}: {e}", path.display())))?;
                let length = file
                    .metadata()
                    .await
                    .map_err(|e| fail(format!("cannot read {}: {e}", path.display())))?
                    .len();
                let stream = Fingerprinted {
                    inner: tokio_util::io::ReaderStream::new(file),
                    hasher: Sha256::new(),
                    held: None,
                    expected,
                    sent: Arc::clone(sent),
                    finished: false,
                };
                reqwest::multipart::Part::stream_with_length(reqwest::Body::wrap_stream(stream), length)
            }
            Source::Reader { reader, length } => {
                let reader = reader
                    .lock()
                    .map_err(|_| fail("the file reader is poisoned".into()))?
                    .take()
                    .ok_or_else(|| fail("a file from a reader can be sent only once".into()))?;
                let body = reqwest::Body::wrap_stream(tokio_util::io::ReaderStream::new(reader));
                match length {
                    Some(n) => reqwest::multipart::Part::stream_with_length(body, *n),
                    None => reqwest::multipart::Part::stream(body),
                }
            }
        };
        let part = match &self.file_name {
            Some(name) => part.file_name(name.clone()),
            None => part,
        };
        match &self.content_type {
            Some(ct) => part.mime_str(ct).map_err(|e| fail(format!("invalid content type `{ct}`: {e}"))),
            None => Ok(part),
        }
    }

    /// Whether sending this file again is possible.
    pub(crate) fn replayable(&self) -> bool {
        !matches!(self.source, Source::Reader { .. })
    }
}

fn content_type_of(name: &str) -> Option<&'static str> {
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    match ext.as_str() {
        "pdf" => Some("application/pdf"),
        "jpg" | "jpeg" => Some("image/jpeg"),
        "png" => Some("image/png"),
        _ => None,
    }
}

/// The SHA-256 of the file at `path`, read in chunks.
async fn digest_of(path: &std::path::Path) -> std::io::Result<Vec<u8>> {
    let mut file = tokio::fs::File::open(path).await?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buffer).await?;
        if n == 0 {
            return Ok(hasher.finalize().to_vec());
        }
        hasher.update(&buffer[..n]);
    }
}

/// A file's chunks, hashed as they pass, with the last one held back until the end: then the
/// file is known to be what an earlier attempt sent (or its fingerprint is recorded, on the
/// first attempt), and only then does the body complete.
struct Fingerprinted {
    inner: tokio_util::io::ReaderStream<tokio::fs::File>,
    hasher: Sha256,
    held: Option<Bytes>,
    expected: Option<Vec<u8>>,
    sent: Arc<Mutex<Option<Vec<u8>>>>,
    finished: bool,
}

impl Stream for Fingerprinted {
    type Item = std::io::Result<Bytes>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if this.finished {
                return Poll::Ready(None);
            }
            match Pin::new(&mut this.inner).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(chunk))) => {
                    this.hasher.update(&chunk);
                    // The first chunk is only held; the loop reads the next one.
                    if let Some(previous) = this.held.replace(chunk) {
                        return Poll::Ready(Some(Ok(previous)));
                    }
                }
                Poll::Ready(None) => {
                    this.finished = true;
                    let digest = std::mem::take(&mut this.hasher).finalize().to_vec();
                    match &this.expected {
                        Some(expected) if *expected != digest => {
                            return Poll::Ready(Some(Err(std::io::Error::other(
                                "the file changed while it was sent; its last chunk is withheld",
                            ))));
                        }
                        Some(_) => {}
                        None => *this.sent.lock().unwrap_or_else(PoisonError::into_inner) = Some(digest),
                    }
                    return Poll::Ready(this.held.take().map(Ok));
                }
            }
        }
    }
}

/// One part of a multipart body.
pub enum Part {
    Text(&'static str, String),
    File(&'static str, File),
}

/// The multipart form for one attempt.
pub(crate) async fn form(operation: &'static str, parts: &[Part]) -> Result<reqwest::multipart::Form, Error> {
    let mut form = reqwest::multipart::Form::new();
    for part in parts {
        form = match part {
            Part::Text(name, value) => form.text(*name, value.clone()),
            Part::File(name, file) => form.part(*name, file.part(operation).await?),
        };
    }
    Ok(form)
}
