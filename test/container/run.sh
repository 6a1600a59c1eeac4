#!/usr/bin/env bash
# Container test: builds the image and runs it exactly as users run node_exporter,
#   run --net=host --pid=host -v /:/host:ro,rslave IMAGE --path.rootfs=/host
# hardened as the Kubernetes DaemonSet runs it (read-only root, all capabilities dropped,
# no privilege escalation), then checks what a user relies on:
#   - "/" is reported with the host's size (statfs blocks × frsize of the host's /);
#   - no label anywhere carries the /host prefix;
#   - the process runs as nobody (65534) with no capabilities;
#   - rslave works: a filesystem mounted on the host after start is measured;
#   - the private-rootfs warning appears exactly when the host's / cannot propagate;
#   - SIGTERM (podman stop) ends it with exit code 0 within a few seconds;
#   - the image is small (at most MAX_IMAGE_MB, 165 MB by default, as `podman images` counts)
#     and holds what runs and nothing else: no shell, no npm, no package manager.
# Needs root and podman (or a reachable docker daemon). Without podman's base images it runs
# ../shared/tools/container-setup.sh when present (machines without a registry), else the
# build pulls them. Skips, saying why, when not root or no engine can be had; with CI=1
# it fails instead of skipping.
#   usage: test/container/run.sh          (npm run test:container)
#   env:   IMAGE=localhost/node-exporter-ts:test  ENGINE=podman|docker  KEEP=1 (leave the container)
#          MAX_IMAGE_MB=165 (decimal MB, the unit `podman images` and `docker images` show)
#          PLATFORM=linux/arm64 NODE_IMAGE=... NODE_RUNTIME_IMAGE=...  another architecture under
#          QEMU, from other base images (see test/container/arm64-setup.sh)
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
IMAGE=${IMAGE:-localhost/node-exporter-ts:test}
name="nts-container-test-$$"
t_start=$(date +%s%N)

tag=test:container
base_images=("${NODE_IMAGE:-docker.io/library/node:24-bookworm}" "${NODE_RUNTIME_IMAGE:-docker.io/library/node:24-bookworm-slim}")
# shellcheck source=test/container/lib.sh
. test/container/lib.sh

[ "$(id -u)" = 0 ] || skip "needs root (host pid/network and a / bind mount); run it as root, as CI does"

build_opts=(--network=host)
[ -n "${NODE_IMAGE:-}" ] && build_opts+=(--build-arg "NODE_IMAGE=$NODE_IMAGE")
[ -n "${NODE_RUNTIME_IMAGE:-}" ] && build_opts+=(--build-arg "NODE_RUNTIME_IMAGE=$NODE_RUNTIME_IMAGE")
platform=(); [ -n "${PLATFORM:-}" ] && platform=(--platform "$PLATFORM")
# Under QEMU everything is several times slower.
start_timeout=30; [ -n "${PLATFORM:-}" ] && start_timeout=180
need_engine

late_dir=""
cleanup() {
  if [ "${KEEP:-0}" != 1 ]; then "$engine" rm -f "$name" >/dev/null 2>&1 || true; fi
  if [ -n "$late_dir" ]; then
    umount "$late_dir/late" 2>/dev/null || true
    umount "$late_dir" 2>/dev/null || true
    rm -rf "$late_dir"
  fi
}
trap cleanup EXIT

# --- build ------------------------------------------------------------------------------
# --layers=false: no per-step cache images. Under podman's vfs driver (container-setup.sh)
# every cached step is a full copy of the root filesystem, gigabytes per build.
t=$(date +%s%N)
build_log=$(mktemp /tmp/nts-container-build.XXXXXX)
previous=$("$engine" image inspect --format '{{.Id}}' "$IMAGE" 2>/dev/null || true)
[ "$engine" = podman ] && build_opts+=(--layers=false)
if ! "$engine" build "${build_opts[@]}" "${platform[@]}" -t "$IMAGE" . >"$build_log" 2>&1; then
  tail -40 "$build_log"; fail "image build failed (full log: $build_log)"
