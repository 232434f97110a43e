//! The guest's character devices, as seen from the host: a thread drains
//! each one continuously (a stalled reader stalls the guest) into a log file
//! and a buffer the harness waits on. The serial console carries the
//! kernel's and systemd's messages; the virtio console a root shell that
//! runs the harness's commands.

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// At most this much output is kept for waiting on (the log file gets all).
const MAX_BUFFERED: usize = 16 * 1024 * 1024;

/// A guest console could not be read or did not show what was awaited.
#[derive(Debug, thiserror::Error)]
pub enum ConsoleError {
    /// The socket or the log file failed.
    #[error("{name}: {source}")]
    Io {
        /// Which console.
        name: String,
        /// Why.
        source: std::io::Error,
    },
    /// The awaited text did not appear in time.
    #[error("{name}: no `{awaited}` within {seconds} s (log: {log})")]
    Timeout {
        /// Which console.
        name: String,
        /// What was awaited.
        awaited: String,
        /// How long.
        seconds: u64,
        /// The log file with everything the console printed.
        log: String,
    },
    /// A command on the guest's shell failed.
    #[error("{name}: `{command}` exited with {status}: {output}")]
    Failed {
        /// Which console.
        name: String,
        /// The command.
        command: String,
        /// Its exit status.
        status: String,
        /// What it printed.
        output: String,
    },
}

#[derive(Default)]
struct Output {
    text: String,
    closed: bool,
}

/// A drained guest console.
pub struct Console {
    name: String,
    log: String,
    writer: UnixStream,
    output: Arc<(Mutex<Output>, Condvar)>,
    next_command: u32,
}

impl Console {
    /// Connects to QEMU's socket chardev and drains it into `log`.
    pub fn attach(name: &str, socket: &Path, log: &Path) -> Result<Self, ConsoleError> {
        let io = |source| ConsoleError::Io {
            name: name.to_string(),
            source,
        };
        let stream = UnixStream::connect(socket).map_err(io)?;
        let mut reader = stream.try_clone().map_err(io)?;
        let mut file = std::fs::File::create(log).map_err(io)?;
        let output = Arc::new((Mutex::new(Output::default()), Condvar::new()));
        let shared = Arc::clone(&output);
        std::thread::Builder::new()
            .name(format!("drain {name}"))
            .spawn(move || {
                let mut buffer = [0u8; 8192];
                // Bytes of a character split across two reads.
                let mut pending = Vec::new();
                loop {
                    let read = reader.read(&mut buffer).unwrap_or(0);
                    let (lock, wake) = &*shared;
                    let mut output = lock.lock().unwrap_or_else(|e| e.into_inner());
                    if read == 0 {
                        output.closed = true;
                        wake.notify_all();
                        return;
                    }
                    let _ = file.write_all(&buffer[..read]);
                    pending.extend_from_slice(&buffer[..read]);
                    let complete = match std::str::from_utf8(&pending) {
                        Ok(_) => pending.len(),
                        Err(error) if error.error_len().is_none() => error.valid_up_to(),
                        Err(_) => pending.len(),
                    };
                    let text: Vec<u8> = pending.drain(..complete).collect();
                    if output.text.len() < MAX_BUFFERED {
                        output
                            .text
                            .push_str(&String::from_utf8_lossy(&text).replace('\r', ""));
                    }
                    wake.notify_all();
                }
            })
            .map_err(io)?;
        Ok(Console {
            name: name.to_string(),
            log: log.display().to_string(),
            writer: stream,
            output,
            next_command: 1,
        })
    }

    /// Everything printed so far (its length is a position for [`Console::wait_for`]).
    pub fn text(&self) -> String {
        let (lock, _) = &*self.output;
        lock.lock().unwrap_or_else(|e| e.into_inner()).text.clone()
    }

    /// Waits until `found` finds what it looks for in the output.
    fn wait_until<T>(
        &self,
        awaited: &str,
        timeout: Duration,
        mut found: impl FnMut(&str) -> Option<T>,
    ) -> Result<T, ConsoleError> {
        let deadline = Instant::now() + timeout;
        let (lock, wake) = &*self.output;
        let mut output = lock.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if let Some(result) = found(&output.text) {
                return Ok(result);
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() || output.closed {
                return Err(ConsoleError::Timeout {
                    name: self.name.clone(),
                    awaited: awaited.to_string(),
                    seconds: timeout.as_secs(),
                    log: self.log.clone(),
                });
            }
            output = wake
                .wait_timeout(output, left)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    /// Waits for a line containing one of `needles` after byte `from`;
    /// returns the line and the position after it.
    pub fn wait_for_line(
        &self,
        needles: &[&str],
        from: usize,
        timeout: Duration,
    ) -> Result<(String, usize), ConsoleError> {
        self.wait_until(&needles.join("` or `"), timeout, |text| {
            let tail = text.get(from..)?;
            let start = needles
                .iter()
                .filter_map(|needle| tail.find(needle))
                .min()?;
            let line_start = tail[..start].rfind('\n').map_or(0, |i| i + 1);
            let line_end = tail[start..].find('\n')? + start;
            Some((tail[line_start..line_end].to_string(), from + line_end + 1))
        })
    }

    /// Runs a shell command on the console's shell and returns what it
    /// printed; fails when its exit status is not 0.
    pub fn run(&mut self, command: &str, timeout: Duration) -> Result<String, ConsoleError> {
        let id = self.next_command;
        self.next_command += 1;
        // The quotes keep the terminal's echo of this line from matching.
        let begin = format!("@@<{id}@@");
        let end = format!("@@>{id}@@");
        let line = format!("echo '@@<{id}''@@'; {command}; echo '@@>{id}''@@' $?\n");
        let from = self.text().len();
        self.writer
            .write_all(line.as_bytes())
            .map_err(|source| ConsoleError::Io {
                name: self.name.clone(),
                source,
            })?;
        let (output, status) = self.wait_until(command, timeout, |text| {
            let tail = text.get(from..)?;
            let start = tail.find(&format!("{begin}\n"))? + begin.len() + 1;
            let stop = tail[start..].find(&end)? + start;
            let status_end = tail[stop..].find('\n')? + stop;
            Some((
                tail[start..stop].to_string(),
                tail[stop + end.len()..status_end].trim().to_string(),
            ))
        })?;
        if status != "0" {
            return Err(ConsoleError::Failed {
                name: self.name.clone(),
                command: command.to_string(),
                status,
                output: output.trim().to_string(),
            });
        }
        Ok(output)
    }
}
