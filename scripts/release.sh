#!/bin/sh
# Builds docsgen's release binaries: static (CGO_ENABLED=0), reproducible
# (-trimpath, no build id, the commit's date rather than today's), with the
# version, commit and date stamped in, and a SHA256SUMS file.
#
#   scripts/release.sh v1.2.0                      # every target, into dist/
#   scripts/release.sh v1.2.0 linux/amd64          # only these targets
#   DIST=/tmp/out scripts/release.sh v1.2.0 ...    # another output folder
#
# The Dockerfile builds its binary with this script too.
set -eu

usage() { echo "usage: scripts/release.sh VERSION [OS/ARCH...]   (VERSION like v1.2.0)" >&2; exit 2; }
[ $# -ge 1 ] || usage
version=$1
shift
case $version in
  v[0-9]*) ;;
  *) echo "release.sh: the version must look like v1.2.0, not \"$version\"" >&2; exit 2 ;;
esac
targets=${*:-linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64}
dist=${DIST:-dist}

cd "$(dirname "$0")/.."
# Outside a git checkout (a source tarball, a Docker build context without
# .git) the commit is unknown and the date is left out.
commit=$(git rev-parse HEAD 2>/dev/null || echo unknown)
# A build from uncommitted changes says so: it is not that commit.
if [ "$commit" != unknown ] && [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then
  commit=$commit+changes
fi
date=$(git log -1 --format=%cI 2>/dev/null || true)
pkg=github.com/docsgen/docsgen/internal/cli
ldflags="-s -w -buildid= -X $pkg.stampVersion=$version -X $pkg.stampCommit=$commit -X $pkg.stampDate=$date"

mkdir -p "$dist"
names=
for target in $targets; do
  os=${target%/*}
  arch=${target#*/}
  if [ -z "$os" ] || [ -z "$arch" ] || [ "$os" = "$target" ]; then
    echo "release.sh: a target is OS/ARCH (linux/amd64), not \"$target\"" >&2
    exit 2
  fi
  name=docsgen_${version#v}_${os}_${arch}
  [ "$os" = windows ] && name=$name.exe
  echo "building $dist/$name" >&2
  CGO_ENABLED=0 GOOS=$os GOARCH=$arch go build -trimpath -buildvcs=false -ldflags "$ldflags" -o "$dist/$name" ./cmd/docsgen
  names="$names $name"
done

# SHA256SUMS lists this run's files, in the format sha256sum -c reads.
(
  cd "$dist"
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum $names
  else
    shasum -a 256 $names
  fi
) > "$dist/SHA256SUMS"
echo "wrote $dist/SHA256SUMS" >&2
