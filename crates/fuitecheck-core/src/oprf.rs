//! OPRF publications, SPEC §11: VOPRF(ristretto255, SHA-512) of RFC 9497
//! (mode 0x01), through the `voprf` crate.
//!
//! ```text
//! k      = Argon2id(...)                        as in §3, unchanged
//! y      = VOPRF output for input k under the publisher's key (64 bytes)
//! lookup = first 8 bytes of SHA-256("fuitecheck/v1/oprf-lookup" || y)
//! ```
//!
//! - The publisher holds an [`OprfSecretKey`]: it computes `y` of its own
//!   records directly ([`OprfSecretKey::evaluate`], no blinding) and
//!   answers clients' blinded elements with one batched proof
//!   ([`OprfSecretKey::blind_evaluate`]).
//! - The client blinds the `k` of each variant, fills the request up to the
//!   manifest's `batch` with blinded random inputs in random order
//!   ([`BlindedBatch::new`]), and finalizes the answer after verifying the
//!   proof against the signed manifest's [`OprfPublicKey`]
//!   ([`BlindedBatch::finalize`]).
//!
//! Secrets (the server's scalar, the blinds, the inputs, the outputs `y`)
//! are zeroized on drop. Wire elements, proofs and keys are hex: decoding
//! accepts either case, encoding writes lowercase (as SPEC §10 prints them).

use std::fmt;

use rand_core::{CryptoRng, OsRng, RngCore};
use voprf::{
    BlindedElement, EvaluationElement, Group as _, Proof, Ristretto255, VoprfClient, VoprfServer,
};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::fingerprint::{Key, Lookup};

/// The manifest's `oprf.suite` (SPEC §11).
pub const SUITE: &str = "ristretto255-SHA512";
/// The manifest's `oprf.mode` (SPEC §11).
pub const MODE: &str = "voprf";
/// Domain separator of the OPRF lookup hash (SPEC §11).
pub const LOOKUP_PREFIX: &[u8] = b"fuitecheck/v1/oprf-lookup";
/// Bytes of a serialized ristretto255 element (blinded, evaluated, public key).
pub const ELEMENT_BYTES: usize = 32;
/// Bytes of a serialized secret key (one little-endian scalar).
pub const SECRET_KEY_BYTES: usize = 32;
/// Bytes of a batched DLEQ proof (`c ‖ s`, two little-endian scalars).
pub const PROOF_BYTES: usize = 64;
/// Bytes of the OPRF output `y` (SHA-512).
pub const OUTPUT_BYTES: usize = 64;
/// Bytes of the random input a client blinds to fill a request.
pub const FILLER_BYTES: usize = 32;
/// Smallest `batch` a client accepts (SPEC §11).
pub const MIN_BATCH: usize = 1;
/// Largest `batch` a client accepts (SPEC §11).
pub const MAX_BATCH: usize = 8;

type Suite = Ristretto255;

/// Why 32 bytes (or their hex) are not a usable ristretto255 element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ElementError {
    /// Not `2 * ELEMENT_BYTES` hex characters (or not `ELEMENT_BYTES` bytes).
    #[error("element is {got} long, {expected} expected")]
    Length {
        /// Length received (characters for hex, bytes otherwise).
        got: usize,
        /// Length expected, in the same unit.
        expected: usize,
    },
    /// A character other than `0-9a-fA-F`.
    #[error("element is not hex")]
    NotHex,
    /// The encoding of the identity element (32 zero bytes).
    #[error("element is the identity")]
    Identity,
    /// Not the canonical encoding of a ristretto255 element.
    #[error("element is not a canonical ristretto255 encoding")]
    NotCanonical,
}

/// Errors of the OPRF layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OprfError {
    /// One element of a request or an answer is unusable.
    #[error("element {index}: {error}")]
    Element {
        /// Its position (0-based) in the list.
        index: usize,
        /// Why.
        error: ElementError,
    },
    /// The public key is unusable.
    #[error("OPRF public key: {0}")]
    PublicKey(ElementError),
    /// A list of elements does not have the expected length.
    #[error("{got} elements where {expected} were expected")]
    Count {
        /// Elements received.
        got: usize,
        /// Elements expected.
        expected: usize,
    },
    /// `batch` outside `MIN_BATCH..=MAX_BATCH`.
    #[error("OPRF batch of {0} outside {MIN_BATCH}..={MAX_BATCH}")]
    BatchSize(usize),
    /// More inputs than one request of `batch` elements can carry.
    #[error("{inputs} inputs do not fit in a request of {batch}")]
    TooManyInputs {
        /// Inputs given.
        inputs: usize,
        /// The request size.
        batch: usize,
    },
    /// A proof that is not two canonical, non-zero scalars (or not hex, or
    /// not `PROOF_BYTES` long).
    #[error("OPRF proof is malformed")]
    ProofEncoding,
    /// The proof does not verify against the public key: the answer was
    /// computed with another key, or altered.
    #[error("OPRF proof does not verify against the publication's public key")]
    ProofVerification,
    /// A secret key that is not a canonical, non-zero scalar.
    #[error("OPRF secret key is malformed")]
    SecretKey,
    /// An empty input, or one longer than RFC 9497 allows (65 535 bytes).
    #[error("OPRF input is empty or too long")]
    Input,
    /// `DeriveKeyPair` refused its seed and info.
    #[error("OPRF key derivation failed")]
    KeyDerivation,
}

/// A serialized ristretto255 element, checked to be canonical and not the
/// identity: a blinded element (request) or an evaluated one (answer).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Element([u8; ELEMENT_BYTES]);

impl fmt::Debug for Element {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Element({})", self.to_hex())
    }
}

