//! A headless Slint platform: a software-rendered window and a mocked clock,
//! one per thread.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use slint::PlatformError;
use slint::platform::software_renderer::{MinimalSoftwareWindow, RepaintBufferType};
use slint::platform::{Platform, WindowAdapter};

thread_local! {
    static ELAPSED: Cell<Duration> = const { Cell::new(Duration::ZERO) };
    static NEXT_WINDOW: RefCell<Option<Rc<MinimalSoftwareWindow>>> = const { RefCell::new(None) };
    static INSTALLED: Cell<bool> = const { Cell::new(false) };
}

struct HeadlessPlatform;

impl Platform for HeadlessPlatform {
    fn create_window_adapter(&self) -> Result<Rc<dyn WindowAdapter>, PlatformError> {
        NEXT_WINDOW
            .with(|slot| slot.borrow_mut().take())
            .map(|window| window as Rc<dyn WindowAdapter>)
            .ok_or_else(|| {
                PlatformError::Other("the emulator creates one window per session".into())
            })
    }

    fn duration_since_start(&self) -> Duration {
        ELAPSED.with(Cell::get)
    }
}

/// Installs the headless platform on this thread (once) and prepares the
/// window the next component will use.
pub fn prepare_window() -> Result<Rc<MinimalSoftwareWindow>, PlatformError> {
    if !INSTALLED.with(Cell::get) {
        slint::platform::set_platform(Box::new(HeadlessPlatform))
            .map_err(|error| PlatformError::Other(format!("{error}")))?;
        INSTALLED.with(|installed| installed.set(true));
    }
    let window = MinimalSoftwareWindow::new(RepaintBufferType::ReusedBuffer);
    NEXT_WINDOW.with(|slot| *slot.borrow_mut() = Some(window.clone()));
    Ok(window)
}

/// The mocked time since start on this thread.
pub fn elapsed() -> Duration {
    ELAPSED.with(Cell::get)
}

/// Moves the mocked clock forward and runs due timers and animations.
pub fn advance(by: Duration) {
    ELAPSED.with(|elapsed| elapsed.set(elapsed.get() + by));
    slint::platform::update_timers_and_animations();
}
