/* SPDX-License-Identifier: MIT */
/*
 * Code lists as data (codelists.h): a directory of *.snomed.txt files
 * and the rules' own lists, held as one open-addressing table from code
 * to the bit mask of the lists that hold it.
 */
#include "sources/codelists.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/path.h"
#include "base/xalloc.h"
#include "formats/csv.h"

#define SUFFIX ".snomed.txt"

bool
pccs_is_snomed(const char *s, size_t len, int64_t *code)
{
    if (len < 6 || len > 18)
        return false;
    int64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    if (s[0] == '0')
        return false;
    *code = v;
    return true;
}

static size_t
slot_of(const struct pccs_codelists *cl, int64_t code)
{
    uint64_t h = (uint64_t)code * 0x9E3779B97F4A7C15ULL;
    size_t i = (size_t)(h >> 20) & (cl->cap - 1);
    while (cl->keys[i] && cl->keys[i] != code)
        i = (i + 1) & (cl->cap - 1);
    return i;
}

static void
grow(struct pccs_codelists *cl)
{
    size_t oldcap = cl->cap;
    int64_t *ok = cl->keys;
    uint64_t *om = cl->masks;
    cl->cap = oldcap ? oldcap * 2 : 4096;
    cl->keys = pccs_xcalloc(cl->cap, sizeof(*cl->keys));
    cl->masks = pccs_xcalloc(cl->cap, sizeof(*cl->masks));
    for (size_t i = 0; i < oldcap; i++) {
        if (!ok[i])
            continue;
        size_t j = slot_of(cl, ok[i]);
        cl->keys[j] = ok[i];
        cl->masks[j] = om[i];
    }
    free(ok);
    free(om);
}

static void
add_code(struct pccs_codelists *cl, int list, int64_t code)
{
    if ((cl->len + 1) * 2 > cl->cap)
        grow(cl);
    size_t i = slot_of(cl, code);
    if (!cl->keys[i]) {
        cl->keys[i] = code;
        cl->len++;
    }
    cl->masks[i] |= (uint64_t)1 << list;
}

uint64_t
pccs_codelists_mask(const struct pccs_codelists *cl, int64_t code)
{
    if (!cl->cap || code <= 0)
        return 0;
    size_t i = slot_of(cl, code);
    return cl->keys[i] ? cl->masks[i] : 0;
}

int
pccs_codelists_find(const struct pccs_codelists *cl, const char *name)
{
    for (size_t i = 0; i < cl->n; i++)
        if (!strcmp(cl->names[i], name))
            return (int)i;
    return -1;
}

static int
list_index(struct pccs_codelists *cl, const char *name, size_t len,
           struct pccs_err *err)
{
    for (size_t i = 0; i < cl->n; i++)
        if (strlen(cl->names[i]) == len && !memcmp(cl->names[i], name, len))
            return (int)i;
    if (cl->n == PCCS_CODELISTS_MAX)
        return pccs_err_set(err, PCCS_EINVAL,
                            "more than %d code lists: pccs reads at most %d",
                            PCCS_CODELISTS_MAX, PCCS_CODELISTS_MAX) *
                   0 -
               1;
    cl->names[cl->n] = pccs_xstrndup(name, len);
    return (int)cl->n++;
}

/* One *.snomed.txt file: code TAB description per line. */
static int
read_list(struct pccs_codelists *cl, const char *path, const char *base,
          struct pccs_err *err)
{
    int list = list_index(cl, base, strlen(base) - strlen(SUFFIX), err);
    if (list < 0)
        return PCCS_EINVAL;
    FILE *f = fopen(path, "r");
    if (!f)
        return pccs_err_at(err, PCCS_EIO, path, 0, 0, "cannot open");
    char line[4096];
    int64_t ln = 0;
    int rc = PCCS_OK;
    while (!rc && fgets(line, sizeof(line), f)) {
        ln++;
        size_t k = strcspn(line, "\t\r\n");
        if (k == 0 && (line[0] == '\n' || line[0] == '\r' || !line[0]))
            continue;
        int64_t code;
        if (!pccs_is_snomed(line, k, &code))
            rc = pccs_err_at(err, PCCS_EPARSE, path, ln, 1,
                             "expected a SNOMED CT concept id, a tab and a "
                             "description, found \"%.*s\"",
                             (int)(k > 40 ? 40 : k), line);
        else
            add_code(cl, list, code);
    }
    fclose(f);
    return rc;
}