impl Element {
    /// Check raw bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ElementError> {
        let arr: [u8; ELEMENT_BYTES] = bytes.try_into().map_err(|_| ElementError::Length {
            got: bytes.len(),
            expected: ELEMENT_BYTES,
        })?;
        if arr == [0; ELEMENT_BYTES] {
            return Err(ElementError::Identity);
        }
        <Suite as voprf::CipherSuite>::Group::deserialize_elem(&arr)
            .map_err(|_| ElementError::NotCanonical)?;
        Ok(Self(arr))
    }

    /// Check `2 * ELEMENT_BYTES` hex characters (either case).
    pub fn from_hex(text: &str) -> Result<Self, ElementError> {
        Self::from_bytes(&decode_hex::<ELEMENT_BYTES>(text)?)
    }

    /// The 32 bytes.
    pub fn as_bytes(&self) -> &[u8; ELEMENT_BYTES] {
        &self.0
    }

    /// Lowercase hex, 64 characters.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    fn blinded(&self) -> Result<BlindedElement<Suite>, ElementError> {
        BlindedElement::deserialize(&self.0).map_err(|_| ElementError::NotCanonical)
    }

    fn evaluated(&self) -> Result<EvaluationElement<Suite>, ElementError> {
        EvaluationElement::deserialize(&self.0).map_err(|_| ElementError::NotCanonical)
    }
}

fn decode_hex<const N: usize>(text: &str) -> Result<[u8; N], ElementError> {
    if text.len() != 2 * N {
        return Err(ElementError::Length {
            got: text.len(),
            expected: 2 * N,
        });
    }
    let mut out = [0u8; N];
    hex::decode_to_slice(text, &mut out).map_err(|_| ElementError::NotHex)?;
    Ok(out)
}

/// The publisher's public key `pkS` (the manifest's `oprf.public_key`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct OprfPublicKey(Element);

impl fmt::Debug for OprfPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OprfPublicKey({})", self.to_hex())
    }
}

impl OprfPublicKey {
    /// Parse 64 hex characters (either case).
    pub fn from_hex(text: &str) -> Result<Self, OprfError> {
        Element::from_hex(text)
            .map(Self)
            .map_err(OprfError::PublicKey)
    }

    /// Check 32 raw bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, OprfError> {
        Element::from_bytes(bytes)
            .map(Self)
            .map_err(OprfError::PublicKey)
    }

    /// The 32 bytes.
    pub fn as_bytes(&self) -> &[u8; ELEMENT_BYTES] {
        self.0.as_bytes()
    }

    /// Lowercase hex, 64 characters, as the manifest carries it.
    pub fn to_hex(&self) -> String {
        self.0.to_hex()
    }

    fn point(
        &self,
    ) -> Result<<<Suite as voprf::CipherSuite>::Group as voprf::Group>::Elem, OprfError> {
        <Suite as voprf::CipherSuite>::Group::deserialize_elem(self.0.as_bytes())
            .map_err(|_| OprfError::PublicKey(ElementError::NotCanonical))
    }
}

/// A batched DLEQ proof, `c ‖ s` (SPEC §11: 128 hex characters).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct ProofBytes([u8; PROOF_BYTES]);

impl fmt::Debug for ProofBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ProofBytes({})", self.to_hex())
    }
}

impl ProofBytes {
    /// Parse 128 hex characters (either case); the scalars are checked
    /// when the proof is verified.
    pub fn from_hex(text: &str) -> Result<Self, OprfError> {
        decode_hex::<PROOF_BYTES>(text)
            .map(Self)
            .map_err(|_| OprfError::ProofEncoding)
    }

    /// Wrap 64 raw bytes.
    pub fn from_bytes(bytes: [u8; PROOF_BYTES]) -> Self {
        Self(bytes)
    }

    /// The 64 bytes.
    pub fn as_bytes(&self) -> &[u8; PROOF_BYTES] {
        &self.0
    }

    /// Lowercase hex, 128 characters.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    fn proof(&self) -> Result<Proof<Suite>, OprfError> {
        Proof::deserialize(&self.0).map_err(|_| OprfError::ProofEncoding)
    }
}

/// The OPRF output `y` of one input: secret, zeroized on drop.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct OprfOutput([u8; OUTPUT_BYTES]);

impl fmt::Debug for OprfOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OprfOutput(<redacted>)")
    }
}

impl OprfOutput {
    fn from_slice(bytes: &[u8]) -> Result<Self, OprfError> {
        let arr: [u8; OUTPUT_BYTES] = bytes.try_into().map_err(|_| OprfError::Input)?;
        Ok(Self(arr))
    }

    /// The 64 bytes of `y`.
    pub fn as_bytes(&self) -> &[u8; OUTPUT_BYTES] {
        &self.0
    }

    /// The 64-bit lookup of an OPRF publication:
    /// first 8 bytes of SHA-256("fuitecheck/v1/oprf-lookup" || y).
    pub fn lookup(&self) -> Lookup {
        Lookup::of_hash(LOOKUP_PREFIX, &self.0)
    }
}

/// The answer to one request: the evaluated elements, in the request's
/// order, and one batched proof.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    /// One evaluated element per blinded element.
    pub evaluated: Vec<Element>,
    /// The batched DLEQ proof.
    pub proof: ProofBytes,
}

/// The publisher's OPRF key pair (`skS`, `pkS`). The scalar is zeroized
/// on drop (by the `voprf` crate).
#[derive(Clone)]
pub struct OprfSecretKey {
    server: VoprfServer<Suite>,
    public: OprfPublicKey,
}

impl fmt::Debug for OprfSecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "OprfSecretKey(<redacted>, public {})",
            self.public.to_hex()
        )
    }
}

