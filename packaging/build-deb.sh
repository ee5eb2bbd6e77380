#!/usr/bin/env bash
# Build the Debian package (cargo-deb, metadata in Cargo.toml
# [package.metadata.deb]) and print its path on the last line of stdout.
#   packaging/build-deb.sh                 # dist build (fat LTO) + .deb
#   packaging/build-deb.sh --no-build      # package the binaries already built with that profile
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
# Packages are built with the `dist` profile (fat LTO, one codegen unit);
# FUITECHECK_DEB_PROFILE selects another one (CI uses ci-deb, a quick
# build that is only inspected, never shipped).
profile="${FUITECHECK_DEB_PROFILE:-dist}"
# The two binaries live in two packages of the workspace (fuitecheck and
# fuitecheck-publish): build both, then let cargo-deb package them.
if [[ " $* " != *" --no-build "* ]]; then
    cargo build --locked --profile "$profile" --bin fuitecheck --bin fuitecheck-publish >&2
fi
# cargo-deb prints the path of the package it wrote as its last line.
deb=$(cargo deb --locked --no-build --profile "$profile" $(printf "%s\n" "$@" | grep -vx -- --no-build || true) | tail -n 1)
if [[ ! -f "$deb" ]]; then
    echo "build-deb: cargo deb did not report a package (got: $deb)" >&2
    exit 1
fi
echo "build-deb: $(du -h "$deb" | cut -f1) $deb" >&2
echo "$deb"
