//! The demonstration publication's generator: fictional people, two
//! fictional breaches modelled on the seed breaches, real default KDF cost,
//! signed with the project's demo key (kept in `assets/demo/`).
//!
//! [`generate`] is deterministic: a fixed seed drives a SHA-256 counter
//! stream, so every run writes byte-identical manifest and set files (the
//! minisign signature alone differs, as minisign signs with random
//! noise). The result is committed under `assets/demo/publication/` and
//! embedded in the binary (`fuitecheck_core::demo`).
//! Regenerate with `fuitecheck-publish demo-generate`.

use std::path::Path;

use sha2::{Digest as _, Sha256};

use fuitecheck_core::catalogue::Catalogue;
use fuitecheck_core::category::{Category, CategoryMask};
use fuitecheck_core::demo::{
    DEMO_BREACHES, GENERATED_AT, IDENTITIES, LAB, PUBLISHER, TIERS_PAYANT, kdf,
};
use fuitecheck_core::nir::Nir;
use fuitecheck_core::surname::Surname;

use crate::publish::{self, InitOptions, PublishError, Record};
use crate::signing::{SigningError, SigningKey};

/// The demo secret key. It protects nothing: it only marks demo data, and
/// clients trust the demo key for the embedded demo alone (SPEC §6).
pub const DEMO_SECRET_KEY: &str = include_str!("../../../assets/demo/demo.key");

/// Deterministic pseudo-random stream: SHA-256(seed || counter).
struct Drbg {
    counter: u64,
    buf: Vec<u8>,
}

impl Drbg {
    fn new() -> Self {
        Self {
            counter: 0,
            buf: Vec::new(),
        }
    }

    fn next_u64(&mut self) -> u64 {
        if self.buf.len() < 8 {
            let mut h = Sha256::new();
            h.update(b"fuitecheck demo publication v1");
            h.update(self.counter.to_le_bytes());
            self.counter += 1;
            self.buf.extend_from_slice(&h.finalize());
        }
        let mut b = [0u8; 8];
        b.copy_from_slice(&self.buf[..8]);
        self.buf.drain(..8);
        u64::from_le_bytes(b)
    }

