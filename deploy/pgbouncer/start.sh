#!/bin/bash
# The password comes from the environment, never from the image.
set -euo pipefail
printf '"vetted" "%s"\n' "$POSTGRES_PASSWORD" > /tmp/userlist.txt
chmod 0600 /tmp/userlist.txt
exec pgbouncer /etc/pgbouncer/pgbouncer.ini
