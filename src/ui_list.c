/* Lists of records: one row per record, pages fetched by key (db_list_page)
 * so that every page costs the same, as many rows as the terminal holds,
 * incremental search, filters, sort, deleted records, delete and restore. */
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "db_draft.h"
#include "db_rec.h"
#include "edit.h"
#include "formdef.h"
#include "text.h"
#include "ui.h"
#include "user.h"
#include "util.h"

#define MAX_ROWS 200

struct list {
    const char *table;
    struct db_filter f;
    struct edit search;
    int searching;
    char status[16], province[16], district[16];
    int sortmode;
    struct db_row rows[MAX_ROWS];
    int nrows, sel, want;   /* want: rows the screen holds */
    int64_t count;
    int counting;           /* count not taken yet: taken when no key waits */
    unsigned long seen;     /* ui->changes at the last fetch */
    int stale;
};

static const struct {
    enum db_sort sort;
    int desc;
    const char *text, *def;
} sorts[] = {
    { DB_SORT_DATE, 1, "browse.sort_date_desc", "newest first" },
    { DB_SORT_DATE, 0, "browse.sort_date", "oldest first" },
    { DB_SORT_REF, 0, "browse.sort_ref", "by reference" },
    { DB_SORT_NAME, 0, "browse.sort_name", "by name" },
    { DB_SORT_UPDATED, 1, "browse.sort_updated", "last changed first" },
};

static const char *kind_title(const struct ui *ui, const char *table)
{
    if (strcmp(table, "cases") == 0)
        return ui_tr(ui, "app.cases", "Victim cases");
    if (strcmp(table, "prosecutions") == 0)
        return ui_tr(ui, "app.prosecutions", "Prosecutions");
    return ui_tr(ui, "app.events", "Prevention and NPA events");
}

static void fetch_fail(struct ui *ui, struct list *l)
{
    l->nrows = 0;
    ui_msg(ui, R_ERROR, "%s", err_msg());
}

/* Rows from the start (FORWARD) or the end. */
static void fetch_edge(struct ui *ui, struct list *l, int forward)
{
    int n = db_list_page(ui->db, l->table, &l->f, NULL, forward, l->rows, l->want);

    if (n < 0)
        { fetch_fail(ui, l); return; }
    l->nrows = n;
    l->sel = forward ? 0 : (n ? n - 1 : 0);
}

/* Refetches the page that starts at the current first row (after a resize,
 * an edit or a delete). */
static void fetch_here(struct ui *ui, struct list *l)
{
    struct db_row prev, first;
    int n, sel = l->sel;

    if (!l->nrows)
        { fetch_edge(ui, l, 1); return; }
    first = l->rows[0];
    n = db_list_page(ui->db, l->table, &l->f, &first, 0, &prev, 1);
    if (n < 0)
        { fetch_fail(ui, l); return; }
    n = db_list_page(ui->db, l->table, &l->f, n ? &prev : NULL, 1, l->rows, l->want);
    if (n < 0)
        { fetch_fail(ui, l); return; }
    l->nrows = n;
    l->sel = sel < n ? sel : (n ? n - 1 : 0);
}

static void count_now(struct ui *ui, struct list *l)
{
    l->count = db_list_count(ui->db, l->table, &l->f);
    l->counting = 0;
    ui->idle_ms = 0;
}

/* The count in the heading.  Without a search or a year or place filter it
 * is read from the kept counts at once; otherwise it reads rows (up to
 * DB_LIST_COUNT_MAX), so it waits until no key is waiting: the rows show
 * first, and typing a search is not slowed by counting each prefix. */
static void recount(struct ui *ui, struct list *l)
{
    l->seen = ui->changes;
    if (db_list_count_exact(&l->f)) {
        count_now(ui, l);
        return;
    }
    l->counting = 1;
}

