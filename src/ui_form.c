/* The form screen: heads-down keying over a form definition.  Enter, Tab
 * and Down go to the next relevant field, Up and Shift-Tab back, PgUp/PgDn
 * by section; F2 validates and saves, F3 saves a draft; every change is
 * written to the drafts table at once so that nothing typed is lost. */
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "config.h"
#include "db_draft.h"
#include "db_rec.h"
#include "formdef.h"
#include "record.h"
#include "text.h"
#include "ui.h"
#include "ui_form.h"
#include "util.h"

#define IDLE_MS 400

static int shown(const struct form_view *v, size_t i)
{
    return form_relevant(v->fm, &v->fm->fields[i], v->r);
}

static int stop(const struct form_view *v, size_t i)
{
    return ui_field_enterable(&v->fm->fields[i]) && shown(v, i);
}

/* The next (DIR 1) or previous (-1) field the clerk can enter after FROM;
 * -1 when none. */
static int next_stop(const struct form_view *v, int from, int dir)
{
    int i;

    for (i = from + dir; i >= 0 && i < (int)v->fm->nfields; i += dir)
        if (stop(v, (size_t)i))
            return i;
    return -1;
}

static void go(struct form_view *v, int i)
{
    if (i < 0)
        return;
    v->cur = i;
    ui_field_load(v);
}

/* Writes the main record to its draft, with the text being typed when it
 * is a valid value. */
static void draft_write(struct form_view *v)
{
    struct form_view *root = v->root;
    struct rec *copy = rec_dup(root->r), *target = copy;
    const char *uuid = rec_get(root->r, "uuid");
    size_t k;

    if (v != root)
        for (k = 0; k < root->r->nkids; k++)
            if (root->r->kids[k] == v->r)
                target = copy->kids[k];
    if (v->cur >= 0 && v->ed.changed) {
        char *stored = NULL;

        if (field_parse_input(v->fm, &v->fm->fields[v->cur], edit_text(&v->ed), &stored, NULL) == 0)
            form_set_value(v->fm, &v->fm->fields[v->cur], target, stored);
        free(stored);
    }
    if (db_draft_save(v->ui->db, &root->draft_id, root->table, uuid, v->ui->app->cfg->user,
                      copy) < 0)
        ui_msg(v->ui, R_ERROR, "%s: %s", ui_tr(v->ui, "entry.draft_failed", "Draft not kept"),
               err_msg());
    rec_free(copy);
    root->pending = 0;
    v->ui->idle_ms = 0;
}

void ui_form_touch(struct form_view *v)
{
    v->root->dirty = 1;
    draft_write(v);
}

/* CHANGED is what the field editor returned: when a value changed, the
 * record is changed and its draft written now.  Returns CHANGED. */
static int keep(struct form_view *v, int changed)
{
    if (changed > 0)
        ui_form_touch(v);
    return changed;
}

/* Screen lines: a section title (field -1) or a shown field. */
struct line {
    int section, field;
};

static size_t make_lines(const struct form_view *v, struct line *out)
{
    size_t s, i, n = 0;

    for (s = 0; s < v->fm->nsections; s++) {
        const struct form_section *sec = &v->fm->sections[s];
        int any = 0;

        for (i = sec->first; i < sec->first + sec->count; i++) {
            if (!shown(v, i))
                continue;
            if (!any++ && v->fm->nsections > 1)
                out[n++] = (struct line){ (int)s, -1 };
            out[n++] = (struct line){ (int)s, (int)i };
        }
    }
    return n;
}

