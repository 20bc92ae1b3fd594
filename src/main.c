/* tipdesk: arguments, start-up order and the command table. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "outfile.h"
#include "ui.h"
#include "util.h"

struct command {
    const char *name;
    int (*run)(struct app *, int, char **);
    const char *usage;
};

static const struct command commands[] = {
    { "init",   cmd_init,   "init                      create or migrate the database" },
    { "check",  cmd_check,  "check [--quick]           integrity and every record against the rules" },
    { "backup", cmd_backup, "backup [FILE]             online backup (default: rotating, in backup_dir)" },
    { "report", cmd_report, "report NAME [--from Y --to Y] [--by ...] [--format text|csv] [--publish]  M&E tables" },
    { "history", cmd_history, "history [cases|prosecutions|events] REF  a record's audit entries, old → new, and its values at creation" },
    { "demo",   cmd_demo,   "demo [--cases N --prosecutions N --events N --seed S]  synthetic data" },
    { "export", cmd_export,
      "export bundle [--all] [-o FILE] [--to OFFICE] [--unsealed]  a sealed bundle for the level above\n"
      "  export csv TABLE [-o FILE] [--deidentify] [--excel] [--labels en|lo]\n"
      "  export htcds -o DIR [--deidentify] [--excel]   cases in HTCDS 2.0 CSV\n"
      "  export dhis2 --period YYYY [--format json|csv|adx] [--disagg combo|categories] [-o FILE]" },
    { "import", cmd_import, "import FILE... [--dry-run] [--accept-unsigned] | csv TABLE FILE [--dry-run]  bundles, receipts or CSV" },
    { "keys",   cmd_keys,
      "keys init | passphrase | export [-o FILE] | import FILE | list | revoke OFFICE  this office's keys and the others'" },
    { "user",   cmd_user,
      "user add NAME --role clerk|supervisor|viewer|admin | passwd NAME | list | disable NAME | enable NAME" },
};

static void usage(FILE *f)
{
    size_t i;

    fprintf(f, "usage: tipdesk [-c config.ini] [COMMAND [ARGS]]\n"
               "Without a command, starts the data-entry screens.\n\nCommands:\n");
    for (i = 0; i < ARRAY_LEN(commands); i++)
        fprintf(f, "  %s\n", commands[i].usage);
    fprintf(f, "\nOptions:\n"
               "  -c FILE     the config file (default: $TIPDESK_CONFIG, else ./config.ini)\n"
               "  --user NAME           log in as NAME (default: $TIPDESK_USER)\n"
               "  --password-file FILE  the password's first line, mode 0600 (default:\n"
               "                        $TIPDESK_PASSWORD_FILE; else asked without echo)\n"
               "  --help      this help; COMMAND --help for a command's own\n"
               "  --version   the program's version\n"
               "Exit codes: 0 success, 1 failure, 2 usage error.\n");
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        { "config", required_argument, NULL, 'c' },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 }
    };
    const char *config_arg = NULL;
    const struct command *cmd = NULL;
    struct app app = {0};
    int c, rc;
    size_t i;

    /* --user and --password-file may stand anywhere; they go before getopt. */
    if (app_take_login_args(&app, &argc, argv) < 0) {
        fprintf(stderr, "tipdesk: %s\n", err_msg());
        return EXIT_USAGE;
    }
    /* Options stop at the command name; the command parses the rest. */
    while ((c = getopt_long(argc, argv, "+c:h", opts, NULL)) != -1) {
        switch (c) {
        case 'c': config_arg = optarg; break;
        case 'h': usage(stdout); return EXIT_OK;
        case 'V': printf("tipdesk %s\n", TIPDESK_VERSION); return EXIT_OK;
        default: usage(stderr); return EXIT_USAGE;
        }
    }
    if (optind < argc) {
        for (i = 0; i < ARRAY_LEN(commands); i++)
            if (strcmp(argv[optind], commands[i].name) == 0)
                cmd = &commands[i];
        if (!cmd) {
            fprintf(stderr, "tipdesk: unknown command '%s'; see 'tipdesk --help'\n", argv[optind]);
            return EXIT_USAGE;
        }
    }

    app.cfg = config_load(config_path(config_arg));
    if (!app.cfg) {
        fprintf(stderr, "tipdesk: %s\n", err_msg());
        return EXIT_FAIL;
    }
    outfile_protect(app.cfg->db_path, app.cfg->backup_dir);
    if (cmd) {
        int first = optind;

        optind = 0;     /* each command runs getopt_long on its own argv */
        app_login_for_command(&app, argc - first, argv + first);
        rc = cmd->run(&app, argc - first, argv + first);
    } else {
        rc = ui_run(&app);
    }
    db_close(app.db);
    config_free(app.cfg);
    return rc;
}
