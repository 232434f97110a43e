//! nginx (installed by `scripts/install-test-deps.sh`) serving a folder on
//! loopback, as an ordinary web server for sync tests and benchmarks.

use std::path::{Path, PathBuf};
use std::process::{Child, Command};

use super::process::{free_port, installed, wait_until_listening};

/// An nginx serving a folder on a free loopback port; stopped on drop.
pub struct Nginx {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Nginx {
    /// Serves `root` on a free loopback port, with its files in `work`.
    pub fn serve(root: &Path, work: &Path) -> Nginx {
        std::fs::create_dir_all(work).unwrap();
        let port = free_port();
        let log = work.join("access.log");
        let user = if unsafe_is_root() { "user root;" } else { "" };
        let conf = format!(
            "{user}\nworker_processes 1;\nerror_log {w}/error.log;\npid {w}/nginx.pid;\nevents {{}}\nhttp {{\n  access_log {log};\n  client_body_temp_path {w}/body;\n  proxy_temp_path {w}/proxy;\n  fastcgi_temp_path {w}/fastcgi;\n  uwsgi_temp_path {w}/uwsgi;\n  scgi_temp_path {w}/scgi;\n  types {{ application/json json; image/png png; }}\n  server {{\n    listen 127.0.0.1:{port};\n    root {root};\n  }}\n}}\n",
            w = work.display(),
            log = log.display(),
            root = root.display(),
        );
        let conf_path = work.join("nginx.conf");
        std::fs::write(&conf_path, conf).unwrap();
        let child = Command::new(installed("nginx", "nginx"))
            .args([
                "-p",
                &work.display().to_string(),
                "-c",
                &conf_path.display().to_string(),
                "-g",
                "daemon off;",
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("nginx starts");
        let nginx = Nginx { child, port, log };
        wait_until_listening(port, &format!("see {}/error.log", work.display()));
        nginx
    }

    /// The base URL.
    pub fn url(&self) -> url::Url {
        url::Url::parse(&format!("http://127.0.0.1:{}/", self.port)).unwrap()
    }

    /// (path, status) of every request so far.
    pub fn requests(&self) -> Vec<(String, u16)> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .filter_map(|line| {
                let request = line.split('"').nth(1)?;
                let path = request.split(' ').nth(1)?.to_owned();
                let status = line
                    .split('"')
                    .nth(2)?
                    .split_whitespace()
                    .next()?
                    .parse()
                    .ok()?;
                Some((path, status))
            })
            .collect()
    }
}

fn unsafe_is_root() -> bool {
    std::fs::metadata("/proc/self")
        .map(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0)
        .unwrap_or(false)
}

impl Drop for Nginx {
    fn drop(&mut self) {
        // SIGTERM makes the master stop its workers too; SIGKILL would orphan them.
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}
