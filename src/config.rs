//! The kiosk's configuration file (`kiosk.toml`), documented key by key in
//! `kiosk-config/kiosk.toml`.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::content::authoring::source::line_column;
use crate::reach::{Mounting, MountingError};
use crate::secret::hash_secret;
use crate::speech::{Settings, Voices};

/// PIN of the demo configuration (used only when no config file is given).
pub const DEMO_PIN: &str = "2468";

/// Everything a kiosk is configured with.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Name shown in the status strip and reported to admins.
    #[serde(default = "default_kiosk_id")]
    pub kiosk_id: String,
    /// Idle behaviour.
    #[serde(default)]
    pub idle: IdleConfig,
    /// Admin panel access.
    #[serde(default)]
    pub admin: AdminConfig,
    /// Fonts.
    #[serde(default)]
    pub fonts: FontConfig,
    /// The search page's handwriting pad.
    #[serde(default)]
    pub handwriting: HandwritingConfig,
    /// How the panel is mounted (where visitors can reach).
    #[serde(default)]
    pub mounting: MountingConfig,
    /// Read-aloud (speech mode): voices, rate and volume.
    #[serde(default)]
    pub speech: SpeechConfig,
    /// The content repository; without it the kiosk shows the demo content.
    #[serde(default)]
    pub repository: Option<RepositoryConfig>,
    /// The HTTP admin endpoint (`POST /sync`, `GET /status`); off without it.
    #[serde(default)]
    pub admin_endpoint: Option<AdminEndpointConfig>,
    /// The fleet channel over an MQTT broker; off without it.
    #[serde(default)]
    pub fleet: Option<FleetConfig>,
}

/// The kiosk's HTTP admin endpoint.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdminEndpointConfig {
    /// Address and port to listen on, e.g. `0.0.0.0:8470`.
    pub bind: std::net::SocketAddr,
    /// Lower-case hex SHA-256 of the bearer token (`kiosk hash-pin <TOKEN>` prints it).
    pub token_sha256: String,
    /// Failed requests (wrong or missing token) allowed per minute from one
    /// client address, after the burst; the admin's own requests never count.
    #[serde(default = "default_rate")]
    pub requests_per_minute: u32,
    /// Failed requests allowed at once from one address before the rate applies.
    #[serde(default = "default_burst")]
    pub burst: u32,
}

/// The fleet channel: commands and status over an MQTT broker.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FleetConfig {
    /// The broker, `mqtt://host:port` (port 1883 when left out).
    pub broker: String,
    /// First level of every topic: `<prefix>/<kiosk_id>/cmd`, `<prefix>/all/cmd`,
    /// `<prefix>/<kiosk_id>/status`.
    #[serde(default = "default_topic_prefix")]
    pub topic_prefix: String,
    /// Seconds between heartbeats (a fresh retained status).
    #[serde(default = "default_heartbeat")]
    pub heartbeat_seconds: u32,
    /// User name on the broker (with `password_file`).
    #[serde(default)]
    pub username: Option<String>,
    /// File holding the broker password (one line; readable by the kiosk only).
    #[serde(default)]
    pub password_file: Option<PathBuf>,
    /// For `mqtts://`: PEM file of the CA that signed the broker's
    /// certificate (without it, the system's roots).
    #[serde(default)]
    pub ca_file: Option<PathBuf>,
    /// Sync commands are honoured at most once per this many seconds; the
    /// ones in between make one more sync at its end.
    #[serde(default = "default_min_sync_interval")]
    pub min_sync_interval_seconds: u32,
}

fn default_min_sync_interval() -> u32 {
    10
}

fn default_rate() -> u32 {
    30
}

fn default_burst() -> u32 {
    5
}

/// The default first level of fleet topics.
pub fn default_topic_prefix() -> String {
    "kiosk".into()
}

fn default_heartbeat() -> u32 {
    30
}

