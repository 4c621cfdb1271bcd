#!/usr/bin/env bash
# The restore drill: a backup that was never restored is not a backup. On PostgreSQL, load
# the demo (stories, images, comments of every state), back it up while comments keep
# arriving, drop the database and the media, restore into a new database, and compare
# every table and file.
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_DEBUG=1
work=$(mktemp -d)
trap 'rm -rf "$work"; dropdb -h 127.0.0.1 -U postgres --if-exists newsroom_drill_a; dropdb -h 127.0.0.1 -U postgres --if-exists newsroom_drill_b' EXIT
pg="postgres://postgres@127.0.0.1:5432"
for db in newsroom_drill_a newsroom_drill_b; do
  dropdb -h 127.0.0.1 -U postgres --if-exists "$db"
  createdb -h 127.0.0.1 -U postgres "$db"
done
DATABASE_URL=$pg/newsroom_drill_a MEDIA_ROOT=$work/media CACHE_DIR=$work/cache \
  .venv/bin/python manage.py migrate --no-input -v 0
DATABASE_URL=$pg/newsroom_drill_a MEDIA_ROOT=$work/media CACHE_DIR=$work/cache \
  .venv/bin/python manage.py load_demo
# The backup is taken while the site keeps writing: comments (with their mail and jobs)
# arrive all along. The restored copy must equal the backup's own manifest.
DATABASE_URL=$pg/newsroom_drill_a MEDIA_ROOT=$work/media CACHE_DIR=$work/cache \
  .venv/bin/python manage.py shell -c "
import time
from articles.models import Article
from comments.services import comment_submit
story = Article.objects.published().first()
stop = time.monotonic() + 60
n = 0
while time.monotonic() < stop:
    n += 1
    comment_submit(article=story, name=f'Lecteur {n}', email=f'l{n}@example.org',
                   body=f'Un avis écrit pendant la sauvegarde, numéro {n}.', ip_address='')
" &
writer=$!
sleep 2
DATABASE_URL=$pg/newsroom_drill_a MEDIA_ROOT=$work/media CACHE_DIR=$work/cache \
  .venv/bin/python manage.py backup "$work/backups"
kill "$writer" 2>/dev/null || true
wait "$writer" 2>/dev/null || true
dropdb -h 127.0.0.1 -U postgres newsroom_drill_a
rm -rf "$work/media"
DATABASE_URL=$pg/newsroom_drill_b MEDIA_ROOT=$work/media CACHE_DIR=$work/cache \
  .venv/bin/python manage.py restore "$(ls -d "$work"/backups/newsroom-*)"
