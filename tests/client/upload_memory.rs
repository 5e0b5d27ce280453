//! A document upload streams the file: sending 10 MiB from a path grows the heap by far less
//! than 2 MiB. Measured with a counting global allocator in this test binary, against a
//! loopback server that reads and discards the body (so the server's side costs nothing).

use std::sync::Arc;

use client_tests::heap::{Counting, growth};
use client_tests::raw_http::{Answer, serve};

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const FILE_SIZE: usize = 10 * 1024 * 1024;

/// Answers the upload with `201 Created` and the document's `Location`.
fn created(_: &str) -> Answer {
    Answer {
        head: "HTTP/1.1 201 Created\r\nlocation: https://api.dwolla.com/documents/doc-1\r\ncontent-length: 0\r\n\r\n".to_owned(),
        body: Arc::default(),
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
    tokio::spawn(serve(listener, created));
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

    let (created, extra) = growth(upload(dwolla::File::from_path(&file))).await;
    let created = created.unwrap_or_else(|e| panic!("{e}"));
    println!(
        "uploading {} MiB from a path: peak heap growth {} KiB (created {})",
        FILE_SIZE / (1024 * 1024),
        extra / 1024,
        created.id
    );

    // The contrast that shows the measurement sees buffering: the same file read into memory.
    let (uploaded, buffered) = growth(async {
        let bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("{e}"));
        upload(dwolla::File::from_bytes(bytes, "scan.pdf")).await
    })
    .await;
    uploaded.unwrap_or_else(|e| panic!("{e}"));
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
