//! Vos informations: NIR (grouped as typed, validated live, decoded), birth
//! name, optional usage name, and the check button.

use egui::text::{CCursor, CCursorRange};
use egui::{Id, RichText, TextStyle, Ui};
use zeroize::{Zeroize as _, Zeroizing};

use fuitecheck_core::catalogue::Lang;
use fuitecheck_core::check::Identity;
use fuitecheck_core::nir::{self, Nir, NirError, NirInfo};
use fuitecheck_core::surname::{Surname, SurnameError};

use super::command::{Command, Ctx, SettingChange, View};
use super::i18n::{T, fill};
use super::state::Screen;
use super::widgets;
use crate::text;

/// The typed identity. Buffers are zeroized on drop and on clear, their
/// capacity is reserved up front so typing does not reallocate (and leave
/// copies behind).
pub struct IdentityForm {
    /// The NIR as displayed (grouped).
    pub nir: Zeroizing<String>,
    /// Nom de naissance.
    pub birth_name: Zeroizing<String>,
    /// Nom d'usage.
    pub usage_name: Zeroizing<String>,
    /// Show the NIR in clear.
    pub show_nir: bool,
    /// The NIR decoded, and the text it was decoded from: decoded again
    /// only when the text changes, not at every frame.
    nir_cache: NirCache,
    /// The fields' memory, locked in RAM and out of core dumps (dropped
    /// last, after the fields have wiped themselves).
    _locks: Vec<fuitecheck_core::privacy::LockedRegion>,
}

/// See [`IdentityForm::nir_decoded`].
struct NirCache {
    text: Zeroizing<String>,
    decoded: Option<Result<NirInfo, NirError>>,
}

/// Bytes reserved per field; [`FIELD_CHARS`] chars of up to 4 bytes fit.
pub const FIELD_CAPACITY: usize = 256;
/// Maximum characters per field.
pub const FIELD_CHARS: usize = 60;

impl Default for IdentityForm {
    fn default() -> Self {
        let field = || Zeroizing::new(String::with_capacity(FIELD_CAPACITY));
        let (nir, birth_name, usage_name, cached) = (field(), field(), field(), field());
        let _locks = [&nir, &birth_name, &usage_name, &cached]
            .iter()
            .map(|f| fuitecheck_core::privacy::LockedRegion::of_string(f, f.capacity()))
            .collect();
        Self {
            nir,
            birth_name,
            usage_name,
            show_nir: false,
            nir_cache: NirCache {
                text: cached,
                decoded: None,
            },
            _locks,
        }
    }
}

impl IdentityForm {
    /// Wipe every field (in place, keeping the reserved capacity).
    pub fn clear(&mut self) {
        for field in [&mut self.nir, &mut self.birth_name, &mut self.usage_name] {
            // Zeroize the bytes, then keep the (now zeroed) allocation.
            let capacity = field.capacity();
            field.zeroize();
            field.reserve(capacity);
        }
        self.show_nir = false;
        self.nir_cache.text.clear();
        self.nir_cache.decoded = None;
    }

    /// The NIR parsed and decoded (`None` when the field is empty),
    /// decoded again only when its text changed since the last call.
    pub fn nir_decoded(&mut self) -> Option<&Result<NirInfo, NirError>> {
        if self.nir.trim().is_empty() {
            self.nir_cache.text.clear();
            self.nir_cache.decoded = None;
            return None;
        }
        if self.nir_cache.decoded.is_none() || *self.nir_cache.text != *self.nir {
            // Within the reserved (locked) capacity: the field is bounded
            // to the same size.
            self.nir_cache.text.clear();
            self.nir_cache.text.push_str(&self.nir);
            self.nir_cache.decoded = Some(Nir::parse(&self.nir).map(|n| n.decode()));
        }
        self.nir_cache.decoded.as_ref()
    }

    /// Whether every field is empty.
    pub fn is_empty(&self) -> bool {
        self.nir.is_empty() && self.birth_name.is_empty() && self.usage_name.is_empty()
    }

    /// The NIR, parsed.
    pub fn nir(&self) -> Result<Nir, NirError> {
        Nir::parse(&self.nir)
    }

