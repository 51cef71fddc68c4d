#!/bin/sh
# Nightly backup of the bot's question log and the clinic's FAQ, safe while the bot runs.
#
#   backup.sh [BACKUP_DIR]        (default /var/backups/dn-faq-bot)
#
# Run it as the bot's user with the bot's BOT_DATA_DIR and BOT_FAQ, and with the bot's virtual
# environment first on PATH: dn-faq-bot-backup.service (systemd timer) or dn-faq-bot-backup.cron do.
# Writes unanswered-YYYY-MM-DD.sqlite3 (SQLite's online backup, never a plain copy of the live file)
# and faq-YYYY-MM-DD.yaml, readable by their owner only, and deletes backups older than
# BOT_BACKUP_KEEP_DAYS days (default 14): backups hold patients' (redacted) questions too.
set -eu
dir=${1:-/var/backups/dn-faq-bot}
keep_days=${BOT_BACKUP_KEEP_DAYS:-14}
code=$(cd "$(dirname "$0")/.." && pwd)
stamp=$(date +%Y-%m-%d)
umask 077
mkdir -p "$dir"
python "$code/bot.py" backup "$dir/unanswered-$stamp.sqlite3"
if [ -n "${BOT_FAQ:-}" ]; then
    cp "$BOT_FAQ" "$dir/faq-$stamp.yaml"
    echo "Copied $BOT_FAQ to $dir/faq-$stamp.yaml"
fi
find "$dir" -maxdepth 1 -type f \( -name 'unanswered-*.sqlite3' -o -name 'faq-*.yaml' \) -mtime +"$keep_days" -print -delete
