/* What the logged-in user's role may do on the screens: one rule per action
 * and context, used by the key bar (a forbidden key is not shown) and the
 * event loop (a forbidden key says why on the message line). */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "ui.h"
#include "user.h"

/* The permission ACT needs in context CTX; -1 when any user may. */
static int act_perm(enum ui_act act, unsigned ctx)
{
    switch (act) {
    case ACT_DELETE:
    case ACT_UNDELETE:
        /* Records in a list; child rows of a form are part of editing. */
        if (ctx & KC_LIST)
            return PERM_DELETE;
        return ctx & KC_KIDS ? PERM_EDIT : -1;
    case ACT_NEW:
        return ctx & (KC_LIST | KC_KIDS) ? PERM_EDIT : -1;
    case ACT_SAVE:
    case ACT_DRAFT:
        return ctx & KC_FORM ? PERM_EDIT : -1;
    case ACT_OPEN:
    case ACT_SEARCH:
        /* A form shows names; a search by name would reveal them too. */
        return ctx & KC_LIST ? PERM_PII : -1;
    case ACT_XFER:
        return ctx & KC_HOME ? PERM_XFER : -1;
    case ACT_USERS:
        return PERM_USERS;
    default:
        return -1;
    }
}

const char *ui_role_label(const struct ui *ui, int role)
{
    switch ((enum user_role)role) {
    case ROLE_VIEWER: return ui_tr(ui, "users.viewer", "viewer");
    case ROLE_CLERK: return ui_tr(ui, "users.clerk", "clerk");
    case ROLE_SUPERVISOR: return ui_tr(ui, "users.supervisor", "supervisor");
    case ROLE_ADMIN: return ui_tr(ui, "users.admin", "admin");
    default: return "";
    }
}

int ui_role_can(const struct ui *ui, int perm)
{
    return !ui->app->logged_in || user_can((enum user_role)ui->app->role, (enum user_perm)perm);
}

int ui_role_allows(const struct ui *ui, enum ui_act act, unsigned ctx)
{
    int p = act_perm(act, ctx);

    return p < 0 || ui_role_can(ui, p);
}

const char *ui_role_why(const struct ui *ui, enum ui_act act, unsigned ctx)
{
    static char buf[200];
    int p = act_perm(act, ctx);

    snprintf(buf, sizeof(buf), "%s: %s (%s %s)", ui_tr(ui, "role.denied", "Not for your role"),
             user_perm_roles((enum user_perm)(p < 0 ? 0 : p)), ui->app->cfg->user,
             user_role_name((enum user_role)ui->app->role));
    return buf;
}

int ui_role_may_save(struct ui *ui, const char *office)
{
    const char *mine = ui->app->cfg->office_code;

    /* A clerk edits this office's records; others came in bundles. */
    if (!office || strcmp(office, mine) == 0 || ui_role_can(ui, PERM_VERIFY))
        return 1;
    ui_msg(ui, R_ERROR, "%s %s: %s (%s %s)",
           ui_tr(ui, "role.other_office", "A record of office"), office,
           user_perm_roles(PERM_VERIFY), ui->app->cfg->user,
           user_role_name((enum user_role)ui->app->role));
    return 0;
}
