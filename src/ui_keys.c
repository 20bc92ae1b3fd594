/* The one key table: every key of every screen, the action it stands for and
 * the contexts where it works.  The key bar and the F1 help are drawn from
 * it, so they show exactly the keys that work on the current screen. */
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "ui.h"
#include "util.h"

#define CTRL(c) ((c) & 0x1f)
#define FN 1
#define CH 0

struct key_row {
    enum ui_act act;
    int key, fn;            /* fn: a curses KEY_ code, else a character */
    unsigned ctx;
    const char *name;       /* as shown: "F2", "^S" */
    int bar;                /* shown in the key bar (all rows are in F1 help) */
    const char *text;       /* ui.ini key of the label */
    const char *def;        /* English label when ui.ini has none */
};

/* The first matching row wins, so context-specific rows come before
 * general ones. */
static const struct key_row keys[] = {
    /* questions */
    { ACT_YES,      'y', CH, KC_ASK, "y", 1, "bar.yes", "Yes" },
    { ACT_YES,      'Y', CH, KC_ASK, "Y", 0, "bar.yes", "Yes" },
    { ACT_NO,       'n', CH, KC_ASK, "n", 1, "bar.no", "No" },
    { ACT_NO,       'N', CH, KC_ASK, "N", 0, "bar.no", "No" },
    /* export/import: the menu, bundle files, export options */
    { ACT_BUNDLE,   '1', CH, KC_XFER, "1", 0, "xfer.k_bundle", "Export a bundle of changes" },
    { ACT_BUNDLE_ALL, '2', CH, KC_XFER, "2", 0, "xfer.k_bundle_all", "Export a bundle of all records" },
    { ACT_IMPORT,   '3', CH, KC_XFER, "3", 0, "xfer.k_import", "Import bundles" },
    { ACT_CSV,      '4', CH, KC_XFER, "4", 0, "xfer.k_csv", "Export a table to CSV" },
    { ACT_MISSING,  '5', CH, KC_XFER, "5", 0, "xfer.k_missing", "Bundles not yet received" },
    { ACT_OPEN,     '\r', CH, KC_FILES, "Enter", 1, "xfer.k_go", "Import" },
    { ACT_OPEN,     '\n', CH, KC_FILES, "^J", 0, "xfer.k_go", "Import" },
    { ACT_OPEN,     KEY_ENTER, FN, KC_FILES, "Enter", 0, "xfer.k_go", "Import" },
    { ACT_PATH,     'p', CH, KC_FILES, "p", 1, "xfer.k_path", "Type a path" },
    { ACT_SAVE,     KEY_F(2), FN, KC_OPTS, "F2", 1, "xfer.k_write", "Write the file" },
    { ACT_SAVE,     CTRL('s'), CH, KC_OPTS, "^S", 0, "xfer.k_write", "Write the file" },
    { ACT_TOGGLE,   ' ', CH, KC_OPTS, "Space", 1, "xfer.k_change", "Change" },
    { ACT_TOGGLE,   '\r', CH, KC_OPTS, "Enter", 1, "xfer.k_change", "Change" },
    { ACT_TOGGLE,   '\n', CH, KC_OPTS, "^J", 0, "xfer.k_change", "Change" },
    { ACT_TOGGLE,   KEY_ENTER, FN, KC_OPTS, "Enter", 0, "xfer.k_change", "Change" },
    { ACT_RIGHT,    KEY_RIGHT, FN, KC_OPTS, "→", 0, "xfer.k_change", "Change" },
    { ACT_LEFT,     KEY_LEFT, FN, KC_OPTS, "←", 0, "xfer.k_change_back", "Change back" },
    /* login and password change; the account forms' Enter first */
    { ACT_OPEN,     '\r', CH, KC_ACCOUNT_FORM, "Enter", 1, "login.k_done", "Confirm" },
    { ACT_OPEN,     '\n', CH, KC_ACCOUNT_FORM, "^J", 0, "login.k_done", "Confirm" },
    { ACT_OPEN,     KEY_ENTER, FN, KC_ACCOUNT_FORM, "Enter", 0, "login.k_done", "Confirm" },
    { ACT_OPEN,     '\r', CH, KC_LOGIN, "Enter", 1, "login.k_enter", "Log in" },
    { ACT_OPEN,     '\n', CH, KC_LOGIN, "^J", 0, "login.k_enter", "Log in" },
    { ACT_OPEN,     KEY_ENTER, FN, KC_LOGIN, "Enter", 0, "login.k_enter", "Log in" },
    { ACT_NEXT,     '\t', CH, KC_LOGIN, "Tab", 1, "login.k_next", "Next field" },
    { ACT_NEXT,     KEY_DOWN, FN, KC_LOGIN, "↓", 0, "login.k_next", "Next field" },
    { ACT_PREV,     KEY_UP, FN, KC_LOGIN, "↑", 0, "login.k_prev", "Previous field" },
    { ACT_PASSWD,   'p', CH, KC_ACCOUNT, "p", 1, "login.k_passwd", "Change password" },
    { ACT_USERS,    'u', CH, KC_ACCOUNT, "u", 1, "users.k_users", "Users" },
    /* users */
    { ACT_NEW,      'n', CH, KC_USERS, "n", 1, "users.k_new", "New user" },
    { ACT_PASSWD,   'p', CH, KC_USERS, "p", 1, "users.k_passwd", "Set password" },
    { ACT_DELETE,   'd', CH, KC_USERS, "d", 1, "users.k_disable", "Disable" },
    { ACT_UNDELETE, 'e', CH, KC_USERS, "e", 1, "users.k_enable", "Enable" },
    /* forms */
    { ACT_SAVE,     KEY_F(2), FN, KC_FORM, "F2", 1, "keys.save", "Save" },
    { ACT_SAVE,     CTRL('s'), CH, KC_FORM, "^S", 1, "keys.save", "Save" },
    { ACT_DRAFT,    KEY_F(3), FN, KC_FORM, "F3", 1, "bar.draft", "Draft" },
    { ACT_DRAFT,    CTRL('w'), CH, KC_FORM, "^W", 1, "bar.draft", "Draft" },
    { ACT_PICK,     KEY_F(4), FN, KC_FORM, "F4", 1, "keys.pick", "Pick" },
    { ACT_PICK,     CTRL('p'), CH, KC_FORM, "^P", 1, "keys.pick", "Pick" },
    { ACT_NEXT,     '\t', CH, KC_FORM, "Tab", 0, "keys.next", "Next field" },
    { ACT_OPEN,     '\r', CH, KC_FORM, "Enter", 1, "keys.next", "Next field" },
    { ACT_OPEN,     '\n', CH, KC_FORM, "^J", 0, "keys.next", "Next field" },
    { ACT_OPEN,     KEY_ENTER, FN, KC_FORM, "Enter", 0, "keys.next", "Next field" },
    { ACT_NEXT,     KEY_DOWN, FN, KC_FORM, "↓", 0, "keys.next", "Next field" },
    { ACT_NEXT,     CTRL('n'), CH, KC_FORM, "^N", 0, "keys.next", "Next field" },
    { ACT_PREV,     KEY_BTAB, FN, KC_FORM, "⇧Tab", 0, "keys.prev", "Previous field" },
    { ACT_PREV,     KEY_UP, FN, KC_FORM, "↑", 1, "keys.prev", "Previous field" },
    { ACT_PGUP,     KEY_PPAGE, FN, KC_FORM, "PgUp", 0, "bar.section_prev", "Previous section" },
    { ACT_PGDN,     KEY_NPAGE, FN, KC_FORM, "PgDn", 1, "bar.section_next", "Next section" },
    { ACT_PGUP,     CTRL('b'), CH, KC_FORM, "^B", 0, "bar.section_prev", "Previous section" },
    { ACT_PGDN,     CTRL('f'), CH, KC_FORM, "^F", 0, "bar.section_next", "Next section" },
    /* pickers: space toggles a choice of a multi-choice list */
    { ACT_TOGGLE,   ' ', CH, KC_PICK, "Space", 1, "bar.toggle", "Mark" },
    { ACT_TOGGLE,   KEY_IC, FN, KC_PICK, "Ins", 0, "bar.toggle", "Mark" },
    /* Enter opens or chooses the selected row */
    { ACT_OPEN,     '\r', CH, KC_OPEN, "Enter", 1, "keys.open", "Open" },
    { ACT_OPEN,     '\n', CH, KC_OPEN, "^J", 0, "keys.open", "Open" },
    { ACT_OPEN,     KEY_ENTER, FN, KC_OPEN, "Enter", 0, "keys.open", "Open" },
    /* home */
    { ACT_CASES,    '1', CH, KC_HOME, "1", 0, "app.cases", "Victim cases" },
    { ACT_PROS,     '2', CH, KC_HOME, "2", 0, "app.prosecutions", "Prosecutions" },
    { ACT_EVENTS,   '3', CH, KC_HOME, "3", 0, "app.events", "Prevention events" },
    { ACT_REPORTS,  '4', CH, KC_HOME, "4", 0, "app.reports", "Reports" },
    { ACT_XFER,     '5', CH, KC_HOME, "5", 0, "app.exchange", "Export / import" },
    { ACT_SETTINGS, '6', CH, KC_HOME, "6", 0, "app.settings", "Settings / about" },
    { ACT_QUIT,     'q', CH, KC_HOME, "q", 0, "keys.quit", "Quit" },
    /* lists and child rows */
    { ACT_NEW,      'n', CH, KC_LIST | KC_KIDS, "n", 1, "keys.new", "New" },
    { ACT_NEW,      KEY_F(7), FN, KC_LIST | KC_KIDS, "F7", 1, "keys.new", "New" },
    { ACT_NEW,      KEY_IC, FN, KC_KIDS, "Ins", 0, "keys.new", "New" },
    { ACT_SEARCH,   '/', CH, KC_LIST, "/", 1, "keys.search", "Search" },
    { ACT_SEARCH,   KEY_F(3), FN, KC_LIST, "F3", 0, "keys.search", "Search" },
    { ACT_FILTER,   'f', CH, KC_LIST, "f", 1, "keys.filter", "Filter" },
    { ACT_FILTER,   KEY_F(4), FN, KC_LIST, "F4", 0, "keys.filter", "Filter" },
    { ACT_SORT,     's', CH, KC_LIST, "s", 1, "bar.sort", "Sort" },
    { ACT_SORT,     KEY_F(6), FN, KC_LIST, "F6", 0, "bar.sort", "Sort" },
    { ACT_SHOWDEL,  'x', CH, KC_LIST, "x", 1, "bar.show_deleted", "Deleted" },
    { ACT_SHOWDEL,  KEY_F(5), FN, KC_LIST, "F5", 0, "bar.show_deleted", "Deleted" },
    { ACT_DELETE,   'd', CH, KC_LIST | KC_KIDS, "d", 1, "keys.delete", "Delete" },
    { ACT_DELETE,   KEY_F(8), FN, KC_LIST | KC_KIDS, "F8", 1, "keys.delete", "Delete" },
    { ACT_DELETE,   KEY_DC, FN, KC_KIDS, "Del", 0, "keys.delete", "Delete" },
    { ACT_UNDELETE, 'u', CH, KC_LIST, "u", 1, "keys.undelete", "Undelete" },
    { ACT_FIRST,    'g', CH, KC_LIST, "g", 0, "bar.first", "First page" },
    { ACT_LAST,     'G', CH, KC_LIST, "G", 0, "bar.last", "Last page" },
    { ACT_CLEAR,    'd', CH, KC_CLEAR, "d", 1, "bar.clear_setting", "Clear" },
    { ACT_CLEAR,    KEY_DC, FN, KC_CLEAR, "Del", 0, "bar.clear_setting", "Clear" },
    { ACT_CLEAR,    KEY_F(8), FN, KC_CLEAR, "F8", 0, "bar.clear_setting", "Clear" },
    { ACT_DELETE,   'd', CH, KC_DISCARD, "d", 1, "bar.discard", "Discard" },
    { ACT_DELETE,   KEY_F(8), FN, KC_DISCARD, "F8", 1, "bar.discard", "Discard" },
    /* the line editor */
    { ACT_LEFT,     KEY_LEFT, FN, KC_EDIT, "←", 0, "bar.left", "Cursor left" },
    { ACT_RIGHT,    KEY_RIGHT, FN, KC_EDIT, "→", 0, "bar.right", "Cursor right" },
    { ACT_LSTART,   KEY_HOME, FN, KC_EDIT, "Home", 0, "bar.line_start", "Start of text" },
    { ACT_LSTART,   CTRL('a'), CH, KC_EDIT, "^A", 0, "bar.line_start", "Start of text" },
    { ACT_LEND,     KEY_END, FN, KC_EDIT, "End", 0, "bar.line_end", "End of text" },
    { ACT_LEND,     CTRL('e'), CH, KC_EDIT, "^E", 0, "bar.line_end", "End of text" },
    { ACT_BKSP,     KEY_BACKSPACE, FN, KC_EDIT, "Bksp", 0, "bar.backspace", "Delete back" },
    { ACT_BKSP,     0x7f, CH, KC_EDIT, "Bksp", 0, "bar.backspace", "Delete back" },
    { ACT_BKSP,     CTRL('h'), CH, KC_EDIT, "^H", 0, "bar.backspace", "Delete back" },
    { ACT_DEL,      KEY_DC, FN, KC_EDIT, "Del", 0, "bar.delete_char", "Delete" },
    { ACT_CLEAR,    CTRL('u'), CH, KC_EDIT, "^U", 0, "bar.clear", "Clear the text" },
    /* reports: which report, table and breakdown, the years, chart or table, export */
    { ACT_NEXT,     '\t', CH, KC_REPORT, "Tab", 1, "report_screen.k_next", "Next report" },
    { ACT_PREV,     KEY_BTAB, FN, KC_REPORT, "⇧Tab", 0, "report_screen.k_prev", "Previous report" },
    { ACT_RTABLE,   't', CH, KC_REPORT, "t", 1, "report_screen.k_table", "Table" },
    { ACT_BY,       'b', CH, KC_REPORT, "b", 1, "report_screen.k_by", "Breakdown" },
    { ACT_FILTER,   'f', CH, KC_REPORT, "f", 1, "report_screen.k_years", "Years" },
    { ACT_VIEW,     'c', CH, KC_REPORT, "c", 1, "report_screen.k_view", "Chart/table" },
    { ACT_EXPORT,   'e', CH, KC_REPORT, "e", 1, "report_screen.k_export", "Export CSV" },
    { ACT_LEFT,     KEY_LEFT, FN, KC_REPORT, "←", 0, "report_screen.k_left", "Columns left" },
    { ACT_RIGHT,    KEY_RIGHT, FN, KC_REPORT, "→", 0, "report_screen.k_right", "Columns right" },
    /* moving over rows */
    { ACT_UP,       KEY_UP, FN, KC_MOVE, "↑", 0, "bar.up", "Up" },
    { ACT_DOWN,     KEY_DOWN, FN, KC_MOVE, "↓", 0, "bar.down", "Down" },
    { ACT_UP,       CTRL('p'), CH, KC_MOVE, "^P", 0, "bar.up", "Up" },
    { ACT_DOWN,     CTRL('n'), CH, KC_MOVE, "^N", 0, "bar.down", "Down" },
    { ACT_PGUP,     KEY_PPAGE, FN, KC_MOVE, "PgUp", 0, "bar.pgup", "Page up" },
    { ACT_PGDN,     KEY_NPAGE, FN, KC_MOVE, "PgDn", 0, "bar.pgdn", "Page down" },
    { ACT_PGUP,     CTRL('b'), CH, KC_MOVE, "^B", 0, "bar.pgup", "Page up" },
    { ACT_PGDN,     CTRL('f'), CH, KC_MOVE, "^F", 0, "bar.pgdn", "Page down" },
    { ACT_FIRST,    KEY_HOME, FN, KC_MOVE, "Home", 0, "bar.first", "First page" },
    { ACT_LAST,     KEY_END, FN, KC_MOVE, "End", 0, "bar.last", "Last page" },
    /* everywhere */
    { ACT_HELP,     KEY_F(1), FN, KC_ALWAYS, "F1", 1, "keys.help", "Help" },
    { ACT_HELP,     CTRL('g'), CH, KC_ALWAYS, "^G", 0, "keys.help", "Help" },
    { ACT_LANG,     KEY_F(9), FN, KC_ALWAYS, "F9", 1, "keys.lang", "ພາສາລາວ" },
    { ACT_LANG,     CTRL('t'), CH, KC_ALWAYS, "^T", 0, "keys.lang", "ພາສາລາວ" },
    { ACT_BACK,     27, CH, KC_BACK, "Esc", 1, "keys.back", "Back" },
    { ACT_QUIT,     KEY_F(10), FN, KC_ALWAYS, "F10", 1, "keys.quit", "Quit" },
    { ACT_QUIT,     CTRL('q'), CH, KC_ALWAYS, "^Q", 1, "keys.quit", "Quit" },
};