/// Where content comes from and where it is kept.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RepositoryConfig {
    /// Base URL serving `metadata/` and `targets/` (ends with `/`).
    pub url: String,
    /// The trust anchor: the repository's `root.json` as published with `kioskctl init`.
    pub root: PathBuf,
    /// Folder of the offline store.
    #[serde(default = "default_store")]
    pub store: PathBuf,
    /// Minutes between syncs.
    #[serde(default = "default_interval")]
    pub interval_minutes: u32,
    /// Up to this many seconds added at random to each interval.
    #[serde(default = "default_jitter")]
    pub jitter_seconds: u32,
    /// Longest wait between retries after failures, in minutes.
    #[serde(default = "default_backoff")]
    pub backoff_max_minutes: u32,
}

fn default_store() -> PathBuf {
    PathBuf::from("/var/lib/lobby-kiosk/store")
}

fn default_interval() -> u32 {
    10
}

fn default_jitter() -> u32 {
    60
}

fn default_backoff() -> u32 {
    30
}

/// Idle timeouts, in seconds.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdleConfig {
    /// Seconds without a touch before the "Still there?" countdown on Home,
    /// lists and search.
    #[serde(default = "default_idle")]
    pub timeout_seconds: u32,
    /// The same on pages a visitor reads (a notice or document, a guide, a
    /// table): reading a page is not touching it.
    #[serde(default = "default_reading")]
    pub reading_seconds: u32,
    /// Length of the countdown: at least [`MIN_COUNTDOWN_SECONDS`].
    #[serde(default = "default_countdown")]
    pub countdown_seconds: u32,
    /// Seconds without a touch before the attract loop starts on Home.
    #[serde(default = "default_attract")]
    pub attract_seconds: u32,
}

/// Admin panel access.
#[derive(Debug, Clone, PartialEq, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct AdminConfig {
    /// Lower-case hex SHA-256 of the admin PIN (`kiosk --hash-pin 1234` prints it).
    /// Without it the admin panel cannot be opened.
    #[serde(default)]
    pub pin_sha256: Option<String>,
}

/// Where the bundled CJK font is.
#[derive(Debug, Clone, PartialEq, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct FontConfig {
    /// Folder holding `NotoSansSC_400Regular.ttf` and `NotoSansSC_700Bold.ttf`.
    #[serde(default)]
    pub dir: Option<PathBuf>,
}

/// How the panel is mounted: the UI keeps every control where a visitor
/// can reach it ([`crate::reach`]).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MountingConfig {
    /// The panel's active area, long side and short side, in mm.
    #[serde(default = "default_panel_mm")]
    pub panel_mm: [u32; 2],
    /// The height of the screen's bottom edge above the floor, in mm.
    #[serde(default = "default_bottom_edge_mm")]
    pub bottom_edge_mm: u32,
}

impl Default for MountingConfig {
    fn default() -> Self {
        MountingConfig {
            panel_mm: default_panel_mm(),
            bottom_edge_mm: default_bottom_edge_mm(),
        }
    }
}

impl MountingConfig {
    /// The mounting, as the reach zone reads it.
    pub fn mounting(&self) -> Mounting {
        let [long_side_mm, short_side_mm] = self.panel_mm;
        Mounting {
            long_side_mm,
            short_side_mm,
            bottom_edge_mm: self.bottom_edge_mm,
        }
    }
}

/// A floor-standing 43-inch panel's active area.
fn default_panel_mm() -> [u32; 2] {
    [952, 535]
}

fn default_bottom_edge_mm() -> u32 {
    400
}

/// The handwriting pad's recognizer.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HandwritingConfig {
    /// The zinnia model file (simplified Chinese; traditional characters
    /// are offered through the converter).
    #[serde(default = "default_handwriting_model")]
    pub model: PathBuf,
}

impl Default for HandwritingConfig {
    fn default() -> Self {
        HandwritingConfig {
            model: default_handwriting_model(),
        }
    }
}

