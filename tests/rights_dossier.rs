//! The case file: deadlines across month ends and leap years, reminders as
//! iCalendar, encrypted storage with the key in a credential store.
// A test reports failure by panicking: unwrap/expect are its asserts
// (the workspace denies them in library and app code only).
#![allow(clippy::unwrap_used, clippy::expect_used)]
// See: issue 5 (rights and guided drafting).

use std::sync::{Arc, Mutex};

use keyring_core::api::CredentialStoreApi as _;

use fuitecheck_core::catalogue::Lang;
use fuitecheck_rights::deadline::{add_months, format_date};
use fuitecheck_rights::dossier::{ics_escape, ics_fold};
use fuitecheck_rights::{DeadlineRule, Dossier, DossierError, DossierStore, EventKind, StepId};
use jiff::civil::date;

/// Tests that set keyring-core's global default store take this lock.
static GLOBAL_STORE: Mutex<()> = Mutex::new(());

#[test]
fn month_arithmetic_is_calendar_correct() {
    // Same day next month.
    assert_eq!(
        DeadlineRule::ControllerAnswer.due(date(2026, 3, 15)),
        date(2026, 4, 15)
    );
    // Month ends clamp to the last day.
    assert_eq!(
        DeadlineRule::ControllerAnswer.due(date(2026, 1, 31)),
        // 28 February 2026 is a Saturday: next working day (Reg. 1182/71).
        date(2026, 3, 2)
    );
    assert_eq!(
        DeadlineRule::ControllerAnswer.due(date(2024, 1, 31)),
        date(2024, 2, 29)
    );
    assert_eq!(
        DeadlineRule::ControllerAnswer.due(date(2026, 3, 31)),
        date(2026, 4, 30)
    );
    // Year end.
    assert_eq!(
        DeadlineRule::ControllerAnswer.due(date(2025, 12, 31)),
        // 31 January 2026 is a Saturday.
        date(2026, 2, 2)
    );
    // Leap day.
    assert_eq!(
        DeadlineRule::ControllerAnswer.due(date(2024, 2, 29)),
        date(2024, 3, 29)
    );
    // Extended: three months from receipt, never earlier than 1 + 2.
    assert_eq!(
        DeadlineRule::ControllerAnswerExtended.due(date(2026, 1, 31)),
        date(2026, 4, 30)
    );
    assert!(add_months(add_months(date(2026, 1, 31), 1), 2) <= date(2026, 4, 30));
    assert_eq!(
        DeadlineRule::ControllerAnswerExtended.due(date(2023, 11, 30)),
        date(2024, 2, 29)
    );
    assert_eq!(
        DeadlineRule::CnilProgress.due(date(2025, 11, 30)),
        date(2026, 3, 2)
    );
    assert_eq!(
        DeadlineRule::SearchEngine.due(date(2028, 1, 30)),
        date(2028, 2, 29)
    );
    assert_eq!(
        DeadlineRule::Prescription.due(date(2020, 2, 29)),
        date(2026, 2, 28)
    );
}

#[test]
fn french_dates() {
    assert_eq!(format_date(date(2024, 2, 7), Lang::Fr), "7 février 2024");
    assert_eq!(format_date(date(2024, 3, 1), Lang::Fr), "1er mars 2024");
    assert_eq!(format_date(date(2024, 8, 1), Lang::En), "1 August 2024");
}

