//! The case file card of the "Agir" screen: what was done for a breach,
//! the next deadline, reminders (`.ics`), and the opt-in encrypted save.
//! The case file itself is runtime state ([`super::state::DossierState`]):
//! the card records events by sending [`Command::RecordEvent`].

use egui::{RichText, Ui};

use fuitecheck_core::catalogue::{Breach, Lang};
use fuitecheck_rights::EventKind;

use super::command::{Command, Ctx, ExportRequest};
use super::draft::{date, date_to_field, parse_date};
use super::i18n::{T, fill};
use super::widgets;
use super::worker::ExportWhat;
use crate::text;

/// What the card's own fields hold.
pub struct DossierForm {
    /// The date typed for the next event (JJ/MM/AAAA).
    pub event_date: String,
    /// The avis de réception date typed.
    pub received_date: String,
    /// The answer received was complete.
    pub answer_complete: bool,
}

impl DossierForm {
    /// Empty fields, the event dated `today`.
    pub fn new(today: jiff::civil::Date) -> Self {
        Self {
            event_date: date_to_field(today),
            received_date: String::new(),
            answer_complete: false,
        }
    }

    /// Draw the card for `breach`.
    pub fn ui(&mut self, ui: &mut Ui, ctx: &Ctx, breach: &Breach) -> Vec<Command> {
        let lang = ctx.lang;
        let mut commands = Vec::new();
        ui.label(RichText::new(T::DossierTitle.tr(lang)).size(17.0).strong());
        ui.label(T::DossierIntro.tr(lang));
        ui.add_space(4.0);
        let dossier = &ctx.runtime.dossier.dossier;
        if let Some(case) = dossier.cases.iter().find(|c| c.breach_id == breach.id) {
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
        self.record_ui(ui, ctx, breach, &mut commands);
        ui.add_space(6.0);
        deadline_ui(ui, ctx, &mut commands);
        ui.add_space(8.0);
        save_ui(ui, ctx, &mut commands);
        commands
    }

    /// The date fields and one button per kind of event.
    fn record_ui(&mut self, ui: &mut Ui, ctx: &Ctx, breach: &Breach, commands: &mut Vec<Command>) {
        let lang = ctx.lang;
        date(ui, T::DossierDate.tr(lang), &mut self.event_date, lang);
        date(
            ui,
            T::DossierReceived.tr(lang),
            &mut self.received_date,
            lang,
        );
        let day = parse_date(&self.event_date).and_then(Result::ok);
        let received = parse_date(&self.received_date).and_then(Result::ok);
        let complete = self.answer_complete;
        let mut recorded = false;
        ui.horizontal_wrapped(|ui| {
            let mut record = |ui: &mut Ui, label: T, kind: EventKind| {
                if ui
                    .add_enabled(day.is_some(), egui::Button::new(label.tr(lang)))
                    .clicked()
                    && let Some(day) = day
                {
                    commands.push(Command::RecordEvent {
                        breach_id: breach.id.clone(),
                        day,
                        kind,
                    });
                    recorded = true;
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
        ui.checkbox(&mut self.answer_complete, T::DossierAnswerComplete.tr(lang));
        if recorded {
            self.event_date = date_to_field(ctx.runtime.today);
            self.received_date.clear();
        }
    }
}

/// The next deadline, and the reminders export.
fn deadline_ui(ui: &mut Ui, ctx: &Ctx, commands: &mut Vec<Command>) {
    let lang = ctx.lang;
    let dossier = &ctx.runtime.dossier.dossier;
    let today = ctx.runtime.today;
    match dossier.next_deadline(today, lang) {
        Some(next) => {
            let when = text::format_date(next.due, lang);
            let key = if next.due < today {
                T::DossierPassed
            } else {
                T::DossierNext
            };
            let line = fill(lang, key, &[("date", &when), ("label", &next.label)]);
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
    let has_deadlines = !dossier.deadlines(lang).is_empty();
    if ui
        .add_enabled(
            has_deadlines && ctx.runtime.export.is_none(),
            egui::Button::new(T::DossierIcs.tr(lang)),
        )
        .clicked()
    {
        commands.push(Command::Export(Box::new(ExportRequest {
            file_name: "fuitecheck-rappels.ics".to_owned(),
            what: ExportWhat::Text(dossier.to_ics(lang)),
        })));
    }
}

/// Keep the case file (encrypted) or erase it, and how that went.
fn save_ui(ui: &mut Ui, ctx: &Ctx, commands: &mut Vec<Command>) {
    let lang = ctx.lang;
    let d = &ctx.runtime.dossier;
    ui.label(RichText::new(T::DossierSaveTitle.tr(lang)).strong());
    ui.label(T::DossierSaveExplain.tr(lang));
    let busy = d.task.is_some();
    if let Some(reason) = &ctx.runtime.credentials.unavailable {
        widgets::error_line(
            ui,
            &fill(lang, T::DossierUnavailable, &[("reason", reason)]),
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
        widgets::busy_line(ui, T::StayWorking.tr(lang));
    }
    widgets::status_line(ui, d.status.as_ref(), lang);
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