static void draw_title(struct ui *ui, struct form_view *v)
{
    const struct form *main = v->root->fm;
    const char *ref = rec_get(v->root->r, "ref"), *st = rec_get(v->root->r, "status");
    const char *title = strcmp(ui->lang, "lo") == 0 && *main->title_lo ? main->title_lo : main->title;
    struct sbuf b = {0};

    sbuf_addf(&b, "%s %s", title, ref ? ref : ui_tr(ui, "entry.new", "(new)"));
    if (st)
        sbuf_addf(&b, " · %s", ui_tr(ui, strcmp(st, "draft") == 0 ? "status.draft"
                  : strcmp(st, "verified") == 0 ? "status.verified" : "status.complete", st));
    if (v->kid)
        sbuf_addf(&b, " › %s", field_label(v->kid, ui->lang));
    if (v->root->dirty)
        sbuf_addf(&b, " · %s", ui_tr(ui, "entry.changed", "changed"));
    ui_put(ui, ui->work_y, 0, ui->cols, R_HEADER, sbuf_str(&b));
    sbuf_free(&b);
}

/* The label column: as wide as the longest label shown (with " *"), but
 * between a third and two fifths of the screen, so that values keep room
 * (the screening verdict with its act/means/purpose marks needs 46 columns
 * at 80). */
static int label_width(struct ui *ui, struct form_view *v, const struct line *lines, size_t n)
{
    int lw = 0, lo = ui->cols / 3, hi = ui->cols * 2 / 5 - 1;
    size_t i;

    for (i = 0; i < n; i++) {
        const struct field *f;
        int w;

        if (lines[i].field < 0)
            continue;
        f = &v->fm->fields[lines[i].field];
        w = text_width(field_label(f, ui->lang)) + (f->need == NEED_REQUIRED ? 2 : 0);
        if (w > lw)
            lw = w;
    }
    lw += 1;
    return lw < lo ? lo : lw > hi ? hi : lw;
}

static void form_draw(struct ui *ui, void *st)
{
    struct form_view *v = st;
    struct line *lines = xcalloc(v->fm->nfields + v->fm->nsections + 1, sizeof(*lines));
    size_t n = make_lines(v, lines), i;
    int h = ui->work_h - 1, y0 = ui->work_y + 1, curline = 0;
    int lw = label_width(ui, v, lines, n), vx = lw + 2, vw = ui->cols - vx - 1;

    draw_title(ui, v);
    for (i = 0; i < n; i++)
        if (lines[i].field == v->cur)
            curline = (int)i;
    /* keep the current field in view, with its section title when possible */
    if (curline < v->top + 1)
        v->top = curline > 0 && lines[curline - 1].field < 0 ? curline - 1 : curline;
    if (curline >= v->top + h)
        v->top = curline - h + 1;
    for (i = (size_t)v->top; i < n && (int)i < v->top + h; i++) {
        int y = y0 + (int)i - v->top;
        const struct field *f;
        char *val, label[256];

        if (lines[i].field < 0) {
            const struct form_section *sec = &v->fm->sections[lines[i].section];

            ui_putf(ui, y, 0, ui->cols, R_SECTION, "── %s ──", strcmp(ui->lang, "lo") == 0
                    && *sec->title_lo ? sec->title_lo : sec->title);
            continue;
        }
        f = &v->fm->fields[lines[i].field];
        snprintf(label, sizeof(label), "%s%s", field_label(f, ui->lang),
                 f->need == NEED_REQUIRED ? " *" : "");
        ui_put(ui, y, 1, lw, R_LABEL, label);
        if (lines[i].field == v->cur && f->type != FT_MULTI && f->type != FT_LINK
            && f->type != FT_CHILD) {
            size_t off = edit_scroll(&v->ed, vw);

            ui_put(ui, y, vx, vw, R_CURFIELD, edit_text(&v->ed) + off);
            ui->cur_y = y;
            ui->cur_x = vx + edit_cursor_col(&v->ed);
            continue;
        }
        val = ui_field_show_alloc(v, f, v->r);
        ui_put(ui, y, vx, vw, lines[i].field == v->cur ? R_CURFIELD
               : ui_field_enterable(f) ? R_FIELD : R_READONLY, val);
        free(val);
    }
    if (!ui->msg[0] && v->cur >= 0) {
        const char *help = field_help(&v->fm->fields[v->cur], ui->lang);

        if (help && *help)
            ui_msg(ui, R_MSG, "%s", help);
        else if (v->fm->fields[v->cur].type == FT_MULTI)
            ui_msg(ui, R_MSG, "%s", ui_tr(ui, "entry.multi_help", "Several answers: F4 or type to pick."));
        else if (v->fm->fields[v->cur].type == FT_CHOICE)
            ui_msg(ui, R_MSG, "%s", ui_tr(ui, "entry.choice_help",
                   "Type the code or the start of a name; F4 lists them all."));
    }
    free(lines);
}

