#!/usr/bin/env bash
# Build the Debian package (cargo-deb, metadata in Cargo.toml
# [package.metadata.deb]) and print its path on the last line of stdout.
#   packaging/build-deb.sh                 # release build + .deb
#   packaging/build-deb.sh --no-build      # package the existing target/release binaries
# Extra arguments go to `cargo deb`. Installs cargo-deb first if missing.
# Needs only the Rust toolchain (and network access to crates.io for the
# first cargo-deb install); dpkg-shlibdeps (dpkg-dev) refines $auto if present.
set -euo pipefail
cd "$(dirname "$0")/.."
CARGO_DEB_VERSION=3.8.0
if ! cargo deb --version >/dev/null 2>&1; then
    echo "build-deb: installing cargo-deb $CARGO_DEB_VERSION" >&2
    cargo install cargo-deb --locked --version "$CARGO_DEB_VERSION" >&2
fi
# FUITECHECK_DEB_PROFILE selects another Cargo profile (CI uses ci-deb, a
# quick build that is only inspected, never shipped).
profile=()
if [[ -n "${FUITECHECK_DEB_PROFILE:-}" ]]; then
    profile=(--profile "$FUITECHECK_DEB_PROFILE")
fi
# cargo-deb prints the path of the package it wrote as its last line.
deb=$(cargo deb --locked "${profile[@]}" "$@" | tail -n 1)
if [[ ! -f "$deb" ]]; then
    echo "build-deb: cargo deb did not report a package (got: $deb)" >&2
    exit 1
fi
echo "build-deb: $(du -h "$deb" | cut -f1) $deb" >&2
echo "$deb"
