#!/usr/bin/env bash
# A topology you can start (issue 11, point 6), on this machine's loopback with Debian packages:
#
#   nginx (cache for public GETs, revalidated by ETag; X-Forwarded-For)
#     -> two `lerarenregister serve` instances (demo mode, REGISTER_VERTROUWDE_PROXIES=127.0.0.1)
#          -> PostgreSQL primary (writes, authenticated reads)
#          -> PostgreSQL streaming replica of it (pg_basebackup -R; anonymous reads)
#          -> Redis (rate-limit counters shared by both instances)
#
# then runs deploy/rook.py through nginx as every role, and tears everything down (also on failure
# or Ctrl-C). Everything lives in one temporary folder; nothing of the machine's own PostgreSQL,
# Redis or nginx is used or touched. Missing packages (nginx, redis-server, postgresql) are installed
# with apt-get when running as root. `make topologie` runs it; LR_REVALIDATIE=0 skips the 61 s wait
# that shows nginx revalidating an expired answer. Exit code 0 only when every check passed.
set -euo pipefail

HIER="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(dirname "$HIER")"
VENV="${VENV:-$REPO/.venv}"
PY="$VENV/bin/python"
CLI="$VENV/bin/lerarenregister"
[ -x "$CLI" ] || { echo "topologie: $CLI is missing; run 'make install' first" >&2; exit 1; }

stap() { printf '\n== %s\n' "$*"; }

