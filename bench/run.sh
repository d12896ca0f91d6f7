#!/usr/bin/env bash
# A whole benchmark session on this machine: TaskQueue's store, listing and end-to-end benchmarks, then the peers
# (Celery, Hangfire) on the same no-op endpoint, then the ratios. Prints everything and keeps a copy in a log.
#
#   bench/run.sh                  # the whole session (about 20 minutes on a 2-core machine)
#   QUICK=1 bench/run.sh          # a smoke run: small counts, a few minutes; figures are not comparable
#
# Settings (environment): PEERS (folder of the peers, default ../shared/peers beside the repository), LISTING_TASKS (100000),
# THROUGHPUT_TASKS (2000,10000), CLIENTS (32), WARMUP (3000), PROFILE (1: run the stage profile with perf),
# SKIP (names of steps to leave out, e.g. "listing peers").
# See docs/benchmarks.md for what each figure means.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
peers=${PEERS:-$root/../shared/peers}
quick=${QUICK:-0}
if [[ $quick == 1 ]]; then
  listing_tasks=${LISTING_TASKS:-6000}; throughput_tasks=${THROUGHPUT_TASKS:-1000}; warmup=${WARMUP:-300}
  store_seconds=2; peer_tasks=(1000); profile_tasks=2000; profile_warmup=1000
else
  listing_tasks=${LISTING_TASKS:-100000}; throughput_tasks=${THROUGHPUT_TASKS:-2000,10000}; warmup=${WARMUP:-3000}
  store_seconds=5; IFS=, read -r -a peer_tasks <<<"$throughput_tasks"; profile_tasks=6000; profile_warmup=10000
fi
clients=${CLIENTS:-32}
skip=" ${SKIP:-} "
log_dir="$root/.local/bench"; mkdir -p "$log_dir"
log="$log_dir/session-$(date +%Y%m%d-%H%M%S).log"
exec > >(tee "$log") 2>&1

say() { printf '\n=== %s (%s, load %s)\n' "$1" "$(date '+%F %T')" "$(cut -d' ' -f1-3 /proc/loadavg)"; }
wanted() { [[ $skip != *" $1 "* ]]; }
bench() { dotnet "$root/bench/bin/Release/net10.0/TaskQueue.Bench.dll" "$@" --noop-server "$peers/noop-server.js"; }
store_bench() { dotnet "$root/bench/bin/Release/net10.0/TaskQueue.Bench.dll" "$@"; }

say "machine"
echo "$(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(uname -r); dotnet $(dotnet --version)"
echo "other processes' CPU right now (top 5):"
ps -eo pcpu,comm --sort=-pcpu | head -6

say "build (Release)"
dotnet build "$root/src/Gateway" -c Release -v quiet -nologo | tail -2
dotnet build "$root/bench" -c Release -v quiet -nologo | tail -2

if wanted store-writes; then
  say "store writes"
  store_bench store-writes --backend embedded,postgresql --seconds "$store_seconds" --writers 1,8,64
fi

if wanted throughput; then
  say "end to end, TaskQueue"
  bench throughput --configs embedded:1,postgresql:1,postgresql:3 --tasks "$throughput_tasks" \
    --clients "$clients" --warmup "$warmup"
fi

if wanted peers; then
  for port in 9099 9098 6399 55499; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "WARNING: port $port is in use (someone else running the peers?); their scripts use fixed ports."
    fi
  done
  for n in "${peer_tasks[@]}"; do
    say "peer: Celery prefork, 8 processes, $n tasks"
    "$peers/celery/run.sh" "$n" 8 || echo "celery prefork failed"
    say "peer: Celery threads, 32 threads, $n tasks"
    POOL=threads "$peers/celery/run.sh" "$n" 32 || echo "celery threads failed"
  done
  # Hangfire enqueues slowly (tens of tasks/s): 2,000 keeps the session bounded.
  say "peer: Hangfire, 20 workers, ${peer_tasks[0]} tasks"
  "$peers/hangfire/run.sh" "${peer_tasks[0]}" 20 || echo "hangfire failed"
fi

if wanted listing; then
  say "listing at scale"
  bench listing --backend embedded,postgresql --tasks "$listing_tasks" --clients "$clients"
fi

if wanted profile && [[ ${PROFILE:-1} == 1 ]]; then
  say "where a task's time goes (in-process silo, stages timed, perf)"
  # Names for JIT-compiled code in perf's report; W^X off so that perf finds the code where the map says it is.
  DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 \
    bench profile --backend embedded,postgresql --tasks "$profile_tasks" --warmup "$profile_warmup" --perf-seconds 5
fi

say "ratios (same session)"
awk '
  /^FIGURE throughput / && / tasks_per_s=/ {
    setup = ""; for (i = 3; i <= NF; i++) if ($i ~ /^(backend|silos|tasks)=/) setup = setup " " $i
    match($0, /tasks_per_s=[0-9.]+/); ours[setup] = substr($0, RSTART + 12, RLENGTH - 12)
    split(setup, parts, " "); for (p in parts) if (parts[p] ~ /^tasks=/) n_of[setup] = substr(parts[p], 7)
    order[++count] = setup
  }
  /^=== peer: Celery prefork/ { peer = "celery-prefork-8" }
  /^=== peer: Celery threads/ { peer = "celery-threads-32" }
  /^=== peer: Hangfire/ { peer = "hangfire-20" }
  /^(celery|hangfire) n=/ {
    match($0, /n=[0-9]+/); n = substr($0, RSTART + 2, RLENGTH - 2)
    match($0, /tasks_per_s=[0-9.]+/); rate[peer, n] = substr($0, RSTART + 12, RLENGTH - 12); peers[peer] = 1
  }
  END {
    if (count == 0) { print "no TaskQueue throughput figures in this session"; exit }
    printf "%-40s %10s", "TaskQueue", "tasks/s"
    for (p in peers) printf " %22s", p " (ratio)"
    printf "\n"
    for (i = 1; i <= count; i++) {
      s = order[i]; n = n_of[s]; printf "%-40s %10.1f", s, ours[s]
      for (p in peers) {
        if ((p, n) in rate && rate[p, n] > 0) printf " %12.1f (%5.2fx)", rate[p, n], ours[s] / rate[p, n]
        else printf " %22s", "-"
      }
      printf "\n"
    }
  }' "$log"
echo
echo "log: $log"
