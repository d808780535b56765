/*
 * select.c - select(RLIST, WLIST, XLIST[, timeout]) as CPython's
 * select.select calls select(2) (docs/scenario-language.md, "select, poll
 * and epoll").
 *
 * The three lists are inputs, read anew on every call (an fd_set is
 * rebuilt each time, which is why a select server passes its whole list
 * again and again); the results are new lists of the fds that are ready,
 * in the order given. An fd of FD_SETSIZE (1024) or more cannot be in an
 * fd_set: CPython raises ValueError before any system call; a closed fd
 * is EBADF from the kernel. Readable means Linux's POLLIN_SET (data, EOF:
 * POLLHUP, an error), writable POLLOUT_SET, exceptional POLLPRI.
 */
#include "mux.h"

#include <stdio.h>
#include <stdlib.h>

#define FD_SETSIZE_LINUX 1024

static const uint32_t sets[3] = { POLL_IN | POLL_HUP | POLL_ERR, POLL_OUT | POLL_ERR,
                                  POLL_PRI };

/* The three lists, checked as CPython's seq2set does: false after an
 * exception. *n gets the number of fds in all three. */
static bool read_lists(struct machine *m, struct task *t, const struct insn *in,
                       struct value *lists, int64_t *n)
{
    *n = 0;
    for (int k = 0; k < 3; k++) {
        if (!expr_value(m, t, in->argv[k], &lists[k]))
            return false;
        if (lists[k].type != V_LIST && lists[k].type != V_TUPLE) {
            task_raise(m, t, in->argv[k]->pos, EXC_TYPE, "arguments 1-3 must be sequences");
            return false;
        }
        uint32_t len;
        const struct value *it = v_items(&m->heap, lists[k], &len);
        for (uint32_t i = 0; i < len; i++) {
            if (!v_is_int(it[i])) {
                task_raise(m, t, in->argv[k]->pos, EXC_TYPE,
                           "argument must be an int, or have a fileno() method.");
                return false;
            }
            if (it[i].i < 0) {
                task_raise(m, t, in->argv[k]->pos, EXC_VALUE,
                           "file descriptor cannot be a negative integer");
                return false;
            }
            if (it[i].i >= FD_SETSIZE_LINUX) {
                task_raise(m, t, in->argv[k]->pos, EXC_VALUE,
                           "filedescriptor out of range in select()");
                return false;
            }
        }
        *n += len;
    }
    return true;
}

/* Store the three result lists: -> r, w, x or -> tuple. */
static bool store(struct machine *m, struct task *t, const struct insn *in,
                  struct value *res)
{
    if (in->nvars == 3) {
        for (int k = 0; k < 3; k++)
            set_result_value(m, t, in->vars[k], res[k]);
        return true;
    }
    struct value tu;
    if (v_seq(&m->heap, V_TUPLE, res, 3, &tu) != VE_OK) {
        machine_fail(m, in->pos, "out of memory");
        return false;
    }
    if (in->nvars == 1)
        set_result_value(m, t, in->vars[0], tu);
    return true;
}

/* The ready lists, or NULL lists when none is ready: *nready. False out of
 * memory or after EBADF (raised). */
static bool scan(struct machine *m, struct task *t, const struct insn *in,
                 struct muxrec *r, const struct value *lists, struct value *res,
                 int64_t *nready)
{
    const struct proc *p = proc_of(m, t);
    *nready = 0;
    r->nready = 0;
    for (int k = 0; k < 3; k++) {
        uint32_t len;
        const struct value *it = v_items(&m->heap, lists[k], &len);
        struct value *ready = len ? malloc(len * sizeof *ready) : NULL;
        if (len && !ready) {
            machine_fail(m, in->pos, "out of memory");
            return false;
        }
        uint32_t nr = 0;
        for (uint32_t i = 0; i < len; i++) {
            int32_t key = fd_key(m, p, it[i].i);
            if (!key) {
                free(ready);
                task_raise(m, t, in->pos, EXC_OS, "[Errno 9] Bad file descriptor");
                return false;
            }
            uint32_t ev = file_events(m, key) & sets[k];
            if (ev) {
                ready[nr++] = it[i];
                muxrec_ready(r, (int)it[i].i, ev);
            }
        }
        bool ok = v_seq(&m->heap, V_LIST, ready, nr, &res[k]) == VE_OK;
        free(ready);
        if (!ok) {
            machine_fail(m, in->pos, "out of memory");
            return false;
        }
        *nready += nr;
    }
    return true;
}

/* Nothing ready: a watch on every fd, then sleep (do_select's loop). */
static void wait_all(struct machine *m, struct task *t, struct muxrec *r,
                     const struct value *lists, int64_t left)
{
    const struct proc *p = proc_of(m, t);
    int s = (int)(t - m->tasks);
    for (int k = 0; k < 3; k++) {
        uint32_t len;
        const struct value *it = v_items(&m->heap, lists[k], &len);
        for (uint32_t i = 0; i < len; i++)
            if (fwatch_add(m, fd_key(m, p, it[i].i), (int)it[i].i, sets[k], FW_TASK, s, 0) < 0)
                return;
    }
    mux_block(m, t, r, left);
}

bool mux_select(struct machine *m, struct task *t, const struct insn *in)
{
    struct muxrec *r = mux_rec(m, t);
    if (!r)
        return false;
    if (!mux_pass(m, t, r, in))
        return false;
    bool fresh = t->left == 0;
    if (!fresh && --t->left > 0)
        return false;                  /* still paying for the scan */
    struct value lists[3], res[3];
    int64_t n, timeout;
    if (!read_lists(m, t, in, lists, &n) ||
        !mux_timeout(m, t, in->argc > 3 ? in->argv[3] : NULL, &timeout))
        return false;
    int pid = mux_pid(m, t);
    if (fresh) {
        r->kind = MUXK_SELECT;
        r->called = m->tick;
        r->epfd = r->mux = -1;
        r->nwatched = 0;
        r->nready = -1;
        r->waiting = false;
        r->calls++;
        for (int k = 0; k < 3; k++) {
            uint32_t len;
            const struct value *it = v_items(&m->heap, lists[k], &len);
            for (uint32_t i = 0; i < len; i++)
                muxrec_watch(r, (int)it[i].i, sets[k]);
        }
        int64_t ticks = mux_cost(m, r, COST_SCAN, n);
        if (ticks > 1) {
            emit_textf(m, EV_MUX, MX_COST, t, n, ticks, "pid %d select: scanning %lld fd%s "
                       "costs %lld ticks of CPU (scan_cost)", pid, (long long)n,
                       n == 1 ? "" : "s", (long long)ticks);
            t->left = ticks - 1;
            return false;
        }
    }
    int64_t nready;
    if (!scan(m, t, in, r, lists, res, &nready))
        return false;
    int64_t left = procobj_deadline(m, t, timeout);
    char fds[96];
    if (nready > 0 || left == 0) {
        procobj_wait_done(t);
        r->waiting = false;
        muxrec_words(r, fds, sizeof fds);
        emit_textf(m, EV_MUX, MX_CALL, t, n, nready, "pid %d select: %lld watched, %lld "
                   "ready%s", pid, (long long)n, (long long)nready, fds);
        t->pc++;
        return store(m, t, in, res) && false;
    }
    r->nready = -1;
    emit_textf(m, EV_MUX, MX_WAIT, t, n, 0, "pid %d select: %lld watched, none ready: it "
               "waits", pid, (long long)n);
    wait_all(m, t, r, lists, left);
    return false;
}
