/*!
FuiteCheck: find out privately whether you are among the people affected by
a French health-data breach, understand what leaked, and act on your rights.

The library implements the protocol of `SPEC.md` (v1):

- [`nir`] and [`surname`]: canonical identity (§2);
- [`fingerprint`]: the slow, salted fingerprint and its lookup value (§3);
- [`category`], [`catalogue`]: data categories and breach descriptions (§4–§5);
- [`manifest`], [`signature`], [`setfile`], [`publication`]: signed,
  verified publications and the offline set files (§6);
- [`check`]: the check engine over any [`check::Source`];
- [`publish`]: building publications (publisher side); [`runs`]: the
  external sort behind it;
- [`demo`]: the embedded demonstration publication (fictional people).

```
use fuitecheck::{nir::Nir, surname::Surname, fingerprint::KdfParams};

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

pub mod catalogue;
pub mod category;
pub mod check;
pub mod demo;
pub mod download;
pub mod fingerprint;
pub mod ingest;
pub mod manifest;
pub mod nir;
pub mod online;
pub mod privacy;
pub mod publication;
pub mod publish;
pub mod range;
pub mod rights;
pub mod runs;
pub mod serve;
pub mod setfile;
pub mod shard;
pub mod signature;
pub mod surname;

pub mod app;
pub mod cli;
pub mod publish_cli;
