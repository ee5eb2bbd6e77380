//! Agir: the ordered steps for one breach (from `fuitecheck_rights`), a
//! guided form for each kind of letter with a live preview and exports,
//! and the case file with its deadlines.
//!
//! Everything typed here lives in [`DraftingState`](super::state::DraftingState)
//! and is written only when the person exports a file or chooses to save
//! the case file (encrypted, key in the OS keychain).

use egui::{RichText, Ui};

use fuitecheck_core::catalogue::{Breach, Lang};
use fuitecheck_rights::{self as rights, DraftKind, EventKind, Field, Step};

use super::i18n::{T, fill};
use super::state::{
    ActTarget, AppState, Command, DraftForm, ExportRequest, Settings, date_to_field, parse_date,
};
use super::widgets;
use super::worker::ExportWhat;
use crate::text;

/// Draw the "Agir" screen.
pub fn ui(ui: &mut Ui, state: &mut AppState, settings: &Settings) {
    let lang = settings.lang;
    widgets::title(ui, T::ActTitle.tr(lang));
    let Some(target) = state.act.clone() else {
        choose_ui(ui, state, lang);
        return;
    };
    let breach = &target.breach;
    ui.label(
        RichText::new(fill(
            lang,
            T::ActBreach,
            &[("title", breach.title.get(lang))],
        ))
        .size(18.0)
        .strong(),
    );
    if let Some(cats) = &target.matched_categories {
        ui.label(
            RichText::new(fill(
                lang,
                T::ActYourData,
                &[("list", &widgets::join_categories(cats, lang))],
            ))
            .weak(),
        );
    }
    ui.add_space(6.0);
    widgets::note(ui, |ui| {
        ui.label(rights::disclaimer(lang));
    });
    ui.add_space(widgets::SECTION_GAP);

    who_ui(ui, breach, lang);
    ui.add_space(widgets::SECTION_GAP);

    let cats = target.matched_categories.clone().unwrap_or_default();
    let steps = rights::guidance(&[breach], &cats, lang);
    ui.label(RichText::new(T::ActStepsTitle.tr(lang)).size(17.0).strong());
    for step in &steps {
        if let Some(kind) = step_ui(ui, step, lang) {
            state.drafting.kind = kind;
            state.drafting.message = None;
        }
    }
    ui.add_space(widgets::SECTION_GAP);

    drafting_ui(ui, state, &target, lang);
    ui.add_space(widgets::SECTION_GAP);

    widgets::card(ui, |ui| dossier_ui(ui, state, breach, lang));
}

/// No breach chosen yet: pick one from the catalogue or the publication.
fn choose_ui(ui: &mut Ui, state: &mut AppState, lang: Lang) {
    ui.label(T::ActChoose.tr(lang));
    ui.add_space(8.0);
    let mut breaches: Vec<Breach> = state.catalogue.breaches.clone();
    if let Some(active) = state.source.ready() {
        for b in &active.summary.breaches {
            if !breaches.iter().any(|c| c.id == b.id) {
                breaches.push(b.clone());
            }
        }
    }
    for b in breaches {
        if ui
            .button(fill(
                lang,
                T::ActPrepareFor,
                &[("title", b.title.get(lang))],
            ))
            .clicked()
        {
            state.act = Some(ActTarget {
                breach: b,
                matched_categories: None,
            });
        }
    }
}

/// Whom to write to.
fn who_ui(ui: &mut Ui, breach: &Breach, lang: Lang) {
    widgets::card(ui, |ui| {
        ui.label(RichText::new(T::ActWhoTitle.tr(lang)).strong());
        if let Some(who) = &breach.who_to_ask {
            ui.label(who.get(lang));
        }
        match &breach.controller {
            Some(c) => {
                if let Some(name) = &c.name {
                    ui.label(RichText::new(name).strong());
                }
                if let Some(addr) = c.postal_address.as_ref().or(c.dpo_postal_address.as_ref()) {
                    ui.label(addr);
                }
                if let Some(email) = &c.dpo_email {
                    ui.label(fill(lang, T::ActDpo, &[("email", email)]));
                }
            }
            None if breach.who_to_ask.is_none() => {
                ui.label(RichText::new(&breach.organisation).strong());
            }
            None => {}
        }
    });
}

