#!/usr/bin/env bash
# Tessera's load benchmark, in one command (README.md, "Benchmarks"):
#
#   benches/load.sh                 every path, DURATION each (default 10s), 1,000 logins
#   benches/load.sh --quick         a smoke run: 2 s each, 100 logins
#   benches/load.sh --soak MINUTES  password logins only, for MINUTES, the server's RSS every 30 s
#
# It builds the release binary and the load generator (examples/loadgen.rs), starts `tessera serve` on a fresh
# SQLite database in a temporary directory (PostgreSQL: DATABASE_URL, see below) pinned to core SERVER_CPU with one
# worker, registers a client and users with the CLI, and loads it from core LOAD_CPU with wrk and loadgen. The
# machine's own limits are measured on the server's core in the same run (openssl's RSA-2048 signatures per second,
# argon2id verifications per second), and each path is printed as a ratio to them.
#
# Environment:
#   DURATION=10s       length of each wrk run and of the open-loop run (wrk's syntax: 10s, 1m)
#   CONNECTIONS=16     wrk's connections (the figures of the performance issue were taken with -c16)
#   LOGINS=1000        logins in the login run; LOGIN_CONCURRENCY=16
#   SERVER_CPU=0 LOAD_CPU=1   the cores of the server and of the load generators
#   PORT               where the server listens on 127.0.0.1 (default: the first free port from 18080)
#   DATABASE_URL       a PostgreSQL URL whose role may CREATE DATABASE: the benchmark creates a database of its own
#                      beside the one named there (tessera_bench_<pid>), runs on it, and drops it at the end.
#                      Unset: SQLite in the temporary directory.
#   PROFILE=DIR        also record each wrk path with `perf record` (Debian: linux-perf) into DIR/NAME.perf.data and
#                      print the top of its flat profile (the functions where the server's core spent its time)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

QUICK=0
SOAK_MINUTES=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --quick) QUICK=1 ;;
        --soak) SOAK_MINUTES=${2:?--soak needs a number of minutes}; shift ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "load.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done

if [[ $QUICK == 1 ]]; then
    DURATION=${DURATION:-2s}
    LOGINS=${LOGINS:-100}
    OPENSSL_SECONDS=2
else
    DURATION=${DURATION:-10s}
    LOGINS=${LOGINS:-1000}
    OPENSSL_SECONDS=5
fi
CONNECTIONS=${CONNECTIONS:-16}
LOGIN_CONCURRENCY=${LOGIN_CONCURRENCY:-16}
SERVER_CPU=${SERVER_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if [[ -z "${PORT:-}" ]]; then
    PORT=18080
    while listening "$PORT"; do PORT=$((PORT + 1)); done
fi
BASE="http://127.0.0.1:$PORT"
REDIRECT_URI="http://127.0.0.1:9/cb"

log() { printf '\n== %s\n' "$*"; }
die() { echo "load.sh: $*" >&2; exit 1; }

# DURATION in seconds, for loadgen (wrk takes the string as it is).
duration_seconds() {
    case "$1" in
        *ms) awk -v v="${1%ms}" 'BEGIN { print v / 1000 }' ;;
        *s) echo "${1%s}" ;;
        *m) awk -v v="${1%m}" 'BEGIN { print v * 60 }' ;;
        *h) awk -v v="${1%h}" 'BEGIN { print v * 3600 }' ;;
        *) echo "$1" ;;
    esac
}
DURATION_SECONDS=$(duration_seconds "$DURATION")

# --- Tools --------------------------------------------------------------------------------------------------------

apt_install() {
    local sudo=""
    [[ $(id -u) -ne 0 ]] && sudo="sudo"
    echo "installing $* with apt-get"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
}
command -v wrk >/dev/null || apt_install wrk
command -v curl >/dev/null || apt_install curl
command -v taskset >/dev/null || apt_install util-linux
command -v openssl >/dev/null || apt_install openssl
if [[ -n "${PROFILE:-}" ]]; then
    command -v perf >/dev/null || apt_install linux-perf
    mkdir -p "$PROFILE"
    PROFILE=$(cd "$PROFILE" && pwd)
fi
if [[ -n "${DATABASE_URL:-}" ]]; then
    command -v psql >/dev/null || apt_install postgresql-client
