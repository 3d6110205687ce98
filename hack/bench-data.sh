#!/usr/bin/env bash
# Benchmark of the data services (prints numbers, not a test):
#  HDFS (MapReduceService's file system):
#   1. write and read MiB/s of one FILE_MB MiB file with 1 and with 3 DataNodes (replication as the
#      service sets it: spec default 2, never more than the workers: 1 with 1 DataNode, 2 with 3),
#      through WebHDFS with curl (the NameNode's redirect, then the DataNode; as the plugin's hdfs put/get),
#      the read compared byte for byte, against the local disk (dd, fsync'ed write,
#      read of the same file) on the same file system; ratios HDFS / disk.
#   2. decommission time: DECOM_MB MiB in files on 3 DataNodes (replication 2), then the time from
#      excluding the DataNode holding most blocks (dfs.exclude + dfsadmin -refreshNodes, what the master
#      agent does on a scale-down) until the NameNode reports it Decommissioned, and the under-replicated
#      and missing block counts afterwards.
#   The daemons are the service's: the Hadoop jars beside the agent jar (agent-runtime/target/hadoop),
#   the NameNode/DataNode settings of the agent's HadoopConfig (decommission checked every 3 s,
#   re-replication every 1 s), JVMs with the agent's small heaps; run here directly, without the
#   operator, on loopback (one host: the numbers measure the software on these cores and this disk,
#   not a cluster of VMs with a network between them).
#  SeaweedFS (XtreemFsService): the same two measures with the dir and osd agents' daemons (see
#   bench_seaweedfs below), also run directly on loopback; ratios against the disk and against HDFS.
#  Each figure is printed with the 1-minute load average when it was taken (the machine may be shared).
#
# Environment: FILE_MB (256), DECOM_MB (200), ONLY (hdfs|seaweedfs|all, default all),
# CONPAAS_HADOOP_LIB (agent-runtime/target/hadoop), CONPAAS_WEED (default: the binary hack/seaweedfs.sh
# prints, built once and cached).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$CONPAAS_ROOT"

FILE_MB="${FILE_MB:-256}"
DECOM_MB="${DECOM_MB:-200}"
ONLY="${ONLY:-all}"
HADOOP_LIB="${CONPAAS_HADOOP_LIB:-$CONPAAS_ROOT/agent-runtime/target/hadoop}"
HDFS_WEB="$(dirname "$HADOOP_LIB")/hadoop-hdfs-web"
WORK="$(mktemp -d "${CONPAAS_BENCH_DIR:-/tmp}/conpaas-bench-data.XXXXXX")"
PIDS=()

cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

