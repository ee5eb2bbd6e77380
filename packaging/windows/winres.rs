//! Shared by the build scripts of `fuitecheck` (`build.rs`) and
//! `fuitecheck-publish` (`crates/fuitecheck-publish/build.rs`), which
//! include it with `#[path]`: on Windows targets only, embed the icon and
//! the version information (Explorer's "Details" tab, the taskbar, "Apps &
//! features") into the executable, with mingw's `windres`
//! (`x86_64-w64-mingw32-windres` when cross-building from Linux) or MSVC's
//! `rc.exe`. Does nothing for other targets.
//!
//! `cargo check --target x86_64-pc-windows-gnu` (CI) runs the scripts but
//! links nothing, and CI has no mingw: when the resource compiler is
//! missing they warn and go on. `packaging/windows/build.sh` sets
//! `FUITECHECK_REQUIRE_WINRES=1`, which turns that into an error so that a
//! packaged executable always carries its icon.

use std::io::ErrorKind;

/// Embed the resources of `binary` (its icon at `icon`, relative to the
/// package's manifest directory).
pub fn embed(binary: &str, product: &str, description: &str, icon: &str) {
    println!("cargo:rerun-if-changed={icon}");
    println!("cargo:rerun-if-env-changed=FUITECHECK_REQUIRE_WINRES");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("windows") {
        return;
    }
    let require = std::env::var("FUITECHECK_REQUIRE_WINRES").as_deref() == Ok("1");
    let mut res = winresource::WindowsResource::new();
    res.set_icon(icon)
        .set_language(0x040c) // French (France)
        .set("ProductName", product)
        .set("FileDescription", description)
        .set("InternalName", binary)
        .set("OriginalFilename", &format!("{binary}.exe"))
        .set("CompanyName", "FuiteCheck")
        .set(
            "LegalCopyright",
            "© 2026 the FuiteCheck contributors, AGPL-3.0-or-later",
        );
    match res.compile_for(binary) {
        Ok(()) => {}
        Err(e) if e.kind() == ErrorKind::NotFound && !require => {
            println!(
                "cargo:warning=no Windows resource compiler ({e}): {binary}.exe gets no icon \
                 or version information (fine for `cargo check`; install mingw-w64)"
            );
        }
        Err(e) => panic!("cannot embed the Windows resources of {binary}.exe: {e}"),
    }
}