impl OprfSecretKey {
    fn from_server(server: VoprfServer<Suite>) -> Result<Self, OprfError> {
        let bytes = <Suite as voprf::CipherSuite>::Group::serialize_elem(server.get_public_key());
        let public = OprfPublicKey::from_bytes(&bytes)?;
        Ok(Self { server, public })
    }

    /// RFC 9497 `DeriveKeyPair(seed, info)` in VOPRF mode.
    pub fn derive(seed: &[u8], info: &[u8]) -> Result<Self, OprfError> {
        let server = VoprfServer::<Suite>::new_from_seed(seed, info)
            .map_err(|_| OprfError::KeyDerivation)?;
        Self::from_server(server)
    }

    /// A new random key: `DeriveKeyPair` of 32 bytes from the operating
    /// system's generator, with an empty info.
    pub fn generate() -> Result<Self, OprfError> {
        let mut seed = Zeroizing::new([0u8; SECRET_KEY_BYTES]);
        OsRng.fill_bytes(seed.as_mut());
        Self::derive(seed.as_ref(), &[])
    }

    /// Read back the scalar written by [`Self::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, OprfError> {
        if bytes.len() != SECRET_KEY_BYTES {
            return Err(OprfError::SecretKey);
        }
        let server = VoprfServer::<Suite>::new_with_key(bytes).map_err(|_| OprfError::SecretKey)?;
        Self::from_server(server)
    }

    /// The secret scalar `skS`, little-endian (for the key file).
    pub fn to_bytes(&self) -> Zeroizing<[u8; SECRET_KEY_BYTES]> {
        // `serialize` is sk ‖ pk.
        let mut both = self.server.serialize();
        let mut out = Zeroizing::new([0u8; SECRET_KEY_BYTES]);
        out.copy_from_slice(&both[..SECRET_KEY_BYTES]);
        both.as_mut_slice().zeroize();
        out
    }

    /// The public key `pkS`.
    pub fn public_key(&self) -> &OprfPublicKey {
        &self.public
    }

    /// `y` of one input, computed directly (RFC 9497 `Evaluate`): what
    /// the publisher does for its own records.
    pub fn evaluate(&self, input: &[u8]) -> Result<OprfOutput, OprfError> {
        let y = self.server.evaluate(input).map_err(|_| OprfError::Input)?;
        let mut y = Zeroizing::new(y);
        let out = OprfOutput::from_slice(y.as_slice());
        y.as_mut_slice().zeroize();
        out
    }

    /// The OPRF lookup of a fingerprint `k` (SPEC §11).
    pub fn lookup(&self, key: &Key) -> Result<Lookup, OprfError> {
        Ok(self.evaluate(key.as_bytes())?.lookup())
    }

    /// RFC 9497 `BlindEvaluateBatch`: one evaluated element per blinded
    /// element, in order, and one batched proof.
    pub fn blind_evaluate(&self, blinded: &[Element]) -> Result<Evaluation, OprfError> {
        self.blind_evaluate_with(blinded, &mut OsRng)
    }

    fn blind_evaluate_with<R: RngCore + CryptoRng>(
        &self,
        blinded: &[Element],
        rng: &mut R,
    ) -> Result<Evaluation, OprfError> {
        if blinded.is_empty() {
            return Err(OprfError::Count {
                got: 0,
                expected: MIN_BATCH,
            });
        }
        let messages = blinded
            .iter()
            .enumerate()
            .map(|(index, e)| {
                e.blinded()
                    .map_err(|error| OprfError::Element { index, error })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let prepared: Vec<_> = self
            .server
            .batch_blind_evaluate_prepare(messages.iter())
            .collect();
        let finished = self
            .server
            .batch_blind_evaluate_finish(rng, messages.iter(), &prepared)
            .map_err(|_| OprfError::Count {
                got: blinded.len(),
                expected: usize::from(u16::MAX),
            })?;
        let proof_bytes = finished.proof.serialize();
        let mut proof = [0u8; PROOF_BYTES];
        proof.copy_from_slice(&proof_bytes);
        let evaluated = finished
            .messages
            .enumerate()
            .map(|(index, m)| {
                Element::from_bytes(&m.serialize())
                    .map_err(|error| OprfError::Element { index, error })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Evaluation {
            evaluated,
            proof: ProofBytes(proof),
        })
    }
}

/// A client's blinded request: the elements to send and what finalizing
/// the answer needs (blinds and inputs, zeroized on drop).
pub struct BlindedBatch {
    clients: Vec<VoprfClient<Suite>>,
    inputs: Vec<Zeroizing<Vec<u8>>>,
    /// Position in the request of each real input, in the caller's order.
    positions: Vec<usize>,
    blinded: Vec<Element>,
}

impl fmt::Debug for BlindedBatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "BlindedBatch({} elements, {} real)",
            self.blinded.len(),
            self.positions.len()
        )
    }
}

impl BlindedBatch {
    /// Blind `inputs` (the `k` of each variant, at most `batch`), fill the
    /// request with blinded random inputs up to exactly `batch` elements
    /// and shuffle them (SPEC §11), so every request looks the same.
    pub fn new(inputs: &[&[u8]], batch: usize) -> Result<Self, OprfError> {
        Self::new_with(inputs, batch, &mut OsRng)
    }

