//! Speaking with espeak-ng: [`Espeak`] (the program, checked, and
//! [`Espeak::synthesize_wav`]), [`probe`], and [`EspeakSpeaker`], the
//! [`Speaker`] that plays on the default ALSA device from a worker thread.
//!
//! # Why espeak-ng's program, not speech-dispatcher
//!
//! The kiosk runs `espeak-ng` itself, one process per utterance, which plays
//! to the default ALSA device. That is one maintained Debian package
//! (`espeak-ng`, with `espeak-ng-data`'s `cmn`, `yue` and `en` voices), no
//! daemon, no socket and no session bus, and an utterance is interrupted by
//! killing its process. speech-dispatcher would add a daemon and its SSIP
//! protocol on a machine with one user and one program, and its espeak-ng
//! module is the same engine: it buys queueing and many clients, which the
//! kiosk does not need.
//!
//! # Latency (budget: tap to the start of speech ≤ 150 ms)
//!
//! Measured on the development machine (2-core x86-64 VM), the whole of
//! `espeak-ng -v VOICE -w x.wav "公告栏"` (start, load the voice, synthesize
//! all of it, write the WAV) takes 9–16 ms with `cmn-latn-pinyin`, 7–9 ms
//! with `yue`, 8–9 ms with `en`; a 40-character sentence 18 ms; an SSML
//! utterance switching voices (what [`EspeakSpeaker`] sends) 11 ms. Playing,
//! espeak-ng starts the sound after its first clause, so the start of speech
//! is that plus opening the ALSA device. [`Speaker::speak`] itself only sends
//! to the worker thread and returns. An ARM board several times slower
//! stays well inside the budget; the board's own figure is still to measure.
//!
//! # Sound device
//!
//! Without one, espeak-ng prints ALSA errors and exits 0: [`probe`] checks
//! for an ALSA playback device (`/dev/snd/pcmC*D*p`) beforehand, so the
//! kiosk can say why speech is unavailable and start without it.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use super::engine::{Settings, Speaker, SynthesisError, Unavailable};
use super::{Utterance, Voices};

/// The espeak-ng program, checked to run and to have every configured voice.
#[derive(Debug, Clone)]
pub struct Espeak {
    program: PathBuf,
    voices: Voices,
}

impl Espeak {
    /// `espeak-ng` on the `PATH`, checked with `voices`.
    pub fn find(voices: Voices) -> Result<Espeak, Unavailable> {
        Espeak::at("espeak-ng", voices)
    }

    /// The espeak-ng program at `program`, checked to run and to speak each
    /// of `voices` (espeak-ng exits 0 even when a voice's dictionary is
    /// missing, but says so on stderr).
    pub fn at(program: impl Into<PathBuf>, voices: Voices) -> Result<Espeak, Unavailable> {
        let program = program.into();
        let status = Command::new(&program)
            .arg("--version")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        match status {
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                return Err(Unavailable::NoProgram);
            }
            // 127 is "command not found" where the exec failure reaches us
            // as the child's exit instead of an error (under qemu-user, as
            // the armv7 tests run).
            Ok(status) if status.code() == Some(127) => return Err(Unavailable::NoProgram),
            Err(error) => return Err(Unavailable::Broken(error.to_string())),
            Ok(status) if !status.success() => {
                return Err(Unavailable::Broken(format!(
                    "`--version` exited with {status}"
                )));
            }
            Ok(_) => {}
        }
        let mut checked: Vec<&str> = Vec::new();
        for (lang, voice) in voices.each() {
            if checked.contains(&voice) {
                continue;
            }
            let output = Command::new(&program)
                .args(["-q", "-v", voice, ""])
                .stdin(Stdio::null())
                .output()
                .map_err(|error| Unavailable::Broken(error.to_string()))?;
            let stderr = String::from_utf8_lossy(&output.stderr);
            if !output.status.success() || !stderr.trim().is_empty() {
                return Err(Unavailable::NoVoice {
                    lang,
                    voice: voice.to_owned(),
                    detail: stderr
                        .lines()
                        .next()
                        .unwrap_or("no detail")
                        .trim()
                        .to_owned(),
                });
            }
            checked.push(voice);
        }
        Ok(Espeak { program, voices })
    }

    /// The voices it speaks with.
    pub fn voices(&self) -> &Voices {
        &self.voices
    }

    /// Writes `utterance` spoken at `settings` to a WAV file at `path`
    /// (espeak-ng's `-w`); an empty utterance is refused before anything runs.
    pub fn synthesize_wav(
        &self,
        utterance: &Utterance,
        settings: Settings,
        path: &Path,
    ) -> Result<(), SynthesisError> {
        if utterance.is_empty() {
            return Err(SynthesisError::Empty);
        }
        let mut command = self.command(utterance, settings);
        command
            .arg("-w")
            .arg(path)
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let child = self.feed(command, utterance)?;
        let output = child.wait_with_output()?;
        let stderr = String::from_utf8_lossy(&output.stderr).trim().to_owned();
        if !output.status.success() || !stderr.is_empty() {
            return Err(SynthesisError::Failed {
                status: output.status,
                stderr,
            });
        }
        Ok(())
    }

    /// Starts playing `utterance` on the default sound device.
    fn play(&self, utterance: &Utterance, settings: Settings) -> io::Result<Child> {
        let mut command = self.command(utterance, settings);
        command.stdout(Stdio::null()).stderr(Stdio::null());
        self.feed(command, utterance)
    }

    /// espeak-ng reading SSML on its standard input at `settings`.
    fn command(&self, utterance: &Utterance, settings: Settings) -> Command {
        let settings = settings.clamped();
        let mut command = Command::new(&self.program);
        command
            .args(["-m", "--stdin", "-v", self.voices.voice(utterance.lang())])
            .arg("-s")
            .arg(settings.rate.to_string())
            .arg("-a")
            .arg(settings.volume.to_string())
            .stdin(Stdio::piped());
        command
    }

    /// Spawns `command` and writes the utterance to it as SSML.
    fn feed(&self, mut command: Command, utterance: &Utterance) -> io::Result<Child> {
        let mut child = command.spawn()?;
        let written = match child.stdin.take() {
            Some(mut stdin) => stdin.write_all(ssml(&self.voices, utterance).as_bytes()),
            None => Err(io::Error::other("espeak-ng's stdin is not a pipe")),
        };
        if let Err(error) = written {
            end(&mut Some(child));
            return Err(error);
        }
        Ok(child)
    }
}

