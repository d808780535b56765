/*
 * pipe.c - pipes and the file descriptors that name their ends (issue 11;
 * pipe(7), multiprocessing.Pipe). Data structures: pipes.h.
 *
 * Messages are values; a message takes v_msg_size bytes (its repr and the
 * 4-byte header Connection.send writes). A message of at most PIPE_BUF
 * bytes (and at most the capacity) goes in whole or its writer waits; a
 * larger one goes in parts as room frees, and a writer with more to write
 * goes behind the other waiting writers, so parts of two large messages
 * can alternate: the reader of such a message gets UnpicklingError.
 *
 * Waiting is FIFO and hands over: when room frees or bytes come, the first
 * waiting writer writes or the first waiting reader reads at once (its
 * message is then its own), and it wakes to finish the statement, which it
 * runs again (pc stays on a blocked send or recv). A signal handler or a
 * stop takes a waiter off the queue; it runs the statement again after,
 * as CPython retries a system call interrupted by a handler (PEP 475).
 *
 * An end is "held" while any process has an fd naming it; a top-level pipe
 * is also held by every spawn still to come (the shell keeps its copy until
 * it has started them all). EOF: a reader's pipe is empty and nobody holds
 * the other end. No reader left: a writer gets SIGPIPE, which kills it at
 * its default action, or else the send fails with EPIPE (BrokenPipeError).
 * What front ends see of them is filled in pipe_snapshot.c.
 */
#include "kernel.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

/* The pipe state of task t (its slot is below ptask_cap: pipes_op made
 * room before t's first pipe operation). */
#define PT(m, t) (&(m)->ptasks[(t) - (m)->tasks])

/* Room in ptasks for every task slot; false out of memory. */
static bool ptasks_reserve(struct machine *m)
{
    if (m->ptask_cap >= m->task_cap)
        return true;
    struct pipe_task *n = realloc(m->ptasks, (size_t)m->task_cap * sizeof *n);
    if (!n)
        return false;
    memset(n + m->ptask_cap, 0, (size_t)(m->task_cap - m->ptask_cap) * sizeof *n);
    m->ptasks = n;
    m->ptask_cap = m->task_cap;
    return true;
}

/* ------------------------------------------------------------- names */

static bool top_pipe(const struct machine *m, int pi)
{
    return pi < m->scn->npipes;
}

const char *pipe_name(const struct machine *m, int pi, char *buf, size_t size)
{
    const struct kpipe *p = &m->pipes[pi];
    if (p->obj < 0)
        snprintf(buf, size, "pipe#%d", p->serial);
    else if (m->scn->objects[p->obj].end < 0)
        snprintf(buf, size, "%s", m->scn->objects[p->obj].name);
    else
        snprintf(buf, size, "%s, %s", m->scn->objects[p->obj].name,
                 m->scn->objects[p->obj + 1].name);
    return buf;
}

/* How events name an end: its own name ("w") for `pipe r, w`, else the
 * pipe's ("pipe p", "pipe#2"). */
static const char *end_words(const struct machine *m, int pi, int end, char *buf,
                             size_t size)
{
    const struct kpipe *p = &m->pipes[pi];
    char name[64];
    if (p->obj >= 0 && m->scn->objects[p->obj].end >= 0)
        snprintf(buf, size, "%s", m->scn->objects[p->obj + end].name);
    else if (p->obj >= 0)
        snprintf(buf, size, "pipe %s", pipe_name(m, pi, name, sizeof name));
    else
        snprintf(buf, size, "%s", pipe_name(m, pi, name, sizeof name));
    return buf;
}

/* "read end", "write end", or for a duplex pipe "end 0" */
static const char *end_kind(const struct machine *m, int pi, int end, char *buf,
                            size_t size)
{
    if (m->pipes[pi].duplex)
        snprintf(buf, size, "end %d", end);
    else
        snprintf(buf, size, "the %s end", end ? "write" : "read");
    return buf;
}

/* An EV_PIPE event, its text formatted only when the trace keeps it. */
#define pev(m, reason, t, pi, fd, ...) \
    emit_textf(m, EV_PIPE, reason, t, pi, fd, __VA_ARGS__)

static int pid_of(const struct machine *m, const struct task *t)
{
    return m->procs[t->proc].pid;
}

/* repr(v), cut to fit an event line. */
static const char *msg_text(const struct machine *m, struct value v, char *buf,
                            size_t size)
{
    v_format(&m->heap, v, true, buf, size);
    return buf;
}

/* ------------------------------------------------------------- fd tables */

/* What fd names in p: pipe * 2 + end + 1 when it is a pipe end, 0 when it
 * is not open or is not a pipe's. */
static int fd_entry(const struct machine *m, const struct proc *p, int64_t fd)
{
    int32_t key = fd_key(m, p, fd);
    return FILE_KIND(key) == FK_PIPE ? key : 0;
}

static bool fd_install_end(struct machine *m, struct proc *p, int fd, int pi, int end)
{
    return fd_install(m, p, fd, FILE_KEY(FK_PIPE, pi * 2 + end));
}

