#!/usr/bin/env bash
# The deployment kit, checked as deploy/README.md uses it: the systemd units verified by
# systemd-analyze, the nginx site tested by nginx -t. Paths and names that only exist on
# a real server (/srv/newsroom, the newsroom user, Let's Encrypt's certificate) are
# replaced by ones that exist here; nothing else in the files is changed.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# systemd: the units, with the app at this checkout and the service user root.
mkdir -p "$work/units"
for unit in deploy/systemd/*; do
  sed -e "s#/srv/newsroom/app#$PWD#g" -e "s#^User=newsroom#User=root#" -e "s#^Group=newsroom#Group=root#" \
    -e "s#/etc/newsroom/newsroom.env#$work/newsroom.env#" "$unit" >"$work/units/$(basename "$unit")"
done
cp deploy/newsroom.env.example "$work/newsroom.env"
# Units that name units Debian's packages provide (postgresql, redis) are fine without them.
{ SYSTEMD_LOG_LEVEL=warning systemd-analyze verify --man=no "$work"/units/*.service "$work"/units/*.socket 2>&1 || true; } |
  { grep -v -e "postgresql.service" -e "redis-server.service" -e "^$" || true; } | tee "$work/verify.log"
if [ -s "$work/verify.log" ]; then
  echo "systemd-analyze found problems in deploy/systemd" >&2
  exit 1
fi
echo "systemd units: verified"

# nginx: the site inside nginx's own main file, with a certificate made for the test.
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=news.example.org" \
  -keyout "$work/privkey.pem" -out "$work/fullchain.pem" 2>/dev/null
sed -e "s#/etc/letsencrypt/live/news.example.org#$work#g" -e "s#/var/cache/nginx/newsroom#$work/cache#" \
  deploy/nginx/newsroom.conf >"$work/site.conf"
cat >"$work/nginx.conf" <<CONF
pid $work/nginx.pid;
error_log $work/error.log warn;
events { worker_connections 64; }
http {
    include /etc/nginx/mime.types;
    client_body_temp_path $work/body;
    proxy_temp_path $work/proxy;
    fastcgi_temp_path $work/fastcgi;
    uwsgi_temp_path $work/uwsgi;
    scgi_temp_path $work/scgi;
    access_log off;
    include $work/site.conf;
}
CONF
nginx -t -c "$work/nginx.conf"
echo "nginx site: tested"
