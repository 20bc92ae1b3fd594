#!/bin/sh
# Every text the screens look up in forms/ui.ini is there, in English and
# Lao, and survives iniparser (a value with ';' or '#' must be quoted, or
# iniparser cuts it there as a comment).
. tests/lib.sh
INI="$TIPDESK_SRC/forms/ui.ini"

# section.key of every "section.key", "default" pair in the screens' code.
keys=$(perl -0777 -ne 'while (/"([a-z_0-9]+\.[a-z_0-9]+)"\s*,\s*"/g) { print "$1\n" }' \
       "$TIPDESK_SRC"/src/ui*.c | sort -u)
# section.key = value of every line of ui.ini.
have=$(awk '/^\[/ { s = substr($0, 2, index($0, "]") - 2); next }
            /^[a-z_0-9]+ *=/ { k = $1; sub(/ *=.*/, "", k); print s "." k }' "$INI")

missing=""
for k in $keys; do
    echo "$have" | grep -qxF "$k" || missing="$missing $k"
done
check "every text the screens use is in ui.ini (missing:${missing:- none})" [ -z "$missing" ]

nolao=$(awk '/^[a-z_0-9]+ *=/ && !/\|/' "$INI")
check "every text in ui.ini has a Lao part" [ -z "$nolao" ]
if [ -n "$nolao" ]; then echo "$nolao" | sed "s/^/# /"; fi

unquoted=$(awk '/^[a-z_0-9]+ *=/ { v = $0; sub(/^[^=]*= */, "", v)
                if (v ~ /[;#]/ && v !~ /^"/) print }' "$INI")
check "values with ';' or '#' are quoted" [ -z "$unquoted" ]
if [ -n "$unquoted" ]; then echo "$unquoted" | sed "s/^/# /"; fi