fi
CORES=$(nproc --all)
[[ $SERVER_CPU -lt $CORES && $LOAD_CPU -lt $CORES && $SERVER_CPU -ne $LOAD_CPU ]] ||
    die "needs two cores (SERVER_CPU=$SERVER_CPU, LOAD_CPU=$LOAD_CPU, this machine has $CORES)"

# --- The commands this run executes, printed at the end -----------------------------------------------------------

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tessera-bench.XXXXXX")
COMMANDS="$WORK/commands"
: >"$COMMANDS"
# Secrets and long tokens appear in the printed command lines as the variables that held them.
MASKS=()
record() {
    local line
    line=$(printf '%q ' "$@")
    for name in "${MASKS[@]}"; do
        [[ -n "${!name}" ]] && line=${line//"${!name}"/"\$$name"}
    done
    echo "${line% }" >>"$COMMANDS"
}
# Runs a command and records its command line.
run() {
    record "$@"
    "$@"
}

SERVER_PID=""
stop_server() {
    if [[ -n "$SERVER_PID" ]]; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        SERVER_PID=""
    fi
}
BENCH_DATABASE=""
cleanup() {
    stop_server
    # What the server complained about (RUST_LOG=warn: warnings and errors only), before its folder goes.
    if [[ -s "$WORK/server.log" ]]; then
        echo "server warnings and errors (last 20 of $(wc -l <"$WORK/server.log") lines):" >&2
        tail -n 20 "$WORK/server.log" >&2
    fi
    if [[ -n "$BENCH_DATABASE" ]]; then
        psql "$DATABASE_URL" -qc "DROP DATABASE IF EXISTS $BENCH_DATABASE WITH (FORCE)" >/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- Build --------------------------------------------------------------------------------------------------------

log "Building (release)"
run cargo build --release --bin tessera --example loadgen
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
TESSERA="$TARGET_DIR/release/tessera"
LOADGEN="$TARGET_DIR/release/examples/loadgen"

# --- The server ---------------------------------------------------------------------------------------------------

export RUST_LOG=warn
export TESSERA_WORKERS=1
export TESSERA_BIND="127.0.0.1:$PORT"
export TESSERA_ISSUER="$BASE"
export TESSERA_DATA_DIR="$WORK/data"
# All the load comes from one address, far faster than people sign in: the per-address limit of new authorization
# requests (20/s by default) would measure itself instead of the server.
export TESSERA_AUTHORIZATION_REQUESTS_PER_SECOND=0
# One key ring per algorithm; RS256 first, so it signs everything that names no algorithm (paths 1 to 5 as before).
export TESSERA_SIGNING_ALGS=RS256,ES256,EdDSA
if [[ -n "${DATABASE_URL:-}" ]]; then
    BENCH_DATABASE="tessera_bench_$$"
    MASKS+=(DATABASE_URL)
    run psql "$DATABASE_URL" -qc "CREATE DATABASE $BENCH_DATABASE"
    # The same server and role, our database: replace the path of the URL (and keep its query).
    TESSERA_DATABASE_URL=$(sed -E "s#^(postgres(ql)?://[^/?]*)(/[^?]*)?#\1/$BENCH_DATABASE#" <<<"$DATABASE_URL")
    export TESSERA_DATABASE_URL
    BACKEND="PostgreSQL (database $BENCH_DATABASE, created for this run)"
else
    BACKEND="SQLite ($TESSERA_DATA_DIR)"
fi

listening "$PORT" && die "something already listens on port $PORT (set PORT)"

discovery_ok() { curl -fsS -o /dev/null "$BASE/.well-known/openid-configuration" 2>/dev/null; }

start_server() {
    record taskset -c "$SERVER_CPU" "$TESSERA" serve
    taskset -c "$SERVER_CPU" "$TESSERA" serve >>"$WORK/server.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 300); do
        discovery_ok && return 0
        kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; die "the server exited"; }
        sleep 0.1
    done
    die "the server did not answer within 30 s"
}

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$SERVER_PID/status"; }
# The server's CPU time so far (user + system, every thread), in clock ticks: fields 14 and 15 of /proc/PID/stat,
# counted after the command name, which ends at the last ')'.
CLOCK_TICKS=$(getconf CLK_TCK)
cpu_ticks() { sed -E 's/.*\) //' "/proc/$SERVER_PID/stat" | awk '{ print $12 + $13 }'; }
# loadgen's output without its RESULT lines (which this script reads).
show() { grep -v '^RESULT' || true; }
# The settings the server ran with, a PostgreSQL password hidden.
print_environment() {
    env | grep -E '^(TESSERA_|RUST_LOG=)' | sort | sed -E 's#(://[^:/@]*):[^@/]*@#\1:***@#; s/^/export /'
}

# openssl_rates < OUTPUT: "SIGN_PER_S VERIFY_PER_S" from `openssl speed rsa2048`, by the columns named sign/s and
# verify/s (OpenSSL 3.2+ adds encrypt/decrypt columns; the names say where they are).
openssl_rates() {
    awk '
        / sign\/s / { for (i = 1; i <= NF; i++) { if ($i == "sign/s") s = i; if ($i == "verify/s") v = i } }
        /^rsa +2048 +bits/ && s { print $(s + 3), $(v + 3) }'
}

# --- The limits of the server's core ------------------------------------------------------------------------------

if [[ -z "$SOAK_MINUTES" ]]; then
    log "RSA-2048 signatures on core $SERVER_CPU (openssl speed, ${OPENSSL_SECONDS} s)"
    OPENSSL_OUT=$(run taskset -c "$SERVER_CPU" openssl speed -seconds "$OPENSSL_SECONDS" rsa2048 2>/dev/null)
    grep -E 'sign/s|^rsa' <<<"$OPENSSL_OUT"
    read -r SIGN_PER_S VERIFY_PER_S < <(openssl_rates <<<"$OPENSSL_OUT")
    [[ -n "$SIGN_PER_S" ]] || die "could not read sign/s from openssl speed"

