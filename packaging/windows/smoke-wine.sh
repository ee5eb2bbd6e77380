#!/usr/bin/env bash
# Smoke test of the Windows MSI under Wine, on Debian 12 (no Windows):
# install it per user, run the installed fuitecheck.exe (CLI on the demo
# identities of the README, a PDF letter, the window under Xvfb with a
# screenshot), uninstall it and check that it left nothing behind.
#
# Usage: packaging/windows/smoke-wine.sh [MSI]
#   MSI defaults to the newest target/windows/FuiteCheck-*-x64.msi
#   (build it with packaging/windows/build.sh).
#   FUITECHECK_WIN_NO_APT=1: do not apt-get install (tools already there).
#   SCREENSHOT=path: where the window's screenshot goes
#   (default docs/screenshots/windows.png).
#
# Wine 8.0 (Debian 12) lacks bcryptprimitives.dll, whose ProcessPrng Rust's
# standard library (1.78+) calls for random bytes on every Windows 10+: an
# unmodified Rust .exe does not start under it. The script builds a tiny
# stand-in DLL (test-kit/bcryptprimitives.c, forwarding to BCryptGenRandom)
# with mingw and puts it into the throwaway Wine prefix's system32. It is a
# test-only shim for this Wine: it is never installed by the MSI, and real
# Windows (and Wine 9+) have the real DLL.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

msi="${1:-$(ls -t target/windows/FuiteCheck-*-x64.msi 2>/dev/null | head -n1)}"
[[ -n "$msi" && -f "$msi" ]] || { echo "smoke-wine.sh: no MSI (run packaging/windows/build.sh)" >&2; exit 1; }
msi="$(cd "$(dirname "$msi")" && pwd)/$(basename "$msi")"
screenshot="${SCREENSHOT:-$root/docs/screenshots/windows.png}"

