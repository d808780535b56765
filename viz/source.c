/*
 * source.c - a Python run's .py source in the inspector (issue 14).
 *
 * The window shows the program the student wrote, not its translation:
 * the .py lines with their numbers, each thread's current line filled
 * (the selected thread's with a red bar at its left and in bold; a line
 * whose signal handler runs in pink), and at the line's right end a chip
 * per thread on it, in that thread's state colour, naming it (`pid 2`,
 * `t5`). The view is scrolled so that the marked lines are in it (all of
 * them when they fit, else the selected thread's a third of the way
 * down). What is shown is a function of the snapshot alone (source_view),
 * which the tests check line by line.
 */
#include <stdio.h>
#include <string.h>

#include "pyevent.h"
#include "viz.h"

bool viz_python(const struct viz *v)
{
    return v->scn && v->scn->python && v->scn->py_text;
}

int source_nlines(const struct scenario *s)
{
    if (!s || !s->python || !s->py_text)
        return 0;
    int n = 0;
    const char *p = s->py_text, *end = p + s->py_len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        n++;
        if (!nl)
            break;
        p = nl + 1;
    }
    return n;
}

int source_width(const struct scenario *s)
{
    if (!s || !s->python || !s->py_text)
        return 0;
    int w = 0, cols = 0;
    for (size_t i = 0; i < s->py_len; i++) {
        char c = s->py_text[i];
        if (c == '\n' || c == '\r') {
            cols = 0;
            continue;
        }
        cols += c == '\t' ? 4 - cols % 4 : ((unsigned char)c & 0xc0) != 0x80;
        w = cols > w ? cols : w;
    }
    return w;
}

/* Is task t's current line one of the .py file's? A hidden program (a
 * pool's worker) has no position in it. */
static bool on_source(const struct snap_task *t, int nlines)
{
    return t->line >= 1 && t->line <= nlines && t->state != 'Z' && t->tid != 1;
}

/* With no thread selected and the marks too far apart: the first line of
 * the view of `rows` lines that holds the most of them (a line of context
 * above the first; the earliest of equals). */
static int most_marks(const struct source_view *sv, int rows)
{
    int best = 1, best_n = -1;
    for (int i = 0; i < sv->nmarks; i++) {
        int first = sv->marks[i].line - 1, n = 0;
        for (int k = 0; k < sv->nmarks; k++)
            n += sv->marks[k].line >= first && sv->marks[k].line < first + rows;
        if (n > best_n || (n == best_n && first < best)) {
            best = first;
            best_n = n;
        }
    }
    return best;
}

/* The marks too far apart for `rows` lines: each marked line with the
 * same number of lines of context around it (as many as fit), the lines
 * between them folded into a row of their own. False when even the
 * marked lines alone do not fit. */
static bool folded(struct source_view *sv, int rows)
{
    int u[SRC_MAX_MARKS], nu = 0;                  /* marked lines, sorted */
    for (int i = 0; i < sv->nmarks; i++) {
        int l = sv->marks[i].line, k = nu;
        bool dup = false;
        for (int j = 0; j < nu; j++)
            dup |= u[j] == l;
        if (dup)
            continue;
        while (k > 0 && u[k - 1] > l) {
            u[k] = u[k - 1];
            k--;
        }
        u[k] = l;
        nu++;
    }
    for (int c = rows; c >= 0; c--) {
        /* Intervals [u - c, u + c], merged when a fold would not save a row. */
        int n = 0, need = 0;
        int from[SRC_MAX_MARKS], to[SRC_MAX_MARKS];
        for (int j = 0; j < nu; j++) {
            int x = u[j] - c < 1 ? 1 : u[j] - c, y = u[j] + c > sv->nlines ? sv->nlines : u[j] + c;
            if (n && x <= to[n - 1] + 2) {
                to[n - 1] = y > to[n - 1] ? y : to[n - 1];
                continue;
            }
            from[n] = x;
            to[n++] = y;
        }
        for (int j = 0; j < n; j++)
            need += to[j] - from[j] + 1 + (j > 0);
        if (need > rows)
            continue;
        /* Rows left over: more of the end, then more of the start. */
        int spare = rows - need, more = sv->nlines - to[n - 1];
        more = more < spare ? more : spare;
        to[n - 1] += more;
        spare -= more;
        from[0] = from[0] - spare < 1 ? 1 : from[0] - spare;
        sv->nrows = 0;
        for (int j = 0; j < n; j++) {
            if (j > 0)
                sv->line[sv->nrows++] = 0;
            for (int a = from[j]; a <= to[j]; a++)
                sv->line[sv->nrows++] = a;
        }
        sv->first = sv->line[0];
        return true;
    }
    return false;
}