fi
build_ms=$(ms_since "$t"); rm -f "$build_log"
# The image this test built last time, now untagged: ours to remove.
current=$("$engine" image inspect --format '{{.Id}}' "$IMAGE")
if [ -n "$previous" ] && [ "$previous" != "$current" ]; then "$engine" rmi "$previous" >/dev/null 2>&1 || true; fi
size=$("$engine" image inspect --format '{{.Size}}' "$IMAGE")
arch=$("$engine" image inspect --format '{{.Architecture}}' "$IMAGE")
ok "built $IMAGE ($arch) in $build_ms ms; image size $((size / 1000000)) MB ($size bytes)"
max_mb=${MAX_IMAGE_MB:-165}
[ "$size" -le $((max_mb * 1000000)) ] || fail "the image is $((size / 1000000)) MB, over $max_mb MB: the runtime stage should hold only node, its libraries and the app"
ok "image size $((size / 1000000)) MB <= $max_mb MB"

# --- what the image holds: the runtime and the app, no tools ------------------------------
probe=$("$engine" create "${platform[@]}" "$IMAGE")
files=$("$engine" export "$probe" | tar -t | sed 's|^\./||')
"$engine" rm "$probe" >/dev/null
for f in usr/local/bin/node app/dist/bin/node-exporter.js app/build/Release/node_exporter_native.node; do
  grep -qx "$f" <<<"$files" || fail "the image has no $f"
done
for f in bin/sh usr/bin/sh bin/bash usr/bin/bash usr/bin/env usr/local/bin/npm usr/bin/apt-get usr/bin/dpkg; do
  ! grep -qx "$f" <<<"$files" || fail "the image has $f: it should hold only node, its libraries and the app"
done
ok "$(wc -l <<<"$files") entries: node, its libraries and /app; no shell, npm or package manager"

# --- a shared mount point, so a mount made after start can propagate ----------------------
# The host's / may itself be private (no init system marks it shared); a bind mount of our own
# directory, made shared, is copied into the container's /host as a slave of it by rslave.
late_dir=$(mktemp -d /tmp/nts-rslave.XXXXXX)
chmod 0755 "$late_dir"   # nobody must be able to walk to the late mount
mount --bind "$late_dir" "$late_dir" && mount --make-shared "$late_dir" || fail "cannot make $late_dir a shared mount"
mkdir -p "$late_dir/late"

# --- run ----------------------------------------------------------------------------------
port=$(free_port)
base="http://127.0.0.1:$port"
t=$(date +%s%N)
"$engine" run -d "${platform[@]}" --name "$name" \
  --net=host --pid=host -v /:/host:ro,rslave \
  --read-only --cap-drop=ALL --security-opt=no-new-privileges \
  "$IMAGE" --path.rootfs=/host --web.listen-address="127.0.0.1:$port" >/dev/null || fail "$engine run failed"
wait_for_http "$base/" "$start_timeout"
ok "listening on $base after $(ms_since "$t") ms (start of '$engine run' to the first answer)"

# --- the process -------------------------------------------------------------------------
pid=$("$engine" inspect -f '{{.State.Pid}}' "$name")
[ -r "/proc/$pid/status" ] || fail "no /proc/$pid/status for the container's process"
read -r _ ruid euid suid fsuid < <(grep '^Uid:' "/proc/$pid/status")
read -r _ rgid egid _ _ < <(grep '^Gid:' "/proc/$pid/status")
[ "$ruid $euid $suid $fsuid" = "65534 65534 65534 65534" ] || fail "uids are $ruid $euid $suid $fsuid, not nobody (65534)"
[ "$rgid $egid" = "65534 65534" ] || fail "gids are $rgid $egid, not nogroup (65534)"
capeff=$(awk '/^CapEff:/ {print $2}' "/proc/$pid/status")
[ "$((16#$capeff))" = 0 ] || fail "effective capabilities $capeff, expected none"
ok "pid $pid runs as uid/gid 65534 with no capabilities ($(tr -d '\0' </proc/"$pid"/comm))"

# --- scrape --------------------------------------------------------------------------------
mount -t tmpfs -o size=4m,mode=0755 nts-late "$late_dir/late" || fail "cannot mount a tmpfs on $late_dir/late"
metrics=$(mktemp /tmp/nts-container-metrics.XXXXXX)
t=$(date +%s%N)
curl -fsS "$base/metrics" -o "$metrics" || fail "scrape failed"
ok "scraped $(grep -vc '^#' "$metrics") samples in $(ms_since "$t") ms"

