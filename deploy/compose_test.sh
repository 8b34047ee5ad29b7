#!/usr/bin/env bash
# End-to-end test of the documented Docker deployment (docker-compose.yml); run by `make compose-test`.
#
# Builds the image, starts the stack, waits for every health check (and that no service restarted), checks that
# the flow worker registered the nightly deployment with its cron and that the Prefect server scheduled its next
# runs, loads the demo through the worker and checks that EVERY gunicorn worker of
# the dashboard serves it; then publishes a second time and checks the same again (a worker that keeps an older
# warehouse shows a stale dashboard to every request that lands on it). Also checks that the session/CSRF
# cookie is marked Secure behind the TLS proxy. Tears the stack down (volumes included) at the end, also on failure.
#
# Needs root for apt-get, dockerd, docker and debootstrap (re-runs itself with sudo otherwise). Where base images cannot be pulled, a Debian base is
# bootstrapped once (deploy/bootstrap_base_image.sh) and cached as an image.
# Settings (environment): BASE_IMAGE (skip the pull/bootstrap choice), PERHEKESKUS_WEB_WORKERS (default 2),
# COMPOSE_TEST_TIMEOUT (seconds for the stack to become healthy, default 300), COMPOSE_TEST_CONTEXT (build the image
# from another checkout or copy, e.g. to show that the test fails on an older version; default this repository).
set -uo pipefail

[ "$(id -u)" = 0 ] || exec sudo --preserve-env "$0" "$@"
cd "$(dirname "$0")/.."
PROJECT=perhekeskus-compose-test
IMAGE=perhekeskus:compose-test
WORKERS=${PERHEKESKUS_WEB_WORKERS:-2}
HEALTH_TIMEOUT=${COMPOSE_TEST_TIMEOUT:-300}
CONTEXT=${COMPOSE_TEST_CONTEXT:-.}
PUBLISH_TIMEOUT=15
LOG_DIR=${TMPDIR:-/var/tmp}
T0=$(date +%s)
RESULTS=()
FAILED=0

step() { echo; echo "== $* (+$(( $(date +%s) - T0 )) s)"; }
check() {  # check NAME COMMAND...: run a check, record PASS/FAIL with its name
  local name=$1; shift
  if "$@"; then RESULTS+=("PASS  $name"); else RESULTS+=("FAIL  $name"); FAILED=1; fi
}
die() { echo "compose-test: $*" >&2; RESULTS+=("FAIL  $*"); FAILED=1; exit 1; }

summary() {
  echo
  echo "== compose-test summary ($(( $(date +%s) - T0 )) s in all)"
  printf '  %s\n' "${RESULTS[@]}"
  if [ "$FAILED" = 0 ]; then echo "compose-test: PASS"; else echo "compose-test: FAIL"; fi
  [ "$FAILED" = 0 ] && exit 0 || exit 1
}

# --- tools and engine ---------------------------------------------------------------------------------------
ensure_tools() {
  local missing=()
  command -v dockerd >/dev/null 2>&1 || [ -x /usr/sbin/dockerd ] || missing+=(docker.io)
  command -v docker-compose >/dev/null 2>&1 || docker compose version >/dev/null 2>&1 || missing+=(docker-compose)
  command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing Debian's ${missing[*]} (waits for the apt lock if another install holds it)"
    apt-get -o DPkg::Lock::Timeout=600 update -qq &&
      DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}" \
      || die "could not install ${missing[*]}"
  fi
}

