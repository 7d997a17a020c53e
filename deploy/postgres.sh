#!/usr/bin/env bash
# Private PostgreSQL 15 + pgvector cluster for Clara. No Docker on these machines, so this runs
# Debian's server binaries directly against a data dir under the state folder (see README.md,
# "What runs where").
#
#   deploy/postgres.sh install | start | stop | status | psql [psql args]
#
# Env: CLARA_STATE_DIR (default <repo>/.local), CLARA_PG_PORT (default 54329).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STATE=${CLARA_STATE_DIR:-$REPO/.local}
PGROOT=$STATE/postgres
DATA=$PGROOT/data
SOCKDIR=$PGROOT/run
LOG=$STATE/logs/postgres.log
PORT=${CLARA_PG_PORT:-54329}
PGBIN=/usr/lib/postgresql/15/bin
PG_CONFIG=$PGBIN/pg_config
VECTOR_CONTROL=/usr/share/postgresql/15/extension/vector.control
# Same mirror host the system's apt uses (/etc/apt/sources.list.d/debian.sources).
DEBIAN_MIRROR=http://deb.debian.org/debian

say() { echo "postgres: $*"; }
die() { echo "postgres: error: $*" >&2; exit 1; }
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1fs", b - a }'; }
# Run from / so a cwd that postgres cannot read (e.g. /root) causes no warnings.
as_pg() { (cd / && runuser -u postgres -- "$@"); }
apt_get() { DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=300 "$@"; }

# Serialise install/start/stop: several engineers' scripts may call `start` at the same time.
lock() {
  [[ -n ${LOCKED:-} ]] && return
  mkdir -p "$PGROOT"
  exec 9>"$PGROOT/.lock"
  flock -w 900 9 || die "timed out waiting for $PGROOT/.lock"
  LOCKED=1
}

