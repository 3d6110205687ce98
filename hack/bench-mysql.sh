#!/usr/bin/env bash
# Benchmark of the MySQL service (prints numbers; not a test), on a dev control plane and an
# operator of its own, torn down at the end:
#  1. replication lag of a MysqlService (master 1, slaves 1, local cloud) under a steady write
#     load: RATE inserts/s of ROW_BYTES-byte rows for DURATION s from one client process (one
#     connection). Every SAMPLE_MS the slave is asked for its clock and its newest row; the lag
#     of a sample is how long the oldest row the slave does not have yet has been on the master
#     (0 when it has every row), from the master's NOW(6) in each row (one host, one clock).
#     The slave's Seconds_Behind_Master is sampled alongside.
#  2. time to add a slave holding DATA_MB MiB: the master's data grown to DATA_MB MiB
#     (information_schema), then `kubectl scale --replicas=2`, timed until the service is RUNNING
#     with status.replicas=2 (the new slave seeded from the master and replicating); the new
#     slave's row counts and table checksums are compared with the master's.
#
# Environment: RATE (200), DURATION (30), ROW_BYTES (1000), SAMPLE_MS (500), DATA_MB (100),
# CONPAAS_BENCH_MYSQL_APISERVER_PORT (19443), CONPAAS_BENCH_MYSQL_ETCD_PORT (15379).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$CONPAAS_ROOT"

