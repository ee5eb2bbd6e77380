//! Small drawing helpers shared by the screens.

use egui::{Color32, RichText, Ui};

use fuitecheck_core::catalogue::{Breach, Lang};
use fuitecheck_core::category::Category;

use super::i18n::{self, T, fill};
use super::status::Status;
use crate::text;

/// Space between sections.
pub const SECTION_GAP: f32 = 14.0;

/// A calm card around a block of content.
pub fn card<R>(ui: &mut Ui, add_contents: impl FnOnce(&mut Ui) -> R) -> R {
    let visuals = ui.visuals();
    egui::Frame::new()
        .fill(visuals.faint_bg_color)
        .stroke(visuals.widgets.noninteractive.bg_stroke)
        .corner_radius(8.0)
        .inner_margin(14.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            add_contents(ui)
        })
        .inner
}

/// A softly tinted box for notes that deserve attention without alarm.
pub fn note<R>(ui: &mut Ui, add_contents: impl FnOnce(&mut Ui) -> R) -> R {
    let fill = if ui.visuals().dark_mode {
        Color32::from_rgb(38, 50, 66)
    } else {
        Color32::from_rgb(232, 240, 250)
    };
    egui::Frame::new()
        .fill(fill)
        .corner_radius(6.0)
        .inner_margin(10.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            add_contents(ui)
        })
        .inner
}

/// The colour of error text (WCAG AA on both themes).
pub fn error_color(ui: &Ui) -> Color32 {
    if ui.visuals().dark_mode {
        Color32::from_rgb(255, 140, 130)
    } else {
        Color32::from_rgb(170, 20, 20)
    }
}

/// The colour of good-news text.
pub fn ok_color(ui: &Ui) -> Color32 {
    if ui.visuals().dark_mode {
        Color32::from_rgb(140, 220, 150)
    } else {
        Color32::from_rgb(20, 110, 40)
    }
}

/// The demonstration badge, shown on every demo result.
pub fn demo_badge(ui: &mut Ui, lang: Lang) {
    let (fill, text) = if ui.visuals().dark_mode {
        (
            Color32::from_rgb(90, 70, 10),
            Color32::from_rgb(255, 230, 160),
        )
    } else {
        (
            Color32::from_rgb(255, 236, 179),
            Color32::from_rgb(90, 60, 0),
        )
    };
    egui::Frame::new()
        .fill(fill)
        .corner_radius(4.0)
        .inner_margin(egui::Margin::symmetric(8, 4))
        .show(ui, |ui| {
            ui.label(RichText::new(T::DemoBadge.tr(lang)).strong().color(text));
        });
}

/// Who signed the publication, when it was generated and how long ago,
/// its version, "démonstration" for demo data, and a warning once it has
/// expired (SPEC §6).
pub fn provenance_ui(ui: &mut Ui, summary: &super::state::SourceSummary, lang: Lang) {
    let Some(a) = &summary.admission else {
        return;
    };
    ui.label(
        RichText::new(super::i18n::fill(
            lang,
            T::SourceProvenance,
            &[("provenance", &crate::text::provenance(a, lang))],
        ))
        .weak(),
    );
    if a.expired {
        ui.label(RichText::new(crate::text::expired_warning(a, lang)).color(error_color(ui)));
    }
}

/// A screen title.
pub fn title(ui: &mut Ui, text: &str) {
    ui.add_space(4.0);
    ui.heading(RichText::new(text).strong());
    ui.add_space(8.0);
}

/// A coloured label in the error colour.
pub fn error_line(ui: &mut Ui, text: &str) {
    ui.label(RichText::new(text).color(error_color(ui)));
}

/// A spinner and what is going on.
pub fn busy_line(ui: &mut Ui, text: &str) {
    ui.horizontal(|ui| {
        ui.spinner();
        ui.label(text);
    });
}

/// The status line under a card's actions: how the last task went, in the
/// good-news or the error colour, worded now (so in the current
/// language).
pub fn status_line(ui: &mut Ui, status: Option<&Status>, lang: Lang) {
    let Some(status) = status else { return };
    let color = if status.is_error() {
        error_color(ui)
    } else {
        ok_color(ui)
    };
    ui.label(RichText::new(status.text(lang)).color(color));
}

/// A transient notice with a close button. Returns whether it was closed.
pub fn notice_ui(ui: &mut Ui, notice: Option<&Status>, lang: Lang) -> bool {
    let Some(status) = notice else { return false };
    let text = status.text(lang);
    let mut close = false;
    note(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            if status.is_error() {
                ui.label(RichText::new(&text).color(error_color(ui)));
            } else {
                ui.label(&text);
            }
            close = ui
                .small_button("✖")
                .accessible_name(T::Close.tr(lang))
                .clicked();
        });
    });
    ui.add_space(8.0);
    close
}