/// The utterance as espeak-ng SSML: one `<voice>` per part, so that the
/// Latin words of Chinese text are read in English.
fn ssml(voices: &Voices, utterance: &Utterance) -> String {
    let mut out = String::from("<speak>");
    for part in voices.parts(utterance) {
        out.push_str("<voice name=\"");
        escape_into(&mut out, part.voice);
        out.push_str("\">");
        escape_into(&mut out, part.text);
        out.push_str("</voice>");
    }
    out.push_str("</speak>");
    out
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
}

/// Whether speech can be used here: espeak-ng and its voices, and an ALSA
/// playback device. The first thing missing is the error.
pub fn probe(voices: &Voices) -> Result<Espeak, Unavailable> {
    let espeak = Espeak::find(voices.clone())?;
    if !has_playback_device() {
        return Err(Unavailable::NoSoundDevice);
    }
    Ok(espeak)
}

/// Whether `/dev/snd` has an ALSA playback device now: one directory read,
/// cheap enough to ask every few seconds while speech waits for a device
/// (a sound driver still loading at boot, a USB speaker plugged in later).
pub fn has_playback_device() -> bool {
    playback_device(Path::new("/dev/snd")).is_some()
}

/// The first ALSA playback device node (`pcmC<card>D<device>p`) in `dir`.
fn playback_device(dir: &Path) -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .filter(|entry| {
            let name = entry.file_name();
            let Some(name) = name.to_str() else {
                return false;
            };
            let numbers = name
                .strip_prefix("pcmC")
                .and_then(|rest| rest.strip_suffix('p'))
                .and_then(|rest| rest.split_once('D'));
            let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
            numbers.is_some_and(|(card, device)| digits(card) && digits(device))
        })
        .map(|entry| entry.path())
        .collect();
    found.sort();
    found.into_iter().next()
}

enum Order {
    Speak(Utterance, Settings),
    Stop,
    Pause,
    Resume,
    Quit,
}

/// espeak-ng speaking on the default ALSA device from a worker thread: each
/// utterance is one espeak-ng process, killed when another utterance or a
/// stop comes; pause and resume stop and continue that process.
pub struct EspeakSpeaker {
    orders: Sender<Order>,
    /// Set by the worker while an espeak-ng runs unheld.
    speaking: Arc<AtomicBool>,
    settings: Mutex<Settings>,
    worker: Option<JoinHandle<()>>,
}

/// How often the worker reaps a finished espeak-ng while one is speaking.
const REAP: Duration = Duration::from_millis(50);

impl EspeakSpeaker {
    /// A speaker with `voices`, when [`probe`] finds speech available.
    pub fn new(voices: Voices) -> Result<EspeakSpeaker, Unavailable> {
        Ok(EspeakSpeaker::start(probe(&voices)?))
    }

    /// A speaker on an espeak-ng already checked, without looking for a
    /// sound device (tests; a site whose device [`probe`] does not see).
    pub fn start(espeak: Espeak) -> EspeakSpeaker {
        let (orders, received) = mpsc::channel();
        let speaking = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&speaking);
        let worker = std::thread::Builder::new()
            .name("speech".to_owned())
            .spawn(move || work(&espeak, &received, &flag));
        let worker = match worker {
            Ok(worker) => Some(worker),
            Err(error) => {
                tracing::warn!("speech: no worker thread ({error}): nothing will be spoken");
                None
            }
        };
        EspeakSpeaker {
            orders,
            speaking,
            settings: Mutex::new(Settings::default()),
            worker,
        }
    }

    fn send(&self, order: Order) {
        // The worker ends only on Quit (sent by drop): a send cannot fail before.
        let _ = self.orders.send(order);
    }
}