#[test]
fn next_deadline_and_next_step() {
    let mut d = Dossier::new();
    let id = "viamedis-almerys-2024";
    d.record(
        id,
        date(2026, 1, 29),
        EventKind::AccessRequestSent {
            received: Some(date(2026, 1, 31)),
        },
        "LRAR",
    );
    let next = d.next_deadline(date(2026, 2, 1), Lang::Fr).unwrap();
    assert_eq!(next.due, date(2026, 3, 2));
    assert!(!next.approximate);
    assert_eq!(next.rule, DeadlineRule::ControllerAnswer);
    assert_eq!(next.next_step_id, StepId::CnilComplaint);
    assert!(next.next_step.contains("CNIL"));
    assert!(!next.sources.is_empty());

    // Extension announced: three months from receipt.
    d.record(id, date(2026, 2, 20), EventKind::ExtensionNotified, "");
    let next = d.next_deadline(date(2026, 2, 21), Lang::En).unwrap();
    assert_eq!(
        (next.due, next.rule),
        (date(2026, 4, 30), DeadlineRule::ControllerAnswerExtended)
    );

    // Complete answer: nothing left to wait for.
    d.record(
        id,
        date(2026, 3, 10),
        EventKind::AnswerReceived { complete: true },
        "",
    );
    assert!(d.deadlines(Lang::Fr).is_empty());

    // Incomplete answer: the CNIL step is open now.
    let mut d2 = Dossier::new();
    d2.record(
        id,
        date(2026, 1, 5),
        EventKind::AccessRequestSent { received: None },
        "",
    );
    d2.record(
        id,
        date(2026, 1, 20),
        EventKind::AnswerReceived { complete: false },
        "",
    );
    let n = d2.next_deadline(date(2026, 1, 21), Lang::Fr).unwrap();
    assert_eq!(n.due, date(2026, 1, 20));
    assert_eq!(n.next_step_id, StepId::CnilComplaint);

    // CNIL complaint and a delisting request: soonest first.
    d2.record(id, date(2026, 2, 1), EventKind::CnilComplaintFiled, "");
    d2.record(
        id,
        date(2026, 2, 2),
        EventKind::DereferencingRequested {
            engine: "Bing".into(),
        },
        "",
    );
    let all = d2.deadlines(Lang::Fr);
    let rules: Vec<_> = all.iter().map(|x| (x.rule, x.due)).collect();
    // 1 May 2026 is a public holiday (a Friday): Monday 4 May.
    assert!(rules.contains(&(DeadlineRule::CnilProgress, date(2026, 5, 4))));
    assert!(rules.contains(&(DeadlineRule::SearchEngine, date(2026, 3, 2))));
    assert!(all.windows(2).all(|w| w[0].due <= w[1].due));
    assert_eq!(
        d2.next_deadline(date(2026, 2, 10), Lang::Fr).unwrap().due,
        date(2026, 3, 2)
    );
    // All passed: the latest one is returned, its next step due now.
    assert_eq!(
        d2.next_deadline(date(2027, 1, 1), Lang::Fr).unwrap().due,
        date(2026, 5, 4)
    );
}

#[test]
fn ics_is_rfc5545() {
    let mut d = Dossier::new();
    d.record(
        "laboratoires-dedalus-2021",
        date(2024, 1, 31),
        EventKind::AccessRequestSent { received: None },
        "",
    );
    let ics = d.to_ics_at(Lang::Fr, "20260302T120000Z");
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"));
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
    // No avis de réception: sent Wed 31 Jan 2024 + 3 working days = Mon
    // 5 Feb (approximate), one month later Tue 5 Mar.
    assert!(ics.contains("DTSTART;VALUE=DATE:20240305\r\n"));
    assert!(ics.contains("DTEND;VALUE=DATE:20240306\r\n"));
    assert!(ics.contains("DTSTAMP:20260302T120000Z\r\n"));
    assert!(ics.replace("\r\n ", "").contains(
        "UID:laboratoires-dedalus-2021-ask_controller-controller_answer-20240305@fuitecheck\r\n"
    ));
    assert!(ics.contains("BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-P1D\r\n"));
    for line in ics.split("\r\n") {
        assert!(line.len() <= 75, "line over 75 octets: {line:?}");
        assert!(!line.contains('\n') && !line.contains('\r'));
    }
    // Unfolding gives back escaped text with its accents intact.
    let unfolded = ics.replace("\r\n ", "");
    assert!(unfolded.contains("SUMMARY:FuiteCheck : Réponse attendue de l'organisme (un mois après réception de la demande)"));
    assert!(unfolded.contains("\\n"), "newlines escaped");
    assert_eq!(ics_escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    // Folding never splits a UTF-8 character.
    let folded = ics_fold(&format!("SUMMARY:{}", "é".repeat(100)));
    for part in folded.split("\r\n") {
        assert!(part.len() <= 75);
        assert!(std::str::from_utf8(part.as_bytes()).is_ok());
    }
    assert_eq!(
        folded.replace("\r\n ", "").trim_end(),
        format!("SUMMARY:{}", "é".repeat(100))
    );
}

fn sample() -> Dossier {
    let mut d = Dossier::new();
    d.record(
        "viamedis-almerys-2024",
        date(2026, 1, 29),
        EventKind::AccessRequestSent {
            received: Some(date(2026, 1, 31)),
        },
        "Mutuelle Œcuménique, n° ADH-42",
    );
    d.record(
        "viamedis-almerys-2024",
        date(2026, 2, 3),
        EventKind::FicobaRequested,
        "",
    );
    d
}

#[test]
fn dossier_round_trips_encrypted_and_is_unreadable_without_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub").join("dossier.fcd");
    let creds = keyring_core::mock::Store::new().unwrap();
    let store = DossierStore::with_credential_store(&path, creds.clone());
    assert!(Dossier::load(&store).unwrap().is_none());
    let d = sample();
    d.save(&store).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with(b"FCDOSSIER1\n"));
    let hay = String::from_utf8_lossy(&bytes);
    for secret in ["ADH-42", "viamedis", "2026-01-29", "Mutuelle"] {
        assert!(!hay.contains(secret), "{secret} in clear");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    assert_eq!(Dossier::load(&store).unwrap().unwrap(), d);
    // Saving again reuses the key (new nonce, same plaintext).
    d.save(&store).unwrap();
    assert_ne!(std::fs::read(&path).unwrap(), bytes);
    assert_eq!(Dossier::load(&store).unwrap().unwrap(), d);

    // Another credential store (another key): unreadable.
    let other =
        DossierStore::with_credential_store(&path, keyring_core::mock::Store::new().unwrap());
    assert!(matches!(
        Dossier::load(&other),
        Err(DossierError::KeyMissing)
    ));
    let third =
        DossierStore::with_credential_store(&path, keyring_core::mock::Store::new().unwrap());
    sample().save(&third).unwrap(); // overwrites the file under a new key
    assert!(matches!(Dossier::load(&store), Err(DossierError::Corrupt)));

    // Tampering is detected.
    d.save(&store).unwrap();
    let mut t = std::fs::read(&path).unwrap();
    let last = t.len() - 1;
    t[last] ^= 1;
    std::fs::write(&path, &t).unwrap();
    assert!(matches!(Dossier::load(&store), Err(DossierError::Corrupt)));

    // Erase: file and key in one action; erasing twice is fine.
    d.save(&store).unwrap();
    Dossier::erase(&store).unwrap();
    assert!(!path.exists());
    assert!(
        creds
            .build("fuitecheck", "dossier-key", None)
            .unwrap()
            .get_secret()
            .is_err()
    );
    Dossier::erase(&store).unwrap();
    assert!(Dossier::load(&store).unwrap().is_none());
}

