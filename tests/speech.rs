//! The speech engine with the real espeak-ng (installed by
//! `scripts/install-test-deps.sh`): real audio for each language, checked
//! as speech of a plausible length; the worker's interrupting, pausing and
//! stopping, watched through a stand-in program; the recording speaker; and
//! speech mode in the emulated kiosk (what a visitor hears on a walk in each
//! language, explore by touch, reading a page, the idle reset).

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

/// Waits until `speaker` says it is (or is not) speaking.
fn wait_for_speaking(speaker: &EspeakSpeaker, wanted: bool) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while speaker.is_speaking() != wanted {
        assert!(Instant::now() < deadline, "is_speaking stays {}", !wanted);
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
    wait_for_speaking(&speaker, true);

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
    wait_for_speaking(&speaker, false);
    speaker.resume();
    wait_for_state(second, Some('S'));
    wait_for_speaking(&speaker, true);
    speaker.pause();
    wait_for_state(second, Some('T'));
    speaker.stop();
    wait_for_state(second, None);
    wait_for_speaking(&speaker, false);

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

    assert!(!speaker.is_speaking(), "stopped");
    speaker.speak(Utterance::new("公告栏", Lang::ZhHans));
    assert!(speaker.is_speaking());
    speaker.finish();
    assert!(!speaker.is_speaking(), "finished");
    assert_eq!(speaker.events().last(), Some(&Event::Finished));
}

// Speech mode in the real kiosk UI (the emulator records what would be
// spoken): every touch goes through the emulator's touch injection.

mod speech_mode {
    use std::time::Duration;

    use lobby_kiosk::config::{Config, DEMO_PIN};
    use lobby_kiosk::content::{Lang, demo};
    use lobby_kiosk::emulator::{Emulator, default_start};
    use lobby_kiosk::speech::{Event, Spoken, Unavailable};
    use lobby_kiosk::ui::Speech;
    use lobby_kiosk::ui::navigation::Screen;
    use slint::ComponentHandle;

    fn start() -> Emulator {
        Emulator::new(
            1080,
            1920,
            lobby_kiosk::kiosk::startup::Startup::demo(),
            &Config::demo(),
            default_start(),
        )
        .expect("the emulator starts")
    }

    fn active(emulator: &Emulator) -> bool {
        emulator.ui().global::<Speech>().get_active()
    }

    fn centre_of(emulator: &Emulator, label: &str) -> (f32, f32) {
        match emulator.find(label) {
            Some(element) => element.centre(),
            None => {
                let labels = emulator.labels();
                panic!("no `{label}` on screen; labels: {labels:?}")
            }
        }
    }

    /// Longer than a double tap's gap: the next tap is a new one.
    fn pause(emulator: &mut Emulator) {
        emulator.advance(Duration::from_millis(600));
    }

    /// What was spoken last.
    fn last(emulator: &Emulator) -> Spoken {
        emulator.spoken().pop().expect("something has been spoken")
    }

    /// One tap on `label` in speech mode: what it said.
    fn touch(emulator: &mut Emulator, label: &str) -> Spoken {
        pause(emulator);
        let (x, y) = centre_of(emulator, label);
        let before = emulator.spoken().len();
        emulator.tap(x, y);
        let spoken = emulator.spoken();
        assert_eq!(
            spoken.len(),
            before + 1,
            "one tap on `{label}` says one thing"
        );
        last(emulator)
    }

    /// Switches speech mode on with the speaker button.
    fn switch_on(emulator: &mut Emulator) {
        let (x, y) = centre_of(emulator, "语音朗读");
        emulator.tap(x, y);
    }

    /// A double tap on `label` in speech mode (the first tap speaks it, the
    /// second presses it): what was said after the press.
    fn open(emulator: &mut Emulator, label: &str) -> Spoken {
        pause(emulator);
        let (x, y) = centre_of(emulator, label);
        emulator.tap(x, y);
        let before = emulator.spoken().len();
        emulator.tap(x, y);
        assert!(
            emulator.spoken().len() > before,
            "pressing `{label}` says where the visitor is"
        );
        last(emulator)
    }

    /// Nothing markup, debris or ids: what a listener would hear as noise.
    fn assert_clean(spoken: &[Spoken]) {
        for utterance in spoken {
            let text = &utterance.text;
            assert!(!text.trim().is_empty(), "an empty utterance: {utterance:?}");
            for debris in [
                "<", ">", "*", "|", "#", "_", "`", "{", "}", "\\", "open:", "://",
            ] {
                assert!(!text.contains(debris), "`{debris}` spoken in {text:?}");
            }
            assert!(
                !text
                    .chars()
                    .any(|c| ('\u{1F300}'..='\u{1FAFF}').contains(&c)),
                "a pictograph spoken in {text:?}"
            );
        }
    }

    struct Walk {
        lang: Lang,
        language_button: &'static str,
        speech_button: &'static str,
        guides: &'static str,
        back: &'static str,
        button: &'static str,
        voice: &'static str,
    }

