/* Tests for the output guard and private files: what an existing file is
 * taken for and which writer may replace it; the database and its companions
 * by any spelling; the backup folder; 0600 files and 0700 folders under umask
 * 022; and the reports screen's CSV save, which goes through the same guard. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "outfile.h"
#include "report.h"
#include "util.h"

static char dir[64];

static char *path_of(const char *name)
{
    return xasprintf("%s/%s", dir, name);
}

static char *put(const char *name, const void *data, size_t len)
{
    char *p = path_of(name);
    FILE *f = fopen(p, "wb");

    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
    return p;
}

static int mode_of(const char *p)
{
    struct stat sb;

    assert_int_equal(stat(p, &sb), 0);
    return (int)(sb.st_mode & 07777);
}

/* A file with the 100-byte SQLite header and application_id ID. */
static char *put_sqlite(const char *name, unsigned long id)
{
    unsigned char h[100] = "SQLite format 3";

    h[68] = (unsigned char)(id >> 24);
    h[69] = (unsigned char)(id >> 16);
    h[70] = (unsigned char)(id >> 8);
    h[71] = (unsigned char)id;
    return put(name, h, sizeof(h));
}

static int setup(void **state)
{
    char *db, *bk;

    (void)state;
    umask(022);
    snprintf(dir, sizeof(dir), "/tmp/tipdesk-outfile.XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    db = path_of("data/tipdesk.db");
    bk = path_of("data/backups");
    if (util_mkdirs(bk) < 0)
        return -1;
    free(put_sqlite("data/tipdesk.db", 0x54495044));
    outfile_protect(db, bk);
    free(db);
    free(bk);
    return 0;
}

static int teardown(void **state)
{
    char *cmd = xasprintf("rm -rf '%s'", dir);

    (void)state;
    outfile_protect(NULL, NULL);
    if (system(cmd) != 0)
        return -1;
    free(cmd);
    return 0;
}

/* Each kind of file, and which writer may replace it without --force. */
static void test_kinds(void **state)
{
    static const char csv[] = "\xEF\xBB\xBFuuid,ref,first_name\r\nx,LA1301-2024-0001,ສົມສັກ\r\n";
    static const char report[] = "Identified victims by year\nYear   Female\n----------------\n2024  3\n";
    static const char json[] = "{\"dataValues\":[]}\n";
    static const char xml[] = "<?xml version=\"1.0\"?>\n<adx/>\n";
    static const char ini[] = "; tipdesk settings, with a comma\n[office]\ncode = LA1301\n";
    static const char note[] = "ສົມສັກ ແກ້ວມະນີ ບ້ານ ໂພນທັນ\n";
    static const char zip[] = "PK\003\004\024\000\006\000";
    static const char latin1[] = "caf\xE9,bar\n";
    struct { char *path; int ok[6]; } c[9];
    int i, k;

    (void)state;
    c[0].path = put("a.csv", csv, sizeof(csv) - 1);
    c[1].path = put("a.txt", report, sizeof(report) - 1);
    c[2].path = put("a.json", json, sizeof(json) - 1);
    c[3].path = put("a.xml", xml, sizeof(xml) - 1);
    c[4].path = put("a.ini", ini, sizeof(ini) - 1);
    c[5].path = put("note.txt", note, sizeof(note) - 1);
    c[6].path = put("a.xlsx", zip, sizeof(zip) - 1);
    c[7].path = put_sqlite("a.tipx", 0x54495058);
    c[8].path = put("old.csv", latin1, sizeof(latin1) - 1);
    /*                 BUNDLE BACKUP CSV REPORT JSON XML */
    memcpy(c[0].ok, (int[6]){ 0, 0, 1, 0, 0, 0 }, sizeof(c[0].ok));
    memcpy(c[1].ok, (int[6]){ 0, 0, 0, 1, 0, 0 }, sizeof(c[1].ok));
    memcpy(c[2].ok, (int[6]){ 0, 0, 0, 0, 1, 0 }, sizeof(c[2].ok));
    memcpy(c[3].ok, (int[6]){ 0, 0, 0, 0, 0, 1 }, sizeof(c[3].ok));
    memcpy(c[4].ok, (int[6]){ 0, 0, 0, 0, 0, 0 }, sizeof(c[4].ok));
    memcpy(c[5].ok, (int[6]){ 0, 0, 0, 0, 0, 0 }, sizeof(c[5].ok));
    memcpy(c[6].ok, (int[6]){ 0, 0, 0, 0, 0, 0 }, sizeof(c[6].ok));
    memcpy(c[7].ok, (int[6]){ 1, 0, 0, 0, 0, 0 }, sizeof(c[7].ok));
    memcpy(c[8].ok, (int[6]){ 0, 0, 0, 0, 0, 0 }, sizeof(c[8].ok));
    for (i = 0; i < 9; i++) {
        for (k = OUT_BUNDLE; k <= OUT_XML; k++) {
            int rc = outfile_check(c[i].path, (enum outfile_kind)k, 0);

            if (rc != (c[i].ok[k] ? 0 : -1))
                fail_msg("%s as kind %d: %d (%s)", c[i].path, k, rc, err_msg());
            if (rc < 0)
                assert_non_null(strstr(err_msg(), c[i].path));
            /* --force replaces what is not tipdesk's own data. */
            assert_int_equal(outfile_check(c[i].path, (enum outfile_kind)k, 1),
                             c[i].ok[k] || i != 7 ? 0 : -1);
        }
        free(c[i].path);
    }
}

/* The database and its companions, however they are named. */
static void test_database(void **state)
{
    static const char *const names[] = {
        "data/tipdesk.db", "data/../data/tipdesk.db", "data/./tipdesk.db", "data/tipdesk.db-wal",
        "data/tipdesk.db-shm", "data/tipdesk.db-journal", "link.db", "hard.db", "linkdir/tipdesk.db-wal",
        "data/TIPDESK.DB-WAL"
    };
    char *db = path_of("data/tipdesk.db"), *lnk = path_of("link.db"), *hard = path_of("hard.db");
    char *ldir = path_of("linkdir"), *data = path_of("data");
    size_t i;

    (void)state;
    assert_int_equal(symlink(db, lnk), 0);
    assert_int_equal(link(db, hard), 0);
    assert_int_equal(symlink(data, ldir), 0);
    for (i = 0; i < ARRAY_LEN(names); i++) {
        char *p = path_of(names[i]);

        if (outfile_check(p, OUT_BACKUP, 1) != -1 || !strstr(err_msg(), "this is the database"))
            fail_msg("%s was not refused as the database", names[i]);
        assert_int_equal(outfile_check_dir(p), -1);
        free(p);
    }
    free(db);
    free(lnk);
    free(hard);
    free(ldir);
    free(data);
}

static void test_backup_folder(void **state)
{
    char *old = put_sqlite("data/backups/tipdesk-20260101-000000.db", 0x54495044);
    char *fresh = path_of("data/backups/mine.db"), *csv = path_of("data/backups/x.csv");
    char *sub = path_of("data/backups/sub/deeper");

    (void)state;
    assert_int_equal(outfile_check(old, OUT_BACKUP, 1), -1);
    assert_non_null(strstr(err_msg(), "in the backup folder"));
    assert_int_equal(outfile_check(old, OUT_CSV, 1), -1);
    assert_int_equal(outfile_check(fresh, OUT_BACKUP, 0), 0);
    assert_int_equal(outfile_check(csv, OUT_CSV, 1), -1);
    assert_int_equal(outfile_check(fresh, OUT_BUNDLE, 0), -1);
    assert_int_equal(outfile_check_dir(sub), -1);
    free(old);
    free(fresh);
    free(csv);
    free(sub);
}

/* Files 0600 and folders 0700 under umask 022, also over a wider file. */
static void test_private(void **state)
{
    char *d = path_of("out/a/b"), *f = path_of("out/a/b/x.csv"), *wide = put("wide.csv", "a,b\n", 4);
    FILE *fp;

    (void)state;
    assert_int_equal(util_mkdirs(d), 0);
    assert_int_equal(mode_of(d), 0700);
    free(d);
    d = path_of("out");
    assert_int_equal(mode_of(d), 0700);
    assert_non_null(fp = outfile_create(f));
    fclose(fp);
    assert_int_equal(mode_of(f), 0600);
    assert_int_equal(outfile_touch(f), 0);
    assert_int_equal(mode_of(f), 0600);
    assert_int_equal(mode_of(wide), 0644);
    assert_int_equal(outfile_write(wide, "c,d\n", 4), 0);
    assert_int_equal(mode_of(wide), 0600);
    free(d);
    free(f);
    free(wide);
}

static void test_mode_warning(void **state)
{
    struct sbuf w = {0};
    char *f = put("shared.csv", "a,b\n", 4), *expect;

    (void)state;
    assert_int_equal(outfile_mode_warn(f, &w), 1);
    expect = xasprintf("%s: mode 0644 lets other users read it; run chmod 600 %s\n", f, f);
    assert_string_equal(sbuf_str(&w), expect);
    sbuf_reset(&w);
    chmod(f, 0600);
    assert_int_equal(outfile_mode_warn(f, &w), 0);
    assert_int_equal(w.len, 0);
    sbuf_free(&w);
    free(expect);
    free(f);
}

/* The reports screen saves into the export folder through the guard. */
static void test_report_save(void **state)
{
    struct rtable *t = rtable_new("victims_by_year", "Victims", NULL, "year", "Year", NULL);
    struct report rep = { "victims", 1, &t, NULL, NULL };
    struct report_opts o = { 0 };
    char *exports = path_of("exports"), *backups = path_of("data/backups"), *path, *wide;

    (void)state;
    rtable_col(t, "total", "Total", NULL, RC_COUNT);
    rtable_row(t, "2024", NULL, NULL);
    o.min_cell = 5;
    assert_non_null(path = report_save_csv_alloc(&rep, t, &o, exports));
    assert_int_equal(mode_of(path), 0600);
    assert_int_equal(mode_of(exports), 0700);
    free(path);
    assert_null(report_save_csv_alloc(&rep, t, &o, backups));
    assert_non_null(strstr(err_msg(), "in the backup folder"));
    wide = put("exports/report_victims_by_year.csv", "PK\003\004\000", 5);
    assert_null(report_save_csv_alloc(&rep, t, &o, exports));
    assert_non_null(strstr(err_msg(), "exists and is a binary file"));
    free(wide);
    free(exports);
    free(backups);
    rtable_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kinds),
        cmocka_unit_test(test_database),
        cmocka_unit_test(test_backup_folder),
        cmocka_unit_test(test_private),
        cmocka_unit_test(test_mode_warning),
        cmocka_unit_test(test_report_save),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