    fn new_with<R: RngCore + CryptoRng>(
        inputs: &[&[u8]],
        batch: usize,
        rng: &mut R,
    ) -> Result<Self, OprfError> {
        if !(MIN_BATCH..=MAX_BATCH).contains(&batch) {
            return Err(OprfError::BatchSize(batch));
        }
        if inputs.len() > batch {
            return Err(OprfError::TooManyInputs {
                inputs: inputs.len(),
                batch,
            });
        }
        // Slots 0..inputs.len() are the real inputs, the rest fillers; the
        // permutation puts slot `order[i]` at position i.
        let mut all: Vec<Zeroizing<Vec<u8>>> =
            inputs.iter().map(|i| Zeroizing::new(i.to_vec())).collect();
        while all.len() < batch {
            let mut filler = Zeroizing::new(vec![0u8; FILLER_BYTES]);
            rng.fill_bytes(filler.as_mut_slice());
            all.push(filler);
        }
        let mut order: Vec<usize> = (0..batch).collect();
        shuffle(&mut order, rng);
        let mut shuffled = Vec::with_capacity(batch);
        let mut positions = vec![0usize; inputs.len()];
        for (position, &slot) in order.iter().enumerate() {
            if slot < inputs.len() {
                positions[slot] = position;
            }
            shuffled.push(std::mem::take(&mut all[slot]));
        }
        Self::blind_in_order(shuffled, positions, rng)
    }

    /// Blind exactly these inputs, in this order (the known-answer tests'
    /// path; [`Self::new`] adds the fillers and the shuffle).
    fn blind_in_order<R: RngCore + CryptoRng>(
        inputs: Vec<Zeroizing<Vec<u8>>>,
        positions: Vec<usize>,
        rng: &mut R,
    ) -> Result<Self, OprfError> {
        let mut clients = Vec::with_capacity(inputs.len());
        let mut blinded = Vec::with_capacity(inputs.len());
        for (index, input) in inputs.iter().enumerate() {
            let result =
                VoprfClient::<Suite>::blind(input.as_slice(), rng).map_err(|_| OprfError::Input)?;
            blinded.push(
                Element::from_bytes(&result.message.serialize())
                    .map_err(|error| OprfError::Element { index, error })?,
            );
            clients.push(result.state);
        }
        Ok(Self {
            clients,
            inputs,
            positions,
            blinded,
        })
    }

    /// The elements to send, in request order.
    pub fn blinded(&self) -> &[Element] {
        &self.blinded
    }

