#!/usr/bin/env bash
# Prebuilt-addon test: what a user without a compiler gets from `npm install node-exporter-ts`.
#   1. `npm pack` of this checkout, unpacked in a scratch directory (the checkout's build/ and
#      prebuilds/ are left alone), and `npm run prebuilds` there, inside the build image
#      (node:24-bookworm, which has the compiler): prebuilds/linux-<arch>/ in a new tarball.
#   2. That tarball installed with `npm install --global` in a container of the slim runtime
#      image (node:24-bookworm-slim: no compiler, python or make; checked), with npm brought in
#      from npm's own package where the image has none. cc, c++, gcc, g++, make and python are
#      stubs there that record any call; the install must leave the record empty.
#   3. In that container: `node-exporter --version`, then the exporter serves a scrape whose
#      addon-backed collectors (uname, filesystem) succeed, the .node it mapped is the prebuild,
#      and SIGTERM ends it with exit code 0.
# PACKAGE=path/to/node-exporter-ts-X.tgz skips step 1 and tests that tarball instead (the GitHub
# workflow's, whose prebuilds are built on bullseye); it must carry prebuilds/linux-<arch>/.
# Needs root and podman (or docker), and the npm registry (the package's dependencies). Skips,
# saying why, when not root or no engine can be had; with CI=1 it fails instead of skipping.
#   usage: test/container/prebuilt-install.sh      (npm run test:prebuilt)
#   env:   ENGINE=podman|docker  KEEP=1 (leave the scratch directory and the container)
#          PACKAGE=...tgz  NODE_RUNTIME_IMAGE=docker.io/library/node:20-bookworm-slim (another Node)
#          PLATFORM=linux/arm64 NODE_IMAGE=... NODE_RUNTIME_IMAGE=...  another architecture under
#          QEMU (see test/container/arm64-setup.sh)
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
name="nts-prebuilt-test-$$"
t_start=$(date +%s%N)
tag=test:prebuilt
build_image=${NODE_IMAGE:-docker.io/library/node:24-bookworm}
runtime_image=${NODE_RUNTIME_IMAGE:-docker.io/library/node:24-bookworm-slim}
base_images=("$runtime_image"); [ -z "${PACKAGE:-}" ] && base_images+=("$build_image")
# shellcheck source=test/container/lib.sh
. test/container/lib.sh

[ "$(id -u)" = 0 ] || skip "needs root (containers with a bind-mounted scratch directory); run it as root, as CI does"
platform=(); [ -n "${PLATFORM:-}" ] && platform=(--platform "$PLATFORM")
# Under QEMU everything is several times slower.
slow=1; [ -n "${PLATFORM:-}" ] && slow=6
need_engine

work=$(mktemp -d /tmp/nts-prebuilt.XXXXXX)
chmod 0755 "$work"
cleanup() {
  if [ "${KEEP:-0}" != 1 ]; then
    "$engine" rm -f "$name" "$name-build" >/dev/null 2>&1 || true
    rm -rf "$work"
  else say "kept $work and container $name"; fi
}
trap cleanup EXIT

# --- 1. the package, with a prebuild made in the build image -------------------------------
t=$(date +%s%N)
arch=$("$engine" run --rm "${platform[@]}" "$runtime_image" node -p process.arch) || fail "cannot run node in $runtime_image"
mkdir "$work/out"
if [ -n "${PACKAGE:-}" ]; then
  tgz=$(basename "$PACKAGE")
  cp "$PACKAGE" "$work/out/$tgz" || fail "no package $PACKAGE"
  prebuild=$(tar -tzf "$PACKAGE" | sed -n "s|^package/\(prebuilds/linux-$arch/[^/]*\.node\)$|\1|p" | head -1)
  [ -n "$prebuild" ] || fail "$PACKAGE carries no prebuilds/linux-$arch/*.node"
  version=$(tar -xzOf "$PACKAGE" package/package.json | node -p "JSON.parse(require('fs').readFileSync(0, 'utf8')).version")
  ok "testing $tgz ($prebuild)"
