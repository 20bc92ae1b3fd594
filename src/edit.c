/* edit — line-editor state.  The cursor always sits on a grapheme cluster
 * boundary, so a Lao syllable's marks are never split by cursor movement,
 * while Backspace removes a single code point to let a tone mark be fixed. */
#include "edit.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "util.h"

static void reserve(struct edit *e, size_t need)
{
    if (need + 1 <= e->cap)
        return;
    while (e->cap < need + 1)
        e->cap = e->cap ? e->cap * 2 : 32;
    e->buf = xrealloc(e->buf, e->cap);
}

void edit_init(struct edit *e, const char *text, size_t maxcp)
{
    memset(e, 0, sizeof(*e));
    e->maxcp = maxcp;
    edit_set(e, text);
}

void edit_free(struct edit *e)
{
    free(e->buf);
    memset(e, 0, sizeof(*e));
}

void edit_set(struct edit *e, const char *text)
{
    size_t n = text ? strlen(text) : 0;

    reserve(e, n);
    if (n)
        memcpy(e->buf, text, n);
    e->buf[n] = '\0';
    e->len = n;
    e->cur = n;
    e->scroll = 0;
}

const char *edit_text(const struct edit *e)
{
    return e->buf ? e->buf : "";
}

int edit_insert(struct edit *e, const char *s)
{
    size_t n = strlen(s);

    if (!text_valid_n(s, n))
        return err_set("not valid UTF-8 text; type it again");
    if (e->maxcp && text_cp_count(edit_text(e)) + text_cp_count(s) > e->maxcp)
        return err_set("at most %zu characters", e->maxcp);
    reserve(e, e->len + n);
    memmove(e->buf + e->cur + n, e->buf + e->cur, e->len - e->cur + 1);
    memcpy(e->buf + e->cur, s, n);
    e->len += n;
    e->cur += n;
    /* Marks inserted before other marks belong to the cluster on the left:
     * move past any marks that now follow so the cursor stays on a boundary. */
    if (e->cur > 0)
        e->cur = text_next_cluster(e->buf, e->len, text_prev_cluster(e->buf, e->len, e->cur));
    if (n)
        e->changed = 1;
    return 0;
}

int edit_left(struct edit *e)
{
    if (e->cur == 0)
        return -1;
    e->cur = text_prev_cluster(e->buf, e->len, e->cur);
    return 0;
}

int edit_right(struct edit *e)
{
    if (e->cur >= e->len)
        return -1;
    e->cur = text_next_cluster(e->buf, e->len, e->cur);
    return 0;
}

void edit_home(struct edit *e)
{
    e->cur = 0;
}

void edit_end(struct edit *e)
{
    e->cur = e->len;
}

static void cut(struct edit *e, size_t from, size_t to)
{
    memmove(e->buf + from, e->buf + to, e->len - to + 1);
    e->len -= to - from;
    e->changed = 1;
}

int edit_backspace(struct edit *e)
{
    size_t p;

    if (e->cur == 0)
        return -1;
    p = text_prev_cp(e->buf, e->cur);
    cut(e, p, e->cur);
    e->cur = p;
    /* Removing a base leaves its marks behind it: they join the cluster to
     * the left, so put the cursor back on a boundary. */
    if (e->cur > 0 && e->cur < e->len)
        e->cur = text_next_cluster(e->buf, e->len, text_prev_cluster(e->buf, e->len, e->cur));
    if (e->scroll > e->cur)
        e->scroll = text_prev_cluster(e->buf, e->len, e->cur);
    return 0;
}

int edit_delete(struct edit *e)
{
    if (e->cur >= e->len)
        return -1;
    cut(e, e->cur, text_next_cluster(e->buf, e->len, e->cur));
    /* After moving left past the first drawn cluster, scroll may lie in or
     * beyond what was cut. */
    if (e->scroll > e->cur)
        e->scroll = e->cur;
    return 0;
}

void edit_clear(struct edit *e)
{
    if (e->len)
        e->changed = 1;
    if (e->buf)
        e->buf[0] = '\0';
    e->len = e->cur = e->scroll = 0;
}

size_t edit_scroll(struct edit *e, int cols)
{
    const char *s = edit_text(e);

    if (cols < 2)
        cols = 2;
    if (e->scroll > e->cur)
        e->scroll = e->cur;
    /* The cursor needs its own column after the text before it. */
    while (e->scroll < e->cur && text_width_n(s + e->scroll, e->cur - e->scroll) > cols - 1)
        e->scroll = text_next_cluster(s, e->len, e->scroll);
    /* Scroll back while the whole rest still fits (after deleting at the end). */
    while (e->scroll > 0) {
        size_t p = text_prev_cluster(s, e->len, e->scroll);
        if (text_width_n(s + p, e->len - p) > cols - 1)
            break;
        e->scroll = p;
    }
    return e->scroll;
}

int edit_cursor_col(const struct edit *e)
{
    if (e->cur < e->scroll)
        return 0;
    return text_width_n(edit_text(e) + e->scroll, e->cur - e->scroll);
}
