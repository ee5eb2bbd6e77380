#!/bin/bash
# FuiteCheck — run the distributed publisher build for real on Slurm.
#
# Installs Debian's slurm-wlm (slurmctld + slurmd) and munge as a
# single-node cluster on THIS machine, generates a CSV of fictional people,
# submits packaging/publisher/slurm-array.sh as a job array, runs `merge`,
# and checks that the result is byte-identical to a one-machine `add` of the
# same CSV. Then it stops the daemons and removes what it installed
# (KEEP_SLURM=1 keeps the cluster).
#
#   sudo packaging/publisher/slurm-single-node.sh            # from the repository root
#   ROWS=20000 TASKS=4 sudo -E packaging/publisher/slurm-single-node.sh
#
# Needs: Debian 12 (or a derivative with slurm-wlm 22.05+), root (it
# installs packages and starts daemons), and either FUITECHECK_PUBLISH
# pointing at a fuitecheck-publish binary or cargo to build one.
# Everything it creates lives under $WORK (default /tmp/fuitecheck-slurm),
# which it removes at the end unless KEEP_WORK=1.
set -euo pipefail

ROWS=${ROWS:-20000}
TASKS=${TASKS:-4}
WORK=${WORK:-/tmp/fuitecheck-slurm}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
BREACH=demo-laboratoire-fictif
# Fixed time: `generated_at` and the signature's trusted comment are then
# the same in both builds, so the comparison can cover every file.
export SOURCE_DATE_EPOCH=1790000000
export FUITECHECK_KEY_PASSWORD=slurm-check

say() { printf '[%(%T)T] %s\n' -1 "$*"; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f s", b - a }'; }

if [ "$(id -u)" != 0 ]; then
    echo "slurm-single-node.sh: run as root (it installs slurm-wlm and starts its daemons)" >&2
    exit 2
fi

# --- the publisher binary -------------------------------------------------
if [ -z "${FUITECHECK_PUBLISH:-}" ]; then
    say "building fuitecheck-publish (release)"
    (cd "$REPO" && cargo build --release --locked -p fuitecheck-publish)
    FUITECHECK_PUBLISH="$REPO/target/release/fuitecheck-publish"
fi
PUB=$(readlink -f "$FUITECHECK_PUBLISH")
"$PUB" --version >/dev/null

# --- a single-node cluster --------------------------------------------------
t0=$(now)
installed_here=0
if ! command -v slurmctld >/dev/null; then
    say "installing slurm-wlm and munge"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q slurm-wlm munge >/dev/null
    installed_here=1
fi
t_install=$(now)

HOST=$(hostname -s)
mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
# The node line as slurmd itself reads the hardware (CPUs, sockets, memory).
NODE=$(slurmd -C | head -n 1)
cat > /etc/slurm/slurm.conf <<EOF
# Written by FuiteCheck's slurm-single-node.sh: one node, no accounting.
ClusterName=fuitecheck
SlurmctldHost=$HOST
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
$NODE State=UNKNOWN
PartitionName=main Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
EOF

teardown() {
    say "stopping the cluster"
    scancel --user=root >/dev/null 2>&1 || true
    pkill -x slurmd 2>/dev/null || true
    pkill -x slurmctld 2>/dev/null || true
    pkill -x munged 2>/dev/null || true
    if [ "${KEEP_SLURM:-0}" != 1 ] && [ "$installed_here" = 1 ]; then
        apt-get purge -y -q slurm-wlm slurmctld slurmd slurm-client munge >/dev/null 2>&1 || true
        apt-get autoremove -y -q >/dev/null 2>&1 || true
        rm -rf /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
    fi
    if [ "${KEEP_WORK:-0}" != 1 ]; then rm -rf "$WORK"; fi
}
trap teardown EXIT

say "starting munged, slurmctld, slurmd"
[ -s /etc/munge/munge.key ] || mungekey --create --force >/dev/null 2>&1 || /usr/sbin/create-munge-key -f
chown munge:munge /etc/munge/munge.key && chmod 0400 /etc/munge/munge.key
mkdir -p /run/munge && chown munge:munge /run/munge
pgrep -x munged >/dev/null || runuser -u munge -- /usr/sbin/munged
pgrep -x slurmctld >/dev/null || slurmctld
pgrep -x slurmd >/dev/null || slurmd
for _ in $(seq 60); do
    sinfo -h -o %T 2>/dev/null | grep -qE '^(idle|mixed|allocated)' && break
    sleep 1
done
sinfo -h -o '%P %D %T %c' | sed 's/^/  sinfo: /'
t_cluster=$(now)

# --- fictional people: valid NIRs (key = 97 - n mod 97), French surnames ---
rm -rf "$WORK" && mkdir -p "$WORK/logs" "$WORK/shards"
say "generating $ROWS fictional rows"
awk -v rows="$ROWS" 'BEGIN {
    srand(20261204);
    split("MARTIN BERNARD DUBOIS THOMAS ROBERT RICHARD PETIT DURAND LEROY MOREAU SIMON LAURENT LEFEVRE MICHEL GARCIA DAVID BERTRAND ROUX VINCENT FOURNIER MOREL GIRARD ANDRE MERCIER DUPONT LAMBERT BONNET FRANCOIS MARTINEZ LEGRAND", names, " ");
    print "no_secu,nom";
    for (i = 0; i < rows; i++) {
        sex = 1 + int(rand() * 2); yy = int(rand() * 100); mm = 1 + int(rand() * 12);
        dep = 1 + int(rand() * 95); if (dep == 20) dep = 21;
        com = 1 + int(rand() * 900); ord = 1 + int(rand() * 999);
        n = sprintf("%d%02d%02d%02d%03d%03d", sex, yy, mm, dep, com, ord);
        key = 97 - (n % 97);
        printf "%s%02d,%s\n", n, key, names[1 + int(rand() * 30)];
    }
}' > "$WORK/affected.csv"
cat > "$WORK/mapping.toml" <<'EOF'
[columns]
nir = "no_secu"
birth_name = "nom"
EOF
cp "$REPO/assets/demo/demo-breaches.json" "$WORK/catalogue.json"
"$PUB" keygen --out "$WORK/publisher" >/dev/null
for d in publication single; do
    "$PUB" init --dir "$WORK/$d" --publisher "Laboratoire Exemple (fictif)" --demo \
        --kdf-memory-kib 64 --kdf-iterations 1 --salt 00112233445566778899aabbccddeeff >/dev/null
