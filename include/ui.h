/* ui — the terminal screens (ncursesw).  ui.c owns the terminal: start-up
 * checks, colour roles, the layout (title bar, work area, message line, key
 * bar), the one key table (ui_keys.c) and the event loop over a stack of
 * views.  Every screen is one file ui_NAME.c with a _draw and a _key
 * function; only ui*.c include curses.
 *
 * Adding a screen (e.g. reports):
 *   1. In ui_report.c define the state, a draw function (draw the work area
 *      with ui_put/ui_attr, rows ui->work_y .. ui->work_y + ui->work_h - 1),
 *      a key function switching on ev->act (never on raw key codes; return
 *      1 when the key was used) and a free function, then
 *        static const struct ui_screen report_screen = {
 *            .name = "report", .keys = KC_GLOBAL | KC_MOVE,
 *            .draw = report_draw, .key = report_key, .free = report_free };
 *      and a public opener: void ui_report_open(struct ui *ui) that
 *      allocates the state and calls ui_push(ui, &report_screen, st).
 *   2. Declare the opener below (under "Screens"); ui_home.c already calls
 *      ui_report_open / ui_xfer_open for items 4 and 5.
 *   3. New keys: add ACT_* here and rows to the table in ui_keys.c with a
 *      KC_* context bit; the key bar and the F1 help follow from the table.
 *   Long work: call ui_progress(ui, done, total, label) now and then.
 *   Questions: ui_confirm(); messages: ui_msg(). */
#ifndef TIPDESK_UI_H
#define TIPDESK_UI_H

#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

struct app;
struct formset;
struct db;

/* Actions: what a key means on the current screen. */
enum ui_act {
    ACT_NONE, ACT_HELP, ACT_SAVE, ACT_DRAFT, ACT_LANG, ACT_BACK, ACT_QUIT,
    ACT_UP, ACT_DOWN, ACT_PGUP, ACT_PGDN, ACT_FIRST, ACT_LAST,
    ACT_LEFT, ACT_RIGHT, ACT_LSTART, ACT_LEND, ACT_BKSP, ACT_DEL, ACT_CLEAR,
    ACT_NEXT, ACT_PREV, ACT_OPEN, ACT_NEW, ACT_SEARCH, ACT_DELETE, ACT_UNDELETE,
    ACT_FILTER, ACT_SORT, ACT_SHOWDEL, ACT_PICK, ACT_TOGGLE,
    ACT_CASES, ACT_PROS, ACT_EVENTS, ACT_REPORTS, ACT_XFER, ACT_SETTINGS,
    ACT_YES, ACT_NO,
    ACT_BUNDLE, ACT_BUNDLE_ALL, ACT_IMPORT, ACT_CSV, ACT_MISSING, ACT_PATH,
    ACT_RTABLE, ACT_BY, ACT_VIEW, ACT_EXPORT,
    ACT_PASSWD, ACT_USERS
};

/* Key contexts: a screen's mask selects the rows of the key table. */
enum {
    KC_ALWAYS = 1 << 0,     /* help, language, quit: on every screen */
    KC_BACK   = 1 << 12,    /* Esc: on every screen but home */
    KC_GLOBAL = KC_ALWAYS | KC_BACK,
    KC_HOME   = 1 << 1,     /* 1..6 */
    KC_MOVE   = 1 << 2,     /* up/down/page/first/last over rows */
    KC_LIST   = 1 << 3,     /* open, new, search, delete, filter, sort */
    KC_EDIT   = 1 << 4,     /* line editing: typed text, cursor, backspace */
    KC_FORM   = 1 << 5,     /* save, draft, pick, next/prev field, sections */
    KC_PICK   = 1 << 6,     /* choose, toggle */
    KC_KIDS   = 1 << 7,     /* child rows: open, add, delete */
    KC_ASK    = 1 << 8,     /* yes / no */
    KC_OPEN   = 1 << 9,     /* Enter opens the selected row */
    KC_CLEAR  = 1 << 10,    /* d, Del, F8 empty the selected setting */
    KC_DISCARD = 1 << 11,   /* d, F8 discard the selected draft */
    KC_XFER   = 1 << 16,    /* export/import menu: 1..5 */
    KC_FILES  = 1 << 17,    /* bundle files: Enter imports, p types a path */
    KC_OPTS   = 1 << 18,    /* export options: change a value, F2 writes */
    KC_REPORT = 1 << 20,    /* reports: report, table, breakdown, years, chart, export */
    KC_LOGIN  = 1 << 24,    /* login and password change: Enter, Tab */
    KC_ACCOUNT = 1 << 25,   /* settings: change my password, users */
    KC_USERS  = 1 << 26,    /* users: new, password, disable, enable */
    KC_ACCOUNT_FORM = 1 << 27   /* a password or user form: Enter confirms (with KC_LOGIN) */
};