/// Read-aloud: `[speech]` in `kiosk.toml`.
///
/// ```toml
/// [speech]
/// enabled = true      # false: no speaker button, nothing spoken
/// rate = 175          # words per minute a visitor starts at (100–350)
/// volume = 100        # espeak-ng amplitude a visitor starts at (20–200)
/// [speech.voices]
/// zh_hant = "yue"     # Cantonese; "cmn-latn-pinyin" for Mandarin
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SpeechConfig {
    /// Whether the kiosk offers read-aloud at all.
    pub enabled: bool,
    /// The rate a visitor starts at, in words per minute.
    pub rate: u16,
    /// The volume a visitor starts at, as an espeak-ng amplitude.
    pub volume: u8,
    /// The espeak-ng voice of each language.
    pub voices: Voices,
}

impl Default for SpeechConfig {
    fn default() -> Self {
        let settings = Settings::default();
        SpeechConfig {
            enabled: true,
            rate: settings.rate,
            volume: settings.volume,
            voices: Voices::default(),
        }
    }
}

impl SpeechConfig {
    /// The rate and volume a visitor starts at, within the offered ranges.
    pub fn settings(&self) -> Settings {
        Settings {
            rate: self.rate,
            volume: self.volume,
        }
        .clamped()
    }
}

/// Where Debian's tegaki-zinnia-simplified-chinese installs its model.
pub const HANDWRITING_MODEL: &str = "/usr/share/tegaki/models/zinnia/handwriting-zh_CN.model";

fn default_handwriting_model() -> PathBuf {
    PathBuf::from(HANDWRITING_MODEL)
}

fn default_kiosk_id() -> String {
    "kiosk-demo".into()
}

fn default_idle() -> u32 {
    90
}

fn default_reading() -> u32 {
    240
}

/// The shortest "Still there?" countdown: WCAG 2.2 success criterion 2.2.1
/// gives a visitor at least 20 seconds to ask for more time.
pub const MIN_COUNTDOWN_SECONDS: u32 = 20;

fn default_countdown() -> u32 {
    MIN_COUNTDOWN_SECONDS
}

fn default_attract() -> u32 {
    180
}

impl Default for IdleConfig {
    fn default() -> Self {
        IdleConfig {
            timeout_seconds: default_idle(),
            reading_seconds: default_reading(),
            countdown_seconds: default_countdown(),
            attract_seconds: default_attract(),
        }
    }
}

/// A config file that could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read config {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid.
    #[error("invalid config {path}:{line}:{column}: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
}

impl Config {
    /// The configuration used when no file is given: demo content, demo PIN.
    pub fn demo() -> Self {
        Config {
            kiosk_id: default_kiosk_id(),
            idle: IdleConfig::default(),
            admin: AdminConfig {
                pin_sha256: Some(hash_secret(DEMO_PIN)),
            },
            fonts: FontConfig::default(),
            handwriting: HandwritingConfig::default(),
            mounting: MountingConfig::default(),
            speech: SpeechConfig::default(),
            repository: None,
            admin_endpoint: None,
            fleet: None,
        }
    }