done

# --- the job array ------------------------------------------------------------
say "submitting slurm-array.sh as an array of $TASKS tasks"
t_submit=$(now)
cpus=$(( $(nproc) / TASKS )); [ "$cpus" -ge 1 ] || cpus=1
sbatch --wait --array=0-$((TASKS - 1)) --chdir="$WORK" --cpus-per-task="$cpus" \
    --output="$WORK/logs/shard-%a.out" \
    --export=ALL,WORK="$WORK",BREACH="$BREACH",PATH="$(dirname "$PUB"):$PATH" \
    "$REPO/packaging/publisher/slurm-array.sh" | sed 's/^/  /'
t_array=$(now)
for f in "$WORK"/logs/shard-*.out; do sed "s|^|  $(basename "$f"): |" "$f" | tail -n 2; done
ls "$WORK"/shards/slice-*.fcshard >/dev/null

say "merge"
# shellcheck disable=SC2046
"$PUB" merge --dir "$WORK/publication" --catalogue "$WORK/catalogue.json" --breach "$BREACH" \
    --key "$WORK/publisher.key" $(ls "$WORK"/shards/slice-*.fcshard) >/dev/null
t_merge=$(now)

say "one-machine add of the same CSV"
"$PUB" add --dir "$WORK/single" --catalogue "$WORK/catalogue.json" --breach "$BREACH" \
    --input "$WORK/affected.csv" --mapping "$WORK/mapping.toml" --key "$WORK/publisher.key" >/dev/null
t_single=$(now)

# --- the comparison ------------------------------------------------------------
# Every file byte for byte, except the minisign signatures: minisign adds
# random noise to every signature, so two signatures of the same bytes with
# the same key differ. For those, the signed manifests are compared (above,
# byte for byte), and the key id and trusted comment must be the same.
identical=yes
while IFS= read -r rel; do
    case "$rel" in
        *.minisig)
            a=$(sed -n '2p' "$WORK/publication/$rel" | base64 -d | head -c 10 | od -An -tx1)
            b=$(sed -n '2p' "$WORK/single/$rel" | base64 -d | head -c 10 | od -An -tx1)
            [ "$a" = "$b" ] && [ "$(sed -n 3p "$WORK/publication/$rel")" = "$(sed -n 3p "$WORK/single/$rel")" ] \
                || { echo "  differs: $rel (key id or trusted comment)"; identical=no; } ;;
        *)
            cmp -s "$WORK/publication/$rel" "$WORK/single/$rel" || { echo "  differs: $rel"; identical=no; } ;;
    esac
done < <(cd "$WORK/single" && find . -type f | sort)
[ "$(cd "$WORK/single" && find . -type f | sort)" = "$(cd "$WORK/publication" && find . -type f | sort)" ] \
    || { echo "  the two trees hold different files"; identical=no; }
files=$(find "$WORK/single" -type f | wc -l)
echo
echo "rows:                    $ROWS ($TASKS array tasks, $cpus CPU each, $(nproc) CPUs on the node)"
echo "slurm install:           $(elapsed "$t0" "$t_install")"
echo "cluster up:              $(elapsed "$t_install" "$t_cluster")"
echo "array (submit to done):  $(elapsed "$t_submit" "$t_array")"
echo "merge:                   $(elapsed "$t_array" "$t_merge")"
echo "one-machine add:         $(elapsed "$t_merge" "$t_single")"
echo "files compared:          $files (signatures by key id and trusted comment)"
echo "byte-identical: $identical"
[ "$identical" = yes ] || exit 1
