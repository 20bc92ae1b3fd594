/* The keys command: this office's key pairs, and the registry of the public
 * keys of the offices above and below.  Also the passphrase, read from the
 * terminal without echo, a file, or $TIPDESK_PASSPHRASE. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "app.h"
#include "bundle.h"
#include "db_keys.h"
#include "seal.h"
#include "util.h"

#define PASS_MAX 1024
#define PASS_MIN 10

static const char keys_usage[] =
    "keys init [--kdf moderate|interactive] [--passphrase-file F]\n"
    "       keys passphrase [--kdf moderate|interactive] [--passphrase-file F] [--new-passphrase-file F]\n"
    "       keys export [-o FILE] | keys import FILE | keys list | keys revoke OFFICE\n"
    "init makes this office's signing and sealing key pairs in office.key beside\n"
    "the database, the secret keys encrypted under a passphrase (Argon2id; moderate:\n"
    "256 MiB, the default; interactive: 64 MiB).  passphrase encrypts them under a\n"
    "new one (when someone who knew it leaves); the keys stay the same.  export\n"
    "writes the public keys for the office above or below; import registers such a\n"
    "file, showing the fingerprint to compare by phone; revoke stops trusting an\n"
    "office's key.  The passphrase is asked on the terminal, or read from\n"
    "--passphrase-file F or $TIPDESK_PASSPHRASE; a new one is asked twice, or read\n"
    "from --new-passphrase-file F.";

/* One line from the terminal with echo off. */
static int ask_tty(const char *prompt, char *buf, size_t n)
{
    FILE *tty = fopen("/dev/tty", "r+");
    struct termios old, quiet;
    int rc = -1;

    if (!tty)
        return err_set("no terminal to ask the passphrase on; use --passphrase-file F or "
                       "$TIPDESK_PASSPHRASE");
    fputs(prompt, tty);
    fflush(tty);
    if (tcgetattr(fileno(tty), &old) == 0) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(fileno(tty), TCSAFLUSH, &quiet);
    }
    if (fgets(buf, (int)n, tty)) {
        buf[strcspn(buf, "\r\n")] = '\0';
        rc = 0;
    } else {
        err_set("no passphrase given");
    }
    tcsetattr(fileno(tty), TCSAFLUSH, &old);
    fputs("\n", tty);
    fclose(tty);
    return rc;
}

/* As app_passphrase says, ENV being the value of $TIPDESK_PASSPHRASE (NULL
 * when it is not to be used). */
static int passphrase(const char *file, const char *env, int confirm, char *buf, size_t n)
{
    if (file) {
        FILE *f = fopen(file, "rb");
        size_t len;

        if (!f)
            return err_set("%s: cannot open: %s", file, strerror(errno));
        len = fread(buf, 1, n - 1, f);
        fclose(f);
        buf[len] = '\0';
        if (len == n - 1 || strlen(buf) != len)
            return err_set("%s: not a passphrase (one line of text, under %zu bytes)", file, n - 1);
        buf[strcspn(buf, "\r\n")] = '\0';
    } else if (env) {
        if (strlen(env) >= n)
            return err_set("$TIPDESK_PASSPHRASE is too long (under %zu bytes)", n - 1);
        snprintf(buf, n, "%s", env);
    } else {
        char again[PASS_MAX];

        if (ask_tty(confirm ? "New passphrase for this office's keys: " : "Passphrase of this office's keys: ",
                    buf, n) < 0)
            return -1;
        if (confirm) {
            int same;

            if (ask_tty("The same passphrase again: ", again, sizeof(again)) < 0)
                return -1;
            same = strcmp(buf, again) == 0;
            sodium_memzero(again, sizeof(again));
            if (!same)
                return err_set("the two passphrases differ; nothing was written");
        }
    }
    if (!buf[0])
        return err_set("the passphrase is empty");
    return 0;
}

int app_passphrase(const char *file, int confirm, char *buf, size_t n)
{
    return passphrase(file, getenv("TIPDESK_PASSPHRASE"), confirm, buf, n);
}

struct seal_keys *app_keys_unlock(struct app *app, const char *pass_file)
{
    char *path = bundle_keys_path_alloc(app->cfg), pass[PASS_MAX];
    struct seal_keys *k = NULL;

    if (access(path, F_OK) != 0)
        err_set("%s: this office has no keys yet; make them with tipdesk keys init", path);
    else if (app_passphrase(pass_file, 0, pass, sizeof(pass)) == 0)
        k = seal_keys_unlock(path, pass);
    sodium_memzero(pass, sizeof(pass));
    free(path);
    return k;
}

static int long_enough(const char *pass)
{
    if (strlen(pass) < PASS_MIN)
        return err_set("the passphrase is too short: use at least %d characters (several words are "
                       "easier to remember)", PASS_MIN);
    return 0;
}

static const char *kdf_name(int fast)
{
    return fast ? "interactive: 64 MiB, 2 passes" : "moderate: 256 MiB, 3 passes";
}