    /// Verify the server's answer against the signed manifest's public key
    /// and unblind it: `y` of each real input, in the caller's order.
    pub fn finalize(
        &self,
        evaluated: &[Element],
        proof: &ProofBytes,
        public_key: &OprfPublicKey,
    ) -> Result<Vec<OprfOutput>, OprfError> {
        if evaluated.len() != self.clients.len() {
            return Err(OprfError::Count {
                got: evaluated.len(),
                expected: self.clients.len(),
            });
        }
        let messages = evaluated
            .iter()
            .enumerate()
            .map(|(index, e)| {
                e.evaluated()
                    .map_err(|error| OprfError::Element { index, error })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let proof = proof.proof()?;
        let pk = public_key.point()?;
        let outputs =
            VoprfClient::batch_finalize(&self.inputs, &self.clients, &messages, &proof, pk)
                .map_err(|e| match e {
                    voprf::Error::ProofVerification => OprfError::ProofVerification,
                    _ => OprfError::Count {
                        got: evaluated.len(),
                        expected: self.clients.len(),
                    },
                })?
                .map(|r| {
                    r.map_err(|_| OprfError::Input).and_then(|y| {
                        let mut y = Zeroizing::new(y);
                        let out = OprfOutput::from_slice(y.as_slice());
                        y.as_mut_slice().zeroize();
                        out
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
        self.positions
            .iter()
            .map(|&p| outputs.get(p).cloned().ok_or(OprfError::Input))
            .collect()
    }
}

/// Largest request body a server accepts (SPEC §11: over it, 413); also
/// the largest answer a client reads.
pub const MAX_BODY_BYTES: usize = 4096;

/// Why a request or answer body of the evaluation endpoint is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WireError {
    /// Over [`MAX_BODY_BYTES`] (a server answers 413).
    #[error("body of {bytes} bytes is over {MAX_BODY_BYTES}")]
    TooLarge {
        /// Its size.
        bytes: usize,
    },
    /// Not JSON of the expected shape (field names and types).
    #[error("body is not the expected JSON: {0}")]
    Json(String),
    /// Not exactly the expected number of elements.
    #[error("{got} elements where {expected} were expected")]
    Count {
        /// Elements received.
        got: usize,
        /// Elements expected (the manifest's `batch`).
        expected: usize,
    },
    /// One element is not hex, is the identity, or is not canonical.
    #[error("element {index}: {error}")]
    Element {
        /// Its position (0-based).
        index: usize,
        /// Why.
        error: ElementError,
    },
    /// The proof is not 128 hex characters.
    #[error("proof is not 128 hex characters")]
    Proof,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct RequestJson {
    blinded: Vec<String>,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct AnswerJson {
    evaluated: Vec<String>,
    proof: String,
}

fn elements(hexes: &[String], expected: usize) -> Result<Vec<Element>, WireError> {
    if hexes.len() != expected {
        return Err(WireError::Count {
            got: hexes.len(),
            expected,
        });
    }
    hexes
        .iter()
        .enumerate()
        .map(|(index, h)| Element::from_hex(h).map_err(|error| WireError::Element { index, error }))
        .collect()
}

fn json<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, WireError> {
    if body.len() > MAX_BODY_BYTES {
        return Err(WireError::TooLarge { bytes: body.len() });
    }
    // Only the category and the position: serde_json's own message may
    // quote a value (an element), which a server's log must never carry.
    serde_json::from_slice(body).map_err(|e| {
        let what = match e.classify() {
            serde_json::error::Category::Data => "wrong fields or types",
            serde_json::error::Category::Eof => "truncated",
            serde_json::error::Category::Syntax | serde_json::error::Category::Io => "not JSON",
        };
        WireError::Json(format!("{what} at line {} column {}", e.line(), e.column()))
    })
}

/// The request body `{"blinded": [...]}` for these elements.
pub fn request_body(blinded: &[Element]) -> String {
    let r = RequestJson {
        blinded: blinded.iter().map(Element::to_hex).collect(),
    };
    serde_json::to_string(&r).unwrap_or_default()
}

/// Parse a request body (server side): exactly `batch` valid elements.
/// Unknown fields are ignored.
pub fn parse_request(body: &[u8], batch: usize) -> Result<Vec<Element>, WireError> {
    let r: RequestJson = json(body)?;
    elements(&r.blinded, batch)
}

/// The answer body `{"evaluated": [...], "proof": "..."}`.
pub fn answer_body(evaluation: &Evaluation) -> String {
    let a = AnswerJson {
        evaluated: evaluation.evaluated.iter().map(Element::to_hex).collect(),
        proof: evaluation.proof.to_hex(),
    };
    serde_json::to_string(&a).unwrap_or_default()
}

/// Parse an answer body (client side): exactly `batch` valid elements and
/// a proof (verified by [`BlindedBatch::finalize`]). Unknown fields are
/// ignored.
pub fn parse_answer(body: &[u8], batch: usize) -> Result<Evaluation, WireError> {
    let a: AnswerJson = json(body)?;
    let evaluated = elements(&a.evaluated, batch)?;
    let proof = ProofBytes::from_hex(&a.proof).map_err(|_| WireError::Proof)?;
    Ok(Evaluation { evaluated, proof })
}

/// Fisher–Yates with unbiased indices.
fn shuffle<R: RngCore>(items: &mut [usize], rng: &mut R) {
    for i in (1..items.len()).rev() {
        let j = uniform_below(i as u32 + 1, rng) as usize;
        items.swap(i, j);
    }
}

fn uniform_below<R: RngCore>(n: u32, rng: &mut R) -> u32 {
    // Reject the top partial range so every index is equally likely.
    let zone = u32::MAX - (u32::MAX % n);
    loop {
        let v = rng.next_u32();
        if v < zone {
            return v % n;
        }
    }
}

#[cfg(test)]
mod tests {
    // A test reports failure by panicking: unwrap/expect are its asserts.
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    /// Replays fixed bytes: a scalar `s` is drawn by `Scalar::random` as
    /// 64 bytes reduced modulo the group order, so `s ‖ 0^32` yields `s`.
    struct Replay(Vec<u8>);

    impl Replay {
        fn scalars(hexes: &[&str]) -> Self {
            let mut bytes = Vec::new();
            for h in hexes {
                bytes.extend(hex::decode(h).unwrap());
                bytes.extend([0u8; 32]);
            }
            Self(bytes)
        }
    }

    impl RngCore for Replay {
        fn next_u32(&mut self) -> u32 {
            let mut b = [0u8; 4];
            self.fill_bytes(&mut b);
            u32::from_le_bytes(b)
        }
        fn next_u64(&mut self) -> u64 {
            let mut b = [0u8; 8];
            self.fill_bytes(&mut b);
            u64::from_le_bytes(b)
        }
        fn fill_bytes(&mut self, dest: &mut [u8]) {
            assert!(self.0.len() >= dest.len(), "replay exhausted");
            let rest = self.0.split_off(dest.len());
            dest.copy_from_slice(&self.0);
            self.0 = rest;
        }
        fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
            self.fill_bytes(dest);
            Ok(())
        }
    }
    impl CryptoRng for Replay {}

    struct Vector<'a> {
        inputs: &'a [&'a str],
        blinds: &'a [&'a str],
        blinded: &'a [&'a str],
        evaluated: &'a [&'a str],
        proof_scalar: &'a str,
        proof: &'a str,
        outputs: &'a [&'a str],
    }

    /// Blind, evaluate with one batched proof, finalize: every
    /// intermediate value against the vector.
    fn run(key: &OprfSecretKey, v: &Vector<'_>) -> Vec<OprfOutput> {
        let inputs: Vec<Zeroizing<Vec<u8>>> = v
            .inputs
            .iter()
            .map(|h| Zeroizing::new(hex::decode(h).unwrap()))
            .collect();
        let positions = (0..inputs.len()).collect();
        let batch = BlindedBatch::blind_in_order(inputs, positions, &mut Replay::scalars(v.blinds))
            .unwrap();
        let blinded: Vec<String> = batch.blinded().iter().map(Element::to_hex).collect();
        assert_eq!(blinded, v.blinded);

        // The server sees only the hex of the request.
        let request: Vec<Element> = v
            .blinded
            .iter()
            .map(|h| Element::from_hex(h).unwrap())
            .collect();
        let answer = key
            .blind_evaluate_with(&request, &mut Replay::scalars(&[v.proof_scalar]))
            .unwrap();
        let evaluated: Vec<String> = answer.evaluated.iter().map(Element::to_hex).collect();
        assert_eq!(evaluated, v.evaluated);
        assert_eq!(answer.proof.to_hex(), v.proof);

        let outputs = batch
            .finalize(&answer.evaluated, &answer.proof, key.public_key())
            .unwrap();
        let hexes: Vec<String> = outputs.iter().map(|y| hex::encode(y.as_bytes())).collect();
        assert_eq!(hexes, v.outputs);
        // The publisher's direct evaluation gives the same y.
        for (input, y) in v.inputs.iter().zip(&outputs) {
            assert_eq!(&key.evaluate(&hex::decode(input).unwrap()).unwrap(), y);
        }
        outputs
    }

