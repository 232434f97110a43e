//! The bundled CJK font: without it Chinese is not drawn at all.
//!
//! The font files are not read into memory: `fonts.conf` next to them
//! (FONTCONFIG_FILE) adds their folder to fontconfig and puts Noto Sans SC
//! first for `sans-serif`, Slint's default family. Slint's font stack
//! (fontique) memory-maps the fonts it finds through fontconfig, so the
//! 2 × 10.5 MB stay in the page cache, shared and reclaimable, instead of
//! the kiosk's heap (`cargo bench --bench font_memory` measures both).

use std::path::Path;
use std::sync::Once;

/// File of the regular weight.
pub const REGULAR: &str = "NotoSansSC_400Regular.ttf";
/// File of the bold weight.
pub const BOLD: &str = "NotoSansSC_700Bold.ttf";
/// The fontconfig file in the font folder.
pub const FONTCONFIG: &str = "fonts.conf";

static INSTALL: Once = Once::new();

/// Makes the fonts in `dir` Slint's default font. Must run before the first
/// window is created; later calls do nothing.
pub fn install(dir: &Path) {
    INSTALL.call_once(|| {
        for file in [REGULAR, BOLD, FONTCONFIG] {
            let path = dir.join(file);
            if !path.is_file() {
                tracing::error!(
                    "font file {} is missing: Chinese text will not be drawn",
                    path.display()
                );
            }
        }
        // SAFETY: called once, before Slint starts any thread or reads its environment.
        unsafe { std::env::set_var("FONTCONFIG_FILE", dir.join(FONTCONFIG)) };
    });
}