now() { date +%s.%N; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
mibps() { awk -v mb="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.1f", mb / s; else print "n/a" }'; }
load() { cut -d' ' -f1 /proc/loadavg; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# ---------------------------------------------------------------------------------------------
# Local disk: the baseline (same file system as the DataNodes' directories).
DISK_WRITE=""; DISK_READ=""
bench_disk() {
  local f="$WORK/disk.bin" t0 t1
  t0=$(now); dd if=/dev/urandom of="$WORK/src.bin" bs=1M count="$FILE_MB" status=none; t1=$(now)
  t0=$(now); dd if="$WORK/src.bin" of="$f" bs=1M conv=fsync status=none; t1=$(now)
  DISK_WRITE=$(mibps "$FILE_MB" "$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')")
  t0=$(now); dd if="$f" of=/dev/null bs=1M status=none; t1=$(now)
  DISK_READ=$(mibps "$FILE_MB" "$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')")
  rm -f "$f"
  echo "disk: write ${DISK_WRITE} MiB/s (fsync), read ${DISK_READ} MiB/s (page cache likely warm, as for HDFS)"
}

# ---------------------------------------------------------------------------------------------
# HDFS
site() { # name=value ... -> Hadoop configuration XML
  echo '<?xml version="1.0"?><configuration>'
  local kv
  for kv in "$@"; do echo "<property><name>${kv%%=*}</name><value>${kv#*=}</value></property>"; done
  echo '</configuration>'
}

NN_RPC=""; NN_HTTP=""; CONF=""
hadoop_java() { # CLASS ARGS... (a client or daemon JVM with the cluster's configuration)
  java -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED \
    -cp "$CONF:$HDFS_WEB/*:$HADOOP_LIB/*" "$@"
}
# A daemon, run in the background as `hadoop_daemon CLASS ... &`: exec makes the background job the JVM itself,
# so $! is the JVM's pid and stopping it stops the daemon (a function's subshell would leave the JVM behind).
hadoop_daemon() {
  exec java -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED \
    -cp "$CONF:$HDFS_WEB/*:$HADOOP_LIB/*" "$@"
}
jmx() { curl -fsS --max-time 5 "http://127.0.0.1:$NN_HTTP/jmx?qry=$1"; }

# start_hdfs N REPLICATION: a NameNode and N DataNodes in $WORK/hdfs-N.
RUN=0
start_hdfs() {
  RUN=$((RUN + 1))
  local n="$1" repl="$2" dir="$WORK/hdfs-$RUN" i
  NN_RPC=$(free_port); NN_HTTP=$(free_port); CONF="$dir/conf"
  mkdir -p "$CONF"
  : >"$CONF/dfs.exclude"
  site "fs.defaultFS=hdfs://127.0.0.1:$NN_RPC" >"$CONF/core-site.xml"
  site "dfs.replication=$repl" "dfs.namenode.name.dir=file://$dir/name" \
    "dfs.namenode.http-address=127.0.0.1:$NN_HTTP" "dfs.permissions.enabled=false" \
    "dfs.namenode.datanode.registration.ip-hostname-check=false" "dfs.namenode.safemode.extension=0" \
    "dfs.hosts.exclude=$CONF/dfs.exclude" "dfs.namenode.decommission.interval=3" \
    "dfs.namenode.redundancy.interval.seconds=1" "dfs.namenode.heartbeat.recheck-interval=15000" \
    >"$CONF/hdfs-site.xml"
  cp "$CONF/hdfs-site.xml" "$CONF/hdfs-site.base"
  printf 'log4j.rootLogger=WARN,console\nlog4j.appender.console=org.apache.log4j.ConsoleAppender\nlog4j.appender.console.target=System.err\nlog4j.appender.console.layout=org.apache.log4j.PatternLayout\nlog4j.appender.console.layout.ConversionPattern=%%d %%p %%c{2}: %%m%%n\n' >"$CONF/log4j.properties"
  hadoop_java org.apache.hadoop.hdfs.server.namenode.NameNode -format -nonInteractive >"$dir/format.log" 2>&1 \
    || die "formatting the NameNode failed: $(tail -5 "$dir/format.log")"
  hadoop_daemon org.apache.hadoop.hdfs.server.namenode.NameNode >"$dir/namenode.log" 2>&1 &
  PIDS+=($!)
  for ((i = 1; i <= n; i++)); do
    # Each DataNode: its own directory and ports (a configuration directory of its own).
    local dconf="$dir/dn$i/conf"
    mkdir -p "$dconf"
    cp "$CONF/core-site.xml" "$CONF/log4j.properties" "$dconf/"
    site "dfs.replication=$repl" "dfs.datanode.data.dir=file://$dir/dn$i/data" \
      "dfs.datanode.address=127.0.0.1:$(free_port)" "dfs.datanode.http.address=127.0.0.1:$(free_port)" \
      "dfs.datanode.ipc.address=127.0.0.1:$(free_port)" "dfs.permissions.enabled=false" >"$dconf/hdfs-site.xml"
    CONF="$dconf" hadoop_daemon org.apache.hadoop.hdfs.server.datanode.DataNode >"$dir/dn$i.log" 2>&1 &
    PIDS+=($!)
  done
  local deadline=$((SECONDS + 240))
  until jmx "Hadoop:service=NameNode,name=FSNamesystemState" 2>/dev/null | grep -q "\"NumLiveDataNodes\" : $n,"; do
    ((SECONDS < deadline)) || die "HDFS with $n DataNodes did not come up: $(tail -5 "$dir/namenode.log")"
    sleep 1
  done
  until jmx "Hadoop:service=NameNode,name=NameNodeInfo" 2>/dev/null | grep -q '"Safemode" : ""'; do
    ((SECONDS < deadline)) || die "the NameNode stayed in safe mode"
    sleep 1
  done
}

stop_daemons() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  PIDS=()
}

HDFS_RESULTS=()
bench_hdfs_rw() { # N REPLICATION
  local n="$1" repl="$2" t0 t1 w r
  start_hdfs "$n" "$repl"
  # Through WebHDFS with curl (as the plugin's hdfs put/get do): no client JVM start in the figure.
  local nn="http://127.0.0.1:$NN_HTTP/webhdfs/v1/bench.bin" dn
  t0=$(now)
  dn=$(curl -fsS -o /dev/null -w '%{redirect_url}' -X PUT "$nn?op=CREATE&overwrite=true&user.name=bench")
  [[ -n "$dn" ]] || die "the NameNode named no DataNode to write to"
  curl -fsS -o /dev/null -T "$WORK/src.bin" "$dn" || die "writing to HDFS failed"
  t1=$(now)
  w=$(mibps "$FILE_MB" "$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')")
  t0=$(now)
  dn=$(curl -fsS -o /dev/null -w '%{redirect_url}' "$nn?op=OPEN&user.name=bench")
  curl -fsS "$dn" | cmp - "$WORK/src.bin" || die "what HDFS gave back differs from what was put"
  t1=$(now)
  r=$(mibps "$FILE_MB" "$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')")
  echo "hdfs: $n DataNode(s), replication $repl: write $w MiB/s, read $r MiB/s (${FILE_MB} MiB through WebHDFS; load $(load))"
  HDFS_RESULTS+=("$n $repl $w $r")
  stop_daemons
}

bench_hdfs_decommission() {
  start_hdfs 3 2
  # DECOM_MB * 3/2 MiB at replication 2 over 3 DataNodes: each holds about DECOM_MB MiB.
  local files=6 part_mb=$(((DECOM_MB * 3 / 2 + 5) / 6)) i
  head -c $((part_mb << 20)) "$WORK/src.bin" >"$WORK/part.bin"
  [[ $(stat -c %s "$WORK/part.bin") -ge $((part_mb << 20)) ]] \
    || dd if=/dev/urandom of="$WORK/part.bin" bs=1M count="$part_mb" status=none
  hadoop_java org.apache.hadoop.fs.FsShell -mkdir -p /decom >/dev/null 2>&1
  for ((i = 0; i < files; i++)); do
    hadoop_java org.apache.hadoop.fs.FsShell -put -f "$WORK/part.bin" "/decom/part-$i" 2>/dev/null || die "put failed"
  done
  # The DataNode holding the most blocks (NameNodeInfo LiveNodes: xferaddr and numBlocks).
  local target
  target=$(jmx "Hadoop:service=NameNode,name=NameNodeInfo" | python3 -c '
import json, sys
bean = json.load(sys.stdin)["beans"][0]
live = json.loads(bean["LiveNodes"])
best = max(live.values(), key=lambda n: n["numBlocks"])
print(best["xferaddr"], best["numBlocks"], best["usedSpace"])')
  read -r addr blocks used <<<"$target"
  # Each file is one block (part_mb < the 128 MiB block size): blocks x part_mb is what it holds; the
  # DataNode's usedSpace lags (it is refreshed by a periodic disk usage scan).
  ((part_mb > 128)) || used=$(((blocks * part_mb) << 20))
  echo "hdfs decommission: $files files, $((files * part_mb)) MiB, replication 2 on 3 DataNodes; leaving $addr holds $blocks blocks ($((used >> 20)) MiB)"
  echo "$addr" >"$CONF/dfs.exclude"
  local t0 t1
  t0=$(now)
  hadoop_java org.apache.hadoop.hdfs.tools.DFSAdmin -refreshNodes >/dev/null 2>&1 || die "refreshNodes failed"
  local deadline=$((SECONDS + 600))
  until jmx "Hadoop:service=NameNode,name=NameNodeInfo" | python3 -c '
import json, sys
bean = json.load(sys.stdin)["beans"][0]
nodes = json.loads(bean["LiveNodes"])
sys.exit(0 if any(n["xferaddr"] == sys.argv[1] and n["adminState"] == "Decommissioned" for n in nodes.values()) else 1)' "$addr"; do
    ((SECONDS < deadline)) || die "not decommissioned after 600 s"
    sleep 0.5
  done
  t1=$(now)
  local secs fs
  secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}')
  fs=$(jmx "Hadoop:service=NameNode,name=FSNamesystem" | python3 -c '
import json, sys
b = json.load(sys.stdin)["beans"][0]
print(b["UnderReplicatedBlocks"], b["MissingBlocks"])')
  read -r under missing <<<"$fs"
  echo "hdfs decommission: $secs s until Decommissioned ($(mibps "$((used >> 20))" "$secs") MiB/s re-replicated; load $(load)); under-replicated $under, missing $missing"
  HDFS_DECOM="$secs s (it held $((used >> 20)) MiB; under-replicated $under, missing $missing after)"
  stop_daemons
}

bench_hdfs() {
  [[ -f "$(ls "$HADOOP_LIB"/hadoop-hdfs-[0-9]*.jar 2>/dev/null | head -1)" ]] \
    || die "no Hadoop jars in $HADOOP_LIB (build the agent: mvn -B -pl agent-runtime -am package -DskipTests)"
  bench_hdfs_rw 1 1
  bench_hdfs_rw 3 2
  bench_hdfs_decommission
}

# ---------------------------------------------------------------------------------------------
# SeaweedFS (XtreemFsService): the daemons the dir and osd agents run (the cached `weed` of
# hack/seaweedfs.sh), with the service's settings: master with 64 MiB volumes grown one at a time
# (WEED_MASTER_VOLUME_GROWTH_COPY_*=1), a filer beside it, volume servers with 8 volume slots and
# -minFreeSpace=64MiB, each on a loopback address of its own (127.1.x.y from its port, as the osd role
# does: SeaweedFS never puts two replicas on one host). Run directly, without the operator, like HDFS.
#   1. write/read of the FILE_MB MiB file through the filer's HTTP API with curl (PUT, then GET compared
#      byte for byte) with 1 volume server (replication 000) and 3 (001: two copies, as HDFS's 2).
#      A small write first, not timed (the filer's first write waits for its master connection).
#   2. evacuation: DECOM_MB * 3/2 MiB in files at 001 on 3 volume servers; the one holding most leaves
#      as the osd role does it: maintenance mode, then `volumeServer.evacuate -skipNonMoveable -apply`
#      every 2 s until its /status lists no volume; then it is stopped and every file is read back.
WEED=""
SW_MASTER=""; SW_FILER=""; SW_VOLUMES=(); SW_VOLUME_PIDS=()
sw_start() { # N REPLICATION: master + filer + N volume servers in $WORK/seaweed-RUN
  RUN=$((RUN + 1))
  local n="$1" repl="$2" dir="$WORK/seaweed-$RUN" i mport mgrpc fport fgrpc
  mkdir -p "$dir/master" "$dir/filer"
  mport=$(free_port); mgrpc=$(free_port); fport=$(free_port); fgrpc=$(free_port)
  SW_MASTER="127.0.0.1:$mport.$mgrpc"; SW_FILER="127.0.0.1:$fport"; SW_VOLUMES=(); SW_VOLUME_PIDS=()
  WEED_MASTER_VOLUME_GROWTH_COPY_1=1 WEED_MASTER_VOLUME_GROWTH_COPY_2=1 WEED_MASTER_VOLUME_GROWTH_COPY_3=1 \
    WEED_MASTER_VOLUME_GROWTH_COPY_OTHER=1 "$WEED" master -ip=127.0.0.1 -ip.bind=127.0.0.1 -port="$mport" \
    -port.grpc="$mgrpc" -mdir="$dir/master" -peers=none -volumeSizeLimitMB=64 -defaultReplication="$repl" \
    >"$dir/master.log" 2>&1 &
  PIDS+=($!)
  (cd "$dir/filer" && exec "$WEED" filer -master="$SW_MASTER" -ip=127.0.0.1 -ip.bind=127.0.0.1 -port="$fport" \
    -port.grpc="$fgrpc" -defaultStoreDir="$dir/filer") >"$dir/filer.log" 2>&1 &
  PIDS+=($!)
  for ((i = 1; i <= n; i++)); do
    local port grpc host
    port=$(free_port); grpc=$(free_port); host="127.1.$((port >> 8)).$((port & 255))"
    mkdir -p "$dir/vol$i"
    "$WEED" volume -master="$SW_MASTER" -ip="$host" -ip.bind="$host" -port="$port" -port.grpc="$grpc" \
      -dir="$dir/vol$i" -max=8 -minFreeSpace=64MiB -volume.allowUntrustedRemoteEndpoints=true >"$dir/vol$i.log" 2>&1 &
    PIDS+=($!); SW_VOLUME_PIDS+=($!); SW_VOLUMES+=("$host:$port")
  done
  local deadline=$((SECONDS + 120)) v
  for v in "${SW_VOLUMES[@]}"; do
    until curl -fsS --max-time 5 "http://127.0.0.1:$mport/dir/status" 2>/dev/null | grep -q "\"Url\":\"$v\""; do
      ((SECONDS < deadline)) || die "volume server $v did not join the master: $(tail -3 "$dir/master.log")"
      sleep 0.5
    done
  done
  until curl -fsS --max-time 5 -o /dev/null "http://$SW_FILER/" 2>/dev/null; do
    ((SECONDS < deadline)) || die "the filer did not come up: $(tail -3 "$dir/filer.log")"
    sleep 0.5
  done
}

sw_shell() { # COMMANDS... (one per argument), under the shell's cluster lock, as the osd role runs them
  printf 'lock\n%s\nunlock\nexit\n' "$(printf '%s\n' "$@")" | timeout 120 "$WEED" shell -master="$SW_MASTER" 2>&1
}

sw_volumes_of() { # HOST:PORT -> "count bytes" of the volumes a volume server holds
  curl -fsS --max-time 5 "http://$1/status" | python3 -c '
import json, sys
s = json.load(sys.stdin)
vols = (s.get("Volumes") or []) + (s.get("EcVolumes") or [])
print(len(vols), sum(v.get("Size", 0) for v in vols))'
}

bench_seaweedfs_rw() { # N REPLICATION
  local n="$1" repl="$2" t0 t1 w r
  sw_start "$n" "$repl"
  # One small file first (not timed): the filer's first write waits for its master connection and the
  # master's first volume, a one-time start-up cost (HDFS's start-up is not in its figure either).
  echo warm | curl -fsS --max-time 60 -o /dev/null -T - "http://$SW_FILER/bench/warm-up" || die "the first write failed"
  t0=$(now)
  curl -fsS --max-time 600 -o /dev/null -T "$WORK/src.bin" "http://$SW_FILER/bench/bench.bin" \
    || die "writing to SeaweedFS failed"
  t1=$(now)
  w=$(mibps "$FILE_MB" "$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')")
  local wl; wl=$(load)
  t0=$(now)
  curl -fsS --max-time 600 "http://$SW_FILER/bench/bench.bin" | cmp - "$WORK/src.bin" \
    || die "what SeaweedFS gave back differs from what was put"
  t1=$(now)
  r=$(mibps "$FILE_MB" "$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')")
  echo "seaweedfs: $n volume server(s), replication $repl: write $w MiB/s (load $wl), read $r MiB/s (load $(load)) (${FILE_MB} MiB through the filer)"
  SEAWEED_RESULTS+=("$n $repl $w $r")
  stop_daemons
}

bench_seaweedfs_evacuate() {
  sw_start 3 001
  local files=6 part_mb=$(((DECOM_MB * 3 / 2 + 5) / 6)) i
  head -c $((part_mb << 20)) "$WORK/src.bin" >"$WORK/part.bin"
  [[ $(stat -c %s "$WORK/part.bin") -ge $((part_mb << 20)) ]] \
    || dd if=/dev/urandom of="$WORK/part.bin" bs=1M count="$part_mb" status=none
  for ((i = 0; i < files; i++)); do
    # Each file different (its index first), so no two parts share content.
    { printf 'part %d\n' "$i"; cat "$WORK/part.bin"; } >"$WORK/part-$i.bin"
    curl -fsS --max-time 300 -o /dev/null -T "$WORK/part-$i.bin" "http://$SW_FILER/decom/part-$i" || die "put failed"
  done
  local best="" best_bytes=-1 best_count=0 v c b
  for v in "${SW_VOLUMES[@]}"; do
    read -r c b <<<"$(sw_volumes_of "$v")"
    if ((b > best_bytes)); then best="$v"; best_bytes=$b; best_count=$c; fi
  done
  echo "seaweedfs evacuation: $files files, $((files * part_mb)) MiB, replication 001 on 3 volume servers; leaving $best holds $best_count volumes ($((best_bytes >> 20)) MiB)"
  local t0 t1 deadline=$((SECONDS + 600)) out passes=0
  t0=$(now)
  out=$(sw_shell "volumeServer.state -nodes=$best -maintenanceOn")
  grep -q 'Maintenance mode: yes' <<<"$out" || die "maintenance mode was not set: $(tail -3 <<<"$out")"
  while :; do
    read -r c b <<<"$(sw_volumes_of "$best")"
    ((c == 0)) && break
    ((SECONDS < deadline)) || die "$best still holds $c volumes after 600 s"
    ((passes == 0)) || sleep 2
    passes=$((passes + 1))
    sw_shell "volumeServer.evacuate -node=$best -skipNonMoveable -apply" >"$WORK/evacuate-$passes.log"
  done
  t1=$(now)
  local secs; secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}')
  # The leaving server goes (as its VM would); every file must still read back whole.
  for ((i = 0; i < ${#SW_VOLUMES[@]}; i++)); do
    [[ "${SW_VOLUMES[$i]}" != "$best" ]] || kill "${SW_VOLUME_PIDS[$i]}"
  done
  local lost=0
  for ((i = 0; i < files; i++)); do
    curl -fsS --max-time 300 "http://$SW_FILER/decom/part-$i" | cmp -s - "$WORK/part-$i.bin" || lost=$((lost + 1))
  done
  echo "seaweedfs evacuation: $secs s until $best held no volume ($passes evacuate passes, $(mibps "$((best_bytes >> 20))" "$secs") MiB/s moved; load $(load)); files unreadable or different after it stopped: $lost of $files"
  SEAWEED_EVACUATE="$secs s (it held $((best_bytes >> 20)) MiB in $best_count volumes; $lost of $files files lost after it stopped)"
  stop_daemons
}

SEAWEED_RESULTS=()
SEAWEED_EVACUATE=""
bench_seaweedfs() {
  WEED="${CONPAAS_WEED:-$(bash "$CONPAAS_ROOT/hack/seaweedfs.sh")}"
  [[ -x "$WEED" ]] || die "no weed binary ($WEED)"
  bench_seaweedfs_rw 1 000
  bench_seaweedfs_rw 3 001
  bench_seaweedfs_evacuate
}

# ---------------------------------------------------------------------------------------------
bench_disk
HDFS_DECOM=""
[[ "$ONLY" == seaweedfs ]] || bench_hdfs
[[ "$ONLY" == hdfs ]] || bench_seaweedfs

echo
echo "summary (ratios against the local disk: write ${DISK_WRITE} MiB/s, read ${DISK_READ} MiB/s)"
for line in "${HDFS_RESULTS[@]}"; do
  read -r n repl w r <<<"$line"
  echo "  hdfs      $n node(s), replication $repl: write $w MiB/s ($(ratio "$w" "$DISK_WRITE") of disk), read $r MiB/s ($(ratio "$r" "$DISK_READ") of disk)"
done
if ((${#HDFS_RESULTS[@]} == 2)); then
  read -r _ _ w1 r1 <<<"${HDFS_RESULTS[0]}"
  read -r _ _ w3 r3 <<<"${HDFS_RESULTS[1]}"
  echo "  hdfs      3 nodes / 1 node: write $(ratio "$w3" "$w1"), read $(ratio "$r3" "$r1")"
fi
[[ -z "$HDFS_DECOM" ]] || echo "  hdfs      decommission of a DataNode: ${HDFS_DECOM}"
for line in "${SEAWEED_RESULTS[@]}"; do
  read -r n repl w r <<<"$line"
  echo "  seaweedfs $n node(s), replication $repl: write $w MiB/s ($(ratio "$w" "$DISK_WRITE") of disk), read $r MiB/s ($(ratio "$r" "$DISK_READ") of disk)"
done
if ((${#SEAWEED_RESULTS[@]} == 2)); then
  read -r _ _ w1 r1 <<<"${SEAWEED_RESULTS[0]}"
  read -r _ _ w3 r3 <<<"${SEAWEED_RESULTS[1]}"
  echo "  seaweedfs 3 nodes / 1 node: write $(ratio "$w3" "$w1"), read $(ratio "$r3" "$r1")"
fi
if ((${#SEAWEED_RESULTS[@]} == 2 && ${#HDFS_RESULTS[@]} == 2)); then
  for i in 0 1; do
    read -r n _ hw hr <<<"${HDFS_RESULTS[$i]}"
    read -r _ _ sw sr <<<"${SEAWEED_RESULTS[$i]}"
    echo "  seaweedfs / hdfs, $n node(s): write $(ratio "$sw" "$hw"), read $(ratio "$sr" "$hr")"
  done
fi
[[ -z "$SEAWEED_EVACUATE" ]] || echo "  seaweedfs evacuation of a volume server: ${SEAWEED_EVACUATE}"
echo "  (load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); 2 cores shared)"
