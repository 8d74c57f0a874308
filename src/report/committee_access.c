/* SPDX-License-Identifier: MIT */
/* The committee report's enhanced access section (committee_access.h). */
#include "report/committee_access.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/xalloc.h"
#include "report/chart.h"
#include "report/table.h"

static void
esc(FILE *f, const char *s)
{
    pccs_xml_escape(f, s ? s : "");
}

/* "2026-09-07" as "7 September 2026". */
static void
day_text(FILE *f, const char *iso)
{
    static const char *const months[] = {
        "January", "February", "March",     "April",   "May",      "June",
        "July",    "August",   "September", "October", "November", "December"};
    int y, m, d;
    if (sscanf(iso, "%d-%d-%d", &y, &m, &d) == 3 && m >= 1 && m <= 12)
        fprintf(f, "%d %s %d", d, months[m - 1], y);
    else
        esc(f, iso);
}

/* The columns shown, "column=Heading". */
static const char *const cols[] = {
    "code=Code",
    "name=PCN",
    "weeks=Weeks",
    "required_minutes=Required",
    "offered_minutes=Offered",
    "delivered_minutes=Delivered",
    "offered_pct_required=Offered, % of required",
    "delivered_pct_required=Delivered, % of "
    "required",
    NULL};

/* The organisation's weeks: offered, delivered and required minutes. */
static void
chart(FILE *f, const struct pccs_ea_period *p)
{
    const char **x = pccs_xcalloc(p->nweeks + 1, sizeof(*x));
    for (size_t w = 0; w < p->nweeks; w++)
        x[w] = p->week[w];
    struct pccs_line_series s[] = {
        {.name = "offered", .y = p->offered},
        {.name = "delivered (attended)", .y = p->delivered},
        {.name = "required", .y = p->required},
    };
    char title[96];
    snprintf(title, sizeof(title),
             "Enhanced access minutes a week, the PCNs above, %s", p->fy);
    struct pccs_line_chart c = {
        .title = title,
        .unit = "minutes",
        .x = x,
        .n = p->nweeks,
        .s = s,
        .ns = 3,
        .decimals = 0,
        .source = "local register access_sessions (slots) and the "
                  "appointments booked in them; required: "
                  "data/rates/pcn.csv"};
    fputs("<figure>", f);
    pccs_svg_line_write(f, &c);
    fputs("</figure>\n", f);
    free(x);
}

void
pccs__committee_access_write(FILE *f, const struct pccs_ea_period *p, int num)
{
    const struct pccs_table *t = &p->pcns;
    fprintf(f,
            "<section class=\"major\" id=\"access\"><h2>%d. Enhanced "
            "access: minutes required, offered and delivered</h2>\n",
            num);
    if (t->marks & PCCS_TABLE_SYNTHETIC)
        fputs("<div class=\"prov\" data-provenance=\"synthetic\"><strong>"
              "SYNTHETIC: not published data: some of the figures below "
              "rest on generated files.</strong></div>\n",
              f);
    else if (t->marks & PCCS_TABLE_EXAMPLE)
        fputs("<div class=\"prov\" data-provenance=\"example\"><strong>"
              "Example rows: some of the figures below rest on a "
              "template's examples, not local data.</strong></div>\n",
              f);
    fputs("<p>Financial year ", f);
    esc(f, p->fy);
    fprintf(f, ": the %zu week%s from the week of ", p->nweeks,
            p->nweeks == 1 ? "" : "s");
    day_text(f, p->from);
    fputs(" to the week of ", f);
    day_text(f, p->to);
    fputs(" (weeks from Monday). A week with no hub session between a "
          "PCN's first week and its last in the year counts as 0 minutes "
          "offered and delivered, as in <code>pccs table "
          "enhanced-access</code> and on the SPC chart of <code>pccs spc "
          "--metric enhanced_access_offered_minutes</code>: a point at 0, "
          "not a week left out. Required: 60 minutes a week per 1,000 adjusted "
          "population (Network Contract DES), times the weeks. Offered: the "
          "minutes of the slots of each PCN's hub sessions in the local "
          "register <code>access_sessions</code>; delivered: the minutes "
          "of the appointments attended in them (the same figures as "
          "<code>pccs table enhanced-access</code>, week by week). PCNs "
          "with no hub sessions in the register are not listed.</p>\n",
          f);
    pccs_table_write_html_cols(f, t, cols, "not known");
    chart(f, p);
    for (size_t i = 0; i < t->nnotes; i++) {
        bool prov = !strncmp(t->notes[i], "SYNTHETIC", 9) ||
                    !strncmp(t->notes[i], "EXAMPLE", 7);
        fputs(prov ? "<p class=\"src provnote\">" : "<p class=\"src\">", f);
        esc(f, t->notes[i]);
        fputs("</p>\n", f);
    }
    fputs("</section>\n", f);
}
