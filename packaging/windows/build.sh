#!/usr/bin/env bash
# Cross-build FuiteCheck for Windows x64 on Debian 12 and package it as an
# MSI, without Windows:
#   - fuitecheck.exe and fuitecheck-publish.exe (target x86_64-pc-windows-gnu,
#     linked by mingw-w64, icon and version information embedded by build.rs
#     with x86_64-w64-mingw32-windres);
#   - target/windows/FuiteCheck-<version>-x64.msi, built by msitools' wixl
#     from packaging/windows/fuitecheck.wxs (WiX v3 schema): per-user
#     install, no administrator rights.
#
# Usage: packaging/windows/build.sh [PROFILE]
#   PROFILE (or FUITECHECK_WIN_PROFILE): cargo profile, default `dist`
#   (fat LTO, 1 codegen unit, stripped). `ci-deb` builds in a few minutes
#   for quick tests.
#   FUITECHECK_WIN_NO_APT=1: do not apt-get install (tools already there).
#   CARGO_TARGET_DIR is honoured; the MSI always goes to target/windows/.
# Prints the MSI's path on its last line.
#
# Reproducibility: SOURCE_DATE_EPOCH (default: the last commit's date)
# sets the mtime of the files put into the MSI's cabinet, and the PE
# timestamp is left out of the executables (--no-insert-timestamp). wixl
# 0.101 ignores SOURCE_DATE_EPOCH and writes the current time and a random
# package code into the MSI summary, so the .msi itself is not
# bit-for-bit reproducible; the executables are compared instead.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

profile="${1:-${FUITECHECK_WIN_PROFILE:-dist}}"
target=x86_64-pc-windows-gnu

# --- tools -----------------------------------------------------------------
need_apt=()
command -v x86_64-w64-mingw32-gcc >/dev/null || need_apt+=(gcc-mingw-w64-x86-64)
command -v x86_64-w64-mingw32-windres >/dev/null || need_apt+=(binutils-mingw-w64-x86-64)
command -v wixl >/dev/null || need_apt+=(wixl)
command -v msiinfo >/dev/null || need_apt+=(msitools)
if ((${#need_apt[@]})); then
    if [[ "${FUITECHECK_WIN_NO_APT:-0}" == 1 ]]; then
        echo "build.sh: missing ${need_apt[*]} (FUITECHECK_WIN_NO_APT=1)" >&2
        exit 1
    fi
    sudo=""
    [[ $(id -u) == 0 ]] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need_apt[@]}"
fi
command -v rustup >/dev/null || { echo "build.sh: rustup is needed (https://rustup.rs)" >&2; exit 1; }
rustup target list --installed | grep -qx "$target" || rustup target add "$target"

# --- executables -----------------------------------------------------------
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}"
# Linker and flags for this target only (Linux builds sharing target/ are
# not rebuilt). The profile's own settings (LTO, strip) come from Cargo.toml.
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUSTFLAGS="-C link-arg=-Wl,--no-insert-timestamp --remap-path-prefix=$root=. --remap-path-prefix=${CARGO_HOME:-$HOME/.cargo}=cargo"
# build.rs must embed the icon and version information, or fail.
export FUITECHECK_REQUIRE_WINRES=1
echo "== cargo build --profile $profile --target $target" >&2
cargo build --locked --profile "$profile" --target "$target" \
    --bin fuitecheck --bin fuitecheck-publish >&2

bindir="${CARGO_TARGET_DIR:-target}/$target/$profile"
version="$(cargo metadata --no-deps --format-version 1 --locked 2>/dev/null |
    sed -n 's/.*"name":"fuitecheck","version":"\([^"]*\)".*/\1/p' | head -n1)"
[[ -n "$version" ]] || version="$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)"

# --- MSI -------------------------------------------------------------------
out="target/windows"
stage="$out/stage"
rm -rf "$stage"
mkdir -p "$stage"
cp "$bindir/fuitecheck.exe" "$bindir/fuitecheck-publish.exe" packaging/windows/fuitecheck.ico "$stage/"
touch -d "@$SOURCE_DATE_EPOCH" "$stage"/*
# A stable ProductCode per version (a name-based GUID from the UpgradeCode
# and the version): rebuilding a version gives the same product, a new
# version a new one, as major upgrades need.
h="$(printf '%s' "0ABE01BE-F06D-4B5F-B56A-F546034819B4/$version" | sha256sum | cut -c1-32)"
variant="$(printf '%x' $(( (0x${h:16:1} & 0x3) | 0x8 )))"
product_code="${h:0:8}-${h:8:4}-5${h:13:3}-${variant}${h:17:3}-${h:20:12}"
product_code="${product_code^^}"
msi="$root/$out/FuiteCheck-$version-x64.msi"
rm -f "$msi"
echo "== wixl (version $version, ProductCode $product_code)" >&2
(cd "$stage" && wixl -a x64 -D "Version=$version" -D "ProductCode=$product_code" \
    -o "$msi" "$root/packaging/windows/fuitecheck.wxs")
# A quick look inside: both executables and the shortcut are in the tables.
msiinfo export "$msi" File | grep -q 'fuitecheck-publish.exe' || { echo "build.sh: MSI lacks fuitecheck-publish.exe" >&2; exit 1; }
msiinfo export "$msi" Shortcut | grep -q 'INSTALLFOLDER\]fuitecheck.exe' || { echo "build.sh: MSI lacks the shortcut" >&2; exit 1; }
(cd "$stage" && sha256sum fuitecheck.exe fuitecheck-publish.exe) >&2
echo "$msi"
