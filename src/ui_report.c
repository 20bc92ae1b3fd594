/* Reports screen: not part of this version yet; the menu item says so.
 * (The tables of DESIGN.md §10 with bar charts replace this file.) */
#include "ui.h"

void ui_report_open(struct ui *ui)
{
    ui_msg(ui, R_WARN, "%s", ui_tr(ui, "home.reports_missing",
           "Reports are not in this version yet: use 'tipdesk report' on the command line."));
}
