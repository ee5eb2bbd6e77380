#!/bin/sh
# FuiteCheck — distributed publisher build as a Slurm job array.
#
#   sbatch --array=0-95 packaging/publisher/slurm-array.sh
#
# Task I fingerprints slice I of N (N = the array size) into a shard file on
# the shared file system; when every task has succeeded, merge on the
# publisher's own machine (the only place the signing key lives):
#
#   fuitecheck-publish merge --dir publication --catalogue catalogue.json \
#       --breach "$BREACH" --key publisher.key shards/slice-*.fcshard
#
# or chain it: sbatch --dependency=afterok:<array job id> merge.sh
# A failed task is simply resubmitted (sbatch --array=<I> ...): slices are
# independent and a shard file is written atomically, so a half-written one
# never exists.
#
#SBATCH --job-name=fuitecheck-shards
#SBATCH --cpus-per-task=4
#SBATCH --mem-per-cpu=128M
#SBATCH --time=12:00:00
#SBATCH --output=logs/shard-%a.out
set -eu

WORK=${WORK:-/shared/fuitecheck}
BREACH=${BREACH:-mutuelle-exemple-2026}
N=${SLURM_ARRAY_TASK_COUNT:?run as a job array}
I=${SLURM_ARRAY_TASK_ID:?run as a job array}

# One Argon2id (64 MiB at the default cost) per core.
export RAYON_NUM_THREADS="${SLURM_CPUS_PER_TASK:-1}"
mkdir -p "$WORK/shards"
exec fuitecheck-publish add \
    --dir "$WORK/publication" \
    --catalogue "$WORK/catalogue.json" \
    --breach "$BREACH" \
    --input "$WORK/affected.csv" \
    --mapping "$WORK/mapping.toml" \
    --shard "$I/$N" \
    --out "$WORK/shards/slice-$I.fcshard"
