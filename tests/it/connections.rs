//! What one peer can hold at the connection level: a request (head and body) must arrive within
//! `request_timeout_secs`, and one address holds at most `max_connections_per_address` connections. Raw TCP, so the
//! test controls every byte and every connection (an HTTP client would pool and retry).

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use socket2::{Domain, Socket, Type};

use crate::helpers::{TestApp, spawn_app_with};

/// The test server's address, once it serves: the server runs as a task of the test's runtime, polled only when
/// the test awaits, and these tests then block on plain sockets. The probe comes from 127.0.0.3, an address the
/// tests do not count.
async fn serving(app: &TestApp) -> SocketAddr {
    let probe = reqwest::Client::builder().local_address(std::net::IpAddr::from([127, 0, 0, 3])).build().unwrap();
    let ready = probe.get(app.url("/healthz")).send().await.expect("the server answers");
    assert!(ready.status().is_success());
    app.base.trim_start_matches("http://").parse().expect("the test server's address")
}

/// A TCP connection to the test server from `local` (any 127.0.0.x reaches it on Linux).
fn connect_from(local: &str, server: SocketAddr) -> TcpStream {
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None).expect("socket");
    let local: SocketAddr = format!("{local}:0").parse().unwrap();
    socket.bind(&local.into()).expect("bind the local address");
    socket.connect(&server.into()).expect("connect");
    socket.into()
}

/// What became of a connection.
#[derive(Debug, PartialEq)]
enum Seen {
    /// The server answered (the start of its response).
    Response(String),
    /// The server closed or reset the connection without a word.
    Closed,
    /// Nothing yet.
    Waiting,
}

/// One read of at most `wait`.
fn read_once(stream: &mut TcpStream, wait: Duration) -> Seen {
    stream.set_read_timeout(Some(wait)).unwrap();
    let mut buffer = [0u8; 4096];
    match stream.read(&mut buffer) {
        Ok(0) => Seen::Closed,
        Ok(n) => Seen::Response(String::from_utf8_lossy(&buffer[..n]).into_owned()),
        Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => Seen::Waiting,
        Err(_) => Seen::Closed,
    }
}

/// A whole request on a fresh connection from `local`: the start of the answer, or `Closed`.
fn get_healthz(local: &str, server: SocketAddr) -> Seen {
    let mut stream = connect_from(local, server);
    if stream.write_all(format!("GET /healthz HTTP/1.1\r\nHost: {server}\r\n\r\n").as_bytes()).is_err() {
        return Seen::Closed;
    }
    read_once(&mut stream, Duration::from_secs(3))
}

fn is_ok(seen: &Seen) -> bool {
    matches!(seen, Seen::Response(r) if r.starts_with("HTTP/1.1 200"))
}

