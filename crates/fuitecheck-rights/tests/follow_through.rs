//! Follow-through in the case file (issue 17, item 2): each step's state
//! and its transitions, the deadline shown at each, the "where am I"
//! overview across breaches and people, start-up reminders, marking a
//! breach handled and undoing it, the `.ics` export (snapshot) and the
//! round trip through the encrypted file.
// A test reports failure by panicking: unwrap/expect are its asserts.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use fuitecheck_core::catalogue::Lang;
use fuitecheck_rights::{
    DeadlineRule, Dossier, DossierStore, EventKind, StepError, StepId, StepState,
};
use jiff::civil::date;

const VIA: &str = "viamedis-almerys-2024";
const LAB: &str = "laboratoires-dedalus-2021";

fn next(d: &Dossier) -> Option<(StepId, DeadlineRule, jiff::civil::Date, bool)> {
    d.deadlines(Lang::Fr)
        .first()
        .map(|x| (x.step, x.rule, x.due, x.approximate))
}

#[test]
fn every_state_transition_and_the_deadline_it_shows() {
    let mut d = Dossier::new();
    let s = StepId::AskController;
    // To do: nothing to wait for.
    assert_eq!(d.case_for_mut("", VIA).state(s), StepState::ToDo);
    assert!(d.deadlines(Lang::Fr).is_empty());
    // An answer or a receipt before anything was sent is refused.
    assert_eq!(
        d.mark_answered("", VIA, s, date(2026, 3, 1), true),
        Err(StepError::NotSent(s))
    );
    assert_eq!(
        d.mark_received("", VIA, s, date(2026, 3, 1)),
        Err(StepError::NotSent(s))
    );
    // To do → sent (Mon 2 March 2026, no avis de réception yet): three
    // working days of post, then one month: approximate.
    d.mark_sent("", VIA, s, date(2026, 3, 2), None).unwrap();
    assert_eq!(
        next(&d),
        Some((s, DeadlineRule::ControllerAnswer, date(2026, 4, 7), true))
    );
    // The avis de réception says Wed 4 March: exact, 4 April is a
    // Saturday, so Monday 6 April is Easter Monday: Tuesday 7 April.
    d.mark_received("", VIA, s, date(2026, 3, 4)).unwrap();
    assert_eq!(
        next(&d),
        Some((s, DeadlineRule::ControllerAnswer, date(2026, 4, 7), false))
    );
    // A receipt before sending is refused, and changes nothing.
    assert!(matches!(
        d.mark_received("", VIA, s, date(2026, 3, 1)),
        Err(StepError::DateOrder { .. })
    ));
    // Extension announced within the first month: three months.
    d.mark_extension("", VIA, s, date(2026, 3, 20)).unwrap();
    assert_eq!(
        next(&d),
        Some((
            s,
            DeadlineRule::ControllerAnswerExtended,
            date(2026, 6, 4),
            false
        ))
    );
    // Sent → answered, incomplete: the CNIL step is open from that day.
    d.mark_answered("", VIA, s, date(2026, 4, 2), false)
        .unwrap();
    let dl = d.deadlines(Lang::Fr).remove(0);
    assert_eq!((dl.step, dl.due), (s, date(2026, 4, 2)));
    assert_eq!(dl.next_step_id, StepId::CnilComplaint);
    assert!(dl.next_step.contains("CNIL"));
    // An answer dated before sending is refused.
    assert!(matches!(
        d.mark_answered("", VIA, s, date(2026, 2, 1), true),
        Err(StepError::DateOrder { .. })
    ));
    // Answered again, complete: nothing left to wait for.
    d.mark_answered("", VIA, s, date(2026, 4, 10), true)
        .unwrap();
    assert!(d.deadlines(Lang::Fr).is_empty());
    // → done, → to do (reopened), → not needed.
    d.mark_done("", VIA, s, Some(date(2026, 4, 11)));
    assert_eq!(
        d.case("", VIA).unwrap().state(s),
        StepState::Done {
            on: Some(date(2026, 4, 11))
        }
    );
    d.reopen("", VIA, s);
    assert_eq!(d.case("", VIA).unwrap().state(s), StepState::ToDo);
    d.mark_not_needed("", VIA, s);
    assert_eq!(d.case("", VIA).unwrap().state(s), StepState::NotNeeded);
    assert!(d.deadlines(Lang::Fr).is_empty());
    // Other steps follow their own rules: CNIL three months, search
    // engine one month, FICOBA one month, plainte none.
    d.mark_sent("", VIA, StepId::CnilComplaint, date(2026, 5, 4), None)
        .unwrap();
    d.mark_sent("", VIA, StepId::Dereference, date(2026, 5, 5), None)
        .unwrap();
    d.mark_sent("", VIA, StepId::Protect, date(2026, 5, 6), None)
        .unwrap();
    d.mark_sent("", VIA, StepId::Plainte, date(2026, 5, 7), None)
        .unwrap();
    let rules: Vec<_> = d
        .deadlines(Lang::Fr)
        .iter()
        .map(|x| (x.step, x.rule, x.due))
        .collect();
    assert_eq!(
        rules,
        [
            (
                StepId::Dereference,
                DeadlineRule::SearchEngine,
                date(2026, 6, 5)
            ),
            (StepId::Protect, DeadlineRule::Ficoba, date(2026, 6, 6)),
            (
                StepId::CnilComplaint,
                DeadlineRule::CnilProgress,
                date(2026, 8, 4)
            ),
        ]
    );
    // The note of a step.
    d.set_note("", VIA, StepId::CnilComplaint, "plainte n° 24-001");
    assert_eq!(
        d.case("", VIA)
            .unwrap()
            .progress(StepId::CnilComplaint)
            .unwrap()
            .note,
        "plainte n° 24-001"
    );
}

