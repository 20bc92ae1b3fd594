/* Export/import screen: not part of this version yet; the menu item says
 * so.  (Choose, confirm, progress and a result summary replace this file.) */
#include "ui.h"

void ui_xfer_open(struct ui *ui)
{
    ui_msg(ui, R_WARN, "%s", ui_tr(ui, "home.xfer_missing",
           "Export and import are not in this version yet: use 'tipdesk export' and 'tipdesk import'."));
}
