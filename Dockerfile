# node-exporter-ts as users run node_exporter:
#   docker run -d --net=host --pid=host -v /:/host:ro,rslave IMAGE --path.rootfs=/host
# Build: docker build -t node-exporter-ts .   (podman: podman build --network=host -t localhost/node-exporter-ts .)
# Base images are named in full so podman needs no short-name search.
ARG NODE_IMAGE=docker.io/library/node:24-bookworm
ARG NODE_RUNTIME_IMAGE=docker.io/library/node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
ENV npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false
WORKDIR /src
COPY package.json package-lock.json ./
# --ignore-scripts: the package's own "install" (node-gyp-build) and "prepare" (tsc and the
# bundle) need the sources, which are not copied yet; both steps run explicitly below. No
# dependency needs an install script of its own (esbuild's only checks its platform binary).
RUN npm ci --ignore-scripts
COPY binding.gyp ./
COPY native/ native/
# Always compiled here, never a prebuild: the addon matches this image's Node and libc.
# --nodedir: the headers this image's Node ships (/usr/local/include/node); without it
# node-gyp would download a header tarball from nodejs.org.
RUN npx --no-install node-gyp rebuild --nodedir=/usr/local \
 && strip --strip-unneeded build/Release/node_exporter_native.node
COPY tsconfig.json ./
COPY src/ src/
# Only src/: the image needs no tests or benchmarks; of what tsc makes, only the bundle
# (`npm run bundle`: the CLI and all our modules in one file, dist/bin/node-exporter.js) is
# shipped. Then the runtime tree is assembled in /out so the final stage adds a single layer.
# The addon loader (src/native.ts) finds the package root by package.json + binding.gyp, then
# the addon in build/Release through node-gyp-build.
RUN printf '{"extends":"./tsconfig.json","include":["src/**/*.ts"]}\n' > tsconfig.image.json \
 && npx --no-install tsc -p tsconfig.image.json \
 && npm run --silent bundle \
 && rm -rf dist/src \
 && npm prune --omit=dev --ignore-scripts \
 && mkdir -p /out/build/Release \
 && cp -a package.json binding.gyp node_modules dist /out/ \
 && cp build/Release/node_exporter_native.node /out/build/Release/ \
 && find /out/node_modules -depth -type d -empty -delete

# The runtime's files, taken from the slim Node.js image: the node binary, the shared libraries
# it and the addon link (glibc, libstdc++, libgcc_s; found with ldd, so the same list holds on
# arm64), their copyright files, and passwd/group entries for root and nobody. The final stage
# is these plus /app and nothing else: no shell, no package manager, no npm (the node binary
# alone is ~127 MB of the image).
FROM ${NODE_RUNTIME_IMAGE} AS runtime
COPY --from=build /out/build/Release/node_exporter_native.node /tmp/addon.node
RUN set -eu; r=/rootfs; \
    mkdir -p "$r/usr/local/bin" "$r/etc" "$r/tmp" && chmod 1777 "$r/tmp"; \
    cp /usr/local/bin/node "$r/usr/local/bin/node"; \
    libs=$( { ldd /usr/local/bin/node; ldd /tmp/addon.node; } \
      | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\/.*[^:]$/ { print $1 }' | sort -u); \
    [ -n "$libs" ]; \
    for lib in $libs; do cp -L --parents "$lib" "$r/"; done; \
    for pkg in libc6 libgcc-s1 libstdc++6; do cp --parents "/usr/share/doc/$pkg/copyright" "$r/"; done; \
    printf 'root:x:0:0:root:/root:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' > "$r/etc/passwd"; \
    printf 'root:x:0:\nnogroup:x:65534:\n' > "$r/etc/group"; \
    chroot "$r" /usr/local/bin/node -e 'process.exit(0)'

FROM scratch
ARG VERSION=0.1.0
ARG REVISION=unknown
ARG CREATED=unknown
# CI passes VERSION, REVISION and SOURCE (the repository URL); its metadata labels win anyway.
ARG SOURCE=""
LABEL org.opencontainers.image.title="node-exporter-ts" \
      org.opencontainers.image.description="Prometheus Node Exporter rebuilt in TypeScript on Node.js; run with --net=host --pid=host -v /:/host:ro,rslave and --path.rootfs=/host" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.source="${SOURCE}"
# One malloc arena, as in the CLI's shebang (see src/cli.ts).
ENV NODE_ENV=production \
    MALLOC_ARENA_MAX=1 \
    PATH=/usr/local/bin
COPY --from=runtime /rootfs/ /
COPY --from=build /out/ /app/
# nobody:nogroup, numeric so Kubernetes' runAsNonRoot can verify it; like node_exporter's image.
USER 65534:65534
EXPOSE 9100
# V8's heap flags as in the CLI's shebang (see src/cli.ts).
ENTRYPOINT ["/usr/local/bin/node", "--max-semi-space-size=2", "--heap-growing-percent=30", "--v8-pool-size=1", "--no-maglev", "/app/dist/bin/node-exporter.js"]