static int keys_init(struct app *app, const char *pass_file, int fast)
{
    char *path = bundle_keys_path_alloc(app->cfg), pass[PASS_MAX];
    struct seal_pub pub;
    int rc = EXIT_FAIL;

    if (access(path, F_OK) == 0) {
        fprintf(stderr, "tipdesk keys init: %s: this office has keys already; to replace them (a "
                "forgotten passphrase, a lost PC), move that file away first and tell the other offices "
                "to revoke the old key\n", path);
        goto out;
    }
    if (app_make_db_dir(app) < 0 || app_passphrase(pass_file, 1, pass, sizeof(pass)) < 0 ||
        long_enough(pass) < 0) {
        fprintf(stderr, "tipdesk keys init: %s\n", err_msg());
        goto out;
    }
    if (seal_keys_create(path, app->cfg->office_code, config_level_name(app->cfg->level), pass, fast, &pub) < 0) {
        fprintf(stderr, "tipdesk keys init: %s\n", err_msg());
        goto out;
    }
    printf("%s: keys of %s (%s) made; secret keys encrypted under the passphrase (Argon2id, %s)\n"
           "fingerprint: %s\n", path, pub.office, pub.level,
           kdf_name(fast), pub.fpr);
    rc = EXIT_OK;
out:
    sodium_memzero(pass, sizeof(pass));
    free(path);
    return rc;
}

/* A new passphrase for the keys: the present one from PASS_FILE, the
 * environment or the terminal; the new one from NEW_FILE or asked twice
 * (never from the environment, which holds the present one). */
static int keys_passphrase(struct app *app, const char *pass_file, const char *new_file, int fast)
{
    char *path = bundle_keys_path_alloc(app->cfg), old[PASS_MAX], pass[PASS_MAX];
    struct seal_pub pub;
    int rc = EXIT_FAIL;

    if (access(path, F_OK) != 0) {
        err_set("%s: this office has no keys yet; make them with tipdesk keys init", path);
        goto fail;
    }
    if (app_passphrase(pass_file, 0, old, sizeof(old)) < 0 ||
        passphrase(new_file, NULL, 1, pass, sizeof(pass)) < 0 || long_enough(pass) < 0)
        goto fail;
    if (strcmp(old, pass) == 0) {
        err_set("the new passphrase is the present one; nothing was changed");
        goto fail;
    }
    if (seal_keys_repass(path, old, pass, fast, &pub) < 0)
        goto fail;
    printf("%s: the secret keys of %s are now encrypted under the new passphrase (Argon2id, %s)\n"
           "fingerprint: %s (the same keys: the other offices need nothing new)\n", path, pub.office,
           kdf_name(fast), pub.fpr);
    rc = EXIT_OK;
    goto out;
fail:
    fprintf(stderr, "tipdesk keys passphrase: %s\n", err_msg());
out:
    sodium_memzero(old, sizeof(old));
    sodium_memzero(pass, sizeof(pass));
    free(path);
    return rc;
}

static int keys_export(struct app *app, const char *out)
{
    char *path = bundle_keys_path_alloc(app->cfg), *def = NULL;
    struct seal_pub pub;
    int rc = EXIT_FAIL;

    if (seal_keys_read_pub(path, &pub) < 0)
        goto fail;
    if (!out) {
        if (util_mkdirs(app->cfg->export_dir) < 0)
            goto fail;
        out = def = xasprintf("%s/%s_keys.pub", app->cfg->export_dir, pub.office);
    }
    if (seal_pub_write(&pub, strcmp(out, "-") == 0 ? NULL : out) < 0)
        goto fail;
    if (strcmp(out, "-") != 0)
        printf("%s: public keys of %s (%s), fingerprint %s\n", out, pub.office, pub.level, pub.fpr);
    rc = EXIT_OK;
    goto out;
fail:
    fprintf(stderr, "tipdesk keys export: %s\n", err_msg());
out:
    free(path);
    free(def);
    return rc;
}