/* The filter changed: back to the first page. */
static void refilter(struct ui *ui, struct list *l)
{
    const char *s = edit_text(&l->search);

    l->f.search = *s ? s : NULL;
    l->f.status = l->status[0] ? l->status : NULL;
    l->f.province = l->province[0] ? l->province : NULL;
    l->f.district = l->district[0] ? l->district : NULL;
    l->f.sort = sorts[l->sortmode].sort;
    l->f.descending = sorts[l->sortmode].desc;
    fetch_edge(ui, l, 1);
    recount(ui, l);
}

/* Next or previous page; at the end, the last full page. */
static void page(struct ui *ui, struct list *l, int forward)
{
    struct db_row tmp[MAX_ROWS];
    int n;

    if (!l->nrows)
        return;
    n = db_list_page(ui->db, l->table, &l->f, &l->rows[forward ? l->nrows - 1 : 0],
                     forward, tmp, l->want);
    if (n < 0)
        { fetch_fail(ui, l); return; }
    if (n == 0) {
        l->sel = forward ? l->nrows - 1 : 0;
        return;
    }
    if (n < l->want)
        { fetch_edge(ui, l, forward); return; }
    memcpy(l->rows, tmp, (size_t)n * sizeof(*tmp));
    l->nrows = n;
}

/* One row further: the page slides by one. */
static void step(struct ui *ui, struct list *l, int forward)
{
    struct db_row tmp;
    int n;

    if (forward ? l->sel + 1 < l->nrows : l->sel > 0) {
        l->sel += forward ? 1 : -1;
        return;
    }
    if (!l->nrows)
        return;
    n = db_list_page(ui->db, l->table, &l->f, &l->rows[forward ? l->nrows - 1 : 0],
                     forward, &tmp, 1);
    if (n <= 0)
        return;
    if (forward) {
        if (l->nrows == l->want)
            memmove(l->rows, l->rows + 1, (size_t)(l->nrows - 1) * sizeof(tmp));
        else
            l->nrows++;
        l->rows[l->nrows - 1] = tmp;
        l->sel = l->nrows - 1;
    } else {
        memmove(l->rows + 1, l->rows, (size_t)(l->nrows - (l->nrows == l->want)) * sizeof(tmp));
        if (l->nrows < l->want)
            l->nrows++;
        l->rows[0] = tmp;
        l->sel = 0;
    }
}

static const char *status_label(const struct ui *ui, const struct db_row *r)
{
    if (r->deleted)
        return ui_tr(ui, "list.deleted", "deleted");
    if (strcmp(r->status, "draft") == 0)
        return ui_tr(ui, "status.draft", "draft");
    if (strcmp(r->status, "verified") == 0)
        return ui_tr(ui, "status.verified", "verified");
    return ui_tr(ui, "status.complete", "complete");
}

