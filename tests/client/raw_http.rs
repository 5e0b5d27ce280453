//! A minimal HTTP/1.1 server for the tests that must see every byte the client's process holds
//! (wiremock buffers bodies, which a memory test would count): it reads each request's head,
//! reads its body in 16 KiB pieces and drops them, answers the token request itself and
//! everything else with what the test gives.

use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The raw response of Dwolla's token endpoint: an access token `t` for an hour.
pub fn token_response() -> String {
    let body = r#"{"access_token":"t","token_type":"Bearer","expires_in":3600}"#;
    format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
}

/// An answer: the status line and headers (ending in the blank line), then the body, written
/// from the test's own buffer so that the server copies nothing.
pub struct Answer {
    pub head: String,
    pub body: Arc<Vec<u8>>,
}

/// Serves `listener` until it fails: `POST /token` gets [`token_response`], any other request
/// `answer(head)`, with `head` the request's head in lower case.
pub async fn serve(listener: TcpListener, answer: impl Fn(&str) -> Answer + Clone + Send + 'static) {
    while let Ok((mut socket, _)) = listener.accept().await {
        let answer = answer.clone();
        tokio::spawn(async move {
            let mut buf = vec![0u8; 16 * 1024];
            let mut head = Vec::new();
            while let Some(request) = read_request(&mut socket, &mut buf, &mut head).await {
                let written = if request.starts_with("post /token") {
                    socket.write_all(token_response().as_bytes()).await
                } else {
                    let Answer { head, body } = answer(&request);
                    match socket.write_all(head.as_bytes()).await {
                        Ok(()) => socket.write_all(&body).await,
                        Err(e) => Err(e),
                    }
                };
                if written.is_err() {
                    return;
                }
            }
        });
    }
}

/// Reads one request from `socket`: its head (returned in lower case) and its body (read in
/// pieces of `buf` and dropped). `None` when the connection ends or fails. `head` carries what
/// was read past a head between calls.
async fn read_request(socket: &mut TcpStream, buf: &mut [u8], head: &mut Vec<u8>) -> Option<String> {
    let mut end = None;
    while end.is_none() {
        let n = socket.read(buf).await.ok().filter(|n| *n > 0)?;
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
        let n = socket.read(buf).await.ok().filter(|n| *n > 0)?;
        remaining = remaining.saturating_sub(n);
    }
    Some(text)
}
