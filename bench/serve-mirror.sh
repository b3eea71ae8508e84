#!/usr/bin/env bash
# Local-mirror benchmark: `metalboot serve` answering /mirror/<image>/pool/…/<largest .deb> vs nginx
# (sendfile on) serving the same file from the same directory, with wrk at 32 and 256 connections,
# in the same run. Prints bytes/s of each and the ratio metalboot/nginx (goal >= 0.90).
# Usage: bench/serve-mirror.sh [seconds-per-run (default 8)] [MIRROR]
#   MIRROR: a mirror built by `metalboot mirror` (<cache>/mirrors/<image>): its largest .deb is served.
#   Without it, a one-file mirror is made with a 68 MiB .deb (the size of bookworm's linux-image-amd64
#   kernel package, the largest .deb an install fetches). Needs nginx-light and wrk.
set -euo pipefail
cd "$(dirname "$0")/.."
DUR="${1:-8}"
SOURCE="${2:-}"
WORK="$(mktemp -d /tmp/metalboot-mirror-bench.XXXXXX)"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

free_port() { node -e 's=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
fetch_ok() { node -e 'fetch(process.argv[1]).then(async (r) => { await r.arrayBuffer(); process.exit(r.ok ? 0 : 1); }, () => process.exit(1))' "$1"; }
wait_http() { for _ in $(seq 100); do fetch_ok "$1" && return 0; sleep 0.1; done; echo "server at $1 did not come up" >&2; exit 1; }

# --- the mirror, laid out as `metalboot mirror` lays it out: <cache>/mirrors/<image> → <image>.gens/<id> ---
STATE="$WORK/state"; CACHE="$STATE/cache"; MIRRORS="$CACHE/mirrors"
mkdir -p "$MIRRORS" "$STATE/images"
if [ -n "$SOURCE" ]; then
  GEN="$(readlink -f "$SOURCE")"
  DEB=$(node -e 'const r=require(process.argv[1]);const d=r.files.filter((f)=>f.path.endsWith(".deb")).sort((a,b)=>b.size-a.size)[0];console.log(d.path)' "$GEN/metalboot-mirror.json")
  ln -s "$GEN" "$MIRRORS/debian12"
else
  GEN="$MIRRORS/debian12.gens/bench"
  DEB="pool/main/l/linux-signed-amd64/linux-image-6.1.0-50-amd64_6.1.0-50_amd64.deb"
  mkdir -p "$GEN/$(dirname "$DEB")" "$GEN/dists/bookworm"
  head -c $((68 * 1024 * 1024)) /dev/urandom > "$GEN/$DEB"
  : > "$GEN/dists/bookworm/InRelease"
  SUM=$(sha256sum "$GEN/$DEB" | cut -d' ' -f1)
  cat > "$GEN/metalboot-mirror.json" <<JSON
{"schema":1,"fingerprint":"bench","image":"debian12","release":"bookworm","upstream":"http://deb.debian.org/debian","arches":[],"initrds":{},
 "files":[{"path":"$DEB","sha256":"$SUM","size":$((68 * 1024 * 1024))}],"missing":[],"unresolved":[],"bytes":$((68 * 1024 * 1024))}
JSON
  ln -s debian12.gens/bench "$MIRRORS/debian12"
fi
SIZE=$(stat -L -c %s "$GEN/$DEB")
chmod 755 "$WORK"; chmod -R a+rX "$WORK"   # nginx workers run as nobody when started by root
[ -n "$SOURCE" ] && { chmod a+rx "$(dirname "$GEN")" 2>/dev/null || true; }

# --- metalboot -----------------------------------------------------------------------------------
MB_PORT=$(free_port)
cat > "$WORK/metalboot.yaml" <<YAML
server:
  listen: 127.0.0.1:$MB_PORT
  state_dir: $STATE
  cache_mb: 128
images:
  debian12: { type: debian, local_mirror: true }
devices: {}
YAML
if [ -z "${BENCH_TSX:-}" ]; then npx tsc -p tsconfig.build.json >/dev/null 2>&1 || true; fi
if [ -z "${BENCH_TSX:-}" ] && [ -f dist/cli/main.js ]; then CLI=(node dist/cli/main.js); else CLI=(node --import tsx src/cli/main.ts); fi
METALBOOT_CACHE_DIR="$CACHE" METALBOOT_SECRET=bench "${CLI[@]}" serve --config "$WORK/metalboot.yaml" >/dev/null 2>"$WORK/metalboot.err" &
PIDS+=("$!")

# --- nginx (sendfile on) over the same generation directory ---------------------------------------
NG_PORT=$(free_port)
mkdir -p "$WORK/nginx"
cat > "$WORK/nginx/nginx.conf" <<CONF
worker_processes ${NGINX_WORKERS:-auto};
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on; tcp_nopush on;
  client_body_temp_path $WORK/nginx/body; proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fcgi; uwsgi_temp_path $WORK/nginx/uwsgi; scgi_temp_path $WORK/nginx/scgi;
  server { listen 127.0.0.1:$NG_PORT; root $GEN; location /pool/ { add_header Cache-Control "public, max-age=31536000, immutable"; } }
}
CONF
nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" -g 'daemon off;' &
PIDS+=("$!")

MB_URL="http://127.0.0.1:$MB_PORT/mirror/debian12/$DEB"; NG_URL="http://127.0.0.1:$NG_PORT/$DEB"
wait_http "$MB_URL" || { cat "$WORK/metalboot.err" >&2; exit 1; }
wait_http "$NG_URL"
fetch_ok "$MB_URL"; fetch_ok "$NG_URL"   # warm the page cache / memory cache
sleep 1

measure() {  # wrk → bytes/s
  wrk -t2 -c"$1" -d"${DUR}s" "$2" 2>&1 | awk '/^Transfer\/sec/ {v=$2; u=substr(v,length(v)-1); n=v+0; m=(u=="GB")?1073741824:(u=="MB")?1048576:(u=="KB")?1024:1; printf "%.0f", n*m}'
}
gbs() { awk -v b="$1" 'BEGIN{printf "%.2f", b/1e9}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b>0) printf "%.2f", a/b; else print "n/a" }'; }

printf '\n%s (%d MiB)\n%-6s %14s %14s %10s\n' "$DEB" "$((SIZE / 1048576))" conns metalboot nginx mb/nginx
for c in 32 256; do
  mb=$(measure "$c" "$MB_URL"); ng=$(measure "$c" "$NG_URL")
  printf '%-6s %12s/s %12s/s %10s\n' "$c" "$(gbs "$mb")GB" "$(gbs "$ng")GB" "$(ratio "$mb" "$ng")"
done
printf 'cores: %s; wrk -t2, %ss per run; metalboot ran as: %s; load average at the end: %s\n' "$(nproc)" "$DUR" "${CLI[*]}" "$(cut -d' ' -f1-3 /proc/loadavg)"