/// One step: what, when, deadline, legal basis, links, sourced notes.
/// Returns the draft kind when its "prepare" button was clicked.
fn step_ui(ui: &mut Ui, step: &Step, lang: Lang) -> Option<DraftKind> {
    let mut chosen = None;
    egui::CollapsingHeader::new(RichText::new(format!("{}. {}", step.number, step.title)).strong())
        .id_salt(("step", step.id.key()))
        .default_open(step.number == 1)
        .show(ui, |ui| {
            ui.label(&step.summary);
            ui.label(fill(lang, T::ActWhen, &[("text", &step.when)]));
            ui.label(fill(lang, T::ActDeadline, &[("text", &step.deadline)]));
            if !step.legal_basis.is_empty() {
                ui.horizontal_wrapped(|ui| {
                    ui.label(T::ActLegalBasis.tr(lang));
                    for l in &step.legal_basis {
                        ui.hyperlink_to(&l.label, &l.url);
                    }
                });
            }
            if !step.links.is_empty() {
                ui.horizontal_wrapped(|ui| {
                    ui.label(T::ActOfficialLinks.tr(lang));
                    for l in &step.links {
                        ui.hyperlink_to(&l.label, &l.url);
                    }
                });
            }
            for s in &step.statements {
                ui.label(format!("• {}", s.text));
                ui.horizontal_wrapped(|ui| {
                    ui.add_space(12.0);
                    for (i, src) in s.sources.iter().enumerate() {
                        ui.hyperlink_to(
                            RichText::new(fill(
                                lang,
                                T::ActSourceN,
                                &[("n", &(i + 1).to_string())],
                            ))
                            .small(),
                            src,
                        );
                    }
                });
            }
            if let Some(kind) = step.draft {
                ui.add_space(4.0);
                if ui
                    .button(fill(
                        lang,
                        T::ActPrepare,
                        &[("kind", kind_label(kind, lang))],
                    ))
                    .clicked()
                {
                    chosen = Some(kind);
                }
            }
        });
    chosen
}

/// The name of a kind of draft.
pub fn kind_label(kind: DraftKind, lang: Lang) -> &'static str {
    match kind {
        DraftKind::Access => T::KindAccess.tr(lang),
        DraftKind::Cnil => T::KindCnil.tr(lang),
        DraftKind::Dereference => T::KindDereference.tr(lang),
        DraftKind::Police => T::KindPolice.tr(lang),
        DraftKind::Compensation => T::KindCompensation.tr(lang),
        _ => T::KindCollective.tr(lang),
    }
}