/* -------------------------------------------------------------- the pipes */

/* Processes (and spawns to come) holding end `end` of pipe pi. */
static int holders(const struct machine *m, int pi, int end)
{
    int n = m->pipes[pi].refs[end];
    if (top_pipe(m, pi))
        n += m->scn->nspawns - m->next_spawn;
    return n;
}

static void pipe_reset(struct kpipe *p, int obj, bool duplex)
{
    memset(p, 0, sizeof *p);
    for (int d = 0; d < 2; d++) {
        msgq_init(&p->dir[d].q);
        p->dir[d].rhead = p->dir[d].rtail = -1;
        p->dir[d].whead = p->dir[d].wtail = -1;
        p->watch[d] = -1;
    }
    p->obj = obj;
    p->duplex = duplex;
    p->used = true;
    p->next_free = -1;
}

/* A new run-time pipe, or -1 out of memory. */
static int pipe_new(struct machine *m, bool duplex)
{
    if (m->pipe_free < 0) {
        int cap = m->pipe_cap ? m->pipe_cap * 2 : 16;
        struct kpipe *n = realloc(m->pipes, (size_t)cap * sizeof *n);
        if (!n)
            return -1;
        for (int i = cap - 1; i >= m->pipe_cap; i--) {
            n[i].used = false;
            n[i].next_free = m->pipe_free;
            m->pipe_free = i;
        }
        m->pipes = n;
        m->pipe_cap = cap;
    }
    int i = m->pipe_free;
    m->pipe_free = m->pipes[i].next_free;
    pipe_reset(&m->pipes[i], -1, duplex);
    m->pipes[i].serial = ++m->pipe_serial;
    return i;
}

bool pipes_init(struct machine *m)
{
    const struct scenario *s = m->scn;
    m->pipe_free = -1;
    if (s->npipes == 0)
        return true;
    m->pipes = malloc((size_t)s->npipes * sizeof *m->pipes);
    if (!m->pipes)
        return false;
    m->pipe_cap = s->npipes;
    for (int i = 0; i < s->nobjects; i++)
        if (s->objects[i].kind == OBJ_PIPE && s->objects[i].end != 1)
            pipe_reset(&m->pipes[s->objects[i].pipe], i, s->objects[i].duplex);
    return true;
}

void pipes_free(struct machine *m)
{
    free(m->pipes);
    free(m->ptasks);
    m->pipes = NULL;
    m->ptasks = NULL;
}

bool pipes_clone(struct machine *dst, const struct machine *src)
{
    dst->pipes = NULL;
    dst->ptasks = NULL;
    if (src->ptask_cap) {
        dst->ptasks = malloc((size_t)src->ptask_cap * sizeof *dst->ptasks);
        if (!dst->ptasks)
            return false;
        memcpy(dst->ptasks, src->ptasks, (size_t)src->ptask_cap * sizeof *dst->ptasks);
    }
    if (src->pipe_cap) {
        dst->pipes = malloc((size_t)src->pipe_cap * sizeof *dst->pipes);
        if (!dst->pipes) {
            free(dst->ptasks);
            dst->ptasks = NULL;
            return false;
        }
        memcpy(dst->pipes, src->pipes, (size_t)src->pipe_cap * sizeof *dst->pipes);
    }
    return true;
}

/* ----------------------------------------------------------- wait queues */

static bool is_writer(const struct task *t)
{
    return t->pipe_op == PIPE_OP_WRITING || t->pipe_op == PIPE_OP_WRITING_PARTS;
}

void pipes_unwait(struct machine *m, struct task *t)
{
    struct pipe_dir *d = &m->pipes[t->wobj / 2].dir[t->wobj % 2];
    int s = (int)(t - m->tasks);
    if (is_writer(t)) {
        wq_remove(m, &d->whead, &d->wtail, s);
        d->nwriters--;
    } else {
        wq_remove(m, &d->rhead, &d->rtail, s);
        d->nreaders--;
    }
}

/* t waits on direction d of pipe pi (pc stays on its statement). */
static void wait_on(struct machine *m, struct task *t, int pi, int d)
{
    struct pipe_dir *pd = &m->pipes[pi].dir[d];
    t->wobj = pi * 2 + d;
    task_block(m, t, 'S', WC_PIPE, -1);
    if (is_writer(t)) {
        wq_push(m, &pd->whead, &pd->wtail, (int)(t - m->tasks));
        pd->nwriters++;
    } else {
        wq_push(m, &pd->rhead, &pd->rtail, (int)(t - m->tasks));
        pd->nreaders++;
    }
}

/* The first waiter of a queue leaves it and wakes. */
static void wake_head(struct machine *m, struct pipe_dir *pd, bool writer)
{
    int s = writer ? pd->whead : pd->rhead;
    struct task *w = &m->tasks[s];
    if (writer) {
        wq_remove(m, &pd->whead, &pd->wtail, s);
        pd->nwriters--;
    } else {
        wq_remove(m, &pd->rhead, &pd->rtail, s);
        pd->nreaders--;
    }
    task_wake(m, w, WHY_OBJ, 0);
}