    const WALKS: [Walk; 3] = [
        Walk {
            lang: Lang::ZhHans,
            language_button: "简体中文",
            speech_button: "语音朗读",
            guides: "办事指南",
            back: "返回",
            button: "按钮 ",
            voice: "cmn-latn-pinyin",
        },
        Walk {
            lang: Lang::ZhHant,
            language_button: "繁體中文",
            speech_button: "語音朗讀",
            guides: "辦事指南",
            back: "返回",
            button: "按鈕 ",
            voice: "yue",
        },
        Walk {
            lang: Lang::En,
            language_button: "English",
            speech_button: "Read aloud",
            guides: "Service guides",
            back: "Back",
            button: "Button, ",
            voice: "en",
        },
    ];

    #[test]
    fn a_walk_home_to_a_guide_and_back_is_spoken_in_each_language() {
        let catalog = demo::catalog();
        for walk in WALKS {
            let mut emulator = start();
            let (x, y) = centre_of(&emulator, walk.language_button);
            emulator.tap(x, y);
            let (x, y) = centre_of(&emulator, walk.speech_button);
            emulator.tap(x, y);
            assert!(
                active(&emulator),
                "{:?}: the speaker button turns speech on",
                walk.lang
            );
            let greeting = last(&emulator);
            assert_eq!(
                (greeting.lang, greeting.voice.as_str()),
                (walk.lang, walk.voice)
            );
            let site = catalog.site.name.text(walk.lang);
            assert!(
                greeting.text.contains(site),
                "{:?}: the greeting names the page: {:?}",
                walk.lang,
                greeting.text
            );

            let tile = touch(&mut emulator, walk.guides);
            assert!(
                tile.text
                    .starts_with(&format!("{}{}", walk.button, walk.guides)),
                "{:?}: a tap says the role and label: {:?}",
                walk.lang,
                tile.text
            );
            assert_eq!(
                emulator.app().screen(),
                Screen::Home,
                "one tap does not press"
            );

            let list = open(&mut emulator, walk.guides);
            assert!(matches!(emulator.app().screen(), Screen::List { .. }));
            let guides = catalog.guides.len();
            assert!(
                list.text.contains(&guides.to_string()),
                "{:?}: the list says how many it holds ({guides}): {:?}",
                walk.lang,
                list.text
            );

            let title = catalog.guides[0].meta.title.text(walk.lang).to_owned();
            let guide = open(&mut emulator, &title);
            assert!(matches!(emulator.app().screen(), Screen::Guide(_)));
            let materials = catalog.guides[0].meta.materials.len();
            assert!(
                guide.text.starts_with(&title) && guide.text.contains(&materials.to_string()),
                "{:?}: the guide says its title and what it holds: {:?}",
                walk.lang,
                guide.text
            );

            let back = open(&mut emulator, walk.back);
            assert!(matches!(emulator.app().screen(), Screen::List { .. }));
            assert_eq!(
                back.text, list.text,
                "{:?}: back announces the list again",
                walk.lang
            );

            let spoken = emulator.spoken();
            assert_clean(&spoken);
            for utterance in &spoken {
                // Content with no text in this language is read in Chinese.
                if utterance.lang != walk.lang {
                    assert_eq!((walk.lang, utterance.lang), (Lang::En, Lang::ZhHans));
                }
            }
        }
    }

    #[test]
    fn a_swipe_moves_to_the_next_element_and_back() {
        let mut emulator = start();
        switch_on(&mut emulator);
        let first = touch(&mut emulator, "公告栏");
        emulator.swipe((300.0, 900.0), (700.0, 900.0), Duration::from_millis(200));
        let next = last(&emulator);
        assert_ne!(
            next.text, first.text,
            "a swipe right speaks the next element"
        );
        emulator.swipe((700.0, 900.0), (300.0, 900.0), Duration::from_millis(200));
        assert_eq!(last(&emulator).text, first.text, "a swipe left goes back");
        assert_eq!(
            emulator.app().screen(),
            Screen::Home,
            "swipes press nothing"
        );
    }

    #[test]
    fn a_guide_is_read_from_the_start_and_from_the_touched_text() {
        let mut emulator = start();
        switch_on(&mut emulator);
        open(&mut emulator, "办事指南");
        let guide = &demo::catalog().guides[0];
        let title = guide.meta.title.text(Lang::ZhHans).to_owned();
        open(&mut emulator, &title);
        let read = open(&mut emulator, "朗读本页");
        // The whole guide, not only what the screen shows: its last step
        // and its legal basis lie far below the first screenful.
        let last_step = guide
            .meta
            .steps
            .last()
            .map(|step| step.title.text(Lang::ZhHans));
        assert!(
            read.text.starts_with(&title)
                && last_step.is_some_and(|step| read.text.contains(step))
                && read.text.contains("办理依据"),
            "the page is read from its start to its end: {:?}",
            read.text
        );
        // A double tap on a text reads on from the line that holds it to
        // the end of the page.
        let text = emulator
            .elements()
            .into_iter()
            .filter(|e| !e.is_clickable() && !e.label.is_empty() && e.y > 400.0)
            .nth(2)
            .expect("a text on the guide");
        let from = open(&mut emulator, &text.label);
        assert!(
            from.text.contains(&text.label)
                && from.text.len() < read.text.len()
                && read.text.ends_with(&from.text),
            "reading on from {:?}: {:?}",
            text.label,
            from.text
        );
        assert_clean(&emulator.spoken());
    }