    log "argon2id verifications on core $SERVER_CPU (loadgen argon2: tessera::secrets at the server's cost)"
    ARGON2_OUT=$(run taskset -c "$SERVER_CPU" "$LOADGEN" argon2 --iterations 50)
    show <<<"$ARGON2_OUT"

    # Tessera's own signer (aws-lc-rs) beside openssl's: what separates a path from the openssl limit that is not
    # the server's overhead.
    log "Tessera's RS256 signer on core $SERVER_CPU (loadgen sign, CPU time)"
    SIGNER_OUT=$(run taskset -c "$SERVER_CPU" "$LOADGEN" sign)
    show <<<"$SIGNER_OUT"
fi

# --- A client and users -------------------------------------------------------------------------------------------

log "Provisioning on $BACKEND"
run "$TESSERA" --quiet migrate
# New passwords must be hard to guess (zxcvbn): random words of hex are.
BENCH_PASSWORD="bench $(openssl rand -hex 12) $(openssl rand -hex 12) passphrase"
export BENCH_PASSWORD
MASKS+=(BENCH_PASSWORD)
# One user per login worker: Tessera counts each sign-in attempt as a failure until its password has been checked
# (brute-force throttling), so more than four concurrent logins of one account from one address are refused, the
# right password or not. (Across accounts an address has 30 attempts in flight before it is slowed down: keep
# LOGIN_CONCURRENCY below that.)
LOGIN_USERS=()
for i in $(seq -w 1 "$LOGIN_CONCURRENCY"); do
    LOGIN_USERS+=("alice$i")
    printf '%s\n' "$BENCH_PASSWORD" |
        "$TESSERA" user add "alice$i" --email "alice$i@example.com" --password-stdin >/dev/null
done
printf 'for i in $(seq -w 1 %s); do %s user add alice$i --email alice$i@example.com --password-stdin; done\n' \
    "$LOGIN_CONCURRENCY" "$TESSERA" >>"$COMMANDS"
CLIENT_JSON=$(run "$TESSERA" client add --id bench --redirect-uri "$REDIRECT_URI" \
    --grant-types authorization_code,refresh_token,client_credentials --scope "bench:read bench:es256 bench:eddsa" \
    --skip-consent --json)
# Two APIs whose access tokens are signed with ES256 and EdDSA (paths 1b and 1c).
run "$TESSERA" resource add --id https://es256.bench.example --scope bench:es256 \
    --access-token-signed-response-alg ES256 >/dev/null
run "$TESSERA" resource add --id https://eddsa.bench.example --scope bench:eddsa \
    --access-token-signed-response-alg EdDSA >/dev/null
BENCH_CLIENT_SECRET=$(sed -nE 's/.*"client_secret": *"([^"]+)".*/\1/p' <<<"$CLIENT_JSON")
[[ -n "$BENCH_CLIENT_SECRET" ]] || die "no client_secret in: $CLIENT_JSON"
BENCH_AUTH=$(printf '%s:%s' bench "$BENCH_CLIENT_SECRET" | base64 -w0)
export BENCH_CLIENT_SECRET BENCH_AUTH
MASKS+=(BENCH_CLIENT_SECRET BENCH_AUTH)
echo "client bench, users ${LOGIN_USERS[0]}…${LOGIN_USERS[-1]} registered"

log "Starting the server on core $SERVER_CPU (TESSERA_WORKERS=1)"
start_server
echo "tessera serve: pid $SERVER_PID, $BASE, RSS $(rss_kib) KiB"

LOADGEN_TARGET=(--base-url "$BASE" --client-id bench)
LOGIN=(--redirect-uri "$REDIRECT_URI")
LOGIN_WORKERS=(--username "$(IFS=,; echo "${LOGIN_USERS[*]}")")

# One summary row per path: name rate p50 p99 errors rss ratio (a dash where nothing applies).
ROWS=()
row() { ROWS+=("$(printf '%s|' "$@")"); }
field() { sed -nE "s/.* $2=([^ ]*).*/\1/p" <<<"$1" | head -1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

# --- Soak: logins only --------------------------------------------------------------------------------------------

if [[ -n "$SOAK_MINUTES" ]]; then
    log "Soak: password logins for $SOAK_MINUTES min at concurrency $LOGIN_CONCURRENCY, server RSS every 30 s"
    # Progress as it comes (a line every 30 s); the whole output kept for the summary.
    run taskset -c "$LOAD_CPU" "$LOADGEN" logins "${LOADGEN_TARGET[@]}" "${LOGIN[@]}" "${LOGIN_WORKERS[@]}" \
        --concurrency "$LOGIN_CONCURRENCY" --minutes "$SOAK_MINUTES" --pid "$SERVER_PID" --rss-every-secs 30 |
        tee "$WORK/soak.out" | { grep --line-buffered -v '^RESULT' || true; }
    result=$(grep '^RESULT logins' "$WORK/soak.out")
    log "Summary"
    echo "logins/s $(field "$result" rate), p50 $(field "$result" p50_ms) ms, p99 $(field "$result" p99_ms) ms," \
        "errors $(field "$result" errors)"
    echo "server RSS: first sample $(field "$result" rss_first_sample_kib) KiB," \
        "last $(field "$result" rss_last_sample_kib) KiB, growth $(field "$result" rss_growth_kib) KiB"
    log "Commands (secrets as the variables that held them)"
    print_environment
    cat "$COMMANDS"
    exit 0
fi

# --- wrk paths ----------------------------------------------------------------------------------------------------

export BENCH_LUA_DIR="$ROOT/benches/load"

# wrk_path NAME SCRIPT PATH [VAR=VALUE…]: one wrk run from LOAD_CPU; sets WRK_RESULT and prints wrk's output.
wrk_path() {
    local name=$1 script=$2 path=$3
    shift 3
    log "$name: wrk, $CONNECTIONS connections, $DURATION"
    local out perf_pid="" perf_data="${PROFILE:-}/$name.perf.data"
    if [[ -n "${PROFILE:-}" ]]; then
        # The server's threads only, sampled on its core while wrk runs; stopped with SIGINT, which writes the file.
        perf record -q -F 999 -p "$SERVER_PID" -o "$perf_data" 2>/dev/null &
        perf_pid=$!
    fi
    local ticks_before
    ticks_before=$(cpu_ticks)
    out=$(run env "$@" taskset -c "$LOAD_CPU" wrk -t1 -c"$CONNECTIONS" -d"$DURATION" -s "$BENCH_LUA_DIR/$script" \
        "$BASE$path") || { echo "$out"; die "wrk failed"; }
    echo "$out"
    if [[ -n "$perf_pid" ]]; then
        kill -INT "$perf_pid" 2>/dev/null || true
        wait "$perf_pid" 2>/dev/null || true
        echo "profile of $name ($perf_data), the top 25 functions by self time:"
        perf report -i "$perf_data" --no-children --stdio --sort dso,symbol 2>/dev/null |
            awk '/^ +[0-9.]+%/ && n++ < 25 { sub(/[ -]+$/, ""); print }'
    fi
    WRK_RESULT=$(grep '^RESULT wrk' <<<"$out") || die "no result from wrk"
    # The server's CPU per successful response: on a machine that also runs other work, the rate falls with the
    # time the server's core was taken away, while the CPU per response does not.
    WRK_CPU_US=$(awk -v t="$(($(cpu_ticks) - ticks_before))" -v hz="$CLOCK_TICKS" -v ok="$(field "$WRK_RESULT" ok)" \
        'BEGIN { if (ok > 0) printf "%.0f", t / hz * 1e6 / ok; else print "-" }')
    WRK_EXTRA=$(grep '^RESULT refresh' <<<"$out" || true)
    WRK_RSS=$(rss_kib)
    echo "server RSS after $name: $WRK_RSS KiB, CPU per response: $WRK_CPU_US µs"
}

wrk_row() { # NAME RATIO [CPU_RATIO]
    row "$1" "$(field "$WRK_RESULT" rate)" "$(field "$WRK_RESULT" p50_ms)" "$(field "$WRK_RESULT" p99_ms)" \
        "$(field "$WRK_RESULT" errors)" "$WRK_RSS" "$WRK_CPU_US" "$2${3:+ (CPU: $3)}"
}
# openssl speed divides by its CPU user time: the CPU time of one operation, in µs, to compare with the server's.
cpu_ratio() { # OPERATIONS_PER_RESPONSE OPENSSL_PER_S
    awk -v n="$1" -v s="$2" -v c="$WRK_CPU_US" 'BEGIN { if (c > 0 && s > 0) printf "%.2f", n * 1e6 / s / c; else print "-" }'
}

# The refresh tokens for path 2, first: the password logins this takes grow the server's memory (each argon2id check
# holds 19 MiB), and that growth belongs to no path.
log "Seeding $((CONNECTIONS * 2)) refresh tokens for the refresh_token path (a password login per user, then SSO)"
run taskset -c "$LOAD_CPU" "$LOADGEN" seed-refresh-tokens "${LOADGEN_TARGET[@]}" "${LOGIN[@]}" "${LOGIN_WORKERS[@]}" \
    --count $((CONNECTIONS * 2)) --output "$WORK/refresh-tokens" | show
echo "server RSS after seeding: $(rss_kib) KiB"

# A machine's speed can drift within a run (a virtual machine shares its physical cores with its neighbours): each
# RS256 path is compared with openssl's sign/s measured on the server's core just before and just after it, the mean
# of the two, rather than with the figure from the start of the run.
record taskset -c "$SERVER_CPU" openssl speed -seconds 2 rsa2048
sign_rate_now() {
    taskset -c "$SERVER_CPU" openssl speed -seconds 2 rsa2048 2>/dev/null | openssl_rates | cut -d' ' -f1
}
near_before() { NEAR_BEFORE=$(sign_rate_now); }
near_after() { # NAME: sets NEAR_SIGN_PER_S
    local after
    after=$(sign_rate_now)
    [[ -n "$NEAR_BEFORE" && -n "$after" ]] || die "could not read sign/s from openssl speed"
    NEAR_SIGN_PER_S=$(awk -v a="$NEAR_BEFORE" -v b="$after" 'BEGIN { printf "%.1f", (a + b) / 2 }')
    echo "openssl on core $SERVER_CPU around $1: $NEAR_BEFORE sign/s before, $after after"
}

# 1. client_credentials: one RS256 signature per response.
near_before
wrk_path "client_credentials" request.lua /oauth/token BENCH_METHOD=POST \
    BENCH_BODY="grant_type=client_credentials&scope=bench%3Aread" BENCH_EXPECT='"access_token"'
near_after "client_credentials"
CC_RATE=$(field "$WRK_RESULT" rate)
wrk_row "client_credentials (1 RS256)" "$(ratio "$CC_RATE" "$NEAR_SIGN_PER_S") of sign/s" \
    "$(cpu_ratio 1 "$NEAR_SIGN_PER_S")"
CC_CPU_US=$WRK_CPU_US

# 1b, 1c. client_credentials for a resource whose access tokens are ES256 or EdDSA: the same request but one
# signature far cheaper than RSA-2048's; compared with path 1 by rate and by the server's CPU per response.
for alg in ES256 EdDSA; do
    lower=$(tr '[:upper:]' '[:lower:]' <<<"$alg")
    wrk_path "client_credentials_$lower" request.lua /oauth/token BENCH_METHOD=POST \
        BENCH_BODY="grant_type=client_credentials&scope=bench%3A$lower&resource=https%3A%2F%2F$lower.bench.example" \
        BENCH_EXPECT='"access_token"'
    wrk_row "client_credentials (1 $alg)" "$(ratio "$(field "$WRK_RESULT" rate)" "$CC_RATE") x RS256's rate" \
        "$(ratio "$CC_CPU_US" "$WRK_CPU_US") x less CPU"
done

# 2. refresh_token: two signatures (access token and ID token); each refresh token from a code exchange (seeded
# above), sent once.
near_before
wrk_path "refresh_token" refresh.lua /oauth/token BENCH_REFRESH_TOKENS="$WORK/refresh-tokens" \
    BENCH_EXPECT='"id_token"'
near_after "refresh_token"
echo "refresh tokens: $(field "$WRK_EXTRA" popped) sent, $(field "$WRK_EXTRA" pushed) successors received" \
    "(the difference: failures and requests in flight when wrk stopped), $(field "$WRK_EXTRA" starved) requests" \
    "without a token, $(field "$WRK_EXTRA" reused) sent twice"
[[ "$(field "$WRK_EXTRA" reused)" == 0 ]] || die "a refresh token was sent twice: the run is invalid"
HALF_SIGN_PER_S=$(awk -v s="$NEAR_SIGN_PER_S" 'BEGIN { print s / 2 }')
wrk_row "refresh_token (2 RS256)" "$(ratio "$(field "$WRK_RESULT" rate)" "$HALF_SIGN_PER_S") of sign/s÷2" \
    "$(cpu_ratio 2 "$NEAR_SIGN_PER_S")"

# 3. Introspection of a JWT access token from the client_credentials grant.
ACCESS_TOKEN=$(run curl -fsS -u "bench:$BENCH_CLIENT_SECRET" -d grant_type=client_credentials -d scope=bench:read \
    "$BASE/oauth/token" | sed -nE 's/.*"access_token":"([^"]+)".*/\1/p')
[[ -n "$ACCESS_TOKEN" ]] || die "no access token from client_credentials"
MASKS+=(ACCESS_TOKEN)
wrk_path "introspection" request.lua /oauth/introspect BENCH_METHOD=POST BENCH_BODY="token=$ACCESS_TOKEN" \
    BENCH_EXPECT='"active":true'
wrk_row "introspection (1 RS256 verify)" "$(ratio "$(field "$WRK_RESULT" rate)" "$VERIFY_PER_S") of verify/s" \
    "$(cpu_ratio 1 "$VERIFY_PER_S")"

# 4. Discovery and JWKS: served from memory; these mostly measure wrk.
wrk_path "discovery" request.lua /.well-known/openid-configuration BENCH_EXPECT='"issuer"'
wrk_row "discovery" "-"
wrk_path "jwks" request.lua /.well-known/jwks.json BENCH_EXPECT='"keys"'
wrk_row "jwks" "-"

# 5. Token endpoint latency at 80% of its maximum rate, open loop.
OPEN_RATE=$(awk -v r="$CC_RATE" 'BEGIN { printf "%.0f", r * 0.8 }')
log "client_credentials open loop at 80% of $CC_RATE/s = $OPEN_RATE/s for $DURATION (loadgen openloop)"
OUT=$(run taskset -c "$LOAD_CPU" "$LOADGEN" openloop "${LOADGEN_TARGET[@]}" --rate "$OPEN_RATE" \
    --duration-secs "$DURATION_SECONDS")
show <<<"$OUT"
result=$(grep '^RESULT openloop' <<<"$OUT")
row "client_credentials @80% open loop" "$OPEN_RATE" "$(field "$result" p50_ms)" "$(field "$result" p99_ms)" \
    "$(field "$result" errors)" "$(rss_kib)" "-" "-"

# 6. Password logins, the whole flow, a fresh cookie jar each.
log "Password logins: $LOGINS at concurrency $LOGIN_CONCURRENCY (loadgen logins)"
# As for the RS256 paths, the argon2 limit they are compared with is measured just before and just after them.
argon2_rate_now() {
    field "$(taskset -c "$SERVER_CPU" "$LOADGEN" argon2 --iterations 20 | grep '^RESULT argon2')" per_second
}
ARGON2_BEFORE=$(argon2_rate_now)
OUT=$(run taskset -c "$LOAD_CPU" "$LOADGEN" logins "${LOADGEN_TARGET[@]}" "${LOGIN[@]}" "${LOGIN_WORKERS[@]}" \
    --concurrency "$LOGIN_CONCURRENCY" --count "$LOGINS" --pid "$SERVER_PID")
ARGON2_AFTER=$(argon2_rate_now)
record taskset -c "$SERVER_CPU" "$LOADGEN" argon2 --iterations 20
show <<<"$OUT"
echo "argon2id on core $SERVER_CPU around the logins: $ARGON2_BEFORE verifications/s before, $ARGON2_AFTER after"
result=$(grep '^RESULT logins' <<<"$OUT")
NEAR_ARGON2_PER_S=$(awk -v a="$ARGON2_BEFORE" -v b="$ARGON2_AFTER" 'BEGIN { printf "%.2f", (a + b) / 2 }')
ARGON2_PER_S=$(field "$(grep '^RESULT argon2' <<<"$ARGON2_OUT")" per_second)
SIGNER_PER_S=$(field "$(grep '^RESULT sign' <<<"$SIGNER_OUT")" per_second)
row "password login (full flow)" "$(field "$result" rate)" "$(field "$result" p50_ms)" "$(field "$result" p99_ms)" \
    "$(field "$result" errors)" "$(field "$result" rss_before_kib)→$(field "$result" rss_after_kib)" "-" \
    "$(ratio "$(field "$result" rate)" "$NEAR_ARGON2_PER_S") of argon2/s"

# 7. Start to first discovery 200, on the database the runs above filled.
stop_server
log "Start to first discovery 200 (loadgen startup, median of 5 starts)"
OUT=$(run taskset -c "$LOAD_CPU" "$LOADGEN" startup --url "$BASE/.well-known/openid-configuration" --runs 5 \
    -- taskset -c "$SERVER_CPU" "$TESSERA" serve)
show <<<"$OUT"
row "startup to first discovery 200" "-" "$(field "$(grep '^RESULT startup' <<<"$OUT")" median_ms)" "-" "-" "-" "-" "-"

# --- Summary ------------------------------------------------------------------------------------------------------

log "Summary: $BACKEND"
echo "server on core $SERVER_CPU, 1 worker; load on core $LOAD_CPU; $CONNECTIONS connections, $DURATION per path"
printf 'core %s limits: openssl rsa2048 %s sign/s, %s verify/s; argon2id %s verifications/s\n' \
    "$SERVER_CPU" "$SIGN_PER_S" "$VERIFY_PER_S" "$ARGON2_PER_S"
echo "Tessera's own RS256 signer: $SIGNER_PER_S tokens per CPU second ($(ratio "$SIGNER_PER_S" "$SIGN_PER_S") of openssl)"
TABLE_LINE='%-34s | %10s | %9s | %9s | %6s | %15s | %8s | %s\n'
# shellcheck disable=SC2059 # the format is ours
{
    printf "\n$TABLE_LINE" path "rate (/s)" "p50 (ms)" "p99 (ms)" errors "RSS (KiB)" "CPU (µs)" ratio
    printf "$TABLE_LINE" "" "" "" "" "" "" "" "--------------------" | tr ' |' '-+'
    for r in "${ROWS[@]}"; do
        IFS='|' read -r name rate p50 p99 errors rss cpu ratio <<<"$r"
        printf "$TABLE_LINE" "$name" "$rate" "$p50" "$p99" "$errors" "$rss" "$cpu" "$ratio"
    done
}
echo
echo "rate: successful responses per second (a 200 with the expected body); the open-loop row gives its target rate."
echo "CPU: the server's CPU time (all threads) per successful response; the ratio in parentheses compares it with"
echo "  openssl's CPU time per operation (what the rate ratio would be on a core that runs nothing else)."
echo "RS256 rows and logins: compared with openssl's sign/s or argon2's rate measured just before and after that"
echo "  path (the mean; printed above with the path), not with the limits line, which is the start of the run."
echo "startup: its median is in the p50 column."

log "Commands (secrets as the variables that held them)"
print_environment
cat "$COMMANDS"
