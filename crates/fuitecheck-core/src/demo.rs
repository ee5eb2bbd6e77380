//! The demonstration publication: fictional people, two fictional breaches
//! modelled on the seed breaches, real default KDF cost, signed with the
//! project's demo key (kept in `assets/demo/`).
//!
//! This module holds what the citizen side needs: the embedded publication
//! (committed under `assets/demo/publication/`, so the app works offline out
//! of the box), the demo breaches and the README's fictional identities.
//! The deterministic generator that wrote it lives in the publisher crate
//! (`fuitecheck_publish::demo`, `fuitecheck-publish demo-generate`).

use sha2::{Digest as _, Sha256};

use crate::fingerprint::{DEFAULT_ITERATIONS, DEFAULT_MEMORY_KIB, DEFAULT_PARALLELISM, KdfParams};
use crate::nir::Nir;

/// The embedded manifest.
pub const EMBEDDED_MANIFEST: &[u8] =
    include_bytes!("../../../assets/demo/publication/v1/manifest.json");
/// Its signature.
pub const EMBEDDED_SIGNATURE: &str =
    include_str!("../../../assets/demo/publication/v1/manifest.json.minisig");
const LAB_SET: &[u8] =
    include_bytes!("../../../assets/demo/publication/v1/sets/demo-laboratoire-fictif.fcset");
const TP_SET: &[u8] =
    include_bytes!("../../../assets/demo/publication/v1/sets/demo-tiers-payant-fictif.fcset");
/// The demo breaches, in catalogue format.
pub const DEMO_BREACHES: &str = include_str!("../../../assets/demo/demo-breaches.json");

/// The embedded set file at a manifest path.
pub fn embedded_set(path: &str) -> Option<&'static [u8]> {
    match path {
        "sets/demo-laboratoire-fictif.fcset" => Some(LAB_SET),
        "sets/demo-tiers-payant-fictif.fcset" => Some(TP_SET),
        _ => None,
    }
}

/// Lab breach id.
pub const LAB: &str = "demo-laboratoire-fictif";
/// Third-party-payment breach id.
pub const TIERS_PAYANT: &str = "demo-tiers-payant-fictif";
/// Publisher name of the demo publication.
pub const PUBLISHER: &str = "FuiteCheck — publication de démonstration (personnes fictives)";
/// Fixed timestamp, for reproducibility.
pub const GENERATED_AT: &str = "2026-11-23T00:00:00Z";

/// A fictional identity documented in the README.
#[derive(Debug, Clone, Copy)]
pub struct DemoIdentity {
    /// What it shows.
    pub label: &'static str,
    /// NIR body (13 characters); the key is computed.
    pub nir_body: &'static str,
    /// Birth name as the person types it.
    pub birth_name: &'static str,
    /// Usage name as the person types it.
    pub usage_name: Option<&'static str>,
    /// Surnames in the publisher's record (what the list holds).
    pub listed_as: &'static [&'static str],
    /// Breaches whose list holds the person.
    pub in_breaches: &'static [&'static str],
}

impl DemoIdentity {
    /// The full 15-character NIR.
    pub fn nir(&self) -> Nir {
        Nir::parse_allow_body(self.nir_body).unwrap_or_else(|e| panic!("bad demo NIR: {e}"))
    }
}

/// The identities of the README, one per situation.
pub const IDENTITIES: &[DemoIdentity] = &[
    DemoIdentity {
        label: "dans la fuite du laboratoire (avec données médicales)",
        nir_body: "2910756260012",
        birth_name: "Le Goff",
        usage_name: None,
        listed_as: &["Le Goff"],
        in_breaches: &[LAB],
    },
    DemoIdentity {
        label: "dans l'attaque du tiers payant",
        nir_body: "1781175113045",
        birth_name: "Moreau",
        usage_name: None,
        listed_as: &["Moreau"],
        in_breaches: &[TIERS_PAYANT],
    },
    DemoIdentity {
        label: "dans les deux fuites (nom accentué)",
        nir_body: "2640345234101",
        birth_name: "Lefèvre",
        usage_name: None,
        listed_as: &["LEFEVRE"],
        in_breaches: &[LAB, TIERS_PAYANT],
    },
    DemoIdentity {
        label: "retrouvée seulement par son nom d'usage",
        nir_body: "2880227229077",
        birth_name: "Dubois",
        usage_name: Some("Garnier"),
        listed_as: &["Garnier"],
        in_breaches: &[TIERS_PAYANT],
    },
    DemoIdentity {
        label: "dans aucune des deux fuites",
        nir_body: "195122A004017",
        birth_name: "Rossi",
        usage_name: None,
        listed_as: &[],
        in_breaches: &[],
    },
];

/// The demo KDF parameters: the real default cost, a fixed salt.
pub fn kdf() -> KdfParams {
    KdfParams {
        memory_kib: DEFAULT_MEMORY_KIB,
        iterations: DEFAULT_ITERATIONS,
        parallelism: DEFAULT_PARALLELISM,
        salt: Sha256::digest(b"fuitecheck demo salt v1")[..16].to_vec(),
    }
}