/* ------------------------------------------------------- reading, writing */

enum { STEP_DONE, STEP_MORE, STEP_NONE };

static bool same_message(struct value a, struct value b)
{
    return a.type == b.type && a.ref == b.ref && a.i == b.i;
}

/* t reads from direction d of pipe pi what it can: a whole message, or
 * bytes of a large one. STEP_DONE: t->pipe_op is GOT or TORN. */
static int read_step(struct machine *m, struct task *t, int pi, int d)
{
    struct msgq *q = &m->pipes[pi].dir[d].q;
    if (t->pipe_op != PIPE_OP_READING && t->pipe_op != PIPE_OP_READING_TORN) {
        const struct msgnode *h = msgq_peek(&m->msgs, q);
        if (!h)
            return STEP_NONE;
        if (h->from > 0) {                 /* a whole message */
            struct msgnode n;
            msgq_pop(&m->msgs, q, &n);
            PT(m, t)->msg = n.v;
            PT(m, t)->from = n.from;
            t->pipe_op = PIPE_OP_GOT;
            return STEP_DONE;
        }
        /* The header of a large one: read as many bytes as it says. */
        PT(m, t)->msg = h->v;
        PT(m, t)->from = -h->from;
        PT(m, t)->left = (int32_t)v_msg_size(&m->heap, h->v);
        t->pipe_op = PIPE_OP_READING;
    }
    bool any = false;
    while (PT(m, t)->left > 0 && q->head >= 0) {
        struct msgnode *n = &m->msgs.node[q->head];
        int from = n->from < 0 ? -n->from : n->from;
        if (from != PT(m, t)->from || !same_message(n->v, PT(m, t)->msg))
            t->pipe_op = PIPE_OP_READING_TORN;
        any = true;
        if ((int64_t)n->size <= PT(m, t)->left) {
            struct msgnode out;
            PT(m, t)->left -= (int32_t)n->size;
            msgq_pop(&m->msgs, q, &out);
        } else {
            /* Part of this node is read: the rest is now a fragment. */
            n->size -= (uint32_t)PT(m, t)->left;
            q->bytes -= PT(m, t)->left;
            n->from = -from;
            PT(m, t)->left = 0;
        }
    }
    if (PT(m, t)->left == 0) {
        t->pipe_op = t->pipe_op == PIPE_OP_READING ? PIPE_OP_GOT : PIPE_OP_TORN;
        return STEP_DONE;
    }
    return any ? STEP_MORE : STEP_NONE;
}

/* t writes into direction d of pipe pi what it can of PT(m, t)->msg.
 * STEP_DONE: all of it is in (t->pipe_op is SENT). */
static int write_step(struct machine *m, struct task *t, int pi, int d)
{
    struct msgq *q = &m->pipes[pi].dir[d].q;
    int64_t room = m->cfg.pipe_size - q->bytes;
    int pid = pid_of(m, t);
    if (t->pipe_op == PIPE_OP_WRITING) {
        if (room < PT(m, t)->left)
            return STEP_NONE;
        if (!msgq_push(&m->msgs, q, PT(m, t)->msg, (uint32_t)PT(m, t)->left, pid))
            return STEP_NONE;
        PT(m, t)->left = 0;
        t->pipe_op = PIPE_OP_SENT;
        return STEP_DONE;
    }
    if (room <= 0)
        return STEP_NONE;
    int32_t n = room < PT(m, t)->left ? (int32_t)room : PT(m, t)->left;
    if (!msgq_push(&m->msgs, q, PT(m, t)->msg, (uint32_t)n, -pid))
        return STEP_NONE;
    PT(m, t)->left -= n;
    if (PT(m, t)->left == 0) {
        t->pipe_op = PIPE_OP_SENT;
        return STEP_DONE;
    }
    return STEP_MORE;
}

/* Hand bytes to waiting readers and room to waiting writers of direction d
 * until neither can go on; then the watches on both ends hear what
 * happened: `what` (POLL_IN: bytes came, POLL_OUT: room freed) and what
 * the waiters did. */
static void pump(struct machine *m, int pi, int d, uint32_t what)
{
    struct pipe_dir *pd = &m->pipes[pi].dir[d];
    for (bool progress = true; progress;) {
        progress = false;
        while (pd->rhead >= 0) {
            int r = read_step(m, &m->tasks[pd->rhead], pi, d);
            if (r != STEP_NONE)
                what |= POLL_OUT;
            if (r == STEP_DONE) {
                wake_head(m, pd, false);
                progress = true;
                continue;
            }
            progress |= r == STEP_MORE;
            break;
        }
        while (pd->whead >= 0) {
            int s = pd->whead;
            int r = write_step(m, &m->tasks[s], pi, d);
            if (r != STEP_NONE)
                what |= POLL_IN;
            if (r == STEP_DONE) {
                wake_head(m, pd, true);
                progress = true;
                continue;
            }
            if (r == STEP_MORE) {
                /* More to write: behind the other writers (their parts
                 * may come between its own). */
                wq_remove(m, &pd->whead, &pd->wtail, s);
                wq_push(m, &pd->whead, &pd->wtail, s);
                progress = true;
            }
            break;
        }
    }
    file_changed_mask(m, FILE_KEY(FK_PIPE, pi * 2), what);
    file_changed_mask(m, FILE_KEY(FK_PIPE, pi * 2 + 1), what);
}