else
  tgz=$(npm pack --silent --pack-destination "$work" | tail -1)
  mkdir "$work/pkg"
  tar -xzf "$work/$tgz" -C "$work/pkg" --strip-components=1 && rm "$work/$tgz"
  rm -rf "$work/pkg/prebuilds"   # whatever the checkout had: this test makes its own
  version=$(node -p "require('$work/pkg/package.json').version")
  # The devDependencies `npm run prebuilds` uses (prebuildify, node-gyp, node-addon-api) are
  # JavaScript: the checkout's node_modules serves any architecture. nodedir: the image's own
  # headers (node-gyp would otherwise download them from nodejs.org).
  "$engine" run --rm "${platform[@]}" --name "$name-build" --network=host \
    -v "$work/pkg:/pkg" -v "$repo/node_modules:/pkg/node_modules:ro" -w /pkg \
    -e npm_config_nodedir=/usr/local -e npm_config_update_notifier=false \
    "$build_image" npm run prebuilds >"$work/prebuild.log" 2>&1 \
    || { tail -30 "$work/prebuild.log"; fail "npm run prebuilds failed in $build_image (log above)"; }
  prebuild=$(cd "$work/pkg" && ls prebuilds/linux-"$arch"/*.node 2>/dev/null | head -1)
  [ -n "$prebuild" ] || fail "npm run prebuilds made no prebuilds/linux-$arch/*.node"
  rm -rf "$work/pkg/build"
  tgz=$(cd "$work/pkg" && npm pack --silent --ignore-scripts --pack-destination "$work/out" | tail -1)
  tar -tzf "$work/out/$tgz" | grep -qx "package/$prebuild" || fail "$tgz does not carry $prebuild"
  ! tar -tzf "$work/out/$tgz" | grep -q '^package/build/' || fail "$tgz carries a build/ directory"
  ok "npm run prebuilds in $build_image ($arch): $tgz carries $prebuild ($(stat -c %s "$work/pkg/$prebuild") bytes) in $(ms_since "$t") ms"
fi

# --- 2. install it where there is no compiler ------------------------------------------------
t=$(date +%s%N)
if ! "$engine" run --rm "${platform[@]}" "$runtime_image" sh -c 'command -v npm' >/dev/null 2>&1; then
  npm_tgz=$(cd "$work" && npm pack --silent npm@11 | tail -1)
  mkdir "$work/npm" && tar -xzf "$work/$npm_tgz" -C "$work/npm" --strip-components=1 && rm "$work/$npm_tgz"
  say "$runtime_image has no npm: using ${npm_tgz%.tgz} from npm's own package"
fi
cat >"$work/in-container.sh" <<'SH'
set -eu
present=""
for tool in cc c++ gcc g++ clang make python3 python; do
  command -v "$tool" >/dev/null 2>&1 && present="$present $tool"
done
[ -z "$present" ] || { echo "this image has$present: it cannot show an install without a compiler" >&2; exit 3; }
# Anything node-gyp would run to compile is a stub that records the call and fails.
mkdir /tmp/stubs
for tool in cc c++ gcc g++ clang make python3 python; do
  printf '#!/bin/sh\necho "$0 $*" >>/out/compiler-calls\nexit 127\n' >"/tmp/stubs/$tool"
  chmod +x "/tmp/stubs/$tool"
done
export PATH="/tmp/stubs:$PATH"
if [ -d /npm ]; then npm() { node /npm/bin/npm-cli.js "$@"; }; fi
npm --version >/out/npm-version
npm install --global --prefix /opt/nts --foreground-scripts --loglevel=info \
  --no-audit --no-fund --update-notifier=false "/out/$TGZ" >/out/install.log 2>&1 \
  || { tail -40 /out/install.log >&2; exit 1; }
/opt/nts/bin/node-exporter --version >/out/version
exec /opt/nts/bin/node-exporter --web.listen-address="127.0.0.1:$PORT"
SH
npm_mount=(); [ -d "$work/npm" ] && npm_mount=(-v "$work/npm:/npm:ro")
port=$(free_port)
base="http://127.0.0.1:$port"
"$engine" run -d "${platform[@]}" --name "$name" --network=host \
  -v "$work/out:/out" -v "$work/in-container.sh:/in-container.sh:ro" "${npm_mount[@]}" \
  -e "TGZ=$tgz" -e "PORT=$port" "$runtime_image" sh /in-container.sh >/dev/null || fail "$engine run failed"
# The install fetches the dependencies from the registry first.
wait_for_http "$base/" $((120 * slow))
cp "$work/out/install.log" /tmp/nts-prebuilt-install.log 2>/dev/null || true
[ ! -e "$work/out/compiler-calls" ] || { sed 's/^/  | /' "$work/out/compiler-calls"; fail "the install called a compiler or build tool (above)"; }
grep -q "node-gyp-build" "$work/out/install.log" || fail "the install log shows no install script (node-gyp-build): /tmp/nts-prebuilt-install.log"
ok "installed with npm $(cat "$work/out/npm-version") in $runtime_image, no compiler called, in $(ms_since "$t") ms; the install script's lines:"
grep -E '^npm info using|^npm info run|^> |^added' "$work/out/install.log" | sed 's/^/  | /'

# --- 3. it runs and serves ---------------------------------------------------------------------
[ "$(cat "$work/out/version")" = "$version" ] || fail "node-exporter --version printed '$(cat "$work/out/version")', not $version"
ok "node-exporter --version: $version"
pid=$("$engine" inspect -f '{{.State.Pid}}' "$name")
loaded=$(grep -o '/opt/nts/[^ ]*\.node$' "/proc/$pid/maps" | sort -u)
[ "$loaded" = "/opt/nts/lib/node_modules/node-exporter-ts/$prebuild" ] || fail "the exporter mapped '$loaded', not the prebuild $prebuild"
ok "the exporter (pid $pid) runs the prebuild: $loaded"
metrics=$(curl -fsS "$base/metrics") || fail "scrape failed"
for c in uname filesystem; do
  grep -qx "node_scrape_collector_success{collector=\"$c\"} 1" <<<"$metrics" || fail "collector $c did not succeed"
done
ok "scraped $(grep -vc '^#' <<<"$metrics") samples; uname and filesystem (the addon's uname and statfs) succeed"
"$engine" stop -t 10 "$name" >/dev/null
code=$("$engine" inspect -f '{{.State.ExitCode}}' "$name")
[ "$code" = 0 ] || fail "exit code $code after SIGTERM"
ok "SIGTERM: exit code 0"
say "PASS in $(ms_since "$t_start") ms"