#[test]
fn default_store_path_uses_the_global_credential_store() {
    let _guard = GLOBAL_STORE.lock().unwrap_or_else(|e| e.into_inner());
    keyring_core::set_default_store(keyring_core::mock::Store::new().unwrap());
    let dir = tempfile::tempdir().unwrap();
    let store = DossierStore::new(dir.path().join("d.fcd"));
    sample().save(&store).unwrap();
    assert_eq!(Dossier::load(&store).unwrap().unwrap(), sample());
    Dossier::erase(&store).unwrap();
    assert!(!store.exists());
    keyring_core::unset_default_store();
    // No store at all: saving fails cleanly, nothing is written.
    let store = DossierStore::new(dir.path().join("e.fcd"));
    assert!(matches!(
        sample().save(&store),
        Err(DossierError::Keyring(_))
    ));
    assert!(!store.exists());
}

#[test]
fn keyring_failure_is_reported_not_fatal() {
    let creds = keyring_core::mock::Store::new().unwrap();
    let entry = creds.build("fuitecheck", "dossier-key", None).unwrap();
    let mock: &keyring_core::mock::Cred = entry.as_any().downcast_ref().unwrap();
    mock.set_error(keyring_core::Error::NoStorageAccess(Box::new(
        std::io::Error::other("locked"),
    )));
    let dir = tempfile::tempdir().unwrap();
    let store =
        DossierStore::with_credential_store(dir.path().join("d.fcd"), Arc::clone(&creds) as _);
    let err = sample().save(&store).unwrap_err();
    assert!(matches!(err, DossierError::Keyring(_)), "{err}");
    assert!(!store.exists());
}

#[test]
fn extension_counts_only_if_announced_in_the_first_month() {
    let id = "viamedis-almerys-2024";
    let mut d = Dossier::new();
    d.record(
        id,
        date(2026, 2, 6),
        EventKind::AccessRequestSent {
            received: Some(date(2026, 2, 10)),
        },
        "",
    );
    // Announced on 12 March, after the first month (ended 10 March).
    d.record(id, date(2026, 3, 12), EventKind::ExtensionNotified, "");
    let next = d.next_deadline(date(2026, 3, 1), Lang::Fr).unwrap();
    assert_eq!(
        (next.rule, next.due),
        (DeadlineRule::ControllerAnswer, date(2026, 3, 10))
    );
    // Announced in time: three months from receipt (10 May is a Sunday).
    d.record(id, date(2026, 3, 9), EventKind::ExtensionNotified, "");
    let next = d.next_deadline(date(2026, 3, 1), Lang::Fr).unwrap();
    assert_eq!(
        (next.rule, next.due),
        (DeadlineRule::ControllerAnswerExtended, date(2026, 5, 11))
    );
}

#[test]
fn without_a_receipt_date_the_deadline_is_approximate() {
    let mut d = Dossier::new();
    d.record(
        "viamedis-almerys-2024",
        date(2026, 4, 30),
        EventKind::AccessRequestSent { received: None },
        "",
    );
    let next = d.next_deadline(date(2026, 5, 1), Lang::Fr).unwrap();
    // 30 April + 3 working days (1 May and the weekend skipped) = 6 May.
    assert_eq!(next.due, date(2026, 6, 8)); // 6 June is a Saturday
    assert!(next.approximate);
    let text = fuitecheck_rights::dossier::summary(&d, date(2026, 5, 1), Lang::Fr);
    assert!(text.contains("date approximative"), "{text}");
}
