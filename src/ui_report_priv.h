/* ui_report_priv — what the reports screen (ui_report.c) and its bar charts
 * (ui_report_chart.c) share.  Only those two files include it. */
#ifndef TIPDESK_UI_REPORT_PRIV_H
#define TIPDESK_UI_REPORT_PRIV_H

struct ui;
struct rtable;

/* Draws table T as a horizontal bar chart in rows Y .. Y+H-1 (a header line
 * with the legend, then one line per row, or one per row and series for the
 * prosecution funnel).  *TOP is the first body line shown; it is clamped to
 * the lines there are.  Returns the number of body lines, 0 when T has no
 * counts to chart (nothing is drawn then). */
int ui_report_chart_draw(struct ui *ui, const struct rtable *t, int y, int h, int *top);

#endif
