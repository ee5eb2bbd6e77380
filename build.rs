//! Windows targets only: embed the icon and the version information
//! (Explorer's "Details" tab, the taskbar, "Apps & features") into
//! `fuitecheck.exe` (`crates/fuitecheck-publish/build.rs` does the same for
//! `fuitecheck-publish.exe`), with mingw's `windres`
//! (`x86_64-w64-mingw32-windres` when cross-building from Linux) or MSVC's
//! `rc.exe`. Does nothing for other targets.
//!
//! `cargo check --target x86_64-pc-windows-gnu` (CI) runs this script but
//! links nothing, and CI has no mingw: when the resource compiler is
//! missing the script warns and goes on. `packaging/windows/build.sh` sets
//! `FUITECHECK_REQUIRE_WINRES=1`, which turns that into an error so that a
//! packaged executable always carries its icon.

use std::io::ErrorKind;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=packaging/windows/fuitecheck.ico");
    println!("cargo:rerun-if-env-changed=FUITECHECK_REQUIRE_WINRES");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("windows") {
        return;
    }
    let require = std::env::var("FUITECHECK_REQUIRE_WINRES").as_deref() == Ok("1");
    let binaries = [(
        "fuitecheck",
        "FuiteCheck",
        "FuiteCheck : savoir si une fuite de données de santé vous concerne",
    )];
    for (binary, product, description) in binaries {
        let mut res = winresource::WindowsResource::new();
        res.set_icon("packaging/windows/fuitecheck.ico")
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
}