enum ui_act ui_key_action(unsigned ctx, int k, int fn)
{
    size_t i;

    for (i = 0; i < ARRAY_LEN(keys); i++)
        if ((keys[i].ctx & ctx) && keys[i].key == k && keys[i].fn == fn)
            return keys[i].act;
    return ACT_NONE;
}

/* A row is live in CTX when no earlier row of CTX takes the same key. */
static int row_live(size_t i, unsigned ctx)
{
    size_t j;

    if (!(keys[i].ctx & ctx))
        return 0;
    for (j = 0; j < i; j++)
        if ((keys[j].ctx & ctx) && keys[j].key == keys[i].key && keys[j].fn == keys[i].fn)
            return 0;
    return 1;
}

static const char *row_label(const struct ui *ui, size_t i)
{
    if (keys[i].act == ACT_LANG)     /* names the other language */
        return ui_tr(ui, keys[i].text, strcmp(ui->lang, "lo") == 0 ? "English" : "ພາສາລາວ");
    return ui_tr(ui, keys[i].text, keys[i].def);
}

/* The key names of action ACT shown in the bar for CTX ("F2/^S"); ALL: every
 * bar key, else the first only. */
static void bar_names(unsigned ctx, enum ui_act act, int all, char *out, size_t n)
{
    size_t i;

    out[0] = '\0';
    for (i = 0; i < ARRAY_LEN(keys); i++) {
        if (keys[i].act != act || !keys[i].bar || !row_live(i, ctx))
            continue;
        if (out[0] && !all)
            break;
        if (out[0])
            strncat(out, "/", n - strlen(out) - 1);
        strncat(out, keys[i].name, n - strlen(out) - 1);
    }
}