/* One key press after the table: ACT (ACT_NONE when the key means nothing
 * here) and CH, the typed character when it is text (else 0). */
struct ui_event {
    enum ui_act act;
    wint_t ch;
};

struct ui;

/* A kind of screen.  KEYS is its context mask; KEYS_NOW (may be NULL)
 * gives the mask for the current state instead (e.g. while searching). */
struct ui_screen {
    const char *name;
    unsigned keys;
    unsigned (*keys_now)(void *st);
    void (*draw)(struct ui *ui, void *st);
    /* Returns 1 when the event was used; unused ACT_BACK pops the view,
     * unused ACT_QUIT quits, unused ACT_HELP shows help. */
    int (*key)(struct ui *ui, void *st, const struct ui_event *ev);
    void (*free)(void *st);
    /* 1 when the view holds unsaved input (quit asks first); may be NULL. */
    int (*dirty)(void *st);
};

struct ui_view {
    const struct ui_screen *scr;
    void *st;
    struct ui_view *below;
    int overlay;            /* drawn over the view below (pickers, prompts) */
};

/* Colour roles: each has a colour pair and a monochrome attribute. */
enum ui_role {
    R_NORMAL, R_TITLE, R_BARKEY, R_BARTEXT, R_MSG, R_ERROR, R_WARN, R_GOOD,
    R_SELECT, R_HEADER, R_LABEL, R_FIELD, R_CURFIELD, R_READONLY, R_SECTION,
    R_DELETED, R_BOX, R_DIM, R_NROLES
};

struct ui {
    struct app *app;
    struct db *db;
    struct formset *fs;
    const char *lang;       /* "en" or "lo" */
    int dmy;                /* dates as dd/mm/yyyy */
    int color;              /* colours in use */
    int rows, cols;         /* terminal size */
    int work_y, work_h;     /* the work area: rows work_y .. work_y+work_h-1 */
    int cur_y, cur_x;       /* where a view wants the cursor; -1: hidden */
    int quit;
    struct ui_view *top;
    int depth;
    char msg[512];
    enum ui_role msg_role;
    int small;              /* the terminal is below 80x24 */
    int idle_ms;            /* >0: deliver ACT_NONE/ch 0 after this idle time */
    unsigned long changes;  /* +1 at every saved change: views recount */
};

/* Runs the screens over APP's config (start-up checks first); the exit code. */
int ui_run(struct app *app);

/* Quits, asking first when a view holds unsaved input. */
void ui_quit(struct ui *ui);

/* The view stack. */
void ui_push(struct ui *ui, const struct ui_screen *scr, void *st);
void ui_push_overlay(struct ui *ui, const struct ui_screen *scr, void *st);
/* Pops and frees the top view. */
void ui_pop(struct ui *ui);
/* Pops views until the stack is shallower than DEPTH (after a modal loop
 * that ended by quitting). */
void ui_pop_to(struct ui *ui, int depth);
/* Runs the event loop until the view stack is shallower than DEPTH (modal
 * views: push, then ui_loop(ui, ui->depth)). */
void ui_loop(struct ui *ui, int depth);

