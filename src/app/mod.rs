//! The desktop app (eframe/egui).

use eframe::egui;

use crate::catalogue::{Catalogue, Lang};
use crate::publication::OfflinePublication;

/// Open the window and run until it is closed.
pub fn run_native() -> eframe::Result {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("FuiteCheck")
            .with_inner_size([1000.0, 720.0])
            .with_min_inner_size([640.0, 480.0]),
        ..Default::default()
    };
    eframe::run_native(
        "FuiteCheck",
        options,
        Box::new(|_cc| Ok(Box::new(FuiteCheckApp::new()))),
    )
}

/// The application state.
pub struct FuiteCheckApp {
    catalogue: Catalogue,
    publication: Result<OfflinePublication, String>,
}

impl FuiteCheckApp {
    /// Load the embedded catalogue and demo publication.
    pub fn new() -> Self {
        Self {
            catalogue: Catalogue::embedded(),
            publication: OfflinePublication::embedded_demo().map_err(|e| e.to_string()),
        }
    }
}

impl Default for FuiteCheckApp {
    fn default() -> Self {
        Self::new()
    }
}

impl eframe::App for FuiteCheckApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.heading("FuiteCheck");
            match &self.publication {
                Ok(p) => ui.label(format!(
                    "Publication active : {} ({} fuites)",
                    p.manifest().publisher,
                    p.manifest().breaches.len()
                )),
                Err(e) => ui.colored_label(egui::Color32::RED, e),
            };
            egui::ScrollArea::vertical().show(ui, |ui| {
                for b in &self.catalogue.breaches {
                    ui.group(|ui| {
                        ui.strong(b.title.get(Lang::Fr));
                        ui.label(b.description.get(Lang::Fr));
                    });
                }
            });
        });
    }
}
