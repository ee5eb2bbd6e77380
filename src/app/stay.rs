//! Rester informé(e): with the person's consent, the fingerprint keys `k`
//! of a check and the NIR's bucket (never the NIR or the names) go to the
//! OS credential store,
//! so the same publication can be re-checked after an update without
//! typing anything again (SPEC §3).
//!
//! Keys are only valid for a publication with the same salt and KDF: the
//! entry is named from the signing key id and the salt
//! ([`SourceSummary::keys_entry`](super::state::SourceSummary::keys_entry)),
//! service `fuitecheck`. Every credential-store call runs on a worker
//! thread. Without a credential store (headless Linux: no session bus) the
//! card says so and the rest of the app works.

use std::sync::Arc;

use egui::{RichText, Ui};
use keyring_core::{CredentialStore, Entry};
use zeroize::Zeroizing;

use fuitecheck_core::bucket::NirBucket;
use fuitecheck_core::catalogue::Lang;
use fuitecheck_core::check::{CheckReport, Variant};
use fuitecheck_core::fingerprint::Key;

use super::i18n::{T, fill};
use super::state::{AppState, Command};
use super::widgets;
use super::worker::{Keys, Task};

/// The credential-store service name.
pub use fuitecheck_rights::SERVICE;

/// The OS credential store, or why there is none.
#[derive(Clone)]
pub struct Credentials {
    store: Option<Arc<CredentialStore>>,
    /// Why the store is unavailable.
    pub unavailable: Option<String>,
}

impl Credentials {
    /// `keyring-core`'s default store, if one was installed.
    pub fn from_default() -> Self {
        match keyring_core::get_default_store() {
            Some(store) => Self::with_store(store),
            None => Self::unavailable("no credential store".to_owned()),
        }
    }

    /// A given store (tests use `keyring_core::mock::Store`).
    pub fn with_store(store: Arc<CredentialStore>) -> Self {
        Self {
            store: Some(store),
            unavailable: None,
        }
    }

    /// No store, and why.
    pub fn unavailable(reason: String) -> Self {
        Self {
            store: None,
            unavailable: Some(reason),
        }
    }

    /// Whether there is a store.
    pub fn available(&self) -> bool {
        self.store.is_some()
    }

    /// The store itself.
    pub fn store(&self) -> Option<Arc<CredentialStore>> {
        self.store.clone()
    }

    fn entry(&self, user: &str) -> Result<Entry, String> {
        let store = self.store.as_ref().ok_or_else(|| {
            self.unavailable
                .clone()
                .unwrap_or_else(|| "no credential store".to_owned())
        })?;
        store.build(SERVICE, user, None).map_err(|e| e.to_string())
    }

    /// Keep `keys` under `user`.
    pub fn store_keys(&self, user: &str, keys: &Keys) -> Result<(), String> {
        self.entry(user)?
            .set_secret(&encode(keys))
            .map_err(|e| e.to_string())
    }

    /// The keys kept under `user`, if any.
    pub fn load_keys(&self, user: &str) -> Result<Option<Keys>, String> {
        match self.entry(user)?.get_secret() {
            Ok(bytes) => {
                let bytes = Zeroizing::new(bytes);
                decode(&bytes)
                    .map(Some)
                    .ok_or_else(|| "unreadable stored keys".to_owned())
            }
            Err(keyring_core::Error::NoEntry) => Ok(None),
            Err(e) => Err(e.to_string()),
        }
    }

    /// Delete the keys kept under `user` (absent is fine).
    pub fn forget_keys(&self, user: &str) -> Result<(), String> {
        match self.entry(user)?.delete_credential() {
            Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
            Err(e) => Err(e.to_string()),
        }
    }
}

/// 33-byte records: one per variant (tag 0 birth name, 1 usage name,
/// then its 32 bytes), then the NIR bucket (tag 2, the bucket byte, 31
/// zero bytes).
pub fn encode(keys: &Keys) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity((keys.variants.len() + 1) * 33));
    for (v, k) in &keys.variants {
        out.push(match v {
            Variant::BirthName => 0,
            Variant::UsageName => 1,
        });
        out.extend_from_slice(k.as_bytes());
    }
    out.push(2);
    out.push(keys.bucket.byte());
    out.extend_from_slice(&[0; 31]);
    out
}

/// The inverse of [`encode`]: at least one key and exactly one bucket.
pub fn decode(bytes: &[u8]) -> Option<Keys> {
    if !bytes.len().is_multiple_of(33) || bytes.len() < 66 {
        return None;
    }
    let (keys, last) = bytes.split_at(bytes.len() - 33);
    if last[0] != 2 || last[2..].iter().any(|&b| b != 0) {
        return None;
    }
    let variants = keys
        .chunks(33)
        .map(|c| {
            let v = match c[0] {
                0 => Variant::BirthName,
                1 => Variant::UsageName,
                _ => return None,
            };
            let mut k = Zeroizing::new([0u8; 32]);
            k.copy_from_slice(&c[1..]);
            Some((v, Key::from_bytes(*k)))
        })
        .collect::<Option<Vec<_>>>()?;
    Some(Keys {
        bucket: NirBucket::from_byte(last[1]),
        variants,
    })
}