RATE="${RATE:-200}"
DURATION="${DURATION:-30}"
ROW_BYTES="${ROW_BYTES:-1000}"
SAMPLE_MS="${SAMPLE_MS:-500}"
DATA_MB="${DATA_MB:-100}"
NS=conpaas-bench-mysql
SVC=bench-db
export CONPAAS_DEV_CLUSTER_DIR="$CONPAAS_CACHE/bench-mysql-cluster"
export CONPAAS_APISERVER_PORT="${CONPAAS_BENCH_MYSQL_APISERVER_PORT:-19443}"
export CONPAAS_ETCD_PORT="${CONPAAS_BENCH_MYSQL_ETCD_PORT:-15379}"
# Short names: an agent's mariadbd socket is <local cloud>/<Cloud>/<VM>/<role>/server/mariadbd.sock,
# and mariadbd refuses to start when that path exceeds 107 bytes (sun_path).
export CONPAAS_OPERATOR_DIR="$CONPAAS_CACHE/bench-mysql-op"
export CONPAAS_NAMESPACES="$NS"
CLOUD=bm
LOCAL_CLOUD_DIR="$(local_cloud_dir "$CONPAAS_OPERATOR_DIR")"
sock="$LOCAL_CLOUD_DIR/$CLOUD/local-0123456789ab/slaves/server/mariadbd.sock"
((${#sock} <= 107)) || die "$sock is ${#sock} bytes, mariadbd takes at most 107: set a shorter CONPAAS_CACHE"
WORK="$(mktemp -d /tmp/conpaas-bench-mysql.XXXXXX)"
CNF="$WORK/client.cnf"
CLUSTER_UP=""
WATCH_PID=""

# Stops what a pid file under the local cloud names (agents, their mariadbd) if it still runs from
# there: what deleting the service did not release, or what an interrupted run left.
stop_leftovers() {
  [[ -d "$LOCAL_CLOUD_DIR" ]] || return 0
  local f pid pids=()
  while IFS= read -r f; do
    pid=$(cat "$f" 2>/dev/null) || continue
    [[ "$pid" =~ ^[0-9]+$ ]] || continue
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$LOCAL_CLOUD_DIR" || continue
    kill "$pid" 2>/dev/null && pids+=("$pid")
  done < <(find "$LOCAL_CLOUD_DIR" \( -name pid -o -name mariadbd.pid \) -type f 2>/dev/null)
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$pid" 2>/dev/null || true
  done
}

cleanup() {
  local rc=$?
  [[ -n "$WATCH_PID" ]] && kill "$WATCH_PID" 2>/dev/null
  if [[ -n "$CLUSTER_UP" ]]; then
    # Through the operator first: slaves detach and every agent (and its mariadbd) is released.
    kubectl -n "$NS" delete mysqlservice "$SVC" --ignore-not-found --wait=true --timeout=120s >/dev/null 2>&1 || true
  fi
  if ((rc != 0)); then
    log "failed (exit $rc); last lines of $CONPAAS_OPERATOR_DIR/operator.log:"
    tail -n 15 "$CONPAAS_OPERATOR_DIR/operator.log" >&2 2>/dev/null || true
  fi
  hack/operator.sh stop >/dev/null 2>&1 || true
  stop_leftovers
  hack/dev-cluster.sh down >/dev/null 2>&1 || true
  rm -rf "$LOCAL_CLOUD_DIR" "$WORK"
}
trap cleanup EXIT

# SQL as mysqladb on host:port $1 (the password only in the 600 defaults file); more mariadb
# arguments follow, e.g. -e "...".
sql() {
  local hp=$1
  shift
  mariadb --defaults-extra-file="$CNF" --protocol=TCP -h "${hp%:*}" -P "${hp##*:}" --batch --skip-column-names "$@"
}
# "name host:port" of each slave agent.
slave_agents() {
  kubectl -n "$NS" get agents -l "conpaas.io/service=$SVC,conpaas.io/role=slaves" \
    -o jsonpath='{range .items[*]}{.metadata.name} 127.0.0.1:{.status.facts.port}{"\n"}{end}'
}
# MiB the tables of schema bench take on host:port $1 (information_schema, after fresh statistics).
bench_mib() {
  local t
  for t in $(sql "$1" -e "SELECT table_name FROM information_schema.TABLES WHERE table_schema = 'bench'"); do
    sql "$1" -e "ANALYZE LOCAL TABLE bench.$t" >/dev/null
  done
  sql "$1" -e "SELECT ROUND(SUM(data_length + index_length) / 1048576, 1) FROM information_schema.TABLES
    WHERE table_schema = 'bench'"
}
# Waits until host:port $2 has as many rows in table $1 as the master; prints the seconds it took.
await_rows() {
  local table=$1 hp=$2 want t0
  want=$(sql "$MASTER" -e "SELECT COUNT(*) FROM bench.$table")
  t0=$(now_ms)
  for _ in $(seq 1 1200); do
    [[ "$(sql "$hp" -e "SELECT COUNT(*) FROM bench.$table" 2>/dev/null)" == "$want" ]] && {
      awk -v ms=$(($(now_ms) - t0)) 'BEGIN { printf "%.1f", ms / 1000 }'
      return
    }
    sleep 0.1
  done
  die "$hp does not have the master's $want rows of bench.$table after 120 s"
}

ensure_built
# A previous run's leftovers (this script's own cluster, operator and local cloud only).
hack/operator.sh stop >/dev/null 2>&1 || true
hack/dev-cluster.sh down >/dev/null 2>&1 || true
stop_leftovers
rm -rf "$LOCAL_CLOUD_DIR"
cluster_with_crds
CLUSTER_UP=yes
hack/operator.sh start

kubectl create namespace "$NS" >/dev/null
t0=$(now_ms)
kubectl apply -f - >/dev/null <<YAML
apiVersion: conpaas.io/v1alpha1
kind: Cloud
metadata: {name: $CLOUD}
spec: {provider: local}
---
apiVersion: conpaas.io/v1alpha1
kind: Application
metadata: {name: bench, namespace: $NS}
spec: {cloud: $CLOUD}
---
apiVersion: conpaas.io/v1alpha1
kind: MysqlService
metadata: {name: $SVC, namespace: $NS}
spec: {application: bench, master: {nodes: 1}, slaves: {nodes: 1}}
YAML
for _ in $(seq 1 300); do
  state=$(kubectl -n "$NS" get mysqlservice "$SVC" -o jsonpath='{.status.state}')
  [[ "$state" == RUNNING ]] && break
  [[ "$state" == ERROR ]] && die "$SVC: $(kubectl -n "$NS" get mysqlservice "$SVC" -o jsonpath='{.status.message}')"
  sleep 1
done
[[ "$state" == RUNNING ]] || die "$SVC not RUNNING after 300 s: $(kubectl -n "$NS" get mysqlservice "$SVC" \
  -o jsonpath='{.status.message}')"
t_running=$(($(now_ms) - t0))

MASTER=$(kubectl -n "$NS" get mysqlservice "$SVC" -o jsonpath='{.status.endpoints[0].url}')
SLAVE=$(slave_agents | awk 'NR == 1 {print $2}')
SLAVE_NAME=$(slave_agents | awk 'NR == 1 {print $1}')
PASSWORD=$(kubectl -n "$NS" get secret "$SVC-mysql" -o jsonpath='{.data.password}' | base64 -d)
(umask 077 && printf '[client]\nuser=mysqladb\npassword="%s"\n' "$PASSWORD" > "$CNF")
unset PASSWORD

echo "MySQL service on the local cloud ($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start)"
awk -v ms="$t_running" 'BEGIN { printf "  apply -> RUNNING (master + 1 slave): %.1f s\n", ms / 1000 }'

# --- 1. replication lag under a steady write load ------------------------------------------------
sql "$MASTER" -e "CREATE DATABASE bench; CREATE TABLE bench.load_rows (id BIGINT AUTO_INCREMENT PRIMARY KEY,
  t_us BIGINT NOT NULL, payload VARCHAR($ROW_BYTES) NOT NULL)"
await_rows load_rows "$SLAVE" >/dev/null

python3 - "$CNF" "$MASTER" "$SLAVE" "$RATE" "$DURATION" "$ROW_BYTES" "$SAMPLE_MS" <<'PY'
import bisect, resource, subprocess, sys, threading, time

cnf, master, slave = sys.argv[1:4]
rate, duration, row_bytes, sample_ms = (int(a) for a in sys.argv[4:8])


def client(hp, *args):
    host, port = hp.rsplit(":", 1)
    return ["mariadb", "--defaults-extra-file=" + cnf, "--protocol=TCP", "-h", host, "-P", port, "--batch", *args]


def query(hp, sql):
    out = subprocess.run(client(hp, "-e", sql), check=True, capture_output=True, text=True).stdout
    return out.splitlines()


# The writer: one mariadb client, one connection, fed one autocommitted INSERT at a time on a
# fixed schedule. t_us is the master's clock when the row is written (ROW binlog: the slave gets
# the value, not the expression).
stmt = ("INSERT INTO load_rows (t_us, payload) VALUES (CAST(UNIX_TIMESTAMP(NOW(6)) * 1000000 AS SIGNED), "
        "REPEAT('x', %d));\n" % row_bytes).encode()
total = rate * duration
writer_result = {}


def write():
    p = subprocess.Popen(client(master, "bench"), stdin=subprocess.PIPE, stderr=subprocess.PIPE)
    start = time.monotonic()
    late = 0.0
    try:
        for i in range(total):
            delay = start + i / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            else:
                late = max(late, -delay)
            p.stdin.write(stmt)
            p.stdin.flush()
        p.stdin.close()
    except BrokenPipeError:
        pass
    err = p.stderr.read().decode(errors="replace")
    writer_result.update(rc=p.wait(), err=err, end=time.monotonic(), late=late)


t0 = time.monotonic()
writer = threading.Thread(target=write)
writer.start()

# The sampler: the slave's clock, its newest row and Seconds_Behind_Master, every sample_ms.
samples = []  # (slave now in us, newest id on the slave or None, Seconds_Behind_Master or None)
sample_sql = ("SELECT CAST(UNIX_TIMESTAMP(NOW(6)) * 1000000 AS SIGNED) AS now_us, "
              "(SELECT MAX(id) FROM bench.load_rows) AS newest; SHOW SLAVE STATUS")
k = 1
while True:
    at = t0 + k * sample_ms / 1000
    if at > t0 + duration:
        break
    delay = at - time.monotonic()
    if delay > 0:
        time.sleep(delay)
    lines = query(slave, sample_sql)
    now_us, newest = lines[1].split("\t")
    header, row = lines[2].split("\t"), lines[3].split("\t")
    sbm = row[header.index("Seconds_Behind_Master")]
    samples.append((int(now_us), None if newest == "NULL" else int(newest), None if sbm == "NULL" else int(sbm)))
    k += 1
writer.join()
if writer_result["rc"] != 0:
    sys.exit("the writer failed: " + writer_result["err"].strip())

# Catching up once every insert is committed (the writer's client has exited).
last_id = int(query(master, "SELECT MAX(id) FROM bench.load_rows")[1])
while int(query(slave, "SELECT COALESCE(MAX(id), 0) FROM bench.load_rows")[1]) < last_id:
    time.sleep(0.02)
caught_up_ms = (time.monotonic() - writer_result["end"]) * 1000

rows = [tuple(int(v) for v in l.split("\t")) for l in query(master, "SELECT id, t_us FROM bench.load_rows ORDER BY id")[1:]]
ids = [r[0] for r in rows]
span_s = (rows[-1][1] - rows[0][1]) / 1e6
gaps = [(b[1] - a[1]) / 1000 for a, b in zip(rows, rows[1:])]
lags = []
for now_us, newest, _ in samples:
    # The oldest row the slave does not have: its age on the master is the lag (0 when none is missing).
    i = 0 if newest is None else bisect.bisect_right(ids, newest)
    lags.append(max(0.0, (now_us - rows[i][1]) / 1000) if i < len(rows) and rows[i][1] <= now_us else 0.0)
sbms = [s[2] for s in samples if s[2] is not None]


def pct(values, p):
    v = sorted(values)
    return v[max(0, min(len(v) - 1, -(-len(v) * p // 100) - 1))] if v else float("nan")


me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime
wall = writer_result["end"] - t0
print(f"  1. replication lag, {rate} inserts/s of {row_bytes}-byte rows for {duration} s (one client process, "
      f"one connection, autocommit)")
print(f"     achieved: {len(rows)} rows on the master within {span_s:.1f} s = {(len(rows) - 1) / span_s:.1f} inserts/s; "
      f"largest gap between two inserts {max(gaps):.0f} ms, writer at most {writer_result['late'] * 1000:.0f} ms "
      f"behind schedule")
print(f"     client CPU (writer + sampler, with their mariadb clients): {cpu:.1f} s in {wall:.1f} s "
      f"({100 * cpu / wall:.0f}% of one core)")
print(f"     lag, {len(lags)} samples every {sample_ms} ms: median {pct(lags, 50):.0f} ms, p95 {pct(lags, 95):.0f} ms, "
      f"max {pct(lags, 100):.0f} ms ({sum(1 for l in lags if l == 0)} samples with every row already there)")
print(f"     Seconds_Behind_Master, same samples: median {pct(sbms, 50)}, p95 {pct(sbms, 95)}, max {pct(sbms, 100)} s")
print(f"     slave had every row {caught_up_ms:.0f} ms after the last insert was committed")
PY

# --- 2. time to add a slave holding DATA_MB MiB --------------------------------------------------
t0=$(now_ms)
sql "$MASTER" bench -e "CREATE TABLE bulk (id BIGINT AUTO_INCREMENT PRIMARY KEY, payload VARCHAR(1024) NOT NULL);
  INSERT INTO bulk (payload) SELECT REPEAT(MD5(seq), 31) FROM seq_1_to_1024"
for _ in $(seq 1 40); do
  mib=$(bench_mib "$MASTER")
  awk -v m="$mib" -v t="$DATA_MB" 'BEGIN { exit !(m >= t) }' && break
  # Double the table, or add the rows still missing (at the MiB per row the table has now).
  add=$(sql "$MASTER" -e "SELECT LEAST(COUNT(*), CEIL(($DATA_MB - $mib) * 1048576 * COUNT(*)
    / (SELECT data_length + index_length FROM information_schema.TABLES
       WHERE table_schema = 'bench' AND table_name = 'bulk')) + 64) FROM bench.bulk")
  sql "$MASTER" bench -e "INSERT INTO bulk (payload) SELECT payload FROM bulk LIMIT $add"
done
t_grow=$(($(now_ms) - t0))
bulk_rows=$(sql "$MASTER" -e "SELECT COUNT(*) FROM bench.bulk")
all_mib=$(sql "$MASTER" -e "SELECT ROUND(SUM(data_length + index_length) / 1048576, 1) FROM information_schema.TABLES
  WHERE table_schema NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys')")
binlog_mib=$(sql "$MASTER" -e "SHOW BINARY LOGS" | awk '{ s += $2 } END { printf "%.1f", s / 1048576 }')
slave1_catchup=$(await_rows bulk "$SLAVE")

before=$(slave_agents | awk '{print $1}')
# Each change of a slave agent, timed: name, phase, replicating.
kubectl -n "$NS" get agents -l "conpaas.io/service=$SVC,conpaas.io/role=slaves" --watch-only \
  -o jsonpath='{.metadata.name} {.status.phase} {.status.facts.replicating}{"\n"}' 2>/dev/null \
  > >(while IFS= read -r line; do echo "$EPOCHREALTIME $line"; done > "$WORK/agents.watch") &
WATCH_PID=$!
sleep 1
t0=$(now_ms)
t0_s=$EPOCHREALTIME
kubectl -n "$NS" scale "mysqlservice/$SVC" --replicas=2 >/dev/null
kubectl -n "$NS" wait --for=jsonpath='{.status.replicas}'=2 "mysqlservice/$SVC" --timeout=600s >/dev/null
kubectl -n "$NS" wait --for=jsonpath='{.status.state}'=RUNNING "mysqlservice/$SVC" --timeout=60s >/dev/null
t_scale=$(($(now_ms) - t0))
kill "$WATCH_PID" 2>/dev/null || true
WATCH_PID=""

NEW=$(slave_agents | grep -vwF -f <(echo "$before") | head -1)
NEW_NAME=${NEW%% *}
NEW_HP=${NEW##* }
echo "  2. adding a slave to a master holding ${DATA_MB} MiB"
awk -v ms="$t_grow" -v r="$bulk_rows" -v m="$all_mib" -v b="$binlog_mib" -v c="$slave1_catchup" 'BEGIN {
  printf "     data on the master: %.1f MiB in information_schema (bench.bulk: %d rows), grown in %.1f s; binary logs %.1f MiB; the first slave had it %.1f s later\n", m, r, ms / 1000, b, c }'
awk -v ms="$t_scale" 'BEGIN { printf "     kubectl scale --replicas=2 -> RUNNING with status.replicas=2: %.1f s\n", ms / 1000 }'
# When the new Agent was first seen in each phase, from the watch.
awk -v n="$NEW_NAME" -v t0="$t0_s" '$2 == n {
    phase = NF < 3 ? "created" : $3 ($4 == "true" ? " (replicating)" : "")
    if (!seen[phase]++) { printf "%s%s +%.1f s", sep, phase, $1 - t0; sep = ", " } }
  END { if (sep) print "" }' "$WORK/agents.watch" | sed 's/^/     new agent: /'
# The copy itself, from the new VM's files: credentials arrive, then configure seeds the server
# (mariadb-dump of the master piped into it) and records the master in seeded-from.
vm=$(grep -lx "name=$NEW_NAME" "$LOCAL_CLOUD_DIR/$CLOUD"/*/meta.properties 2>/dev/null | head -1 || true)
if [[ -n "$vm" && -f "${vm%/*}/slaves/seeded-from" && -f "${vm%/*}/slaves/private/credentials.json" ]]; then
  awk -v c="$(stat -c %.3Y "${vm%/*}/slaves/private/credentials.json")" -v s="$(stat -c %.3Y "${vm%/*}/slaves/seeded-from")" \
    -v t0="$t0_s" 'BEGIN { printf "     of which seeding (credentials received -> copy loaded): %.1f s, from +%.1f s to +%.1f s\n", s - c, c - t0, s - t0 }'
fi
for table in bulk load_rows; do
  m=$(sql "$MASTER" -e "SELECT COUNT(*) FROM bench.$table")
  s=$(sql "$NEW_HP" -e "SELECT COUNT(*) FROM bench.$table")
  mc=$(sql "$MASTER" -e "CHECKSUM TABLE bench.$table" | cut -f2)
  sc=$(sql "$NEW_HP" -e "CHECKSUM TABLE bench.$table" | cut -f2)
  printf '     new slave %s: bench.%s %s rows (master %s), checksum %s\n' "$NEW_NAME" "$table" "$s" "$m" \
    "$([[ "$s" == "$m" && "$sc" == "$mc" ]] && echo "equal" || echo "DIFFERENT ($sc vs $mc)")"
done
# What the first slave's Agent status says now (refreshed on every health check).
facts=$(kubectl -n "$NS" get agent "$SLAVE_NAME" -o jsonpath='{.status.facts.replicating} {.status.facts.secondsBehindMaster}')
printf '     status of slave %s: Agent facts replicating %s, secondsBehindMaster %s (the slave: gtid_slave_pos %s)\n' \
  "$SLAVE_NAME" "${facts% *}" "${facts##* }" "$(sql "$SLAVE" -e "SELECT @@gtid_slave_pos")"
