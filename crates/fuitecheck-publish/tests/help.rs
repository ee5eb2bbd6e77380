//! The publisher's help says what a publication is under the GDPR
//! (SPEC §1, §8): a complement to the art. 34 notice, with its own legal
//! basis, art. 9(2) exception and DPIA.

use std::process::Command;

#[test]
fn help_states_the_publishers_legal_duties() {
    let out = Command::new(env!("CARGO_BIN_EXE_fuitecheck-publish"))
        .arg("--help")
        .output()
        .expect("run fuitecheck-publish --help");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "art. 34(1)",
        "art. 34(3)(c)",
        "legal basis",
        "art. 9(2)",
        "DPIA (art. 35)",
        "per_record_masks = true",
        "never a leaked copy",
    ] {
        assert!(text.contains(needle), "--help lacks {needle:?}:\n{text}");
    }
}
