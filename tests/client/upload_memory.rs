//! A document upload streams the file: sending 10 MiB from a path grows the heap by far less
//! than 2 MiB. Measured with a counting global allocator in this test binary, against a
//! loopback server that reads and discards the body (so the server's side costs nothing).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwards to the system allocator with the caller's layout.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `alloc` above with this layout.
        unsafe { System.dealloc(ptr, layout) };
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const FILE_SIZE: usize = 10 * 1024 * 1024;

/// A minimal HTTP/1.1 server: answers the token request and then the upload, reading bodies in
/// 16 KiB pieces and throwing them away.
async fn serve(listener: tokio::net::TcpListener) {
    loop {
        let Ok((mut socket, _)) = listener.accept().await else {
            return;
        };
        tokio::spawn(async move {
            let mut buf = vec![0u8; 16 * 1024];
            let mut head = Vec::new();
            loop {
                // Read the head.
                let mut end = None;
                while end.is_none() {
                    let Ok(n) = socket.read(&mut buf).await else { return };
                    if n == 0 {
                        return;
                    }
                    head.extend_from_slice(&buf[..n]);
                    end = head.windows(4).position(|w| w == b"\r\n\r\n");
                }
                let end = end.unwrap_or(0) + 4;
                let text = String::from_utf8_lossy(&head[..end]).to_ascii_lowercase();
                let length: usize = text
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:").map(|v| v.trim().parse().unwrap_or(0)))
                    .unwrap_or(0);
                let mut remaining = length.saturating_sub(head.len() - end);
                head.clear();
                while remaining > 0 {
                    let Ok(n) = socket.read(&mut buf).await else { return };
                    if n == 0 {
                        return;
                    }
                    remaining = remaining.saturating_sub(n);
                }
                let response = if text.starts_with("post /token") {
                    let body = r#"{"access_token":"t","token_type":"Bearer","expires_in":3600}"#;
                    format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                        body.len()
                    )
                } else {
                    "HTTP/1.1 201 Created\r\nlocation: https://api.dwolla.com/documents/doc-1\r\ncontent-length: 0\r\n\r\n".to_owned()
                };
                if socket.write_all(response.as_bytes()).await.is_err() {
                    return;
                }
            }
        });
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ten_mib_upload_is_streamed_not_buffered() {
    let dir = std::env::temp_dir().join(format!("dwolla-upload-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let file = dir.join("scan.pdf");
    std::fs::write(&file, vec![b'x'; FILE_SIZE]).unwrap_or_else(|e| panic!("{e}"));

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let addr = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
    tokio::spawn(serve(listener));
    let client = dwolla::Client::builder()
        .base_url(format!("http://{addr}"))
        .credentials("id", "secret")
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    // Warm up: token, connection pool, lazily initialized statics.
    let warm = dwolla::File::from_bytes(&b"%PDF-1.4"[..], "warm.pdf");
    let upload = |f: dwolla::File| {
        client
            .customers()
            .documents()
            .create("c1", dwolla::models::DocumentType::License, f)
    };
    upload(warm).await.unwrap_or_else(|e| panic!("{e}"));

    let baseline = CURRENT.load(Ordering::SeqCst);
    PEAK.store(baseline, Ordering::SeqCst);
    let created = upload(dwolla::File::from_path(&file))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let extra = PEAK.load(Ordering::SeqCst) - baseline;
    println!(
        "uploading {} MiB from a path: peak heap growth {} KiB (created {})",
        FILE_SIZE / (1024 * 1024),
        extra / 1024,
        created.id
    );

    // The contrast that shows the measurement sees buffering: the same file read into memory.
    let baseline = CURRENT.load(Ordering::SeqCst);
    PEAK.store(baseline, Ordering::SeqCst);
    let bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("{e}"));
    upload(dwolla::File::from_bytes(bytes, "scan.pdf"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let buffered = PEAK.load(Ordering::SeqCst) - baseline;
    println!(
        "the same file read into memory first: peak heap growth {} KiB",
        buffered / 1024
    );

    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(created.id, "doc-1");
    assert!(extra < 2 * 1024 * 1024, "the upload held {extra} extra bytes");
    assert!(
        buffered >= FILE_SIZE,
        "the counting allocator should have seen the buffered file"
    );
}