ensure_engine() {
  docker info >/dev/null 2>&1 && { echo "Docker engine running: $(docker info -f '{{.ServerVersion}}')"; return; }
  echo "starting dockerd in the background (log: $LOG_DIR/perhekeskus-dockerd.log); it is left running"
  PATH=$PATH:/usr/sbin:/sbin setsid nohup dockerd >"$LOG_DIR/perhekeskus-dockerd.log" 2>&1 &
  for _ in $(seq 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || die "dockerd did not start; see $LOG_DIR/perhekeskus-dockerd.log"
  echo "Docker engine running: $(docker info -f '{{.ServerVersion}}')"
}

compose() {  # docker compose (v2 plugin) where present, else Debian's docker-compose 1.29
  if docker compose version >/dev/null 2>&1; then docker compose -p "$PROJECT" "$@"; else docker-compose -p "$PROJECT" "$@"; fi
}

# --- image --------------------------------------------------------------------------------------------------
choose_base_image() {
  if [ -n "${BASE_IMAGE:-}" ]; then echo "base image (BASE_IMAGE): $BASE_IMAGE"; return; fi
  if docker image inspect python:3.11-slim >/dev/null 2>&1 || timeout 60 docker pull -q python:3.11-slim >/dev/null 2>&1; then
    BASE_IMAGE=python:3.11-slim
  else
    echo "python:3.11-slim cannot be pulled here: using a Debian base bootstrapped from Debian's packages"
    BASE_IMAGE=perhekeskus-base:bookworm-pango
    deploy/bootstrap_base_image.sh "$BASE_IMAGE" || die "could not bootstrap the base image"
  fi
  echo "base image: $BASE_IMAGE"
}

# A package index the host's pip is configured with, when it is one a container can reach (http/https).
pip_index_args() {
  local index=${PIP_INDEX_URL:-$(pip3 config get global.index-url 2>/dev/null || true)}
  case "$index" in http://* | https://*) echo "--build-arg PIP_INDEX_URL=$index" ;; esac
}

build_image() {
  local started log=$LOG_DIR/perhekeskus-compose-build.log
  started=$(date +%s)
  # shellcheck disable=SC2046
  if ! docker build --build-arg BASE_IMAGE="$BASE_IMAGE" $(pip_index_args) -t "$IMAGE" "$CONTEXT" >"$log" 2>&1; then
    tail -30 "$log"; die "docker build failed (full log: $log)"
  fi
  echo "image $IMAGE built from $CONTEXT in $(( $(date +%s) - started )) s (log: $log)"
}

# --- stack --------------------------------------------------------------------------------------------------
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

teardown() {
  local rc=$?
  if [ "$FAILED" != 0 ] || [ "$rc" != 0 ]; then
    FAILED=1
    echo; echo "== last log lines of each service"
    compose logs --no-color --tail 25 2>&1 | tail -100
  fi
  echo; echo "== tearing the stack down (docker compose down -v)"
  compose down -v --remove-orphans >/dev/null 2>&1 && echo "stack and its volumes removed"
  trap - EXIT
  summary
  [ "$FAILED" = 0 ] && exit 0 || exit 1
}

health_of() { docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "$(compose ps -q "$1")" 2>/dev/null; }

wait_healthy() {
  local started deadline service status all
  started=$(date +%s); deadline=$(( started + HEALTH_TIMEOUT ))
  while :; do
    all=1; status=""
    for service in prefect-server flow-worker dashboard; do
      s=$(health_of "$service"); status+="$service=${s:-none} "
      [ "$s" = healthy ] || all=0
    done
    [ "$all" = 1 ] && { echo "all healthy after $(( $(date +%s) - started )) s: $status"; return 0; }
    [ "$(date +%s)" -ge "$deadline" ] && { echo "not healthy after ${HEALTH_TIMEOUT} s: $status"; return 1; }
    sleep 3
  done
}

# The restarts of each service since `up`: a gunicorn worker that fails to boot takes the whole dashboard
# container down, and the restart policy hides it behind a later "healthy".
no_restarts() {
  local service count total=0
  for service in prefect-server flow-worker dashboard; do
    count=$(docker inspect -f '{{.RestartCount}}' "$(compose ps -q "$service")")
    echo "  $service: $count restart(s)"
    total=$(( total + count ))
  done
  if compose logs --no-color dashboard 2>&1 | grep -q "Worker failed to boot"; then
    echo "  dashboard log: a gunicorn worker failed to boot:"
    compose logs --no-color dashboard 2>&1 | grep -E "Error|error|failed to boot" | grep -v "^\s*File" | sort -u | head -5 | sed 's/^/    /'
    total=$(( total + 1 ))
  fi
  [ "$total" = 0 ]
}

# The newest finished run in the published warehouse, read inside the worker container (what every
# dashboard worker should report next).
newest_run() {
  compose exec -T flow-worker python -c '
import duckdb
from perhekeskus.warehouse.settings import Settings
con = duckdb.connect(str(Settings.from_env().warehouse_path), read_only=True)
row = con.execute("SELECT run_id FROM etl_run WHERE finished_at IS NOT NULL ORDER BY finished_at DESC, run_id DESC LIMIT 1").fetchone()
print(row[0] if row else "")' | tr -d '\r'
}

demo_load() {
  local started out
  started=$(date +%s)
  out=$(compose exec -T flow-worker perhekeskus demo load 2>&1) || { echo "$out" | tail -5; return 1; }
  echo "$out" | tail -1 | tr -d '\r' | sed 's/^/  /'
  echo "  demo load took $(( $(date +%s) - started )) s"
}

workers_serve() {  # workers_serve RUN_ID|"" TIMEOUT
  python3 deploy/compose_probe.py --url "$DASHBOARD_URL" workers --workers "$WORKERS" --expect "$1" --timeout "$2"
}

# --- the test -----------------------------------------------------------------------------------------------
trap summary EXIT
step "tools and Docker engine"
ensure_tools
ensure_engine
step "image"
choose_base_image
build_image

DASHBOARD_PORT=$(free_port); PREFECT_PORT=$(free_port)
export PERHEKESKUS_IMAGE=$IMAGE PERHEKESKUS_BASE_IMAGE=$BASE_IMAGE PERHEKESKUS_WEB_WORKERS=$WORKERS
export PERHEKESKUS_PORT=$DASHBOARD_PORT PERHEKESKUS_PREFECT_PORT=$PREFECT_PORT
DASHBOARD_URL=http://127.0.0.1:$DASHBOARD_PORT
PREFECT_URL=http://127.0.0.1:$PREFECT_PORT
trap teardown EXIT

step "docker compose up (project $PROJECT, dashboard $DASHBOARD_URL, Prefect $PREFECT_URL, $WORKERS gunicorn workers)"
compose down -v --remove-orphans >/dev/null 2>&1  # leftovers of an interrupted earlier run
UP_STARTED=$(date +%s)
compose up -d --no-build 2>&1 | tail -5 || die "docker compose up failed"
echo "docker compose up returned after $(( $(date +%s) - UP_STARTED )) s (it waits for the Prefect server's health check)"
check "stack healthy (prefect-server, flow-worker, dashboard)" wait_healthy
[ "$FAILED" = 0 ] || exit 1

check "no service restarted or failed to boot" no_restarts

step "nightly deployment registered by the flow worker, next runs scheduled by the Prefect server"
check "deployment sotkanet-scheduled: cron '0 3 * * *' Europe/Helsinki, scheduled runs exist" \
  python3 deploy/compose_probe.py --url "$PREFECT_URL" schedule

step "every gunicorn worker reads the empty warehouse before any load"
check "all $WORKERS workers answer before the first load" workers_serve "" 30

step "secure cookies behind the TLS proxy"
check "CSRF cookie marked Secure (PERHEKESKUS_SECURE_COOKIES=1, X-Forwarded-Proto: https)" \
  python3 deploy/compose_probe.py --url "$DASHBOARD_URL" secure-cookie

step "first publish: perhekeskus demo load in the flow-worker container"
check "first demo load through the worker" demo_load
FIRST=$(newest_run); echo "  newest run in the published warehouse: ${FIRST:-none}"
check "every worker serves the first publish ($FIRST) within ${PUBLISH_TIMEOUT} s" workers_serve "$FIRST" "$PUBLISH_TIMEOUT"

step "second publish: perhekeskus demo load again"
check "second demo load through the worker" demo_load
SECOND=$(newest_run); echo "  newest run in the published warehouse: ${SECOND:-none}"
check "second publish has a new run id ($FIRST -> $SECOND)" test -n "$SECOND" -a "$SECOND" != "$FIRST"
check "every worker serves the second publish ($SECOND) within ${PUBLISH_TIMEOUT} s" workers_serve "$SECOND" "$PUBLISH_TIMEOUT"

# the meeting pack: WeasyPrint and Pango work inside the image
meeting_pack() {
  python3 - "$DASHBOARD_URL/raportti/kunta/837.pdf?lang=fi" <<'PY'
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=120) as answer:
    body = answer.read()
print(f"  {len(body)} bytes, {answer.headers.get('Content-Type')}")
sys.exit(0 if body.startswith(b"%PDF-") else 1)
PY
}
check "the meeting pack /raportti/kunta/837.pdf is a PDF" meeting_pack