# --- packages ------------------------------------------------------------------------------------
nodig=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || nodig+=(nginx)
command -v redis-server >/dev/null 2>&1 || nodig+=(redis-server)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || nodig+=(postgresql)
if [ ${#nodig[@]} -gt 0 ]; then
  [ "$(id -u)" -eq 0 ] || { echo "topologie: missing ${nodig[*]}; install them (apt-get install ${nodig[*]})" >&2; exit 1; }
  stap "installing ${nodig[*]} (apt-get)"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${nodig[@]}" >/dev/null
fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
PGBIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"

# --- the folder, ports, and who runs PostgreSQL -----------------------------------------------------
WERK="$(mktemp -d /tmp/lr-topologie-XXXXXX)"
chmod 755 "$WERK"  # nginx's workers (www-data) read their cache under it
read -r P_PRIMARY P_REPLICA P_REDIS P_APP1 P_APP2 P_NGINX < <("$PY" - <<'EOF'
import socket
socks = [socket.socket() for _ in range(6)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))
EOF
)
ALS=()
if [ "$(id -u)" -eq 0 ]; then ALS=(runuser -u postgres --); fi
mkdir -p "$WERK/pg" "$WERK/demo" "$WERK/nginx/cache" "$WERK/nginx/tmp"
[ "$(id -u)" -eq 0 ] && chown postgres: "$WERK/pg"

APP_PIDS=()
opruimen() {
  rc=$?
  stap "teardown"
  [ -f "$WERK/nginx/nginx.pid" ] && kill "$(cat "$WERK/nginx/nginx.pid")" 2>/dev/null && echo "nginx stopped"
  for pid in "${APP_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${APP_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ ${#APP_PIDS[@]} -gt 0 ] && echo "app instances stopped"
  [ -f "$WERK/redis.pid" ] && kill "$(cat "$WERK/redis.pid")" 2>/dev/null && echo "redis stopped"
  for c in replica primary; do
    [ -d "$WERK/pg/$c" ] && "${ALS[@]}" "$PGBIN/pg_ctl" -D "$WERK/pg/$c" -m fast -w stop >/dev/null 2>&1 && echo "postgresql $c stopped"
  done
  if [ "$rc" -ne 0 ]; then
    echo "--- logs (failed with $rc) ---"
    tail -n 20 "$WERK"/*.log "$WERK"/pg/*.log "$WERK"/nginx/error.log 2>/dev/null || true
  fi
  rm -rf "$WERK"
  echo "removed $WERK"
  exit "$rc"
}
trap opruimen EXIT
trap 'exit 130' INT TERM

PGOPTIES="-c listen_addresses=127.0.0.1 -c wal_level=replica -c max_wal_senders=5 -c hot_standby=on \
-c hot_standby_feedback=on -c shared_preload_libraries=pg_stat_statements -c fsync=off"
pg_start() {  # name port
  "${ALS[@]}" "$PGBIN/pg_ctl" -D "$WERK/pg/$1" -o "-p $2 -k $WERK/pg $PGOPTIES" -l "$WERK/pg/$1.log" -w -t 60 start >/dev/null
}

stap "PostgreSQL primary on 127.0.0.1:$P_PRIMARY ($PGBIN)"
"${ALS[@]}" "$PGBIN/initdb" -D "$WERK/pg/primary" -U postgres --auth=trust -E UTF8 --no-sync >/dev/null
pg_start primary "$P_PRIMARY"
"${ALS[@]}" "$PGBIN/psql" -qAt -h 127.0.0.1 -p "$P_PRIMARY" -U postgres -c "CREATE DATABASE register"
"${ALS[@]}" "$PGBIN/psql" -qAt -h 127.0.0.1 -p "$P_PRIMARY" -U postgres -d register -c "CREATE EXTENSION pg_stat_statements"

stap "PostgreSQL replica on 127.0.0.1:$P_REPLICA (pg_basebackup -R from the primary)"
"${ALS[@]}" "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$P_PRIMARY" -U postgres -D "$WERK/pg/replica" -R -X stream \
  --checkpoint=fast --no-sync
pg_start replica "$P_REPLICA"
"${ALS[@]}" "$PGBIN/psql" -qAt -h 127.0.0.1 -p "$P_PRIMARY" -U postgres \
  -c "SELECT 'replication: ' || application_name || ' ' || state FROM pg_stat_replication"

stap "Redis on 127.0.0.1:$P_REDIS"
redis-server --bind 127.0.0.1 --port "$P_REDIS" --save '' --appendonly no --daemonize yes \
  --pidfile "$WERK/redis.pid" --logfile "$WERK/redis.log" --dir "$WERK"
for _ in $(seq 50); do [ -f "$WERK/redis.pid" ] && break; sleep 0.1; done

export REGISTER_DEMO=true REGISTER_DEMO_DIR="$WERK/demo"
export REGISTER_DATABASE_URL="postgresql://postgres@127.0.0.1:$P_PRIMARY/register"
export REGISTER_DATABASE_READ_URL="postgresql://postgres@127.0.0.1:$P_REPLICA/register"
export REGISTER_REDIS_URL="redis://127.0.0.1:$P_REDIS/0"
export REGISTER_VERTROUWDE_PROXIES="127.0.0.1/32"
export REGISTER_LIMIET_PUBLIEK="100/minute"
unset REGISTER_OIDC_ISSUER REGISTER_OIDC_AUDIENCE REGISTER_OIDC_JWKS

app_start() {  # port: one instance; the first migrates and loads the demo data, the second finds them
  "$CLI" serve --host 127.0.0.1 --port "$1" >"$WERK/app-$1.log" 2>&1 &
  APP_PIDS+=($!)
  for _ in $(seq 600); do
    curl -fsS "http://127.0.0.1:$1/health" >/dev/null 2>&1 && return 0
    kill -0 "${APP_PIDS[-1]}" 2>/dev/null || { echo "instance on $1 exited" >&2; return 1; }
    sleep 0.2
  done
  echo "instance on $1 did not come up" >&2; return 1
}
stap "app instances on 127.0.0.1:$P_APP1 and 127.0.0.1:$P_APP2 (demo mode, migrated, demo data)"
app_start "$P_APP1"
app_start "$P_APP2"
grep -h "read replica" "$WERK"/app-*.log | sed 's/^/  /' | head -2

stap "nginx on 127.0.0.1:$P_NGINX"
GEBRUIKER=""
if [ "$(id -u)" -eq 0 ]; then GEBRUIKER="user www-data;"; chown -R www-data: "$WERK/nginx/cache" "$WERK/nginx/tmp"; fi
sed -e "s|@WERK@|$WERK/nginx|g" -e "s|@APP1@|$P_APP1|g" -e "s|@APP2@|$P_APP2|g" -e "s|@POORT@|$P_NGINX|g" \
    -e "s|@GEBRUIKER@|$GEBRUIKER|g" "$HIER/nginx.conf" >"$WERK/nginx/nginx.conf"
"$NGINX" -t -q -p "$WERK/nginx" -e "$WERK/nginx/error.log" -c "$WERK/nginx/nginx.conf"
"$NGINX" -p "$WERK/nginx" -e "$WERK/nginx/error.log" -c "$WERK/nginx/nginx.conf"
for _ in $(seq 50); do curl -fsS "http://127.0.0.1:$P_NGINX/health" >/dev/null 2>&1 && break; sleep 0.1; done
"$NGINX" -v 2>&1 | sed 's/^/  /'

stap "smoke test through nginx"
LR_NGINX="http://127.0.0.1:$P_NGINX" \
LR_PRIMARY_DSN="postgresql://postgres@127.0.0.1:$P_PRIMARY/register" \
LR_REPLICA_DSN="postgresql://postgres@127.0.0.1:$P_REPLICA/register" \
  "$PY" "$HIER/rook.py"
echo
echo "redis keys: $(redis-cli -p "$P_REDIS" --scan | head -5 | tr '\n' ' ')"
echo "nginx access log: $(wc -l <"$WERK/nginx/access.log") requests; cache statuses: \
$(awk '{print $NF}' "$WERK/nginx/access.log" | sort | uniq -c | tr -s ' ' | tr '\n' ',')"
