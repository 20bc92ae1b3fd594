/* edit — the state of a one-line text editor, without a terminal: a UTF-8
 * buffer and a cursor that moves by grapheme cluster (a Lao consonant with
 * its vowel and tone marks is one step), Backspace that removes one code
 * point (so a wrong tone mark can be retyped), a limit in code points, and
 * horizontal scrolling for a field narrower than its text.  The screens draw
 * it; this module owns the buffer. */
#ifndef TIPDESK_EDIT_H
#define TIPDESK_EDIT_H

#include <stddef.h>

struct edit {
    char *buf;          /* NUL-terminated UTF-8, owned */
    size_t len, cap;    /* bytes used (without the NUL) and allocated */
    size_t cur;         /* cursor: a byte offset on a cluster boundary */
    size_t maxcp;       /* most code points allowed; 0 = no limit */
    size_t scroll;      /* byte offset of the first drawn cluster */
    int changed;        /* set by every edit that changes the text */
};

/* Starts E with a copy of TEXT (NULL: empty), cursor at the end. */
void edit_init(struct edit *e, const char *text, size_t maxcp);
/* Frees the buffer; E may be initialised again. */
void edit_free(struct edit *e);
/* Replaces the text (cursor at the end, scroll 0); changed is not set. */
void edit_set(struct edit *e, const char *text);
/* The text; borrowed until the next change. */
const char *edit_text(const struct edit *e);

/* Inserts UTF-8 S at the cursor and moves the cursor after it.  Returns 0;
 * -1 with err set when S is not valid UTF-8 or the text would pass maxcp
 * ("at most N characters"); then nothing is inserted. */
int edit_insert(struct edit *e, const char *s);
/* Cursor one cluster left / right; 0 when it moved, -1 at the edge. */
int edit_left(struct edit *e);
int edit_right(struct edit *e);
/* Cursor to the start / end. */
void edit_home(struct edit *e);
void edit_end(struct edit *e);
/* Removes the last code point before the cursor (a tone mark alone, then the
 * vowel, then the consonant); -1 at the start. */
int edit_backspace(struct edit *e);
/* Removes the whole cluster after the cursor; -1 at the end. */
int edit_delete(struct edit *e);
/* Removes everything (Ctrl-U). */
void edit_clear(struct edit *e);

/* Adjusts e->scroll so that the cursor is visible in a field COLS columns
 * wide (keeping one column for the cursor at the end) and returns it: the
 * byte offset to start drawing at. */
size_t edit_scroll(struct edit *e, int cols);
/* Screen column of the cursor relative to the field start, after edit_scroll. */
int edit_cursor_col(const struct edit *e);

#endif
