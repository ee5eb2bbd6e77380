//! Vérification: progress per surname variant, and cancel.

use egui::{RichText, Ui};

use super::command::{Command, Ctx, View};
use super::i18n::{T, fill};
use super::widgets;
use crate::text;

/// The verification screen: the running check's progress (runtime state);
/// it holds nothing of its own.
#[derive(Debug, Default)]
pub struct VerifyScreen;

impl View for VerifyScreen {
    fn ui(&mut self, ui: &mut Ui, ctx: &Ctx) -> Vec<Command> {
        let cancel = progress_ui(ui, ctx);
        if cancel {
            vec![Command::CancelCheck]
        } else {
            Vec::new()
        }
    }
}

/// Progress per variant, the bar, and cancel (returns whether clicked).
fn progress_ui(ui: &mut Ui, ctx: &Ctx) -> bool {
    let lang = ctx.lang;
    widgets::title(ui, T::VerifyTitle.tr(lang));
    let Some(job) = &ctx.runtime.check else {
        ui.label(T::ResultsNone.tr(lang));
        return false;
    };
    if ctx.runtime.source.ready().is_some_and(|s| s.summary.demo) {
        widgets::demo_badge(ui, lang);
        ui.add_space(6.0);
    }
    ui.label(T::VerifyIntro.tr(lang));
    ui.add_space(widgets::SECTION_GAP);
    let fraction = job.fraction();
    let mut cancel = false;
    widgets::card(ui, |ui| {
        for v in &job.variants {
            let variant = text::variant_label(*v, lang);
            if job.derived.contains(v) {
                ui.label(
                    RichText::new(format!(
                        "✔ {}",
                        fill(lang, T::VerifyVariantDone, &[("variant", variant)])
                    ))
                    .color(widgets::ok_color(ui)),
                );
            } else {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(fill(lang, T::VerifyVariantPending, &[("variant", variant)]));
                });
            }
        }
        if job.looking_up {
            widgets::busy_line(ui, T::VerifyLookingUp.tr(lang));
        }
        ui.add_space(8.0);
        ui.add(
            egui::ProgressBar::new(fraction)
                .show_percentage()
                .desired_width(ui.available_width().min(480.0)),
        )
        .accessible_name(T::VerifyProgress.tr(lang));
        ui.add_space(8.0);
        cancel = ui
            .add(egui::Button::new(T::VerifyCancel.tr(lang)).min_size(egui::vec2(120.0, 32.0)))
            .clicked();
    });
    cancel
}
