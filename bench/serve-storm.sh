#!/usr/bin/env bash
# Boot-storm benchmark: metalboot serve vs nginx (sendfile on) vs plain express.static, with wrk at
# 32 and 256 connections on an 8 MB kernel and a 40 MB initrd; per-device script renders/s at 256
# connections and the server CPU time each render cost (user+sys of the metalboot process / requests:
# unlike requests/s, it hardly moves when other work shares the machine); metalboot's peak RSS.
# Prints a table and the ratios measured in this run.
# Usage: bench/serve-storm.sh [seconds-per-run (default 8)]   (needs nginx-light and wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
DUR="${1:-8}"
WORK="$(mktemp -d /tmp/metalboot-storm.XXXXXX)"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

free_port() { node -e 's=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
# GET a URL to the end (no curl needed); fails unless 200
fetch_ok() { node -e 'fetch(process.argv[1]).then(async (r) => { await r.arrayBuffer(); process.exit(r.ok ? 0 : 1); }, () => process.exit(1))' "$1"; }
wait_http() { for _ in $(seq 100); do fetch_ok "$1" && return 0; sleep 0.1; done; echo "server at $1 did not come up" >&2; exit 1; }

# --- the assets, stored the way metalboot stores them --------------------------------------------
STATE="$WORK/state"; WWW="$WORK/www"
mkdir -p "$STATE/assets" "$STATE/images"
head -c $((8 * 1024 * 1024)) /dev/urandom > "$WORK/linux"
head -c $((40 * 1024 * 1024)) /dev/urandom > "$WORK/initrd.gz"
K=$(sha256sum "$WORK/linux" | cut -d' ' -f1); I=$(sha256sum "$WORK/initrd.gz" | cut -d' ' -f1)
cp "$WORK/linux" "$STATE/assets/$K"; cp "$WORK/initrd.gz" "$STATE/assets/$I"
mkdir -p "$WWW/assets/$K" "$WWW/assets/$I"
cp "$WORK/linux" "$WWW/assets/$K/linux"; cp "$WORK/initrd.gz" "$WWW/assets/$I/initrd.gz"
chmod 755 "$WORK"; chmod -R a+rX "$WWW"   # nginx workers run as nobody when started by root
cat > "$STATE/images/deb.json" <<JSON
{"schema":1,"name":"deb","type":"files","installer":false,"variants":{"x86_64":{"arch":"x86_64",
 "kernel":{"name":"linux","sha256":"$K","size":$((8*1024*1024))},
 "initrd":{"name":"initrd.gz","sha256":"$I","size":$((40*1024*1024))},"compression":"gzip","cmdline":[]}}}
JSON

# --- metalboot -----------------------------------------------------------------------------------
MB_PORT=$(free_port)
cat > "$WORK/metalboot.yaml" <<YAML
server:
  listen: 127.0.0.1:$MB_PORT
  state_dir: $STATE
  cache_mb: 128
images:
  deb: { type: files, kernel: $WORK/linux, initrd: $WORK/initrd.gz }
devices:
  web-1: { image: deb, macs: ["b4:96:91:aa:bb:01", "b4:96:91:aa:bb:02"] }
YAML
# Run the compiled CLI (as installed); tsx's loader alone adds ~100 MB of RSS. BENCH_TSX=1 runs from source.
if [ -z "${BENCH_TSX:-}" ]; then npx tsc -p tsconfig.build.json >/dev/null 2>&1 || true; fi
if [ -z "${BENCH_TSX:-}" ] && [ -f dist/cli/main.js ]; then CLI=(node dist/cli/main.js); else CLI=(node --import tsx src/cli/main.ts); fi
METALBOOT_SECRET=bench "${CLI[@]}" serve --config "$WORK/metalboot.yaml" >/dev/null 2>"$WORK/metalboot.err" &
MB_PID=$!; PIDS+=("$MB_PID")

# --- nginx (sendfile on, its own temp config on 127.0.0.1) ---------------------------------------
NG_PORT=$(free_port)
NGINX_WORKERS="${NGINX_WORKERS:-auto}"
mkdir -p "$WORK/nginx"
cat > "$WORK/nginx/nginx.conf" <<CONF
worker_processes $NGINX_WORKERS;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on; tcp_nopush on;
  client_body_temp_path $WORK/nginx/body; proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fcgi; uwsgi_temp_path $WORK/nginx/uwsgi; scgi_temp_path $WORK/nginx/scgi;
  server { listen 127.0.0.1:$NG_PORT; root $WWW; location /assets/ { add_header Cache-Control "public, max-age=31536000, immutable"; } }
}
CONF
nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" -g 'daemon off;' &
PIDS+=("$!")