static void draw_head(struct ui *ui, struct list *l)
{
    struct sbuf b = {0};
    char n[32];
    int y = ui->work_y;

    if (l->counting)
        snprintf(n, sizeof(n), "…");
    else
        snprintf(n, sizeof(n), "%lld%s", (long long)l->count,
                 !db_list_count_exact(&l->f) && l->count >= DB_LIST_COUNT_MAX ? "+" : "");
    sbuf_addf(&b, "%s: %s %s · %s", kind_title(ui, l->table), n,
              ui_tr(ui, "list.count", "records"),
              l->f.search && text_cp_count(l->f.search) >= 3
                  ? ui_tr(ui, "list.search_order", "latest entered first")
                  : ui_tr(ui, sorts[l->sortmode].text, sorts[l->sortmode].def));
    if (l->f.year)
        sbuf_addf(&b, " · %d", l->f.year);
    if (l->status[0]) {
        char key[32];

        snprintf(key, sizeof(key), "status.%s", l->status);
        sbuf_addf(&b, " · %s", ui_tr(ui, key, l->status));
    }
    if (l->province[0])
        sbuf_addf(&b, " · %s", ui_place_name(ui, l->district[0] ? l->district : l->province));
    if (l->f.deleted == 1)
        sbuf_addf(&b, " · %s", ui_tr(ui, "browse.only_deleted", "deleted only"));
    else if (l->f.deleted == 2)
        sbuf_addf(&b, " · %s", ui_tr(ui, "browse.with_deleted", "with deleted"));
    ui_put(ui, y, 0, ui->cols, R_HEADER, sbuf_str(&b));
    sbuf_free(&b);
    if (l->searching || l->f.search) {
        const char *q = ui_tr(ui, "list.search_prompt", "Search:");
        int qw = text_width(q) + 2, fw = ui->cols / 2;

        ui_put(ui, y + 1, 0, qw, R_LABEL, q);
        ui_put(ui, y + 1, qw, fw, l->searching ? R_CURFIELD : R_FIELD,
               edit_text(&l->search) + edit_scroll(&l->search, fw));
        if (l->searching) {
            ui->cur_y = y + 1;
            ui->cur_x = qw + edit_cursor_col(&l->search);
        }
    } else if (!ui_role_can(ui, PERM_PII)) {
        ui_put(ui, y + 1, 0, ui->cols, R_DIM, ui_tr(ui, "browse.hint_deid",
               "Without names: the reference stands for the record · f filter · s sort"));
    } else {
        ui_put(ui, y + 1, 0, ui->cols, R_DIM, ui_tr(ui, "browse.hint",
               "/ search by name, reference or village (Lao or English) · f filter · s sort"));
    }
}

static void list_draw(struct ui *ui, void *st)
{
    struct list *l = st;
    int want = ui->work_h - 3, y = ui->work_y + 2, i;
    int wref = 17, wdate = 11, wstat = 10, rest, wname, wplace, x;
    const char *place;

    if (want > MAX_ROWS)
        want = MAX_ROWS;
    if (want != l->want || l->stale || l->seen != ui->changes) {
        l->want = want;
        l->stale = 0;
        fetch_here(ui, l);
        recount(ui, l);
    }
    /* Idle events only while this list is on top: under a prompt they
     * would go to the prompt, over and over. */
    if (l->counting && ui->top && ui->top->st == l)
        ui->idle_ms = 1;
    draw_head(ui, l);
    /* The longest reference shown, whole: a centre's refs run to five
     * digits and more ("LA1301-2026-92143"); names and places give way. */
    for (i = 0; i < l->nrows; i++)
        if (text_width(l->rows[i].ref) + 1 > wref && text_width(l->rows[i].ref) + 1 <= 24)
            wref = text_width(l->rows[i].ref) + 1;
    rest = ui->cols - 1 - wref - wdate - wstat;
    wname = rest / 2;
    wplace = rest - wname;
    x = 1;
    ui_put(ui, y, 0, ui->cols, R_HEADER, "");
    ui_put(ui, y, x, wref, R_HEADER, ui_tr(ui, "list.ref", "Reference"));
    ui_put(ui, y, x + wref, wdate, R_HEADER, ui_tr(ui, "list.date", "Date"));
    ui_put(ui, y, x + wref + wdate, wname - 1, R_HEADER,
           strcmp(l->table, "cases") == 0 ? ui_tr(ui, "list.name", "Name")
                                          : ui_tr(ui, "browse.col_title", "Title"));
    ui_put(ui, y, x + wref + wdate + wname, wplace - 1, R_HEADER,
           ui_tr(ui, "list.place", "Place"));
    ui_put(ui, y, x + wref + wdate + wname + wplace, wstat - 1, R_HEADER,
           ui_tr(ui, "list.status", "Status"));
    y++;
    for (i = 0; i < l->nrows; i++, y++) {
        const struct db_row *r = &l->rows[i];
        enum ui_role role = i == l->sel ? R_SELECT : r->deleted ? R_DELETED : R_NORMAL;
        char date[11];

        ui_date(ui, r->date, date);
        place = strcmp(ui->lang, "lo") == 0 && r->place_lo[0] ? r->place_lo : r->place_en;
        ui_put(ui, y, 0, ui->cols, role, r->deleted ? "×" : "");
        ui_put(ui, y, x, wref - 1, role, r->ref);
        ui_put(ui, y, x + wref, wdate - 1, role, date);
        /* A viewer sees no names: the reference stands for the record. */
        ui_put(ui, y, x + wref + wdate, wname - 1, role,
               ui_role_can(ui, PERM_PII) ? r->title : "");
        ui_put(ui, y, x + wref + wdate + wname, wplace - 1, role, place);
        ui_put(ui, y, x + wref + wdate + wname + wplace, wstat - 1, role, status_label(ui, r));
    }
    if (!l->nrows)
        ui_put(ui, y, x, ui->cols - 2, R_DIM, l->f.search || l->f.year || l->status[0]
               || l->province[0] ? ui_tr(ui, "browse.none_found", "Nothing found.")
               : ui_tr(ui, "list.empty", "No records yet: press n to enter one."));
}

