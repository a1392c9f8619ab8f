#!/usr/bin/env bash
# The question page and the 365-day dashboard under wrk -t2 -c32, beside the
# framework floor (cmd/mockload -floor: echo writing a small constant page),
# with the server's RSS after each. Usage: scripts/wrk-floor.sh [sqlite|postgres]
# (postgres needs PostgreSQL on 127.0.0.1:5432, user postgres, trust auth).
set -u
cd "$(dirname "$0")/.."
make build >/dev/null && go build -o bin/mockload ./cmd/mockload
DB=${1:-sqlite}
D=$(mktemp -d)
export ADDR=127.0.0.1:18402 DATA_DIR=$D LOG_LEVEL=warn ANSWER_RATE_LIMIT=100000 DRAFT_RATE_LIMIT=100000 ROUND_RATE_LIMIT=100000 LOGIN_RATE_LIMIT=100000
if [ "$DB" = postgres ]; then psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS mr_perf WITH (FORCE)" -qc "CREATE DATABASE mr_perf"; export DATABASE_URL="postgres://postgres@127.0.0.1:5432/mr_perf?sslmode=disable"; fi
bin/mockload -floor 127.0.0.1:18401 >/dev/null 2>&1 & FLOOR=$!
start() { bin/mockround serve >/dev/null 2>&1 & SRV=$!; for i in $(seq 50); do curl -s -o /dev/null 127.0.0.1:18402/healthz && break; sleep 0.2; done; }
rss() { grep VmRSS /proc/$SRV/status | awk '{print $2/1024 " MB"}'; }
# wrk reports responses outside 2xx/3xx only when there are some.
non2xx() { awk '/Non-2xx/ {n=$NF} END {print (n ? n : 0) " non-2xx"}' <<<"$1"; }
start
J=$D/jar; curl -s -c $J -b $J 127.0.0.1:18402/ -o $D/home.html
TOKEN=$(awk '$6=="mockround_csrf" {print $7}' $J)
LOC=$(curl -s -c $J -b $J -o /dev/null -w '%{redirect_url}' -X POST 127.0.0.1:18402/rounds --data-urlencode "_csrf=$TOKEN" -d stack=go -d level=middle -d type=drill -d area=databases -d count=5 -d feedback=study)
# A browser's cookies, HttpOnly ones (curl writes them as #HttpOnly_…) too.
COOKIE=$(awk 'NF>=7 && ($1 !~ /^#/ || $1 ~ /^#HttpOnly_/) {printf "%s=%s; ", $6, $7}' $J)
echo "round: $LOC"
sleep 1
F=$(wrk -t2 -c32 -d10s http://127.0.0.1:18401/ | awk '/Requests\/sec/ {print $2}')
W=$(wrk -t2 -c32 -d10s -H "Cookie: $COOKIE" "$LOC"); Q=$(awk '/Requests\/sec/ {print $2}' <<<"$W")
curl -s -o /dev/null -w 'question page status %{http_code}\n' -H "Cookie: $COOKIE" "$LOC"
echo "$DB question page: $Q req/s, floor $F: $(python3 -c "print(f'{100*$Q/$F:.1f}%')"); RSS $(rss); $(non2xx "$W")"
kill $SRV; wait $SRV 2>/dev/null
bin/mockround demo --days 365 >/dev/null 2>&1
start
F=$(wrk -t2 -c32 -d10s http://127.0.0.1:18401/ | awk '/Requests\/sec/ {print $2}')
curl -s -o /dev/null -w 'dashboard status %{http_code}\n' -H "Cookie: $COOKIE" 127.0.0.1:18402/dashboard
W=$(wrk -t2 -c32 -d10s -H "Cookie: $COOKIE" http://127.0.0.1:18402/dashboard); Q=$(awk '/Requests\/sec/ {print $2}' <<<"$W")
echo "$DB dashboard 365 days: $Q req/s, floor $F: $(python3 -c "print(f'{100*$Q/$F:.2f}%')"); RSS $(rss); $(non2xx "$W")"
kill $SRV $FLOOR; wait 2>/dev/null
rm -rf $D