impl Speaker for EspeakSpeaker {
    fn speak(&self, utterance: Utterance) {
        if utterance.is_empty() {
            return self.stop();
        }
        let settings = self.settings();
        self.send(Order::Speak(utterance, settings));
    }

    fn stop(&self) {
        self.send(Order::Stop);
    }

    fn pause(&self) {
        self.send(Order::Pause);
    }

    fn resume(&self) {
        self.send(Order::Resume);
    }

    fn is_speaking(&self) -> bool {
        self.speaking.load(Ordering::Relaxed)
    }

    fn settings(&self) -> Settings {
        *self.settings.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn set_settings(&self, settings: Settings) {
        *self.settings.lock().unwrap_or_else(PoisonError::into_inner) = settings.clamped();
    }
}

impl Drop for EspeakSpeaker {
    fn drop(&mut self) {
        self.send(Order::Quit);
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}

/// The worker: one espeak-ng at a time, reaped when it ends; `flag` says
/// whether one is running and not held.
fn work(espeak: &Espeak, orders: &Receiver<Order>, flag: &AtomicBool) {
    let mut speaking: Option<Child> = None;
    let mut held = false;
    loop {
        flag.store(speaking.is_some() && !held, Ordering::Relaxed);
        let order = if speaking.is_some() {
            match orders.recv_timeout(REAP) {
                Ok(order) => Some(order),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => Some(Order::Quit),
            }
        } else {
            Some(orders.recv().unwrap_or(Order::Quit))
        };
        if let Some(child) = &mut speaking
            && !matches!(child.try_wait(), Ok(None))
        {
            speaking = None;
        }
        match order {
            None => {}
            Some(Order::Speak(utterance, settings)) => {
                end(&mut speaking);
                held = false;
                match espeak.play(&utterance, settings) {
                    Ok(child) => speaking = Some(child),
                    Err(error) => tracing::warn!("speech: espeak-ng did not start: {error}"),
                }
            }
            Some(Order::Stop) => end(&mut speaking),
            Some(Order::Pause) => {
                signal(speaking.as_ref(), libc::SIGSTOP);
                held = true;
            }
            Some(Order::Resume) => {
                signal(speaking.as_ref(), libc::SIGCONT);
                held = false;
            }
            Some(Order::Quit) => break,
        }
    }
    end(&mut speaking);
    flag.store(false, Ordering::Relaxed);
}

/// Kills and reaps the espeak-ng speaking, if any (a held one too).
fn end(speaking: &mut Option<Child>) {
    if let Some(mut child) = speaking.take() {
        let _ = child.kill();
        let _ = child.wait();
    }
}

fn signal(speaking: Option<&Child>, signal: libc::c_int) {
    let Some(pid) = speaking.and_then(|child| libc::pid_t::try_from(child.id()).ok()) else {
        return;
    };
    // SAFETY: kill(2) takes any pid and signal; the pid is our own child's,
    // not yet reaped (the worker reaps only through `speaking`), so it names
    // no other process.
    unsafe {
        libc::kill(pid, signal);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Lang;

    #[test]
    fn ssml_gives_each_part_its_voice_and_escapes_the_text() {
        let voices = Voices::default();
        let utterance = Utterance::new("Q&A: 请连接 Wi-Fi", Lang::ZhHans);
        assert_eq!(
            ssml(&voices, &utterance),
            "<speak><voice name=\"en\">Q&amp;A</voice><voice name=\"cmn-latn-pinyin\">：请连接 </voice><voice name=\"en\">Wi-Fi</voice></speak>"
        );
        let odd = Voices {
            en: "e\"n".to_owned(),
            ..Voices::default()
        };
        assert!(
            ssml(&odd, &Utterance::new("it's", Lang::En)).contains("name=\"e&quot;n\">it&apos;s<")
        );
    }

    #[test]
    fn a_playback_device_is_a_pcm_node_ending_in_p() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(playback_device(dir.path()), None);
        for name in ["controlC0", "pcmC0D0c", "timer", "pcmCxD0p", "pcmC0Dp"] {
            std::fs::write(dir.path().join(name), "").unwrap();
        }
        assert_eq!(playback_device(dir.path()), None);
        std::fs::write(dir.path().join("pcmC1D3p"), "").unwrap();
        std::fs::write(dir.path().join("pcmC0D0p"), "").unwrap();
        assert_eq!(
            playback_device(dir.path()),
            Some(dir.path().join("pcmC0D0p"))
        );
        assert_eq!(playback_device(&dir.path().join("missing")), None);
    }

    #[test]
    fn a_missing_program_is_named_with_its_package() {
        let error = Espeak::at("/nonexistent/espeak-ng", Voices::default()).unwrap_err();
        assert_eq!(error, Unavailable::NoProgram);
        assert_eq!(
            error.to_string(),
            "espeak-ng is not installed (apt-get install espeak-ng)"
        );
    }
}