/// A sourced statement of `fuitecheck-rights` (a step's statement, a
/// draft's note): the sentence, then a small link per source. `indent`
/// shifts the links under the sentence.
pub fn sourced_statement(
    ui: &mut Ui,
    statement: &fuitecheck_rights::Statement,
    indent: bool,
    lang: Lang,
) {
    ui.label(format!("• {}", statement.text));
    ui.horizontal_wrapped(|ui| {
        if indent {
            ui.add_space(12.0);
        }
        for (i, src) in statement.sources.iter().enumerate() {
            ui.hyperlink_to(
                RichText::new(fill(lang, T::ActSourceN, &[("n", &(i + 1).to_string())])).small(),
                src,
            );
        }
    });
}

/// The public facts of a breach: organisation, dates, people, who is
/// concerned, description.
pub fn breach_facts_ui(ui: &mut Ui, breach: &Breach, lang: Lang, with_description: bool) {
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(breach.title.get(lang)).size(19.0).strong());
        if breach.sensitive {
            let fill = if ui.visuals().dark_mode {
                Color32::from_rgb(60, 45, 80)
            } else {
                Color32::from_rgb(240, 230, 250)
            };
            egui::Frame::new()
                .fill(fill)
                .corner_radius(4.0)
                .inner_margin(egui::Margin::symmetric(6, 2))
                .show(ui, |ui| {
                    ui.label(RichText::new(T::SensitiveBadge.tr(lang)).small().strong());
                });
        }
    });
    ui.label(fill(
        lang,
        T::Organisation,
        &[("org", &breach.organisation)],
    ));
    ui.label(fill(
        lang,
        T::BreachDates,
        &[
            (
                "breach",
                &text::format_catalogue_date(&breach.breach_date, lang),
            ),
            (
                "disclosed",
                &text::format_catalogue_date(&breach.disclosed_date, lang),
            ),
        ],
    ));
    ui.label(fill(
        lang,
        T::PeopleAffected,
        &[("n", &text::format_count(breach.people, lang))],
    ));
    if with_description {
        ui.add_space(4.0);
        ui.label(breach.description.get(lang));
    }
    if let Some(who) = &breach.who_is_concerned {
        ui.add_space(4.0);
        ui.label(fill(lang, T::WhoIsConcerned, &[("who", who.get(lang))]));
    }
}

/// The categories a breach exposed, and those reportedly not exposed.
pub fn exposed_ui(ui: &mut Ui, breach: &Breach, lang: Lang) {
    ui.label(RichText::new(T::ExposedData.tr(lang)).strong());
    ui.horizontal_wrapped(|ui| {
        for (i, c) in breach.categories.iter().enumerate() {
            if i > 0 {
                ui.label("·");
            }
            ui.label(format!(
                "{} {}",
                i18n::category_icon(*c),
                text::category_label(*c, lang)
            ));
        }
    });
    if !breach.reportedly_not_exposed.is_empty() {
        let list = join_categories(&breach.reportedly_not_exposed, lang);
        ui.label(RichText::new(fill(lang, T::NotExposedData, &[("list", &list)])).weak());
    }
    for s in &breach.sanctions {
        let mut line = fill(
            lang,
            T::SanctionLine,
            &[
                ("authority", &s.authority),
                ("reference", &s.reference),
                ("date", &text::format_catalogue_date(&s.date, lang)),
            ],
        );
        if let Some(amount) = s.amount_eur {
            line.push_str(&fill(
                lang,
                T::SanctionAmount,
                &[("amount", &text::format_count(amount, lang))],
            ));
        }
        ui.hyperlink_to(line, &s.url);
    }
}

/// A collapsible list of source links.
pub fn sources_ui(ui: &mut Ui, id: &str, sources: &[String], lang: Lang) {
    if sources.is_empty() {
        return;
    }
    egui::CollapsingHeader::new(T::Sources.tr(lang))
        .id_salt(("sources", id))
        .show(ui, |ui| {
            for url in sources {
                ui.hyperlink_to(short_url(url), url);
            }
        });
}

/// `https://www.example.fr/a/b` → `example.fr/a/b`, cut to a readable
/// length.
fn short_url(url: &str) -> String {
    let s = url
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .trim_start_matches("www.");
    if s.chars().count() > 80 {
        let cut: String = s.chars().take(77).collect();
        format!("{cut}…")
    } else {
        s.to_owned()
    }
}

/// Category labels joined by commas.
pub fn join_categories(cats: &[Category], lang: Lang) -> String {
    cats.iter()
        .map(|c| text::category_label(*c, lang))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Who a person should ask about a breach.
pub fn who_to_ask(breach: &Breach, lang: Lang) -> String {
    if let Some(who) = &breach.who_to_ask {
        return who.get(lang).to_owned();
    }
    breach
        .controller
        .as_ref()
        .and_then(|c| c.name.clone())
        .unwrap_or_else(|| breach.organisation.clone())
}
