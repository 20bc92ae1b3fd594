#!/bin/sh
# Writes the data dictionary, db/README.md, from the schema (db/0*.sql: every
# table, view and column, in the order they are created) and the forms
# (forms/case.ini, prosecution.ini, event.ini: each column's label in English
# and Lao and its code list) and forms/lists.ini (each code and its labels).
# Usage, from the source folder:  sh db/dictionary.sh > db/README.md
# Needs the sqlite3 tool.  tests/t_dictionary.sh checks the file is current.
set -e
top=${1:-.}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cat "$top"/db/0*.sql | sqlite3 "$tmp/schema.db"
sqlite3 -separator '|' "$tmp/schema.db" \
    "SELECT m.name, m.type, p.name, p.type FROM sqlite_master m, pragma_table_info(m.name) p
     WHERE m.type IN ('table', 'view') AND m.name NOT LIKE 'sqlite_%' AND m.name NOT GLOB '*_fts*'
     ORDER BY m.rowid, p.cid" \
    >"$tmp/cols"

# Fields of the forms: table|column|label|label_lo|list.  A section [CHILD.FIELD]
# is column FIELD of the child table named by field CHILD's "column".
for f in case prosecution event; do
    awk -v OFS='|' '
        function flush() {
            if (sec == "" || sec == "form" || sec ~ /^(section|check)\./) return
            if (type == "child") { child[sec] = col; return }
            t = table; c = (col != "" ? col : sec)
            if (index(sec, ".")) { split(sec, p, "."); t = child[p[1]]; c = (col != "" ? col : p[2]) }
            if (index(c, ":")) { split(c, p, ":"); t = p[1]; c = "item " p[2] }
            print t, c, label, label_lo, list
        }
        /^\[/ { flush(); sec = substr($0, 2, index($0, "]") - 2); type = col = label = label_lo = list = ""; next }
        /^[a-z_]+ *=/ {
            k = $0; sub(/ *=.*/, "", k); v = $0; sub(/^[^=]*= */, "", v)
            if (sec == "form" && k == "table") table = v
            if (k == "type") type = v
            if (k == "column") col = v
            if (k == "label") label = v
            if (k == "label_lo") label_lo = v
            if (k == "list") list = v
        }
        END { flush() }' "$top/forms/$f.ini"
done >"$tmp/fields"

# Codes of the lists: list|code|label_en|label_lo
awk -v OFS='|' '
    /^\[/ { list = substr($0, 2, index($0, "]") - 2); next }
    /^[;#]/ || !/=/ { next }
    { code = $0; sub(/ *=.*/, "", code); rest = $0; sub(/^[^=]*= */, "", rest)
      n = split(rest, p, / *\| */); print list, code, p[1], (n > 1 ? p[2] : "") }' \
    "$top/forms/lists.ini" >"$tmp/lists"

awk -F'|' '
    FILENAME ~ /fields$/ { key = $1 "." $2; label[key] = $3; label_lo[key] = $4; list[key] = $5; next }
    FILENAME ~ /lists$/ {
        n[$1]++
        codes[$1] = codes[$1] (n[$1] > 1 ? "; " : "") "`" $2 "` " $3 ($4 != "" && $4 != $3 ? " / " $4 : "")
        next
    }
    function meaning(t, c,    k, s) {
        k = t "." c
        if (k in label) return label[k] (label_lo[k] != "" ? " / " label_lo[k] : "")
        if (k in sys) return sys[k]
        if (("*." c) in sys) return sys["*." c]
        return ""
    }
    function codelist(t, c,    k, l) {
        k = t "." c
        l = (k in list) ? list[k] : ((k in fixed) ? fixed[k] : "")
        if (l == "") return ""
        if (l == "province" || l == "district" || l == "country")
            return "list `" l "`: " n[l] " codes, names in `ref_" l "` and `code_label`"
        return "list `" l "`: " codes[l]
    }
    BEGIN {
        sys["*.id"] = "row number inside this file (not stable across offices)"
        sys["*.uuid"] = "the record'"'"'s identity everywhere (UUID v4)"
        sys["*.ref"] = "the reference shown to users: OFFICE-YYYY-NNNN"
        sys["*.office"] = "P-code of the office that created the record"
        sys["*.status"] = "`draft`, `complete` or `verified`; drafts are never counted"
        sys["*.rev"] = "revision, raised by every save"
        sys["*.created_at"] = "UTC time the record was created (ISO 8601)"
        sys["*.created_by"] = "user who created it"
        sys["*.updated_at"] = "UTC time of the last change"
        sys["*.updated_by"] = "user of the last change"
        sys["*.deleted_at"] = "UTC time it was deleted; deleted records are never counted"
        sys["*.seq"] = "order of the row within its record"
        sys["*.case_uuid"] = "the case (cases.uuid) the row belongs to"
        sys["*.prosecution_uuid"] = "the prosecution (prosecutions.uuid) the row belongs to"
        sys["*.pcode"] = "P-code"
        sys["*.name_en"] = "name in English"
        sys["*.name_lo"] = "name in Lao"
        sys["*.count_year"] = "year the record counts in (README.md, Counting rules)"
        sys["v_cases_counted.count_sex"] = "sex as counted: F, M, X, U (empty counts as U)"
        sys["v_cases_counted.count_age_group"] = "age group at identification as counted: Under18, Adult, Unknown"
        sys["v_prosecutions_counted.investigation_year"] = "year it counts as an investigation"
        sys["v_prosecutions_counted.charge_year"] = "year it counts as a prosecution"
        sys["v_prosecutions_counted.verdict_year"] = "year it counts as a conviction or acquittal"
        sys["v_prosecutions_counted.counts_investigation"] = "1 when it counts as an investigation"
        sys["v_prosecutions_counted.counts_prosecution"] = "1 when it counts as a prosecution"
        sys["v_prosecutions_counted.counts_conviction"] = "1 when it counts as a conviction"
        sys["v_prosecutions_counted.counts_acquittal"] = "1 when it counts as an acquittal"
        sys["v_prosecutions_counted.persons_investigated"] = "its suspects"
        sys["v_prosecutions_counted.persons_prosecuted"] = "its suspects who reached Prosecuted, Convicted or Acquitted"
        sys["v_prosecutions_counted.persons_convicted"] = "its suspects convicted, when it was convicted"
        sys["v_prosecutions_counted.persons_acquitted"] = "its suspects acquitted, when it has a verdict"
        sys["v_prosecutions_counted.days_to_verdict"] = "days from investigation to a conviction or acquittal"
        sys["v_events_counted.participants"] = "female + male + sex unknown"
        sys["v_events_counted.high_risk_or_border"] = "1 when high-risk or in a border area"
        sys["v_events_counted.counts_tested"] = "1 when it has a knowledge test (tested, pre and post scores)"
        sys["code_label.list"] = "name of the code list (a section of forms/lists.ini)"
        sys["code_label.code"] = "the code stored in the records"
        sys["code_label.label_en"] = "its English label"
        sys["code_label.label_lo"] = "its Lao label (English when the list gives none)"
        sys["ref_province.n_districts"] = "number of districts"
        sys["ref_district.province"] = "P-code of its province"
        sys["ref_district.pcode_status"] = "whether the P-code is the official one or provisional"
        sys["*.source"] = "where the reference row comes from (db/ref/README.md)"
        sys["ref_country.iso2"] = "ISO 3166-1 alpha-2 code (the code stored in records)"
        sys["ref_country.iso3"] = "ISO 3166-1 alpha-3 code"
        sys["ref_counter.tbl"] = "record table the counter numbers"
        sys["ref_counter.year"] = "year of the refs"
        sys["ref_counter.last"] = "last number given out"
        sys["audit_log.at"] = "UTC time of the change"
        sys["audit_log.user"] = "user who made it"
        sys["audit_log.tbl"] = "record table: cases, prosecutions or events"
        sys["audit_log.action"] = "`create`, `update`, `delete`, `restore` or `import`"
        sys["audit_log.changes"] = "the changed fields as JSON {\"column\": [old, new]}; a changed child table holds its rows before and after; import: {\"bundle\": NAME}; create: empty (NULL), since the values at revision 1 are the stored record with the old values of every later entry put back, newest first (tipdesk history shows them); a create row of an older tipdesk holds every value as [null, value] and stays valid"
        sys["drafts.form"] = "the form being filled"
        sys["drafts.record_uuid"] = "the record being edited; empty for a new one"
        sys["drafts.user"] = "user typing"
        sys["drafts.started_at"] = "UTC time the form was opened"
        sys["drafts.data"] = "the unsaved values (JSON)"
        sys["exports.file"] = "bundle file name"
        sys["exports.since"] = "changes after this time went into the bundle"
        sys["exports.counts"] = "records per table in the bundle"
        sys["*.checksum"] = "SHA-256 of the bundle"
        sys["imports.file"] = "bundle file name"
        sys["imports.imported_at"] = "UTC time of the import"
        sys["imports.imported_by"] = "user who imported"
        sys["imports.inserted"] = "records added"
        sys["imports.updated"] = "records updated"
        sys["imports.unchanged"] = "records already as in the bundle"
        sys["imports.conflicts"] = "records in conflict (table conflicts)"
        sys["conflicts.import_id"] = "the import (imports.id)"
        sys["conflicts.tbl"] = "record table"
        sys["conflicts.local_rev"] = "revision here"
        sys["conflicts.remote_rev"] = "revision in the bundle"
        sys["conflicts.remote_office"] = "office that sent it"
        sys["conflicts.remote_data"] = "the version of the record in the bundle (JSON)"
        sys["conflicts.resolved_at"] = "UTC time the conflict was resolved"
        sys["exports.seq"] = "bundle number of this office"
        sys["imports.seq"] = "bundle number of the sending office"
        sys["imports.office"] = "P-code of the sending office"
        sys["audit_log.uuid"] = "the record changed"
        sys["audit_log.rev"] = "its revision after the change"
        sys["conflicts.uuid"] = "the record in conflict"
        sys["case_screening.answer"] = "the answer to the screening question"
        sys["drafts.updated_at"] = "UTC time of the last keystroke saved"
        sys["office_keys.level"] = "level of that office: district, province or centre"
        sys["office_keys.sign_pk"] = "its Ed25519 public signing key (base64)"
        sys["office_keys.seal_pk"] = "its X25519 public sealing key (base64)"
        sys["office_keys.fingerprint"] = "short fingerprint of both keys, compared by phone"
        sys["office_keys.added_at"] = "UTC time the key was registered"
        sys["office_keys.added_by"] = "user who registered it"
        sys["office_keys.revoked_at"] = "UTC time it was revoked (never trusted again); empty while in force"
        sys["receipts.by_office"] = "P-code of the office that received the bundle and signed the receipt"
        sys["receipts.result"] = "imported, or already (imported before)"
        sys["receipts.inserted"] = "records the bundle added there"
        sys["receipts.updated"] = "records it updated there"
        sys["receipts.unchanged"] = "records it left as they were (same or older revision)"
        sys["receipts.conflicts"] = "records in conflict there (the copy there kept)"
        sys["receipts.received_at"] = "UTC time the bundle was imported there"
        sys["receipts.recorded_at"] = "UTC time the receipt was read here"
        sys["users.name"] = "name of the user (ASCII or Lao), as typed at login"
        sys["users.role"] = "clerk, supervisor, viewer or admin"
        sys["users.password_hash"] = "Argon2id hash of the password (libsodium crypto_pwhash_str); never the password"
        sys["users.failed_logins"] = "wrong passwords in a row; 5 lock the user for 60 s"
        sys["users.locked_until"] = "Unix time until which the user is locked out (0: not locked)"
        sys["users.disabled"] = "1 when an admin has disabled the user"
        sys["users.changed_at"] = "UTC time of the last change to the user"
        sys["users.changed_by"] = "user who made that change"
        sys["record_counts.tbl"] = "record table: cases, prosecutions or events"
        sys["record_counts.deleted"] = "1 for deleted records, 0 for the others"
        sys["record_counts.n"] = "how many records of that table, status and deletion there are (kept by triggers)"
        sys["quality_counts.tbl"] = "record table: cases, prosecutions or events"
        sys["quality_counts.pos"] = "0 for records with any recommended field empty, then each field in the order of the quality report"
        sys["quality_counts.field"] = "the recommended field (* for any of them)"
        sys["quality_counts.n"] = "how many records not deleted of that table and status have it empty (kept by triggers)"
        sys["case_help.case_uuid"] = "the case helped (one row per case with assistance)"
        sys["case_help.n"] = "how many assistance rows the case has (kept by triggers)"
        sys["case_help.reintegrated"] = "how many of them are a completed reintegration (kept by triggers)"
        fixed["v_cases_counted.count_sex"] = "sex"
        fixed["case_screening.answer"] = "answer"
        fixed["suspects.stage"] = "suspect_stage"
    }
    {
        t = $1; c = $3
        if (t != cur) {
            if (cur != "") print ""
            cur = t
            print "## " ($2 == "view" ? "View " : "") "`" t "`"
            print ""
            print "| column | type | meaning | codes |"
            print "|---|---|---|---|"
        }
        # A view inherits what its table says of the same column.
        m = meaning(t, c); l = codelist(t, c)
        if (t ~ /^v_/) { b = t; sub(/^v_/, "", b); sub(/_counted$/, "", b)
            if (m == "") m = meaning(b, c)
            if (l == "") l = codelist(b, c) }
        if (t == "case_screening" && c == "item")
            m = "the screening question (`act_*`, `means_*`, `purpose_*`, `cond_*`); see Screening questions below"
        gsub(/\|/, "\\|", m); gsub(/\|/, "\\|", l)
        print "| `" c "` | " $4 " | " m " | " l " |"
    }' "$tmp/fields" "$tmp/lists" "$tmp/cols" >"$tmp/body"

cat <<'EOF'
# tipdesk data dictionary

Every table, view and column of the database, with what it holds and its codes. Generated by
`sh db/dictionary.sh > db/README.md` from the schema (`db/0*.sql`) and the forms
(`forms/*.ini`, `forms/lists.ini`); do not edit by hand. The counting rules are in the main
README ("Counting rules"); the views `v_cases_counted`, `v_prosecutions_counted` and
`v_events_counted` hold them, and `code_label` holds the label of every code. Dates are
ISO `YYYY-MM-DD` (a birth date may be `YYYY` or `YYYY-MM`); multi-select columns hold codes
joined by `;`; yes/no columns hold 1 or 0. The `*_fts` tables are the search index of names
and refs (SQLite FTS5) and hold nothing of their own. Reading the file safely: README.md, "Reading the
database with other tools".

EOF
cat "$tmp/body"
echo
echo "## Screening questions (\`case_screening.item\`)"
echo
echo "| item | question |"
echo "|---|---|"
awk -F'|' '$1 == "case_screening" { i = $2; sub(/^item /, "", i)
    print "| `" i "` | " $3 ($4 != "" ? " / " $4 : "") " |" }' "$tmp/fields"
