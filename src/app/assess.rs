//! Suis-je concerné ? The real catalogue as cards, each with its short
//! self-assessment and the verdict of SPEC §5. Needs no publication and no
//! NIR.

use std::collections::BTreeMap;

use egui::{RichText, Ui};

use fuitecheck_core::catalogue::{Answer, Breach, Lang, Verdict};

use super::command::{Command, Ctx, View};
use super::i18n::T;
use super::state::ActTarget;
use super::widgets;
use crate::text;

/// The assessment screen: the answers given, per breach id then question
/// id.
#[derive(Debug, Default)]
pub struct AssessScreen {
    /// Answers given.
    pub answers: BTreeMap<String, BTreeMap<String, Answer>>,
}

impl View for AssessScreen {
    fn ui(&mut self, ui: &mut Ui, ctx: &Ctx) -> Vec<Command> {
        let lang = ctx.lang;
        let mut commands = Vec::new();
        widgets::title(ui, T::AssessTitle.tr(lang));
        ui.label(T::AssessIntro.tr(lang));
        ui.add_space(widgets::SECTION_GAP);
        for breach in &ctx.runtime.catalogue.breaches {
            let answers = self.answers.entry(breach.id.clone()).or_default();
            widgets::card(ui, |ui| {
                widgets::breach_facts_ui(ui, breach, lang, false);
                ui.add_space(6.0);
                widgets::exposed_ui(ui, breach, lang);
                egui::CollapsingHeader::new(T::WhatHappened.tr(lang))
                    .id_salt(("what-happened", &breach.id))
                    .show(ui, |ui| {
                        ui.label(breach.description.get(lang));
                        widgets::sources_ui(ui, &breach.id, &breach.sources, lang);
                    });
                if !breach.assessment.is_empty() {
                    ui.add_space(6.0);
                    questions_ui(ui, breach, answers, lang, &mut commands);
                }
            });
            ui.add_space(widgets::SECTION_GAP);
        }
        commands
    }
}

/// The questions of one breach, then its verdict.
fn questions_ui(
    ui: &mut Ui,
    breach: &Breach,
    answers: &mut BTreeMap<String, Answer>,
    lang: Lang,
    commands: &mut Vec<Command>,
) {
    egui::CollapsingHeader::new(RichText::new(T::AnswerQuestions.tr(lang)).strong())
        .id_salt(("questions", &breach.id))
        .default_open(!answers.is_empty())
        .show(ui, |ui| {
            for q in &breach.assessment {
                let text = q.text.get(lang);
                ui.label(text);
                let mut current = answers.get(&q.id).copied();
                let before = current;
                ui.horizontal(|ui| {
                    for (value, key) in [
                        (Answer::Yes, T::AnswerYes),
                        (Answer::No, T::AnswerNo),
                        (Answer::Unknown, T::AnswerUnknown),
                    ] {
                        let label = key.tr(lang);
                        ui.radio_value(&mut current, Some(value), label)
                            .accessible_name(format!("{text} — {label}"));
                    }
                });
                if current != before
                    && let Some(a) = current
                {
                    answers.insert(q.id.clone(), a);
                }
                ui.add_space(4.0);
            }
            ui.add_space(4.0);
            verdict_ui(ui, breach, answers, lang, commands);
        });
}

/// The verdict, its reasons and the next step.
fn verdict_ui(
    ui: &mut Ui,
    breach: &Breach,
    answers: &mut BTreeMap<String, Answer>,
    lang: Lang,
    commands: &mut Vec<Command>,
) {
    widgets::note(ui, |ui| {
        ui.label(RichText::new(T::VerdictTitle.tr(lang)).strong());
        let Ok(assessment) = breach.assess(answers) else {
            // Only answers to this breach's own questions are ever stored.
            answers.clear();
            return;
        };
        if answers.values().all(|a| *a == Answer::Unknown) && assessment.reasons.is_empty() {
            ui.label(T::VerdictNoAnswer.tr(lang));
            if answers.is_empty() {
                return;
            }
        }
        let color = match assessment.verdict {
            Verdict::Unlikely => widgets::ok_color(ui),
            _ => ui.visuals().strong_text_color(),
        };
        ui.label(
            RichText::new(text::verdict_label(assessment.verdict, lang))
                .size(18.0)
                .strong()
                .color(color),
        );
        if !assessment.reasons.is_empty() {
            ui.label(T::VerdictWhy.tr(lang));
            for r in &assessment.reasons {
                ui.label(format!("• {}", text::assessment_reason(r, lang)));
            }
        }
        ui.label(RichText::new(T::VerdictCaveat.tr(lang)).italics());
        if assessment.verdict != Verdict::Unlikely {
            ui.add_space(4.0);
            ui.label(RichText::new(T::NextStep.tr(lang)).strong());
            ui.label(super::i18n::fill(
                lang,
                T::WhoToAsk,
                &[("who", &widgets::who_to_ask(breach, lang))],
            ));
            if ui.button(T::NextStepButton.tr(lang)).clicked() {
                commands.push(Command::OpenAct(Box::new(ActTarget {
                    breach: breach.clone(),
                    matched_categories: None,
                })));
            }
        }
        if ui.small_button(T::ResetAnswers.tr(lang)).clicked() {
            answers.clear();
        }
    });
}
