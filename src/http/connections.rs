//! Bounds on what one peer can hold: connections per address, and the time to read a request's body (the head is
//! bounded by actix's client request timeout). Written by hand: actix-web has neither, and both sit at the
//! connection and payload level that no middleware crate reaches.

use std::collections::HashMap;
use std::io;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use actix_web::dev::Payload;
use actix_web::error::PayloadError;
use actix_web::web::Bytes;
use futures_core::Stream;

/// Open connections per peer address, at most `per_address` each (0: no limit).
pub struct ConnectionLimit {
    per_address: usize,
    open: Mutex<HashMap<IpAddr, usize>>,
}

/// One counted connection; dropped with the connection, which gives its place back.
pub struct ConnectionSlot {
    limit: Arc<ConnectionLimit>,
    address: IpAddr,
}

impl ConnectionLimit {
    pub fn new(per_address: usize) -> Arc<ConnectionLimit> {
        Arc::new(ConnectionLimit { per_address, open: Mutex::new(HashMap::new()) })
    }

    /// A place for one more connection from `address`, or `None` when it already holds its share.
    pub fn admit(self: &Arc<Self>, address: IpAddr) -> Option<ConnectionSlot> {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        let count = open.entry(address).or_insert(0);
        if self.per_address > 0 && *count >= self.per_address {
            return None;
        }
        *count += 1;
        Some(ConnectionSlot { limit: self.clone(), address })
    }

    #[cfg(test)]
    fn open_from(&self, address: IpAddr) -> usize {
        self.open.lock().unwrap_or_else(PoisonError::into_inner).get(&address).copied().unwrap_or(0)
    }
}

impl Drop for ConnectionSlot {
    fn drop(&mut self) {
        let mut open = self.limit.open.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = open.get_mut(&self.address) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.address);
            }
        }
    }
}

/// Closes a connection over its address's share at once (both directions), before a request is read from it.
pub fn refuse(stream: &actix_web::rt::net::TcpStream) {
    let _ = socket2::SockRef::from(stream).shutdown(std::net::Shutdown::Both);
}

/// A request body that must arrive within `limit`: a peer trickling bytes cannot hold a worker's connection open.
pub fn with_deadline(payload: Payload, limit: Duration) -> Payload {
    Payload::Stream {
        payload: Box::pin(Deadline { inner: payload, sleep: Box::pin(tokio::time::sleep(limit)), done: false }),
    }
}

struct Deadline {
    inner: Payload,
    sleep: Pin<Box<tokio::time::Sleep>>,
    done: bool,
}

impl Stream for Deadline {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.done {
            return Poll::Ready(None);
        }
        if self.sleep.as_mut().poll(cx).is_ready() {
            self.done = true;
            let late = io::Error::new(io::ErrorKind::TimedOut, "the request body did not arrive in time");
            return Poll::Ready(Some(Err(PayloadError::Io(late))));
        }
        Pin::new(&mut self.inner).poll_next(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connections_are_counted_per_address_and_given_back() {
        let limit = ConnectionLimit::new(2);
        let a: IpAddr = "203.0.113.7".parse().unwrap();
        let b: IpAddr = "203.0.113.8".parse().unwrap();
        let first = limit.admit(a).unwrap();
        let _second = limit.admit(a).unwrap();
        assert!(limit.admit(a).is_none(), "a third connection from one address");
        assert!(limit.admit(b).is_some(), "another address has its own share");
        drop(first);
        assert_eq!(limit.open_from(a), 1);
        assert!(limit.admit(a).is_some(), "a closed connection gives its place back");
        let unlimited = ConnectionLimit::new(0);
        let slots: Vec<_> = (0..1000).map(|_| unlimited.admit(a)).collect();
        assert!(slots.iter().all(Option::is_some));
    }
}