static int keys_import(struct app *app, const char *file)
{
    const char *me = app->cfg->office_code;
    struct seal_pub pub, cur;
    struct db *db;
    int rc;

    if (seal_pub_read(file, &pub) < 0)
        goto fail;
    if (strcmp(pub.office, me) == 0) {
        err_set("%s: these are this office's own public keys (%s); import the keys of the office above "
                "or below", file, me);
        goto fail;
    }
    if (strncmp(me, pub.office, strlen(pub.office)) != 0 && strncmp(pub.office, me, strlen(me)) != 0 &&
        app->cfg->level != LEVEL_CENTRE) {
        err_set("%s: %s is neither above nor below this office %s; its keys have no use here", file,
                pub.office, me);
        goto fail;
    }
    if (!(db = app_db(app, 0)) || (rc = db_keys_get(db, pub.office, &cur, NULL)) < 0)
        goto fail;
    if (rc == 1 && sodium_memcmp(&cur.sign_pk, &pub.sign_pk, 32) == 0 && sodium_memcmp(&cur.box_pk, &pub.box_pk, 32) == 0) {
        printf("%s: the key of %s is registered already, fingerprint %s\n", file, pub.office, pub.fpr);
        return EXIT_OK;
    }
    if (rc == 1) {
        err_set("%s: %s has another key registered (fingerprint %s); if %s made new keys, revoke the old "
                "one first: tipdesk keys revoke %s", file, pub.office, cur.fpr, pub.office, pub.office);
        goto fail;
    }
    if (db_keys_add(db, &pub, app->cfg->user ? app->cfg->user : "unknown") < 0)
        goto fail;
    printf("%s: registered the keys of %s (%s)\nfingerprint: %s\n"
           "Compare it with %s by phone before importing its bundles.\n", file, pub.office, pub.level, pub.fpr,
           pub.office);
    return EXIT_OK;
fail:
    fprintf(stderr, "tipdesk keys import: %s\n", err_msg());
    return EXIT_FAIL;
}

static int keys_list(struct app *app)
{
    char *path = bundle_keys_path_alloc(app->cfg);
    struct sbuf b = {0};
    struct seal_pub pub;
    struct db *db = app_db(app, 0);
    int n;

    if (seal_keys_read_pub(path, &pub) == 0)
        printf("this office: %s %s %s (%s)\n", pub.office, pub.level, pub.fpr, path);
    else
        printf("this office: no keys yet (tipdesk keys init)\n");
    free(path);
    if (!db || (n = db_keys_list(db, &b)) < 0) {
        fprintf(stderr, "tipdesk keys list: %s\n", err_msg());
        return EXIT_FAIL;
    }
    if (n)
        fputs(b.s, stdout);
    else
        printf("no other office's keys registered (tipdesk keys import FILE)\n");
    sbuf_free(&b);
    return EXIT_OK;
}

static int keys_revoke(struct app *app, const char *office)
{
    struct db *db = app_db(app, 0);
    int rc;

    if (!db || (rc = db_keys_revoke(db, office)) < 0) {
        fprintf(stderr, "tipdesk keys revoke: %s\n", err_msg());
        return EXIT_FAIL;
    }
    if (!rc) {
        fprintf(stderr, "tipdesk keys revoke: no key of %s is in force here; see tipdesk keys list\n", office);
        return EXIT_FAIL;
    }
    printf("revoked the key of %s: its bundles and receipts are refused until its new public key file "
           "is imported\n", office);
    return EXIT_OK;
}

int cmd_keys(struct app *app, int argc, char **argv)
{
    static const struct option opts[] = {
        { "output", required_argument, NULL, 'o' },
        { "passphrase-file", required_argument, NULL, 'p' },
        { "new-passphrase-file", required_argument, NULL, 'n' },
        { "kdf", required_argument, NULL, 'k' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    const char *out = NULL, *pass_file = NULL, *new_file = NULL, *what;
    int c, fast = 0, nargs;

    opterr = 0;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 'p': pass_file = optarg; break;
        case 'n': new_file = optarg; break;
        case 'k':
            if (strcmp(optarg, "moderate") != 0 && strcmp(optarg, "interactive") != 0)
                return app_usage_error("keys", keys_usage,
                                       "--kdf takes moderate or interactive, not '%s'", optarg);
            fast = optarg[0] == 'i';
            break;
        case 'h': printf("usage: tipdesk %s\n", keys_usage); return EXIT_OK;
        default: return app_usage_error("keys", keys_usage, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return app_usage_error("keys", keys_usage,
                               "say what to do: init, passphrase, export, import, list or revoke");
    what = argv[optind++];
    nargs = argc - optind;
    if (strcmp(what, "init") == 0 && nargs == 0)
        return keys_init(app, pass_file, fast);
    if (new_file && strcmp(what, "passphrase") != 0)
        return app_usage_error("keys", keys_usage, "--new-passphrase-file is for 'keys passphrase'");
    if (strcmp(what, "passphrase") == 0 && nargs == 0)
        return keys_passphrase(app, pass_file, new_file, fast);
    if (strcmp(what, "export") == 0 && nargs == 0)
        return keys_export(app, out);
    if (strcmp(what, "import") == 0 && nargs == 1)
        return keys_import(app, argv[optind]);
    if (strcmp(what, "list") == 0 && nargs == 0)
        return keys_list(app);
    if (strcmp(what, "revoke") == 0 && nargs == 1)
        return keys_revoke(app, argv[optind]);
    if (strcmp(what, "init") && strcmp(what, "passphrase") && strcmp(what, "export") &&
        strcmp(what, "import") && strcmp(what, "list") && strcmp(what, "revoke"))
        return app_usage_error("keys", keys_usage, "unknown keys command '%s'", what);
    return app_usage_error("keys", keys_usage, "wrong number of arguments for '%s'", what);
}