    fn rfc_key() -> OprfSecretKey {
        let key = OprfSecretKey::derive(&[0xA3; 32], b"test key").unwrap();
        assert_eq!(
            hex::encode(*key.to_bytes()),
            "e6f73f344b79b379f1a0dd37e07ff62e38d9f71345ce62ae3a9bc60b04ccd909"
        );
        assert_eq!(
            key.public_key().to_hex(),
            "c803e2cc6b05fc15064549b5920659ca4a77b2cca6f04f6b357009335476ad4e"
        );
        key
    }

    const RFC_BLIND_1: &str = "64d37aed22a27f5191de1c1d69fadb899d8862b58eb4220029e036ec4c1f6706";
    const RFC_OUTPUT_1: &str = "b58cfbe118e0cb94d79b5fd6a6dafb98764dff49c14e1770b566e42402da1a7da4d8527693914139caee5bd03903af43a491351d23b430948dd50cde10d32b3c";

    #[test]
    fn rfc9497_a_1_2_vector_1() {
        run(
            &rfc_key(),
            &Vector {
                inputs: &["00"],
                blinds: &[RFC_BLIND_1],
                blinded: &["863f330cc1a1259ed5a5998a23acfd37fb4351a793a5b3c090b642ddc439b945"],
                evaluated: &["aa8fa048764d5623868679402ff6108d2521884fa138cd7f9c7669a9a014267e"],
                proof_scalar: "222a5e897cf59db8145db8d16e597e8facb80ae7d4e26d9881aa6f61d645fc0e",
                proof: "ddef93772692e535d1a53903db24367355cc2cc78de93b3be5a8ffcc6985dd066d4346421d17bf5117a2a1ff0fcb2a759f58a539dfbe857a40bce4cf49ec600d",
                outputs: &[RFC_OUTPUT_1],
            },
        );
    }

    #[test]
    fn rfc9497_a_1_2_vector_3_batch_of_two() {
        run(
            &rfc_key(),
            &Vector {
                inputs: &["00", "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a"],
                blinds: &[
                    RFC_BLIND_1,
                    "222a5e897cf59db8145db8d16e597e8facb80ae7d4e26d9881aa6f61d645fc0e",
                ],
                blinded: &[
                    "863f330cc1a1259ed5a5998a23acfd37fb4351a793a5b3c090b642ddc439b945",
                    "90a0145ea9da29254c3a56be4fe185465ebb3bf2a1801f7124bbbadac751e654",
                ],
                evaluated: &[
                    "aa8fa048764d5623868679402ff6108d2521884fa138cd7f9c7669a9a014267e",
                    "cc5ac221950a49ceaa73c8db41b82c20372a4c8d63e5dded2db920b7eee36a2a",
                ],
                proof_scalar: "419c4f4f5052c53c45f3da494d2b67b220d02118e0857cdbcf037f9ea84bbe0c",
                proof: "cc203910175d786927eeb44ea847328047892ddf8590e723c37205cb74600b0a5ab5337c8eb4ceae0494c2cf89529dcf94572ed267473d567aeed6ab873dee08",
                outputs: &[
                    RFC_OUTPUT_1,
                    "8a9a2f3c7f085b65933594309041fc1898d42d0858e59f90814ae90571a6df60356f4610bf816f27afdd84f47719e480906d27ecd994985890e5f539e7ea74b6",
                ],
            },
        );
    }

    const K1: &str = "afd9e8f95c83b8997d51cee80a62f99d2661b6f07facdf194d6b6fb4ba7c57ed";
    const K2: &str = "c21a3cffa5b550846eafbb12bb871be3dc080c94951450f88cc659f97449a8ef";

    fn spec_key() -> OprfSecretKey {
        OprfSecretKey::derive(&[0x5A; 32], b"fuitecheck/v1 test oprf key").unwrap()
    }

    #[test]
    fn spec_section_10_oprf_table() {
        let key = spec_key();
        assert_eq!(
            hex::encode(*key.to_bytes()),
            "63bfa9b12d8493db97ab1e0defa75b7f9b914ea269dece43505c3072864f9f05"
        );
        assert_eq!(
            key.public_key().to_hex(),
            "82e033620e668c96ddaa6a6e14751c966ac73d273c90985ec1f1441b7d56132c"
        );
        let outputs = run(
            &key,
            &Vector {
                inputs: &[K1, K2],
                blinds: &[
                    "ca2400ec91daf0726220023bf472e744d62f237c73cc63d5b2c91b36bbe4a100",
                    "25750130c8e413c64b7fd24a70c6f6fd9b6e0c933349efc1012e537f32bc6505",
                ],
                blinded: &[
                    "1214f36643b984d616ee70c9ac925d394aa872dc6e8e5b8c3b7ca14be836470b",
                    "b8d16eaf579bdb10e151dbde659b7303f364e1acbd7448fa43605ecb9eaa4e18",
                ],
                evaluated: &[
                    "c2a12d070a98773593c9309e6821ef623a56aeeff575a45ba25c409e6276ea68",
                    "a40680487c784229e354a06a384dba0e2597a665c2ab6cde37e5311115061d4a",
                ],
                proof_scalar: "8ce9031de06d080dcac606bcf3dcdcff52a501c1d7ccfaf69d2b62e293c79601",
                proof: "f865f3f7d1f69eaed54a4a0206dec6e7fbbda517a2d8691f1a640144a6f09f0fc2fae87e2b67ef090107377a9a88bae611ea7a6f805dd9e676eb5b479f80fb0a",
                outputs: &[
                    "44d83c2700913cdf79f060a215fed5ca222b6661ef8fd26f2113b6dc04b1a3fd4ffea5f9aa31c19f54662bd639514a7b8ed6f68025462bf2dc9481b235957726",
                    "0786c58372d3a0472e39d922b097330b8455fc551dd80783b8cd4732a48473917eb644da143dbe3c934cb727a6264e67a93f32bcc30c8d8193bec1605d18853e",
                ],
            },
        );
        assert_eq!(outputs[0].lookup().to_hex(), "6037FE04B4047328");
        assert_eq!(outputs[1].lookup().to_hex(), "59BC99A18A64BEAD");
        // The publisher's path from k, and it differs from the §3 lookup.
        let k1 = Key::from_bytes(hex::decode(K1).unwrap().try_into().unwrap());
        assert_eq!(key.lookup(&k1).unwrap().to_hex(), "6037FE04B4047328");
        assert_eq!(k1.lookup().to_hex(), "D87D1BC8D86FC802");
    }