static void jump_to(struct form_view *v, const struct form_issue *is)
{
    ui_msg(v->ui, is->level == ISSUE_ERROR ? R_ERROR : R_WARN, "%s",
           strcmp(v->ui->lang, "lo") == 0 && is->msg_lo ? is->msg_lo : is->msg_en);
    if (is->field >= 0)
        go(v, is->field);
}

/* Saves the record and removes its draft in one commit: one wait for the
 * disk, not two.  When anything fails nothing is written, and the values
 * the save gave the record (its revision, a new reference) are taken back
 * so that saving again works.  db_rec_save's return, or -1 with err set. */
static int save_record(struct form_view *v, const struct db_actor *who)
{
    struct db *db = v->ui->db;
    struct rec *was = rec_dup(v->r), *r = v->r;
    size_t i;
    int rc = db_begin(db);

    if (rc == 0 && (rc = db_rec_save(db, r, who)) >= 0 &&
        ((v->draft_id > 0 && db_draft_delete(db, v->draft_id) < 0) || db_commit(db) < 0))
        rc = -1;
    if (rc < 0) {
        char msg[1024];

        snprintf(msg, sizeof(msg), "%s", err_msg());
        if (db_in_tx(db))
            db_rollback(db);
        for (i = 0; i < r->n; i++)
            if (rec_find(was, r->col[i]) < 0)
                rec_set(r, r->col[i], NULL);
        for (i = 0; i < was->n; i++)
            rec_set(r, was->col[i], was->val[i]);
        err_set("%s", msg);
    }
    rec_free(was);
    return rc;
}

static void form_save(struct form_view *v, int draft)
{
    struct ui *ui = v->ui;
    struct form_issues is;
    struct db_actor who;
    size_t i;
    int rc, changed;

    memset(&is, 0, sizeof(is));
    if (!ui_role_may_save(ui, rec_get(v->r, "office")))
        return;
    /* The draft is written only when the record is not saved: a save
     * that succeeds must not write a draft and delete it again. */
    if ((changed = ui_field_commit(v, 0)) < 0)
        return;
    form_clear_hidden(v->fm, v->r);
    rec_set(v->r, "status", draft ? "draft" : "complete");
    form_validate(v->fm, v->r, &is);
    if (is.errors) {
        for (i = 0; i < is.n; i++)
            if (is.v[i].level == ISSUE_ERROR) {
                jump_to(v, &is.v[i]);
                break;
            }
        form_issues_free(&is);
        keep(v, changed);
        return;
    }
    if (!draft && is.warnings) {
        char q[700];

        snprintf(q, sizeof(q), "%d %s: %s. %s", is.warnings,
                 ui_tr(ui, "entry.warnings", "warnings"), strcmp(ui->lang, "lo") == 0
                 && is.v[0].msg_lo ? is.v[0].msg_lo : is.v[0].msg_en,
                 ui_tr(ui, "entry.save_anyway", "Save anyway?"));
        /* the question waits for the clerk: keep the change meanwhile */
        keep(v, changed);
        changed = 0;
        if (!ui_confirm(ui, q)) {
            jump_to(v, &is.v[0]);
            form_issues_free(&is);
            return;
        }
    }
    form_issues_free(&is);
    app_actor(ui->app, &who);
    if ((rc = save_record(v, &who)) < 0) {
        ui_msg(ui, R_ERROR, "%s: %s", ui_tr(ui, "entry.not_saved", "Not saved"), err_msg());
        keep(v, changed);
        return;
    }
    v->draft_id = 0;
    v->dirty = 0;
    ui->changes++;
    ui_msg(ui, R_GOOD, "%s %s (%s %s)", rec_get(v->r, "ref"),
           rc ? ui_tr(ui, "form.saved", "saved") : ui_tr(ui, "form.unchanged", "unchanged"),
           ui_tr(ui, "entry.rev", "revision"), rec_get(v->r, "rev") ? rec_get(v->r, "rev") : "");
    ui_pop(ui);
}

