//! Agir: the next steps for one breach — whom to write to (controller or
//! `who_to_ask`), the art. 15 request, protection, the CNIL, a complaint,
//! compensation (DOMAIN.md §8).
//!
//! This is the seam with the rights module (`src/rights/`, being built):
//! [`ActTarget`] carries the breach and, after a check, the person's
//! categories; the "draft" button will hand it to the guided drafting.

use egui::{RichText, Ui};

use super::i18n::{self, T, fill};
use super::state::{AppState, Settings};
use super::widgets;

/// Draw the "Agir" screen.
pub fn ui(ui: &mut Ui, state: &mut AppState, settings: &Settings) {
    let lang = settings.lang;
    widgets::title(ui, T::ActTitle.tr(lang));
    let Some(target) = &state.act else {
        ui.label(T::ActChoose.tr(lang));
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
    ui.add_space(widgets::SECTION_GAP);

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
    ui.add_space(widgets::SECTION_GAP);

    widgets::card(ui, |ui| {
        ui.label(RichText::new(T::ActStep1Title.tr(lang)).strong());
        ui.label(T::ActStep1.tr(lang));
        ui.add_space(4.0);
        // TODO(rights): enable once `src/rights/` lands; it receives the
        // `ActTarget` and opens the guided art. 15 drafting.
        ui.add_enabled(false, egui::Button::new(T::ActDraftButton.tr(lang)))
            .on_disabled_hover_text(T::ActDraftPending.tr(lang));
        ui.label(RichText::new(T::ActDraftPending.tr(lang)).weak());
    });
    ui.add_space(widgets::SECTION_GAP);

    widgets::card(ui, |ui| {
        for (title, body) in [
            (T::ActStep2Title, T::ActStep2),
            (T::ActStep3Title, T::ActStep3),
            (T::ActStep4Title, T::ActStep4),
            (T::ActStep5Title, T::ActStep5),
        ] {
            ui.label(RichText::new(title.tr(lang)).strong());
            ui.label(body.tr(lang));
            ui.add_space(8.0);
        }
        ui.label(RichText::new(T::ActLinks.tr(lang)).strong());
        for (name, url) in i18n::ACT_LINKS {
            ui.hyperlink_to(*name, *url);
        }
    });
}