/* Lays out the bar into two lines of COLS; returns 1 when everything fit.
 * DRAW: draw it too. */
static int bar_layout(struct ui *ui, unsigned ctx, int all, int draw)
{
    int seen[64] = {0};
    int y = ui->rows - 2, x = 0;
    size_t i;

    for (i = 0; i < ARRAY_LEN(keys); i++) {
        char names[64];
        const char *label;
        int w;

        if (!keys[i].bar || !row_live(i, ctx) || seen[keys[i].act] ||
            !ui_role_allows(ui, keys[i].act, ctx))
            continue;
        seen[keys[i].act] = 1;
        bar_names(ctx, keys[i].act, all, names, sizeof(names));
        label = row_label(ui, i);
        w = text_width(names) + 1 + text_width(label) + 1;
        if (x + w > ui->cols) {
            if (y == ui->rows - 1)
                return 0;
            y++;
            x = 0;
        }
        if (draw) {
            ui_put(ui, y, x, text_width(names), R_BARKEY, names);
            ui_put(ui, y, x + text_width(names), w - text_width(names), R_BARTEXT, "");
            ui_put(ui, y, x + text_width(names) + 1, text_width(label), R_BARTEXT, label);
        }
        x += w;
    }
    return 1;
}

void ui_keys_draw_bar(struct ui *ui, unsigned ctx)
{
    int all = bar_layout(ui, ctx, 1, 0);

    bar_layout(ui, ctx, all, 1);
}