/* The holders of pipe pi changed: readers of an empty direction whose
 * writers are all gone wake (EOF), writers whose readers are all gone wake
 * (EPIPE); they find out when they run their statement again. */
static void pipe_changed(struct machine *m, int pi)
{
    struct kpipe *p = &m->pipes[pi];
    for (int d = 0; d < (p->duplex ? 2 : 1); d++) {
        struct pipe_dir *pd = &p->dir[d];
        if (holders(m, pi, 1 - d) == 0) {
            pump(m, pi, d, POLL_IN | POLL_OUT);
            while (pd->rhead >= 0 && pd->q.count == 0)
                wake_head(m, pd, false);
        }
        if (holders(m, pi, d) == 0)
            while (pd->whead >= 0)
                wake_head(m, pd, true);
    }
    file_changed(m, FILE_KEY(FK_PIPE, pi * 2));
    file_changed(m, FILE_KEY(FK_PIPE, pi * 2 + 1));
    if (holders(m, pi, 0) == 0 && holders(m, pi, 1) == 0) {
        /* Nobody can reach it any more. */
        for (int d = 0; d < 2; d++)
            msgq_clear(&m->msgs, &p->dir[d].q);
        if (!top_pipe(m, pi) && p->dir[0].rhead < 0 && p->dir[1].rhead < 0 &&
            p->dir[0].whead < 0 && p->dir[1].whead < 0) {
            p->used = false;
            p->next_free = m->pipe_free;
            m->pipe_free = pi;
        }
    }
}

/* The file ops' close: process slot ps closed its fd naming end e % 2 of
 * pipe e / 2. `t` did it (for the event); at_exit says it is the exit's
 * doing. */
static void pipe_close(struct machine *m, int ps, const struct task *t, int e, int fd,
                       bool at_exit)
{
    int pi = e / 2, end = e % 2;
    m->pipes[pi].refs[end]--;
    if (m->pipes[pi].refs[end] == 0)
        fwatch_drop_file(m, FILE_KEY(FK_PIPE, e));   /* epoll entries go */
    char w[96], k[16];
    int left = holders(m, pi, end);
    if (!at_exit)
        pev(m, PIPE_CLOSE, t, pi, fd, "pid %d closes %s (fd %d, %s): %d holder%s of "
            "that end left", m->procs[ps].pid, end_words(m, pi, end, w, sizeof w), fd,
            end_kind(m, pi, end, k, sizeof k), left, left == 1 ? "" : "s");
    pipe_changed(m, pi);
}

static void pipe_ref(struct machine *m, int e)
{
    m->pipes[e / 2].refs[e % 2]++;
}

/* Readiness of end e % 2 of pipe e / 2: readable with a message in,
 * writable while there is room (a duplex end writes the other direction),
 * POLLERR besides for an end nobody reads. When the other end is gone: a
 * simplex pipe's read end is POLLHUP only (Linux's pipe_poll: select counts
 * it as readable, poll shows 0x10 once the data is read), a duplex one (a
 * socketpair) POLLIN | POLLRDHUP | POLLHUP as unix_poll says. */
static uint32_t pipe_events(const struct machine *m, int e)
{
    int pi = e / 2, end = e % 2;
    const struct kpipe *p = &m->pipes[pi];
    uint32_t ev = 0;
    bool reads = p->duplex || end == 0, writes = p->duplex || end == 1;
    if (reads) {
        if (p->dir[end].q.count > 0)
            ev |= POLL_IN;
        if (holders(m, pi, 1 - end) == 0)
            ev |= p->duplex ? POLL_IN | POLL_RDHUP | POLL_HUP : POLL_HUP;
    }
    if (writes) {
        int d = p->duplex ? 1 - end : 0;
        if (holders(m, pi, p->duplex ? 1 - end : 0) == 0)
            ev |= POLL_ERR;
        if (p->dir[d].q.bytes < m->cfg.pipe_size)
            ev |= POLL_OUT;            /* with POLLERR too: pipe_poll's */
    }
    return ev;
}

static int *pipe_watch_head(struct machine *m, int e)
{
    return &m->pipes[e / 2].watch[e % 2];
}

const struct file_ops pipe_file_ops = {
    .name = "pipe", .ref = pipe_ref, .close = pipe_close, .events = pipe_events,
    .watch_head = pipe_watch_head, .op = NULL,
};

/* ------------------------------------------------------------ processes */

