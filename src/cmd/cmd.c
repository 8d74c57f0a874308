/* SPDX-License-Identifier: MIT */
/*
 * The command table, global options and --help. Like git's builtin list:
 * one entry per command, each implemented in its own file.
 */
#include "cmd/cmd.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/date.h"
#include "base/xalloc.h"
#include "cmd/opt.h"
#include "model/query.h"
#include "model/tree.h"
#include "report/table.h"

#define STORE_HELP                                                             \
    "  --store PATH     the store (default $PCCS_STORE or ./pccs.db)\n"

const struct pccs_cmd pccs_cmds[] = {
    {"load", "recognise, validate and load published or local files",
     "usage: pccs load [--period P] [--org CODE] [--quiet] FILE...\n"
     "\n"
     "Recognise each file from its header or shape (never its name),\n"
     "validate every row and load it in one transaction: all of it or\n"
     "nothing. A file already loaded (same SHA-256) changes nothing.\n"
     "\n"
     "  --period P       the period the file describes, where the file\n"
     "                   does not say (e.g. 2022-23 or 2021-01-01)\n"
     "  --org CODE       the organisation the files belong to: a local\n"
     "                   register that names no organisation (budget,\n"
     "                   milestones) is then read and changed in pccs\n"
     "                   serve by commissioners of CODE (and admins);\n"
     "                   without it, by admins only\n"
     "  --quiet          no progress line\n" STORE_HELP "\n"
     "Exit status: 0 loaded (or already loaded), 1 a file was refused\n"
     "(the message names file:line:column and what was expected),\n"
     "2 usage error.\n",
     pccs_cmd_load},
    {"sources", "list the loaded files",
     "usage: pccs sources [--reference] [--format text|csv|json]\n"
     "\n"
     "One row per loaded file: id, kind, publication, period, rows\n"
     "loaded and rejected, encoding, sha256, when it was loaded, path.\n"
     "In text, then the reference files in use (data/rules, maps,\n"
     "weights, rates): file, what it is, rows, sha256, path and the\n"
     "source it states.\n"
     "\n"
     "  --reference      only the reference files\n"
     "  --format F       text (default), csv or json\n" STORE_HELP,
     pccs_cmd_sources},
    {"orgs", "list organisations at a level",
     "usage: pccs orgs [--level L] [--in CODE] [--at DATE] [--format F]\n"
     "\n"
     "Organisations of the tree at a level (practice, pcn, sub_icb, icb,\n"
     "region, england; default region) as at a date (default: the latest\n"
     "data), optionally only those within CODE. None before it opened, and\n"
     "no PCN before PCNs began (data/rules/levels.csv): the note says so.\n"
     "Codes are found in any case; an unknown code or a name gets the\n"
     "closest organisations.\n"
     "\n"
     "  --level L        practice|pcn|sub_icb|icb|region|england\n"
     "  --in CODE        only organisations within CODE\n"
     "  --at DATE        as at this date (YYYY-MM-DD)\n"
     "  --format F       text (default), csv or json\n" STORE_HELP,
     pccs_cmd_orgs},
    {"show", "one organisation: parents, children, populations",
     "usage: pccs show CODE [--at DATE] [--compare] [--format text|json]\n"
     "\n"
     "One organisation: its parents up to England, its children, and its\n"
     "populations for every loaded period, each with its source.\n"
     "\n"
     "  --at DATE        as at this date (default: the latest data)\n"
     "  --compare        a practice or PCN beside its ICB, region and\n"
     "                   England, with its rank and decile in England\n"
     "  --format F       text (default) or json\n" STORE_HELP,
     pccs_cmd_show},
    {"table", "named tables (pccs table --list)",
     "usage: pccs table NAME [--level L] [--in CODE] [--at DATE]\n"
     "                  [--period P] [--format text|csv|json]\n"
     "       pccs table --list\n"
     "\n"
     "  --level L        practice|pcn|sub_icb|icb|region|england\n"
     "  --in CODE        only rows within CODE\n"
     "  --at DATE        registrations snapshot on or before DATE and\n"
     "                   the tree as at DATE\n"
     "  --period P       a financial year (2022-23) or a date YYYY-MM-DD,\n"
     "                   as the table takes (a malformed one: exit 2\n"
     "                   naming the forms; none loaded: exit 1)\n"
     "  --group G        a QOF disease group (qof-prevalence, e.g. AF) or a\n"
     "                   staff group (workforce: its roles)\n"
     "  --year Y         the financial year (entitlements, payments)\n"
     "  --compare Y      a second year to compare with (payments)\n"
     "  --from P --to P  the two periods list-growth compares: snapshot\n"
     "                   dates YYYY-MM-DD or financial years\n"
     "  --contract TYPE  only practices of contract type GMS, PMS or APMS\n"
     "                   (payments)\n"
     "  --format F       text (default), csv, json or xlsx (with --out)\n"
     "  --out FILE       write to FILE instead of standard output\n"
     "  --explain        print each figure's formula with its values under\n"
     "                   the table (the --in organisation's rows)\n"
     "  --suppress       disclosure control on counts of individuals pccs\n"
     "                   derives (1-7 as *, others to the nearest 5, one\n"
     "                   more hidden where a total would give one away);\n"
     "                   without it you, who hold the store, see them all\n"
     "  --viewer CODE    those counts as pccs serve shows them to a user of\n"
     "                   CODE: its own as they are, the others controlled\n"
     "  --include-synthetic  resilience: rate with indicators resting on\n"
     "                   generated files too (left out by default)\n"
     "  --all            every table (defaults, --in, --year) into the\n"
     "                   directory --out DIR, one file each, timed\n"
     "  --list           list the tables\n" STORE_HELP,
     pccs_cmd_table},
    {"chart", "draw a table or a series as an SVG chart",
     "usage: pccs chart pyramid --org CODE [--period DATE] [--out FILE.svg]\n"
     "       pccs chart line --metric NAME --org CODE[,CODE...] [--out F]\n"
     "       pccs chart bar TABLE --column COL [--level L] [--in CODE]\n"
     "                  [--year Y | --period P] [--group G]\n"
     "                  [--where COL=VALUE] [--out FILE.svg]\n"
     "\n"
     "SVG written by pccs (no browser needed), in NHS colours, with a title,\n"
     "a text alternative stating every value and the source:\n"
     "  pyramid  registered patients by age band and sex (table age-bands)\n"
     "  line     a monthly metric (pccs spc --metric names them) for one or\n"
     "           more organisations\n"
     "  bar      one column of any table, a bar per row (--where keeps the\n"
     "           rows whose COL equals VALUE, e.g. staff_group=GP)\n",
     pccs_cmd_chart},
    {"report", "the committee paper as one HTML file, or PDF",
     "usage: pccs report committee --in CODE (--out FILE.html | --pdf F.pdf)\n"
     "                             [--year YYYY-YY] [--paper FILE.csv]\n"
     "                             [--include-synthetic]\n"
     "\n"
     "The paper a committee tables, as one self-contained HTML file (styles\n"
     "and charts inline, nothing fetched) laid out for A4, for an\n"
     "organisation with children: a cover sheet (meeting, date, agenda item,\n"
     "author, lead, purpose, \"The Committee is asked to\" and the\n"
     "implications grid); an executive summary written from the tables'\n"
     "own figures; population by PCN, age and sex; capacity with SPC\n"
     "charts; enhanced access, PCN entitlements against last year and ARRS;\n"
     "workforce per 10,000; QOF prevalence; payments per weighted patient;\n"
     "practices rated red or amber and why; the local registers; appendices\n"
     "with the practice tables and the data sources. Every figure is the\n"
     "one pccs table prints. --year: the financial year for payments and\n"
     "entitlements (default: the latest payments year loaded). --paper: the\n"
     "cover's details, a CSV of key,value rows (template:\n"
     "data/templates/paper/committee.csv); without it, defaults. --pdf:\n"
     "print it with headless Chromium (installed, or $PCCS_CHROMIUM) too.\n"
     "A table or chart resting on a generated file (SYNTHETIC) or a\n"
     "template's example rows (EXAMPLE) says so in a box before it; the\n"
     "resilience ratings leave generated figures out unless\n"
     "--include-synthetic.\n",
     pccs_cmd_report},
    {"serve", "the dashboard and the HTTP JSON API",
     "usage: pccs serve [--listen 127.0.0.1:8080] [--web DIR] [--threads N]\n"
     "                  [--secure] [--trusted-proxy ADDR] [--per-address N]\n"
     "                  [--cache-mb N]\n"
     "       pccs serve --list-routes\n"
     "\n"
     "Serves the dashboard (web/) and answers POST /api/login, GET\n"
     "/api/session, POST /api/logout, GET /api/sources, /api/orgs?q=TEXT,\n"
     "/api/orgs/CODE, /api/tables, /api/tables/NAME?level=&in=&year=&\n"
     "format=json|csv|xlsx and /api/spc/METRIC/CODE with the numbers pccs\n"
     "table prints (docs/API.md). Every /api/ path needs a session (make\n"
     "accounts with pccs user add); a user sees their scope's subtree and\n"
     "the aggregates above it. Binds to loopback unless told otherwise,\n"
     "logs one line per request to stderr, stops cleanly on SIGTERM. Port\n"
     "0 picks a free port (printed on stdout). --secure marks the session\n"
     "cookie Secure (behind TLS). --trusted-proxy ADDR: connections from\n"
     "ADDR (a reverse proxy) give the client's address as the last entry\n"
     "of X-Forwarded-For, used for the login throttle and the audit log.\n"
     "Restart after loading files.\n"
     "\n"
     "  --threads N      worker threads, 1 to 256 (default: one per CPU)\n"
     "  --per-address N  connections from one address (default 128)\n"
     "  --cache-mb N     the answer cache, least recently used answers\n"
     "                   evicted first (default 64)\n"
     "  --list-routes    print the route table (method, path, session,\n"
     "                   CSRF, cache, roles, data, subject, parameters)\n",
     pccs_cmd_serve},
    {"spc", "Making Data Count SPC chart of a series",
     "usage: pccs spc --input FILE.csv [--date-col date] [--value-col value]\n"
     "       pccs spc --metric NAME --org CODE   (a series pccs holds;\n"
     "                --in CODE alike)\n"
     "       pccs spc --list                     (the metrics)\n"
     "                [--improvement increase|decrease|neutral]\n"
     "                [--target T] [--rebase DATE,...] [--fix-after N]\n"
     "                [--no-screen] [--floor F] [--format text|csv|json|svg]\n"
     "\n"
     "An XmR chart with the Making Data Count rules (the NHS-R reference\n"
     "implementation's): one row per point with date, value, mean, lpl,\n"
     "upl and point_type (common_cause, special_cause_improvement,\n"
     "special_cause_concern, special_cause_neutral_high or _low).\n"
     "The assurance of a target goes to stderr with csv, and under the\n"
     "table (text) or in \"sources\" (json).\n"
     "\n"
     "  --improvement D  which way is better (default increase)\n"
     "  --target T       a target, for the assurance\n"
     "  --rebase DATES   start a new group (mean, limits) at each date\n"
     "  --fix-after N    limits from the first N points of each group\n"
     "  --no-screen      keep large moving ranges (as the MDC Excel tool)\n"
     "  --floor F        the least value the measure can take: lower limits\n"
     "                   below it are shown at it (a metric that cannot be\n"
     "                   negative has its own floor of 0)\n",
     pccs_cmd_spc},
    {"synth", "write synthetic files in a published layout",
     "usage: pccs synth appointments --out FILE.csv [--months N]\n"
     "                  [--start DATE] [--seed S] [--in CODE]\n"
     "\n"
     "Appointments in General Practice practice-level rows in the published\n"
     "layout for the practices and list sizes of the latest registrations\n"
     "snapshot in the store: a rate per 1,000 patients per practice, a\n"
     "winter peak, slow growth and a step change at one practice in twenty.\n"
     "The same seed gives the same file. Not published data: GP_NAME says\n"
     "SYNTHETIC.\n"
     "\n"
     "  --months N       months to write (default 24)\n"
     "  --start DATE     the first month (default 2021-04-01)\n"
     "  --seed S         the seed (default 1)\n"
     "  --in CODE        only practices within CODE\n"
     "\n"
     "usage: pccs synth patients --in CODE --out DIR [--seed S] [--at DATE]\n"
     "                  [--history N] [--layout csv|ndjson|both]\n"
     "\n"
     "Patient-level records for every practice within CODE, as many as its\n"
     "registered list, registers at its QOF prevalence, frailty deficits,\n"
     "care homes, dementia reviews and repeat medicines, codes from\n"
     "$PCCS_CODELISTS: the ehrQL-like CSV files and FHIR R4 NDJSON in DIR.\n"
     "  --at DATE        the day the records run to (default 2026-04-01)\n"
     "  --history N      N more coded readings per patient with a register\n",
     pccs_cmd_synth},
    {"user", "accounts for pccs serve",
     "usage: pccs user add NAME --role admin|commissioner|pcn|practice\n"
     "                          --scope CODE\n"
     "       pccs user passwd NAME\n"
     "       pccs user check NAME   (exit 0 if the password is right)\n"
     "       pccs user list\n"
     "       pccs user disable NAME | enable NAME | delete NAME\n"
     "       pccs user role NAME ROLE [--scope CODE]\n"
     "\n"
     "The password is read from the terminal without echo, or from a line\n"
     "of standard input: 10 to 256 bytes of UTF-8 text, at least 10\n"
     "characters, no NUL (a longer one is refused, never cut short);\n"
     "stored only as an Argon2id hash (libsodium). A pcn user's scope is a\n"
     "PCN, a practice user's a practice; ENG gives everything. A disabled\n"
     "user cannot log in. role keeps the scope unless --scope is given.\n"
     "Every change is written to the audit log with it, and ends the\n"
     "user's sessions in pccs serve (at their next request).\n",
     pccs_cmd_user},
    {"audit", "read the audit log",
     "usage: pccs audit [--user U] [--action A] [--since DATE]\n"
     "                  [--until DATE] [--format text|csv|json]\n"
     "\n"
     "The audit log: one line per login, failed or throttled login,\n"
     "logout, refused request, account change and register change, with\n"
     "its time (UTC), user, action and detail (what, and from which\n"
     "address), oldest first.\n"
     "\n"
     "  --user U         only lines about user U\n"
     "  --action A       only action A (a glob: 'login*')\n"
     "  --since DATE     from DATE (YYYY-MM-DD, UTC) on\n"
     "  --until DATE     up to and including DATE\n"
     "  --format F       text (default), csv or json\n" STORE_HELP,
     pccs_cmd_audit},
    {"patients", "one practice's patients in a cohort (patient-level)",
     "usage: pccs patients --practice CODE [--cohort NAME] [--at DATE]\n"
     "                     [--format text|csv|json]\n"
     "\n"
     "The patients registered at practice CODE on DATE (default: the\n"
     "latest day of the patient-level records loaded) in cohort NAME (a\n"
     "column of pccs table cohorts; default: all), with age, sex, eFI\n"
     "deficits, score and category and their cohorts. Code lists from\n"
     "$PCCS_CODELISTS. Every read is written to the audit log.\n" STORE_HELP,
     pccs_cmd_patients},
    {NULL, NULL, NULL, NULL},
};

