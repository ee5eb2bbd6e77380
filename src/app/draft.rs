//! The guided drafting form of the "Agir" screen: what the person types
//! to fill the letters, the fields each kind of draft asks for, and the
//! dates typed as `JJ/MM/AAAA`. Memory only: never in the saved settings;
//! wiped by "effacer toutes mes données".

use egui::{RichText, Ui};

use fuitecheck_core::catalogue::Lang;
use fuitecheck_rights::{self as rights, DraftKind, Field};

use super::i18n::{T, fill};
use super::state::ActTarget;
use super::widgets;

/// What the person types to fill the drafts. Memory only: never in the
/// saved settings; wiped by "effacer toutes mes données".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DraftForm {
    /// Nom et prénom.
    pub full_name: String,
    /// Adresse postale (several lines).
    pub postal_address: String,
    /// E-mail.
    pub email: String,
    /// Town written before the date.
    pub place: String,
    /// Patient, member or file number.
    pub client_ref: String,
    /// Recipient override: name.
    pub recipient_name: String,
    /// Recipient override: postal address.
    pub recipient_address: String,
    /// Recipient override: e-mail.
    pub recipient_email: String,
    /// SIREN of the organisation (CNIL complaint).
    pub recipient_siren: String,
    /// Date the access request was sent (JJ/MM/AAAA).
    pub request_date: String,
    /// Date on the avis de réception.
    pub request_received: String,
    /// Date of the answer.
    pub answer_date: String,
    /// What is wrong with the answer.
    pub answer_problem: String,
    /// URLs to delist, one per line.
    pub urls: String,
    /// What each non-empty line of `urls` shows, as ticked (same order).
    pub url_shows: Vec<fuitecheck_rights::UrlShows>,
    /// The letter will go by lettre recommandée avec avis de réception.
    pub recommande: bool,
    /// Date the organisation announced an extension (JJ/MM/AAAA).
    pub extension_date: String,
    /// Add an erasure request (art. 17).
    pub erasure: bool,
    /// Add an objection (art. 21).
    pub objection: bool,
    /// The particular situation behind the objection.
    pub objection_reason: String,
    /// Misuse observed.
    pub misuse_facts: String,
    /// Identity theft.
    pub identity_theft: bool,
    /// Harm suffered.
    pub harm: String,
    /// Amount claimed.
    pub amount_eur: String,
    /// Town of the tribunal judiciaire.
    pub court_city: String,
}

/// Parse a date typed as `JJ/MM/AAAA` (or `AAAA-MM-JJ`). `None` when
/// empty; `Some(Err(()))` when unreadable.
pub fn parse_date(text: &str) -> Option<Result<jiff::civil::Date, ()>> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    if let Ok(d) = t.parse::<jiff::civil::Date>() {
        return Some(Ok(d));
    }
    let parts: Vec<&str> = t.split(['/', '.', '-']).map(str::trim).collect();
    let parsed = match parts.as_slice() {
        [d, m, y] if y.len() == 4 => match (y.parse::<i16>(), m.parse::<i8>(), d.parse::<i8>()) {
            (Ok(y), Ok(m), Ok(d)) => jiff::civil::Date::new(y, m, d).map_err(|_| ()),
            _ => Err(()),
        },
        _ => Err(()),
    };
    Some(parsed)
}

/// `2026-03-05` → `05/03/2026`.
pub fn date_to_field(d: jiff::civil::Date) -> String {
    d.strftime("%d/%m/%Y").to_string()
}

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

impl DraftForm {
    /// The details handed to `rights::draft`.
    pub fn user_details(&self, target: &ActTarget) -> fuitecheck_rights::UserDetails {
        let date = |s: &str| parse_date(s).and_then(Result::ok);
        let recipient = opt(&self.recipient_name).map(|name| fuitecheck_rights::Recipient {
            name,
            postal_address: opt(&self.recipient_address),
            email: opt(&self.recipient_email),
        });
        fuitecheck_rights::UserDetails {
            full_name: self.full_name.trim().to_owned(),
            postal_address: self.postal_address.trim().to_owned(),
            email: opt(&self.email),
            place: opt(&self.place),
            letter_date: None,
            matched: target.matched_categories.is_some(),
            client_ref: opt(&self.client_ref),
            recipient,
            recipient_siren: opt(&self.recipient_siren),
            request_date: date(&self.request_date),
            request_received: date(&self.request_received),
            answer_date: date(&self.answer_date),
            answer_problem: opt(&self.answer_problem),
            urls: self
                .urls
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
            url_shows: self.url_shows.clone(),
            recommande: self.recommande,
            extension_date: date(&self.extension_date),
            erasure: self.erasure,
            objection: self.objection,
            objection_reason: opt(&self.objection_reason),
            misuse_facts: opt(&self.misuse_facts),
            identity_theft: self.identity_theft,
            harm: opt(&self.harm),
            amount_eur: opt(&self.amount_eur),
            court_city: opt(&self.court_city),
            categories: target.matched_categories.clone().unwrap_or_default(),
        }
    }