    #[test]
    fn secret_key_round_trips_and_refuses_bad_scalars() {
        let key = OprfSecretKey::generate().unwrap();
        let back = OprfSecretKey::from_bytes(key.to_bytes().as_ref()).unwrap();
        assert_eq!(back.public_key(), key.public_key());
        assert_eq!(
            OprfSecretKey::from_bytes(&[0; 32]).unwrap_err(),
            OprfError::SecretKey
        );
        assert_eq!(
            OprfSecretKey::from_bytes(&[0xFF; 32]).unwrap_err(),
            OprfError::SecretKey
        );
        assert_eq!(
            OprfSecretKey::from_bytes(&[1; 31]).unwrap_err(),
            OprfError::SecretKey
        );
        assert_ne!(
            OprfSecretKey::generate().unwrap().public_key(),
            key.public_key()
        );
    }

    #[test]
    fn padded_shuffled_request_finalizes_to_the_direct_evaluation() {
        let key = spec_key();
        let k1 = hex::decode(K1).unwrap();
        let mut seen = [false; 4];
        for _ in 0..64 {
            let batch = BlindedBatch::new(&[&k1], 4).unwrap();
            assert_eq!(batch.blinded().len(), 4);
            seen[batch.positions[0]] = true;
            let answer = key.blind_evaluate(batch.blinded()).unwrap();
            let y = batch
                .finalize(&answer.evaluated, &answer.proof, key.public_key())
                .unwrap();
            assert_eq!(y.len(), 1);
            assert_eq!(y[0].lookup().to_hex(), "6037FE04B4047328");
        }
        // The real input lands anywhere in the request (odds of a miss: 4·(3/4)^64, about 4e-8).
        assert_eq!(seen, [true; 4]);
    }

    #[test]
    fn batch_bounds() {
        assert_eq!(
            BlindedBatch::new(&[b"x"], 0).unwrap_err(),
            OprfError::BatchSize(0)
        );
        assert_eq!(
            BlindedBatch::new(&[b"x"], 9).unwrap_err(),
            OprfError::BatchSize(9)
        );
        assert_eq!(
            BlindedBatch::new(&[b"x", b"y", b"z"], 2).unwrap_err(),
            OprfError::TooManyInputs {
                inputs: 3,
                batch: 2
            }
        );
        assert_eq!(BlindedBatch::new(&[], 8).unwrap().blinded().len(), 8);
        assert_eq!(
            spec_key().blind_evaluate(&[]).unwrap_err(),
            OprfError::Count {
                got: 0,
                expected: 1
            }
        );
    }

    #[test]
    fn tampered_or_foreign_answers_are_refused() {
        let key = spec_key();
        let k1 = hex::decode(K1).unwrap();
        let batch = BlindedBatch::new(&[&k1], 2).unwrap();
        let answer = key.blind_evaluate(batch.blinded()).unwrap();
        let pk = key.public_key();

        // Answered with another key: its own proof does not verify for pkS.
        let other = OprfSecretKey::generate().unwrap();
        let foreign = other.blind_evaluate(batch.blinded()).unwrap();
        assert_eq!(
            batch
                .finalize(&foreign.evaluated, &foreign.proof, pk)
                .unwrap_err(),
            OprfError::ProofVerification
        );
        // A proof from another answer.
        assert_eq!(
            batch
                .finalize(&answer.evaluated, &foreign.proof, pk)
                .unwrap_err(),
            OprfError::ProofVerification
        );
        // Elements swapped.
        let swapped = vec![answer.evaluated[1], answer.evaluated[0]];
        assert_eq!(
            batch.finalize(&swapped, &answer.proof, pk).unwrap_err(),
            OprfError::ProofVerification
        );
        // A proof whose bytes are altered.
        let mut bytes = *answer.proof.as_bytes();
        bytes[0] ^= 1;
        assert!(matches!(
            batch.finalize(&answer.evaluated, &ProofBytes::from_bytes(bytes), pk),
            Err(OprfError::ProofVerification | OprfError::ProofEncoding)
        ));
        // Not canonical scalars.
        assert_eq!(
            batch
                .finalize(&answer.evaluated, &ProofBytes::from_bytes([0xFF; 64]), pk)
                .unwrap_err(),
            OprfError::ProofEncoding
        );
        // Wrong count.
        assert_eq!(
            batch
                .finalize(&answer.evaluated[..1], &answer.proof, pk)
                .unwrap_err(),
            OprfError::Count {
                got: 1,
                expected: 2
            }
        );
        // The genuine answer still finalizes.
        assert_eq!(
            batch
                .finalize(&answer.evaluated, &answer.proof, pk)
                .unwrap()
                .len(),
            1
        );
    }

