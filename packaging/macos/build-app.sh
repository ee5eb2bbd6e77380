#!/usr/bin/env bash
# Build FuiteCheck.app and FuiteCheck-<version>.dmg (macOS 11+, universal:
# Apple silicon + Intel). Run on a Mac with Xcode command line tools and
# rustup:  packaging/macos/build-app.sh
#
# Environment:
#   MACOS_SIGN_IDENTITY  "Developer ID Application: ..." to sign for
#                        distribution (default "-": ad-hoc, local use only)
#   FUITECHECK_BIN       use this already-built binary instead of building
#                        (also lets the bundle layout be assembled on Linux)
# Output: target/macos/FuiteCheck.app, target/macos/FuiteCheck-<version>.dmg
set -euo pipefail
cd "$(dirname "$0")/../.."
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)
out=target/macos
app=$out/FuiteCheck.app

if [[ -n "${FUITECHECK_BIN:-}" ]]; then
    bin=$FUITECHECK_BIN
else
    rustup target add aarch64-apple-darwin x86_64-apple-darwin
    export MACOSX_DEPLOYMENT_TARGET=11.0
    cargo build --profile dist --locked --bin fuitecheck --target aarch64-apple-darwin
    cargo build --profile dist --locked --bin fuitecheck --target x86_64-apple-darwin
    mkdir -p "$out"
    lipo -create -output "$out/fuitecheck-universal" \
        target/aarch64-apple-darwin/dist/fuitecheck \
        target/x86_64-apple-darwin/dist/fuitecheck
    bin=$out/fuitecheck-universal
fi

rm -rf "$app"
mkdir -p "$app/Contents/MacOS" "$app/Contents/Resources"
install -m 755 "$bin" "$app/Contents/MacOS/fuitecheck"
sed "s/@VERSION@/$version/g" packaging/macos/Info.plist > "$app/Contents/Info.plist"
install -m 644 packaging/macos/FuiteCheck.icns "$app/Contents/Resources/FuiteCheck.icns"
printf 'APPL????' > "$app/Contents/PkgInfo"

if [[ "$(uname -s)" != Darwin ]]; then
    echo "assembled $app (layout only: not on macOS, so not signed, no .dmg)"
    exit 0
fi
plutil -lint "$app/Contents/Info.plist"
identity=${MACOS_SIGN_IDENTITY:--}
if [[ "$identity" == - ]]; then ts=--timestamp=none; else ts=--timestamp; fi   # notarization needs a timestamp
codesign --force --options runtime "$ts" --sign "$identity" "$app"
codesign --verify --strict --verbose=2 "$app"
dmg=$out/FuiteCheck-$version.dmg
rm -f "$dmg"
staging=$(mktemp -d); trap 'rm -rf "$staging"' EXIT
cp -R "$app" "$staging/"
ln -s /Applications "$staging/Applications"
hdiutil create -volname FuiteCheck -srcfolder "$staging" -ov -format UDZO "$dmg"
echo "$dmg"
# Distribution outside the App Store also needs notarization:
#   xcrun notarytool submit "$dmg" --keychain-profile <profile> --wait
#   xcrun stapler staple "$dmg"