    /// The birth name, parsed (`None` when empty).
    pub fn birth_name(&self) -> Option<Result<Surname, SurnameError>> {
        (!self.birth_name.trim().is_empty()).then(|| Surname::parse(&self.birth_name))
    }

    /// The usage name, parsed (`None` when empty).
    pub fn usage_name(&self) -> Option<Result<Surname, SurnameError>> {
        (!self.usage_name.trim().is_empty()).then(|| Surname::parse(&self.usage_name))
    }

    /// The identity, when every field is valid.
    pub fn identity(&self) -> Option<Identity> {
        let nir = self.nir().ok()?;
        let birth_name = self.birth_name()?.ok()?;
        let usage_name = match self.usage_name() {
            None => None,
            Some(r) => Some(r.ok()?),
        };
        Some(Identity {
            nir,
            birth_name,
            usage_name,
        })
    }
}

/// Ids of the three text fields (stable, so their undo history can be
/// wiped on clear).
pub fn field_ids() -> [Id; 3] {
    [
        Id::unique("fuitecheck-nir"),
        Id::unique("fuitecheck-birth-name"),
        Id::unique("fuitecheck-usage-name"),
    ]
}

/// The identity screen: the typed identity, nothing else.
#[derive(Default)]
pub struct IdentityScreen {
    /// The typed identity (zeroized buffers).
    pub form: IdentityForm,
}

impl View for IdentityScreen {
    fn ui(&mut self, ui: &mut Ui, ctx: &Ctx) -> Vec<Command> {
        let lang = ctx.lang;
        let mut commands = Vec::new();
        widgets::title(ui, T::IdTitle.tr(lang));
        if widgets::notice_ui(ui, ctx.runtime.notice.as_ref(), lang) {
            commands.push(Command::DismissNotice);
        }
        let Some(active) = ctx.runtime.source.ready() else {
            ui.label(T::IdNoSource.tr(lang));
            if ui.button(T::NavSettings.tr(lang)).clicked() {
                commands.push(Command::Navigate(Screen::Settings));
            }
            return commands;
        };
        let demo = active.summary.demo;
        if demo {
            widgets::demo_badge(ui, lang);
            ui.add_space(6.0);
        }
        ui.label(T::IdIntro.tr(lang));
        ui.add_space(widgets::SECTION_GAP);

        let submit = widgets::card(ui, |ui| {
            fields_ui(ui, &mut self.form, lang, ctx.runtime.current_year())
        });
        ui.add_space(widgets::SECTION_GAP);
        self.actions_ui(ui, ctx, submit, &mut commands);
        ui.add_space(widgets::SECTION_GAP);

        widgets::note(ui, |ui| {
            ui.label(RichText::new(T::IdWhyTitle.tr(lang)).strong());
            for key in [T::IdWhy1, T::IdWhy2, T::IdWhy3] {
                ui.label(format!("• {}", key.tr(lang)));
            }
        });

        if demo {
            ui.add_space(widgets::SECTION_GAP);
            demo_people_ui(ui, &mut self.form, lang);
        }
        commands
    }
}

impl IdentityScreen {
    /// "Clear after the check", "Vérifier" (or Enter in a field) and
    /// "Effacer".
    fn actions_ui(&self, ui: &mut Ui, ctx: &Ctx, submit: bool, commands: &mut Vec<Command>) {
        let lang = ctx.lang;
        let valid = self.form.identity().is_some();
        let checking = ctx.runtime.is_checking();
        let mut clear_after = ctx.settings.clear_after_check;
        if ui
            .checkbox(&mut clear_after, T::IdClearAfter.tr(lang))
            .changed()
        {
            commands.push(Command::Set(SettingChange::ClearAfterCheck(clear_after)));
        }
        ui.horizontal(|ui| {
            let check = ui
                .add_enabled(
                    valid && !checking,
                    egui::Button::new(RichText::new(T::IdCheck.tr(lang)).strong().size(17.0))
                        .min_size(egui::vec2(140.0, 34.0)),
                )
                .on_disabled_hover_text(T::IdCheckDisabled.tr(lang));
            if check.clicked() || (submit && valid && !checking) {
                commands.push(Command::StartCheck);
            }
            if ui
                .add_enabled(
                    !self.form.is_empty(),
                    egui::Button::new(T::IdClear.tr(lang)).min_size(egui::vec2(100.0, 34.0)),
                )
                .clicked()
            {
                commands.push(Command::ClearIdentity);
            }
        });
        if !valid {
            ui.label(RichText::new(T::IdCheckDisabled.tr(lang)).weak());
        }
    }
}

