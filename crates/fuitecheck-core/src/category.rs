//! Data categories and their 32-bit mask, SPEC §4.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! categories {
    ($( $bit:literal $variant:ident $id:literal $fr:literal $en:literal ; )*) => {
        /// A category of personal data that a breach may expose.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Category {
            $(
                #[doc = $en]
                $variant,
            )*
        }

        impl Category {
            /// Every category, in bit order.
            pub const ALL: &'static [Category] = &[$(Category::$variant,)*];

            /// The bit of this category in a mask.
            pub fn bit(self) -> u32 {
                match self { $(Category::$variant => $bit,)* }
            }

            /// The stable id used in JSON (`identity`, `nir`, …).
            pub fn id(self) -> &'static str {
                match self { $(Category::$variant => $id,)* }
            }

            /// The French label shown in the app.
            pub fn label_fr(self) -> &'static str {
                match self { $(Category::$variant => $fr,)* }
            }

            /// The English label.
            pub fn label_en(self) -> &'static str {
                match self { $(Category::$variant => $en,)* }
            }

            /// Parse a category id.
            pub fn from_id(id: &str) -> Option<Self> {
                match id { $($id => Some(Category::$variant),)* _ => None }
            }
        }
    };
}

categories! {
    0 Identity "identity" "Nom et prénom (état civil)" "Name (civil status)";
    1 BirthDate "birth_date" "Date de naissance" "Date of birth";
    2 Nir "nir" "Numéro de sécurité sociale (NIR)" "Social security number (NIR)";
    3 PostalAddress "postal_address" "Adresse postale" "Postal address";
    4 Phone "phone" "Numéro de téléphone" "Phone number";
    5 Email "email" "Adresse e-mail" "E-mail address";
    6 HealthInsurer "health_insurer" "Complémentaire santé (mutuelle, assureur)" "Supplementary health insurer";
    7 InsuranceContract "insurance_contract" "Garanties du contrat, droits ouverts" "Insurance cover and entitlements";
    8 Physician "physician" "Médecin traitant ou prescripteur" "Attending or prescribing physician";
    9 MedicalResults "medical_results" "Résultats d'examens, analyses" "Test and lab results";
    10 MedicalNotes "medical_notes" "Informations médicales (pathologies, traitements, commentaires)" "Medical information (conditions, treatments, notes)";
    11 BloodGroup "blood_group" "Groupe sanguin" "Blood group";
    12 BankDetails "bank_details" "Coordonnées bancaires (IBAN)" "Bank details (IBAN)";
    13 Credentials "credentials" "Identifiants, mots de passe" "Logins and passwords";
    14 Family "family" "Ayants droit, membres de la famille" "Dependants and family members";
    15 Employer "employer" "Employeur" "Employer";
    16 IdentityDocument "identity_document" "Pièce d'identité" "Identity document";
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl Serialize for Category {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

impl<'de> Deserialize<'de> for Category {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let id = String::deserialize(d)?;
        Category::from_id(&id)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown category id `{id}`")))
    }
}

/// Bits 17–31 are reserved and must be zero in v1.
pub const RESERVED_BITS: u32 = !((1 << 17) - 1);

/// A set of categories as the 32-bit mask of range lines and set files.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CategoryMask(u32);

/// A mask with reserved bits set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("category mask {0:08X} has reserved bits (17-31) set")]
pub struct ReservedBits(pub u32);

impl CategoryMask {
    /// The empty mask.
    pub const EMPTY: Self = Self(0);

    /// Check a raw mask: reserved bits must be zero.
    pub fn from_bits(bits: u32) -> Result<Self, ReservedBits> {
        if bits & RESERVED_BITS != 0 {
            return Err(ReservedBits(bits));
        }
        Ok(Self(bits))
    }

    /// The raw bits.
    pub fn bits(self) -> u32 {
        self.0
    }

    /// Whether a category is in the mask.
    pub fn contains(self, c: Category) -> bool {
        self.0 & (1 << c.bit()) != 0
    }

    /// Add a category.
    pub fn insert(&mut self, c: Category) {
        self.0 |= 1 << c.bit();
    }

    /// Union of two masks.
    #[must_use]
    pub fn union(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    /// Whether every category of `self` is in `other`.
    pub fn is_subset(self, other: Self) -> bool {
        self.0 & !other.0 == 0
    }

    /// Whether the mask is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The categories, in bit order.
    pub fn categories(self) -> Vec<Category> {
        Category::ALL
            .iter()
            .copied()
            .filter(|&c| self.contains(c))
            .collect()
    }
}

impl FromIterator<Category> for CategoryMask {
    fn from_iter<I: IntoIterator<Item = Category>>(iter: I) -> Self {
        let mut m = Self::EMPTY;
        for c in iter {
            m.insert(c);
        }
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bits_are_the_spec_table() {
        assert_eq!(Category::ALL.len(), 17);
        for (i, c) in Category::ALL.iter().enumerate() {
            assert_eq!(c.bit() as usize, i);
            assert_eq!(Category::from_id(c.id()), Some(*c));
        }
        assert_eq!(Category::IdentityDocument.bit(), 16);
        assert_eq!(Category::from_id("nope"), None);
    }

    #[test]
    fn masks() {
        let m: CategoryMask = [Category::Identity, Category::BirthDate, Category::Nir]
            .into_iter()
            .collect();
        assert_eq!(m.bits(), 7);
        assert_eq!(m.categories().len(), 3);
        assert!(CategoryMask::from_bits(1 << 17).is_err());
        assert!(CategoryMask::from_bits(0x1_FFFF).is_ok());
        assert!(CategoryMask::from_bits(3).unwrap().is_subset(m));
        assert!(!m.is_subset(CategoryMask::from_bits(3).unwrap()));
    }

    #[test]
    fn json_ids() {
        let c: Category = serde_json::from_str("\"medical_notes\"").unwrap();
        assert_eq!(c, Category::MedicalNotes);
        let e = serde_json::from_str::<Category>("\"medical\"").unwrap_err();
        assert!(e.to_string().contains("unknown category id `medical`"));
    }
}
