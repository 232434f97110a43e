//! Fuzzing the parsers that take outside input, with arbtest (stable Rust):
//! authoring files, `kiosk.toml`, catalog JSON (whole and sharded), fleet
//! command and status payloads, and the admin endpoint's request handling
//! over a real socket. Inputs are real files mutated at random (byte flips,
//! cuts, copies, and tokens the grammars care about), which reaches deeper
//! than random bytes. Nothing may panic; each parser's own promise is
//! checked too (errors name a place, no sync without the token).
//!
//! CI runs each target for a few seconds; a longer run by hand:
//! `ARBTEST_BUDGET_MS=600000 cargo test --release --test fuzz -- --nocapture`
//! (a failure prints its seed; `ARBTEST_SEED=0x… cargo test --test fuzz
//! <target>` replays it).

mod support;

use std::path::Path;
use std::time::Duration;

use arbtest::arbitrary::{self, Unstructured};

/// Each target's time: `ARBTEST_BUDGET_MS`, or 3 s.
fn budget() -> Duration {
    std::env::var("ARBTEST_BUDGET_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
        .map_or(Duration::from_secs(3), Duration::from_millis)
}

/// Fragments the input grammars give meaning to.
const TOKENS: &[&str] = &[
    "\n",
    "\r\n",
    "\"",
    "'",
    "\"\"\"",
    "=",
    "[",
    "]",
    "[[",
    "]]",
    "{",
    "}",
    ",",
    ":",
    "+++",
    "#",
    "\\",
    "\\u",
    "```",
    "```table",
    "![x](",
    "](qr:",
    "](assets/",
    ")",
    "|",
    "*",
    "**",
    "<b>",
    "\0",
    "\u{FEFF}",
    "\u{3000}",
    "关(guān)",
    "1e999",
    "-1",
    "18446744073709551616",
    "null",
    "true",
    "2025-02-30",
    "T25:00:00",
    "+08:00",
    "..",
    "/",
    "%00",
    "\u{10FFFF}",
];

/// `seed` changed by a handful of random edits.
fn mutate(u: &mut Unstructured<'_>, seed: &[u8]) -> arbitrary::Result<Vec<u8>> {
    let mut bytes = seed.to_vec();
    for _ in 0..u.int_in_range(1..=8)? {
        let at = if bytes.is_empty() {
            0
        } else {
            u.choose_index(bytes.len() + 1)?
        };
        match u.int_in_range(0..=5)? {
            0 if at < bytes.len() => bytes[at] ^= 1 << u.int_in_range(0..=7)?,
            1 => {
                let token = u.choose(TOKENS)?;
                bytes.splice(at..at, token.bytes());
            }
            2 => {
                let end = (at + u.int_in_range(1..=64)?).min(bytes.len());
                bytes.drain(at..end);
            }
            3 if at < bytes.len() => {
                let end = (at + u.int_in_range(1..=256)?).min(bytes.len());
                let copy = bytes[at..end].to_vec();
                let to = u.choose_index(bytes.len() + 1)?;
                bytes.splice(to..to, copy);
            }
            4 => {
                let random: Vec<u8> = (0..u.int_in_range(1..=16)?)
                    .map(|_| u.arbitrary())
                    .collect::<arbitrary::Result<_>>()?;
                bytes.splice(at..at, random);
            }
            _ => bytes.truncate(at),
        }
    }
    Ok(bytes)
}

fn run(name: &str, mut property: impl FnMut(&mut Unstructured<'_>) -> arbitrary::Result<()>) {
    let mut runs = 0u64;
    arbtest::arbtest(|u| {
        runs += 1;
        property(u)
    })
    .size_max(1 << 16)
    .budget(budget());
    println!("fuzz {name}: {runs} inputs");
}

fn demo(path: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

#[test]
fn kiosk_toml() {
    let seeds = [
        demo("kiosk-config/kiosk.toml"),
        b"kiosk_id = \"hall-1\"\n[idle]\ntimeout_seconds = 90\n[repository]\nurl = \"https://r/\"\nroot = \"/r.json\"\n[admin_endpoint]\nbind = \"0.0.0.0:8470\"\ntoken_sha256 = \"0000000000000000000000000000000000000000000000000000000000000000\"\n[fleet]\nbroker = \"mqtts://b:8883\"\nusername = \"hall-1\"\npassword_file = \"/p\"\n".to_vec(),
    ];
    run("kiosk.toml", |u| {
        let seed = u.choose(&seeds)?;
        let text = mutate(u, seed)?;
        if let Ok(text) = std::str::from_utf8(&text)
            && let Err(error) = lobby_kiosk::config::Config::parse(text, Path::new("kiosk.toml"))
        {
            let message = error.to_string();
            assert!(
                message.starts_with("invalid config kiosk.toml:"),
                "{message}"
            );
            let line: usize = message["invalid config kiosk.toml:".len()..]
                .split(':')
                .next()
                .and_then(|line| line.parse().ok())
                .expect("a line number");
            assert!(line >= 1 && line <= text.lines().count() + 1, "{message}");
        }
        Ok(())
    });
}

#[test]
fn catalog_json() {
    let whole = demo("content/demo.catalog.json");
    let catalog = lobby_kiosk::content::Catalog::from_json(&whole).unwrap();
    let shards = lobby_kiosk::repo::layout::split(&catalog);
    let shards: Vec<(String, Vec<u8>)> = shards
        .into_iter()
        .filter(|(name, _)| name.starts_with(lobby_kiosk::repo::layout::CATALOG_PREFIX))
        .collect();
    run("catalog JSON", |u| {
        if u.arbitrary()? {
            let bytes = mutate(u, &whole)?;
            let _ = lobby_kiosk::content::Catalog::from_json(&bytes);
        } else {
            let mut targets: std::collections::BTreeMap<String, Vec<u8>> =
                shards.iter().cloned().collect();
            let (name, shard) = u.choose(&shards)?;
            targets.insert(name.clone(), mutate(u, shard)?);
            let _ = lobby_kiosk::repo::layout::join(&targets);
        }
        Ok(())
    });
}

#[test]
fn fleet_payloads() {
    use lobby_kiosk::admin::fleet::Statuses;
    use lobby_kiosk::fleet::{Command, Topics};
    use lobby_kiosk::kiosk::status::StatusReport;
    let topics = Topics::new("lobby");
    let status = StatusReport::gone("hall-1").to_json();
    run("fleet payloads", |u| {
        let command = mutate(u, b"sync")?;
        let parsed = Command::parse(&command);
        if parsed.is_some() {
            assert!(command.len() <= 64);
        }
        let payload = mutate(u, &status)?;
        let topic = String::from_utf8_lossy(&mutate(u, b"lobby/hall-1/status")?).into_owned();
        let mut statuses = Statuses::default();
        statuses.collect(&topics, &topic, &payload);
        assert_eq!(statuses.reports.len() + statuses.skipped.len(), 1);
        for (id, report) in &statuses.reports {
            assert_eq!(&report.kiosk_id, id);
            assert_eq!(topics.kiosk_of_status(&topic), Some(id.as_str()));
        }
        Ok(())
    });
}

/// A small content folder: the demo's site, one notice with a table and a
/// picture, one guide, the FAQ, the venues and their map.
fn small_folder(root: &Path) {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/demo");
    for file in [
        "site.toml",
        "faq.toml",
        "venues.toml",
        "channels.toml",
        "assets/maps/tianhe-sports-centre.png",
        "notices/gzma-2024-race.md",
        "guides/athlete-grade-award.toml",
    ] {
        let to = root.join(file);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(demo.join(file), to).unwrap();
    }
}

#[test]
fn authoring_files() {
    let dir = tempfile::tempdir().unwrap();
    small_folder(dir.path());
    let files = [
        "site.toml",
        "faq.toml",
        "venues.toml",
        "notices/gzma-2024-race.md",
        "guides/athlete-grade-award.toml",
    ];
    let originals: Vec<Vec<u8>> = files
        .iter()
        .map(|file| std::fs::read(dir.path().join(file)).unwrap())
        .collect();
    let now = chrono::Utc::now();
    run("authoring files", |u| {
        let index = u.choose_index(files.len())?;
        let path = dir.path().join(files[index]);
        let mutated = mutate(u, &originals[index])?;
        std::fs::write(&path, &mutated).unwrap();
        let diagnostics = lobby_kiosk::content::authoring::validate_folder(dir.path(), now);
        std::fs::write(&path, &originals[index]).unwrap();
        for diagnostic in diagnostics.sorted() {
            assert!(
                diagnostic.line >= 1 && diagnostic.column >= 1,
                "{diagnostic}"
            );
            if diagnostic.file == files[index] {
                let lines = String::from_utf8_lossy(&mutated).lines().count();
                assert!(
                    diagnostic.line <= lines + 1,
                    "{diagnostic} in a file of {lines} lines"
                );
            }
        }
        Ok(())
    });
}

#[test]
fn endpoint_requests() {
    use std::io::{Read, Write};
    use support::sync_counter::SyncCounter;
    const TOKEN: &str = "fuzz-token";
    let syncs = SyncCounter::shared();
    let config = lobby_kiosk::config::AdminEndpointConfig {
        bind: "127.0.0.1:0".parse().unwrap(),
        token_sha256: lobby_kiosk::secret::hash_secret(TOKEN),
        requests_per_minute: 100_000,
        burst: 100_000,
    };
    let endpoint = lobby_kiosk::kiosk::endpoint::Endpoint::start(
        &config,
        "hall-fuzz",
        lobby_kiosk::kiosk::status::StatusHandle::default(),
        syncs.clone(),
    )
    .unwrap();
    let address = endpoint.local_addr();
    let seeds: Vec<Vec<u8>> = [
        format!("POST /sync HTTP/1.1\r\nHost: k\r\nAuthorization: Bearer {TOKEN}\r\nContent-Length: 5\r\n\r\nhello"),
        format!("GET /status HTTP/1.1\r\nHost: k\r\nAuthorization: Bearer {TOKEN}\r\n\r\n"),
        "POST /sync HTTP/1.1\r\nHost: k\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n".to_owned(),
    ]
    .map(String::into_bytes)
    .to_vec();
    run("endpoint requests", |u| {
        let seed = u.choose(&seeds)?;
        let request = mutate(u, seed)?;
        let before = syncs.count();
        let mut stream = std::net::TcpStream::connect(address).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(2)))
            .unwrap();
        let _ = stream.write_all(&request);
        let _ = stream.shutdown(std::net::Shutdown::Write);
        let mut reply = Vec::new();
        let _ = stream.take(64 * 1024).read_to_end(&mut reply);
        let has_token = request.windows(TOKEN.len()).any(|w| w == TOKEN.as_bytes());
        if !has_token {
            assert_eq!(
                syncs.count(),
                before,
                "a sync without the token: {request:?}"
            );
        }
        Ok(())
    });
    // Still serving.
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    write!(stream, "GET /status HTTP/1.1\r\nHost: k\r\nAuthorization: Bearer {TOKEN}\r\nConnection: close\r\n\r\n").unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
}