/// Issue 17, "done means": a person who sent an access request three
/// weeks ago opens the app and sees the step, its deadline and what to do
/// when it passes.
#[test]
fn three_weeks_after_an_access_request() {
    let mut d = Dossier::new();
    d.mark_sent(
        "",
        VIA,
        StepId::AskController,
        date(2026, 11, 12),
        Some(date(2026, 11, 16)),
    )
    .unwrap();
    d.set_note("", VIA, StepId::AskController, "LRAR 1A 234 567 8901 2");
    let today = date(2026, 12, 3);
    let view = d.overview(today, Lang::Fr);
    assert_eq!(view.len(), 1);
    let case = &view[0];
    assert_eq!(case.breach_id, VIA);
    assert_eq!(case.steps.len(), StepId::ALL.len());
    let ask = &case.steps[0];
    assert_eq!(ask.step, StepId::AskController);
    assert!(matches!(ask.state, StepState::Sent { .. }));
    assert_eq!(ask.note, "LRAR 1A 234 567 8901 2");
    let dl = ask.deadline.as_ref().unwrap();
    assert_eq!(dl.due, date(2026, 12, 16));
    assert!(!ask.overdue);
    assert!(dl.label.contains("un mois"));
    assert!(dl.next_step.contains("CNIL"), "{}", dl.next_step);
    assert_eq!(case.next.as_ref().unwrap().due, date(2026, 12, 16));
    assert!(case.steps[1..].iter().all(|s| s.state == StepState::ToDo));

    // Start-up reminders: none yet; the day before; once passed.
    assert!(d.reminders_due(today, Lang::Fr).is_empty());
    let r = d.reminders_due(date(2026, 12, 15), Lang::Fr);
    assert_eq!(r.len(), 1);
    assert_eq!((r[0].days_left, r[0].overdue), (1, false));
    let r = d.reminders_due(date(2026, 12, 20), Lang::En);
    assert_eq!((r[0].days_left, r[0].overdue), (-4, true));
    assert!(r[0].deadline.next_step.contains("CNIL"));
    let view = d.overview(date(2026, 12, 20), Lang::Fr);
    assert!(view[0].steps[0].overdue);
}

fn household() -> Dossier {
    let mut d = Dossier::new();
    d.record(
        LAB,
        date(2024, 1, 31),
        EventKind::AccessRequestSent { received: None },
        "",
    );
    d.mark_sent(
        "Léa",
        VIA,
        StepId::AskController,
        date(2026, 2, 2),
        Some(date(2026, 2, 4)),
    )
    .unwrap();
    d.mark_sent("Léa", VIA, StepId::Dereference, date(2026, 2, 5), None)
        .unwrap();
    d.mark_sent("", VIA, StepId::CnilComplaint, date(2026, 2, 6), None)
        .unwrap();
    d.set_note(
        "Léa",
        VIA,
        StepId::AskController,
        "adhérent 42, à ne pas exporter",
    );
    d
}

