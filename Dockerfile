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
# --ignore-scripts: the package's own "install" (node-gyp-build) and "prepare" (tsc) need the
# sources, which are not copied yet; both steps run explicitly below. No dependency has an
# install script of its own.
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
# Only src/: the image needs no tests or benchmarks. Then the runtime tree is assembled in /out
# so the final stage adds a single layer. The addon loader (src/native.ts) finds the package
# root by package.json + binding.gyp, then the addon in build/Release through node-gyp-build.
RUN printf '{"extends":"./tsconfig.json","include":["src/**/*.ts"]}\n' > tsconfig.image.json \
 && npx --no-install tsc -p tsconfig.image.json \
 && npm prune --omit=dev --ignore-scripts \
 && mkdir -p /out/build/Release \
 && cp -a package.json binding.gyp node_modules dist /out/ \
 && cp build/Release/node_exporter_native.node /out/build/Release/ \
 && find /out/node_modules -depth -type d -empty -delete

FROM ${NODE_RUNTIME_IMAGE}
ARG VERSION=0.1.0
ARG REVISION=unknown
ARG CREATED=unknown
# CI passes VERSION, REVISION and SOURCE (the repository URL); its metadata labels win anyway.
ARG SOURCE=""
ARG NODE_RUNTIME_IMAGE
LABEL org.opencontainers.image.title="node-exporter-ts" \
      org.opencontainers.image.description="Prometheus Node Exporter rebuilt in TypeScript on Node.js; run with --net=host --pid=host -v /:/host:ro,rslave and --path.rootfs=/host" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.base.name="${NODE_RUNTIME_IMAGE}"
ENV NODE_ENV=production
COPY --from=build /out/ /app/
# nobody:nogroup, numeric so Kubernetes' runAsNonRoot can verify it; like node_exporter's image.
USER 65534:65534
EXPOSE 9100
ENTRYPOINT ["node", "/app/dist/src/cli.js"]
