/*!
The FuiteCheck protocol (`docs/protocol.md`, v1.1): everything a client,
a publisher and a host must agree on, with no network, no GUI and no
platform code beyond memory maps.

- [`nir`] and [`surname`]: canonical identity (§2);
- [`fingerprint`]: the slow, salted fingerprint and its lookup value (§3);
- [`category`], [`catalogue`]: data categories and breach descriptions (§4–§5);
- [`manifest`], [`signature`], [`setfile`], [`publication`]: signed,
  verified publications and the offline set files (§6);
- [`bucket`]: the NIR bucket that keys range answers (§5);
- [`freshness`]: who vouches for a publication (the demo key only for the
  embedded demo), rollback (`sequence`), expiry and age (§6);
- [`range`]: range answers (§7);
- [`oprf`]: OPRF publications, VOPRF(ristretto255, SHA-512) (§11);
- [`check`]: the check engine over any [`check::Source`];
- [`demo`]: the embedded demonstration publication (fictional people);
- [`text`]: characters a publication may not carry (§6);
- [`fsutil`]: the one atomic write; [`privacy`]: process hardening.

```
use fuitecheck_core::{nir::Nir, surname::Surname, fingerprint::KdfParams};

let nir = Nir::parse("1 85 05 78 006 084 91").unwrap();
let name = Surname::parse("Lefèvre").unwrap();
let kdf = KdfParams {
    memory_kib: 64, iterations: 1, parallelism: 1,
    salt: hex::decode("00112233445566778899aabbccddeeff").unwrap(),
};
assert_eq!(kdf.lookup(&nir, &name).unwrap().to_hex(), "D87D1BC8D86FC802");
```
*/
#![warn(missing_docs)]

pub mod bucket;
pub mod catalogue;
pub mod category;
pub mod check;
pub mod demo;
pub mod fingerprint;
pub mod freshness;
pub mod fsutil;
pub mod manifest;
pub mod nir;
pub mod oprf;
pub mod privacy;
pub mod publication;
pub mod range;
pub mod setfile;
pub mod signature;
pub mod surname;
pub mod text;