static const char main_usage[] =
    "usage: pccs [--store PATH] [--quiet] COMMAND [ARGS]\n"
    "\n"
    "pccs, the Primary Care Commissioning System: NHS general practice\n"
    "figures for England from the published files, rolled up the tree\n"
    "practice -> PCN -> sub-ICB -> ICB -> region -> England.\n"
    "\n"
    "Global options:\n"
    "  --store PATH     the store (default $PCCS_STORE or ./pccs.db)\n"
    "  --quiet          no progress lines\n"
    "  --help           this help; pccs COMMAND --help for a command\n"
    "  --version        print the version\n"
    "\n"
    "Commands:\n";

static const struct pccs_cmd *
find_cmd(const char *name)
{
    for (const struct pccs_cmd *c = pccs_cmds; c->name; c++) {
        if (strcmp(c->name, name) == 0)
            return c;
    }
    return NULL;
}

static void
print_main_usage(FILE *f)
{
    fputs(main_usage, f);
    for (const struct pccs_cmd *c = pccs_cmds; c->name; c++)
        fprintf(f, "  %-10s %s\n", c->name, c->summary);
    fputs("\nExit status: 0 success, 1 bad input or a refused file, "
          "2 usage error.\n"
          "Contains public sector information licensed under the Open "
          "Government\nLicence v3.0 (the bundled NHS files).\n",
          f);
}

