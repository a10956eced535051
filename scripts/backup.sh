#!/usr/bin/env bash
# Backs up the COP: the database (pg_dump, custom format) and the uploaded files (media/).
#
#   DATABASE_URL=postgres://cop:…@db/cop scripts/backup.sh [DIRECTORY]
#
# Writes DIRECTORY/cop-YYYYMMDD-HHMMSS.dump and, when MEDIA_ROOT (default: media) exists,
# DIRECTORY/cop-YYYYMMDD-HHMMSS-media.tar.gz; files appear only once complete. KEEP_DAYS=n
# removes backups older than n days. PG_BINDIR picks the PostgreSQL tools (pg_dump must be
# at least as recent as the server). scripts/restore.sh puts a backup back (README, "Sauvegardes").
set -euo pipefail

: "${DATABASE_URL:?DATABASE_URL doit désigner la base PostgreSQL à sauvegarder.}"
destination=${1:-backups}
media=${MEDIA_ROOT:-media}
stamp=$(date +%Y%m%d-%H%M%S)
pg_dump=${PG_BINDIR:+$PG_BINDIR/}pg_dump

mkdir -p "$destination"
dump="$destination/cop-$stamp.dump"
"$pg_dump" --format=custom --no-owner --no-privileges --file="$dump.partial" "$DATABASE_URL"
mv "$dump.partial" "$dump"
echo "Base sauvegardée : $dump"

if [ -d "$media" ]; then
    archive="$destination/cop-$stamp-media.tar.gz"
    tar -czf "$archive.partial" -C "$(dirname "$media")" "$(basename "$media")"
    mv "$archive.partial" "$archive"
    echo "Fichiers sauvegardés : $archive"
else
    echo "Pas de dossier $media : fichiers non sauvegardés (stockage objet ? sauvegardez le bucket)."
fi

if [ -n "${KEEP_DAYS:-}" ]; then
    find "$destination" -maxdepth 1 -name 'cop-*' -mtime +"$KEEP_DAYS" -print -delete
fi
