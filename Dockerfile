# docsgen in a container: a static binary on a distroless base (no shell,
# no package manager), running as a non-root user.
#
#   docker build -t docsgen --build-arg VERSION=v1.2.0 .
#   docker run --rm -u "$(id -u):$(id -g)" -v "$PWD:/docs" docsgen build --strict
#   docker run --rm -p 8000:8000 -v "$PWD:/docs" docsgen serve --bind 0.0.0.0
#
# The binary is built by scripts/release.sh, as the release binaries are.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=v0.0.0-dev
# Set by BuildKit for each platform of a multi-platform build; the
# defaults serve the classic builder.
ARG TARGETOS
ARG TARGETARCH
RUN os=${TARGETOS:-linux} arch=${TARGETARCH:-amd64} \
    && DIST=/out sh scripts/release.sh "$VERSION" "$os/$arch" \
    && cp /out/docsgen_*_"$os"_"$arch" /docsgen

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /docsgen /usr/local/bin/docsgen
# The project is mounted here; docsgen finds docsgen.yaml from it.
WORKDIR /docs
ENTRYPOINT ["/usr/local/bin/docsgen"]
CMD ["build"]
