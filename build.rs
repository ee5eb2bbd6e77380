//! Windows resources (icon, version information) of `fuitecheck.exe`; see
//! `packaging/windows/winres.rs`. Does nothing for other targets.

#[path = "packaging/windows/winres.rs"]
mod winres;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=packaging/windows/winres.rs");
    winres::embed(
        "fuitecheck",
        "FuiteCheck",
        "FuiteCheck : savoir si une fuite de données de santé vous concerne",
        "packaging/windows/fuitecheck.ico",
    );
}