int
pccs_cmd_args(struct pccs_global *g, int argc, char **argv,
              const struct pccs_opt *opts, size_t nopts, char **pos,
              size_t maxpos, size_t *npos)
{
    bool help = false;
    size_t none;
    struct pccs_opt *all = pccs_xcalloc(nopts + 1, sizeof(*all));
    memcpy(all, opts, nopts * sizeof(*opts));
    all[nopts] = (struct pccs_opt){"store", &g->store, NULL};
    int rc = pccs_opt_parse(argc, argv, all, nopts + 1, pos, maxpos,
                            npos ? npos : &none, &help);
    free(all);
    if (rc)
        return rc;
    return help ? pccs_cmd_help(argv[0]) : PCCS_CMD_GO;
}

int
pccs_cmd_print(struct pccs_table *t, int fmt, struct pccs_store *st, int rc,
               struct pccs_err *err)
{
    if (!rc)
        rc = pccs_table_write(t, (enum pccs_format)fmt, stdout, err);
    pccs_table_release(t);
    return pccs_cmd_end(st, NULL, rc, err);
}

int
pccs_cmd_help(const char *name)
{
    const struct pccs_cmd *c = find_cmd(name);
    if (c)
        fputs(c->usage, stdout);
    return 0;
}

int
pccs_cmd_usage(const char *name, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "pccs %s: ", name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    const struct pccs_cmd *c = find_cmd(name);
    if (c) {
        const char *nl = strchr(c->usage, '\n');
        fprintf(stderr, "%.*s\n", nl ? (int)(nl - c->usage) : 0, c->usage);
    }
    return PCCS_EXIT_USAGE;
}

