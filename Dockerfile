# syntax=docker/dockerfile:1
#
# ccaf-deploy as an AWS Lambda container image (custom runtime on Amazon Linux 2023).
#
#   build    official Swift image for Amazon Linux 2023: scripts/build-bootstrap (release,
#            --static-swift-stdlib, lld with the start-up functions laid out together), stripped. Built on AL2023 because the binary links glibc,
#            libcurl and OpenSSL dynamically and must find the same versions at run time: a
#            binary built on Debian/Ubuntu needs GLIBC_2.35 and Debian's curl symbols and
#            would not start on Lambda. The stage refuses to build anywhere else.
#   runtime  AWS's OS-only Lambda base `provided:al2023`; the binary is the custom runtime's
#            ${LAMBDA_RUNTIME_DIR}/bootstrap. Outside Lambda the base image's entry point starts
#            the runtime interface emulator, so `docker run -p 9000:8080 IMAGE` answers
#            POST /2015-03-31/functions/function/invocations like Lambda does.
#
# One architecture per image (Lambda rejects multi-platform indexes):
#   docker buildx build --platform linux/arm64 --provenance=false --sbom=false -t ccaf-deploy .
#   docker buildx build --platform linux/amd64 --provenance=false --sbom=false -t ccaf-deploy .
# Build natively (arm64 on an arm64 host or runner): under emulation the Swift build is slow.
# Both base images are pinned to exact versions (both tags are multi-platform); bump them
# together with the toolchain the developers use.
#checkov:skip=CKV_DOCKER_2: Lambda never runs a HEALTHCHECK; it supervises the runtime through the Runtime API.
#checkov:skip=CKV_DOCKER_3: Lambda runs the image as its own unprivileged sandbox user whatever USER says; the base image's emulator expects its default user.

# ---------------------------------------------------------------------------------------------
FROM swift:6.3.3-amazonlinux2023 AS build
SHELL ["/bin/bash", "-o", "pipefail", "-c"]

# Never ship a binary built on another distribution (see above).
RUN . /etc/os-release && [ "${ID}" = amzn ] && [ "${VERSION_ID}" = 2023 ] \
    || { echo "the build stage must be Amazon Linux 2023, not ${PRETTY_NAME:-unknown}" >&2; exit 1; }

# Headers and link libraries of what the binary links: libcurl, OpenSSL libcrypto, zlib.
# hadolint ignore=DL3041
RUN dnf install -y --setopt=install_weak_deps=False libcurl-devel openssl-devel zlib-devel \
    && dnf clean all

WORKDIR /src

# Dependencies first, so they stay cached while only the sources change.
COPY Package.* ./
RUN swift package resolve

# The sources (.dockerignore keeps the context to what the manifest needs).
COPY . .

ARG TARGETARCH
# The `bootstrap` product is the Lambda function alone: the CLI's YAML reading (Yams, which
# links all of Foundation) stays out of the image. scripts/build-bootstrap is the one build
# command (release, static Swift stdlib, lld with link/bootstrap.order); -s strips it.
RUN echo "building bootstrap for ${TARGETARCH:-the host architecture} on $(uname -m)" \
    && scripts/build-bootstrap -Xlinker -s \
    && install -D -m 0755 "$(scripts/build-bootstrap -Xlinker -s --show-bin-path)/bootstrap" /out/bootstrap

# The Swift runtime is linked in (no libswift*/libFoundation* needed at run time) and the binary
# asks for no glibc newer than AL2023's 2.34.
RUN if readelf -d /out/bootstrap | grep -E 'NEEDED.*lib(swift|Foundation|_Foundation|dispatch|BlocksRuntime)'; then \
        echo "the Swift runtime is linked dynamically: build with --static-swift-stdlib" >&2; exit 1; \
    fi \
    && glibc="$(objdump -T /out/bootstrap | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -n 1)" \
    && echo "bootstrap: $(stat -c %s /out/bootstrap) bytes, needs ${glibc}" \
    && [ "$(printf '%s\nGLIBC_2.34\n' "${glibc}" | sort -V | tail -n 1)" = GLIBC_2.34 ]

# ---------------------------------------------------------------------------------------------
FROM public.ecr.aws/lambda/provided:al2023.2026.02.27.21 AS runtime

# The runtime libraries the binary links must be in the base image: libcurl (libcurl-minimal),
# openssl-libs (libcrypto/libssl 3), zlib, libstdc++, and the CA bundle for TLS.
RUN rpm -q --whatprovides 'libcurl.so.4()(64bit)' 'libcrypto.so.3()(64bit)' 'libssl.so.3()(64bit)' \
        'libz.so.1()(64bit)' 'libstdc++.so.6()(64bit)' 'libgcc_s.so.1()(64bit)' \
    && rpm -q ca-certificates \
    && test -s /etc/pki/tls/certs/ca-bundle.crt

COPY --from=build --chmod=0755 /out/bootstrap ${LAMBDA_RUNTIME_DIR}/bootstrap

# The dynamic loader resolves every library and the binary starts (`--version`, no network).
RUN "${LAMBDA_RUNTIME_DIR}/bootstrap" --version

# The base image's /lambda-entrypoint.sh takes exactly one argument (the handler name, exported
# as _HANDLER); this runtime does not use it.
CMD ["ccaf-deploy"]
