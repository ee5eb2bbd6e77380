//! NIR validation against an independent, deliberately naive
//! implementation of SPEC §2.1, on thousands of random and adversarial
//! inputs (fullwidth digits, trailing newline, lowercase 2a, wrong lengths).
// A test reports failure by panicking: unwrap/expect are its asserts
// (the workspace denies them in library and app code only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use fuitecheck_core::nir::Nir;
use proptest::prelude::*;

/// SPEC §2.1 written from scratch, without sharing code with the crate:
/// NFKC, drop whitespace, '.', '-', uppercase; 15 chars of the right shape;
/// key 97 - N mod 97 with 2A -> 19, 2B -> 18.
fn oracle(input: &str) -> Option<String> {
    use unicode_normalization::UnicodeNormalization as _;
    let compact: String = input
        .nfkc()
        .filter(|c| !c.is_whitespace() && *c != '.' && *c != '-')
        .collect::<String>()
        .to_uppercase();
    let b = compact.as_bytes();
    if b.len() != 15 {
        return None;
    }
    let digit = |i: usize| b[i].is_ascii_digit();
    if !(0..5).all(digit) || !(7..15).all(digit) {
        return None;
    }
    let dept = &compact[5..7];
    let dept_num = match dept {
        "2A" => "19".to_owned(),
        "2B" => "18".to_owned(),
        d if d.bytes().all(|c| c.is_ascii_digit()) => d.to_owned(),
        _ => return None,
    };
    let n: u128 = format!("{}{}{}", &compact[..5], dept_num, &compact[7..13])
        .parse()
        .ok()?;
    let key: u128 = compact[13..15].parse().ok()?;
    (97 - n % 97 == key).then_some(compact)
}

fn check(input: &str) {
    let ours = Nir::parse(input).ok().map(|n| n.as_str().to_owned());
    assert_eq!(ours, oracle(input), "disagreement on {input:?}");
}

fn with_key(body: &str) -> String {
    let n: u64 = body
        .replace("2A", "19")
        .replace("2B", "18")
        .parse()
        .unwrap();
    format!("{body}{:02}", 97 - n % 97)
}

#[test]
fn adversarial_cases() {
    let base = with_key("185057800608");
    let cases = [
        base.clone(),
        format!("{base}\n"),
        format!(" {base} "),
        format!("\u{a0}{base}\u{2009}"),
        base.replace('1', "１"),
        base.replace('8', "８"),
        base.chars().rev().collect(),
        base[..14].to_owned(),
        format!("{base}0"),
        with_key("2530722A0730"),
        with_key("2530722A0730").to_lowercase(),
        with_key("2530722B0730").replace("2B", "2b"),
        with_key("2530722A0730").replace("2A", "2C"),
        with_key("2530722A0730").replace("2A", "A2"),
        with_key("2530722A0730").replace("2A", "ＡＢ"),
        "2.53.07.2A.073.004.43".to_owned(),
        "2-53-07-2A-073-004-43".to_owned(),
        "2/53/07/2A/073/004/43".to_owned(),
        "284057512003697".to_owned(),
        "284057512003600".to_owned(),
        "18505780060849200".to_owned(),
        String::new(),
        "\u{0}".repeat(15),
        "٣".repeat(15),
        "１２３４５６７８９０１２３４５".to_owned(),
        "1850578006084９1".to_owned(),
        "ⅠⅡ".to_owned(),
        "¹⁸⁵⁰⁵⁷⁸⁰⁰⁶⁰⁸⁴⁹¹".to_owned(),
    ];
    for c in &cases {
        check(c);
    }
}

#[test]
fn every_body_with_its_key_is_valid_and_no_other_key_is() {
    for body in [
        "1850578006084",
        "2530722A07300",
        "2530722B07300",
        "0000000000000",
    ] {
        for key in 0..100 {
            check(&format!("{body}{key:02}"));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn random_valid_nirs(
        sex in 0u8..10, yy in 0u8..100, mm in 0u8..100,
        dept in prop::sample::select(vec!["01", "2A", "2B", "20", "75", "97", "99", "00"]),
        rest in 0u32..1_000_000,
        sep in prop::sample::select(vec!["", " ", ".", "-", "\u{a0}"]),
        lower in any::<bool>(),
    ) {
        let body = format!("{sex}{yy:02}{mm:02}{dept}{rest:06}");
        let full = with_key(&body);
        let typed: Vec<String> = full.chars().map(String::from).collect();
        let mut typed = typed.join(sep);
        if lower { typed = typed.to_lowercase(); }
        check(&typed);
        prop_assert!(Nir::parse(&typed).is_ok());
    }

    #[test]
    fn random_strings(s in "[0-9A-Ca-c .\\-\u{a0}\u{ff10}-\u{ff19}\n]{0,20}") {
        check(&s);
    }

    #[test]
    fn single_digit_typos_are_caught(pos in 0usize..15, delta in 1u8..10) {
        let full = with_key("2850578006084");
        let mut b = full.into_bytes();
        b[pos] = b'0' + (b[pos] - b'0' + delta) % 10;
        let typo = String::from_utf8(b).unwrap();
        check(&typo);
        // The mod-97 key catches every single-digit substitution.
        prop_assert!(Nir::parse(&typo).is_err());
    }

    #[test]
    fn arbitrary_unicode_never_panics(s in "\\PC{0,40}") {
        check(&s);
    }
}
