//! Waiting for a kiosk in the emulator to reflect background work.

use std::time::Duration;

use lobby_kiosk::emulator::Emulator;

/// Lets background threads (real time) report, polling the UI (mocked time);
/// true once `done` holds, false after about 10 s.
pub fn wait_for(emulator: &mut Emulator, done: impl Fn(&Emulator) -> bool) -> bool {
    for _ in 0..200 {
        std::thread::sleep(Duration::from_millis(50));
        emulator.advance(Duration::from_millis(300));
        if done(emulator) {
            return true;
        }
    }
    false
}