    /// Uniform in `0..n` (n small: bias negligible for a demo).
    fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const SURNAMES: &[&str] = &[
    "Martin",
    "Bernard",
    "Thomas",
    "Petit",
    "Robert",
    "Richard",
    "Durand",
    "Lefebvre",
    "Leroy",
    "Roux",
    "David",
    "Bertrand",
    "Morel",
    "Fournier",
    "Girard",
    "Bonnet",
    "Dupont",
    "Lambert",
    "Fontaine",
    "Rousseau",
    "Vincent",
    "Müller",
    "Faure",
    "André",
    "Mercier",
    "Blanc",
    "Guérin",
    "Boyer",
    "Chevalier",
    "François",
    "Legrand",
    "Gauthier",
    "Garcia",
    "Perrin",
    "Robin",
    "Clément",
    "Morin",
    "Nicolas",
    "Henry",
    "Roussel",
    "Mathieu",
    "Masson",
    "Marchand",
    "Duval",
    "Denis",
    "Dumont",
    "Lemaire",
    "Noël",
    "Meyer",
    "Dufour",
    "Meunier",
    "Brun",
    "Blanchard",
    "Giraud",
    "Joly",
    "Rivière",
    "Lucas",
    "Brunet",
    "Gaillard",
    "Barbier",
    "Arnaud",
    "Le Gall",
    "Le Bihan",
    "Tanguy",
    "Quéré",
    "N'Diaye",
    "Nguyen",
    "Da Silva",
    "Ben Ali",
    "Œuvray",
];

const LAB_DEPTS: &[&str] = &["56", "56", "56", "27", "27", "45", "45", "22", "41"];
const ANY_DEPTS: &[&str] = &[
    "75", "13", "69", "59", "33", "31", "44", "67", "06", "35", "76", "2A", "2B", "974", "99",
];

fn random_nir(rng: &mut Drbg, depts: &[&str]) -> Nir {
    let sex = 1 + rng.below(2);
    let yy = (30 + rng.below(76)) % 100; // 1930-2005
    let month = 1 + rng.below(12);
    let dept = *rng.pick(depts);
    let place = match dept.len() {
        3 => format!("{dept}{:02}", 1 + rng.below(24)),
        _ if dept == "99" => format!(
            "99{}",
            rng.pick(&["109", "127", "131", "134", "139", "350", "351", "352"])
        ),
        _ => format!("{dept}{:03}", 1 + rng.below(700)),
    };
    let order = 1 + rng.below(998);
    let body = format!("{sex}{yy:02}{month:02}{place}{order:03}");
    Nir::parse_allow_body(&body).unwrap_or_else(|e| panic!("generated NIR invalid: {e}"))
}

fn surname(s: &str) -> Surname {
    Surname::parse(s).unwrap_or_else(|e| panic!("bad demo surname {s:?}: {e}"))
}

fn mask(cats: &[Category]) -> CategoryMask {
    cats.iter().copied().collect()
}

fn lab_mask(rng: &mut Drbg, full: bool) -> CategoryMask {
    use Category::*;
    let mut m = mask(&[Identity, BirthDate, Nir, Physician]);
    for (c, p) in [
        (PostalAddress, 80),
        (Phone, 60),
        (Email, 12),
        (BloodGroup, 55),
        (MedicalResults, 70),
        (MedicalNotes, 20),
        (Credentials, 30),
    ] {
        if full || rng.chance(p) {
            m.insert(c);
        }
    }
    m
}

fn tp_mask(rng: &mut Drbg) -> CategoryMask {
    use Category::*;
    let mut m = mask(&[Identity, BirthDate, Nir, HealthInsurer, InsuranceContract]);
    if rng.chance(40) {
        m.insert(Family);
    }
    m
}

/// The fictional records of both breaches: (lab, tiers payant).
pub fn records() -> (Vec<Record>, Vec<Record>) {
    let mut rng = Drbg::new();
    let lab_count = 240;
    let tp_count = 320;
    let mut lab = Vec::with_capacity(lab_count);
    let mut tp = Vec::with_capacity(tp_count);
    for id in IDENTITIES {
        let names = id.listed_as.iter().map(|s| surname(s));
        for b in id.in_breaches {
            let m = if *b == LAB {
                lab_mask(&mut rng, id.label.contains("médicales"))
            } else {
                tp_mask(&mut rng)
            };
            let r = Record::new(id.nir(), names.clone(), m);
            if *b == LAB { lab.push(r) } else { tp.push(r) }
        }
    }
    let people = |rng: &mut Drbg, depts: &[&str]| {
        let nir = random_nir(rng, depts);
        let birth = surname(rng.pick::<&str>(SURNAMES));
        // One in five records also holds a usage name (nom d'usage).
        let usage = rng.chance(20).then(|| surname(rng.pick::<&str>(SURNAMES)));
        (nir, birth, usage)
    };
    while lab.len() < lab_count {
        let (nir, birth, usage) = people(&mut rng, LAB_DEPTS);
        let m = lab_mask(&mut rng, false);
        lab.push(Record::new(nir, std::iter::once(birth).chain(usage), m));
    }
    // Some people of the lab list are also in the tiers-payant list.
    let mut i = 0;
    while tp.len() < tp_count {
        i += 1;
        let r = if i % 8 == 0 && i / 8 + 4 < lab.len() {
            let from = &lab[i / 8 + 4];
            Record::new(
                from.nir.clone(),
                from.surnames.iter().cloned(),
                tp_mask(&mut rng),
            )
        } else {
            let (nir, birth, usage) = people(&mut rng, ANY_DEPTS);
            Record::new(nir, std::iter::once(birth).chain(usage), tp_mask(&mut rng))
        };
        tp.push(r);
    }
    (lab, tp)
}

/// Write the demo publication into `dir` (its `v1/` is replaced).
pub fn generate(
    dir: &Path,
    signer: &SigningKey,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<(), PublishError> {
    let v1 = dir.join("v1");
    if v1
        .join(fuitecheck_core::publication::MANIFEST_FILE)
        .exists()
    {
        std::fs::remove_dir_all(&v1).map_err(|source| PublishError::Io {
            path: v1.display().to_string(),
            source,
        })?;
    }
    publish::init(
        dir,
        &InitOptions {
            publisher: PUBLISHER.to_owned(),
            demo: true,
            kdf: kdf(),
            prefix_hex_chars: 2,
            generated_at: GENERATED_AT.to_owned(),
            expires: None,
        },
    )?;
    let catalogue = Catalogue::from_json(DEMO_BREACHES)
        .map_err(|e| PublishError::Invalid(format!("demo breaches: {e}")))?;
    let (lab, tp) = records();
    for (id, recs) in [(LAB, lab), (TIERS_PAYANT, tp)] {
        let breach = catalogue
            .get(id)
            .ok_or_else(|| PublishError::Invalid(format!("demo breach {id} missing")))?;
        let pairs = publish::fingerprint_records(&kdf(), &recs, progress)?;
        publish::put_breach(dir, breach, pairs, signer, GENERATED_AT)?;
    }
    Ok(())
}

/// The demo signing key.
pub fn signing_key() -> Result<SigningKey, SigningError> {
    SigningKey::from_text(DEMO_SECRET_KEY, None)
}
