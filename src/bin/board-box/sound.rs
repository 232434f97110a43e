//! What the board's speaker played: QEMU's `wav` audio backend writes the
//! emulated sound card's output to a WAV file as the guest plays it, and
//! [`Capture`] reads the samples written since a given moment.
//!
//! QEMU writes a 44-byte RIFF header at the start (its sizes filled in only
//! when QEMU exits) and then the samples as they come, in the format the
//! board's command line fixes ([`FORMAT`]). Reading that needs no WAV
//! library: the header is checked, the rest is little-endian `i16`s.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

/// The `-audiodev wav` settings the board is started with: 16-bit signed
/// samples, two channels, 44.1 kHz.
pub const FORMAT: &str = "out.format=s16,out.channels=2,out.frequency=44100";
const CHANNELS: u16 = 2;
const FREQUENCY: u32 = 44_100;
const HEADER: usize = 44;
/// Bytes of one second of sound.
const BYTES_PER_SECOND: usize = FREQUENCY as usize * CHANNELS as usize * 2;

/// A sample this far from zero (about −24 dBFS) is sound, not the hiss of a
/// codec or rounding: espeak-ng's speech peaks far above it at its default
/// volume, silence is exactly 0.
const LOUD: i16 = 2048;

/// How often the file is read while waiting.
const POLL: Duration = Duration::from_millis(50);

/// The WAV file QEMU writes the board's sound to.
pub struct Capture {
    path: PathBuf,
}

/// Sound found in the capture.
pub struct Heard {
    /// From the moment waited from to the first read that found it.
    pub after: Duration,
    /// Where in the file the sound starts (bytes).
    pub at: usize,
    /// The loudest sample, in dBFS.
    pub peak_dbfs: f64,
}

impl Capture {
    /// The capture QEMU writes at `path` (it may not exist yet).
    pub fn at(path: &Path) -> Capture {
        Capture {
            path: path.to_owned(),
        }
    }

    /// How many bytes QEMU has written so far (0 before the file exists).
    pub fn len(&self) -> usize {
        std::fs::metadata(&self.path).map_or(0, |meta| meta.len() as usize)
    }

    /// The samples written after byte `from`.
    fn samples_after(&self, from: usize) -> anyhow::Result<Vec<i16>> {
        let bytes = match std::fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(error) => {
                return Err(error).with_context(|| format!("cannot read {}", self.path.display()));
            }
        };
        if bytes.len() < HEADER {
            return Ok(Vec::new());
        }
        check_header(&bytes[..HEADER]).with_context(|| {
            format!(
                "{} is not the WAV QEMU was told to write",
                self.path.display()
            )
        })?;
        // Whole samples only: QEMU may be in the middle of a write.
        let start = from.max(HEADER);
        let start = start + (start - HEADER) % 2;
        let end = bytes.len() - (bytes.len() - HEADER) % 2;
        Ok(bytes
            .get(start..end)
            .unwrap_or_default()
            .chunks_exact(2)
            .map(|pair| i16::from_le_bytes([pair[0], pair[1]]))
            .collect())
    }

    /// Waits until a sample after byte `from` is sound ([`LOUD`]).
    pub fn wait_for_sound(
        &self,
        from: usize,
        since: Instant,
        timeout: Duration,
    ) -> anyhow::Result<Heard> {
        loop {
            let samples = self.samples_after(from)?;
            if let Some(first) = samples.iter().position(|s| s.unsigned_abs() >= LOUD as u16) {
                let peak = samples.iter().map(|s| s.unsigned_abs()).max().unwrap_or(0);
                return Ok(Heard {
                    after: since.elapsed(),
                    at: from.max(HEADER) + first * 2,
                    peak_dbfs: 20.0 * (f64::from(peak) / 32768.0).log10(),
                });
            }
            if since.elapsed() > timeout {
                bail!(
                    "no sound on the board's speaker after {} s: {} ({} bytes after byte {from}, none louder than {LOUD})",
                    timeout.as_secs(),
                    self.path.display(),
                    samples.len() * 2
                );
            }
            std::thread::sleep(POLL);
        }
    }

    /// Waits until nothing loud has been written for `quiet` (the sound
    /// card stopped, or plays silence), watching from byte `from`.
    pub fn wait_for_quiet(
        &self,
        from: usize,
        quiet: Duration,
        timeout: Duration,
    ) -> anyhow::Result<Quiet> {
        let started = Instant::now();
        let mut checked = from.max(HEADER);
        let mut sound_ends = checked;
        let mut quiet_since = Instant::now();
        loop {
            let samples = self.samples_after(checked)?;
            if let Some(last) = samples
                .iter()
                .rposition(|s| s.unsigned_abs() >= LOUD as u16)
            {
                quiet_since = Instant::now();
                sound_ends = checked + (last + 1) * 2;
            }
            checked += samples.len() * 2;
            if quiet_since.elapsed() >= quiet {
                return Ok(Quiet {
                    len: checked,
                    sound_ends,
                });
            }
            if started.elapsed() > timeout {
                bail!(
                    "the board's speaker did not fall quiet for {} s within {} s ({})",
                    quiet.as_secs_f64(),
                    timeout.as_secs(),
                    self.path.display()
                );
            }
            std::thread::sleep(POLL);
        }
    }
}

/// The speaker fallen quiet.
pub struct Quiet {
    /// The file's length then (bytes).
    pub len: usize,
    /// Just after the last loud sample (bytes).
    pub sound_ends: usize,
}

/// Seconds of sound card output between two places in the file.
pub fn seconds_between(from: usize, to: usize) -> f64 {
    to.saturating_sub(from) as f64 / BYTES_PER_SECOND as f64
}

/// Checks QEMU's header: RIFF/WAVE, PCM, [`FORMAT`].
fn check_header(header: &[u8]) -> anyhow::Result<()> {
    let u16_at = |at: usize| u16::from_le_bytes([header[at], header[at + 1]]);
    let u32_at = |at: usize| {
        u32::from_le_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]])
    };
    if &header[0..4] != b"RIFF" || &header[8..12] != b"WAVE" || &header[12..16] != b"fmt " {
        bail!("no RIFF/WAVE header");
    }
    let (pcm, channels, frequency, bits) = (u16_at(20), u16_at(22), u32_at(24), u16_at(34));
    if pcm != 1 || channels != CHANNELS || frequency != FREQUENCY || bits != 16 {
        bail!(
            "format {pcm}, {channels} channels, {frequency} Hz, {bits} bits; expected PCM, {CHANNELS}, {FREQUENCY} Hz, 16 bits"
        );
    }
    Ok(())
}
