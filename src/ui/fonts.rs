//! The bundled CJK font: without it Chinese is not drawn at all.

use std::path::Path;
use std::sync::Once;

/// File of the regular weight.
pub const REGULAR: &str = "NotoSansSC_400Regular.ttf";
/// File of the bold weight.
pub const BOLD: &str = "NotoSansSC_700Bold.ttf";

static INSTALL: Once = Once::new();

/// Makes the fonts in `dir` Slint's default font (regular) and fallback
/// chain (bold). Must run before the first window is created; later calls
/// do nothing. Slint reads the files itself, so nothing is copied into the
/// binary.
pub fn install(dir: &Path) {
    INSTALL.call_once(|| {
        let regular = dir.join(REGULAR);
        let bold = dir.join(BOLD);
        if !regular.is_file() {
            tracing::error!(
                "font {} is missing: Chinese text will not be drawn",
                regular.display()
            );
        }
        // SAFETY: called once, before Slint starts any thread or reads its environment.
        unsafe {
            std::env::set_var("SLINT_DEFAULT_FONT", &regular);
            std::env::set_var("SLINT_FONT_PATH", &bold);
        }
    });
}
