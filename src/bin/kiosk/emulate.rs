//! `kiosk emulate`: the kiosk headless in the emulator, writing screenshots
//! of a script's steps or of a tour of every screen with the layout check.
//! Built with the `emulator` feature only (the board build leaves it out).

use std::path::{Path, PathBuf};

use anyhow::Context;
use slint::ComponentHandle;

use lobby_kiosk::config::Config;
use lobby_kiosk::content::{Lang, folder};
use lobby_kiosk::emulator::{self, Emulator, script, tour};
use lobby_kiosk::kiosk::startup;
use lobby_kiosk::kiosk::status::{ContentStatus, StatusHandle};
use lobby_kiosk::ui::AppState;

/// Run the kiosk headless and write PNGs: what the configured kiosk shows
/// (its store, or the demo without a repository), or an authoring folder
/// with --content (nothing is published).
#[derive(clap::Args)]
pub struct EmulateArgs {
    /// The script (tap / long-press / swipe / wait / shot lines); without
    /// one, every screen is visited (the top and the end of each is
    /// written) and layout problems are reported.
    script: Option<PathBuf>,
    /// Show this authoring folder (the one holding site.toml) instead.
    #[arg(long)]
    content: Option<PathBuf>,
    /// Folder for the screenshots.
    #[arg(long, default_value = "screenshots")]
    out: PathBuf,
    /// Language: zh-Hans, zh-Hant or en.
    #[arg(long, default_value = "zh-Hans", value_parser = parse_lang)]
    lang: Lang,
    /// Text size in percent: 100, 125 or 150.
    #[arg(long, default_value_t = 100, value_parser = parse_text_size)]
    text_size: u32,
    /// Screen width in pixels.
    #[arg(long, default_value_t = 1080)]
    width: u32,
    /// Screen height in pixels.
    #[arg(long, default_value_t = 1920)]
    height: u32,
    /// Draw touch points into the screenshots.
    #[arg(long)]
    show_touches: bool,
}

/// Runs `kiosk emulate` with the kiosk's `config`.
pub fn run(args: EmulateArgs, config: &Config) -> anyhow::Result<()> {
    let EmulateArgs {
        script,
        content,
        out,
        lang,
        text_size,
        width,
        height,
        show_touches,
    } = args;
    let steps = script.as_deref().map(read_script).transpose()?;
    let startup = match &content {
        Some(dir) => authoring_folder(dir)?,
        None => startup::stored(config)?,
    };
    let Some(shown) = startup.content.as_ref().map(|c| c.catalog.clone()) else {
        anyhow::bail!(
            "nothing to show yet: the store of the configured kiosk holds no content \
             (sync first: `kiosk --config FILE sync`), or give an authoring folder with --content"
        );
    };
    std::fs::create_dir_all(&out).with_context(|| format!("cannot create {}", out.display()))?;
    let start = emulator::default_start();
    let mut emulator = Emulator::new(width, height, startup, config, start)?;
    emulator.show_touches(show_touches);
    let state = emulator.ui().global::<AppState>();
    state.invoke_set_language(lang.index() as i32);
    state.invoke_set_text_scale(text_size as f32 / 100.0);
    match (script, steps) {
        (Some(path), Some(steps)) => {
            let written = script::run(&mut emulator, &steps, &out)
                .map_err(|e| anyhow::anyhow!("{}:{e}", path.display()))?;
            for file in written {
                println!("{}", file.display());
            }
        }
        _ => {
            let report = tour::run(&mut emulator, &shown, start, Some(&out))?;
            for problem in &report.problems {
                eprintln!("layout: {problem}");
            }
            println!(
                "{} screens, {} links followed, {} layout problem(s); {} screenshots in {}",
                report.screens,
                report.links,
                report.problems.len(),
                report.shots.len(),
                out.display()
            );
        }
    }
    Ok(())
}

fn parse_lang(tag: &str) -> Result<Lang, String> {
    Lang::from_tag(tag).ok_or_else(|| format!("`{tag}` is not zh-Hans, zh-Hant or en"))
}

fn parse_text_size(text: &str) -> Result<u32, String> {
    match text.trim_end_matches('%') {
        "100" => Ok(100),
        "125" => Ok(125),
        "150" => Ok(150),
        _ => Err(format!("`{text}` is not 100, 125 or 150")),
    }
}

fn read_script(path: &Path) -> anyhow::Result<Vec<(usize, script::Step)>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read script {}", path.display()))?;
    script::parse(&text).map_err(|errors| {
        let lines: Vec<String> = errors
            .iter()
            .map(|e| format!("{}:{e}", path.display()))
            .collect();
        anyhow::anyhow!("invalid script:\n{}", lines.join("\n"))
    })
}

/// An authoring folder compiled in memory; its warnings are printed.
fn authoring_folder(dir: &Path) -> anyhow::Result<startup::Startup> {
    let (content, warnings) = folder::load(dir, chrono::Utc::now()).map_err(|invalid| {
        anyhow::anyhow!(
            "{}{} error(s) in {}: nothing to show",
            invalid.diagnostics,
            invalid.diagnostics.errors().count(),
            dir.display()
        )
    })?;
    eprint!("{warnings}");
    Ok(startup::Startup {
        content: Some(content),
        status: StatusHandle::new(ContentStatus {
            source: dir.display().to_string(),
            version: "preview".into(),
            ..ContentStatus::default()
        }),
        sync: None,
    })
}