# --- express.static --------------------------------------------------------------------------------
EX_PORT=$(free_port)
node bench/serve-static.mjs "$WWW" "$EX_PORT" &
PIDS+=("$!")

wait_http "http://127.0.0.1:$MB_PORT/boot.ipxe"; wait_http "http://127.0.0.1:$NG_PORT/assets/$K/linux"; wait_http "http://127.0.0.1:$EX_PORT/assets/$K/linux"
# warm every server's page cache / memory cache
for port in $MB_PORT $NG_PORT $EX_PORT; do fetch_ok "http://127.0.0.1:$port/assets/$K/linux"; fetch_ok "http://127.0.0.1:$port/assets/$I/initrd.gz"; done
sleep 1

# wrk → "<bytes/s> <requests/s> <requests>"
measure() {
  local out; out=$(wrk -t2 -c"$1" -d"${DUR}s" --latency "$2" 2>&1)
  local rps bps total; rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  bps=$(awk '/^Transfer\/sec/ {v=$2; u=substr(v,length(v)-1); n=v+0; m=(u=="GB")?1073741824:(u=="MB")?1048576:(u=="KB")?1024:1; printf "%.0f", n*m}' <<<"$out")
  total=$(awk '/ requests in / {print $1}' <<<"$out")
  echo "$bps $rps $total"
}
# user+sys CPU ticks the metalboot process has used so far
cpu_ticks() { awk '{print $14 + $15}' "/proc/$MB_PID/stat"; }
gbs() { awk -v b="$1" 'BEGIN{printf "%.2f", b/1e9}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b>0) printf "%.2f", a/b; else print "n/a" }'; }

printf '\n%-22s %-5s %12s %12s %16s %10s %10s\n' asset conns metalboot nginx express.static mb/nginx mb/static
for asset in "linux:$K/linux" "initrd:$I/initrd.gz"; do
  name=${asset%%:*}; path=/assets/${asset#*:}
  for c in 32 256; do
    read -r mb _ < <(measure "$c" "http://127.0.0.1:$MB_PORT$path")
    read -r ng _ < <(measure "$c" "http://127.0.0.1:$NG_PORT$path")
    read -r ex _ < <(measure "$c" "http://127.0.0.1:$EX_PORT$path")
    printf '%-22s %-5s %10s/s %10s/s %14s/s %10s %10s\n' "$name ($(( $(stat -c %s "$WORK/$( [ "$name" = linux ] && echo linux || echo initrd.gz)") / 1048576 )) MB)" "$c" \
      "$(gbs "$mb")GB" "$(gbs "$ng")GB" "$(gbs "$ex")GB" "$(ratio "$mb" "$ng")" "$(ratio "$mb" "$ex")"
  done
done

before=$(cpu_ticks)
read -r _ scripts total < <(measure 256 "http://127.0.0.1:$MB_PORT/ipxe/web-1")
after=$(cpu_ticks)
us=$(awk -v t="$((after - before))" -v hz="$(getconf CLK_TCK)" -v n="$total" 'BEGIN{ if (n>0) printf "%.0f", t / hz * 1e6 / n; else print "n/a" }')
printf '\nper-device script renders at 256 connections: %s requests/s (target >= 10000), %s µs of server CPU each\n' "$scripts" "$us"
rss=$(awk '/VmHWM/ {print $2}' "/proc/$MB_PID/status")
printf 'metalboot peak RSS: %d MB (cache_mb 128; target <= 150 MB + cache)\n' "$((rss / 1024))"
printf 'nginx workers: %s; cores: %s; wrk -t2, %ss per run; metalboot ran as: %s\n' "$NGINX_WORKERS" "$(nproc)" "$DUR" "${CLI[*]}"
printf 'load average at the end: %s (other work on this machine skews every figure)\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