    /// Wipe every field.
    pub fn clear(&mut self) {
        *self = Self::default();
    }
}

/// A labelled single-line field.
fn line(ui: &mut Ui, label: &str, value: &mut String, hint: &str) {
    let l = ui.label(label);
    ui.add(
        egui::TextEdit::singleline(value)
            .hint_text(hint)
            .desired_width(ui.available_width().min(420.0)),
    )
    .labelled_by(l.id);
}

/// A labelled multi-line field.
fn lines(ui: &mut Ui, label: &str, value: &mut String, hint: &str) {
    let l = ui.label(label);
    ui.add(
        egui::TextEdit::multiline(value)
            .hint_text(hint)
            .desired_rows(3)
            .desired_width(ui.available_width().min(520.0)),
    )
    .labelled_by(l.id);
}

/// A labelled date field, with the error next to it.
pub fn date(ui: &mut Ui, label: &str, value: &mut String, lang: Lang) {
    let l = ui.label(label);
    ui.horizontal(|ui| {
        ui.add(
            egui::TextEdit::singleline(value)
                .hint_text(T::DateHint.tr(lang))
                .desired_width(140.0),
        )
        .labelled_by(l.id);
        if let Some(Err(())) = parse_date(value) {
            ui.label(
                RichText::new(format!("⚠ {}", T::DateInvalid.tr(lang)))
                    .color(widgets::error_color(ui)),
            );
        }
    });
}

/// The guided form for `kind`. Fields the draft still needs are marked.
pub fn form_ui(ui: &mut Ui, f: &mut DraftForm, kind: DraftKind, draft: &rights::Draft, lang: Lang) {
    let needs = |field: Field| draft.missing.contains(&field);
    let mark = |text: &str, field: Field| {
        if needs(field) {
            format!("{text} *")
        } else {
            text.to_owned()
        }
    };
    ui.label(RichText::new(T::FormYou.tr(lang)).strong());
    line(
        ui,
        &mark(T::FormName.tr(lang), Field::FullName),
        &mut f.full_name,
        T::FormNameHint.tr(lang),
    );
    if kind != DraftKind::Dereference {
        lines(
            ui,
            &mark(T::FormAddress.tr(lang), Field::PostalAddress),
            &mut f.postal_address,
            T::FormAddressHint.tr(lang),
        );
    }
    line(ui, T::FormEmail.tr(lang), &mut f.email, "");
    line(
        ui,
        T::FormPlace.tr(lang),
        &mut f.place,
        T::FormPlaceHint.tr(lang),
    );
    if matches!(
        kind,
        DraftKind::Access | DraftKind::Cnil | DraftKind::Compensation
    ) {
        line(ui, T::FormClientRef.tr(lang), &mut f.client_ref, "");
    }
    ui.add_space(6.0);
    if matches!(
        kind,
        DraftKind::Access | DraftKind::Compensation | DraftKind::Police
    ) {
        ui.checkbox(&mut f.recommande, T::FormRecommande.tr(lang));
    }
    if matches!(kind, DraftKind::Police | DraftKind::Compensation) {
        date(ui, T::FormRequestDate.tr(lang), &mut f.request_date, lang);
    }
    if kind == DraftKind::Police {
        date(ui, T::FormAnswerDate.tr(lang), &mut f.answer_date, lang);
    }
    kind_fields_ui(ui, f, kind, &mark, lang);
    ui.add_space(6.0);
    recipient_ui(ui, f, kind, draft, lang);
    ui.label(RichText::new(T::FormRequiredNote.tr(lang)).weak());
}

