//! Crash safety of the store, by SIGKILL: the `store-stress` tool commits a
//! large generation (then collects garbage) and is killed at 200 random
//! moments spread over its writes, the switch and the garbage collection.
//! After every kill the store opens with exactly the old or the new
//! generation, complete and hash-valid, with the one before it intact as
//! the previous generation.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use lobby_kiosk::store::{FileRef, Store};

/// Content of each round: the files' count and total size. Every round
/// changes a third of them.
const CONTENT: [&str; 4] = ["--files", "1000", "--bytes", "30000000"];
const KILLS: usize = 200;
/// What the store logs right after the switch, before collecting garbage.
const SWITCHED: &str = "switched to the new generation";

/// A round's generation, as the tool computes it.
#[derive(serde::Deserialize)]
struct Expected {
    version: String,
    files: BTreeMap<String, FileRef>,
}

/// Rounds' expected generations, computed once each.
#[derive(Default)]
struct Rounds(HashMap<u64, Expected>);

impl Rounds {
    fn get(&mut self, round: u64) -> &Expected {
        self.0.entry(round).or_insert_with(|| {
            let output = tool()
                .args(["manifest", "--round", &round.to_string()])
                .args(CONTENT)
                .output()
                .unwrap();
            assert!(output.status.success(), "{output:?}");
            serde_json::from_slice(&output.stdout).unwrap()
        })
    }
}

fn tool() -> Command {
    Command::new(env!("CARGO_BIN_EXE_store-stress"))
}

/// A commit by the tool, started and past opening the store.
struct Run {
    child: Child,
    lines: std::io::Lines<BufReader<std::process::ChildStdout>>,
    opened: Instant,
}

impl Run {
    fn start(dir: &Path, round: u64) -> Run {
        let mut child = tool()
            .arg("commit")
            .arg(dir)
            .args(["--round", &round.to_string()])
            .args(CONTENT)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        for line in lines.by_ref() {
            if line.unwrap() == "opened" {
                return Run {
                    child,
                    lines,
                    opened: Instant::now(),
                };
            }
        }
        panic!(
            "store-stress exited before opening the store: {:?}",
            child.wait()
        );
    }

    /// Reads the tool's output up to a line containing `text`; returns
    /// when it came, counted from the opening.
    fn wait_for(&mut self, text: &str) -> Duration {
        for line in self.lines.by_ref() {
            if line.unwrap().contains(text) {
                return self.opened.elapsed();
            }
        }
        panic!("store-stress ended without logging `{text}`");
    }

    /// Lets the run finish; returns when it switched and when it was done,
    /// counted from the opening.
    fn finish(mut self) -> (Duration, Duration) {
        let switched = self.wait_for(SWITCHED);
        self.lines.by_ref().for_each(drop);
        let status = self.child.wait().unwrap();
        assert!(status.success(), "store-stress failed: {status}");
        (switched, self.opened.elapsed())
    }

    fn kill_after(mut self, delay: Duration) {
        std::thread::sleep(delay);
        let _ = self.child.kill(); // SIGKILL; fails only if it already exited
        self.child.wait().unwrap();
    }
}

/// A small seeded generator for the kill delays (xorshift64*).
struct Random(u64);

impl Random {
    fn fraction(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Hashes every blob of `files` straight from disk (not through the
/// store's own checks).
fn assert_blobs_intact(dir: &Path, files: &BTreeMap<String, FileRef>, what: &str) {
    for (path, file) in files {
        let blob = dir.join("blobs").join(&file.sha256);
        let bytes = std::fs::read(&blob).unwrap_or_else(|e| panic!("{what}: {path}: {e}"));
        assert_eq!(&FileRef::of(&bytes), file, "{what}: {path} is damaged");
    }
}

/// Checks the store after a kill; returns the round that is active and
/// whether garbage is left (the kill landed before or in the collection).
fn check(dir: &Path, rounds: &mut Rounds, old: u64, new: u64, kill: usize) -> (u64, bool) {
    let store = Store::open(dir).unwrap();
    assert_eq!(store.fallback_reason(), None, "kill {kill}");
    let active = store
        .active()
        .unwrap_or_else(|| panic!("kill {kill}: nothing active"));
    let round = [old, new]
        .into_iter()
        .find(|&round| rounds.get(round).version == active.version)
        .unwrap_or_else(|| panic!("kill {kill}: {} is neither round", active.version));
    assert!(
        active.files == rounds.get(round).files,
        "kill {kill}: round {round} is incomplete or mixed"
    );
    assert_blobs_intact(dir, &active.files, &format!("kill {kill}, active"));
    let previous = match store.previous() {
        Some(previous) => previous,
        None if round == 1 => return (round, false),
        None => panic!("kill {kill}: the previous generation is gone"),
    };
    let expected = rounds.get(round - 1);
    assert_eq!(previous.version, expected.version, "kill {kill}");
    assert!(previous.files == expected.files, "kill {kill}: previous");
    assert_blobs_intact(dir, &previous.files, &format!("kill {kill}, previous"));

    let count = |folder: &str| std::fs::read_dir(dir.join(folder)).unwrap().count();
    let needed: std::collections::HashSet<_> = active
        .files
        .values()
        .chain(previous.files.values())
        .map(|f| &f.sha256)
        .collect();
    let garbage = count("generations") > 2 || count("tmp") > 0 || count("blobs") > needed.len();
    (round, garbage)
}

#[test]
fn sigkill_at_random_moments_leaves_the_old_or_the_new_generation() {
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let mut rounds = Rounds::default();

    // Uninterrupted runs: the third one has a previous generation and
    // collects the first, like every later run; it times the phases.
    let mut timings = (Duration::ZERO, Duration::ZERO);
    for round in 1..=3 {
        timings = Run::start(&store, round).finish();
        check(&store, &mut rounds, round, round, 0);
    }
    let (mut switched, done) = timings;
    let collection = done.saturating_sub(switched);

    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    let mut random = Random(seed);
    let mut active = 3;
    let mut outcomes = BTreeMap::<&str, usize>::new();
    for kill in 1..=KILLS {
        let mut run = Run::start(&store, active + 1);
        if kill % 3 == 0 {
            // During the garbage collection: right after the switch. These
            // runs also keep the estimate of the switch time current.
            let at = run.wait_for(SWITCHED);
            switched = (switched * 3 + at) / 4;
            run.kill_after(collection.mul_f64(1.2 * random.fraction()));
        } else {
            // Anywhere while blobs, the manifest and the pointer are written.
            run.kill_after(switched.mul_f64(1.1 * random.fraction()));
        }
        let (round, garbage) = check(&store, &mut rounds, active, active + 1, kill);
        let outcome = match (round == active, garbage) {
            (true, _) => "old",
            (false, true) => "new, garbage left",
            (false, false) => "new, collected",
        };
        *outcomes.entry(outcome).or_default() += 1;
        active = round;
    }
    eprintln!(
        "{KILLS} kills (seed {seed}); an uninterrupted commit switched {:?} after opening and \
         collected garbage in {collection:?}; outcomes {outcomes:?}; whole test {:?}",
        timings.0,
        started.elapsed()
    );
    let count = |outcome| outcomes.get(outcome).copied().unwrap_or(0);
    assert!(count("old") >= KILLS / 5, "too few kills before the switch");
    assert!(
        count("new, garbage left") >= KILLS / 10,
        "too few kills during the garbage collection"
    );
}