/* Esc: a child row goes back to its list; the main form asks before it
 * drops changes. */
static void form_leave(struct form_view *v)
{
    struct ui *ui = v->ui;

    if (v != v->root) {
        if (keep(v, ui_field_commit(v, 0)) < 0 && !ui_confirm(ui, ui_tr(ui, "entry.drop_field",
                "This field's text is not valid: leave it as it was?")))
            return;
        ui_pop(ui);
        return;
    }
    if ((v->dirty || v->ed.changed) && !ui_confirm(ui, ui_tr(ui, "form.discard",
            "Discard the changes to this form?")))
        return;
    if (v->draft_id > 0)
        db_draft_delete(ui->db, v->draft_id);
    v->draft_id = 0;
    ui_pop(ui);
}

static void section_move(struct form_view *v, int dir)
{
    size_t s = v->cur >= 0 ? v->fm->fields[v->cur].section : 0;
    const struct form_section *sec = &v->fm->sections[s];
    int first = next_stop(v, (int)sec->first - 1, 1);
    int i;

    if (dir < 0 && first >= 0 && first < v->cur) {
        go(v, first);
        return;
    }
    for (s = dir > 0 ? s + 1 : s - 1; s < v->fm->nsections; s = dir > 0 ? s + 1 : s - 1) {
        sec = &v->fm->sections[s];
        i = next_stop(v, (int)sec->first - 1, 1);
        if (i >= 0 && i < (int)(sec->first + sec->count)) {
            go(v, i);
            return;
        }
    }
}

static int edit_key(struct form_view *v, const struct ui_event *ev)
{
    struct edit *e = &v->ed;
    char b[5] = {0};

    switch (ev->act) {
    case ACT_LEFT: edit_left(e); return 1;
    case ACT_RIGHT: edit_right(e); return 1;
    case ACT_LSTART: edit_home(e); return 1;
    case ACT_LEND: edit_end(e); return 1;
    case ACT_BKSP: edit_backspace(e); break;
    case ACT_DEL: edit_delete(e); break;
    case ACT_CLEAR: edit_clear(e); break;
    default:
        if (!ev->ch || text_encode((uint32_t)ev->ch, b) <= 0)
            return 0;
        if (edit_insert(e, b) < 0) {
            ui_msg(v->ui, R_ERROR, "%s", err_msg());
            return 1;
        }
        break;
    }
    v->root->pending = 1;
    v->ui->idle_ms = IDLE_MS;
    return 1;
}

