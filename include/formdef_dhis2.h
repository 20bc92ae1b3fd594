/* formdef_dhis2 — the DHIS2 mapping file forms/dhis2.ini: which data element
 * and category option combo codes the DHIS2 export writes for each of its
 * fixed indicator and breakdown keys.  The centre edits the codes; the keys
 * are fixed, and every one must be present. */
#ifndef TIPDESK_FORMDEF_DHIS2_H
#define TIPDESK_FORMDEF_DHIS2_H

struct dhis2_map;

/* Loads PATH.  NULL with err set ("FILE:LINE: ..." for a malformed line,
 * "FILE: [section] key: missing" for a key the export needs). */
struct dhis2_map *dhis2_map_load(const char *path);
void dhis2_map_free(struct dhis2_map *m);

/* The code of KEY in SECTION ("dataset", "data_element",
 * "category_option_combo"); NULL when absent.  Borrowed from M. */
const char *dhis2_map_code(const struct dhis2_map *m, const char *section, const char *key);

#endif
