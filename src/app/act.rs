//! Agir: the ordered steps for one breach (from `fuitecheck_rights`), a
//! guided form for each kind of letter with a live preview and exports
//! ([`super::draft`]), and the case file with its deadlines
//! ([`super::dossier`]).
//!
//! Everything typed here lives in [`ActScreen`] and is written only when
//! the person exports a file or chooses to save the case file (encrypted,
//! key in the OS keychain).

use egui::{RichText, Ui};

use fuitecheck_core::catalogue::{Breach, Lang};
use fuitecheck_rights::{self as rights, DraftKind, Step};

use super::command::{Command, Ctx, ExportRequest, View};
use super::dossier::DossierForm;
use super::draft::{self, DraftForm};
use super::i18n::{T, fill};
use super::state::ActTarget;
use super::status::Status;
use super::widgets;
use super::worker::ExportWhat;

/// The "Agir" screen: the breach it is about, the draft being prepared,
/// what the person typed, and how the last export or copy went.
pub struct ActScreen {
    /// The breach the screen is about (`None`: choose one).
    pub target: Option<ActTarget>,
    /// The draft being prepared.
    pub kind: DraftKind,
    /// What the person typed for the drafts.
    pub form: DraftForm,
    /// How the last export or copy went.
    pub status: Option<Status>,
    /// The case file card's fields.
    pub dossier: DossierForm,
}

impl ActScreen {
    /// Nothing chosen, nothing typed; events dated `today`.
    pub fn new(today: jiff::civil::Date) -> Self {
        Self {
            target: None,
            kind: DraftKind::Access,
            form: DraftForm::default(),
            status: None,
            dossier: DossierForm::new(today),
        }
    }
}

impl View for ActScreen {
    fn ui(&mut self, ui: &mut Ui, ctx: &Ctx) -> Vec<Command> {
        let lang = ctx.lang;
        widgets::title(ui, T::ActTitle.tr(lang));
        let Some(target) = self.target.clone() else {
            self.choose_ui(ui, ctx);
            return Vec::new();
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
                self.kind = kind;
                self.status = None;
            }
        }
        ui.add_space(widgets::SECTION_GAP);

        let mut commands = self.drafting_ui(ui, ctx, &target);
        ui.add_space(widgets::SECTION_GAP);

        widgets::card(ui, |ui| commands.extend(self.dossier.ui(ui, ctx, breach)));
        commands
    }
}

impl ActScreen {
    /// No breach chosen yet: pick one from the catalogue or the publication.
    fn choose_ui(&mut self, ui: &mut Ui, ctx: &Ctx) {
        let lang = ctx.lang;
        ui.label(T::ActChoose.tr(lang));
        ui.add_space(8.0);
        let mut breaches: Vec<Breach> = ctx.runtime.catalogue.breaches.clone();
        if let Some(active) = ctx.runtime.source.ready() {
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
                self.target = Some(ActTarget {
                    breach: b,
                    matched_categories: None,
                });
            }
        }
    }

    /// The kind chooser, the form, the preview and the exports.
    fn drafting_ui(&mut self, ui: &mut Ui, ctx: &Ctx, target: &ActTarget) -> Vec<Command> {
        let lang = ctx.lang;
        let breach = &target.breach;
        ui.label(RichText::new(T::ActDraftTitle.tr(lang)).size(17.0).strong());
        ui.label(RichText::new(T::ActDraftPrivacy.tr(lang)).weak());
        ui.horizontal_wrapped(|ui| {
            for kind in DraftKind::ALL {
                ui.selectable_value(&mut self.kind, *kind, kind_label(*kind, lang));
            }
        });
        ui.add_space(6.0);
        let kind = self.kind;
        let draft = rights::draft(kind, breach, &self.form.user_details(target), lang);
        widgets::card(ui, |ui| {
            draft::form_ui(ui, &mut self.form, kind, &draft, lang);
        });
        // The form may have changed this frame: the preview follows at once.
        let draft = rights::draft(kind, breach, &self.form.user_details(target), lang);
        ui.add_space(widgets::SECTION_GAP);
        let mut commands = Vec::new();
        widgets::card(ui, |ui| {
            preview_ui(ui, &draft, kind, lang);
            ui.add_space(6.0);
            commands = self.exports_ui(ui, ctx, &draft, &breach.id);
            if !draft.notes.is_empty() {
                egui::CollapsingHeader::new(T::ActGoodToKnow.tr(lang))
                    .id_salt(("notes", kind.key()))
                    .show(ui, |ui| {
                        for n in &draft.notes {
                            widgets::sourced_statement(ui, n, false, lang);
                        }
                    });
            }
        });
        commands
    }

    /// PDF, text, copy, e-mail; and how the last one went.
    fn exports_ui(
        &mut self,
        ui: &mut Ui,
        ctx: &Ctx,
        draft: &rights::Draft,
        breach_id: &str,
    ) -> Vec<Command> {
        let lang = ctx.lang;
        let mut commands = Vec::new();
        let exporting = ctx.runtime.export.is_some();
        let base = format!("fuitecheck-{}-{}", self.kind.key(), breach_id);
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
                self.status = Some(Status::Copied);
            }
            if let Some(url) = draft.mailto()
                && ui.button(T::ActMail.tr(lang)).clicked()
            {
                ui.ctx().open_url(egui::OpenUrl::new_tab(url));
            }
        });
        if exporting {
            widgets::busy_line(ui, T::DialogOpen.tr(lang));
        }
        widgets::status_line(ui, self.status.as_ref(), lang);
        commands
    }
}

/// The draft as it will be sent, and how to send it.
fn preview_ui(ui: &mut Ui, draft: &rights::Draft, kind: DraftKind, lang: Lang) {
    ui.label(RichText::new(fill(lang, T::ActPreview, &[("title", &draft.title)])).strong());
    if !draft.missing.is_empty() {
        let list: Vec<&str> = draft.missing.iter().map(|f| f.label(lang)).collect();
        widgets::error_line(
            ui,
            &fill(lang, T::ActMissing, &[("list", &list.join(", "))]),
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
                widgets::sourced_statement(ui, s, true, lang);
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