void pipes_spawned(struct machine *m, int pid)
{
    const struct scenario *s = m->scn;
    if (s->npipes == 0)
        return;
    if (pid > 0) {
        struct proc *p = &m->procs[proc_slot(m, pid)];
        for (int k = 0; k < s->npipes; k++)
            for (int end = 0; end < 2; end++)
                if (!fd_install_end(m, p, FD_FIRST + 2 * k + end, k, end)) {
                    machine_fail(m, s->spawns[0].pos, "out of memory");
                    return;
                }
        if (m->next_spawn < s->nspawns)
            return;
    }
    /* A spawn that failed, or the last one: the shell's copies are gone. */
    for (int k = 0; k < s->npipes; k++)
        pipe_changed(m, k);
}

/* ----------------------------------------------------------- statements */

/* The fd a statement or poll() uses and what it names: *pi, *end; false
 * after an exception (or a runtime error). obj >= 0: a pipe end's name
 * (which: `end`, for the one-name form); else fdexpr holds the fd. */
static bool resolve(struct machine *m, struct task *t, struct srcpos pos, int obj,
                    int one_name_end, const struct expr *fdexpr, int *fd_out,
                    int *pi, int *end)
{
    const struct proc *p = proc_of(m, t);
    int64_t fd;
    if (obj >= 0) {
        const struct object *o = &m->scn->objects[obj];
        *end = o->end >= 0 ? o->end : one_name_end;
        fd = FD_FIRST + 2 * o->pipe + *end;
        if (fd_entry(m, p, fd) != o->pipe * 2 + *end + 1) {
            task_raise(m, t, pos, EXC_OS, "handle is closed");
            return false;
        }
        *pi = o->pipe;
    } else {
        if (!expr_int(m, t, fdexpr, &fd))
            return false;
        if (fd >= 0 && fd < FD_FIRST) {
            machine_fail(m, pos, "fd %lld is the terminal: procsim's send, recv and "
                         "close work on pipe ends (fd 3 and up); use print to write",
                         (long long)fd);
            return false;
        }
        int e = fd_entry(m, p, fd);
        if (!e) {
            task_raise(m, t, pos, EXC_OS, "[Errno 9] Bad file descriptor");
            return false;
        }
        *pi = (e - 1) / 2;
        *end = (e - 1) % 2;
    }
    *fd_out = (int)fd;
    return true;
}

/* Can this end read (write)? A simplex pipe's end 0 only reads, end 1
 * only writes. Raises Python's OSError when not. */
static bool check_mode(struct machine *m, struct task *t, struct srcpos pos, int pi,
                       int end, bool write)
{
    if (m->pipes[pi].duplex || end == (write ? 1 : 0))
        return true;
    task_raise(m, t, pos, EXC_OS, write ? "connection is read-only"
                                        : "connection is write-only");
    return false;
}

/* Does process p hold end `end` of pipe pi? */
static bool proc_holds(const struct machine *m, const struct proc *p, int pi, int end)
{
    int bound = fd_bound(m, p);
    for (int fd = FD_FIRST; fd < bound; fd++)
        if (fd_entry(m, p, fd) == pi * 2 + end + 1)
            return true;
    return false;
}

/* "pids 2, 3" holding end `end` of pipe pi (live processes), or "no
 * process" - for events only: it walks every process. */
static const char *holder_pids(const struct machine *m, int pi, int end, char *buf,
                               size_t size)
{
    int count = 0;
    for (int ps = 0; ps < m->proc_cap; ps++)
        count += m->procs[ps].pid > 0 && !m->procs[ps].zombie &&
                 proc_holds(m, &m->procs[ps], pi, end);
    if (count == 0)
        return snprintf(buf, size, "no process"), buf;
    size_t n = (size_t)snprintf(buf, size, "%s", count > 1 ? "pids " : "pid ");
    bool first = true;
    for (int ps = 0; ps < m->proc_cap && n + 16 < size; ps++)
        if (m->procs[ps].pid > 0 && !m->procs[ps].zombie &&
            proc_holds(m, &m->procs[ps], pi, end)) {
            n += (size_t)snprintf(buf + n, size - n, "%s%d", first ? "" : ", ",
                                  m->procs[ps].pid);
            first = false;
        }
    return buf;
}

static bool tracing(const struct machine *m)
{
    return m->trace && trace_keeps_event(m->trace, EV_PIPE);
}

/* A send or recv under way belongs to the pipe direction it began on
 * (wobj, set here). One on another pipe (a handler's, or after the fd was
 * closed) drops it and starts afresh. */
static void forget_other_op(struct task *t, int pi, int d)
{
    if (t->pipe_op != PIPE_OP_NONE && t->wobj != pi * 2 + d)
        t->pipe_op = PIPE_OP_NONE;
    t->wobj = pi * 2 + d;
}

