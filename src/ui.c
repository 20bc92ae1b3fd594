/* The terminal: start-up checks, colour roles, layout, the view stack and
 * the one event loop that dispatches keys to the top view. */
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <curses.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "config.h"
#include "db.h"
#include "db_user.h"
#include "formdef.h"
#include "text.h"
#include "ui.h"
#include "user.h"
#include "util.h"

#define MIN_COLS 80
#define MIN_ROWS 24

/* Colour roles: foreground, background, and the attribute used without
 * colour (NO_COLOR, color = never, or a monochrome terminal). */
static const struct {
    short fg, bg;
    int extra;              /* added in colour too */
    int mono;
} roles[R_NROLES] = {
    [R_NORMAL]   = { -1, -1, 0, 0 },
    [R_TITLE]    = { COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE },
    [R_BARKEY]   = { COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
    [R_BARTEXT]  = { -1, -1, 0, 0 },
    [R_MSG]      = { -1, -1, 0, 0 },
    [R_ERROR]    = { COLOR_WHITE, COLOR_RED, A_BOLD, A_REVERSE | A_BOLD },
    [R_WARN]     = { COLOR_BLACK, COLOR_YELLOW, 0, A_BOLD | A_UNDERLINE },
    [R_GOOD]       = { COLOR_GREEN, -1, A_BOLD, A_BOLD },
    [R_SELECT]   = { COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
    [R_HEADER]   = { COLOR_YELLOW, -1, A_BOLD, A_BOLD | A_UNDERLINE },
    [R_LABEL]    = { -1, -1, 0, 0 },
    [R_FIELD]    = { COLOR_CYAN, -1, 0, A_UNDERLINE },
    [R_CURFIELD] = { COLOR_BLACK, COLOR_WHITE, 0, A_REVERSE },
    [R_READONLY] = { COLOR_GREEN, -1, 0, A_BOLD },
    [R_SECTION]  = { COLOR_YELLOW, -1, A_BOLD, A_BOLD },
    [R_DELETED]  = { COLOR_RED, -1, A_DIM, A_DIM },
    [R_BOX]      = { -1, -1, 0, 0 },
    [R_DIM]      = { -1, -1, A_DIM, A_DIM },
};

static int term_on;

/* TIPDESK_BENCH_LOG=FILE: one line per key, "ACTION MICROSECONDS" from the
 * key read to the screen redrawn (for tests/bench_ui.sh); work done when no
 * key waits (a list's count, a form's draft) is logged as action 99. */
static FILE *bench_log;
static struct timespec bench_t0;
static int bench_act = -1;
#define BENCH_IDLE 99       /* the action logged for an idle event */

static void bench_done(void)
{
    struct timespec t1;

    if (!bench_log || bench_act < 0)
        return;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    fprintf(bench_log, "%d %ld\n", bench_act, (long)((t1.tv_sec - bench_t0.tv_sec) * 1000000L
            + (t1.tv_nsec - bench_t0.tv_nsec) / 1000));
    fflush(bench_log);
    bench_act = -1;
}

/* Gives the terminal back; safe to call twice and from die(). */
static void term_end(void)
{
    if (!term_on)
        return;
    term_on = 0;
    endwin();
}

static void on_signal(int sig)
{
    term_end();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void signals_install(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

/* Ctrl-S and Ctrl-Q are keys here, not flow control. */
static void flow_control_off(void)
{
    struct termios t;

    if (tcgetattr(STDIN_FILENO, &t) == 0) {
        t.c_iflag &= ~(tcflag_t)(IXON | IXOFF);
        tcsetattr(STDIN_FILENO, TCSANOW, &t);
        def_prog_mode();
    }
}

static void term_start(struct ui *ui)
{
    const char *nc = getenv("NO_COLOR");
    enum color_mode mode = ui->app->cfg->color;
    size_t i;

    initscr();
    term_on = 1;
    die_hook = term_end;
    atexit(term_end);
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    set_escdelay(25);
    flow_control_off();

    ui->color = has_colors() && mode != COLOR_NEVER
                && (mode == COLOR_ALWAYS || !nc || !*nc);
    if (ui->color) {
        start_color();
        use_default_colors();
        for (i = 1; i < R_NROLES; i++)
            init_pair((short)i, roles[i].fg, roles[i].bg);
    }
}

int ui_attr(const struct ui *ui, enum ui_role role)
{
    if (!ui->color)
        return roles[role].mono;
    return (role == R_NORMAL ? 0 : (int)COLOR_PAIR(role)) | roles[role].extra;
}

const char *ui_tr_in(const struct ui *ui, const char *lang, const char *key, const char *def)
{
    const char *s = ui->fs ? formset_text(ui->fs, key, lang) : NULL;

    return (!s || strcmp(s, key) == 0) ? def : s;
}

const char *ui_tr(const struct ui *ui, const char *key, const char *def)
{
    return ui_tr_in(ui, ui->lang, key, def);
}

void ui_put(struct ui *ui, int y, int x, int cols, enum ui_role role, const char *s)
{
    char *cell;

    if (cols <= 0 || y < 0 || y >= ui->rows || x >= ui->cols)
        return;
    if (x + cols > ui->cols)
        cols = ui->cols - x;
    cell = text_fit_alloc(s ? s : "", cols, 1);
    attrset(ui_attr(ui, role));
    mvaddstr(y, x, cell);
    attrset(A_NORMAL);
    free(cell);
}

void ui_putf(struct ui *ui, int y, int x, int cols, enum ui_role role, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    ui_put(ui, y, x, cols, role, buf);
}

void ui_put_right(struct ui *ui, int y, int x, int cols, enum ui_role role, const char *s)
{
    int pad = cols - text_width(s);

    if (pad > 0)
        ui_put(ui, y, x, pad, role, "");
    else
        pad = 0;
    ui_put(ui, y, x + pad, cols - pad, role, s);
}

void ui_date(const struct ui *ui, const char *iso, char out[11])
{
    size_t n = iso ? strlen(iso) : 0;

    if (!ui->dmy || n != 10 || iso[4] != '-') {
        snprintf(out, 11, "%s", iso ? iso : "");
        return;
    }
    snprintf(out, 11, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
}

void ui_msg(struct ui *ui, enum ui_role role, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(ui->msg, sizeof(ui->msg), fmt, ap);
    va_end(ap);
    ui->msg_role = role;
}

/* Title bar: program and screen, office, user, date. */
static void draw_title(struct ui *ui)
{
    const struct config *c = ui->app->cfg;
    char today[11], date[11], right[256];
    int w;

    util_today(today);
    ui_date(ui, today, date);
    snprintf(right, sizeof(right), "%s  %s ", c->user ? c->user : "", date);
    w = text_width(right);
    ui_putf(ui, 0, 0, ui->cols - w, R_TITLE, " tipdesk │ %s %s",
            c->office_code, c->office_name ? c->office_name : "");
    ui_put(ui, 0, ui->cols - w, w, R_TITLE, right);
}

static unsigned view_ctx(const struct ui_view *v)
{
    return v->scr->keys_now ? v->scr->keys_now(v->st) : v->scr->keys;
}

static void draw_view(struct ui *ui, struct ui_view *v)
{
    if (v->overlay && v->below)
        draw_view(ui, v->below);
    v->scr->draw(ui, v->st);
}

/* Draws everything: the whole screen is redrawn after every key, curses
 * sends only what changed. */
static void draw_all(struct ui *ui)
{
    getmaxyx(stdscr, ui->rows, ui->cols);
    ui->small = ui->rows < MIN_ROWS || ui->cols < MIN_COLS;
    ui->work_y = 1;
    ui->work_h = ui->rows - 4;
    ui->cur_y = ui->cur_x = -1;
    erase();
    if (ui->small) {
        const char *m = ui_tr(ui, "app.too_small", "Terminal too small: needs at least 80x24");
        int y = ui->rows / 2;

        ui_putf(ui, y - 1, 0, ui->cols, R_WARN, "%s", m);
        ui_putf(ui, y, 0, ui->cols, R_NORMAL, "(%dx%d)", ui->cols, ui->rows);
        ui_put(ui, y + 1, 0, ui->cols, R_NORMAL, ui_tr(ui, "screen.too_small_quit", "F10 quit"));
        curs_set(0);
        refresh();
        return;
    }
    draw_title(ui);
    if (ui->top)
        draw_view(ui, ui->top);
    /* Only a message replaces what the view put on that line (a field's
     * help, or a question being typed); erase() has blanked it otherwise. */
    if (ui->msg[0])
        ui_put(ui, ui->rows - 3, 0, ui->cols, ui->msg_role, ui->msg);
    if (ui->top)
        ui_keys_draw_bar(ui, view_ctx(ui->top));
    if (ui->cur_y >= 0) {
        move(ui->cur_y, ui->cur_x);
        curs_set(1);
    } else {
        curs_set(0);
    }
    refresh();
    bench_done();
}

/* Reads one key and maps it through the table for CTX.  Returns 0 on a
 * resize or idle timeout (nothing to dispatch). */
static int read_event(struct ui *ui, unsigned ctx, struct ui_event *ev)
{
    wint_t wc;
    int r;

    timeout(ui->idle_ms > 0 ? ui->idle_ms : -1);
    r = get_wch(&wc);
    ev->act = ACT_NONE;
    ev->ch = 0;
    if (r == ERR) {
        if (bench_log && ui->idle_ms > 0) {   /* work done when idle: its own line */
            clock_gettime(CLOCK_MONOTONIC, &bench_t0);
            bench_act = BENCH_IDLE;
        }
        return ui->idle_ms > 0 ? 1 : 0;     /* idle: an empty event */
    }
    if (bench_log)
        clock_gettime(CLOCK_MONOTONIC, &bench_t0);
    if (r == KEY_CODE_YES) {
        if (wc == KEY_RESIZE)
            return 0;
        ev->act = ui_key_action(ctx, (int)wc, 1);
        bench_act = ev->act;
        return 1;
    }
    ev->act = ui_key_action(ctx, (int)wc, 0);
    bench_act = ev->act;
    if (ev->act == ACT_NONE && wc >= 0x20 && wc != 0x7f)
        ev->ch = wc;
    return 1;
}

static int any_dirty(struct ui *ui)
{
    struct ui_view *v;

    for (v = ui->top; v; v = v->below)
        if (v->scr->dirty && v->scr->dirty(v->st))
            return 1;
    return 0;
}

void ui_quit(struct ui *ui)
{
    if (!any_dirty(ui) || ui_confirm(ui, ui_tr(ui, "screen.quit_unsaved",
            "Unsaved changes: quit anyway? (they stay as a draft)")))
        ui->quit = 1;
}

void ui_loop(struct ui *ui, int depth)
{
    struct ui_event ev;

    while (!ui->quit && ui->top && ui->depth >= depth) {
        struct ui_view *v = ui->top;
        unsigned ctx;

        draw_all(ui);
        ctx = ui->small ? KC_GLOBAL : view_ctx(v);
        if (!read_event(ui, ctx, &ev))
            continue;
        if (ev.act != ACT_NONE || ev.ch)
            ui->msg[0] = '\0';
        if (ui->small) {
            if (ev.act == ACT_QUIT)
                ui_quit(ui);
            continue;
        }
        if (ev.act == ACT_LANG) {
            ui->lang = strcmp(ui->lang, "lo") == 0 ? "en" : "lo";
            continue;
        }
        if (!ui_role_allows(ui, ev.act, ctx)) {
            ui_msg(ui, R_ERROR, "%s", ui_role_why(ui, ev.act, ctx));
            continue;
        }
        if (v->scr->key(ui, v->st, &ev))
            continue;
        switch (ev.act) {
        case ACT_BACK: if (ui->depth > 1) ui_pop(ui); break;
        case ACT_QUIT: ui_quit(ui); break;
        case ACT_HELP: ui_keys_help(ui, ctx); break;
        default: break;
        }
    }
}

void ui_pop_to(struct ui *ui, int depth)
{
    while (ui->top && ui->depth >= depth)
        ui_pop(ui);
}

static void push(struct ui *ui, const struct ui_screen *scr, void *st, int overlay)
{
    struct ui_view *v = xcalloc(1, sizeof(*v));

    v->scr = scr;
    v->st = st;
    v->overlay = overlay;
    v->below = ui->top;
    ui->top = v;
    ui->depth++;
}

void ui_push(struct ui *ui, const struct ui_screen *scr, void *st)
{
    push(ui, scr, st, 0);
}

void ui_push_overlay(struct ui *ui, const struct ui_screen *scr, void *st)
{
    push(ui, scr, st, 1);
}

void ui_pop(struct ui *ui)
{
    struct ui_view *v = ui->top;

    if (!v)
        return;
    ui->top = v->below;
    ui->depth--;
    if (v->scr->free)
        v->scr->free(v->st);
    free(v);
}

/* A question on the message line: an overlay view with its own keys. */
struct ask {
    const char *question, *keys;
    int answer, done;
};

static void ask_draw(struct ui *ui, void *st)
{
    struct ask *a = st;

    ui_msg(ui, R_WARN, "%s", a->question);
}

static int ask_key(struct ui *ui, void *st, const struct ui_event *ev)
{
    struct ask *a = st;
    wint_t c = ev->ch;

    if (ev->act == ACT_YES)
        c = 'y';
    else if (ev->act == ACT_NO)
        c = 'n';
    if (c && c < 0x80 && strchr(a->keys, (int)c)) {
        a->answer = (int)c;
        ui_pop(ui);
        return 1;
    }
    if (ev->act == ACT_BACK || ev->act == ACT_QUIT) {
        a->answer = 0;
        ui_pop(ui);
        return 1;
    }
    return ev->act != ACT_HELP;
}

static const struct ui_screen ask_screen = {
    .name = "ask",
    .keys = KC_ASK | KC_GLOBAL,
    .draw = ask_draw,
    .key = ask_key,
};

int ui_choose(struct ui *ui, const char *question, const char *keys)
{
    struct ask a = { question, keys, 0, 0 };
    int d;

    ui_push_overlay(ui, &ask_screen, &a);
    d = ui->depth;
    ui_loop(ui, d);
    ui_pop_to(ui, d);
    ui->msg[0] = '\0';
    return a.answer;
}

int ui_confirm(struct ui *ui, const char *question)
{
    char q[600];
    int c;

    snprintf(q, sizeof(q), strstr(question, "(y/n)") ? "%s" : "%s  (y/n)", question);
    c = ui_choose(ui, q, "yYnN");
    return c == 'y' || c == 'Y';
}

void ui_progress(struct ui *ui, long done, long total, const char *label)
{
    int w = ui->cols - 30, fill;
    char bar[1024], *fit;

    if (w < 10 || !term_on)
        return;
    if (w > 500)
        w = 500;
    fill = total > 0 ? (int)((double)done * w / (double)total) : 0;
    memset(bar, '#', (size_t)fill);
    memset(bar + fill, '.', (size_t)(w - fill));
    bar[w] = '\0';
    /* The label fitted by display width: a Lao label is never cut inside a
     * character or a cluster. */
    fit = text_fit_alloc(label, 18, 1);
    ui_putf(ui, ui->rows - 3, 0, ui->cols, R_MSG, "%s%*s [%s] %3ld%%", fit,
            18 - text_width(fit), "", bar, total > 0 ? done * 100 / total : 0);
    free(fit);
    refresh();
}

/* A name and a password file given (--user, TIPDESK_USER and
 * --password-file, TIPDESK_PASSWORD_FILE) log in before the screens start,
 * for kiosks and tests; a database without users cannot be used. */
static int ui_login_start(struct ui *ui)
{
    struct app *app = ui->app;

    if (db_user_count(ui->db) == 0) {
        fprintf(stderr, "tipdesk: %s has no users yet: create the administrator with "
                "'tipdesk init --admin NAME'\n", app->cfg->db_path);
        return -1;
    }
    if (app_login_name(app) && app_password_file(app) && app_login(app, -1, "tipdesk") < 0) {
        fprintf(stderr, "tipdesk: %s\n", err_msg());
        return -1;
    }
    return 0;
}

/* Start-up: everything that can fail does so before initscr, with a plain
 * message on stderr. */
static int start_checks(struct ui *ui)
{
    const char *cs;

    setlocale(LC_ALL, "");
    cs = nl_langinfo(CODESET);
    if (!cs || strcmp(cs, "UTF-8") != 0) {
        fprintf(stderr, "tipdesk: the terminal's character set is %s, not UTF-8; "
                "Lao text needs UTF-8: run with LANG=C.UTF-8 (or another UTF-8 locale)\n",
                cs && *cs ? cs : "unknown");
        return -1;
    }
    /* The database's quick check at start is what costs the same at any
     * size: db_open's header, application id and schema version, and the
     * schema itself, read in full by the forms' column check below.  Nothing
     * here reads records: PRAGMA quick_check reads every page (seconds at
     * 100 000 cases), so it is left to 'tipdesk check'; the home screen's
     * counts are kept by the database (db/004_counts.sql). */
    ui->db = app_db(ui->app, 0);
    if (!ui->db) {
        fprintf(stderr, "tipdesk: %s\n(run 'tipdesk init' to create the database)\n", err_msg());
        return -1;
    }
    ui->fs = formset_load(ui->app->cfg->forms_dir);
    if (!ui->fs || formset_check_db(ui->fs, ui->db) < 0) {
        fprintf(stderr, "tipdesk: %s\n", err_msg());
        return -1;
    }
    if (ui_login_start(ui) < 0)
        return -1;
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        fprintf(stderr, "tipdesk: the data-entry screens need a terminal; "
                "see 'tipdesk --help' for the commands\n");
        return -1;
    }
    return 0;
}

int ui_run(struct app *app)
{
    struct ui ui;
    const char *bench = getenv("TIPDESK_BENCH_START");

    memset(&ui, 0, sizeof(ui));
    ui.app = app;
    ui.lang = strcmp(app->cfg->language, "lo") == 0 ? "lo" : "en";
    ui.dmy = app->cfg->date_dmy;
    if (start_checks(&ui) < 0) {
        formset_free(ui.fs);
        return EXIT_FAIL;
    }
    if (getenv("TIPDESK_BENCH_LOG"))
        bench_log = fopen(getenv("TIPDESK_BENCH_LOG"), "w");
    signals_install();
    term_start(&ui);
    if (!app->logged_in && ui_login_run(&ui) < 0) {
        while (ui.top)
            ui_pop(&ui);
        term_end();
        die_hook = NULL;
        formset_free(ui.fs);
        return EXIT_OK;
    }
    ui_home_open(&ui);
    if (bench && *bench) {
        /* Benchmarks: draw the home screen once and leave. */
        draw_all(&ui);
    } else {
        draw_all(&ui);
        if (ui_role_can(&ui, PERM_EDIT))
            ui_drafts_offer(&ui);
        ui_loop(&ui, 1);
    }
    while (ui.top)
        ui_pop(&ui);
    term_end();
    die_hook = NULL;
    formset_free(ui.fs);
    if (bench_log)
        fclose(bench_log);
    return EXIT_OK;
}