static void set_deleted(struct ui *ui, struct list *l, int undelete)
{
    const struct db_row *r;
    struct db_actor who;
    char q[512];
    int rc;

    if (!l->nrows)
        return;
    r = &l->rows[l->sel];
    if (r->deleted != undelete) {
        ui_msg(ui, R_WARN, "%s %s", r->ref, undelete
               ? ui_tr(ui, "browse.not_deleted", "is not deleted.")
               : ui_tr(ui, "browse.already_deleted", "is deleted already: u restores it."));
        return;
    }
    snprintf(q, sizeof(q), "%s %s %s?", undelete ? ui_tr(ui, "browse.ask_undelete", "Restore")
             : ui_tr(ui, "browse.ask_delete", "Delete"), r->ref, r->title);
    if (!ui_confirm(ui, q))
        return;
    app_actor(ui->app, &who);
    rc = undelete ? db_rec_restore(ui->db, l->table, r->uuid, &who)
                  : db_rec_delete(ui->db, l->table, r->uuid, &who);
    if (rc < 0) {
        ui_msg(ui, R_ERROR, "%s", err_msg());
        return;
    }
    ui->changes++;
    ui_msg(ui, R_GOOD, "%s %s", r->ref, undelete ? ui_tr(ui, "msg.restored", "restored.")
           : ui_tr(ui, "msg.deleted", "deleted (x shows deleted records, u restores)."));
}

static int is_search_edit(const struct ui_event *ev)
{
    switch (ev->act) {
    case ACT_LEFT: case ACT_RIGHT: case ACT_LSTART: case ACT_LEND:
    case ACT_BKSP: case ACT_DEL: case ACT_CLEAR:
        return 1;
    default:
        return ev->act == ACT_NONE && ev->ch;
    }
}

static int search_key(struct ui *ui, struct list *l, const struct ui_event *ev)
{
    struct edit *e = &l->search;
    char b[5] = {0};

    switch (ev->act) {
    case ACT_OPEN: case ACT_DOWN: l->searching = 0; return ev->act == ACT_OPEN;
    case ACT_BACK: edit_clear(e); l->searching = 0; refilter(ui, l); return 1;
    case ACT_LEFT: edit_left(e); return 1;
    case ACT_RIGHT: edit_right(e); return 1;
    case ACT_LSTART: edit_home(e); return 1;
    case ACT_LEND: edit_end(e); return 1;
    case ACT_BKSP: edit_backspace(e); refilter(ui, l); return 1;
    case ACT_DEL: edit_delete(e); refilter(ui, l); return 1;
    case ACT_CLEAR: edit_clear(e); refilter(ui, l); return 1;
    default: break;
    }
    if (ev->ch && text_encode((uint32_t)ev->ch, b) > 0) {
        if (edit_insert(e, b) == 0)
            refilter(ui, l);
        return 1;
    }
    return 0;
}

/* Opens record UUID.  Unsaved changes left for it (a power cut, a killed
 * program) are offered first: y continues them, n discards them and opens
 * the saved record, Esc opens nothing. */
