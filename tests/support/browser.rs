//! A real browser for the admin console's tests: Debian's headless Chromium
//! driven through WebDriver (chromedriver, from `chromium-driver`) with
//! fantoccini, both installed by `scripts/install-test-deps.sh`.

use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};

use super::process::{free_port, installed};

/// Chromium under WebDriver; [`Browser::close`] ends both, and so does
/// dropping it (a failed test): chromedriver runs in a process group of its
/// own with the Chromium it starts, and the whole group is killed. A
/// leftover Chromium would hold what the test's parent left open (a build
/// lock, say) for ever.
pub struct Browser {
    /// The WebDriver session.
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

/// How long an element may take to appear.
const WAIT: Duration = Duration::from_secs(20);

impl Browser {
    /// Starts chromedriver on a free port and a headless Chromium with a
    /// fresh profile and a `width` × `height` window.
    pub async fn start(width: u32, height: u32) -> Browser {
        let port = free_port();
        let mut driver = Command::new(installed("chromedriver", "chromium-driver"))
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("chromedriver starts");
        let listening = (0..100).any(|_| {
            std::thread::sleep(Duration::from_millis(50));
            std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
        });
        if !listening {
            let _ = driver.kill();
            panic!("chromedriver does not listen on port {port}");
        }
        let profile = tempfile::tempdir().unwrap();
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": installed("chromium", "chromium"),
                "args": [
                    "--headless=new",
                    // CI runs as root, where Chromium's sandbox cannot start.
                    "--no-sandbox",
                    "--disable-dev-shm-usage",
                    "--disable-gpu",
                    format!("--window-size={width},{height}"),
                    format!("--user-data-dir={}", profile.path().display()),
                ],
            }),
        );
        let client = ClientBuilder::rustls()
            .expect("a TLS configuration for the WebDriver client")
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a WebDriver session with headless Chromium");
        Browser {
            client,
            driver,
            _profile: profile,
        }
    }

    /// Waits for the element `css` and returns it.
    pub async fn find(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|error| panic!("no `{css}` on the page: {error}"))
    }

    /// Waits until the text of `css` contains `text`; returns the text.
    pub async fn wait_for_text(&self, css: &str, text: &str) -> String {
        let deadline = std::time::Instant::now() + WAIT;
        loop {
            let shown = match self.client.find(Locator::Css(css)).await {
                Ok(element) => element.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if shown.contains(text) {
                return shown;
            }
            if std::time::Instant::now() > deadline {
                panic!("`{css}` shows {shown:?}, not {text:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Writes a PNG of the window to `path`.
    pub async fn screenshot(&self, path: &Path) {
        let png = self.client.screenshot().await.expect("a screenshot");
        std::fs::write(path, png).unwrap();
    }

    /// Ends the session, Chromium and chromedriver.
    pub async fn close(self) {
        let _ = self.client.clone().close().await;
        // Drop kills what is left.
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if let Ok(group) = i32::try_from(self.driver.id()) {
            // SAFETY: kill has no preconditions; a negative pid names the
            // process group chromedriver leads (Command::process_group(0)).
            unsafe { libc::kill(-group, libc::SIGKILL) };
        }
        let _ = self.driver.wait();
    }
}
