/*
 * chans.c - pipes and queues in the objects panel (issue 11), and the
 * inspector's fd table.
 *
 * A pipe or queue is a block: a title row, then a tube holding its
 * messages in order (they go in at the left, the tail, and come out at the
 * right, the head: the next one a recv or get returns), a thin bar of the
 * bytes in the pipe against its capacity, a row saying who holds each end
 * (a queue: its size and feeder threads), and, when tasks wait on it, a
 * row of chips in their state's colour: writers on the left, readers on
 * the right. Each message's cell is tinted with its sender's process
 * colour, so four children's greetings read apart. A multiprocessing.Queue
 * shows, left of its pipe, the items still in its putters' feeder buffers.
 *
 * chans_layout() places all of this as plain rectangles and strings from
 * the snapshot alone (no drawing), so tests can check it; draw_chans()
 * paints what it placed. The moving parts (a message going in or out, an
 * EOF or a SIGPIPE, the lines from waiters to their cards) are drawn every
 * frame over the board (flows.c).
 */
#include <stdio.h>
#include <string.h>

#include "viz.h"

/* Characters (not bytes) in a UTF-8 string. */
static int chars(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* s cut to at most max characters, its end replaced by an ellipsis when
 * cut (so 'hello! bob' in 8 becomes 'hello!…). */
void chan_cut(const char *s, int max, char *out, size_t n)
{
    if (max < 1)
        max = 1;
    if (chars(s) <= max && strlen(s) < n) {
        memcpy(out, s, strlen(s) + 1);
        return;
    }
    size_t k = 0;
    int c = 0;
    while (s[k] && k + 4 < n) {
        if (((unsigned char)s[k] & 0xC0) != 0x80 && ++c > max - 1)
            break;
        k++;
    }
    snprintf(out, n, "%.*s\xe2\x80\xa6", (int)k, s);
}

/* "64 KiB", "300 B": a byte count as a student reads it. */
static void bytes_text(int64_t b, char *out, size_t n)
{
    if (b >= 1024 && b % 1024 == 0)
        snprintf(out, n, "%lld KiB", (long long)(b / 1024));
    else if (b >= 10240)
        snprintf(out, n, "%.1f KiB", (double)b / 1024.0);
    else
        snprintf(out, n, "%lld B", (long long)b);
}

/* " 2 3 4 +1": pids or tids, as many as fit in max characters. */
static void id_list(const int *ids, int n, int total, char *out, size_t size)
{
    out[0] = '\0';
    for (int i = 0; i < n; i++)
        snprintf(out + strlen(out), size - strlen(out), "%s%d", i ? " " : "", ids[i]);
    if (total > n)
        snprintf(out + strlen(out), size - strlen(out), " +%d", total - n);
    if (!n && total <= 0)
        snprintf(out, size, "-");
}

/* The first of the variants that fits in w pixels at `adv` per character,
 * else the last. */
static const char *pick(int w, int adv, int n, const char *const *var)
{
    for (int i = 0; i < n - 1; i++)
        if (chars(var[i]) * adv <= w)
            return var[i];
    return var[n - 1];
}

static const char *kind_name(enum snap_chan_kind k)
{
    switch (k) {
    case CHAN_PIPE: return "pipe";
    case CHAN_QUEUE: return "queue";
    case CHAN_JOINABLE: return "joinable queue";
    default: return "thread queue";
    }
}

/* The end that will read message m (a duplex pipe carries both ways). */
static int msg_end(const struct snap_msg *m)
{
    return m->end;
}

/* The name of a pipe's end in the scenario (`pipe r, w`: r is end 0, w
 * end 1), or NULL when it has none (`pipe p`, `pipe -> a, b`). */
static const char *end_name(const struct scenario *scn, const struct snap_chan *c, int e)
{
    if (!scn || c->obj < 0 || c->obj >= scn->nobjects || scn->objects[c->obj].end < 0)
        return NULL;
    return scn->objects[c->obj + e].name;
}

int chan_head_msg(const struct snap_chan *c, int lane)
{
    int listed = c->nmsgs < SNAP_MAX_MSGS ? c->nmsgs : SNAP_MAX_MSGS;
    for (int k = 0; k < listed; k++)
        if (c->kind != CHAN_PIPE || msg_end(&c->msgs[k]) == lane)
            return k;
    return -1;
}

/* Lanes of channel c: a duplex pipe carries messages both ways. */
static int lanes_of(const struct snap_chan *c)
{
    return c->kind == CHAN_PIPE && c->duplex ? 2 : 1;
}

/* The pid of a task in the snapshot, 0 when it is not there. */
static int pid_of(const struct snapshot *s, int tid)
{
    for (int i = 0; i < s->ntasks; i++)
        if (s->tasks[i].tid == tid)
            return s->tasks[i].pid;
    return 0;
}

/* The classic hang, said in words: a reader waits on an empty simplex
 * pipe whose write end its own process still holds, so EOF can never
 * come. Writes the line into out and returns true when it is so. */
static bool self_hang(const struct snapshot *s, const struct scenario *scn,
                      const struct snap_chan *c, char *out, size_t n)
{
    if (c->kind != CHAN_PIPE || c->duplex || c->nmsgs)
        return false;
    for (int k = 0; k < c->nreaders && k < SNAP_MAX_WAITERS; k++) {
        int pid = pid_of(s, c->readers[k]);
        for (int h = 0; pid && h < c->nholders[1] && h < SNAP_MAX_HOLDERS; h++)
            if (c->holders[1][h] == pid) {
                const char *w = end_name(scn, c, 1);
                snprintf(out, n, "%d waits but holds %s%s itself: no EOF", c->readers[k],
                         w ? w : "the write end", w ? "" : "");
                return true;
            }
    }
    return false;
}

/* How much of a block is drawn when the panel is short: everything; no
 * row of waiters; only the title and the tube. */
enum { BLOCK_FULL, BLOCK_NO_WAITERS, BLOCK_TUBE_ONLY,
       BLOCK_ONE_ROW };                /* the name left of the tube, on its row */

/* The height of channel c's block for these metrics at that level. */
static int block_h(const struct snap_chan *c, int sl, int level)
{
    int h = (level == BLOCK_ONE_ROW ? 0 : sl) + lanes_of(c) * (sl + 12) + sl / 2;
    if (level <= BLOCK_NO_WAITERS)
        h += 6 + sl;                   /* the bar and the holders' row */
    if (level == BLOCK_FULL && (c->nreaders || c->nwriters))
        h += sl + 6;
    return h;
}

int chans_lines(const struct snapshot *s)
{
    int n = 0;
    for (int i = 0; i < s->nchans; i++) {
        const struct snap_chan *c = &s->chans[i];
        n += (c->nreaders || c->nwriters ? 6 : 5) + lanes_of(c) - 1;
        if (c->kind == CHAN_PIPE && !c->duplex && !c->nmsgs && c->nreaders)
            n++;                       /* room for a self_hang line */
    }
    return n;
}

/* A lane's cells, from its head (the next message out): as many of its
 * messages as fit, the rest counted in a "+N" cell at the tail. */
static void place_cells(const struct snap_chan *c, struct chan_lane *ln, int adv)
{
    SDL_Rect t = ln->tube;
    int inner = t.w - 4;
    int listed = c->nmsgs < SNAP_MAX_MSGS ? c->nmsgs : SNAP_MAX_MSGS;
    /* Its messages: for a pipe those its reading end will read. */
    int idx[SNAP_MAX_MSGS], n = 0;
    for (int k = 0; k < listed; k++)
        if (c->kind != CHAN_PIPE || msg_end(&c->msgs[k]) == ln->reader)
            idx[n++] = k;
    int total = n + (c->nmsgs > listed && n == listed ? c->nmsgs - listed : 0);
    if (c->nmsgs > listed && n && idx[n - 1] == listed - 1)
        total = n + c->nmsgs - listed;     /* the unlisted ones follow the last listed */
    /* A cell holds at most a third of the tube (at least 4 characters). */
    int maxc = inner / adv / 3 - 1;
    maxc = maxc < 4 ? 4 : maxc > 18 ? 18 : maxc;
    int edge = ln->leftward ? t.x + 2 : t.x + t.w - 2;   /* the head's side */
    int room = inner;
    ln->ncells = 0;
    ln->more = (SDL_Rect){ 0, 0, 0, 0 };
    for (int k = 0; k < n; k++) {
        char *txt = ln->cell_text[ln->ncells];
        chan_cut(c->msgs[idx[k]].text, maxc, txt, sizeof ln->cell_text[0]);
        int cw = chars(txt) * adv + 8;
        int after = total - k - 1;               /* messages behind this one */
        char more[16];
        snprintf(more, sizeof more, "+%d", after);
        int need = cw + (after ? chars(more) * adv + 10 : 0);
        if (need > room)
            break;
        int x = ln->leftward ? edge : edge - cw;
        ln->cell[ln->ncells] = (SDL_Rect){ x, t.y + 2, cw, t.h - 4 };
        ln->msg[ln->ncells++] = idx[k];
        edge = ln->leftward ? edge + cw + 2 : edge - cw - 2;
        room -= cw + 2;
    }
    int rest = total - ln->ncells;
    if (rest > 0) {
        snprintf(ln->more_text, sizeof ln->more_text, "+%d", rest);
        int mw = chars(ln->more_text) * adv + 8;
        if (mw <= room)
            ln->more = (SDL_Rect){ ln->leftward ? edge : edge - mw, t.y + 2, mw, t.h - 4 };
    }
}

/* Who holds the ends (a pipe), or the queue's counts: the row under the
 * tube, its left part under the tail and its right part under the head. */
static void holder_row(const struct scenario *scn, const struct snap_chan *c, struct chan_geom *g,
                       int w, int adv)
{
    char a[3][160], b[3][160], ids[64];
    g->tail_alarm = g->head_alarm = false;
    if (c->kind == CHAN_PIPE) {
        /* End 1 is drawn on the left, end 0 on the right: a simplex
         * pipe's write and read ends (Python's r, w = Pipe(False)); the
         * one-name form sends on end 1 and receives on end 0. */
        for (int e = 1; e >= 0; e--) {
            char (*v)[160] = e ? a : b;
            const char *name = end_name(scn, c, e);
            char role[16];
            if (c->duplex)
                snprintf(role, sizeof role, "end %d", e);
            else
                snprintf(role, sizeof role, "%s end", e ? "write" : "read");
            int nh = c->nholders[e] < SNAP_MAX_HOLDERS ? c->nholders[e] : SNAP_MAX_HOLDERS;
            id_list(c->holders[e], nh, c->nholders[e], ids, sizeof ids);
            const char *what = c->nholders[e] ? "held by" : "closed by all";
            if (!c->nholders[e])
                *(e ? &g->tail_alarm : &g->head_alarm) = true;
            if (name) {
                snprintf(v[0], 160, "%.24s (%s) %s %s", name, role, what, c->nholders[e] ? ids : "");
                snprintf(v[1], 160, "%.24s %s %s", name, c->nholders[e] ? "held by" : "closed",
                         c->nholders[e] ? ids : "");
                snprintf(v[2], 160, "%.24s: %s", name, c->nholders[e] ? ids : "closed");
            } else {
                snprintf(v[0], 160, "%s %s %s", role, what, c->nholders[e] ? ids : "");
                snprintf(v[1], 160, "end %d: %s", e, c->nholders[e] ? ids : "closed");
                snprintf(v[2], 160, "%s", c->nholders[e] ? ids : "closed");
            }
            for (int k = 0; k < 3; k++) {      /* no trailing space after "closed by all" */
                size_t len = strlen(v[k]);
                while (len && v[k][len - 1] == ' ')
                    v[k][--len] = '\0';
            }
        }
    } else {
        bool bounded = c->maxsize > 0;
        if (bounded) {
            snprintf(a[0], 160, "qsize %d of maxsize %lld", c->qsize, (long long)c->maxsize);
            snprintf(a[1], 160, "qsize %d/%lld", c->qsize, (long long)c->maxsize);
            snprintf(a[2], 160, "%d/%lld", c->qsize, (long long)c->maxsize);
            g->tail_alarm = c->qsize >= c->maxsize;
        } else {
            snprintf(a[0], 160, "qsize %d, unbounded", c->qsize);
            snprintf(a[1], 160, "qsize %d", c->qsize);
            snprintf(a[2], 160, "%d", c->qsize);
        }
        if (c->kind == CHAN_JOINABLE) {
            snprintf(b[0], 160, "%d not task_done", c->unfinished);
            snprintf(b[1], 160, "%d undone", c->unfinished);
            snprintf(b[2], 160, "%d", c->unfinished);
        } else if (c->nfeeders) {
            int nf = c->nfeeders < SNAP_MAX_HOLDERS ? c->nfeeders : SNAP_MAX_HOLDERS;
            id_list(c->feeders, nf, c->nfeeders, ids, sizeof ids);
            snprintf(b[0], 160, "feeder thread%s %s", c->nfeeders > 1 ? "s" : "", ids);
            snprintf(b[1], 160, "feeder%s %s", c->nfeeders > 1 ? "s" : "", ids);
            snprintf(b[2], 160, "%s", ids);
        } else {
            b[0][0] = b[1][0] = b[2][0] = '\0';
        }
    }
    /* Both halves share the row: try the long forms together, then
     * shorter ones, so neither crowds the other. */
    for (int k = 0; k < 3; k++) {
        int need = (chars(a[k]) + chars(b[k]) + 2) * adv;
        if (need <= w || k == 2) {
            snprintf(g->tail_text, sizeof g->tail_text, "%.95s", a[k]);
            snprintf(g->head_text, sizeof g->head_text, "%.95s", b[k]);
            if (need > w)                  /* still too long: the head's half goes */
                g->head_text[0] = '\0';
            break;
        }
    }
}

/* Waiting tasks as chips: writers from the tail rightwards, readers from
 * the head leftwards, in wake order; those that do not fit are counted. */
static void place_chips(const struct snap_chan *c, struct chan_geom *g, int y, int h, int adv)
{
    SDL_Rect b = g->box;
    g->nchips = 0;
    int wx = b.x + 4, rx = b.x + b.w - 4;
    char lab[24];
    const char *wl = c->kind == CHAN_PIPE ? "send:" : "put:";
    const char *rl = c->kind == CHAN_PIPE ? "recv:" : "get:";
    int nw = c->nwriters < SNAP_MAX_WAITERS ? c->nwriters : SNAP_MAX_WAITERS;
    int nr = c->nreaders < SNAP_MAX_WAITERS ? c->nreaders : SNAP_MAX_WAITERS;
    g->wlabel = g->rlabel = (SDL_Rect){ 0, 0, 0, 0 };
    snprintf(g->wlabel_text, sizeof g->wlabel_text, "%s", wl);
    snprintf(g->rlabel_text, sizeof g->rlabel_text, "%s", rl);
    int mid = b.x + b.w / 2;
    if (nw) {
        g->wlabel = (SDL_Rect){ wx, y + 3, chars(wl) * adv, h - 6 };
        wx += g->wlabel.w + 4;
        for (int k = 0; k < nw && g->nchips < CHAN_MAX_CHIPS; k++) {
            snprintf(lab, sizeof lab, "%d", c->writers[k]);
            int cw = chars(lab) * adv + 8;
            if (wx + cw > mid - 2)
                break;
            g->chip[g->nchips] = (SDL_Rect){ wx, y, cw, h };
            g->chip_tid[g->nchips] = c->writers[k];
            g->chip_reader[g->nchips++] = false;
            wx += cw + 3;
        }
    }
    if (nr) {
        /* Right-aligned under the head, but in wake order left to right
         * as the writers are: "recv: 4 5" (4 is woken first). */
        int room = rx - (mid + 2 + chars(rl) * adv + 4), fit = 0, used = 0;
        for (int k = 0; k < nr; k++) {
            snprintf(lab, sizeof lab, "%d", c->readers[k]);
            int cw = chars(lab) * adv + 8 + 3;
            if (used + cw > room || g->nchips + fit >= CHAN_MAX_CHIPS)
                break;
            used += cw;
            fit++;
        }
        int cx = rx - used + 3;
        g->rlabel = (SDL_Rect){ cx - 4 - chars(rl) * adv, y + 3, chars(rl) * adv, h - 6 };
        for (int k = 0; k < fit; k++) {
            snprintf(lab, sizeof lab, "%d", c->readers[k]);
            int cw = chars(lab) * adv + 8;
            g->chip[g->nchips] = (SDL_Rect){ cx, y, cw, h };
            g->chip_tid[g->nchips] = c->readers[k];
            g->chip_reader[g->nchips++] = true;
            cx += cw + 3;
        }
    }
}

int chans_layout(const struct snapshot *s, const struct scenario *scn, SDL_Rect area, int sl,
                 int adv, struct chan_geom *out, int max)
{
    /* The fullest level at which every block fits; at the last, as many
     * as fit with a line left for "... and N more". */
    int level = BLOCK_FULL, total = 0;
    for (;; level++) {
        total = 0;
        for (int i = 0; i < s->nchans && i < max; i++)
            total += block_h(&s->chans[i], sl, level);
        if (total <= area.h || level == BLOCK_ONE_ROW)
            break;
    }
    bool all = total <= area.h;
    int y = area.y, n = 0;
    for (int i = 0; i < s->nchans && n < max; i++) {
        const struct snap_chan *c = &s->chans[i];
        int h = block_h(c, sl, level);
        if (y + h + (all || i + 1 == s->nchans ? 0 : sl) > area.y + area.h)
            break;
        struct chan_geom *g = &out[n++];
        memset(g, 0, sizeof *g);
        g->chan = i;
        g->box = (SDL_Rect){ area.x, y, area.w, h - sl / 2 };
        int w = area.w - 8, x = area.x + 4;
        /* Title: "pipe p (simplex)" on the left, the fill on the right. */
        char kind[64];
        if (c->kind == CHAN_PIPE)
            snprintf(kind, sizeof kind, "%s %s%s", kind_name(c->kind), c->name,
                     c->duplex ? " (duplex)" : " (simplex)");
        else
            snprintf(kind, sizeof kind, "%s %s", kind_name(c->kind), c->name);
        char cap[32], used[32], r0[96], r1[96], r2[96];
        bytes_text(c->capacity, cap, sizeof cap);
        bytes_text(c->bytes, used, sizeof used);
        bool has_pipe = c->kind != CHAN_THREADQ;
        const char *in = c->kind == CHAN_PIPE ? "" : " in its pipe";
        if (has_pipe) {
            snprintf(r0, sizeof r0, "%d msg%s%s, %s of %s", c->nmsgs, c->nmsgs == 1 ? "" : "s",
                     in, used, cap);
            snprintf(r1, sizeof r1, "%d msg%s, %s of %s", c->nmsgs, c->nmsgs == 1 ? "" : "s",
                     used, cap);
            snprintf(r2, sizeof r2, "%d msg%s, %s", c->nmsgs, c->nmsgs == 1 ? "" : "s", used);
        } else {
            snprintf(r0, sizeof r0, "%d item%s", c->nmsgs, c->nmsgs == 1 ? "" : "s");
            snprintf(r1, sizeof r1, "%s", r0);
            snprintf(r2, sizeof r2, "%s", r0);
        }
        snprintf(g->title, sizeof g->title, "%s", kind);
        int tw = chars(g->title) * adv;
        const char *rv[] = { r0, r1, r2, "" };
        snprintf(g->fill_text, sizeof g->fill_text, "%s", pick(w - tw - 2 * adv, adv, 4, rv));
        if (chars(g->fill_text) * adv > w - tw - 2 * adv)
            g->fill_text[0] = '\0';
        if (tw > w) {                       /* a long name: cut it */
            chan_cut(kind, w / adv, g->title, sizeof g->title);
            g->fill_text[0] = '\0';
        }
        g->title_x = x;
        g->title_y = y;
        int tube_x = x + adv + 4, tube_w = w - 2 * (adv + 4);
        if (level == BLOCK_ONE_ROW) {
            /* A very short panel: "pipe r, w" on the tube's row, before it. */
            snprintf(kind, sizeof kind, "%s", c->name);
            chan_cut(kind, w / adv / 4, g->title, sizeof g->title);
            g->fill_text[0] = '\0';
            g->title_y = y + 3;
            int nw = chars(g->title) * adv + adv;
            tube_x += nw;
            tube_w -= nw;
        } else {
            y += sl;
        }
        /* The feeder buffer, left of a multiprocessing.Queue's pipe. */
        g->buffer = (SDL_Rect){ 0, 0, 0, 0 };
        if ((c->kind == CHAN_QUEUE || c->kind == CHAN_JOINABLE) && (c->nbuffered || c->nfeeders)) {
            snprintf(g->buffer_text, sizeof g->buffer_text, "buffer %d", c->nbuffered);
            if (chars(g->buffer_text) * adv + 8 > tube_w / 3)
                snprintf(g->buffer_text, sizeof g->buffer_text, "+%d", c->nbuffered);
            int bw = chars(g->buffer_text) * adv + 8;
            int bx = tube_x - adv - 4;
            g->buffer = (SDL_Rect){ bx, y + 2, bw, sl + 2 };
            tube_x = bx + bw + adv + 6;
            tube_w = x + w - (adv + 4) - tube_x;
        }
        /* The lanes: to end 0 flowing right; a duplex pipe's to end 1
         * under it, flowing left (end 1 is on the left, end 0 on the
         * right). */
        g->nlanes = lanes_of(c);
        for (int k = 0; k < g->nlanes; k++) {
            struct chan_lane *ln = &g->lane[k];
            ln->reader = k;
            ln->leftward = k == 1;
            ln->tube = (SDL_Rect){ tube_x, y, tube_w, sl + 6 };
            SDL_Rect left = { tube_x - adv - 4, y, adv + 4, sl + 6 };
            SDL_Rect right = { tube_x + tube_w, y, adv + 4, sl + 6 };
            ln->tail = ln->leftward ? right : left;
            ln->head = ln->leftward ? left : right;
            place_cells(c, ln, adv);
            ln->route_y = y + sl + 6 + 3;
            y += sl + 12;
        }
        holder_row(scn, c, g, w, adv);       /* its texts, and the ends' alarms */
        if (level >= BLOCK_TUBE_ONLY) {      /* a short panel: the messages only */
            g->tail_text[0] = g->head_text[0] = '\0';
            g->box.h = y - g->box.y;
            y += sl / 2;
            continue;
        }
        /* The fill bar: bytes in the pipe of its capacity (a thread
         * queue: items of its maxsize). */
        int64_t num = has_pipe ? c->bytes : c->qsize, den = has_pipe ? c->capacity : c->maxsize;
        g->bar = (SDL_Rect){ tube_x, y, tube_w, 4 };
        g->bar_fill = 0;
        if (den > 0) {
            int64_t f = num * tube_w / den;
            g->bar_fill = (int)(f > tube_w ? tube_w : f < 0 ? 0 : f);
            if (num > 0 && g->bar_fill < 2)
                g->bar_fill = 2;                /* something is in it: show it */
        } else {
            g->bar.w = 0;
        }
        g->bar_full = den > 0 && num >= den;
        y += 6;
        g->row_y = y;
        y += sl;
        if (level == BLOCK_FULL && (c->nreaders || c->nwriters)) {
            place_chips(c, g, y + 2, sl + 2, adv);
            y += sl + 6;
        }
        g->note[0] = '\0';
        char note[160];
        if (level == BLOCK_FULL && self_hang(s, scn, c, note, sizeof note) &&
            y + sl <= area.y + area.h) {
            chan_cut(note, w / adv, g->note, sizeof g->note);
            g->note_y = y;
            y += sl;
            g->box.h += sl;
        }
        y += sl / 2;
    }
    return n;
}

/* ------------------------------------------------------------- drawing */

/* A small solid triangle in rc pointing the way the messages flow. */
static void flow_mark(SDL_Renderer *r, SDL_Rect rc, SDL_Color c, bool leftward)
{
    SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_NONE);
    SDL_SetRenderDrawColor(r, c.r, c.g, c.b, 255);
    int h = rc.h / 3, cx = rc.x + rc.w / 2 - h / 2, cy = rc.y + rc.h / 2;
    for (int d = 0; d <= h; d++) {
        int x = leftward ? cx + h - d : cx + d;
        SDL_RenderDrawLine(r, x, cy - (h - d), x, cy + (h - d));
    }
}

static const struct snap_task *find_task(const struct viz *v, int tid)
{
    return viz_task(v, tid);
}

static void draw_block(struct viz *v, SDL_Renderer *r, const struct snap_chan *c,
                       const struct chan_geom *g, int pulse)
{
    int sl = v->font.small_line;
    int x = g->box.x + 4;
    font_draw(&v->font, r, FONT_SMALL, g->title, VIZ_INK, g->title_x, g->title_y, 0);
    if (g->fill_text[0]) {
        int fw = font_width(&v->font, FONT_SMALL, g->fill_text);
        font_draw(&v->font, r, FONT_SMALL, g->fill_text, g->bar_full ? VIZ_ACCENT : VIZ_MUTED,
                  g->box.x + g->box.w - 4 - fw, g->box.y, 0);
    }
    /* The feeder buffer: dashed, as it is not in the pipe yet. */
    if (g->buffer.w) {
        viz_fill(r, g->buffer, VIZ_PANEL);
        SDL_SetRenderDrawColor(r, VIZ_MUTED.r, VIZ_MUTED.g, VIZ_MUTED.b, 255);
        for (int k = 0; k < g->buffer.w; k += 6) {
            int e = k + 3 < g->buffer.w ? k + 3 : g->buffer.w;
            SDL_RenderDrawLine(r, g->buffer.x + k, g->buffer.y, g->buffer.x + e, g->buffer.y);
            SDL_RenderDrawLine(r, g->buffer.x + k, g->buffer.y + g->buffer.h - 1,
                               g->buffer.x + e, g->buffer.y + g->buffer.h - 1);
        }
        SDL_RenderDrawLine(r, g->buffer.x, g->buffer.y, g->buffer.x, g->buffer.y + g->buffer.h);
        SDL_RenderDrawLine(r, g->buffer.x + g->buffer.w - 1, g->buffer.y,
                           g->buffer.x + g->buffer.w - 1, g->buffer.y + g->buffer.h);
        font_draw(&v->font, r, FONT_SMALL, g->buffer_text, VIZ_INK, g->buffer.x + 4,
                  g->buffer.y + 1, 0);
    }
    /* The tubes: open at both ends, a mark at each for the flow. */
    for (int l = 0; l < g->nlanes; l++) {
        const struct chan_lane *ln = &g->lane[l];
        SDL_Rect t = ln->tube;
        viz_fill(r, t, VIZ_BOARD);
        viz_fill(r, (SDL_Rect){ t.x, t.y, t.w, 1 }, VIZ_INK);
        viz_fill(r, (SDL_Rect){ t.x, t.y + t.h - 1, t.w, 1 }, VIZ_INK);
        SDL_Rect lm = ln->leftward ? ln->head : ln->tail, rm = ln->leftward ? ln->tail : ln->head;
        bool la = ln->leftward ? g->head_alarm : g->tail_alarm;
        bool ra = ln->leftward ? g->tail_alarm : g->head_alarm;
        flow_mark(r, lm, la ? VIZ_ACCENT : VIZ_INK, ln->leftward);
        flow_mark(r, rm, ra ? VIZ_ACCENT : VIZ_INK, ln->leftward);
        for (int k = 0; k < ln->ncells; k++) {
            const struct snap_msg *m = &c->msgs[ln->msg[k]];
            SDL_Color bg = m->from > 0 ? pid_colour(m->from) : VIZ_PANEL;
            viz_fill(r, ln->cell[k], bg);
            viz_frame(r, ln->cell[k], k == 0 && (pulse & (1 << l)) ? VIZ_ACCENT : VIZ_CARD_EDGE);
            if (k == 0 && (pulse & (1 << l)))
                viz_frame(r, (SDL_Rect){ ln->cell[k].x + 1, ln->cell[k].y + 1, ln->cell[k].w - 2,
                                     ln->cell[k].h - 2 }, VIZ_ACCENT);
            font_draw(&v->font, r, FONT_SMALL, ln->cell_text[k], VIZ_INK, ln->cell[k].x + 4,
                      ln->cell[k].y + (ln->cell[k].h - sl) / 2, 0);
        }
        if (ln->more.w) {
            viz_frame(r, ln->more, VIZ_CARD_EDGE);
            font_draw(&v->font, r, FONT_SMALL, ln->more_text, VIZ_MUTED, ln->more.x + 4,
                      ln->more.y + (ln->more.h - sl) / 2, 0);
        }
        if (!ln->ncells && !ln->more.w) {
            /* A duplex pipe's empty lanes say which way they go. */
            char e[96] = "empty";
            const char *to = end_name(v->scn, c, l), *from = end_name(v->scn, c, 1 - l);
            if (g->nlanes == 2 && to && from)
                snprintf(e, sizeof e, "empty: %.30s to %.30s", from, to);
            else if (g->nlanes == 2)
                snprintf(e, sizeof e, "empty: to end %d", l);
            int ew = font_width(&v->font, FONT_SMALL, e);
            if (ew + 8 > t.w)
                snprintf(e, sizeof e, "empty"), ew = font_width(&v->font, FONT_SMALL, e);
            if (ew + 8 <= t.w)
                font_draw(&v->font, r, FONT_SMALL, e, VIZ_MUTED, t.x + (t.w - ew) / 2,
                          t.y + (t.h - sl) / 2, 0);
        }
    }
    if (g->bar.w) {
        viz_fill(r, g->bar, VIZ_RULE);
        if (g->bar_fill)
            viz_fill(r, (SDL_Rect){ g->bar.x, g->bar.y, g->bar_fill, g->bar.h },
                 g->bar_full ? VIZ_ACCENT : VIZ_MUTED);
    }
    /* Who holds the ends (or the queue's counts). */
    if (g->tail_text[0])
        font_draw(&v->font, r, FONT_SMALL, g->tail_text, g->tail_alarm ? VIZ_ACCENT : VIZ_MUTED,
                  x, g->row_y, 0);
    if (g->head_text[0]) {
        int hw = font_width(&v->font, FONT_SMALL, g->head_text);
        font_draw(&v->font, r, FONT_SMALL, g->head_text, g->head_alarm ? VIZ_ACCENT : VIZ_MUTED,
                  g->box.x + g->box.w - 4 - hw, g->row_y, 0);
    }
    if (g->note[0])
        font_draw(&v->font, r, FONT_SMALL, g->note, VIZ_ACCENT, x, g->note_y, 0);
    /* Waiting tasks: chips in their state's colour. */
    if (g->wlabel.w)
        font_draw(&v->font, r, FONT_SMALL, g->wlabel_text, VIZ_INK, g->wlabel.x,
                  g->wlabel.y - 2, 0);
    if (g->rlabel.w)
        font_draw(&v->font, r, FONT_SMALL, g->rlabel_text, VIZ_INK, g->rlabel.x,
                  g->rlabel.y - 2, 0);
    for (int k = 0; k < g->nchips; k++) {
        const struct snap_task *tk = find_task(v, g->chip_tid[k]);
        SDL_Color bg = tk ? state_colour(tk->state, tk->cpu >= 0) : state_colour('S', false);
        viz_fill(r, g->chip[k], bg);
        char lab[16];
        snprintf(lab, sizeof lab, "%d", g->chip_tid[k]);
        font_draw(&v->font, r, FONT_SMALL, lab, text_on(bg), g->chip[k].x + 4,
                  g->chip[k].y + 1, 0);
    }
}

int draw_chans(struct viz *v, SDL_Renderer *r, SDL_Rect area)
{
    if (!v->snap.nchans)
        return area.y;
    struct chan_geom *g = v->chan_geom;
    int n = chans_layout(&v->snap, v->scn, area, v->font.small_line, v->font.small_advance, g,
                         VIZ_MAX_CHANS);
    v->nchan_geom = n;
    int y = area.y;
    for (int i = 0; i < n; i++) {
        int pulse = flow_leaves_head(v, g[i].chan, 0) | flow_leaves_head(v, g[i].chan, 1) << 1;
        draw_block(v, r, &v->snap.chans[g[i].chan], &g[i], pulse);
        y = g[i].box.y + g[i].box.h + v->font.small_line / 2;
        if (i + 1 < n)
            viz_fill(r, (SDL_Rect){ area.x + 4, y - v->font.small_line / 4 - 1, area.w - 8, 1 },
                 VIZ_RULE);
    }
    if (n < v->snap.nchans && y + v->font.small_line <= area.y + area.h) {
        char more[64];
        snprintf(more, sizeof more, "... and %d more pipes and queues", v->snap.nchans - n);
        font_draw(&v->font, r, FONT_SMALL, more, VIZ_MUTED, area.x + 4, y, area.w - 8);
        y += v->font.small_line;
    }
    return y;
}

/* ------------------------------------------------------------ fd table */

int fd_table_lines(const struct snapshot *s, const struct scenario *scn, int pid,
                   char lines[][FD_LINE], int max)
{
    int n = 0;
    if (max < 2)
        return 0;
    snprintf(lines[n++], FD_LINE, "fd     open file");
    snprintf(lines[n++], FD_LINE, "0 1 2  the terminal (stdin, stdout, stderr)");
    for (int i = 0; i < s->nfds && n < max; i++) {
        const struct snap_fd *f = &s->fds[i];
        if (f->pid != pid)
            continue;
        if (n + 2 >= max && (f->kind == SFD_SOCK || f->kind == SFD_EPOLL)) {
            /* A server's thousand sockets: the last line counts the rest. */
            int more = 0;
            for (int j = i; j < s->nfds; j++)
                more += s->fds[j].pid == pid;
            if (more > 1 || n + 2 > max) {
                snprintf(lines[n++], FD_LINE, "...    and %d more fds", more);
                break;
            }
        }
        if (f->kind == SFD_SOCK || f->kind == SFD_EPOLL) {      /* net.c */
            n += net_fd_lines(s, f, lines + n, max - n);
            continue;
        }
        if (f->chan < 0 || f->chan >= s->nchans) {
            snprintf(lines[n++], FD_LINE, "%-5d  pipe, end %d", f->fd, f->end);
            continue;
        }
        const struct snap_chan *c = &s->chans[f->chan];
        const char *name = end_name(scn, c, f->end);
        char end[48], named[48] = "";
        if (c->kind != CHAN_PIPE)
            snprintf(end, sizeof end, "%s end", f->end ? "write" : "read");
        else if (c->duplex)
            snprintf(end, sizeof end, "end %d, read/write", f->end);
        else
            snprintf(end, sizeof end, "%s end", f->mode == 'w' || f->end ? "write" : "read");
        if (name)
            snprintf(named, sizeof named, " (%.24s)", name);
        snprintf(lines[n++], FD_LINE, "%-5d  %s %.31s: %s%s", f->fd,
                 c->kind == CHAN_PIPE ? "pipe" : "pipe of queue", c->name, end, named);
    }
    return n;
}
