/* config — reads config.ini (README.md, "config.ini") into one struct config.
 * It is one of the two users of iniparser and shields the rest of the program
 * from its pitfalls: every unknown key, bad value or malformed line is an
 * error that names the file, line and key. */
#ifndef TIPDESK_CONFIG_H
#define TIPDESK_CONFIG_H

enum office_level { LEVEL_DISTRICT, LEVEL_PROVINCE, LEVEL_CENTRE };
enum color_mode { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

struct config {
    char *file;             /* the config file as given (for messages) */
    char *dir;              /* its folder; relative paths resolve against it */
    char *office_code;      /* P-code: LA (centre), LA## (province), LA#### (district) */
    enum office_level level;
    char *office_name;
    char *db_path;          /* absolute or relative to the cwd, already resolved */
    char *backup_dir;       /* resolved */
    int backups_keep;       /* 0..1000 */
    char *forms_dir;        /* resolved */
    char *language;         /* "en" or "lo" */
    int date_dmy;           /* 1: dd/mm/yyyy, 0: yyyy-mm-dd */
    enum color_mode color;
    char *export_dir;       /* resolved */
    int min_cell;           /* 1..1000 */
    char *user;             /* the logged-in user (app_login), for audit rows; NULL before */
};

/* The config file to use: PATH_ARG (-c) if given, else $TIPDESK_CONFIG, else
 * "./config.ini".  Borrowed (static or from the environment). */
const char *config_path(const char *path_arg);

/* Loads and validates PATH.  Returns a new config, or NULL with err_msg() set
 * to one line "FILE:LINE: key 'K': what is wrong; what to do". */
struct config *config_load(const char *path);
void config_free(struct config *c);

/* "district", "province" or "centre". */
const char *config_level_name(enum office_level l);

#endif