    #[test]
    fn element_and_key_parsing() {
        let good = "1214f36643b984d616ee70c9ac925d394aa872dc6e8e5b8c3b7ca14be836470b";
        assert_eq!(Element::from_hex(good).unwrap().to_hex(), good);
        assert_eq!(
            Element::from_hex(&good.to_uppercase()).unwrap().to_hex(),
            good
        );
        assert_eq!(
            Element::from_hex(&good[..62]).unwrap_err(),
            ElementError::Length {
                got: 62,
                expected: 64
            }
        );
        assert_eq!(
            Element::from_hex(&format!("{}zz", &good[..62])).unwrap_err(),
            ElementError::NotHex
        );
        assert_eq!(
            Element::from_hex(&"00".repeat(32)).unwrap_err(),
            ElementError::Identity
        );
        // The field element p (2^255 - 19) is not reduced: not canonical.
        let p = "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f";
        assert_eq!(
            Element::from_hex(p).unwrap_err(),
            ElementError::NotCanonical
        );
        // A canonical field element that is not a ristretto255 encoding.
        assert_eq!(
            Element::from_hex(&format!("01{}", "00".repeat(31))).unwrap_err(),
            ElementError::NotCanonical
        );
        assert_eq!(
            OprfPublicKey::from_hex(&"00".repeat(32)).unwrap_err(),
            OprfError::PublicKey(ElementError::Identity)
        );
        assert_eq!(
            ProofBytes::from_hex("00").unwrap_err(),
            OprfError::ProofEncoding
        );
        // The server refuses a non-canonical element in a request too.
        let bad = Element([0xFF; 32]);
        assert_eq!(
            spec_key()
                .blind_evaluate(&[Element::from_hex(good).unwrap(), bad])
                .unwrap_err(),
            OprfError::Element {
                index: 1,
                error: ElementError::NotCanonical
            }
        );
    }

    #[test]
    fn secrets_are_redacted_in_debug() {
        let key = spec_key();
        let y = key.evaluate(b"x").unwrap();
        assert_eq!(format!("{y:?}"), "OprfOutput(<redacted>)");
        assert!(!format!("{key:?}").contains("63bfa9b1"));
    }

    #[test]
    fn request_and_answer_bodies() {
        let key = spec_key();
        let k1 = hex::decode(K1).unwrap();
        let batch = BlindedBatch::new(&[&k1], 2).unwrap();
        let body = request_body(batch.blinded());
        assert!(body.starts_with("{\"blinded\":[\""), "{body}");
        let got = parse_request(body.as_bytes(), 2).unwrap();
        assert_eq!(got, batch.blinded());
        let answer = key.blind_evaluate(&got).unwrap();
        let text = answer_body(&answer);
        let back = parse_answer(text.as_bytes(), 2).unwrap();
        assert_eq!(back, answer);
        let y = batch
            .finalize(&back.evaluated, &back.proof, key.public_key())
            .unwrap();
        assert_eq!(y[0].lookup().to_hex(), "6037FE04B4047328");

        // Every malformed request, with its reason.
        let good = batch.blinded()[0].to_hex();
        let req = |items: &[&str]| {
            format!(
                "{{\"blinded\":[{}]}}",
                items
                    .iter()
                    .map(|i| format!("\"{i}\""))
                    .collect::<Vec<_>>()
                    .join(",")
            )
        };
        let refuse = |body: &str| parse_request(body.as_bytes(), 2).unwrap_err();
        assert!(matches!(refuse("not json"), WireError::Json(_)));
        assert!(matches!(refuse("{\"elements\":[]}"), WireError::Json(_)));
        assert!(matches!(refuse("{\"blinded\":[1,2]}"), WireError::Json(_)));
        // The reason never quotes what was sent.
        let WireError::Json(reason) = refuse(&format!("{{\"blinded\":\"{good}\"}}")) else {
            panic!("not a JSON error")
        };
        assert!(!reason.contains(&good[..16]), "{reason}");
        assert!(reason.starts_with("wrong fields or types"), "{reason}");
        assert_eq!(
            refuse(&req(&[&good])),
            WireError::Count {
                got: 1,
                expected: 2
            }
        );
        assert_eq!(
            refuse(&req(&[&good, &good, &good])),
            WireError::Count {
                got: 3,
                expected: 2
            }
        );
        assert_eq!(
            refuse(&req(&[&good, &"zz".repeat(32)])),
            WireError::Element {
                index: 1,
                error: ElementError::NotHex
            }
        );
        assert_eq!(
            refuse(&req(&[&"00".repeat(32), &good])),
            WireError::Element {
                index: 0,
                error: ElementError::Identity
            }
        );
        assert_eq!(
            refuse(&req(&[&good, &"ff".repeat(32)])),
            WireError::Element {
                index: 1,
                error: ElementError::NotCanonical
            }
        );
        assert_eq!(
            refuse(&req(&[&good, "ab"])),
            WireError::Element {
                index: 1,
                error: ElementError::Length {
                    got: 2,
                    expected: 64
                }
            }
        );
        let big = format!(
            "{{\"blinded\":[],\"x\":\"{}\"}}",
            "a".repeat(MAX_BODY_BYTES)
        );
        assert!(matches!(refuse(&big), WireError::TooLarge { .. }));
        // Unknown fields are ignored.
        let extra = body.replacen('{', "{\"v\":1,", 1);
        assert_eq!(parse_request(extra.as_bytes(), 2).unwrap(), batch.blinded());

        // Answers: the count is the manifest's batch, the proof 128 hex.
        assert_eq!(
            parse_answer(text.as_bytes(), 3).unwrap_err(),
            WireError::Count {
                got: 2,
                expected: 3
            }
        );
        let short = text.replace(&answer.proof.to_hex(), "abcd");
        assert_eq!(
            parse_answer(short.as_bytes(), 2).unwrap_err(),
            WireError::Proof
        );
        assert!(matches!(
            parse_answer(b"{\"evaluated\":[]}", 2).unwrap_err(),
            WireError::Json(_)
        ));
    }
}
