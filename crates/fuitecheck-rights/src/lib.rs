/*!
Rights and guided drafting: what a person can do after a breach, the
letters to do it, and a case file to follow it up.

Everything a citizen reads here comes from the data files under
`assets/rights/` (French and English), each statement with its sources; the
texts come from the project's domain brief, and what it marks as
unverified is either left out or says that it must be checked
([`Statement::verify`]). The letters are always French, since they go to
French bodies; their explanations follow the interface language.

- [`guidance`]: the ordered [`Step`]s for one or more breaches (ask the
  organisation, protect yourself, plainte, CNIL, erasure/objection,
  delisting, compensation, collective action), each with its legal basis,
  deadline and official links.
- [`draft`]: a [`Draft`] of a [`DraftKind`] for a breach, filled from the
  catalogue and the [`UserDetails`] typed by the user; export with
  [`Draft::to_pdf`], [`Draft::to_text`], [`Draft::clipboard_text`] and
  [`Draft::mailto`].
- [`Dossier`]: the case file, its deadlines ([`Dossier::next_deadline`]),
  reminders ([`Dossier::to_ics`]) and encrypted storage
  ([`DossierStore`]), kept only when the user asks; the credential
  store is any `keyring_core` store (the app installs the OS one).

Nothing the user types is written anywhere by this module except by
[`Dossier::save`].

```
use fuitecheck_core::catalogue::{Catalogue, Lang};
use fuitecheck_rights::{self as rights, DraftKind, UserDetails};

let catalogue = Catalogue::embedded();
let breach = catalogue.get("viamedis-almerys-2024").unwrap();
for step in rights::guidance(&[breach], &[], Lang::En) {
    println!("{}. {} — {}", step.number, step.title, step.deadline);
}
let user = UserDetails {
    full_name: "Camille Exemple".into(),
    postal_address: "1 rue des Lilas\n35000 Rennes".into(),
    ..Default::default()
};
let letter = rights::draft(DraftKind::Access, breach, &user, Lang::Fr);
assert!(letter.body.contains("article 15"));
let pdf: Vec<u8> = letter.to_pdf();
assert!(pdf.starts_with(b"%PDF"));
```
*/

pub mod content;
pub mod deadline;
pub mod dossier;
pub mod draft;
pub mod guidance;
pub mod notice;
pub mod pdf;
pub mod risks;

pub use content::{Link, Statement};
pub use deadline::DeadlineRule;
pub use dossier::{
    Case, CaseOverview, DOSSIER_VERSION, Deadline, Dossier, DossierError, DossierStore, Event,
    EventKind, Reminder, SERVICE, StepError, StepOverview, StepProgress, StepState,
};
pub use draft::{Draft, DraftKind, Field, Recipient, UrlShows, UserDetails, draft};
pub use guidance::{Step, StepId, disclaimer, guidance, steps_to_text};
