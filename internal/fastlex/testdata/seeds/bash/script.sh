#!/usr/bin/env bash
set -euo pipefail
export DJANGO_SETTINGS_MODULE=config.settings.production
for f in *.env; do
  if [[ -f "$f" && ! -L "$f" ]]; then
    echo "loading ${f%.env}: $(wc -l < "$f") lines" >&2
  fi
done
case "$1" in
  start|stop) systemctl "$1" docsgen ;;
  *) printf '%s\n' "usage: $0 start|stop"; exit 2 ;;
esac
cat <<EOT > /tmp/out
value=$((1 + 2 * 3)) ${HOME:-/root} `date` 'single $x' "double $x"
EOT
arr=(one "two three" $'four\tfive')
echo "${arr[@]}" | tr a-z A-Z # trailing comment
