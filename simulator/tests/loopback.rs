//! The app on a real socket (127.0.0.1, port 0): real HTTP requests, and a dropped connection.

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use common::config;
use gws_sim::{app, SimState};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A raw HTTP/1.1 exchange; returns everything the server wrote before closing.
async fn exchange(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Vec<u8> {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut received = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return received,
            Ok(n) => received.extend_from_slice(&chunk[..n]),
        }
    }
}

struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

fn parse(raw: &[u8]) -> Answer {
    let text = String::from_utf8_lossy(raw);
    let (head, body) = text.split_once("\r\n\r\n").expect("a complete answer");
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Answer {
        status,
        headers,
        body: body.to_owned(),
    }
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

#[tokio::test]
async fn real_http_on_loopback_including_a_dropped_connection() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let sim = SimState::new(config());
    sim.set_public_base(format!("http://{addr}"));
    let server = tokio::spawn(async move { axum::serve(listener, app(sim)).await });

    let run = async {
        let login = parse(&exchange(addr, "POST", "/_sim/login", &[], "").await);
        assert_eq!(login.status, 200);
        let cookie = login
            .header("set-cookie")
            .expect("cookie")
            .split(';')
            .next()
            .unwrap()
            .to_owned();

        let me = parse(&exchange(addr, "GET", "/api/v2/me", &[("Cookie", &cookie)], "").await);
        assert_eq!(me.status, 200);
        assert!(me.body.contains("\"statusCode\":0"));
        let token = me.header("x-csrf-token").expect("token").to_owned();

        let initiate =
            r#"{"operationName":"InitiateIMSession","destination":{"phoneNumber":"3999"}}"#;
        let headers = [
            ("Cookie", cookie.as_str()),
            ("X-CSRF-TOKEN", token.as_str()),
            ("Content-Type", "application/json"),
        ];
        let created =
            parse(&exchange(addr, "POST", "/api/v2/me/im-sessions", &headers, initiate).await);
        assert_eq!(
            (created.status, created.body.as_str()),
            (200, r#"{"statusCode":0}"#)
        );

        let list = parse(
            &exchange(
                addr,
                "GET",
                "/api/v2/me/im-sessions?fields=*",
                &[("Cookie", &cookie)],
                "",
            )
            .await,
        );
        assert!(list
            .body
            .contains("http://hpe-voicevm-64.genesyslab.com:8090/api/v2/im-sessions/"));

        let faults =
            parse(&exchange(addr, "PUT", "/_sim/faults", &[], r#"{"dropRequests":1.0}"#).await);
        assert_eq!(faults.status, 200);
        let dropped = exchange(addr, "GET", "/api/v2/me", &[("Cookie", &cookie)], "").await;
        assert!(
            dropped.is_empty(),
            "the connection closes with no answer at all: {:?}",
            String::from_utf8_lossy(&dropped)
        );

        // A reset clears the faults and the session the first InitiateIMSession made.
        assert_eq!(
            parse(&exchange(addr, "POST", "/_sim/reset", &[], "").await).status,
            200
        );
        let faults =
            parse(&exchange(addr, "PUT", "/_sim/faults", &[], r#"{"dropResponses":1}"#).await);
        assert_eq!(faults.status, 200);
        let dropped = exchange(addr, "POST", "/api/v2/me/im-sessions", &headers, initiate).await;
        assert!(
            !String::from_utf8_lossy(&dropped).contains("statusCode"),
            "the reply breaks off before its body: {:?}",
            String::from_utf8_lossy(&dropped)
        );
        let state = parse(&exchange(addr, "GET", "/_sim/state", &[], "").await);
        assert!(
            state.body.contains("\"origin\":\"outgoing\""),
            "the dropped-response request was applied"
        );
    };
    tokio::time::timeout(Duration::from_secs(20), run)
        .await
        .expect("bounded in time");
    server.abort();
}