    #[test]
    fn a_list_is_read_to_its_last_row_not_only_the_first_screenful() {
        let mut emulator = start();
        switch_on(&mut emulator);
        open(&mut emulator, "办事指南");
        let read = open(&mut emulator, "朗读本页");
        let guides = demo::catalog().guides;
        let unread: Vec<&str> = guides
            .iter()
            .map(|guide| guide.meta.title.text(Lang::ZhHans))
            .filter(|title| !read.text.contains(title))
            .collect();
        assert!(
            read.text.starts_with("办事指南")
                && unread.is_empty()
                && read.text.contains(&format!("{}。", guides.len()))
                && !read.text.contains("下方还有内容"),
            "every guide is read, numbered (unread: {unread:?}): {:?}",
            read.text
        );
        assert_clean(&emulator.spoken());
    }

    #[test]
    fn holding_the_bottom_edge_three_seconds_switches_speech_on_and_off() {
        let mut emulator = start();
        let (_, height) = emulator.size();
        let edge = height as f32 - 10.0;
        emulator.long_press(540.0, edge, Duration::from_millis(1500));
        assert!(!active(&emulator), "a short hold does nothing");
        emulator.long_press(540.0, edge, Duration::from_millis(3200));
        assert!(active(&emulator), "a three-second hold switches speech on");
        assert!(last(&emulator).text.contains("语音朗读已开启"));
        emulator.long_press(540.0, edge, Duration::from_millis(3200));
        assert!(!active(&emulator), "the same hold switches it off");
        assert_eq!(last(&emulator).text, "语音朗读已关闭");
    }

    #[test]
    fn the_idle_countdown_is_spoken_and_the_idle_reset_leaves_speech_mode() {
        let mut emulator = start();
        switch_on(&mut emulator);
        open(&mut emulator, "办事指南");
        assert!(emulator.app().settings().speech);
        emulator.finish_speaking();
        let idle = Config::demo().idle;
        emulator.advance(Duration::from_secs(u64::from(idle.timeout_seconds) + 1));
        let warning = last(&emulator);
        assert!(
            warning.text.starts_with("还在使用吗") && warning.text.contains("秒"),
            "the countdown is announced: {:?}",
            warning.text
        );
        emulator.finish_speaking();
        emulator.advance(Duration::from_secs(u64::from(idle.countdown_seconds) + 2));
        assert!(!active(&emulator), "the next visitor starts without speech");
        assert!(!emulator.app().settings().speech);
        assert_eq!(emulator.app().screen(), Screen::Home);
        assert_eq!(
            emulator.speech_events().last(),
            Some(&Event::Stopped),
            "speech stops and nothing more is said"
        );
    }

    #[test]
    fn a_page_being_read_holds_the_idle_reset_until_it_ends() {
        let mut emulator = start();
        switch_on(&mut emulator);
        open(&mut emulator, "办事指南");
        let title = demo::catalog().guides[0]
            .meta
            .title
            .text(Lang::ZhHans)
            .to_owned();
        open(&mut emulator, &title);
        open(&mut emulator, "朗读本页");
        let idle = Config::demo().idle;
        let long_wait = idle.reading_seconds + idle.countdown_seconds + 30;
        emulator.advance(Duration::from_secs(u64::from(long_wait)));
        assert!(
            active(&emulator) && matches!(emulator.app().screen(), Screen::Guide(_)),
            "a visitor listening to the guide for {long_wait} s keeps it"
        );
        emulator.finish_speaking();
        emulator.advance(Duration::from_secs(u64::from(long_wait)));
        assert_eq!(
            emulator.app().screen(),
            Screen::Home,
            "then the idle reset comes"
        );
    }

    #[test]
    fn without_a_sound_device_the_button_is_dimmed_and_the_admin_panel_says_why() {
        let mut emulator = start();
        emulator.lose_speech(Unavailable::NoSoundDevice);
        switch_on(&mut emulator);
        assert!(!active(&emulator), "no speech mode without a sound device");
        assert!(emulator.spoken().is_empty());
        let status = emulator.app().status();
        assert!(
            status.speech_unavailable.contains("no sound device"),
            "the status says why: {:?}",
            status.speech_unavailable
        );
        // The admin panel (hidden hold on the department's name, then the PIN).
        let (x, y) = centre_of(&emulator, "广州市体育局");
        emulator.long_press(x, y, Duration::from_millis(3200));
        for key in DEMO_PIN
            .chars()
            .map(String::from)
            .chain(["确认".to_owned()])
        {
            let (x, y) = centre_of(&emulator, &key);
            emulator.tap(x, y);
        }
        assert_eq!(emulator.app().screen(), Screen::Admin);
        let line = emulator
            .elements()
            .into_iter()
            .map(|e| e.label)
            .find(|label| label.contains("no sound device"));
        assert!(
            line.as_ref().is_some_and(|l| l.contains("no sound device")),
            "the admin panel says why speech is unavailable: {line:?}"
        );
    }
}