    /// Parses a config file's text; `path` names it in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Self, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|error| {
            let (line, column) = line_column(text, error.span().map_or(0, |span| span.start));
            ConfigError::Invalid {
                path: path.to_owned(),
                line,
                column,
                message: error.message().to_owned(),
            }
        })?;
        let hashes = [
            ("admin.pin_sha256", config.admin.pin_sha256.as_deref()),
            (
                "admin_endpoint.token_sha256",
                config
                    .admin_endpoint
                    .as_ref()
                    .map(|e| e.token_sha256.as_str()),
            ),
        ];
        for (name, hash) in hashes {
            if let Some(hash) = hash
                && (hash.len() != 64 || !hash.chars().all(|c| c.is_ascii_hexdigit()))
            {
                let (line, column) = key_position(text, name);
                return Err(ConfigError::Invalid {
                    path: path.to_owned(),
                    line,
                    column,
                    message: format!(
                        "{name} must be 64 hex digits (print one with `kiosk hash-pin <SECRET>`)"
                    ),
                });
            }
        }
        if let Some((key, message)) = config.unusable_value() {
            let (line, column) = key_position(text, key);
            return Err(ConfigError::Invalid {
                path: path.to_owned(),
                line,
                column,
                message: format!("{key} {message}"),
            });
        }
        Ok(config)
    }

    /// The first value that parses but cannot work: its dotted key and why.
    fn unusable_value(&self) -> Option<(&'static str, String)> {
        let id = &self.kiosk_id;
        if id.is_empty()
            || id == "all"
            || !id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        {
            return Some((
                "kiosk_id",
                format!(
                    "`{id}` cannot name a kiosk: use letters, digits, '-', '_' and '.' (it is part of MQTT topics, where '/', '+' and '#' have meanings, and `all` addresses every kiosk)"
                ),
            ));
        }
        let idle = &self.idle;
        if idle.countdown_seconds < MIN_COUNTDOWN_SECONDS {
            return Some((
                "idle.countdown_seconds",
                format!(
                    "must be at least {MIN_COUNTDOWN_SECONDS} (WCAG 2.2.1: a visitor gets at least 20 seconds to ask for more time); it is {}",
                    idle.countdown_seconds
                ),
            ));
        }
        if idle.reading_seconds < idle.timeout_seconds {
            return Some((
                "idle.reading_seconds",
                format!(
                    "must be at least idle.timeout_seconds ({}): a page being read gets more time than a list, not less; it is {}",
                    idle.timeout_seconds, idle.reading_seconds
                ),
            ));
        }
        if let Err(error) = self.mounting.mounting().check() {
            let key = match error {
                MountingError::NoArea => "mounting.panel_mm",
                MountingError::BottomTooLow { .. } | MountingError::TooLittleInReach { .. } => {
                    "mounting.bottom_edge_mm"
                }
            };
            return Some((key, error.to_string()));
        }
        let at_least_one = "must be at least 1 (0 would make it happen at once, over and over)";
        let mut counts = vec![
            ("idle.timeout_seconds", self.idle.timeout_seconds),
            ("idle.attract_seconds", self.idle.attract_seconds),
        ];
        if let Some(repository) = &self.repository {
            counts.push(("repository.interval_minutes", repository.interval_minutes));
            counts.push((
                "repository.backoff_max_minutes",
                repository.backoff_max_minutes,
            ));
        }
        if let Some(endpoint) = &self.admin_endpoint {
            counts.push((
                "admin_endpoint.requests_per_minute",
                endpoint.requests_per_minute,
            ));
            counts.push(("admin_endpoint.burst", endpoint.burst));
        }
        if let Some(fleet) = &self.fleet {
            counts.push(("fleet.heartbeat_seconds", fleet.heartbeat_seconds));
        }
        counts
            .into_iter()
            .find(|(_, value)| *value == 0)
            .map(|(key, _)| (key, at_least_one.to_owned()))
    }

    /// Reads and parses a config file.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        Config::parse(&text, path)
    }

    /// The font folder: configured, next to the binary (`../share/lobby-kiosk/fonts`),
    /// or the source tree's `assets/fonts`.
    pub fn font_dir(&self) -> PathBuf {
        if let Some(dir) = &self.fonts.dir {
            return dir.clone();
        }
        let installed = std::env::current_exe()
            .ok()
            .and_then(|exe| {
                exe.parent()
                    .map(|bin| bin.join("../share/lobby-kiosk/fonts"))
            })
            .filter(|dir| dir.is_dir());
        installed
            .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/fonts")))
    }
}