static void do_recv(struct machine *m, struct task *t, const struct insn *in, int pi,
                    int end, int fd)
{
    char w[96], txt[64];
    int d = end;                           /* what end e reads: dir[e] */
    forget_other_op(t, pi, d);
    if (t->pipe_op != PIPE_OP_GOT && t->pipe_op != PIPE_OP_TORN) {
        const struct msgq *q = &m->pipes[pi].dir[d].q;
        int r;
        for (;;) {
            int64_t before = q->bytes;
            r = read_step(m, t, pi, d);
            if (q->bytes != before)
                pump(m, pi, d, POLL_OUT);  /* room for waiting writers */
            if (r == STEP_DONE || q->count == 0)
                break;                     /* (what they wrote: read on) */
        }
        if (r != STEP_DONE) {
            if (holders(m, pi, 1 - end) > 0) {
                char who[200] = "";
                if (tracing(m))
                    holder_pids(m, pi, 1 - end, who, sizeof who);
                pev(m, PIPE_WAIT_READ, t, pi, fd, "pid %d waits to read %s (fd %d): "
                    "%s; the other end is held by %s%s", pid_of(m, t),
                    end_words(m, pi, end, w, sizeof w), fd,
                    r == STEP_MORE ? "the rest of a large message is not in yet"
                                   : "it is empty", who,
                    top_pipe(m, pi) && m->next_spawn < m->scn->nspawns
                        ? " and the spawns still to come" : "");
                wait_on(m, t, pi, d);
                return;
            }
            bool mid = t->pipe_op != PIPE_OP_NONE;
            t->pipe_op = PIPE_OP_NONE;
            PT(m, t)->msg = v_none();
            pev(m, PIPE_EOF, t, pi, fd, "pid %d gets EOF on %s (fd %d): no writer left%s",
                pid_of(m, t), end_words(m, pi, end, w, sizeof w), fd,
                mid ? " in the middle of a message" : "");
            if (mid)
                task_raise(m, t, in->pos, EXC_OS, "got end of file during message");
            else
                task_raise(m, t, in->pos, EXC_EOF, NULL);
            return;
        }
    }
    struct value v = PT(m, t)->msg;
    bool torn = t->pipe_op == PIPE_OP_TORN;
    t->pipe_op = PIPE_OP_NONE;
    PT(m, t)->msg = v_none();
    if (torn) {
        pev(m, PIPE_TORN, t, pi, fd, "pid %d reads a message from %s (fd %d) whose "
            "parts came between another writer's: it cannot be unpickled", pid_of(m, t),
            end_words(m, pi, end, w, sizeof w), fd);
        task_raise(m, t, in->pos, EXC_UNPICKLING, "pickle data was truncated");
        return;
    }
    t->pc++;
    set_result_value(m, t, in->var, v);
    int left = m->pipes[pi].dir[d].q.count;
    pev(m, PIPE_RECV, t, pi, fd, "pid %d gets %s from pid %d on %s (fd %d): %d "
        "message%s left in it", pid_of(m, t), msg_text(m, v, txt, sizeof txt),
        PT(m, t)->from, end_words(m, pi, end, w, sizeof w), fd, left, left == 1 ? "" : "s");
}

/* A send with nobody left to read: SIGPIPE, then EPIPE unless it kills. */
static void broken_pipe(struct machine *m, struct task *t, const struct insn *in, int pi,
                        int end, int fd)
{
    char w[96];
    struct proc *p = proc_of(m, t);
    bool dies = p->sigact[SIG_PIPE] == SIGACT_DEFAULT &&
                !(t->blocked & (1u << SIG_PIPE));
    t->pipe_op = PIPE_OP_NONE;
    PT(m, t)->msg = v_none();
    pev(m, PIPE_EPIPE, t, pi, fd, "pid %d writes to %s (fd %d) with no reader: "
        "SIGPIPE%s", p->pid, end_words(m, pi, end, w, sizeof w), fd,
        dies ? "" : ", and the send fails with EPIPE (BrokenPipeError)");
    /* The kernel sends it (send_sig from pipe_write): its event says so. */
    size_t from = m->trace ? m->trace->nev : 0;
    signal_send(m, 0, t->proc, SIG_PIPE);
    for (size_t i = from; m->trace && i < m->trace->nev; i++)
        if (m->trace->ev[i].kind == EV_SIG_SEND && m->trace->ev[i].pid == 0)
            m->trace->ev[i].reason = SEND_KERNEL;
    if (dies) {
        t->pc++;                           /* it dies before its next line */
        return;
    }
    task_raise(m, t, in->pos, EXC_BROKEN_PIPE, "[Errno 32] Broken pipe");
}

