//! The admin console's preview (issue 18): an item of an authoring folder,
//! rendered headless by the real kiosk UI in the view asked for; an edit
//! shows in the next preview; a missing item is an error naming it.

use std::path::Path;
use std::time::Instant;

use lobby_kiosk::config::Config;
use lobby_kiosk::content::{Lang, LoadedContent, folder};
use lobby_kiosk::emulator::Framebuffer;
use lobby_kiosk::emulator::preview::{PreviewError, PreviewRenderer, View};

const NOTICE: &str = "tianhe-gym-closure";

fn demo_folder() -> LoadedContent {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/demo");
    folder::load(&dir, chrono::Utc::now()).unwrap().0
}

fn decode(png: &[u8]) -> Framebuffer {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("preview.png");
    std::fs::write(&path, png).unwrap();
    Framebuffer::load_png(&path).unwrap()
}

/// Share of pixels that differ.
fn difference(a: &[u8], b: &[u8]) -> f64 {
    decode(a).difference(&decode(b), 24)
}

#[test]
fn an_item_is_previewed_in_the_view_asked_for_and_an_edit_shows() {
    let renderer = PreviewRenderer::start(Config::demo());
    let portrait = View::default();

    let started = Instant::now();
    let home = renderer.render(demo_folder(), None, portrait).unwrap();
    println!(
        "preview: first (starts the kiosk UI) {:.0} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
    let shown = decode(&home);
    assert_eq!((shown.width(), shown.height()), (1080, 1920));

    let started = Instant::now();
    let notice = renderer
        .render(demo_folder(), Some(NOTICE.into()), portrait)
        .unwrap();
    println!(
        "preview: a notice, content swapped {:.0} ms (budget: a change shown within 1000 ms)",
        started.elapsed().as_secs_f64() * 1000.0
    );
    assert!(difference(&home, &notice) > 0.05, "the notice is not Home");

    // The same notice with a changed title: the preview changes.
    let mut edited = demo_folder();
    let entry = edited
        .catalog
        .notices
        .iter_mut()
        .find(|n| n.id == NOTICE)
        .unwrap();
    entry.meta.title = lobby_kiosk::content::Text::from("体育馆今天照常开放，欢迎前来锻炼");
    let after = renderer
        .render(edited, Some(NOTICE.into()), portrait)
        .unwrap();
    let changed = difference(&notice, &after);
    assert!(changed > 0.001, "the edited title shows: {changed}");

    // English, large text, high contrast, landscape.
    let wide = View {
        lang: Lang::En,
        text_scale: 1.5,
        high_contrast: true,
        landscape: true,
    };
    let started = Instant::now();
    let english = renderer
        .render(demo_folder(), Some(NOTICE.into()), wide)
        .unwrap();
    println!(
        "preview: landscape (a new kiosk UI) {:.0} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
    let shown = decode(&english);
    assert_eq!((shown.width(), shown.height()), (1920, 1080));
    let plain = renderer
        .render(
            demo_folder(),
            Some(NOTICE.into()),
            View {
                high_contrast: false,
                ..wide
            },
        )
        .unwrap();
    assert!(difference(&english, &plain) > 0.05, "high contrast shows");

    let missing = renderer.render(demo_folder(), Some("no-such-notice".into()), portrait);
    assert!(
        matches!(&missing, Err(PreviewError::NoSuchItem(id)) if id == "no-such-notice"),
        "{missing:?}"
    );
    // The renderer still works after the refusal.
    assert!(renderer.render(demo_folder(), None, portrait).is_ok());
}
