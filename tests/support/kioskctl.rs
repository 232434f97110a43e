//! Runs the built `kioskctl`, as an admin would.

use std::ffi::OsStr;
use std::process::Command;

/// Runs `kioskctl` with `args`: its exit code, standard output and standard error.
pub fn kioskctl<S: AsRef<OsStr>>(args: &[S]) -> (i32, String, String) {
    kioskctl_with_env(args, &[])
}

/// [`kioskctl`] with extra environment variables (e.g. `KIOSKCTL_TOKEN`).
pub fn kioskctl_with_env<S: AsRef<OsStr>>(
    args: &[S],
    env: &[(&str, &str)],
) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_kioskctl"))
        .args(args)
        .envs(env.iter().copied())
        .output()
        .expect("kioskctl runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}
