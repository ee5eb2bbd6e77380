//! Shard files of a distributed publisher build (`shard::read_info`,
//! `shard::assemble` and the k-way merge of their records) on arbitrary
//! bytes. Half the inputs get the expected KDF digest patched in, so the
//! merge is reached. Never panics; what the merge yields is strictly
//! increasing.
#![no_main]

use fuitecheck_core::fingerprint::KdfParams;
use fuitecheck_publish::shard;
use libfuzzer_sys::fuzz_target;

fn kdf() -> KdfParams {
    KdfParams {
        memory_kib: 64,
        iterations: 1,
        parallelism: 1,
        salt: vec![0x5a; 16],
    }
}

fuzz_target!(|data: &[u8]| {
    let mut bytes = data.to_vec();
    if bytes.len() >= 64 && bytes[0] % 2 == 0 {
        bytes[..8].copy_from_slice(shard::MAGIC);
        bytes[8..10].copy_from_slice(&shard::VERSION.to_le_bytes());
        bytes[20..52].copy_from_slice(&shard::kdf_digest(&kdf()));
    }
    let dir = std::env::temp_dir();
    let path = dir.join(format!("fuitecheck-fuzz-shard-{}", std::process::id()));
    if std::fs::write(&path, &bytes).is_err() {
        return;
    }
    if let Ok(info) = shard::read_info(&path)
        && let Ok((sorted, report)) = shard::assemble(&[path.clone()], info.code, &kdf())
    {
        let _ = report.to_text();
        if let Ok(pairs) = sorted.pairs() {
            let mut prev = None;
            for p in pairs {
                let Ok((l, _)) = p else { break };
                assert!(prev.is_none_or(|q| q < l));
                prev = Some(l);
            }
        }
    }
});