static void do_send(struct machine *m, struct task *t, const struct insn *in, int pi,
                    int end, int fd)
{
    char w[96], txt[64];
    int d = 1 - end;                       /* what end e writes is read at 1 - e */
    forget_other_op(t, pi, d);
    if (t->pipe_op == PIPE_OP_SENT) {
        t->pipe_op = PIPE_OP_NONE;
        struct value v = PT(m, t)->msg;
        PT(m, t)->msg = v_none();
        t->pc++;
        int n = m->pipes[pi].dir[d].q.count;
        if (PT(m, t)->from > 0)
            pev(m, PIPE_SEND, t, pi, fd, "pid %d sends %s on %s (fd %d): pid %d was "
                "waiting and takes it", pid_of(m, t), msg_text(m, v, txt, sizeof txt),
                end_words(m, pi, end, w, sizeof w), fd, PT(m, t)->from);
        else
            pev(m, PIPE_SEND, t, pi, fd, "pid %d sends %s on %s (fd %d): %d message%s "
                "in it", pid_of(m, t), msg_text(m, v, txt, sizeof txt),
                end_words(m, pi, end, w, sizeof w), fd, n, n == 1 ? "" : "s");
        return;
    }
    if (!is_writer(t)) {
        struct value v;
        if (!expr_value(m, t, in->e1, &v))
            return;
        value_copy_message(m, &v);             /* pickled: the receiver's own */
        size_t size = v_msg_size(&m->heap, v);
        if (size > (size_t)1 << 30) {
            task_raise(m, t, in->pos, EXC_MEMORY, "message too large to send");
            return;
        }
        PT(m, t)->msg = v;
        PT(m, t)->from = 0;
        PT(m, t)->left = (int32_t)size;
        t->pipe_op = size <= PIPE_BUF && (int64_t)size <= m->cfg.pipe_size
                         ? PIPE_OP_WRITING : PIPE_OP_WRITING_PARTS;
    }
    if (holders(m, pi, 1 - end) == 0) {
        broken_pipe(m, t, in, pi, end, fd);
        return;
    }
    const struct msgq *q = &m->pipes[pi].dir[d].q;
    /* A reader waiting for it takes it at once: say who (pipe_from). */
    int reader = m->pipes[pi].dir[d].rhead;
    int nreaders = m->pipes[pi].dir[d].nreaders;
    int r;
    for (;;) {
        int64_t before = q->bytes;
        r = write_step(m, t, pi, d);
        if (q->bytes != before)
            pump(m, pi, d, POLL_IN);       /* bytes for waiting readers */
        if (r != STEP_MORE || q->bytes >= m->cfg.pipe_size)
            break;                         /* (room they made: write on) */
    }
    PT(m, t)->from = r == STEP_DONE && reader >= 0 && m->pipes[pi].dir[d].nreaders < nreaders &&
                   m->pipes[pi].dir[d].q.count == 0
                       ? pid_of(m, &m->tasks[reader]) : 0;
    if (r == STEP_DONE) {
        do_send(m, t, in, pi, end, fd);    /* SENT: finish now */
        return;
    }
    pev(m, PIPE_WAIT_WRITE, t, pi, fd, "pid %d waits to write %s on %s (fd %d): "
        "%lld of %lld bytes used, %d more to write", pid_of(m, t),
        msg_text(m, PT(m, t)->msg, txt, sizeof txt), end_words(m, pi, end, w, sizeof w),
        fd, (long long)q->bytes, (long long)m->cfg.pipe_size, (int)PT(m, t)->left);
    wait_on(m, t, pi, d);
}

static void do_close(struct machine *m, struct task *t, int fd)
{
    struct proc *p = proc_of(m, t);
    fd_close(m, p, t, fd, false);
}

/* `pipe -> A, B [duplex|simplex]` */
static bool do_pipe(struct machine *m, struct task *t, const struct insn *in)
{
    struct proc *p = proc_of(m, t);
    int a = fd_lowest_free(m, p, FD_FIRST);
    int b = a >= 0 ? fd_lowest_free(m, p, a + 1) : -1;
    if (b < 0) {
        task_raise(m, t, in->pos, EXC_OS, "[Errno 24] Too many open files");
        return true;
    }
    int pi = pipe_new(m, !(in->flags & INSN_SIMPLEX));
    p = proc_of(m, t);
    if (pi < 0 || !fd_install_end(m, p, a, pi, 0) || !fd_install_end(m, p, b, pi, 1)) {
        machine_fail(m, in->pos, "out of memory");
        return false;
    }
    t->pc++;
    set_result(m, t, in->var, a);
    set_result(m, t, in->var2, b);
    char name[64];
    pev(m, PIPE_NEW, t, pi, a, "pid %d makes %s %s: fd %d is end 0%s, fd %d end 1%s",
        p->pid, m->pipes[pi].duplex ? "duplex" : "simplex",
        pipe_name(m, pi, name, sizeof name), a, m->pipes[pi].duplex ? "" : " (read)",
        b, m->pipes[pi].duplex ? "" : " (write)");
    return true;
}

