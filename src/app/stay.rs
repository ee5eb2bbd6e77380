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

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use egui::{RichText, Ui};
use keyring_core::{CredentialStore, Entry};
use zeroize::Zeroizing;

use fuitecheck_core::bucket::NirBucket;
use fuitecheck_core::check::{CheckReport, Variant};
use fuitecheck_core::fingerprint::Key;

use super::command::{Command, Ctx};
use super::i18n::{T, fill};
use super::status::Status;
use super::task::{NoProgress, Task};
use super::widgets;
use super::worker::Keys;

/// The credential-store service name: the one constant every FuiteCheck
/// entry is kept under (case-file key, fingerprint keys, index).
pub use fuitecheck_rights::SERVICE;

/// The entry listing the fingerprint-key entries written by the app, so
/// that "Effacer toutes mes données" finds them on stores that cannot
/// search (one entry name per line, after a version byte).
pub const INDEX_USER: &str = "keys-index";

/// Version byte of the stored-keys and index encodings.
pub const STORED_KEYS_VERSION: u8 = 1;

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

    /// Keep `keys` under `user` (listed in the index first, so that an
    /// entry is never written without the erasure being able to find it).
    pub fn store_keys(&self, user: &str, keys: &Keys) -> Result<(), String> {
        let mut index = self.index()?;
        if index.insert(user.to_owned()) {
            self.write_index(&index)?;
        }
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
        delete(&self.entry(user)?)?;
        let mut index = self.index()?;
        if index.remove(user) {
            self.write_index(&index)?;
        }
        Ok(())
    }

    /// The entry names listed in the index (empty when there is none or it
    /// is unreadable: erasure also searches the store).
    fn index(&self) -> Result<BTreeSet<String>, String> {
        match self.entry(INDEX_USER)?.get_secret() {
            Ok(bytes) => Ok(decode_index(&bytes)),
            Err(keyring_core::Error::NoEntry) => Ok(BTreeSet::new()),
            Err(e) => Err(e.to_string()),
        }
    }

    fn write_index(&self, index: &BTreeSet<String>) -> Result<(), String> {
        if index.is_empty() {
            return delete(&self.entry(INDEX_USER)?);
        }
        let mut bytes = vec![STORED_KEYS_VERSION];
        for user in index {
            bytes.extend_from_slice(user.as_bytes());
            bytes.push(b'\n');
        }
        self.entry(INDEX_USER)?
            .set_secret(&bytes)
            .map_err(|e| e.to_string())
    }

    /// Delete every FuiteCheck entry of the store: the case file's key,
    /// the fingerprint keys of every publication (listed in the index or
    /// found by searching the store for service [`SERVICE`]), the index.
    /// Returns how many entries were deleted; then searches again and
    /// fails if any entry of the service is left.
    pub fn forget_all(&self) -> Result<usize, String> {
        let store = self.store.as_ref().ok_or_else(|| {
            self.unavailable
                .clone()
                .unwrap_or_else(|| "no credential store".to_owned())
        })?;
        let mut errors = Vec::new();
        let mut results = Vec::new();
        // Found by searching (stores that can: Secret Service, Windows,
        // the mock), whoever wrote them.
        match search(store.as_ref()) {
            Ok(found) => results.extend(found.iter().map(delete_counted)),
            Err(e) => errors.push(e),
        }
        // Known by name: the case-file key, the indexed keys, the index.
        let mut users = self.index().unwrap_or_default();
        users.insert(fuitecheck_rights::dossier::KEY_USER.to_owned());
        users.insert(INDEX_USER.to_owned());
        for user in &users {
            results.push(self.entry(user).and_then(|e| delete_counted(&e)));
        }
        let mut deleted = 0usize;
        for r in results {
            match r {
                Ok(true) => deleted += 1,
                Ok(false) => {}
                Err(e) => errors.push(e),
            }
        }
        if let Ok(left) = search(store.as_ref())
            && !left.is_empty()
        {
            errors.push(format!("{} entries are still in the store", left.len()));
        }
        if errors.is_empty() {
            Ok(deleted)
        } else {
            Err(errors.join("; "))
        }
    }
}