/// A POST whose body trickles in (one byte every 300 ms of the 100 announced) is cut off once the request timeout
/// (1 s) has passed: the server answers or closes within ~2 s instead of holding the connection for 30 s.
#[actix_web::test]
async fn a_request_body_trickled_past_the_request_timeout_is_cut_off() {
    let app = spawn_app_with(|s| s.request_timeout_secs = 1).await;
    let server = serving(&app).await;
    let mut stream = connect_from("127.0.0.1", server);
    let head = format!(
        "POST /oauth/token HTTP/1.1\r\nHost: {server}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: 100\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).unwrap();
    let started = Instant::now();
    let mut sent = 0;
    let seen = loop {
        if stream.write_all(b"a").is_ok() {
            sent += 1;
        }
        match read_once(&mut stream, Duration::from_millis(300)) {
            Seen::Waiting if started.elapsed() < Duration::from_secs(3) => continue,
            seen => break seen,
        }
    };
    let took = started.elapsed();
    eprintln!("trickled body: {seen:?} after {took:?} and {sent} bytes");
    assert_ne!(seen, Seen::Waiting, "still reading a trickled body after {took:?} ({sent} bytes)");
    assert!(took < Duration::from_secs(3), "{took:?}");
    assert!(sent < 100, "the body never completed");
    if let Seen::Response(response) = &seen {
        assert!(!response.starts_with("HTTP/1.1 200"), "{response}");
    }
}

/// A request head sent in half and then nothing, or trickled, is dropped within the request timeout (1 s; bound
/// 3 s), answered 408 or closed.
#[actix_web::test]
async fn a_request_head_that_never_completes_is_dropped_within_the_request_timeout() {
    let app = spawn_app_with(|s| s.request_timeout_secs = 1).await;
    let server = serving(&app).await;
    let head = format!("GET /healthz HTTP/1.1\r\nHost: {server}\r\nAccept: */*\r\nX-Padding: ");

    let mut half = connect_from("127.0.0.1", server);
    half.write_all(&head.as_bytes()[..head.len() / 2]).unwrap();
    let started = Instant::now();
    let seen = read_once(&mut half, Duration::from_secs(3));
    let took = started.elapsed();
    eprintln!("half a head: {seen:?} after {took:?}");
    assert_ne!(seen, Seen::Waiting, "still waiting for the rest of the head after {took:?}");
    assert!(took < Duration::from_secs(3), "{took:?}");
    if let Seen::Response(response) = &seen {
        assert!(response.starts_with("HTTP/1.1 408"), "{response}");
    }

    let mut trickle = connect_from("127.0.0.1", server);
    let started = Instant::now();
    let mut bytes = head.bytes().chain(std::iter::repeat(b'x'));
    let seen = loop {
        let _ = trickle.write_all(&[bytes.next().unwrap()]);
        match read_once(&mut trickle, Duration::from_millis(300)) {
            Seen::Waiting if started.elapsed() < Duration::from_secs(3) => continue,
            seen => break seen,
        }
    };
    let took = started.elapsed();
    eprintln!("trickled head: {seen:?} after {took:?}");
    assert_ne!(seen, Seen::Waiting, "still reading a trickled head after {took:?}");
}

/// One address holds at most `max_connections_per_address` (3) connections: a fourth is closed at once without a
/// response, while another address gets through; closing one of the three lets a new one in.
#[actix_web::test]
async fn a_fourth_connection_from_one_address_is_closed_at_once() {
    let app = spawn_app_with(|s| s.max_connections_per_address = 3).await;
    let server = serving(&app).await;
    // Three connections, each admitted (it answered) and kept open (HTTP/1.1 keep-alive).
    let mut held: Vec<TcpStream> = (0..3)
        .map(|i| {
            let mut stream = connect_from("127.0.0.1", server);
            stream.write_all(format!("GET /healthz HTTP/1.1\r\nHost: {server}\r\n\r\n").as_bytes()).unwrap();
            let seen = read_once(&mut stream, Duration::from_secs(3));
            assert!(is_ok(&seen), "connection {i}: {seen:?}");
            stream
        })
        .collect();

    let started = Instant::now();
    let fourth = get_healthz("127.0.0.1", server);
    let took = started.elapsed();
    eprintln!("fourth connection: {fourth:?} after {took:?}");
    assert_eq!(fourth, Seen::Closed, "a fourth connection from 127.0.0.1 must get no response");
    assert!(took < Duration::from_secs(1), "closed at once, not after a timeout: {took:?}");

    let other = get_healthz("127.0.0.2", server);
    assert!(is_ok(&other), "another address has its own share: {other:?}");

    // One of the three goes away: its place is given back (once the server has seen it close).
    drop(held.pop());
    let started = Instant::now();
    loop {
        let again = get_healthz("127.0.0.1", server);
        if is_ok(&again) {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(3), "the freed place was not given back: {again:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
    // The two still held still work.
    for stream in &mut held {
        stream.write_all(format!("GET /healthz HTTP/1.1\r\nHost: {server}\r\n\r\n").as_bytes()).unwrap();
        let seen = read_once(stream, Duration::from_secs(3));
        assert!(is_ok(&seen), "{seen:?}");
    }
}