int
pccs_cmd_fail(int exit, const char *fmt, ...)
{
    va_list ap;
    fputs("pccs: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return exit;
}

int
pccs_cmd_format(const char *name, const char *s, int *fmt)
{
    enum pccs_format f = PCCS_FMT_TEXT;
    if (s && pccs_format_parse(s, &f))
        return pccs_cmd_usage(name,
                              "--format must be text, csv or json, "
                              "not '%s'",
                              s);
    *fmt = (int)f;
    return 0;
}

int
pccs_cmd_date(const char *name, const char *s, int32_t *day)
{
    *day = PCCS_DAY_NONE;
    if (!s)
        return 0;
    pccs_day d;
    struct pccs_err err = PCCS_ERR_INIT;
    if (pccs_query_date("--at", s, &d, &err))
        return pccs_cmd_usage(name, "%s", err.msg);
    *day = d;
    return 0;
}

int
pccs_cmd_exit(int rc)
{
    return rc ? PCCS_EXIT_INPUT : PCCS_EXIT_OK;
}

int
pccs_cmd_open_store(const struct pccs_global *g, struct pccs_store **st)
{
    struct pccs_err err = PCCS_ERR_INIT;
    if (pccs_store_open(st, g->store, &err))
        return pccs_cmd_fail(PCCS_EXIT_INPUT, "%s", err.msg);
    return 0;
}

int
pccs_cmd_open_tree(const struct pccs_global *g, struct pccs_cmd_open *o)
{
    *o = (struct pccs_cmd_open){.tree = PCCS_TREE_INIT, .err = PCCS_ERR_INIT};
    int rc = pccs_cmd_open_store(g, &o->st);
    if (rc)
        return rc;
    rc = pccs_tree_load(&o->tree, o->st, &o->err);
    return rc ? pccs_cmd_close(o, rc) : 0;
}

int
pccs_cmd_close(struct pccs_cmd_open *o, int rc)
{
    return pccs_cmd_end(o->st, &o->tree, rc, &o->err);
}

int
pccs_cmd_end(struct pccs_store *st, struct pccs_tree *t, int rc,
             const struct pccs_err *err)
{
    if (rc)
        pccs_cmd_fail(PCCS_EXIT_INPUT, "%s", err->msg);
    if (t)
        pccs_tree_release(t);
    pccs_store_free(st);
    return pccs_cmd_exit(rc);
}

int
pccs_cmd_main(int argc, char **argv)
{
    struct pccs_global g = {NULL, false, isatty(STDERR_FILENO) == 1};
    const char *env = getenv("PCCS_STORE");
    g.store = env && *env ? env : "pccs.db";
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            print_main_usage(stdout);
            return 0;
        }
        if (strcmp(a, "--version") == 0) {
            printf("pccs 0.1\n");
            return 0;
        }
        if (strcmp(a, "--quiet") == 0) {
            g.quiet = true;
        }
        else if (strcmp(a, "--store") == 0 && i + 1 < argc) {
            g.store = argv[++i];
        }
        else if (strncmp(a, "--store=", 8) == 0) {
            g.store = a + 8;
        }
        else {
            fprintf(stderr, "pccs: unknown option '%s'\n\n", a);
            print_main_usage(stderr);
            return PCCS_EXIT_USAGE;
        }
    }
    if (i >= argc) {
        print_main_usage(stderr);
        return PCCS_EXIT_USAGE;
    }
    if (strcmp(argv[i], "help") == 0) {
        if (i + 1 < argc && find_cmd(argv[i + 1]))
            return pccs_cmd_help(argv[i + 1]);
        print_main_usage(stdout);
        return 0;
    }
    const struct pccs_cmd *c = find_cmd(argv[i]);
    if (!c) {
        fprintf(stderr, "pccs: '%s' is not a command\n\n", argv[i]);
        print_main_usage(stderr);
        return PCCS_EXIT_USAGE;
    }
    return c->run(&g, argc - i, argv + i);
}
