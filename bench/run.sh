#!/usr/bin/env bash
# Build the same generated corpus with docsgen, Hugo and Sphinx + MyST-Parser
# on this machine, in one run, and print a Markdown table of median wall
# times and peak RSS. Also times `docsgen linkcheck` (internal links).
#
#   bench/run.sh                 # N = 1000 5000 10000, 3 runs each after a warm-up
#   SIZES="1000" RUNS=5 bench/run.sh
#   INSTALL=1 bench/run.sh       # apt-get install hugo and Sphinx first
#
# Not part of CI: it takes minutes (Sphinx alone about a minute per build
# at 1,000 pages) and needs the machine to itself for steady numbers.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"1000 5000 10000"}
RUNS=${RUNS:-3}
SPHINX_MAX=${SPHINX_MAX:-1000}
WORK=${WORK:-$(mktemp -d /tmp/docsgen-bench.XXXXXX)}

if [ "${INSTALL:-0}" = 1 ]; then
  apt-get update -qq && apt-get install -y -qq hugo python3-sphinx python3-myst-parser >/dev/null
fi

go build -o "$WORK/docsgen" ./cmd/docsgen
go build -o "$WORK/gencorpus" ./bench/gencorpus

# measure DIR CMD...: warm-up once, then RUNS timed runs; prints
# "median_wall_s peak_rss_mb median_cpu_s" (CPU = user + sys: steadier than
# wall time on a shared machine).
measure() {
  local dir=$1; shift
  (cd "$dir" && "$@" >/dev/null 2>&1) || { echo "failed: $*" >&2; echo "- - -"; return; }
  local times=() cpus=() rss=0
  for _ in $(seq "$RUNS"); do
    local wall r user sys
    read -r wall r user sys <<<"$(cd "$dir" && /usr/bin/time -f "%e %M %U %S" "$@" 2>&1 >/dev/null | tail -1)"
    times+=("$wall")
    cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.2f", u + s}')")
    (( r > rss )) && rss=$r
  done
  echo "$(median "${times[@]}") $((rss / 1024)) $(median "${cpus[@]}")"
}

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "| tool | pages | median s | peak RSS MB | median CPU s |"
echo "|---|---:|---:|---:|---:|"
for n in $SIZES; do
  "$WORK/gencorpus" -n "$n" -out "$WORK/c$n"
  # Cold: no highlight or page cache (what Hugo does every time); warm: the
  # caches the warm-up run left in .docsgen/cache/ (a local rebuild, or CI
  # with a restored cache).
  read -r t m c <<<"$(measure "$WORK/c$n/docsgen" "$WORK/docsgen" build --no-cache)"
  echo "| docsgen build (cold) | $n | $t | $m | $c |"
  # The same cold build lexing with chroma's own lexers only: what the fast
  # lexers (internal/fastlex) save.
  read -r t m c <<<"$(measure "$WORK/c$n/docsgen" env DOCSGEN_NO_FAST_LEXERS=1 "$WORK/docsgen" build --no-cache)"
  echo "| docsgen build (cold, chroma's lexers) | $n | $t | $m | $c |"
  # The same cold build without the offline search (search: false, its own
  # output folder): what the search index costs a build (issue 14 allows
  # 10 %).
  { cat "$WORK/c$n/docsgen/docsgen.yaml"; printf 'search: false\nout: public-nosearch\n'; } >"$WORK/c$n/docsgen/nosearch.yaml"
  read -r t m c <<<"$(measure "$WORK/c$n/docsgen" "$WORK/docsgen" build --no-cache --config nosearch.yaml)"
  echo "| docsgen build (cold, no search index) | $n | $t | $m | $c |"
  read -r t m c <<<"$(measure "$WORK/c$n/docsgen" "$WORK/docsgen" build)"
  echo "| docsgen build (warm cache) | $n | $t | $m | $c |"
  # The caches without the last output (a CI job restoring .docsgen/cache/
  # only): every page is rendered, its code and first pass from the caches.
  # The last output is moved aside, not deleted, in the timed command:
  # deleting it was timed too, and ext4 then creates files slower for a
  # while (it skips the inodes just freed), which a fresh CI runner never
  # meets. What is moved aside is deleted after the row.
  mkdir -p "$WORK/aside"
  read -r t m c <<<"$(measure "$WORK/c$n/docsgen" sh -c 'mv public "$1/$(date +%s%N)" && "$0" build' "$WORK/docsgen" "$WORK/aside")"
  rm -rf "$WORK/aside"
  echo "| docsgen build (warm cache, no public/) | $n | $t | $m | $c |"
  # The local edit-and-rebuild loop: one paragraph added to one page before
  # each build, the rest taken from the last build's output.
  read -r t m c <<<"$(measure "$WORK/c$n/docsgen" sh -c 'echo "An edit, $(date +%s%N)." >>content/s00/p0001.md && "$0" build' "$WORK/docsgen")"
  echo "| docsgen build (warm, one page edited) | $n | $t | $m | $c |"
  # linkcheck parses every page without its page cache (a fresh clone, or
  # a CI runner without a restored .docsgen/cache/); with it, only the pages
  # that changed since the last run (none here).
  read -r t m c <<<"$(measure "$WORK/c$n/docsgen" "$WORK/docsgen" linkcheck --no-cache)"
  echo "| docsgen linkcheck (no cache) | $n | $t | $m | $c |"
  read -r t m c <<<"$(measure "$WORK/c$n/docsgen" "$WORK/docsgen" linkcheck)"
  echo "| docsgen linkcheck (warm cache) | $n | $t | $m | $c |"
  if command -v hugo >/dev/null; then
    read -r t m c <<<"$(measure "$WORK/c$n/hugo" hugo --quiet --destination public)"
    echo "| hugo $(hugo version | grep -o 'v[0-9.]*' | head -1) | $n | $t | $m | $c |"
  fi
  if command -v sphinx-build >/dev/null && [ "$n" -le "$SPHINX_MAX" ]; then
    read -r t m c <<<"$(measure "$WORK/c$n/sphinx" sh -c 'rm -rf _build && sphinx-build -q -j 2 -b html . _build/html')"
    echo "| sphinx-build $(sphinx-build --version | awk '{print $2}') -j 2 | $n | $t | $m | $c |"
  fi
done
echo
echo "load: $(uptime | sed 's/.*load average/load average/')"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(go version | awk '{print $3}'); $(date -u +%Y-%m-%d)"