/// Every entry of service [`SERVICE`] the store can find. Stores name
/// their search attributes differently: `service` (Secret Service, mock),
/// a regular expression over the target name (Windows).
fn search(store: &CredentialStore) -> Result<Vec<Entry>, String> {
    let by_service = HashMap::from([("service", SERVICE)]);
    let found = match store.search(&by_service) {
        Ok(found) => found,
        Err(keyring_core::Error::NotSupportedByStore(_) | keyring_core::Error::Invalid(..)) => {
            let pattern = format!("^(.*\\.)?{SERVICE}$|^{SERVICE}\\.");
            match store.search(&HashMap::from([("pattern", pattern.as_str())])) {
                Ok(found) => found,
                // No search at all: the index and the known names remain.
                Err(keyring_core::Error::NotSupportedByStore(_)) => Vec::new(),
                Err(e) => return Err(e.to_string()),
            }
        }
        Err(e) => return Err(e.to_string()),
    };
    // Searches may match loosely (the mock matches substrings, and lists
    // entries built but never written): keep exactly our service when the
    // entry says which it is, and what exists.
    Ok(found
        .into_iter()
        .filter(|e| {
            e.get_specifiers()
                .is_none_or(|(service, _)| service == SERVICE)
        })
        .filter(|e| !matches!(e.get_credential(), Err(keyring_core::Error::NoEntry)))
        .collect())
}

fn delete(entry: &Entry) -> Result<(), String> {
    delete_counted(entry).map(|_| ())
}

/// Delete one entry: `Ok(true)` if it existed.
fn delete_counted(entry: &Entry) -> Result<bool, String> {
    match entry.delete_credential() {
        Ok(()) => Ok(true),
        Err(keyring_core::Error::NoEntry) => Ok(false),
        Err(e) => Err(e.to_string()),
    }
}

fn decode_index(bytes: &[u8]) -> BTreeSet<String> {
    match bytes.split_first() {
        Some((&STORED_KEYS_VERSION, rest)) => String::from_utf8_lossy(rest)
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
        _ => BTreeSet::new(),
    }
}

/// [`STORED_KEYS_VERSION`], then 33-byte records: one per variant (tag 0
/// birth name, 1 usage name, then its 32 bytes), then the NIR bucket
/// (tag 2, the bucket byte, 31 zero bytes).
pub fn encode(keys: &Keys) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(1 + (keys.variants.len() + 1) * 33));
    out.push(STORED_KEYS_VERSION);
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

/// The inverse of [`encode`]: the version byte, at least one key and
/// exactly one bucket. Anything else (another version, or the
/// bucket-less records of development builds before protocol v1.1, which
/// cannot be checked online) reads as nothing stored.
pub fn decode(bytes: &[u8]) -> Option<Keys> {
    let (&STORED_KEYS_VERSION, bytes) = bytes.split_first()? else {
        return None;
    };
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
    /// Their memory, locked in RAM and out of core dumps while they wait.
    _lock: fuitecheck_core::privacy::LockedRegion,
}

impl PendingKeys {
    /// Keys awaiting the person's decision, their memory locked.
    pub fn new(entry: String, keys: Keys) -> Self {
        let _lock = fuitecheck_core::privacy::LockedRegion::new(
            keys.variants.as_ptr().cast(),
            keys.variants.capacity() * std::mem::size_of::<(Variant, Key)>(),
        );
        Self { entry, keys, _lock }
    }
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
    pub task: Option<Task<NoProgress, StayDone>>,
    /// How the last one went.
    pub status: Option<Status>,
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
pub fn card_ui(ui: &mut Ui, ctx: &Ctx) -> Vec<Command> {
    let lang = ctx.lang;
    let runtime = ctx.runtime;
    let stay = &runtime.stay;
    let mut commands = Vec::new();
    ui.label(RichText::new(T::StayInformedTitle.tr(lang)).strong());
    ui.label(T::StayExplain.tr(lang));
    ui.label(RichText::new(T::StayWhatIsKept.tr(lang)).weak());
    ui.add_space(4.0);
    if let Some(reason) = &runtime.credentials.unavailable {
        widgets::error_line(ui, &fill(lang, T::StayUnavailable, &[("reason", reason)]));
        return commands;
    }
    let Some(active) = runtime.source.ready() else {
        ui.label(T::StayNoSource.tr(lang));
        return commands;
    };
    let entry = active.summary.keys_entry();
    let busy = stay.task.is_some();
    if stay.is_stored(&entry) {
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
    } else if stay.pending.as_ref().is_some_and(|p| p.entry == entry) {
        let mut consent = stay.consent;
        if ui.checkbox(&mut consent, T::StayConsent.tr(lang)).changed() {
            commands.push(Command::SetKeysConsent(consent));
        }
        if ui
            .add_enabled(consent && !busy, egui::Button::new(T::StayKeep.tr(lang)))
            .clicked()
        {
            commands.push(Command::StoreKeys);
        }
    } else {
        ui.label(T::StayCheckFirst.tr(lang));
    }
    if busy {
        widgets::busy_line(ui, T::StayWorking.tr(lang));
    }
    widgets::status_line(ui, stay.status.as_ref(), lang);
    commands
}
