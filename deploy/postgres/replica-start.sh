#!/bin/bash
# The streaming replica: copied from the primary with pg_basebackup on first start, then a hot standby.
set -euo pipefail
PGDATA=/var/lib/postgresql/data
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready -h postgres-primary -U replicator; do sleep 1; done
  pg_basebackup -h postgres-primary -U replicator -D "$PGDATA" -X stream -R --slot=replica1 -c fast
  chmod 0700 "$PGDATA"
fi
exec postgres -D "$PGDATA" -c hot_standby=on