/// The fields only `kind` asks for.
fn kind_fields_ui(
    ui: &mut Ui,
    f: &mut DraftForm,
    kind: DraftKind,
    mark: &dyn Fn(&str, Field) -> String,
    lang: Lang,
) {
    match kind {
        DraftKind::Access => {
            ui.checkbox(&mut f.erasure, T::FormErasure.tr(lang));
            ui.checkbox(&mut f.objection, T::FormObjection.tr(lang));
            if f.objection {
                lines(
                    ui,
                    T::FormObjectionReason.tr(lang),
                    &mut f.objection_reason,
                    "",
                );
            }
        }
        DraftKind::Cnil => {
            date(
                ui,
                &mark(T::FormRequestDate.tr(lang), Field::RequestDate),
                &mut f.request_date,
                lang,
            );
            date(ui, T::FormReceived.tr(lang), &mut f.request_received, lang);
            date(
                ui,
                T::FormExtensionDate.tr(lang),
                &mut f.extension_date,
                lang,
            );
            date(ui, T::FormAnswerDate.tr(lang), &mut f.answer_date, lang);
            lines(
                ui,
                &mark(T::FormAnswerProblem.tr(lang), Field::AnswerProblem),
                &mut f.answer_problem,
                "",
            );
            line(ui, T::FormSiren.tr(lang), &mut f.recipient_siren, "");
        }
        DraftKind::Dereference => urls_ui(ui, f, mark, lang),
        DraftKind::Police => {
            line(
                ui,
                &mark(T::FormCourt.tr(lang), Field::CourtCity),
                &mut f.court_city,
                "",
            );
            lines(
                ui,
                &mark(T::FormMisuse.tr(lang), Field::MisuseFacts),
                &mut f.misuse_facts,
                "",
            );
            ui.checkbox(&mut f.identity_theft, T::FormIdentityTheft.tr(lang));
        }
        DraftKind::Compensation => {
            lines(
                ui,
                &mark(T::FormHarm.tr(lang), Field::Harm),
                &mut f.harm,
                "",
            );
            line(
                ui,
                T::FormAmount.tr(lang),
                &mut f.amount_eur,
                T::FormAmountHint.tr(lang),
            );
        }
        _ => {}
    }
}

/// The pages to delist, and what each shows.
fn urls_ui(ui: &mut Ui, f: &mut DraftForm, mark: &dyn Fn(&str, Field) -> String, lang: Lang) {
    lines(
        ui,
        &mark(T::FormUrls.tr(lang), Field::Urls),
        &mut f.urls,
        "https://",
    );
    let pages: Vec<String> = f
        .urls
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    f.url_shows.resize(pages.len(), Default::default());
    if !pages.is_empty() {
        ui.label(RichText::new(T::FormUrlTicks.tr(lang)).weak());
    }
    for (page, shows) in pages.iter().zip(f.url_shows.iter_mut()) {
        ui.label(RichText::new(page).monospace().small());
        ui.horizontal_wrapped(|ui| {
            ui.checkbox(&mut shows.health, T::FormUrlHealth.tr(lang));
            ui.checkbox(&mut shows.nir, T::FormUrlNir.tr(lang));
        });
    }
}

/// The recipient (or association) of the draft, folded unless needed.
fn recipient_ui(
    ui: &mut Ui,
    f: &mut DraftForm,
    kind: DraftKind,
    draft: &rights::Draft,
    lang: Lang,
) {
    let needs = |field: Field| draft.missing.contains(&field);
    let mark = |text: &str, field: Field| {
        if needs(field) {
            format!("{text} *")
        } else {
            text.to_owned()
        }
    };
    let recipient_label = if kind == DraftKind::Collective {
        T::FormAssociation
    } else {
        T::FormRecipient
    };
    let open = needs(Field::RecipientName)
        || needs(Field::RecipientAddress)
        || !f.recipient_name.is_empty();
    egui::CollapsingHeader::new(recipient_label.tr(lang))
        .id_salt(("recipient", open))
        .default_open(open)
        .show(ui, |ui| {
            if let Some(r) = &draft.recipient
                && f.recipient_name.is_empty()
            {
                ui.label(
                    RichText::new(fill(lang, T::FormRecipientDefault, &[("name", &r.name)])).weak(),
                );
            }
            line(
                ui,
                &mark(T::FormRecipientName.tr(lang), Field::RecipientName),
                &mut f.recipient_name,
                "",
            );
            lines(
                ui,
                &mark(T::FormRecipientAddress.tr(lang), Field::RecipientAddress),
                &mut f.recipient_address,
                "",
            );
            line(
                ui,
                T::FormRecipientEmail.tr(lang),
                &mut f.recipient_email,
                "",
            );
        });
}
