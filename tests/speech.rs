//! The speech engine with the real espeak-ng (installed by
//! `scripts/install-test-deps.sh`): real audio for each language, checked
//! as speech of a plausible length; the worker's interrupting, pausing and
//! stopping, watched through a stand-in program; the recording speaker.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use lobby_kiosk::content::Lang;
use lobby_kiosk::speech::{
    Espeak, EspeakSpeaker, Event, RecordingSpeaker, Settings, Speaker, Spoken, SynthesisError,
    Unavailable, Utterance, Voices, probe,
};

fn espeak() -> Espeak {
    Espeak::find(Voices::default()).unwrap_or_else(|error| {
        panic!("{error}: run scripts/install-test-deps.sh (as root) before the tests")
    })
}

/// A WAV's length in seconds and its RMS level (0 to 1).
fn measure(path: &Path) -> (f64, f64) {
    let mut reader = hound::WavReader::open(path).unwrap();
    let spec = reader.spec();
    assert_eq!(spec.sample_format, hound::SampleFormat::Int);
    assert_eq!(spec.bits_per_sample, 16);
    let samples: Vec<f64> = reader
        .samples::<i16>()
        .map(|sample| f64::from(sample.unwrap()) / f64::from(i16::MAX))
        .collect();
    let seconds = samples.len() as f64 / f64::from(spec.sample_rate * u32::from(spec.channels));
    let rms = (samples.iter().map(|s| s * s).sum::<f64>() / samples.len().max(1) as f64).sqrt();
    (seconds, rms)
}

fn synthesize(
    espeak: &Espeak,
    text: &str,
    lang: Lang,
    settings: Settings,
    wav: &Path,
) -> (f64, f64) {
    let utterance = Utterance::new(text, lang);
    let started = Instant::now();
    espeak.synthesize_wav(&utterance, settings, wav).unwrap();
    let took = started.elapsed();
    let (seconds, rms) = measure(wav);
    println!("{lang} {text:?}: {seconds:.2} s of audio, RMS {rms:.3}, written in {took:?}");
    (seconds, rms)
}

#[test]
fn each_language_is_spoken_as_audio_of_a_plausible_length() {
    let espeak = espeak();
    let dir = tempfile::tempdir().unwrap();
    let phrases = [
        ("公告栏 共 5 条", Lang::ZhHans),
        ("公告欄 共 5 條", Lang::ZhHant),
        ("Notices, 5 items", Lang::En),
        ("请连接 Wi-Fi 网络", Lang::ZhHans),
    ];
    for (at, (text, lang)) in phrases.into_iter().enumerate() {
        let wav = dir.path().join(format!("{at}.wav"));
        let (seconds, rms) = synthesize(&espeak, text, lang, Settings::default(), &wav);
        assert!((0.3..5.0).contains(&seconds), "{text}: {seconds} s");
        assert!(rms > 0.02, "{text}: silence (RMS {rms})");
    }
}

#[test]
fn longer_text_is_longer_and_a_faster_rate_shorter() {
    let espeak = espeak();
    let dir = tempfile::tempdir().unwrap();
    let wav = dir.path().join("x.wav");
    let short = "公告栏";
    let long = "广州市政务服务数据管理局关于调整办公时间的公告，请市民朋友留意。";
    let (short_seconds, _) = synthesize(&espeak, short, Lang::ZhHans, Settings::default(), &wav);
    let (long_seconds, _) = synthesize(&espeak, long, Lang::ZhHans, Settings::default(), &wav);
    // Mandarin at espeak-ng's default rate: a few characters a second.
    let per_character = long_seconds / long.chars().count() as f64;
    assert!(
        (0.1..0.6).contains(&per_character),
        "{per_character} s a character"
    );
    assert!(
        long_seconds > 4.0 * short_seconds,
        "{long_seconds} s against {short_seconds} s"
    );
    let fastest = Settings {
        rate: *Settings::RATES.end(),
        ..Settings::default()
    };
    let (fast_seconds, _) = synthesize(&espeak, long, Lang::ZhHans, fastest, &wav);
    assert!(
        fast_seconds < 0.8 * long_seconds,
        "{fast_seconds} s at the fastest rate against {long_seconds} s"
    );
}

#[test]
fn an_empty_utterance_is_refused_before_anything_runs() {
    let espeak = espeak();
    let dir = tempfile::tempdir().unwrap();
    let wav = dir.path().join("empty.wav");
    for shown in ["", " 🔍 ● | ** "] {
        let error = espeak
            .synthesize_wav(
                &Utterance::new(shown, Lang::ZhHans),
                Settings::default(),
                &wav,
            )
            .unwrap_err();
        assert!(matches!(error, SynthesisError::Empty), "{error}");
        assert!(!wav.exists());
    }
}

#[test]
fn a_missing_voice_is_named_with_its_language() {
    let voices = Voices {
        zh_hant: "nosuchvoice".to_owned(),
        ..Voices::default()
    };
    let error = Espeak::find(voices).unwrap_err();
    assert!(
        matches!(&error, Unavailable::NoVoice { lang: Lang::ZhHant, voice, .. } if voice == "nosuchvoice"),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .starts_with("espeak-ng has no usable voice `nosuchvoice` for zh-Hant: "),
        "{error}"
    );
}