void source_view(const struct snapshot *snap, const struct scenario *scn, int pid, int sel_tid,
                 int rows, struct source_view *out)
{
    memset(out, 0, sizeof *out);
    out->nlines = source_nlines(scn);
    out->sel_line = 0;
    int lo = 0, hi = 0;
    for (int i = 0; i < snap->ntasks && out->nmarks < SRC_MAX_MARKS; i++) {
        const struct snap_task *t = &snap->tasks[i];
        if ((pid && t->pid != pid) || !on_source(t, out->nlines))
            continue;
        struct src_mark *m = &out->marks[out->nmarks++];
        m->line = t->line;
        m->tid = t->tid;
        m->state = t->state;
        m->running = t->cpu >= 0;
        m->handler = t->handler_sig != 0;
        m->sel = t->tid == sel_tid;
        if (t->main_thread)
            snprintf(m->label, sizeof m->label, "pid %d", t->pid);
        else
            snprintf(m->label, sizeof m->label, "t%d", t->tid);
        if (m->sel)
            out->sel_line = t->line;
        lo = !lo || t->line < lo ? t->line : lo;
        hi = t->line > hi ? t->line : hi;
    }
    if (rows < 1)
        rows = 1;
    if (rows > SRC_MAX_ROWS)
        rows = SRC_MAX_ROWS;
    int last_first = out->nlines - rows + 1 > 1 ? out->nlines - rows + 1 : 1;
    int first;
    if (!lo)
        first = 1;
    else if (hi - lo + 1 <= rows)
        first = lo - (rows - (hi - lo + 1)) / 2;       /* every mark, centred */
    else if (folded(out, rows))
        return;                /* the marked lines, the lines between folded */
    else if (out->sel_line)
        first = out->sel_line - rows / 3;
    else
        first = most_marks(out, rows);
    first = first < 1 ? 1 : first > last_first ? last_first : first;
    out->first = first;
    out->nrows = out->nlines - first + 1 < rows ? out->nlines - first + 1 : rows;
    for (int i = 0; i < out->nrows; i++)
        out->line[i] = first + i;
}

bool source_shows(const struct source_view *sv, int line)
{
    for (int i = 0; i < sv->nrows; i++)
        if (sv->line[i] == line)
            return true;
    return false;
}

/* Where line t's comment starts (len when it has none). */
static size_t comment_at(const char *t, size_t len)
{
    char quote = 0;
    for (size_t i = 0; i < len; i++) {
        if (quote) {
            if (t[i] == '\\')
                i++;
            else if (t[i] == quote)
                quote = 0;
        } else if (t[i] == '\'' || t[i] == '"') {
            quote = t[i];
        } else if (t[i] == '#') {
            return i;
        }
    }
    return len;
}

/* Line l of the source with tabs expanded, into buf, in at most `max`
 * characters: a line too long loses its comment, then is cut (an
 * ellipsis at the end). */
void source_text(const struct scenario *s, int l, int max, char *buf, size_t n)
{
    size_t len, k = 0;
    const char *t = py_source_line(s, l, &len);
    int cols = 0;
    for (size_t i = 0; i < len; i++)
        cols += t[i] == '\t' ? 4 - cols % 4 : ((unsigned char)t[i] & 0xc0) != 0x80;
    if (cols > max) {
        len = comment_at(t, len);
        while (len > 0 && (t[len - 1] == ' ' || t[len - 1] == '\t'))
            len--;
    }
    cols = 0;
    bool cut = false;
    for (size_t i = 0; i < len && k + 8 < n; i++) {
        int cw = t[i] == '\t' ? 4 - cols % 4 : ((unsigned char)t[i] & 0xc0) != 0x80;
        if (cols + cw > max) {
            cut = true;
            break;
        }
        if (t[i] == '\t') {
            for (int j = 0; j < cw; j++)
                buf[k++] = ' ';
        } else {
            buf[k++] = t[i];
        }
        cols += cw;
    }
    if (cut) {
        /* Room for the ellipsis: drop the last character (whole UTF-8). */
        while (k > 0 && ((unsigned char)buf[k - 1] & 0xc0) == 0x80)
            k--;
        if (k > 0)
            k--;
        memcpy(buf + k, "…", strlen("…"));
        k += strlen("…");
    }
    while (k > 0 && buf[k - 1] == ' ')
        k--;
    buf[k] = '\0';
}