/// The kind chooser, the form, the preview and the exports.
fn drafting_ui(ui: &mut Ui, state: &mut AppState, target: &ActTarget, lang: Lang) {
    let breach = &target.breach;
    ui.label(RichText::new(T::ActDraftTitle.tr(lang)).size(17.0).strong());
    ui.label(RichText::new(T::ActDraftPrivacy.tr(lang)).weak());
    ui.horizontal_wrapped(|ui| {
        for kind in DraftKind::ALL {
            ui.selectable_value(&mut state.drafting.kind, *kind, kind_label(*kind, lang));
        }
    });
    ui.add_space(6.0);
    let kind = state.drafting.kind;
    let mut draft = rights::draft(
        kind,
        breach,
        &state.drafting.form.user_details(target),
        lang,
    );
    widgets::card(ui, |ui| {
        form_ui(ui, &mut state.drafting.form, kind, &draft, lang)
    });
    // The form may have changed this frame: the preview follows at once.
    draft = rights::draft(
        kind,
        breach,
        &state.drafting.form.user_details(target),
        lang,
    );
    ui.add_space(widgets::SECTION_GAP);

    let mut commands = Vec::new();
    widgets::card(ui, |ui| {
        ui.label(RichText::new(fill(lang, T::ActPreview, &[("title", &draft.title)])).strong());
        if !draft.missing.is_empty() {
            let list: Vec<&str> = draft.missing.iter().map(|f| f.label(lang)).collect();
            ui.label(
                RichText::new(fill(lang, T::ActMissing, &[("list", &list.join(", "))]))
                    .color(widgets::error_color(ui)),
            );
        }
        if let Some(hint) = &draft.recipient_hint {
            ui.label(fill(lang, T::ActRecipientHint, &[("text", hint)]));
        }
        egui::ScrollArea::vertical()
            .id_salt("draft-preview")
            .min_scrolled_height(340.0)
            .max_height(420.0)
            .show(ui, |ui| {
                egui::Frame::new()
                    .fill(ui.visuals().extreme_bg_color)
                    .inner_margin(10.0)
                    .corner_radius(4.0)
                    .show(ui, |ui| {
                        ui.set_width(ui.available_width());
                        ui.label(RichText::new(&draft.subject).strong());
                        ui.add_space(4.0);
                        ui.label(&draft.body);
                    });
            });
        ui.add_space(6.0);
        ui.label(RichText::new(T::ActSendTitle.tr(lang)).strong());
        ui.label(&draft.send_hint);
        if kind != DraftKind::Dereference && kind != DraftKind::Cnil {
            ui.label(format!("✉ {}", draft.recommande_hint));
        }
        for list in [&draft.prerequisites, &draft.attachments] {
            for item in list {
                ui.label(format!("• {item}"));
            }
        }
        if !draft.links.is_empty() {
            ui.horizontal_wrapped(|ui| {
                for l in &draft.links {
                    ui.hyperlink_to(&l.label, &l.url);
                }
            });
        }
        ui.add_space(6.0);
        let exporting = state.drafting.export.is_some();
        let base = format!("fuitecheck-{}-{}", kind.key(), breach.id);
        ui.horizontal_wrapped(|ui| {
            if ui
                .add_enabled(!exporting, egui::Button::new(T::ActSavePdf.tr(lang)))
                .clicked()
            {
                commands.push(Command::Export(Box::new(ExportRequest {
                    file_name: format!("{base}.pdf"),
                    what: ExportWhat::Pdf(Box::new(draft.clone())),
                })));
            }
            if ui
                .add_enabled(!exporting, egui::Button::new(T::ActSaveText.tr(lang)))
                .clicked()
            {
                commands.push(Command::Export(Box::new(ExportRequest {
                    file_name: format!("{base}.txt"),
                    what: ExportWhat::Text(draft.to_text()),
                })));
            }
            if ui.button(T::ActCopy.tr(lang)).clicked() {
                ui.ctx().copy_text(draft.clipboard_text());
                state.drafting.message = Some((true, T::ActCopied.tr(lang).to_owned()));
            }
            if let Some(url) = draft.mailto()
                && ui.button(T::ActMail.tr(lang)).clicked()
            {
                ui.ctx().open_url(egui::OpenUrl::new_tab(url));
            }
        });
        if exporting {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(T::DialogOpen.tr(lang));
            });
        }
        if let Some((ok, text)) = &state.drafting.message {
            let color = if *ok {
                widgets::ok_color(ui)
            } else {
                widgets::error_color(ui)
            };
            ui.label(RichText::new(text).color(color));
        }
        if !draft.notes.is_empty() {
            egui::CollapsingHeader::new(T::ActGoodToKnow.tr(lang))
                .id_salt(("notes", kind.key()))
                .show(ui, |ui| {
                    for n in &draft.notes {
                        ui.label(format!("• {}", n.text));
                        ui.horizontal_wrapped(|ui| {
                            for (i, src) in n.sources.iter().enumerate() {
                                ui.hyperlink_to(
                                    RichText::new(fill(
                                        lang,
                                        T::ActSourceN,
                                        &[("n", &(i + 1).to_string())],
                                    ))
                                    .small(),
                                    src,
                                );
                            }
                        });
                    }
                });
        }
    });
    state.commands.extend(commands);
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
fn date(ui: &mut Ui, label: &str, value: &mut String, lang: Lang) {
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
fn form_ui(ui: &mut Ui, f: &mut DraftForm, kind: DraftKind, draft: &rights::Draft, lang: Lang) {
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
        DraftKind::Dereference => {
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
    ui.add_space(6.0);
    recipient_ui(ui, f, kind, draft, lang);
    ui.label(RichText::new(T::FormRequiredNote.tr(lang)).weak());
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

/// The case file: what was done, the next deadline, reminders, and the
/// opt-in encrypted save.
fn dossier_ui(ui: &mut Ui, state: &mut AppState, breach: &Breach, lang: Lang) {
    ui.label(RichText::new(T::DossierTitle.tr(lang)).size(17.0).strong());
    ui.label(T::DossierIntro.tr(lang));
    ui.add_space(4.0);
    let d = &mut state.dossier;
    let mut changed = false;
    if let Some(case) = d.dossier.cases.iter().find(|c| c.breach_id == breach.id) {
        let mut events = case.events.clone();
        events.sort_by_key(|e| e.date);
        for e in &events {
            ui.label(format!(
                "• {} — {}",
                text::format_date(e.date, lang),
                event_label(&e.kind, lang)
            ));
        }
    } else {
        ui.label(RichText::new(T::DossierEmpty.tr(lang)).weak());
    }
    ui.add_space(4.0);
    date(ui, T::DossierDate.tr(lang), &mut d.event_date, lang);
    date(ui, T::DossierReceived.tr(lang), &mut d.received_date, lang);
    let day = parse_date(&d.event_date).and_then(Result::ok);
    let received = parse_date(&d.received_date).and_then(Result::ok);
    let complete = d.answer_complete;
    ui.horizontal_wrapped(|ui| {
        let mut record = |ui: &mut Ui, label: T, kind: EventKind| {
            if ui
                .add_enabled(day.is_some(), egui::Button::new(label.tr(lang)))
                .clicked()
                && let Some(day) = day
            {
                d.dossier.record(&breach.id, day, kind, "");
                changed = true;
            }
        };
        record(
            ui,
            T::DossierSent,
            EventKind::AccessRequestSent { received },
        );
        record(ui, T::DossierExtension, EventKind::ExtensionNotified);
        record(ui, T::DossierAnswer, EventKind::AnswerReceived { complete });
        record(ui, T::DossierCnil, EventKind::CnilComplaintFiled);
        record(ui, T::DossierPlainte, EventKind::PlainteFiled);
    });
    ui.checkbox(&mut d.answer_complete, T::DossierAnswerComplete.tr(lang));
    if changed {
        d.event_date = date_to_field(rights::deadline::today());
        d.received_date.clear();
    }

    ui.add_space(6.0);
    let today = rights::deadline::today();
    match d.dossier.next_deadline(today, lang) {
        Some(next) => {
            let when = text::format_date(next.due, lang);
            let passed = next.due < today;
            let line = if passed {
                fill(
                    lang,
                    T::DossierPassed,
                    &[("date", &when), ("label", &next.label)],
                )
            } else {
                fill(
                    lang,
                    T::DossierNext,
                    &[("date", &when), ("label", &next.label)],
                )
            };
            ui.label(RichText::new(line).strong());
            if next.approximate {
                ui.label(RichText::new(T::DossierApproximate.tr(lang)).weak());
            }
            ui.label(fill(lang, T::DossierNextStep, &[("text", &next.next_step)]));
        }
        None => {
            ui.label(RichText::new(T::DossierNoDeadline.tr(lang)).weak());
        }
    }
    let mut commands = Vec::new();
    let has_deadlines = !d.dossier.deadlines(lang).is_empty();
    if ui
        .add_enabled(
            has_deadlines && state.drafting.export.is_none(),
            egui::Button::new(T::DossierIcs.tr(lang)),
        )
        .clicked()
    {
        commands.push(Command::Export(Box::new(ExportRequest {
            file_name: "fuitecheck-rappels.ics".to_owned(),
            what: ExportWhat::Text(d.dossier.to_ics(lang)),
        })));
    }

    ui.add_space(8.0);
    ui.label(RichText::new(T::DossierSaveTitle.tr(lang)).strong());
    ui.label(T::DossierSaveExplain.tr(lang));
    let busy = d.task.is_some();
    if let Some(reason) = &state.credentials.unavailable {
        ui.label(
            RichText::new(fill(lang, T::DossierUnavailable, &[("reason", reason)]))
                .color(widgets::error_color(ui)),
        );
    } else if d.keep {
        ui.label(
            RichText::new(format!("✔ {}", T::DossierKept.tr(lang))).color(widgets::ok_color(ui)),
        );
    } else if ui
        .add_enabled(!busy, egui::Button::new(T::DossierSave.tr(lang)))
        .clicked()
    {
        commands.push(Command::SaveDossier);
    }
    let has_something = d.keep || !d.dossier.cases.is_empty();
    if ui
        .add_enabled(
            has_something && !busy,
            egui::Button::new(T::DossierErase.tr(lang)),
        )
        .clicked()
    {
        commands.push(Command::EraseDossier);
    }
    if busy {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(T::StayWorking.tr(lang));
        });
    }
    if let Some((ok, text)) = &d.message {
        let color = if *ok {
            widgets::ok_color(ui)
        } else {
            widgets::error_color(ui)
        };
        ui.label(RichText::new(text).color(color));
    }
    if changed && d.keep {
        commands.push(Command::SaveDossier);
    }
    state.commands.extend(commands);
}

/// An event of the case file, in words.
fn event_label(kind: &EventKind, lang: Lang) -> String {
    match kind {
        EventKind::AccessRequestSent { received } => match received {
            Some(r) => fill(
                lang,
                T::EventSentReceived,
                &[("date", &text::format_date(*r, lang))],
            ),
            None => T::EventSent.tr(lang).to_owned(),
        },
        EventKind::ExtensionNotified => T::EventExtension.tr(lang).to_owned(),
        EventKind::AnswerReceived { complete: true } => T::EventAnswerComplete.tr(lang).to_owned(),
        EventKind::AnswerReceived { complete: false } => {
            T::EventAnswerIncomplete.tr(lang).to_owned()
        }
        EventKind::CnilComplaintFiled => T::EventCnil.tr(lang).to_owned(),
        EventKind::PlainteFiled => T::EventPlainte.tr(lang).to_owned(),
        _ => T::EventOther.tr(lang).to_owned(),
    }
}
