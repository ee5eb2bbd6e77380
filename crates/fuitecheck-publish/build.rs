//! Windows resources (icon, version information) of
//! `fuitecheck-publish.exe`; see `packaging/windows/winres.rs`. Does
//! nothing for other targets.

#[path = "../../packaging/windows/winres.rs"]
mod winres;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=../../packaging/windows/winres.rs");
    winres::embed(
        "fuitecheck-publish",
        "FuiteCheck Publish",
        "FuiteCheck : construire, signer et servir une publication",
        "../../packaging/windows/fuitecheck.ico",
    );
}