running() { [[ -f $DATA/PG_VERSION ]] && as_pg "$PGBIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }
pidfile_line() { sed -n "${1}p" "$DATA/postmaster.pid"; }
# A running cluster keeps the port it started with, whatever CLARA_PG_PORT says now.
live_port() { if running; then pidfile_line 4; else echo "$PORT"; fi; }

# Refresh the system's package lists only when apt does not know a package yet.
apt_install() {
  local p
  for p; do
    if [[ $(apt-cache policy "$p" 2>/dev/null) != *"Candidate: "[0-9]* ]]; then
      say "apt-get update (apt does not know $p)"; apt_get update -qq; break
    fi
  done
  say "apt-get install $*"
  apt_get install -y --no-install-recommends "$@" >/dev/null
}

# Bookworm has no pgvector package: build Debian's trixie *source* package against PG 15.
# apt gets its own sources file, lists and cache, so the system never sees trixie (and no
# trixie binary can ever be installed by accident).
build_pgvector() {
  local apt=$PGROOT/apt build=$PGROOT/build dsc
  if [[ ! -f $($PG_CONFIG --includedir-server)/postgres.h ]]; then
    apt_install postgresql-server-dev-15
  else say "skip: postgresql-server-dev-15 already installed"; fi
  command -v dpkg-source >/dev/null || apt_install dpkg-dev
  command -v make >/dev/null && command -v gcc >/dev/null || apt_install build-essential

  mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$build"
  # apt downloads as the unprivileged _apt user, which must be able to write the build folder.
  chown _apt "$build"
  echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $DEBIAN_MIRROR trixie main" \
    >"$apt/sources.list"
  local opts=(-o Dir::Etc::sourcelist="$apt/sources.list" -o Dir::Etc::sourceparts=/dev/null
              -o Dir::State::Lists="$apt/lists" -o Dir::Cache="$apt/cache")
  cd "$build"
  if ! compgen -G "$apt/lists/*trixie*Sources*" >/dev/null; then
    say "apt-get update (private trixie deb-src list)"; apt_get "${opts[@]}" update -qq
  fi
  if ! compgen -G 'pgvector_*.dsc' >/dev/null; then
    apt_get "${opts[@]}" source --download-only pgvector >/dev/null
  fi
  dsc=$(compgen -G 'pgvector_*.dsc' | sort -V | tail -1)
  [[ $dsc == pgvector_0.8.0-* ]] || say "warning: trixie now ships $dsc, not pgvector 0.8.0"
  # apt already checked the .dsc against trixie's signed Sources index; dpkg-source's own gpgv
  # check only lacks the uploader's key (debian-keyring), so hide that noise.
  rm -rf src && dpkg-source -q -x "$dsc" src 2> >(grep -v '^gpgv:' >&2)
  # OPTFLAGS= drops upstream's -march=native (as Debian does): the .so must not depend on this CPU.
  say "building $dsc"
  make -s -C src -j"$(nproc)" PG_CONFIG="$PG_CONFIG" OPTFLAGS= >/dev/null
  make -s -C src install PG_CONFIG="$PG_CONFIG" OPTFLAGS= >/dev/null
  cd - >/dev/null
}

cmd_install() {
  local t0=$EPOCHREALTIME
  lock
  if [[ -x $PGBIN/initdb ]]; then say "skip: postgresql-15 already installed"
  else apt_install postgresql-15; fi
  if [[ -f $VECTOR_CONTROL ]]; then say "skip: pgvector already installed"
  else build_pgvector; fi
  say "install took $(since "$t0")"
}

# postgres must own its folders and be able to walk down to them from /.
prepare_dirs() {
  mkdir -p "$SOCKDIR" "$(dirname "$LOG")"
  chown postgres:postgres "$PGROOT" "$SOCKDIR"
  touch "$LOG" && chown postgres:postgres "$LOG"
  local d=$STATE
  while [[ $d != / ]]; do
    as_pg test -x "$d" || { say "chmod o+x $d (postgres must traverse it)"; chmod o+x "$d"; }
    d=$(dirname "$d")
  done
}

# Our settings go in their own include file, rewritten each start so a new CLARA_PG_PORT applies.
configure() {
  cat >"$DATA/clara.conf" <<EOF
port = $PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$SOCKDIR'
wal_level = logical            # Debezium reads the outbox through logical decoding
max_replication_slots = 20
max_wal_senders = 20
max_connections = 200
shared_buffers = 128MB
EOF
  grep -qx "include_if_exists = 'clara.conf'" "$DATA/postgresql.conf" ||
    echo "include_if_exists = 'clara.conf'" >>"$DATA/postgresql.conf"
  # Trust is acceptable only because the cluster listens on loopback and holds dev data.
  cat >"$DATA/pg_hba.conf" <<EOF
local all         all                trust
host  all         all   127.0.0.1/32 trust
local replication all                trust
host  replication all   127.0.0.1/32 trust
EOF
  chown postgres:postgres "$DATA/clara.conf" "$DATA/pg_hba.conf"
}

q() { "$PGBIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d "${2:-postgres}" -XqtA -v ON_ERROR_STOP=1 -c "$1"; }

cmd_start() {
  lock
  if running; then say "already running (pid $(pidfile_line 1), port $(pidfile_line 4))"; return 0; fi
  [[ -x $PGBIN/initdb && -f $VECTOR_CONTROL ]] || cmd_install
  local t0=$EPOCHREALTIME
  prepare_dirs
  if [[ ! -f $DATA/PG_VERSION ]]; then
    say "initdb $DATA"
    as_pg "$PGBIN/initdb" -D "$DATA" --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  configure
  # 9>&- : the postmaster must not inherit our lock, or the next start would wait forever.
  as_pg "$PGBIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start >/dev/null 9>&- ||
    { tail -n 20 "$LOG" >&2; die "start failed (log: $LOG)"; }
  [[ $(q "select 1 from pg_database where datname = 'clara'") == 1 ]] ||
    { say "createdb clara"; q "create database clara"; }
  # Prove pgvector is installed and its library loads; creating the extension is the migrations' job
  # (in a migrated database it lives in schema extensions, off the search path).
  [[ $(q "select 1 from pg_available_extensions where name = 'vector'") == 1 ]] || die "pgvector is not installed"
  q "load 'vector'" >/dev/null
  say "running on 127.0.0.1:$PORT (pid $(pidfile_line 1), data $DATA)"
  say "start took $(since "$t0")"
}

cmd_stop() {
  lock
  if ! running; then say "not running"; return 0; fi
  as_pg "$PGBIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
  say "stopped"
}

cmd_status() {
  if ! running; then say "stopped"; exit 3; fi
  local pid rss pids
  pid=$(pidfile_line 1)
  pids="$pid $(ps -o pid= --ppid "$pid" | tr '\n' ' ')"
  # Summed RSS would count the shared buffers once per backend; proportional set size (Pss)
  # splits shared pages between the processes that map them, so the sum is the real footprint.
  rss=$(for p in $pids; do awk '/^Pss:/ { print $2 }' "/proc/$p/smaps_rollup" 2>/dev/null; done \
    | awk '{ s += $1 } END { printf "%.0f", s / 1024 }')
  say "running, pid $pid, port $(pidfile_line 4), rss ${rss} MB (proportional, postmaster + children)"
}

case ${1:-} in
  install) cmd_install ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  psql) shift; exec "$PGBIN/psql" -h 127.0.0.1 -p "$(live_port)" -U postgres "$@" ;;
  *) echo "usage: $0 install|start|stop|status|psql [args]" >&2; exit 2 ;;
esac