/* F1: a page listing every key of the screen it was asked on. */
struct help {
    unsigned ctx;
    int top;
};

static void help_draw(struct ui *ui, void *st)
{
    struct help *h = st;
    int y = ui->work_y, line = 0;
    size_t i, j;

    ui_put(ui, y++, 0, ui->cols, R_HEADER, ui_tr(ui, "help.title", "Keys on this screen"));
    for (i = 0; i < ARRAY_LEN(keys) && y < ui->work_y + ui->work_h; i++) {
        char names[128] = "";
        int first = 1;

        if (!row_live(i, h->ctx))
            continue;
        /* one line per action: skip actions already listed */
        for (j = 0; j < i; j++)
            if (keys[j].act == keys[i].act && row_live(j, h->ctx))
                first = 0;
        if (!first)
            continue;
        for (j = i; j < ARRAY_LEN(keys); j++) {
            if (keys[j].act != keys[i].act || !row_live(j, h->ctx))
                continue;
            if (names[0])
                strncat(names, ", ", sizeof(names) - strlen(names) - 1);
            strncat(names, keys[j].name, sizeof(names) - strlen(names) - 1);
        }
        if (line++ < h->top)
            continue;
        ui_put(ui, y, 2, 22, R_BARKEY, names);
        ui_put(ui, y++, 26, ui->cols - 26, R_NORMAL, row_label(ui, i));
    }
    ui_msg(ui, R_MSG, "%s", ui_tr(ui, "help.more",
           "Text fields: type; Backspace removes the last mark. Esc goes back."));
}

static int help_key(struct ui *ui, void *st, const struct ui_event *ev)
{
    struct help *h = st;

    switch (ev->act) {
    case ACT_DOWN: case ACT_PGDN: h->top += ev->act == ACT_DOWN ? 1 : ui->work_h - 2; return 1;
    case ACT_UP: case ACT_PGUP:
        h->top -= ev->act == ACT_UP ? 1 : ui->work_h - 2;
        if (h->top < 0)
            h->top = 0;
        return 1;
    case ACT_HELP: ui_pop(ui); return 1;
    default: return 0;
    }
}

static const struct ui_screen help_screen = {
    .name = "help",
    .keys = KC_GLOBAL | KC_MOVE,
    .draw = help_draw,
    .key = help_key,
    .free = free,
};

void ui_keys_help(struct ui *ui, unsigned ctx)
{
    struct help *h = xcalloc(1, sizeof(*h));

    h->ctx = ctx;
    ui_push(ui, &help_screen, h);
}
