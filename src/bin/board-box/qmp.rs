//! A QMP client (QEMU Machine Protocol: JSON lines over a Unix socket):
//! screendumps and touch events through `input-send-event`.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::time::Duration;

use serde_json::{Value, json};

/// Longest QMP message accepted (QEMU's are a few KiB).
const MAX_MESSAGE: u64 = 1024 * 1024;
/// Longest wait for one reply (a screendump of 1080×1920 takes ~50 ms).
const REPLY_TIMEOUT: Duration = Duration::from_secs(30);
/// The range of QEMU's absolute input axes (`INPUT_EVENT_ABS_MAX` + 1).
const ABS_RANGE: f32 = 32768.0;

/// A QMP command failed.
#[derive(Debug, thiserror::Error)]
pub enum QmpError {
    /// The socket failed or timed out.
    #[error("QMP socket: {0}")]
    Io(#[from] std::io::Error),
    /// QEMU sent something that is not a QMP message.
    #[error("QMP: unexpected message `{0}`")]
    Protocol(String),
    /// QEMU answered with an error.
    #[error("QMP `{command}` failed: {message}")]
    Command {
        /// The command.
        command: String,
        /// QEMU's description.
        message: String,
    },
}

/// A connected QMP session in command mode.
pub struct Qmp {
    reader: BufReader<UnixStream>,
    writer: UnixStream,
    next_tracking_id: i64,
}

impl Qmp {
    /// Connects, reads the greeting and enters command mode.
    pub fn connect(path: &Path) -> Result<Self, QmpError> {
        let stream = UnixStream::connect(path)?;
        stream.set_read_timeout(Some(REPLY_TIMEOUT))?;
        stream.set_write_timeout(Some(REPLY_TIMEOUT))?;
        let mut qmp = Qmp {
            reader: BufReader::new(stream.try_clone()?),
            writer: stream,
            next_tracking_id: 1,
        };
        let greeting = qmp.read_message()?;
        if greeting.get("QMP").is_none() {
            return Err(QmpError::Protocol(greeting.to_string()));
        }
        qmp.execute("qmp_capabilities", json!({}))?;
        Ok(qmp)
    }

    fn read_message(&mut self) -> Result<Value, QmpError> {
        let mut line = String::new();
        let read = (&mut self.reader).take(MAX_MESSAGE).read_line(&mut line)?;
        if read == 0 {
            return Err(QmpError::Protocol("connection closed".into()));
        }
        serde_json::from_str(&line).map_err(|_| QmpError::Protocol(line.trim().to_string()))
    }

    /// Runs one command and returns its `return` value (events are skipped).
    pub fn execute(&mut self, command: &str, arguments: Value) -> Result<Value, QmpError> {
        let request = json!({ "execute": command, "arguments": arguments });
        self.writer.write_all(format!("{request}\n").as_bytes())?;
        loop {
            let mut message = self.read_message()?;
            if let Some(value) = message.get_mut("return") {
                return Ok(value.take());
            }
            if let Some(error) = message.get("error") {
                return Err(QmpError::Command {
                    command: command.to_string(),
                    message: error["desc"].as_str().unwrap_or_default().to_string(),
                });
            }
            if message.get("event").is_none() {
                return Err(QmpError::Protocol(message.to_string()));
            }
        }
    }

    /// Starts the guest (QEMU was started with `-S`).
    pub fn cont(&mut self) -> Result<(), QmpError> {
        self.execute("cont", json!({})).map(drop)
    }

    /// Writes the display's current picture as a binary PPM (P6): QEMU
    /// writes it in ~10 ms, a PNG takes ~50 ms to encode and more to decode.
    pub fn screendump(&mut self, path: &Path) -> Result<(), QmpError> {
        let filename = path.to_string_lossy();
        self.execute(
            "screendump",
            json!({ "filename": filename, "format": "ppm" }),
        )
        .map(drop)
    }

    /// Puts a finger down at pixel (x, y) of a `width` × `height` display,
    /// through the virtio-multitouch device: the event sequence QEMU's own
    /// GTK touch path queues (slot 0, a fresh tracking id).
    pub fn touch_down(&mut self, x: f32, y: f32, size: (u32, u32)) -> Result<(), QmpError> {
        let (x, y) = (axis(x, size.0), axis(y, size.1));
        let id = self.next_tracking_id;
        self.next_tracking_id += 1;
        let mtt = |kind: &str, axis: &str, value: i64| {
            json!({ "type": "mtt", "data": {
                "type": kind, "slot": 0, "tracking-id": id, "axis": axis, "value": value } })
        };
        self.send_events(json!([
            mtt("begin", "x", x),
            { "type": "btn", "data": { "button": "touch", "down": true } },
            mtt("data", "x", x),
            mtt("data", "y", y),
        ]))
    }

    /// Lifts the finger put down by [`Qmp::touch_down`] (tracking id -1: the
    /// kernel ignores a repeated id).
    pub fn touch_up(&mut self, x: f32, size: (u32, u32)) -> Result<(), QmpError> {
        self.send_events(json!([
            { "type": "mtt", "data": {
                "type": "end", "slot": 0, "tracking-id": -1, "axis": "x", "value": axis(x, size.0) } },
            { "type": "btn", "data": { "button": "touch", "down": false } },
        ]))
    }

    fn send_events(&mut self, events: Value) -> Result<(), QmpError> {
        // No `device`: it names a display console, not an input device; the
        // default routing reaches the only input device.
        self.execute("input-send-event", json!({ "events": events }))
            .map(drop)
    }
}

/// A pixel coordinate on an axis of `pixels` as QEMU's absolute value
/// (libinput maps it back with `value * pixels / 32768`).
fn axis(position: f32, pixels: u32) -> i64 {
    let value = position / pixels as f32 * ABS_RANGE;
    (value as i64).clamp(0, ABS_RANGE as i64 - 1)
}