static int
by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.snomed.txt files of dir, and of its subdirectories if depth. */
static int
read_dir(struct pccs_codelists *cl, const char *dir, int depth,
         struct pccs_err *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return pccs_err_at(err, PCCS_EIO, dir, 0, 0,
                           "cannot open the code list directory");
    char **names = NULL;
    size_t n = 0, cap = 0;
    const struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            names = pccs_xreallocarray(names, cap, sizeof(*names));
        }
        names[n++] = pccs_xstrdup(e->d_name);
    }
    closedir(d);
    if (n > 0)
        qsort(names, n, sizeof(*names), by_name);
    int rc = PCCS_OK;
    for (size_t i = 0; i < n; i++) {
        char path[1024];
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        size_t len = strlen(names[i]);
        struct stat sb;
        if (!rc && depth > 0 && stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
            rc = read_dir(cl, path, depth - 1, err);
        else if (!rc && len > strlen(SUFFIX) &&
                 !strcmp(names[i] + len - strlen(SUFFIX), SUFFIX))
            rc = read_list(cl, path, names[i], err);
        free(names[i]);
    }
    free(names);
    return rc;
}

/* list,code,description,source */
static int
read_rules(struct pccs_codelists *cl, const char *path, struct pccs_err *err)
{
    struct pccs_csv_reader *r = NULL;
    int rc = pccs_csv_open(&r, path, NULL, 0, err);
    if (rc)
        return rc;
    struct pccs_csv_record rec;
    bool header = true;
    while ((rc = pccs_csv_next(r, &rec, err)) == 1) {
        if (header) {
            header = false;
            continue;
        }
        int64_t code;
        if (rec.nfields < 4 || !rec.fields[0].len) {
            rc = pccs_err_at(err, PCCS_EPARSE, path, rec.line, 1,
                             "expected list,code,description,source");
            break;
        }
        struct pccs_str c = pccs_str_trim(rec.fields[1]);
        if (!pccs_is_snomed(c.p, c.len, &code)) {
            rc = pccs_err_at(err, PCCS_EPARSE, path, rec.line, 2,
                             "code: expected a SNOMED CT concept id");
            break;
        }
        int list = list_index(cl, rec.fields[0].p, rec.fields[0].len, err);
        if (list < 0) {
            rc = PCCS_EINVAL;
            break;
        }
        add_code(cl, list, code);
    }
    pccs_csv_free(r);
    return rc < 0 ? rc : PCCS_OK;
}

int
pccs_codelists_load(struct pccs_codelists *cl, const char *dir,
                    const char *rules_csv, struct pccs_err *err)
{
    snprintf(cl->dir, sizeof(cl->dir), "%s", dir);
    int rc = read_dir(cl, dir, 1, err);
    if (!rc && rules_csv)
        rc = read_rules(cl, rules_csv, err);
    return rc;
}

int
pccs_codelists_load_default(struct pccs_codelists *cl, struct pccs_err *err)
{
    const char *dir = getenv("PCCS_CODELISTS");
    if (!dir || !*dir)
        return pccs_err_set(err, PCCS_EINVAL,
                            "no code lists: set PCCS_CODELISTS to a directory "
                            "of SNOMED CT code lists (*.snomed.txt: code, tab, "
                            "description)");
    const char *rules = getenv("PCCS_RULES");
    char path[1024];
    struct stat sb;
    snprintf(path, sizeof(path), "%s/phm_codes.csv",
             rules && *rules ? rules : "data/rules");
    if (!(rules && *rules) || stat(path, &sb) != 0)
        pccs_data_path("rules/phm_codes.csv", path, sizeof(path));
    return pccs_codelists_load(cl, dir, path, err);
}

void
pccs_codelists_release(struct pccs_codelists *cl)
{
    for (size_t i = 0; i < cl->n; i++)
        free(cl->names[i]);
    free(cl->keys);
    free(cl->masks);
    memset(cl, 0, sizeof(*cl));
}

static int
cmp_code(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

size_t
pccs_codelists_codes(const struct pccs_codelists *cl, int i, int64_t **out)
{
    size_t n = 0;
    *out = pccs_xcalloc(cl->len + 1, sizeof(**out));
    for (size_t k = 0; i >= 0 && k < cl->cap; k++)
        if (cl->keys[k] && (cl->masks[k] >> i) & 1u)
            (*out)[n++] = cl->keys[k];
    qsort(*out, n, sizeof(**out), cmp_code);
    return n;
}