/// The three fields with their live feedback. Returns whether Enter was
/// pressed in one of them.
fn fields_ui(ui: &mut Ui, form: &mut IdentityForm, lang: Lang, year: u16) -> bool {
    let [nir_id, birth_id, usage_id] = field_ids();
    let mut submit = false;
    // NIR.
    let label = ui.label(RichText::new(T::IdNirLabel.tr(lang)).strong());
    ui.horizontal(|ui| {
        let output = egui::TextEdit::singleline(&mut *form.nir)
            .id(nir_id)
            .password(!form.show_nir)
            .hint_text(T::IdNirHint.tr(lang))
            .char_limit(FIELD_CHARS)
            .font(TextStyle::Monospace)
            .desired_width(280.0)
            .show(ui);
        let response = output.response.response.clone().labelled_by(label.id);
        if response.changed() {
            regroup(ui.ctx(), nir_id, &mut form.nir, output.cursor_range);
        }
        submit |= enter_pressed(ui, &response);
        let toggle = if form.show_nir { T::IdHide } else { T::IdShow };
        if ui.button(toggle.tr(lang)).clicked() {
            form.show_nir = !form.show_nir;
        }
    });
    nir_feedback_ui(ui, form, lang, year);
    ui.add_space(10.0);

    // Birth name.
    let label = ui.label(RichText::new(T::IdBirthName.tr(lang)).strong());
    let response = ui
        .add(
            egui::TextEdit::singleline(&mut *form.birth_name)
                .id(birth_id)
                .hint_text(T::IdBirthNameHint.tr(lang))
                .char_limit(FIELD_CHARS)
                .desired_width(280.0),
        )
        .labelled_by(label.id);
    submit |= enter_pressed(ui, &response);
    match form.birth_name() {
        Some(Err(e)) => error_label(ui, text::surname_error(&e, lang)),
        None if !form.nir.is_empty() && !response.has_focus() => {
            hint_label(ui, T::BirthNameRequired.tr(lang));
        }
        _ => {}
    }
    ui.add_space(10.0);

    // Usage name.
    let label = ui.label(RichText::new(T::IdUsageName.tr(lang)).strong());
    let response = ui
        .add(
            egui::TextEdit::singleline(&mut *form.usage_name)
                .id(usage_id)
                .hint_text(T::IdUsageNameHint.tr(lang))
                .char_limit(FIELD_CHARS)
                .desired_width(280.0),
        )
        .labelled_by(label.id);
    submit |= enter_pressed(ui, &response);
    if let Some(Err(e)) = form.usage_name() {
        error_label(ui, text::surname_error(&e, lang));
    }
    ui.label(RichText::new(T::IdUsageNote.tr(lang)).weak());
    submit
}

/// Wipe the identity fields and the text fields' undo history.
pub fn clear_identity(ctx: &egui::Context, form: &mut IdentityForm) {
    form.clear();
    for id in field_ids() {
        if let Some(mut s) = egui::TextEdit::load_state(ctx, id) {
            s.clear_undoer();
            egui::TextEdit::store_state(ctx, id, s);
        }
    }
}

fn enter_pressed(ui: &Ui, response: &egui::Response) -> bool {
    response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter))
}

fn error_label(ui: &mut Ui, text: &str) {
    let color = widgets::error_color(ui);
    ui.label(RichText::new(format!("⚠ {text}")).color(color));
}

fn hint_label(ui: &mut Ui, text: &str) {
    ui.label(RichText::new(text).weak());
}

