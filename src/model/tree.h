/* SPDX-License-Identifier: MIT */
/*
 * The organisation tree with effective dates, held in memory.
 *
 * practice -> pcn -> (place) -> sub_icb -> icb -> region -> england. Built
 * from the store's orgs, links and names. Membership is asked "as at" a
 * day:
 *
 *   - a link holds from its start to its end (inclusive; no end = open);
 *   - "in no organisation at a level" is a link too, with no parent (a
 *     map, payments or QOF file that places a practice in no PCN, "U",
 *     says so on its date): it holds and wins like any other, and when it
 *     wins the answer is none;
 *   - of the links that hold, the one with the latest start wins, so a
 *     newer snapshot or a newer declared membership replaces an older one
 *     (on the same start, the later-loaded source);
 *   - when no link holds yet (the day is before every observation):
 *       at the PCN level, none: a practice is in no PCN before the first
 *       evidence that it was in one (PCNs began in July 2019, practices
 *       joined and left them since, and a later membership says nothing
 *       about an earlier day);
 *       at the other levels (sub-ICB / CCG, ICB / STP, region, place), the
 *       earliest observed (snapshot) link is used: every practice is
 *       commissioned by some CCG or sub-ICB, every one of those sits in
 *       some STP or ICB, and the nearest snapshot is the best evidence of
 *       which (leaving the practice out would drop its patients from
 *       every total above it);
 *   - a caller may prefer the links of one source (the one its figures
 *     come from), so a table of a publication rolls up the way that
 *     publication did: for an organisation that source describes, and a
 *     level it gives memberships at, its word is final, including "none"
 *     (a practice a payments file places in no PCN is in no PCN), and
 *     holds on any day, before that source's date too (at every level).
 *
 * Names: every name a file gave an organisation is kept with the date
 * that file describes; pccs_tree_name() answers the name as at a day.
 *
 * England (code "ENG") is implicit: every region belongs to it.
 */
#ifndef PCCS_TREE_H
#define PCCS_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/date.h"
#include "base/err.h"
#include "base/hmap.h"
#include "store/store.h"

enum pccs_level {
    PCCS_PRACTICE = 0,
    PCCS_PCN,
    PCCS_PLACE,
    PCCS_SUB_ICB,
    PCCS_ICB,
    PCCS_REGION,
    PCCS_ENGLAND,
    PCCS_NLEVELS,
    PCCS_LEVEL_NONE = -1 /* trusts and other kinds beside the tree */
};

/*
 * A link to a parent. An org's links are kept in order of level (in the
 * order added within a level), so a question about one level reads only
 * that level's; the fields are narrow so the cached tree is small.
 */
struct pccs_tree_link {
    int parent; /* index into orgs; -1: in none at level */
    pccs_day start, end;
    int32_t source_id;
    int8_t level; /* the parent's level, enum pccs_level (of "none" too) */
    bool observed;
};

/* A name as a file gave it, from the date that file describes. */
struct pccs_tree_name {
    char *name;
    pccs_day from; /* PCCS_DAY_NONE if undated */
    int32_t source_id;
};

struct pccs_tree_org {
    char *code, *name, *postcode, *ons_code, *status, *level_name;
    enum pccs_level level;
    pccs_day open_date, close_date;
    pccs_day as_of; /* the newest information about it */
    int64_t source_id;
    struct pccs_tree_link *links; /* to parents, any level */
    size_t nlinks, links_cap;
    struct pccs_tree_name *names; /* every name observed, with its date */
    size_t nnames, names_cap;
};

struct pccs_tree {
    struct pccs_tree_org *orgs;
    size_t norgs, cap;
    /*
     * Code -> org index, by open addressing on pccs_tree_code_hash: nslots
     * (a power of two, at least twice norgs) org indexes, -1 for empty.
     * Kept in the blob as it is in memory, so a start reads the index
     * rather than building it; borrowed from the blob while slots_owned
     * is false (an insert copies it first).
     */
    int32_t *slots;
    size_t nslots;
    bool slots_owned;
    int england;             /* index of the implicit England org */
    pccs_day latest;         /* latest snapshot (observed link) date */
    unsigned *source_levels; /* per source id: bit l = gives links to l */
    size_t nsource_levels;
    /*
     * Per source id: the snapshot day of a full list of practices (the
     * practice map or the all-persons registrations), else PCCS_DAY_NONE.
     */
    pccs_day *census;
    size_t ncensus;
    /*
     * Per source id: the day the file describes (a snapshot's date, the
     * last day of a financial year), else PCCS_DAY_NONE. Of two links or
     * names that start on the same day, the one from the file describing
     * the later day wins, so the answer does not depend on load order.
     */
    pccs_day *asof;
    size_t nasof;
    /*
     * The blob the tree was read from (pccs_tree_from_blob), or NULL:
     * the orgs array, strings, link and name arrays point into it and are
     * not freed one by one (cap, links_cap and names_cap are 0 while they
     * do; a change copies them out first).
     */
    char *blob;
    size_t blob_len;
    bool edited; /* a link or name added since (some may be owned) */
    /*
     * Ancestors already asked for (pccs_tree_ancestor), by day, source
     * and level; emptied by any change to the tree, freed with it.
     */
    struct pccs_tree_memo *memo;
};

#define PCCS_TREE_INIT                                                         \
    {                                                                          \
        .england = -1, .latest = PCCS_DAY_NONE                                 \
    }

