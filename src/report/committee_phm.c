/* SPDX-License-Identifier: MIT */
/* The committee report's population health section (committee_phm.h). */
#include "report/committee_phm.h"

#include <string.h>

#include "base/buf.h"
#include "model/tables.h"
#include "report/chart.h"
#include "report/table.h"

int
pccs__committee_phm_gather(struct pccs_store *st, const struct pccs_tree *tree,
                           const char *in, struct pccs_table *out, bool *have,
                           struct pccs_err *err)
{
    struct pccs_table_query q = {
        .level = PCCS_PCN, .in = in, .at = PCCS_DAY_NONE, .suppress = true};
    struct pccs_err e = {0};
    int rc =
        pccs_table_run(pccs_table_def_find("cohorts"), st, tree, &q, out, &e);
    *have = rc == PCCS_OK;
    if (rc == PCCS_ENOTFOUND || rc == PCCS_EINVAL) {
        /* no patient-level records, or no code lists: no section */
        pccs_table_release(out);
        memset(out, 0, sizeof(*out));
        return PCCS_OK;
    }
    if (rc && err)
        *err = e;
    return rc;
}

static void
esc(FILE *f, const char *s)
{
    pccs_xml_escape(f, s);
}

/* The columns shown, "column=Heading". */
static const char *const cols[] = {"code=Code",
                                   "name=PCN",
                                   "registered=Registered",
                                   "efi_moderate=eFI moderate",
                                   "efi_severe=eFI severe",
                                   "care_home=Care home",
                                   "smr_priority=SMR priority",
                                   "anticipatory_care=Anticipatory care",
                                   "ld_health_check_due=LD health check due",
                                   "dementia_review_due=Dementia review due",
                                   NULL};

void
pccs__committee_phm_write(FILE *f, const struct pccs_table *t, int num)
{
    int at = pccs_table_col_index(t, "at");
    const char *day =
        at >= 0 && t->nrows ? pccs_table_cell(t, 0, (size_t)at)->text : NULL;
    bool synth = t->marks & PCCS_TABLE_SYNTHETIC;
    fprintf(f,
            "<section class=\"major\" id=\"phm\"><h2>%d. Population health: "
            "Network Contract DES cohorts</h2>\n",
            num);
    if (synth)
        fputs("<div class=\"prov\" data-provenance=\"synthetic\"><strong>"
              "SYNTHETIC: not published data: the counts below rest on "
              "generated patients (pccs synth patients), not on any "
              "practice's records.</strong></div>\n",
              f);
    fputs("<p>The patients of each PCN in the groups the Network Contract "
          "DES asks PCNs to find and reach",
          f);
    if (day) {
        fputs(", as at <span class=\"nowrap\" style=\"white-space: "
              "nowrap\">",
              f);
        esc(f, day);
        fputs("</span>", f);
    }
    fputs(", from the patient-level records loaded (the same counts as "
          "<code>pccs table cohorts --level pcn</code>). Counts of 1 to 7 "
          "are shown as *, the others rounded to the nearest 5 (disclosure "
          "control). eFI: the electronic Frailty Index of the patients aged "
          "65 and over.</p>\n",
          f);
    if (!t->nrows)
        fputs("<p class=\"none\">No PCN of this organisation has patients "
              "in the records loaded.</p>\n",
              f);
    else
        pccs_table_write_html_cols(f, t, cols, "");
    for (size_t i = 0; i < t->nnotes; i++) {
        bool prov = !strncmp(t->notes[i], "SYNTHETIC", 9);
        fputs(prov ? "<p class=\"src provnote\">" : "<p class=\"src\">", f);
        esc(f, t->notes[i]);
        fputs("</p>\n", f);
    }
    fputs("</section>\n", f);
}