int draw_source(struct viz *v, SDL_Renderer *r, SDL_Rect area, int pid, int sel_tid)
{
    const struct scenario *s = v->scn;
    struct font *f = &v->font;
    /* The regular font, not the panels' small one: this is what the
     * students read, from the back row too. */
    int ln = f->line, adv = f->advance > 0 ? f->advance : 8;
    int x = area.x, y = area.y, w = area.w;
    /* A heading: the file, and what the marks are. */
    char head[200];
    const char *name = s->py_name ? strrchr(s->py_name, '/') : NULL;
    name = name ? name + 1 : s->py_name ? s->py_name : "the program";
    snprintf(head, sizeof head, "%s: the line each thread is on", name);
    if (font_width(f, FONT_SMALL, head) > w)
        snprintf(head, sizeof head, "%s", name);
    if (font_width(f, FONT_SMALL, head) <= w)
        font_draw(f, r, FONT_SMALL, head, VIZ_MUTED, x, y, 0);
    y += f->small_line;
    int rows = (area.y + area.h - y) / ln;
    if (rows < 1)
        return y;
    struct source_view sv;
    source_view(&v->snap, s, pid, sel_tid, rows, &sv);
    char num[32];
    int digits = snprintf(num, sizeof num, "%d", sv.nlines);
    int gutter = (digits + 1) * adv;
    for (int i = 0; i < sv.nrows; i++, y += ln) {
        int l = sv.line[i];
        if (!l) {              /* lines left out: how many */
            int next = i + 1 < sv.nrows ? sv.line[i + 1] : sv.nlines + 1;
            int prev = i > 0 ? sv.line[i - 1] : 0;
            snprintf(num, sizeof num, "… %d lines", next - prev - 1);
            font_draw(f, r, FONT_SMALL, num, VIZ_MUTED, x + gutter, y + (ln - f->small_line) / 2,
                      0);
            continue;
        }
        /* The chips of the threads on this line, right to left. */
        int cx = x + w, nchips = 0;
        bool sel = false, handler = false, marked = false;
        for (int k = sv.nmarks; k-- > 0;) {
            const struct src_mark *m = &sv.marks[k];
            if (m->line != l)
                continue;
            marked = true;
            sel |= m->sel;
            handler |= m->handler;
            int cw = font_width(f, FONT_SMALL, m->label) + 8;
            if (cx - cw < x + gutter + 8 * adv) {
                nchips = -1;             /* no room for more: the rest are counted */
                break;
            }
            cx -= cw;
            nchips++;
        }
        if (marked) {
            SDL_Color fill = handler ? VIZ_ALARM : VIZ_HILITE;
            viz_fill(r, (SDL_Rect){ x - 2, y, w + 4, ln }, fill);
            if (sel)
                viz_fill(r, (SDL_Rect){ x - 5, y, 4, ln }, VIZ_ACCENT);
        }
        /* The chips: each thread on the line, in its state's colour. */
        int chip_x = x + w;
        int drawn = 0;
        for (int k = sv.nmarks; k-- > 0 && nchips != 0;) {
            const struct src_mark *m = &sv.marks[k];
            if (m->line != l)
                continue;
            int cw = font_width(f, FONT_SMALL, m->label) + 8;
            if (nchips > 0 && drawn == nchips)
                break;
            if (chip_x - cw < x + gutter + 8 * adv)
                break;
            chip_x -= cw;
            SDL_Color bg = state_colour(m->state, m->running);
            viz_fill(r, (SDL_Rect){ chip_x + 2, y + 1, cw - 3, ln - 2 }, bg);
            font_draw(f, r, FONT_SMALL, m->label, text_on(bg), chip_x + 5,
                      y + (ln - f->small_line) / 2, 0);
            drawn++;
        }
        snprintf(num, sizeof num, "%*d", digits, l);
        font_draw(f, r, FONT_REGULAR, num, marked ? VIZ_INK : VIZ_MUTED, x, y, 0);
        char buf[512];
        int room = (chip_x - 4 - (x + gutter)) / adv;
        source_text(s, l, room, buf, sizeof buf);
        if (*buf)
            font_draw(f, r, sel ? FONT_BOLD : FONT_REGULAR, buf, marked ? VIZ_INK : VIZ_MUTED,
                      x + gutter, y, 0);
    }
    return y;
}
