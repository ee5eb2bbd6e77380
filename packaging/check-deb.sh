#!/usr/bin/env bash
# Packaging check (CI step, after the tests): build the .deb, inspect its
# contents and control fields, run the packaged CLI, and validate the desktop
# entry and AppStream metainfo when the validators are installed.
#   packaging/check-deb.sh            # builds with packaging/build-deb.sh
#   packaging/check-deb.sh FILE.deb   # checks an existing package
# Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
ID=fr.fuitecheck.FuiteCheck
DESKTOP=packaging/linux/$ID.desktop
METAINFO=packaging/linux/$ID.metainfo.xml
fail() { echo "check-deb: FAIL: $*" >&2; exit 1; }
ok() { echo "check-deb: ok: $*"; }

# 1. Source files, validated when the validators exist.
if command -v desktop-file-validate >/dev/null; then
    out=$(desktop-file-validate "$DESKTOP" 2>&1) || fail "desktop-file-validate: $out"
    [[ -z "$out" ]] || fail "desktop-file-validate has remarks: $out"
    ok "desktop-file-validate $DESKTOP"
else
    echo "check-deb: skip: desktop-file-validate not installed (apt-get install desktop-file-utils)"
fi
if command -v appstreamcli >/dev/null; then
    appstreamcli validate --no-net "$METAINFO" >/dev/null 2>&1 \
        || fail "appstreamcli validate: $(appstreamcli validate --no-net "$METAINFO" 2>&1)"
    ok "appstreamcli validate --no-net $METAINFO"
else
    echo "check-deb: skip: appstreamcli not installed (apt-get install appstream)"
fi

# 2. The package.
command -v dpkg-deb >/dev/null || fail "dpkg-deb is needed to inspect the package"
if [[ $# -ge 1 ]]; then
    deb=$1
else
    deb=$(packaging/build-deb.sh | tail -n 1)
fi
[[ -f "$deb" ]] || fail "no package at '$deb'"
ok "package $deb ($(du -h "$deb" | cut -f1))"

listing=$(dpkg-deb -c "$deb")
expect_file() { # path, optional mode prefix
    local line
    line=$(grep -E " \./$1\$" <<<"$listing") || fail "missing in package: /$1"
    if [[ -n "${2:-}" && "$line" != "$2"* ]]; then fail "/$1 has mode ${line%% *}, want $2"; fi
}
expect_file usr/bin/fuitecheck -rwxr-xr-x
expect_file usr/bin/fuitecheck-publish -rwxr-xr-x
expect_file "usr/share/applications/$ID.desktop" -rw-r--r--
expect_file "usr/share/metainfo/$ID.metainfo.xml" -rw-r--r--
expect_file "usr/share/icons/hicolor/scalable/apps/$ID.svg" -rw-r--r--
for s in 16 24 32 48 64 128 256 512; do
    expect_file "usr/share/icons/hicolor/${s}x${s}/apps/$ID.png" -rw-r--r--
done
expect_file usr/share/doc/fuitecheck/copyright
expect_file usr/share/doc/fuitecheck/examples/fuitecheck-publish.service
ok "contents: both binaries, desktop entry, metainfo, SVG + 8 PNG icons, docs"

depends=$(dpkg-deb -f "$deb" Depends)
for lib in libgl1 libegl1 libx11-6 libxcursor1 libxrandr2 libxi6 libxkbcommon-x11-0; do
    grep -qw -- "$lib" <<<"$depends" || fail "Depends lacks $lib (dlopen()ed at run time): $depends"
done
[[ "$(dpkg-deb -f "$deb" Package)" == fuitecheck ]] || fail "Package is not fuitecheck"
[[ "$(dpkg-deb -f "$deb" Architecture)" == "$(dpkg --print-architecture)" ]] || fail "wrong Architecture"
ok "control: Depends: $depends"

# 3. What is inside works: the packaged files are the checked ones, the
# desktop entry's Exec and Icon resolve inside the package, the CLI runs.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dpkg-deb -x "$deb" "$tmp"
cmp -s "$DESKTOP" "$tmp/usr/share/applications/$ID.desktop" || fail "packaged desktop file differs from $DESKTOP"
cmp -s "$METAINFO" "$tmp/usr/share/metainfo/$ID.metainfo.xml" || fail "packaged metainfo differs from $METAINFO"
exec_bin=$(sed -n 's/^Exec=\([^ ]*\).*/\1/p' "$DESKTOP")
[[ -x "$tmp/usr/bin/$exec_bin" ]] || fail "desktop Exec=$exec_bin is not /usr/bin/$exec_bin in the package"
icon=$(sed -n 's/^Icon=//p' "$DESKTOP")
[[ "$icon" == "$ID" && -f "$tmp/usr/share/icons/hicolor/48x48/apps/$icon.png" ]] || fail "desktop Icon=$icon has no hicolor icon"
"$tmp/usr/bin/fuitecheck" --version >/dev/null || fail "packaged fuitecheck --version"
"$tmp/usr/bin/fuitecheck" nir "2 64 03 45 234 101 19" >/dev/null || fail "packaged fuitecheck nir"
"$tmp/usr/bin/fuitecheck-publish" --help >/dev/null || fail "packaged fuitecheck-publish --help"
ok "Exec=$exec_bin and Icon=$icon resolve; packaged CLIs run ($("$tmp/usr/bin/fuitecheck" --version))"
echo "check-deb: all checks passed"
