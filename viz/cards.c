/*
 * cards.c - which tasks get a card on the board, and where.
 *
 * A column shows a window of its group: the cards from its scroll
 * position on, as many as fit. However many tasks the snapshot holds,
 * only those cards are found and placed: each group keeps the first
 * `scroll + fit` of its tasks in card order by a bounded insertion (one
 * comparison for most tasks), so the board costs about the same at 20,000
 * processes as at 200. A column scrolled very far is sorted whole instead.
 */
#include <stdlib.h>
#include <string.h>

#include "viz.h"

/* Beyond this many kept cards a group is sorted whole. */
#define BOUNDED_MAX 256

/* Cards within a group: running by CPU, the queue in pick order, sleepers
 * by wait channel, the rest by pid and tid (the snapshot's order). */
static bool task_before(const struct snapshot *s, enum group g, int a, int b)
{
    const struct snap_task *x = &s->tasks[a], *y = &s->tasks[b];
    if (g == G_RUNNING && x->cpu != y->cpu)
        return x->cpu < y->cpu;
    if (g == G_QUEUE && x->rq_pos != y->rq_pos)
        return x->rq_pos < y->rq_pos;
    if (g == G_SLEEPING) {
        int c = strcmp(x->wchan, y->wchan);
        if (c)
            return c < 0;
    }
    return a < b;
}

/* Insert task t into the sorted list (n entries, room for cap). */
static void keep_first(const struct snapshot *s, enum group g, int *list, int *n, int cap, int t)
{
    if (*n == cap && !task_before(s, g, t, list[cap - 1]))
        return;
    int lo = 0, hi = *n;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (task_before(s, g, t, list[mid]))
            hi = mid;
        else
            lo = mid + 1;
    }
    int moved = (*n < cap ? *n : cap - 1) - lo;
    memmove(list + lo + 1, list + lo, (size_t)moved * sizeof *list);
    list[lo] = t;
    if (*n < cap)
        (*n)++;
}

/* Merge sort of task indices in card order (tmp has room for n). */
static void sort_tasks(const struct snapshot *s, enum group g, int *a, int *tmp, int n)
{
    for (int width = 1; width < n; width *= 2) {
        for (int lo = 0; lo < n; lo += 2 * width) {
            int mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
            int i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                tmp[k++] = task_before(s, g, a[j], a[i]) ? a[j++] : a[i++];
            while (i < mid)
                tmp[k++] = a[i++];
            while (j < hi)
                tmp[k++] = a[j++];
        }
        memcpy(a, tmp, (size_t)n * sizeof *a);
    }
}

static unsigned slot_of(int tid)
{
    return ((unsigned)tid * 2654435761u) % LAYOUT_TID_SLOTS;
}

void layout_cards(const struct snapshot *s, int line, int card_h, const int *scroll,
                  struct layout *out)
{
    int u = out->unit, step = card_h + u / 2;
    int fit[G_COUNT], cap[G_COUNT], count[G_COUNT] = { 0 }, have[G_COUNT] = { 0 };
    int *list[G_COUNT] = { NULL };
    for (int i = 0; i < s->ntasks; i++)
        count[group_of(&s->tasks[i])]++;
    bool ok = true;
    for (int g = 0; g < G_COUNT; g++) {
        SDL_Rect r = out->groups[g];
        int top = r.y + line + u / 2, limit = r.y + r.h - out->foot_h;
        fit[g] = 0;
        while (top + fit[g] * step + card_h <= limit && fit[g] < LAYOUT_MAX_CARDS)
            fit[g]++;
        int want = (scroll ? scroll[g] : 0) + fit[g];
        cap[g] = want < count[g] ? want : count[g];
        /* A far-scrolled column collects all its tasks to sort them. */
        int room = cap[g] > BOUNDED_MAX ? count[g] : cap[g];
        list[g] = room ? malloc((size_t)room * sizeof *list[g]) : NULL;
        ok &= !room || list[g];
    }
    for (int i = 0; i < s->ntasks && ok; i++) {
        enum group g = group_of(&s->tasks[i]);
        if (cap[g] > BOUNDED_MAX)
            list[g][have[g]++] = i;
        else if (cap[g])
            keep_first(s, g, list[g], &have[g], cap[g], i);
    }
    int kept = 0;
    for (int g = 0; g < G_COUNT && ok; g++) {
        if (cap[g] > BOUNDED_MAX) {
            int *tmp = malloc((size_t)have[g] * sizeof *tmp);
            if (!tmp)
                break;
            sort_tasks(s, (enum group)g, list[g], tmp, have[g]);
            free(tmp);
        }
        SDL_Rect r = out->groups[g];
        int top = r.y + line + u / 2, first = scroll ? scroll[g] : 0;
        for (int k = first; k < cap[g] && kept < LAYOUT_MAX_CARDS; k++) {
            const struct snap_task *t = &s->tasks[list[g][k]];
            out->cards[kept++] = (struct card){
                .task = list[g][k], .tid = t->tid, .pid = t->pid, .group = (enum group)g,
                .order = k, .r = { r.x, top + (k - first) * step, r.w, card_h } };
        }
    }
    for (int g = 0; g < G_COUNT; g++)
        free(list[g]);
    out->ncards = kept;
    layout_index_cards(out);
}

void layout_index_cards(struct layout *out)
{
    memset(out->by_tid, 0, sizeof out->by_tid);
    for (int i = 0; i < out->ncards; i++) {
        unsigned k = slot_of(out->cards[i].tid);
        while (out->by_tid[k])
            k = (k + 1) % LAYOUT_TID_SLOTS;
        out->by_tid[k] = (short)(i + 1);
    }
}

const struct card *layout_card(const struct layout *l, int tid)
{
    for (unsigned k = slot_of(tid); l->by_tid[k]; k = (k + 1) % LAYOUT_TID_SLOTS)
        if (l->cards[l->by_tid[k] - 1].tid == tid)
            return &l->cards[l->by_tid[k] - 1];
    return NULL;
}
