/* SPDX-License-Identifier: MIT */
/*
 * GET /api/sources: the loaded files; ?reference=1: the reference files
 * in use (rates, rules, maps, weights), as pccs sources --reference.
 */
#include "model/refdata.h"
#include "web/web.h"

static int
reference_cb(void *ctx, const struct pccs_refdata_use *u)
{
    json_t *j = json_object();
    json_object_set_new(j, "file", json_string(u->rel));
    json_object_set_new(j, "what", json_string(u->what));
    json_object_set_new(j, "rows", json_integer((json_int_t)u->rows));
    json_object_set_new(j, "sha256", json_string(u->f->sha256));
    json_object_set_new(j, "path", json_string(u->f->path));
    json_object_set_new(j, "source", json_string(u->source));
    json_array_append_new(ctx, j);
    return 0;
}

static int
source_cb(void *ctx, const struct pccs_source_info *s)
{
    json_t *j = json_object();
    json_object_set_new(j, "id", json_integer(s->id));
    json_object_set_new(j, "kind", json_string(s->kind));
    json_object_set_new(j, "publication",
                        json_string(s->publication ? s->publication : ""));
    json_object_set_new(j, "provenance",
                        s->provenance ? json_string(s->provenance)
                                      : json_null());
    json_object_set_new(
        j, "provenance_note",
        json_string(s->provenance_note ? s->provenance_note : ""));
    json_object_set_new(j, "period", json_string(s->period ? s->period : ""));
    json_object_set_new(j, "rows", json_integer(s->rows_loaded));
    json_object_set_new(j, "sha256", json_string(s->sha256 ? s->sha256 : ""));
    json_object_set_new(j, "loaded_at",
                        json_string(s->loaded_at ? s->loaded_at : ""));
    json_array_append_new(ctx, j);
    return 0;
}

int
pccs_web_sources(struct pccs_web_server *sv, struct pccs_web_request *rq,
                 struct pccs_web_reply *r, struct pccs_err *err)
{
    (void)sv;
    json_t *a = json_array();
    int rc = pccs_web_flag(rq->c, "reference")
                 ? pccs_refdata_list(reference_cb, a, err)
                 : pccs_store_sources_each(rq->st, source_cb, a, err);
    if (rc) {
        json_decref(a);
        return rc;
    }
    pccs_web_reply_json(r, a);
    return PCCS_OK;
}