need_apt=()
command -v wine >/dev/null || need_apt+=(wine)
command -v wine64 >/dev/null || [[ -x /usr/lib/wine/wine64 ]] || need_apt+=(wine64)
command -v Xvfb >/dev/null || need_apt+=(xvfb)
command -v import >/dev/null || need_apt+=(imagemagick)
command -v xdotool >/dev/null || need_apt+=(xdotool)
command -v pdftotext >/dev/null || need_apt+=(poppler-utils)
command -v jq >/dev/null || need_apt+=(jq)
command -v x86_64-w64-mingw32-gcc >/dev/null || need_apt+=(gcc-mingw-w64-x86-64)
if ((${#need_apt[@]})); then
    if [[ "${FUITECHECK_WIN_NO_APT:-0}" == 1 ]]; then
        echo "smoke-wine.sh: missing ${need_apt[*]} (FUITECHECK_WIN_NO_APT=1)" >&2
        exit 1
    fi
    sudo=""
    [[ $(id -u) == 0 ]] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need_apt[@]}"
fi

work="$root/target/windows/smoke"
rm -rf "$work"
mkdir -p "$work"
# Work on a copy: install and uninstall the very same package.
cp "$msi" "$work/"
msi="$work/$(basename "$msi")"
sha256sum "$msi"
export WINEPREFIX="$work/prefix" WINEARCH=win64 WINEDEBUG=-all
# No Mono/Gecko download prompts, and no menu entries written into the
# host's ~/.local/share by winemenubuilder.
export WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d"

step() { printf '\n== %s\n' "$*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
t0=$SECONDS

# One X server for everything (msiexec and the app want a display).
display=":$((90 + RANDOM % 9))"
Xvfb "$display" -screen 0 1280x900x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
export DISPLAY="$display"
cleanup() {
    wineserver -k 2>/dev/null || true
    kill "$xvfb_pid" 2>/dev/null || true
}
trap cleanup EXIT
sleep 1

step "Wine prefix ($(wine --version))"
wine wineboot --init >"$work/wineboot.log" 2>&1
wineserver -w
sys32="$WINEPREFIX/drive_c/windows/system32"

step "test-only shim: bcryptprimitives.dll (ProcessPrng -> BCryptGenRandom)"
x86_64-w64-mingw32-gcc -O2 -shared -Wl,--no-insert-timestamp \
    -o "$work/bcryptprimitives.dll" \
    packaging/windows/test-kit/bcryptprimitives.c packaging/windows/test-kit/bcryptprimitives.def -lbcrypt
if [[ -e "$sys32/bcryptprimitives.dll" ]]; then
    echo "this Wine has its own bcryptprimitives.dll: shim not needed, not copied"
else
    cp "$work/bcryptprimitives.dll" "$sys32/"
fi

step "install: msiexec /i $(basename "$msi") /qn (per user)"
wine msiexec /i "$(winepath -w "$msi")" /qn /l*v "$(winepath -w "$work/install.log")"
wineserver -w
user="$(ls "$WINEPREFIX/drive_c/users" | grep -vx Public | head -n1)"
profile="$WINEPREFIX/drive_c/users/$user"
inst="$profile/AppData/Local/Programs/FuiteCheck"
lnk="$profile/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/FuiteCheck.lnk"
ls -l "$inst"
[[ -f "$inst/fuitecheck.exe" && -f "$inst/fuitecheck-publish.exe" ]] || fail "executables not installed in $inst"
[[ -f "$lnk" ]] || fail "no Start menu shortcut at $lnk"
echo "Start menu shortcut: ${lnk#"$WINEPREFIX/"}"
[[ ! -e "$WINEPREFIX/drive_c/Program Files/FuiteCheck" ]] || fail "installed per machine"
wine reg query 'HKCU\Software\FuiteCheck' | tr -d '\r' | grep -q fuitecheck.exe || fail "no HKCU\\Software\\FuiteCheck key"
exe="$inst/fuitecheck.exe"

step "fuitecheck.exe --version / fuitecheck-publish.exe --version"
wine "$exe" --version | tr -d '\r'
wine "$inst/fuitecheck-publish.exe" --version | tr -d '\r'

step 'fuitecheck.exe nir "2 85 05 78 006 084 91" (the README example; its key should be 41: invalid)'
rc=0
wine "$exe" nir "2 85 05 78 006 084 91" >"$work/nir.out" 2>"$work/nir.err" || rc=$?
tr -d '\r' <"$work/nir.err"
[[ $rc == 1 ]] || fail "nir with a wrong key: exit $rc, want 1"
grep -q 'clé' "$work/nir.err" || fail "nir: no message about the key"
step 'fuitecheck.exe nir "1 85 05 78 006 084 91" (valid)'
out="$(wine "$exe" nir "1 85 05 78 006 084 91" | tr -d '\r')"
echo "$out"
[[ -n "$out" ]] || fail "nir printed nothing"
wine "$exe" nir "1 85 05 78 006 084 91" --json | tr -d '\r' | jq -e '.' >/dev/null || fail "nir --json"

step "fuitecheck.exe check: the README's demo identities (--json)"
LAB=demo-laboratoire-fictif TIERS=demo-tiers-payant-fictif
check_one() { # nir surname usage-name expected-breaches(comma-separated) expect-usage-variant
    local args=(check --nir "$1" --surname "$2" --json)
    [[ -n "$3" ]] && args+=(--usage-name "$3")
    local json got
    json="$(wine "$exe" "${args[@]}" | tr -d '\r')" || fail "check $2 failed"
    jq -e '.source.kind == "offline" and .source.demo == true' <<<"$json" >/dev/null || fail "check $2: not the demo publication"
    got="$(jq -r '[.matches[].breach] | unique | join(",")' <<<"$json")"
    printf '%-9s %-8s -> [%s]\n' "$2" "${3:-}" "$got"
    [[ "$got" == "$4" ]] || fail "check $2: got [$got], want [$4]"
    if [[ "$5" == usage ]]; then
        jq -e '[.matches[].variant] | all(. == "usage_name")' <<<"$json" >/dev/null || fail "check $2: not via the usage name"
    fi
}
check_one "2 91 07 56 260 012 03" "Le Goff" "" "$LAB" ""
check_one "1 78 11 75 113 045 59" "Moreau" "" "$TIERS" ""
check_one "2 64 03 45 234 101 19" "Lefèvre" "" "$LAB,$TIERS" ""
check_one "2 88 02 27 229 077 69" "Dubois" "Garnier" "$TIERS" usage
check_one "1 95 12 2A 004 017 75" "Rossi" "" "" ""
echo "human-readable output (Lefèvre):"
wine "$exe" check --nir "2 64 03 45 234 101 19" --surname "Lefèvre" | tr -d '\r' | head -n 12

step "fuitecheck.exe draft access --format pdf"
pdf="$work/courrier.pdf"
wine "$exe" draft access --breach "$LAB" --name "Awa Le Goff" \
    --address '12 rue des Lilas\n29000 Quimper' --place Quimper --matched \
    --format pdf --out "$(winepath -w "$pdf")"
head -c 5 "$pdf" | grep -q '%PDF-' || fail "not a PDF"
pdftotext "$pdf" "$work/courrier.txt"
grep -q "Awa Le Goff" "$work/courrier.txt" || fail "PDF text lacks the name"
echo "$(wc -c <"$pdf") bytes; pdftotext: $(wc -w <"$work/courrier.txt") words; first lines:"
head -n 8 "$work/courrier.txt"

step "window under Xvfb (no arguments: GUI), screenshot"
wine "$exe" >"$work/gui.log" 2>&1 &
gui_pid=$!
wid=""
for _ in $(seq 60); do
    wid="$(xdotool search --onlyvisible --name '^FuiteCheck' 2>/dev/null | head -n1 || true)"
    [[ -n "$wid" ]] && break
    kill -0 "$gui_pid" 2>/dev/null || { cat "$work/gui.log"; fail "the app exited"; }
    sleep 1
done
[[ -n "$wid" ]] || { cat "$work/gui.log"; fail "no window after 60 s"; }
echo "window $wid: $(xdotool getwindowname "$wid"), $(xdotool getwindowgeometry "$wid" | tail -n +2 | tr -s ' \n' ' ')"
sleep 8 # first frames (llvmpipe)
mkdir -p "$(dirname "$screenshot")"
import -window "$wid" "$screenshot"
echo "screenshot: $screenshot ($(identify -format '%wx%h' "$screenshot"))"
xdotool windowclose "$wid" 2>/dev/null || true
for _ in $(seq 20); do kill -0 "$gui_pid" 2>/dev/null || break; sleep 1; done
kill "$gui_pid" 2>/dev/null || true
wineserver -w

step "uninstall: msiexec /x /qn"
wine msiexec /x "$(winepath -w "$msi")" /qn /l*v "$(winepath -w "$work/uninstall.log")"
wineserver -w
[[ ! -e "$inst" ]] || { ls -la "$inst"; fail "$inst still exists"; }
[[ ! -e "$lnk" ]] || fail "shortcut still there"
if wine reg query 'HKCU\Software\FuiteCheck' >/dev/null 2>&1; then
    fail "HKCU\\Software\\FuiteCheck still there"
fi
echo "install folder, shortcut and HKCU key removed"
left="$(find "$profile" -iname '*fuitecheck*' | sed "s|$WINEPREFIX/||" || true)"
echo "left in the profile (the app's own settings/data, kept by design): ${left:-nothing}"

printf '\nOK: smoke test passed in %d s\n' "$((SECONDS - t0))"
