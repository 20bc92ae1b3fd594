/* formdef_dhis2 — the DHIS2 mapping file forms/dhis2.ini: which data element
 * and category option combo codes the DHIS2 export writes for each of its
 * fixed indicator and breakdown keys, and, for ADX with category attributes,
 * which category and category option codes.  The centre edits the codes;
 * the keys are fixed, and every one but the adx_* ones must be present. */
#ifndef TIPDESK_FORMDEF_DHIS2_H
#define TIPDESK_FORMDEF_DHIS2_H

struct dhis2_map;

/* Loads PATH.  NULL with err set ("FILE:LINE: ..." for a malformed line,
 * "FILE: [section] key: missing" for a key the export needs, "FILE:
 * [adx_category] ...: not usable as an XML attribute name"). */
struct dhis2_map *dhis2_map_load(const char *path);
void dhis2_map_free(struct dhis2_map *m);

/* The code of KEY in SECTION ("dataset", "data_element",
 * "category_option_combo", "adx_category", "adx_sex", "adx_age",
 * "adx_exploitation"); NULL when absent.  Borrowed from M. */
const char *dhis2_map_code(const struct dhis2_map *m, const char *section, const char *key);

#endif