#[test]
fn probe_needs_a_playback_device() {
    let has_device = std::fs::read_dir("/dev/snd").is_ok_and(|entries| {
        entries.filter_map(Result::ok).any(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            name.starts_with("pcmC") && name.ends_with('p')
        })
    });
    match probe(&Voices::default()) {
        Ok(_) => assert!(has_device),
        Err(error) => {
            assert!(!has_device, "{error}");
            assert_eq!(error, Unavailable::NoSoundDevice);
            assert_eq!(
                error.to_string(),
                "no sound device: no ALSA playback device in /dev/snd"
            );
        }
    }
}

/// A stand-in for espeak-ng that passes the checks and, asked to speak,
/// logs its pid, arguments and input, then sleeps as its own process.
fn stand_in(dir: &Path) -> PathBuf {
    let program = dir.join("espeak-ng");
    let log = dir.join("log");
    std::fs::write(
        &program,
        format!(
            "#!/bin/sh\ncase \"$1\" in --version|-q) exit 0;; esac\necho \"$$ $* $(cat)\" >> '{}'\nexec sleep 30\n",
            log.display()
        ),
    )
    .unwrap();
    let mut permissions = std::fs::metadata(&program).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o755);
    std::fs::set_permissions(&program, permissions).unwrap();
    program
}

/// The `line`th line of the stand-in's log (pid, then the rest), waited for.
fn logged(dir: &Path, line: usize) -> (u32, String) {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let log = std::fs::read_to_string(dir.join("log")).unwrap_or_default();
        if let Some(text) = log.lines().nth(line) {
            let (pid, rest) = text.split_once(' ').unwrap();
            return (pid.parse().unwrap(), rest.to_owned());
        }
        assert!(
            Instant::now() < deadline,
            "no line {line} in the log: {log:?}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The process's state letter (`S` sleeping, `T` stopped), or `None` once it is gone.
fn state(pid: u32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit_once(')')?.1.trim_start().chars().next()
}

fn wait_for_state(pid: u32, wanted: Option<char>) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while state(pid) != wanted {
        assert!(
            Instant::now() < deadline,
            "process {pid} is {:?}, not {wanted:?}",
            state(pid)
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn speaking_returns_at_once_and_a_new_utterance_or_stop_kills_the_one_speaking() {
    let dir = tempfile::tempdir().unwrap();
    let espeak = Espeak::at(stand_in(dir.path()), Voices::default()).unwrap();
    let speaker = EspeakSpeaker::start(espeak);

    let started = Instant::now();
    speaker.speak(Utterance::new("公告欄 共 5 條", Lang::ZhHant));
    assert!(
        started.elapsed() < Duration::from_millis(50),
        "speak took {:?}",
        started.elapsed()
    );
    let (first, said) = logged(dir.path(), 0);
    assert_eq!(
        said,
        "-m --stdin -v yue -s 175 -a 100 <speak><voice name=\"yue\">公告欄 共 5 條</voice></speak>"
    );
    wait_for_state(first, Some('S'));

    speaker.set_settings(Settings::default().faster().softer());
    speaker.speak(Utterance::new("Notices, 5 items", Lang::En));
    let (second, said) = logged(dir.path(), 1);
    assert_eq!(
        said,
        "-m --stdin -v en -s 200 -a 80 <speak><voice name=\"en\">Notices, 5 items</voice></speak>"
    );
    wait_for_state(first, None);

    speaker.pause();
    wait_for_state(second, Some('T'));
    speaker.resume();
    wait_for_state(second, Some('S'));
    speaker.pause();
    wait_for_state(second, Some('T'));
    speaker.stop();
    wait_for_state(second, None);

    speaker.speak(Utterance::new("按钮 公告栏", Lang::ZhHans));
    let (third, _) = logged(dir.path(), 2);
    wait_for_state(third, Some('S'));
    speaker.speak(Utterance::new("", Lang::ZhHans));
    wait_for_state(third, None);

    speaker.speak(Utterance::new("公告栏", Lang::ZhHans));
    let (fourth, _) = logged(dir.path(), 3);
    wait_for_state(fourth, Some('S'));
    drop(speaker);
    assert_eq!(
        state(fourth),
        None,
        "dropping the speaker ends its espeak-ng"
    );
}

#[test]
fn the_recording_speaker_records_what_it_is_told_with_the_voice() {
    let speaker = RecordingSpeaker::new(Voices::default());
    speaker.speak(Utterance::new("按钮 公告栏", Lang::ZhHans));
    speaker.set_settings(Settings::default().faster());
    speaker.speak(Utterance::new("公告欄 › 共 5 條", Lang::ZhHant));
    speaker.pause();
    speaker.resume();
    speaker.speak(Utterance::new("🔍", Lang::En));
    speaker.speak(Utterance::new("**Notices** | 5 items", Lang::En));
    speaker.stop();
    let faster = Settings::default().faster();
    let spoken = |text: &str, lang, voice: &str, settings| {
        Event::Spoke(Spoken {
            text: text.to_owned(),
            lang,
            voice: voice.to_owned(),
            settings,
        })
    };
    assert_eq!(
        speaker.events(),
        [
            spoken(
                "按钮 公告栏",
                Lang::ZhHans,
                "cmn-latn-pinyin",
                Settings::default()
            ),
            spoken("公告欄，共 5 條", Lang::ZhHant, "yue", faster),
            Event::Paused,
            Event::Resumed,
            Event::Stopped,
            spoken("Notices, 5 items", Lang::En, "en", faster),
            Event::Stopped,
        ]
    );
    assert_eq!(speaker.spoken().len(), 3);
    assert_eq!(speaker.settings(), faster);
}