/* The text KEY of ui.ini in the current language, DEF when ui.ini has none. */
const char *ui_tr(const struct ui *ui, const char *key, const char *def);
/* The same in LANG ("en" or "lo"), whatever the screens show now. */
const char *ui_tr_in(const struct ui *ui, const char *lang, const char *key, const char *def);
/* Sets the message line (cleared at the next key unless set again). */
void ui_msg(struct ui *ui, enum ui_role role, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Asks QUESTION on the message line; 1 yes, 0 no or Esc. */
int ui_confirm(struct ui *ui, const char *question);
/* Asks QUESTION with the answers in KEYS (e.g. "cdn"), each labelled in
 * LABELS ("c Complete  d Draft  n Cancel"); the key pressed, or 0 on Esc. */
int ui_choose(struct ui *ui, const char *question, const char *keys);
/* Draws a progress bar on the message line at once (long work). */
void ui_progress(struct ui *ui, long done, long total, const char *label);

/* A picker over the items of a code list (ui_pick.c). */
struct list_item;
struct ui_pick {
    const char *title, *title_lo;   /* English and Lao (NULL: the English) */
    const struct list_item *const *items;
    size_t n;
    int multi;              /* several choices, marked in MARKED[n] */
    char *marked;
    const char *filter;     /* text already typed (NULL: none) */
    int current;            /* index selected at first, or -1 */
};
/* Runs the picker: the index chosen (one choice) or 1 (multi, MARKED
 * updated); -1 when the clerk pressed Esc. */
int ui_pick_run(struct ui *ui, struct ui_pick *p);
/* Asks QUESTION with a text answer typed on the message line (INIT: the
 * text to start with); the answer, or NULL on Esc.  Caller frees. */
char *ui_ask_text_alloc(struct ui *ui, const char *question, const char *init);
/* The same for a passphrase: a star is shown for each character typed. */
char *ui_ask_secret_alloc(struct ui *ui, const char *question);

/* Places and the list filter (ui_filter.c). */
/* The name of province or district PCODE in the current language (from the
 * code lists "province" and "district"); PCODE itself when unknown. */
const char *ui_place_name(const struct ui *ui, const char *pcode);
/* The filter dialog of a list: year (0: any), status, province and district
 * (each "" for any; S bytes each).  1 when something changed. */
int ui_filter_run(struct ui *ui, int *year, char *status, size_t ns, char *province,
                  char *district, size_t np);

/* Drawing: S cut or padded to exactly COLS columns at Y,X in ROLE. */
void ui_put(struct ui *ui, int y, int x, int cols, enum ui_role role, const char *s);
/* S right-aligned in COLS columns at Y,X, by display width (Lao marks take
 * none). */
void ui_put_right(struct ui *ui, int y, int x, int cols, enum ui_role role, const char *s);
/* ui_put, printf-style. */
void ui_putf(struct ui *ui, int y, int x, int cols, enum ui_role role, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* The curses attribute of ROLE (colour or monochrome). */
int ui_attr(const struct ui *ui, enum ui_role role);
/* A date "YYYY-MM-DD" as the clerk reads it (dd/mm/yyyy when configured). */
void ui_date(const struct ui *ui, const char *iso, char out[11]);

/* The key table (ui_keys.c). */
/* The action of key K (FN: a curses KEY_ code) in context mask CTX. */
enum ui_act ui_key_action(unsigned ctx, int k, int fn);
/* Draws the key bar for CTX on the last two rows. */
void ui_keys_draw_bar(struct ui *ui, unsigned ctx);
/* Shows every key of CTX with its meaning (F1). */
void ui_keys_help(struct ui *ui, unsigned ctx);

/* Roles (ui_role.c): 1 when the logged-in user's role may do PERM (an enum
 * user_perm), or ACT in key context CTX; the why for the message line
 * (static until the next call). */
int ui_role_can(const struct ui *ui, int perm);
int ui_role_allows(const struct ui *ui, enum ui_act act, unsigned ctx);
const char *ui_role_why(const struct ui *ui, enum ui_act act, unsigned ctx);
/* 1 when the user may save a record of OFFICE (NULL: a new one): a clerk
 * only this office's; else 0 with the why on the message line. */
int ui_role_may_save(struct ui *ui, const char *office);
/* ROLE's (an enum user_role) name in the language shown. */
const char *ui_role_label(const struct ui *ui, int role);
/* The login screen (ui_login.c): 0 once a user is logged in, -1 on quit. */
int ui_login_run(struct ui *ui);
/* The password change of the logged-in user. */
void ui_login_passwd(struct ui *ui);
/* For an admin: a new password for user NAME; a new user. */
void ui_login_set_password(struct ui *ui, const char *name);
void ui_login_add_user(struct ui *ui);

/* Screens. */
void ui_home_open(struct ui *ui);
/* The users of this database, for an admin (ui_users.c). */
void ui_users_open(struct ui *ui);
void ui_list_open(struct ui *ui, const char *table);
/* Opens the form of TABLE for record UUID (NULL: a new record); DRAFT_ID > 0
 * resumes that draft. */
void ui_form_open(struct ui *ui, const char *table, const char *uuid, int64_t draft_id);
void ui_report_open(struct ui *ui);
void ui_xfer_open(struct ui *ui);
/* Offers each draft left by an earlier run for resuming. */
void ui_drafts_offer(struct ui *ui);

#endif