static void open_row(struct ui *ui, const char *table, const char *uuid)
{
    struct db_draft d[32];
    int n = db_draft_list(ui->db, NULL, d, (int)ARRAY_LEN(d)), i, c;

    for (i = 0; i < n; i++) {
        if (strcmp(d[i].record_uuid, uuid) != 0)
            continue;
        c = ui_choose(ui, ui_tr(ui, "browse.resume_draft",
                      "Unsaved changes from before: y continues them, n discards them (y/n)"), "yYnN");
        if (c == 'y' || c == 'Y') {
            ui_form_open(ui, table, uuid, d[i].id);
        } else if (c == 'n' || c == 'N') {
            db_draft_delete(ui->db, d[i].id);
            ui_form_open(ui, table, uuid, 0);
        }
        return;
    }
    ui_form_open(ui, table, uuid, 0);
}

static int list_key(struct ui *ui, void *st, const struct ui_event *ev)
{
    struct list *l = st;

    if (ev->act == ACT_NONE && !ev->ch) {   /* idle: the count left to take */
        if (l->counting)
            count_now(ui, l);
        return 1;
    }
    /* Only typing in the search box leaves the count for later: any other
     * key may open another screen, which must not get this one's idle. */
    if (l->counting && !(l->searching && is_search_edit(ev)))
        count_now(ui, l);
    if (l->searching && search_key(ui, l, ev))
        return 1;
    switch (ev->act) {
    case ACT_UP: step(ui, l, 0); return 1;
    case ACT_DOWN: step(ui, l, 1); return 1;
    case ACT_PGDN: page(ui, l, 1); return 1;
    case ACT_PGUP: page(ui, l, 0); return 1;
    case ACT_FIRST: fetch_edge(ui, l, 1); return 1;
    case ACT_LAST: fetch_edge(ui, l, 0); return 1;
    case ACT_OPEN:
        if (l->nrows)
            open_row(ui, l->table, l->rows[l->sel].uuid);
        return 1;
    case ACT_NEW: ui_form_open(ui, l->table, NULL, 0); return 1;
    case ACT_SEARCH: l->searching = 1; return 1;
    case ACT_DELETE: set_deleted(ui, l, l->nrows && l->rows[l->sel].deleted); return 1;
    case ACT_UNDELETE: set_deleted(ui, l, 1); return 1;
    case ACT_SORT:
        l->sortmode = (l->sortmode + 1) % (int)ARRAY_LEN(sorts);
        refilter(ui, l);
        return 1;
    case ACT_SHOWDEL:
        l->f.deleted = l->f.deleted == 0 ? 2 : l->f.deleted == 2 ? 1 : 0;
        refilter(ui, l);
        return 1;
    case ACT_FILTER:
        if (ui_filter_run(ui, &l->f.year, l->status, sizeof(l->status), l->province,
                          l->district, sizeof(l->province)))
            refilter(ui, l);
        return 1;
    case ACT_BACK:
        if (l->f.search) {
            edit_clear(&l->search);
            refilter(ui, l);
            return 1;
        }
        return 0;
    default:
        return 0;
    }
}

static unsigned list_keys(void *st)
{
    struct list *l = st;

    if (l->searching)
        return KC_GLOBAL | KC_EDIT | KC_MOVE | KC_OPEN;
    return KC_GLOBAL | KC_LIST | KC_MOVE | KC_OPEN;
}

static void list_free(void *st)
{
    struct list *l = st;

    edit_free(&l->search);
    free(l);
}

static const struct ui_screen list_screen = {
    .name = "list",
    .keys_now = list_keys,
    .draw = list_draw,
    .key = list_key,
    .free = list_free,
};

void ui_list_open(struct ui *ui, const char *table)
{
    struct list *l = xcalloc(1, sizeof(*l));

    l->table = table;
    edit_init(&l->search, NULL, 60);
    l->f.sort = sorts[0].sort;
    l->f.descending = sorts[0].desc;
    l->stale = 1;
    ui_push(ui, &list_screen, l);
}
