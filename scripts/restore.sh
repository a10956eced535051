#!/usr/bin/env bash
# Restores a backup of scripts/backup.sh into an empty database, and its files into MEDIA_ROOT.
#
#   DATABASE_URL=postgres://cop:…@db/cop_restauree scripts/restore.sh cop-….dump [cop-…-media.tar.gz]
#
# Refuses a database that already has tables, and a MEDIA_ROOT (default: media) that already
# has files: a restore never mixes with what is there. Create the database first, owned by the
# site's role (createdb -O cop cop_restauree); that role needs the right to create the unaccent
# extension (the owner of the database has it). PG_BINDIR picks the PostgreSQL tools.
set -euo pipefail

: "${DATABASE_URL:?DATABASE_URL doit désigner la base PostgreSQL, vide, où restaurer.}"
dump=${1:?Usage : scripts/restore.sh SAUVEGARDE.dump [FICHIERS-media.tar.gz]}
archive=${2:-}
media=${MEDIA_ROOT:-media}
bin=${PG_BINDIR:+$PG_BINDIR/}

tables=$("${bin}psql" --no-psqlrc --tuples-only --no-align --dbname="$DATABASE_URL" \
    --command="SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
if [ "$tables" != "0" ]; then
    echo "La base cible contient déjà $tables tables : restaurez dans une base vide." >&2
    exit 1
fi
if [ -n "$archive" ] && [ -d "$media" ] && [ -n "$(ls -A "$media")" ]; then
    echo "Le dossier $media contient déjà des fichiers : restaurez dans un dossier vide." >&2
    exit 1
fi

"${bin}pg_restore" --no-owner --no-privileges --exit-on-error --single-transaction \
    --dbname="$DATABASE_URL" "$dump"
echo "Base restaurée depuis $dump"

if [ -n "$archive" ]; then
    mkdir -p "$(dirname "$media")"
    tar -xzf "$archive" -C "$(dirname "$media")"
    echo "Fichiers restaurés dans $media depuis $archive"
fi
