//! Server-Sent Events framing (the `text/event-stream` format).
//!
//! ```
//! use retouch_worker::sse::{frame, last_event_id};
//! assert_eq!(frame(3, "progress", "{\"a\":1}"), "id: 3\nevent: progress\ndata: {\"a\":1}\n\n");
//! assert_eq!(last_event_id(Some(" 7 ")), Some(7));
//! ```

/// One event: its id, its name and its data. Each line of `data` gets its own `data:` field, and
/// carriage returns are dropped, so no payload can end the event early or forge fields.
pub fn frame(id: u64, event: &str, data: &str) -> String {
    let mut out = format!("id: {id}\nevent: {}\n", clean_line(event));
    for line in data.split('\n') {
        out.push_str("data: ");
        out.push_str(&line.replace('\r', ""));
        out.push('\n');
    }
    out.push('\n');
    out
}

/// A comment line (ignored by clients; keeps a connection warm).
pub fn comment(text: &str) -> String {
    format!(": {}\n\n", clean_line(text))
}

/// The reconnection delay a client should use, in milliseconds.
pub fn retry(ms: u32) -> String {
    format!("retry: {ms}\n\n")
}

fn clean_line(s: &str) -> String {
    s.chars().filter(|c| *c != '\n' && *c != '\r').collect()
}

/// The event id to resume after, from a `Last-Event-ID` header (or `lastEventId` query value).
/// Anything but a plain non-negative integer means "from the start".
pub fn last_event_id(value: Option<&str>) -> Option<u64> {
    value.and_then(|v| v.trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multiline_data_cannot_inject_fields() {
        let f = frame(1, "pro\ngress", "a\r\nevent: complete\n\nid: 99");
        assert_eq!(
            f,
            "id: 1\nevent: progress\ndata: a\ndata: event: complete\ndata: \ndata: id: 99\n\n"
        );
        assert_eq!(comment("hi\nthere"), ": hithere\n\n");
        assert_eq!(retry(1500), "retry: 1500\n\n");
    }

    #[test]
    fn last_event_ids() {
        assert_eq!(last_event_id(None), None);
        assert_eq!(last_event_id(Some("abc")), None);
        assert_eq!(last_event_id(Some("-1")), None);
        assert_eq!(last_event_id(Some("12")), Some(12));
    }
}