#[test]
fn where_am_i_across_breaches_and_people() {
    let d = household();
    assert_eq!(d.people(), ["", "Léa"]);
    let view = d.overview(date(2026, 2, 10), Lang::En);
    let keys: Vec<_> = view
        .iter()
        .map(|c| (c.person.as_str(), c.breach_id.as_str()))
        .collect();
    assert_eq!(keys, [("", LAB), ("", VIA), ("Léa", VIA)]);
    // The user's own Viamedis case and Léa's are separate.
    assert!(matches!(view[1].steps[3].state, StepState::Sent { .. }));
    assert_eq!(view[1].steps[0].state, StepState::ToDo);
    assert!(matches!(view[2].steps[0].state, StepState::Sent { .. }));
    let all = d.deadlines(Lang::Fr);
    assert_eq!(all.len(), 4);
    assert!(all.windows(2).all(|w| w[0].due <= w[1].due));
}

#[test]
fn marking_a_breach_handled_is_one_call_and_reversible() {
    let mut d = household();
    let before = d.clone();
    let today = date(2026, 3, 10);
    assert!(!d.reminders_due(today, Lang::Fr).is_empty());
    d.mark_handled("Léa", VIA, date(2026, 3, 1));
    let view = d.overview(today, Lang::Fr);
    let lea = view.iter().find(|c| c.person == "Léa").unwrap();
    assert_eq!(lea.handled, Some(date(2026, 3, 1)));
    assert!(lea.next.is_none());
    assert!(lea.steps.iter().all(|s| s.deadline.is_none()));
    assert!(d.deadlines(Lang::Fr).iter().all(|x| x.person != "Léa"));
    assert!(
        d.reminders_due(today, Lang::Fr)
            .iter()
            .all(|r| r.deadline.person != "Léa")
    );
    // The other cases are untouched.
    assert_eq!(d.deadlines(Lang::Fr).len(), 2);
    d.unmark_handled("Léa", VIA);
    assert_eq!(d, before);
}

#[test]
fn reminders_as_ics() {
    let d = household();
    let ics = d.to_ics_at(Lang::Fr, "20260210T090000Z");
    // One VEVENT and one VALARM per step waiting on a deadline.
    assert_eq!(ics.matches("BEGIN:VEVENT\r\n").count(), 4);
    assert_eq!(ics.matches("BEGIN:VALARM\r\n").count(), 4);
    assert_eq!(ics.matches("END:VEVENT\r\n").count(), 4);
    // CRLF everywhere, lines folded at 75 octets.
    assert!(!ics.replace("\r\n", "").contains('\n'));
    for line in ics.split("\r\n") {
        assert!(line.len() <= 75, "{line:?}");
    }
    // Stable UIDs, with the person's position when there are several;
    // notes and people's labels are not exported.
    let unfolded = ics.replace("\r\n ", "");
    assert!(unfolded.contains(&format!(
        "UID:{VIA}-ask_controller-controller_answer-20260304-p2@fuitecheck\r\n"
    )));
    assert!(!unfolded.contains("Léa") && !unfolded.contains("adhérent"));
    assert!(unfolded.contains("SUMMARY:FuiteCheck : Réponse attendue de l'organisme (un mois après réception de la demande) [2]"));
    // Only the request without an avis de réception says its date is
    // approximate.
    assert_eq!(
        unfolded.matches("DESCRIPTION:Date approximative").count(),
        1
    );
    insta::assert_snapshot!("household_ics", ics.replace("\r\n", "⏎\n"));
    // A handled case leaves the calendar.
    let mut h = d.clone();
    h.mark_handled("Léa", VIA, date(2026, 2, 10));
    assert_eq!(
        h.to_ics_at(Lang::Fr, "20260210T090000Z")
            .matches("BEGIN:VEVENT")
            .count(),
        2
    );
}

#[test]
fn steps_people_and_handled_round_trip_through_the_encrypted_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dossier.fcd");
    let store =
        DossierStore::with_credential_store(&path, keyring_core::mock::Store::new().unwrap());
    let mut d = household();
    d.mark_handled("", LAB, date(2026, 2, 1));
    d.mark_not_needed("Léa", VIA, StepId::Compensation);
    d.save(&store).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with(b"FCDOSSIER1\n"));
    let hay = String::from_utf8_lossy(&bytes);
    for secret in ["Léa", "adhérent", "dereference", "handled", "viamedis"] {
        assert!(!hay.contains(secret), "{secret} in clear");
    }
    let back = Dossier::load(&store).unwrap().unwrap();
    assert_eq!(back, d);
    assert_eq!(back.version, fuitecheck_rights::DOSSIER_VERSION);
    assert_eq!(
        back.case("Léa", VIA).unwrap().state(StepId::Compensation),
        StepState::NotNeeded
    );
}