/// 1-based line and column of a dotted key (`idle.timeout_seconds`) in a
/// config text that parses; the start of its table (or 1:1) when the key
/// is left to its default.
fn key_position(text: &str, dotted: &str) -> (usize, usize) {
    let offset = (|| {
        let table = toml::de::DeTable::parse(text).ok()?;
        let mut current = table.get_ref();
        let mut found = None;
        for part in dotted.split('.') {
            let (key, value) = current.iter().find(|(key, _)| &**key.get_ref() == part)?;
            found = Some(key.span().start);
            match value.get_ref() {
                toml::de::DeValue::Table(inner) => current = inner,
                _ => break,
            }
        }
        found
    })()
    .unwrap_or(0);
    line_column(text, offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_names_file_line_and_key() {
        let error = Config::parse(
            "kiosk_id = \"a\"\n[idle]\ntimeout = 5\n",
            Path::new("/etc/kiosk.toml"),
        )
        .unwrap_err();
        let text = error.to_string();
        assert!(
            text.starts_with("invalid config /etc/kiosk.toml:3:1: unknown field `timeout`"),
            "{text}"
        );
    }

    #[test]
    fn bad_pin_hash_is_rejected() {
        let error =
            Config::parse("[admin]\npin_sha256 = \"1234\"\n", Path::new("k.toml")).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("k.toml:2:1: admin.pin_sha256 must be 64 hex digits"),
            "{error}"
        );
    }

    #[test]
    fn bad_pin_hash_is_located_at_its_key_not_at_a_comment_naming_it() {
        let text =
            "# pin_sha256: print one with `kiosk hash-pin`\n[admin]\n  pin_sha256 = \"12\"\n";
        let error = Config::parse(text, Path::new("k.toml")).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("k.toml:3:3: admin.pin_sha256 must be 64 hex digits"),
            "{error}"
        );
    }

    #[test]
    fn a_mounting_out_of_reach_is_refused_at_its_key() {
        let error = Config::parse(
            "[mounting]\npanel_mm = [952, 535]\nbottom_edge_mm = 300\n",
            Path::new("k.toml"),
        )
        .unwrap_err();
        assert!(
            error
                .to_string()
                .contains("k.toml:3:1: mounting.bottom_edge_mm is 300 mm: below 380 mm"),
            "{error}"
        );
        let error =
            Config::parse("[mounting]\npanel_mm = [0, 535]\n", Path::new("k.toml")).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("k.toml:2:1: mounting.panel_mm must be"),
            "{error}"
        );
    }

    #[test]
    fn the_handwriting_model_defaults_to_debians_and_can_be_moved() {
        let default = Config::parse("", Path::new("k.toml")).unwrap();
        assert_eq!(default.handwriting.model, Path::new(HANDWRITING_MODEL));
        let moved = Config::parse(
            "[handwriting]\nmodel = \"/opt/models/zh.model\"\n",
            Path::new("k.toml"),
        )
        .unwrap();
        assert_eq!(moved.handwriting.model, Path::new("/opt/models/zh.model"));
    }

    #[test]
    fn a_countdown_shorter_than_wcag_asks_is_refused() {
        let error = Config::parse(
            "[idle]\ncountdown_seconds = 10\n",
            Path::new("/etc/kiosk.toml"),
        )
        .unwrap_err();
        assert!(
            error.to_string().starts_with(
                "invalid config /etc/kiosk.toml:2:1: idle.countdown_seconds must be at least 20 (WCAG 2.2.1"
            ),
            "{error}"
        );
    }

    #[test]
    fn reading_pages_get_no_less_time_than_lists() {
        let error = Config::parse(
            "[idle]\ntimeout_seconds = 120\nreading_seconds = 60\n",
            Path::new("k.toml"),
        )
        .unwrap_err();
        assert!(
            error.to_string().contains(
                "k.toml:3:1: idle.reading_seconds must be at least idle.timeout_seconds (120)"
            ),
            "{error}"
        );
    }

    #[test]
    fn zero_timeouts_are_refused_with_file_line_and_key() {
        let error = Config::parse(
            "kiosk_id = \"a\"\n[idle]\ntimeout_seconds = 90\nattract_seconds = 0\n",
            Path::new("/etc/kiosk.toml"),
        )
        .unwrap_err();
        assert!(
            error.to_string().starts_with(
                "invalid config /etc/kiosk.toml:4:1: idle.attract_seconds must be at least 1"
            ),
            "{error}"
        );
        let error = Config::parse(
            "[fleet]\nbroker = \"mqtt://b\"\nheartbeat_seconds = 0\n",
            Path::new("k.toml"),
        )
        .unwrap_err();
        assert!(
            error
                .to_string()
                .contains("k.toml:3:1: fleet.heartbeat_seconds must be at least 1"),
            "{error}"
        );
    }

    #[test]
    fn zero_sync_periods_and_rate_limits_are_refused_with_file_line_and_key() {
        let token = hash_secret("token");
        for (section, key) in [
            ("repository", "interval_minutes"),
            ("repository", "backoff_max_minutes"),
            ("admin_endpoint", "requests_per_minute"),
            ("admin_endpoint", "burst"),
        ] {
            let required = match section {
                "repository" => {
                    "url = \"https://example.org/repo/\"\nroot = \"/etc/root.json\"".to_owned()
                }
                _ => format!("bind = \"127.0.0.1:8470\"\ntoken_sha256 = \"{token}\""),
            };
            // The key is named in a comment above its line too.
            let text = format!("# {key} = 0 is refused\n[{section}]\n{required}\n{key} = 0\n");
            let error = Config::parse(&text, Path::new("k.toml")).unwrap_err();
            assert!(
                error
                    .to_string()
                    .contains(&format!("k.toml:5:1: {section}.{key} must be at least 1")),
                "{error}"
            );
        }
    }

    #[test]
    fn kiosk_ids_that_break_mqtt_topics_are_refused() {
        for id in ["hall/1", "hall+", "#", "all", "", "大厅"] {
            let text = format!("\n\nkiosk_id = \"{id}\"\n");
            let error = Config::parse(&text, Path::new("k.toml")).unwrap_err();
            assert!(
                error
                    .to_string()
                    .contains(&format!("k.toml:3:1: kiosk_id `{id}` cannot name a kiosk")),
                "{error}"
            );
        }
        assert!(Config::parse("kiosk_id = \"hall-1.east_2\"\n", Path::new("k.toml")).is_ok());
    }

    #[test]
    fn defaults_fill_missing_sections() {
        let config = Config::parse("kiosk_id = \"hall-1\"\n", Path::new("k.toml")).unwrap();
        assert_eq!(config.kiosk_id, "hall-1");
        assert_eq!(config.idle, IdleConfig::default());
        assert_eq!(config.admin.pin_sha256, None);
        assert_eq!(config.repository, None);
    }

    #[test]
    fn admin_endpoint_and_fleet_sections() {
        let text = "[admin_endpoint]\nbind = \"127.0.0.1:8470\"\ntoken_sha256 = \"abc\"\n";
        let error = Config::parse(text, Path::new("k.toml")).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("k.toml:3:1: admin_endpoint.token_sha256 must be 64 hex digits"),
            "{error}"
        );
        let text = format!(
            "[admin_endpoint]\nbind = \"127.0.0.1:8470\"\ntoken_sha256 = \"{}\"\n[fleet]\nbroker = \"mqtt://broker:1883\"\n",
            hash_secret("token")
        );
        let config = Config::parse(&text, Path::new("k.toml")).unwrap();
        let endpoint = config.admin_endpoint.unwrap();
        assert_eq!(endpoint.requests_per_minute, 30);
        assert_eq!(endpoint.bind.port(), 8470);
        let fleet = config.fleet.unwrap();
        assert_eq!(fleet.topic_prefix, "kiosk");
        assert_eq!(fleet.heartbeat_seconds, 30);
    }
}

#[cfg(test)]
mod repository_tests {
    use super::*;

    #[test]
    fn repository_section_with_defaults() {
        let config = Config::parse("[repository]\nurl = \"https://example.org/repo/\"\nroot = \"/etc/lobby-kiosk/root.json\"\n", Path::new("k.toml")).unwrap();
        let repository = config.repository.unwrap();
        assert_eq!(repository.interval_minutes, 10);
        assert_eq!(
            repository.store,
            PathBuf::from("/var/lib/lobby-kiosk/store")
        );
    }
}

#[cfg(test)]
mod documented_config_tests {
    use super::*;

    #[test]
    fn the_documented_example_parses_to_the_defaults() {
        let path = Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/kiosk-config/kiosk.toml"
        ));
        let config = Config::load(path).unwrap();
        assert_eq!(config.kiosk_id, "kiosk-demo");
        assert_eq!(config.idle, IdleConfig::default());
        assert_eq!(config.repository, None);
        assert_eq!(config.admin_endpoint, None);
        assert_eq!(config.fleet, None);
    }
}