bool pipes_op(struct machine *m, struct task *t, const struct insn *in)
{
    if (!ptasks_reserve(m)) {
        machine_fail(m, in->pos, "out of memory");
        return false;
    }
    if (in->op == OP_PIPE)
        return do_pipe(m, t, in);
    int obj = in->op == OP_OBJ ? in->obj : -1;
    int pi, end, fd;
    if (in->method == METHOD_CLOSE && obj >= 0 && m->scn->objects[obj].end < 0) {
        /* `p.close`: this process's copies of both ends (again: nothing). */
        const struct object *o = &m->scn->objects[obj];
        struct proc *p = proc_of(m, t);
        t->pc++;
        for (int e = 0; e < 2; e++)
            if (fd_entry(m, p, FD_FIRST + 2 * o->pipe + e) == o->pipe * 2 + e + 1)
                do_close(m, t, FD_FIRST + 2 * o->pipe + e);
        return true;
    }
    if (in->method == METHOD_CLOSE && obj >= 0) {
        const struct object *o = &m->scn->objects[obj];
        t->pc++;
        fd = FD_FIRST + 2 * o->pipe + o->end;
        if (fd_entry(m, proc_of(m, t), fd) == o->pipe * 2 + o->end + 1)
            do_close(m, t, fd);
        return true;
    }
    if (obj < 0) {
        /* An fd that names something else than a pipe end: its kind's. */
        int64_t fdv;
        if (!expr_int(m, t, in->e2, &fdv))
            return m->status == MS_RUNNING;
        int32_t key = fd_key(m, proc_of(m, t), fdv);
        if (key && FILE_KIND(key) != FK_PIPE) {
            if (in->method == METHOD_CLOSE) {
                t->pc++;
                do_close(m, t, (int)fdv);
                return true;
            }
            const struct file_ops *ops = file_ops_of(key);
            if (ops->op)
                return ops->op(m, t, in, FILE_INDEX(key), (int)fdv);
            task_raise(m, t, in->pos, EXC_OS, "[Errno 22] Invalid argument");
            return m->status == MS_RUNNING;
        }
    }
    bool send = in->method == METHOD_SEND;
    if (!resolve(m, t, in->pos, obj, send ? 1 : 0, in->e2, &fd, &pi, &end))
        return m->status == MS_RUNNING;
    if (in->method == METHOD_CLOSE) {
        t->pc++;
        do_close(m, t, fd);
        return true;
    }
    if (!check_mode(m, t, in->pos, pi, end, send))
        return true;
    if (send)
        do_send(m, t, in, pi, end, fd);
    else
        do_recv(m, t, in, pi, end, fd);
    return m->status == MS_RUNNING;
}

bool pipes_poll(struct machine *m, struct task *t, const struct expr *e,
                struct value *out)
{
    int pi, end, fd;
    if (!resolve(m, t, e->pos, e->obj, 0, e->a, &fd, &pi, &end) ||
        !check_mode(m, t, e->pos, pi, end, false))
        return false;
    *out = v_bool(m->pipes[pi].dir[end].q.count > 0 || holders(m, pi, 1 - end) == 0 ||
                  t->pipe_op == PIPE_OP_GOT || t->pipe_op == PIPE_OP_TORN);
    return true;
}

/* ------------------------------------------------------------- the end */

void pipes_stuck(struct machine *m)
{
    char w[96], who[200];
    for (int pi = 0; pi < m->pipe_cap; pi++) {
        const struct kpipe *kp = &m->pipes[pi];
        if (!kp->used)
            continue;
        for (int d = 0; d < 2; d++) {
            for (int s = kp->dir[d].rhead; s >= 0; s = m->tasks[s].wq_next) {
                const struct task *t = &m->tasks[s];
                const struct proc *p = proc_of(m, t);
                int wend = 1 - d;
                bool own = proc_holds(m, p, pi, wend);
                holder_pids(m, pi, wend, who, sizeof who);
                pev(m, PIPE_STUCK, t, pi, -1, "pid %d waits forever to read %s: it is "
                    "empty, and the other end is still open, held by %s%s",
                    p->pid, end_words(m, pi, d, w, sizeof w), who,
                    own && !strchr(who, ',')
                        ? " - itself: EOF comes only once every copy of the other end is "
                          "closed, its own too, so close it before reading"
                        : own ? " - its own process among them: close your own copy "
                                "before reading" : ", which never writes");
            }
            for (int s = kp->dir[d].whead; s >= 0; s = m->tasks[s].wq_next) {
                const struct task *t = &m->tasks[s];
                pev(m, PIPE_STUCK, t, pi, -1, "pid %d waits forever to write on %s: "
                    "it is full and nobody reads", proc_of(m, t)->pid,
                    end_words(m, pi, 1 - d, w, sizeof w));
            }
        }
    }
}

/* Values held by pipes (garbage collection roots): the messages, and the
 * one each task is sending or receiving. */
void pipes_mark(struct machine *m)
{
    for (int pi = 0; pi < m->pipe_cap; pi++)
        if (m->pipes[pi].used)
            for (int d = 0; d < 2; d++)
                msgq_mark(&m->msgs, &m->pipes[pi].dir[d].q, &m->heap);
    for (int s = 0; s < m->task_cap && s < m->ptask_cap; s++)
        if (m->tasks[s].state && m->tasks[s].pipe_op != PIPE_OP_NONE)
            vheap_mark(&m->heap, PT(m, &m->tasks[s])->msg);
}

/* The wait channel of a task waiting on a pipe: the name of the end it
 * uses, or "pipe" for a pipe made at run time. */
const char *pipe_wchan(const struct machine *m, const struct task *t)
{
    const struct kpipe *kp = &m->pipes[t->wobj / 2];
    if (kp->obj < 0)
        return "pipe";
    const struct object *o = &m->scn->objects[kp->obj];
    int end = is_writer(t) ? 1 - t->wobj % 2 : t->wobj % 2;
    return o->end < 0 ? o->name : m->scn->objects[kp->obj + end].name;
}