static int form_key(struct ui *ui, void *st, const struct ui_event *ev)
{
    struct form_view *v = st;
    const struct field *f = v->cur >= 0 ? &v->fm->fields[v->cur] : NULL;
    int n;

    if (ev->act == ACT_NONE && !ev->ch) {   /* idle: keep the typing */
        if (v->root->pending)
            draft_write(v);
        return 1;
    }
    switch (ev->act) {
    case ACT_OPEN: case ACT_PICK:
        if (f && f->type == FT_CHILD) {
            ui_kids_open(v->root, v->r, f);
            return 1;
        }
        if (ev->act == ACT_PICK) {
            keep(v, ui_field_pick(v));
            return 1;
        }
        /* Enter on other fields is Next */
        /* fall through */
    case ACT_NEXT:
        if (keep(v, ui_field_commit(v, 1)) < 0)
            return 1;
        n = next_stop(v, v->cur, 1);
        if (n < 0)
            ui_msg(ui, R_MSG, "%s", ui_tr(ui, "entry.last", "Last field: F2 saves, Esc goes back."));
        go(v, n);
        return 1;
    case ACT_PREV:
        if (keep(v, ui_field_commit(v, 0)) >= 0)
            go(v, next_stop(v, v->cur, -1));
        return 1;
    case ACT_PGDN: case ACT_PGUP:
        if (keep(v, ui_field_commit(v, 0)) >= 0)
            section_move(v, ev->act == ACT_PGDN ? 1 : -1);
        return 1;
    case ACT_SAVE: case ACT_DRAFT:
        if (v != v->root) {
            if (keep(v, ui_field_commit(v, 0)) >= 0)
                ui_pop(ui);
            return 1;
        }
        form_save(v, ev->act == ACT_DRAFT);
        return 1;
    case ACT_BACK: form_leave(v); return 1;
    default: break;
    }
    if (!f)
        return 0;
    if (f->type == FT_MULTI || f->type == FT_LINK) {
        char b[5] = {0};

        if (ev->ch && text_encode((uint32_t)ev->ch, b) > 0) {
            keep(v, ui_field_typed_pick(v, b));
            return 1;
        }
        return 0;
    }
    if (f->type == FT_CHILD)
        return 0;
    return edit_key(v, ev);
}

static unsigned form_keys(void *st)
{
    struct form_view *v = st;
    const struct field *f = v->cur >= 0 ? &v->fm->fields[v->cur] : NULL;

    if (f && f->type != FT_CHILD)
        return KC_GLOBAL | KC_FORM | KC_EDIT;
    return KC_GLOBAL | KC_FORM;
}

static void form_free(void *st)
{
    struct form_view *v = st;

    v->ui->idle_ms = 0;
    edit_free(&v->ed);
    if (v->root == v)
        rec_free(v->r);
    free(v);
}

static int form_dirty(void *st)
{
    struct form_view *v = st;

    return v->root == v && (v->dirty || v->ed.changed);
}

static const struct ui_screen form_screen = {
    .name = "form",
    .keys_now = form_keys,
    .draw = form_draw,
    .key = form_key,
    .free = form_free,
    .dirty = form_dirty,
};

static struct form_view *view_new(struct ui *ui, const struct form *fm, struct rec *r)
{
    struct form_view *v = xcalloc(1, sizeof(*v));

    v->ui = ui;
    v->fm = fm;
    v->r = r;
    v->root = v;
    edit_init(&v->ed, NULL, 0);
    form_compute(fm, r);
    v->cur = next_stop(v, -1, 1);
    ui_field_load(v);
    return v;
}

void ui_form_open(struct ui *ui, const char *table, const char *uuid, int64_t draft_id)
{
    const struct form *fm = formset_form(ui->fs, table);
    struct form_view *v;
    struct rec *r;

    if (!fm) {
        ui_msg(ui, R_ERROR, "no form for %s in %s", table, ui->app->cfg->forms_dir);
        return;
    }
    if (draft_id > 0)
        r = db_draft_get(ui->db, draft_id);
    else if (uuid)
        r = db_rec_get(ui->db, table, uuid);
    else
        r = rec_new(table);
    if (!r) {
        ui_msg(ui, R_ERROR, "%s", err_msg());
        return;
    }
    v = view_new(ui, fm, r);
    v->table = fm->table;
    v->draft_id = draft_id;
    v->dirty = draft_id > 0;
    ui_push(ui, &form_screen, v);
}

void ui_form_open_child(struct form_view *root, const struct field *f, struct rec *kid, int is_new)
{
    struct form_view *v = view_new(root->ui, f->child, kid);

    v->kid = f;
    v->root = root;
    v->table = root->table;
    v->is_new = is_new;
    ui_push(root->ui, &form_screen, v);
}
