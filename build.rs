//! Compiles the Slint UI with its bundled translations (zh-Hant, en; the
//! zh-Hans source strings need none) and the debug info the emulator needs
//! to find elements by accessible label.

fn main() {
    let config = slint_build::CompilerConfiguration::new()
        .with_style("fluent".into())
        .with_bundled_translations(concat!(env!("CARGO_MANIFEST_DIR"), "/lang"))
        .with_default_translation_context(slint_build::DefaultTranslationContext::None)
        .with_debug_info(true);
    slint_build::compile_with_config("ui/main.slint", config).expect("the Slint UI compiles");
    // slint-build tracks the .slint files, not the translations: without
    // this, a changed .po file kept the old text until something else
    // changed.
    for lang in ["en", "zh-Hant"] {
        println!("cargo:rerun-if-changed=lang/{lang}/LC_MESSAGES/lobby-kiosk.po");
    }
}
