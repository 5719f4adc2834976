#!/usr/bin/env bash
# Peak memory of the live preview against a build of the same site:
# bench/serve-memory.sh [pages...]   (default: 3000 10000)
# Prints the peak resident set of `docsgen build` and of `docsgen serve`
# once it has built the site in memory, and their ratio (the budget is 3×).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/docsgen" ./cmd/docsgen
for n in "${@:-3000 10000}"; do
  for pages in $n; do
    go run ./bench/gencorpus -n "$pages" -out "$work/c$pages" -flavours docsgen >/dev/null
    cd "$work/c$pages/docsgen"
    build_kb=$(/usr/bin/time -f %M "$work/docsgen" build 2>&1 >/dev/null | tail -1)
    port=$((8200 + RANDOM % 500))
    "$work/docsgen" serve --port "$port" >"$work/serve.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 600); do grep -q "http://" "$work/serve.log" && break; sleep 0.2; done
    serve_kb=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
    kill "$pid"; wait "$pid" 2>/dev/null || true
    awk -v n="$pages" -v b="$build_kb" -v s="$serve_kb" 'BEGIN { printf "%6d pages: build %4d MB, serve %4d MB, serve/build %.1fx\n", n, b/1024, s/1024, s/b }'
    cd - >/dev/null
  done
done