sample() {  # $1 = metric name, $2 = mountpoint: the value, or nothing
  awk -v m="$1" -v mp="mountpoint=\"$2\"" '
    index($0, m "{") == 1 && (index($0, mp ",") || index($0, mp "}")) { print $NF; exit }' "$metrics"
}
read -r blocks frsize < <(stat -f -c '%b %S' /)
want=$((blocks * frsize))
got=$(sample node_filesystem_size_bytes /)
[ -n "$got" ] || fail "no node_filesystem_size_bytes for mountpoint=\"/\"; filesystem series: $(grep -c '^node_filesystem_size_bytes' "$metrics")"
awk -v a="$got" -v b="$want" 'BEGIN { exit !(a + 0 == b + 0) }' || fail "/ is $got bytes in the scrape, $want (= $blocks × $frsize) by statfs on the host"
[ "$(sample node_filesystem_device_error /)" = 0 ] || fail "node_filesystem_device_error is not 0 for /"
ok "/ reported with the host's size: $got bytes = $blocks blocks × $frsize"

machine=$(sed -n 's/^node_uname_info{.*machine="\([^"]*\)".*/\1/p' "$metrics")
case "$arch" in amd64) want_machine=x86_64 ;; arm64) want_machine=aarch64 ;; *) want_machine=$machine ;; esac
[ "$machine" = "$want_machine" ] || fail "node_uname_info machine=\"$machine\", expected $want_machine for a $arch image"
ok "the $arch build runs: node_uname_info machine=\"$machine\""

if grep -nE '"/host(/|")' "$metrics" >/dev/null; then
  grep -nE '"/host(/|")' "$metrics" | head -5; fail "a label value keeps the /host prefix (above)"
fi
ok "no /host prefix in any of $(grep -c 'mountpoint="' "$metrics") series with a mountpoint"

if grep -q " $late_dir/late " /proc/1/mountinfo; then
  want_late=$(( $(stat -f -c '%b * %S' "$late_dir/late") ))
  got_late=$(sample node_filesystem_size_bytes "$late_dir/late")
  [ -n "$got_late" ] || fail "the tmpfs mounted on the host after start ($late_dir/late) is not reported"
  awk -v a="$got_late" -v b="$want_late" 'BEGIN { exit !(a + 0 == b + 0) }' \
    || fail "$late_dir/late is $got_late bytes in the scrape, $want_late on the host: statfs did not reach the late mount (no propagation)"
  ok "a tmpfs mounted on the host after start is measured through rslave ($got_late bytes)"
else
  say "note: pid 1 is in another mount namespace: the late-mount propagation check is skipped"
fi

# The exporter warns when --path.rootfs sits on a private mount; that is right exactly when
# the host's / is private (rslave then has nothing to receive for mounts under /).
logs=$("$engine" logs "$name" 2>&1)
if awk '$5 == "/" && $4 == "/" { for (i = 7; $i != "-"; i++) if ($i ~ /^shared:/) found = 1 } END { exit !found }' /proc/1/mountinfo; then
  ! grep -q 'is on a private mount' <<<"$logs" || fail "private-mount warning although the host's / is shared"
  ok "host / is shared: no private-mount warning"
else
  grep -q 'is on a private mount' <<<"$logs" || fail "no private-mount warning although the host's / is private"
  ok "host / is private here: the exporter warns that later mounts directly under / will not be seen"
fi
rm -f "$metrics"

# --- SIGTERM ------------------------------------------------------------------------------
t=$(date +%s%N)
"$engine" stop -t 10 "$name" >/dev/null
stop_ms=$(ms_since "$t")
code=$("$engine" inspect -f '{{.State.ExitCode}}' "$name")
[ "$code" = 0 ] || fail "exit code $code after SIGTERM"
[ "$stop_ms" -lt 5000 ] || fail "stopping took $stop_ms ms (SIGKILL comes at 10 s)"
grep -q 'msg="Shutting down" signal=SIGTERM' <<<"$("$engine" logs "$name" 2>&1)" || fail "no 'Shutting down' log line for SIGTERM"
ok "SIGTERM: exit code 0 after $stop_ms ms"

say "PASS in $(ms_since "$t_start") ms (build $build_ms ms)"
