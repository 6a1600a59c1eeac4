# Shared by the container tests (sourced, not run): reporting, the root check, and a container
# engine with the node:24 base images, made by ../shared/tools/container-setup.sh when missing.
# The sourcing script sets `tag` (its name in messages), `name` (the container whose logs a
# failure shows) and `base_images` (the images it needs) before calling need_engine.
say() { printf '%s: %s\n' "$tag" "$*"; }
skip() {
  if [ "${CI:-}" = 1 ] || [ "${CI:-}" = true ]; then say "FAIL (CI must run it): $*"; exit 1; fi
  say "SKIP: $*"; exit 0
}
fail() { say "FAIL: $*"; [ -n "${engine:-}" ] && "$engine" logs "$name" 2>&1 | sed 's/^/  | /' | tail -40 || true; exit 1; }
ok() { say "ok - $*"; }
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

pick_engine() {
  if [ -n "${ENGINE:-}" ]; then command -v "$ENGINE" >/dev/null && echo "$ENGINE"; return; fi
  if command -v podman >/dev/null; then echo podman; return; fi
  if command -v docker >/dev/null && docker info >/dev/null 2>&1; then echo docker; return; fi
}

# Sets `engine`, or skips (fails under CI) when none can be had.
need_engine() {
  local setup="$repo/../shared/tools/container-setup.sh" need_setup=0 i t
  engine=$(pick_engine || true)
  if [ -z "$engine" ]; then need_setup=1
  elif [ "$engine" = podman ]; then
    for i in "${base_images[@]}"; do podman image exists "$i" || need_setup=1; done
  fi
  if [ "$need_setup" = 1 ] && [ -f "$setup" ]; then
    say "preparing podman and the node:24 base images with $setup (a few minutes the first time)"
    t=$(date +%s%N)
    bash "$setup" >/tmp/nts-container-setup.log 2>&1 || { tail -30 /tmp/nts-container-setup.log; fail "container-setup.sh failed (log above)"; }
    say "setup took $(ms_since "$t") ms"
    engine=$(pick_engine || true)
  fi
  if [ -z "$engine" ]; then
    if [ -f "$setup" ]; then skip "no ${ENGINE:-podman} even after $setup, and no reachable docker daemon"; fi
    skip "neither podman nor a reachable docker daemon (and no $setup to install podman)"
  fi
  say "engine: $engine ($("$engine" --version 2>/dev/null | head -1))"
}

# A TCP port free on loopback now.
free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }

# Waits until $1 answers, for at most $2 seconds, while container $name runs.
wait_for_http() {
  local url=$1 seconds=$2 i
  for i in $(seq 1 $((seconds * 10))); do
    curl -fsS -o /dev/null "$url" 2>/dev/null && return 0
    [ "$("$engine" inspect -f '{{.State.Running}}' "$name")" = true ] || fail "the container exited before listening"
    sleep 0.1
  done
  curl -fsS -o /dev/null "$url" || fail "nothing answers on $url after $seconds s"
}