/// The precise error, or what the number decodes to.
fn nir_feedback_ui(ui: &mut Ui, form: &mut IdentityForm, lang: Lang, year: u16) {
    let show = form.show_nir;
    let Some(decoded) = form.nir_decoded() else {
        return;
    };
    match decoded {
        // Masked: what the number says (sex, birth month and place) is
        // shown only once the person reveals the number.
        Ok(_) if !show => {
            ui.label(
                RichText::new(format!("✔ {}", T::IdNirValidMasked.tr(lang)))
                    .color(widgets::ok_color(ui)),
            );
        }
        Ok(info) => {
            ui.label(
                RichText::new(format!(
                    "✔ {}",
                    fill(
                        lang,
                        T::IdNirDecoded,
                        &[("summary", &text::nir_summary(info, lang, year))]
                    )
                ))
                .color(widgets::ok_color(ui)),
            );
            for w in &info.warnings {
                let w = text::nir_warning(w, lang);
                ui.label(RichText::new(format!("ℹ {w}")).weak());
            }
            ui.label(RichText::new(T::IdNirDecodedCheck.tr(lang)).weak());
        }
        // Still typing: say how far along, not that it is wrong.
        Err(NirError::WrongLength { got, expected }) if got < expected => {
            hint_label(
                ui,
                &fill(lang, T::IdNirProgress, &[("n", &got.to_string())]),
            );
        }
        Err(e) => error_label(ui, &text::nir_error(e, lang)),
    }
}

/// Regroup the NIR as on a carte Vitale (`2 85 05 78 006 084 91`) after
/// an edit, keeping the cursor after the same significant character.
fn regroup(
    ctx: &egui::Context,
    id: Id,
    text: &mut Zeroizing<String>,
    cursor: Option<CCursorRange>,
) {
    let is_separator = |c: char| c.is_whitespace() || c == '.' || c == '-';
    let cursor_chars = cursor.map_or(usize::MAX, |c| c.primary.index.0);
    let significant_before = text
        .chars()
        .take(cursor_chars)
        .filter(|c| !is_separator(*c))
        .count();
    let compact = nir::compact(text);
    let grouped = nir::group_digits(&compact);
    if grouped.as_str() == text.as_str() {
        return;
    }
    // Replace in place: the reserved capacity avoids a reallocation.
    text.clear();
    text.push_str(&grouped);
    let mut seen = 0;
    let mut index = 0;
    for (i, c) in grouped.chars().enumerate() {
        if seen == significant_before {
            index = i;
            break;
        }
        if c != ' ' {
            seen += 1;
        }
        index = i + 1;
    }
    if let Some(mut state) = egui::TextEdit::load_state(ctx, id) {
        state
            .cursor
            .set_char_range(Some(CCursorRange::one(CCursor::new(index))));
        egui::TextEdit::store_state(ctx, id, state);
    }
}

/// Fill the form with a fictional person of the demo publication.
fn demo_people_ui(ui: &mut Ui, form: &mut IdentityForm, lang: Lang) {
    egui::CollapsingHeader::new(T::IdDemoTitle.tr(lang))
        .id_salt("demo-people")
        .show(ui, |ui| {
            for person in fuitecheck_core::demo::IDENTITIES {
                let nir = person.nir();
                let grouped = nir.grouped();
                let mut name = person.birth_name.to_owned();
                if let Some(usage) = person.usage_name {
                    name.push(' ');
                    name.push_str(&fill(lang, T::IdDemoUsage, &[("usage", usage)]));
                }
                ui.horizontal_wrapped(|ui| {
                    if ui
                        .button(fill(lang, T::IdDemoFill, &[("name", &name)]))
                        .clicked()
                    {
                        form.clear();
                        form.nir.push_str(&grouped);
                        form.birth_name.push_str(person.birth_name);
                        if let Some(usage) = person.usage_name {
                            form.usage_name.push_str(usage);
                        }
                    }
                    ui.label(
                        RichText::new(format!(
                            "{} — {}",
                            grouped.as_str(),
                            fill(
                                lang,
                                T::IdDemoInLists,
                                &[("n", &person.in_breaches.len().to_string())]
                            )
                        ))
                        .weak(),
                    );
                });
            }
        });
}