/// Keys of the last check, in memory, until the person decides.
pub struct PendingKeys {
    /// The entry they belong under.
    pub entry: String,
    /// The keys.
    pub keys: Keys,
}

/// What a credential-store task did.
pub enum StayDone {
    /// Whether keys exist for `entry`, and, for an offline publication,
    /// the automatic re-check.
    Probed {
        /// The entry probed.
        entry: String,
        /// Keys are stored.
        exists: Result<bool, String>,
        /// The re-check with them, if one ran.
        recheck: Option<Result<(CheckReport, Vec<Variant>), String>>,
    },
    /// Keys were stored under `entry`.
    Stored(String, Result<(), String>),
    /// Keys under `entry` were deleted.
    Forgotten(String, Result<(), String>),
    /// A re-check asked for by the person (`None`: no keys stored).
    Rechecked(Result<Option<(CheckReport, Vec<Variant>)>, String>),
}

/// The state of "Rester informé(e)".
#[derive(Default)]
pub struct StayState {
    /// The last check's keys, awaiting consent (memory only).
    pub pending: Option<PendingKeys>,
    /// The entry last probed, and whether keys are stored under it.
    pub stored: Option<(String, bool)>,
    /// A running credential-store task.
    pub task: Option<Task<StayDone>>,
    /// How the last one went (ok, text).
    pub message: Option<(bool, String)>,
    /// The consent box is ticked.
    pub consent: bool,
}

impl StayState {
    /// Whether keys are stored under `entry` (as last probed).
    pub fn is_stored(&self, entry: &str) -> bool {
        self.stored
            .as_ref()
            .is_some_and(|(e, stored)| e == entry && *stored)
    }

    /// Drop the pending keys (zeroized).
    pub fn drop_pending(&mut self) {
        self.pending = None;
        self.consent = false;
    }
}

/// Re-check a publication from stored keys (worker thread).
pub fn recheck(
    credentials: &Credentials,
    entry: &str,
    source: &dyn fuitecheck_core::check::Source,
) -> Result<Option<(CheckReport, Vec<Variant>)>, String> {
    let Some(keys) = credentials.load_keys(entry)? else {
        return Ok(None);
    };
    let lookups: Vec<_> = keys
        .variants
        .iter()
        .map(|(v, k)| (*v, k.lookup()))
        .collect();
    let variants = keys.variants.iter().map(|(v, _)| *v).collect();
    let never = std::sync::atomic::AtomicBool::new(false);
    fuitecheck_core::check::check_lookups(keys.bucket, &lookups, source, &|_| {}, &never)
        .map(|report| Some((report, variants)))
        .map_err(|e| format!("{e:#}"))
}

/// The "Rester informé(e)" card (settings and results).
pub fn card_ui(ui: &mut Ui, state: &mut AppState, lang: Lang) {
    ui.label(RichText::new(T::StayInformedTitle.tr(lang)).strong());
    ui.label(T::StayExplain.tr(lang));
    ui.label(RichText::new(T::StayWhatIsKept.tr(lang)).weak());
    ui.add_space(4.0);
    if let Some(reason) = &state.credentials.unavailable {
        ui.label(
            RichText::new(fill(lang, T::StayUnavailable, &[("reason", reason)]))
                .color(widgets::error_color(ui)),
        );
        return;
    }
    let Some(active) = state.source.ready() else {
        ui.label(T::StayNoSource.tr(lang));
        return;
    };
    let entry = active.summary.keys_entry();
    let busy = state.stay.task.is_some();
    let mut commands = Vec::new();
    if state.stay.is_stored(&entry) {
        ui.label(
            RichText::new(format!("✔ {}", T::StayStored.tr(lang))).color(widgets::ok_color(ui)),
        );
        ui.horizontal_wrapped(|ui| {
            if ui
                .add_enabled(!busy, egui::Button::new(T::StayRecheck.tr(lang)))
                .clicked()
            {
                commands.push(Command::Recheck);
            }
            if ui
                .add_enabled(!busy, egui::Button::new(T::StayForget.tr(lang)))
                .clicked()
            {
                commands.push(Command::ForgetKeys);
            }
        });
    } else if state
        .stay
        .pending
        .as_ref()
        .is_some_and(|p| p.entry == entry)
    {
        ui.checkbox(&mut state.stay.consent, T::StayConsent.tr(lang));
        if ui
            .add_enabled(
                state.stay.consent && !busy,
                egui::Button::new(T::StayKeep.tr(lang)),
            )
            .clicked()
        {
            commands.push(Command::StoreKeys);
        }
    } else {
        ui.label(T::StayCheckFirst.tr(lang));
    }
    if busy {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(T::StayWorking.tr(lang));
        });
    }
    if let Some((ok, text)) = &state.stay.message {
        let color = if *ok {
            widgets::ok_color(ui)
        } else {
            widgets::error_color(ui)
        };
        ui.label(RichText::new(text).color(color));
    }
    state.commands.extend(commands);
}
