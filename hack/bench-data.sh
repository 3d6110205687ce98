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
#  SeaweedFS (XtreemFsService): bench_seaweedfs below, filled in by the XtreemFsService work.
#
# Environment: FILE_MB (256), DECOM_MB (200), ONLY (hdfs|seaweedfs|all, default all),
# CONPAAS_HADOOP_LIB (agent-runtime/target/hadoop).
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
  hadoop_java org.apache.hadoop.hdfs.server.namenode.NameNode >"$dir/namenode.log" 2>&1 &
  PIDS+=($!)
  for ((i = 1; i <= n; i++)); do
    # Each DataNode: its own directory and ports (a configuration directory of its own).
    local dconf="$dir/dn$i/conf"
    mkdir -p "$dconf"
    cp "$CONF/core-site.xml" "$CONF/log4j.properties" "$dconf/"
    site "dfs.replication=$repl" "dfs.datanode.data.dir=file://$dir/dn$i/data" \
      "dfs.datanode.address=127.0.0.1:$(free_port)" "dfs.datanode.http.address=127.0.0.1:$(free_port)" \
      "dfs.datanode.ipc.address=127.0.0.1:$(free_port)" "dfs.permissions.enabled=false" >"$dconf/hdfs-site.xml"
    CONF="$dconf" hadoop_java org.apache.hadoop.hdfs.server.datanode.DataNode >"$dir/dn$i.log" 2>&1 &
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

stop_hdfs() {
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
  echo "hdfs: $n DataNode(s), replication $repl: write $w MiB/s, read $r MiB/s (${FILE_MB} MiB through WebHDFS)"
  HDFS_RESULTS+=("$n $repl $w $r")
  stop_hdfs
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
  echo "hdfs decommission: $secs s until Decommissioned ($(mibps "$((used >> 20))" "$secs") MiB/s re-replicated); under-replicated $under, missing $missing"
  HDFS_DECOM="$secs s (it held $((used >> 20)) MiB; under-replicated $under, missing $missing after)"
  stop_hdfs
}

bench_hdfs() {
  [[ -f "$(ls "$HADOOP_LIB"/hadoop-hdfs-[0-9]*.jar 2>/dev/null | head -1)" ]] \
    || die "no Hadoop jars in $HADOOP_LIB (build the agent: mvn -B -pl agent-runtime -am package -DskipTests)"
  bench_hdfs_rw 1 1
  bench_hdfs_rw 3 2
  bench_hdfs_decommission
}

# ---------------------------------------------------------------------------------------------
# SeaweedFS (XtreemFsService): HOOK for the XtreemFsService work. Fill in: start a master + filer and
# 1, then 3 volume servers, write/read FILE_MB MiB (e.g. through weed mount or the filer's HTTP API),
# then evacuate a volume server holding DECOM_MB MiB; append lines "seaweedfs: ..." and set
# SEAWEED_RESULTS=("N WRITE READ" ...) and SEAWEED_EVACUATE (seconds) for the summary below.
SEAWEED_RESULTS=()
SEAWEED_EVACUATE=""
bench_seaweedfs() {
  echo "seaweedfs: not measured yet (bench_seaweedfs in hack/bench-data.sh is a hook for XtreemFsService)"
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
  read -r n w r <<<"$line"
  echo "  seaweedfs $n node(s): write $w MiB/s ($(ratio "$w" "$DISK_WRITE") of disk), read $r MiB/s ($(ratio "$r" "$DISK_READ") of disk)"
done
[[ -z "$SEAWEED_EVACUATE" ]] || echo "  seaweedfs evacuation of a volume server: ${SEAWEED_EVACUATE} s"