/** Add an organisation (strings copied); returns its index. */
int pccs_tree_add_org(struct pccs_tree *t, const struct pccs_org_row *o);
/**
 * Add a link between codes (an unknown parent is added unnamed; a NULL or
 * empty parent is "in none at parent_level" from l->start).
 */
void pccs_tree_add_link(struct pccs_tree *t, const struct pccs_link_row *l);
/** Add a dated name of an organisation (unknown codes are ignored). */
void pccs_tree_add_name(struct pccs_tree *t, const struct pccs_name_row *n);
/** Add the implicit England; call once after the last org and link. */
void pccs_tree_finish(struct pccs_tree *t);

/**
 * Mark source_id as a full list of practices on day (pccs_tree_load does
 * this for practice maps and all-persons registrations).
 */
void pccs_tree_set_census(struct pccs_tree *t, int64_t source_id, pccs_day day);

/**
 * The tree of the store's sources: read in one query from the store's
 * cache when it was built from the same generation of the sources, else
 * built from every org, link and name (pccs_tree_build) and, when the
 * store is writable, cached for the next command. The environment
 * variable PCCS_TREE changes this, for tests: "rebuild" builds from the
 * tables and leaves the cache alone; "check" also builds from the tables
 * and fails (PCCS_EDB) unless the cached tree is byte for byte the same,
 * saying on stderr whether the cache was used.
 */
int pccs_tree_load(struct pccs_tree *t, struct pccs_store *st,
                   struct pccs_err *err);
/** Build the tree from the store's tables (no cache). */
int pccs_tree_build(struct pccs_tree *t, struct pccs_store *st,
                    struct pccs_err *err);
/**
 * Make sure the store's cache holds the tree of its current sources
 * (pccs load calls this after loading); nothing when it already does or
 * the store is read-only.
 */
int pccs_tree_refresh(struct pccs_store *st, struct pccs_err *err);
/** Append the tree to b in the cache's layout (model/tree_blob.c). */
void pccs_tree_to_blob(const struct pccs_tree *t, struct pccs_buf *b);
/**
 * Read a tree from a blob of pccs_tree_to_blob (malloc'd; the tree owns
 * it from here, and frees it when the layout is not this binary's).
 */
bool pccs_tree_from_blob(struct pccs_tree *t, char *blob, size_t len);
void pccs_tree_release(struct pccs_tree *t);

/** "practice" -> PCCS_PRACTICE ...; PCCS_LEVEL_NONE if not a tree level. */
enum pccs_level pccs_level_parse(const char *s);
/** The level's name as used on the command line ("sub_icb"). */
const char *pccs_level_name(enum pccs_level l);

/** Index of code, or -1. */
int pccs_tree_find(const struct pccs_tree *t, const char *code);
/** The hash of a code in the tree's index (fixed: the blob keeps it). */
uint32_t pccs_tree_code_hash(const char *code);

/**
 * The name of org as at day: the latest name observed on or before day
 * (on the same date, the later-loaded source's), else the earliest one
 * observed; with no dated names, or day PCCS_DAY_NONE, the newest name.
 * "" if it has none. Valid while the tree is.
 */
const char *pccs_tree_name(const struct pccs_tree *t, int org, pccs_day at);

/**
 * Does org's name, or any name it had, contain needle (ASCII case
 * ignored)? A search for "Bassetlaw CCG" finds 02Q after it was renamed.
 */
bool pccs_tree_names_contain(const struct pccs_tree *t, int org,
                             const char *needle);

/**
 * The parent of org at level (directly linked), as at day; -1 if none.
 * prefer_source > 0 prefers that source's links when it has one.
 */
int pccs_tree_parent(const struct pccs_tree *t, int org, enum pccs_level level,
                     pccs_day at, int64_t prefer_source);

/**
 * The ancestor of org at level as at day: org itself if it is at that
 * level; else its direct link to that level; else through its nearest
 * direct parent below that level. -1 if the chain breaks.
 */
int pccs_tree_ancestor(const struct pccs_tree *t, int org,
                       enum pccs_level level, pccs_day at,
                       int64_t prefer_source);

/** The next parent up the tree (the lowest level it links to) at day. */
int pccs_tree_up(const struct pccs_tree *t, int org, pccs_day at,
                 int64_t prefer_source);

/**
 * Like pccs_tree_up() but also tells which source the link came from
 * (*source_id, 0 for England's implicit membership).
 */
int pccs_tree_up_via(const struct pccs_tree *t, int org, pccs_day at,
                     int64_t prefer_source, int64_t *source_id);

/**
 * Count, for every org, the practices under it that are open at day and
 * placed in the tree (practices[i] > 0 means org i is in the tree at
 * day). practices has t->norgs entries. The latest full list of practices
 * on or before day (a practice map or an all-persons registrations file)
 * is authoritative: a practice missing from it is not counted unless it
 * opened after that list was taken.
 */
void pccs_tree_count_practices(const struct pccs_tree *t, pccs_day at,
                               int64_t *practices);

/** The default "as at" day: the latest snapshot, else today. */
pccs_day pccs_tree_default_day(const struct pccs_tree *t);

/** Sort n org indexes by their codes. */
void pccs_tree_sort_by_code(const struct pccs_tree *t, int *idx, size_t n);

/** Is org open at day (by its open and close dates, where known)? */
bool pccs_tree_open_at(const struct pccs_tree_org *o, pccs_day at);

#endif
