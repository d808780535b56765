/*
 * green_io.c - what monkey.patch_all changes: a call that would block the
 * thread parks the greenlet instead and the hub switches to another.
 *
 * gevent's patched socket is non-blocking underneath: it tries the call,
 * and on EAGAIN waits on the fd's readiness in the hub
 * (gevent/_socketcommon.py: _wait(self._read_event)). procsim asks the
 * same question first: file_events() of the fd, before the call runs. If
 * the fd is not ready the greenlet parks on it (pc stays on the statement,
 * which runs again when it is switched back to, as a select loop does);
 * if it is ready the call runs as usual, this tick.
 *
 * Patched here: sleep; send and recv on pipe ends (fd variables and named
 * pipe ends) and sockets; accept, sendall, sendto, recvfrom. A socket's
 * settimeout(N) holds: a greenlet parked longer raises TimeoutError "timed
 * out" (gevent's socket.timeout); a non-blocking socket is left to raise
 * BlockingIOError itself. connect starts the handshake without waiting
 * and parks until the socket is writable. Not patched (they block the
 * whole thread, as unpatched code does): a send larger than the
 * room in the buffer (it blocks for the rest), select/poll/epoll, a lock,
 * a queue, a wait, a join of a thread, disk I/O.
 */
#include "green.h"

#include <stdio.h>

#include "net.h"

/* The fd a pipe end statement names (-1 none: let the statement report). */
static int pipe_fd(struct machine *m, struct task *t, const struct insn *in)
{
    if (in->op == OP_OBJ) {
        if (in->obj < 0)
            return -1;         /* on an object a value refers to: no pipe */
        const struct object *o = &m->scn->objects[in->obj];
        if (o->kind != OBJ_PIPE)
            return -1;
        int end = o->end >= 0 ? o->end : in->method == METHOD_SEND ? 1 : 0;
        return FD_FIRST + 2 * o->pipe + end;
    }
    int64_t fd;
    /* The fd's expression is a variable: evaluating it twice is harmless. */
    if (!expr_int(m, t, in->e2, &fd))
        return -2;
    return fd >= 0 && fd <= INT32_MAX ? (int)fd : -1;
}

/* Park the running greenlet on fd until `events` (or its deadline). */
static int park_fd(struct machine *m, struct task *t, struct hub *h, int fd,
                   int32_t key, uint32_t events, const char *call)
{
    char why[160], name[64];
    int id = h->current;
    hub_park(m, t, h, GREEN_WAIT_FD, t->pc);
    struct gctx *x = gctx_of(m, h, id);
    x->wait_fd = fd;
    x->wait_key = key;
    x->wait_events = events;
    snprintf(why, sizeof why, "%s %d: %s waits for fd %d (%s would block)", green_who(m, t),
             t->tid,
             green_name(m, h, id, name, sizeof name), fd, call);
    hub_switch(m, t, h, why, GR_WAIT_FD);
    return GH_TIMED;
}

static int patched_sleep(struct machine *m, struct task *t, struct hub *h,
                         const struct insn *in)
{
    int64_t n;
    if (t->sleep_until)        /* a sleep a handler interrupted goes on */
        return GH_GO;
    if (!expr_int(m, t, in->e1, &n))
        return GH_TIMED;
    char why[120], name[64];
    int id = h->current;
    t->pc++;
    set_result(m, t, in->var, 0);
    if (n <= 0) {
        hub_park(m, t, h, GREEN_READY, t->pc);
        snprintf(why, sizeof why, "%s %d: %s yields (sleep 0, patched)", green_who(m, t),
                 t->tid,
                 green_name(m, h, id, name, sizeof name));
    } else {
        hub_park(m, t, h, GREEN_SLEEP, t->pc);
        gctx_of(m, h, id)->wake_at = tick_after(m->tick + 1, n);
        snprintf(why, sizeof why, "%s %d: %s sleeps %lld tick%s (patched sleep)",
                 green_who(m, t), t->tid,
                 green_name(m, h, id, name, sizeof name), (long long)n, n == 1 ? "" : "s");
    }
    hub_switch(m, t, h, why, GR_SLEEP);
    return GH_TIMED;
}

/* The call on fd `fd` (of t's process) wants `want`: go on if the fd is
 * ready (or the call will not wait: a non-blocking socket, a bad fd), else
 * park until it is. */
static int wait_ready(struct machine *m, struct task *t, struct hub *h, int fd,
                      uint32_t want, const char *call, bool awaited)
{
    /* a wait's deadline lives while the statement runs again; any way
     * out but parking ends it */
    struct gctx *x = gctx_of(m, h, h->current);
    int64_t deadline = x->deadline;
    x->deadline = 0;
    int32_t key = fd_key(m, proc_of(m, t), fd);
    if (!key)
        return GH_GO;          /* not open: the call raises EBADF */
    int64_t timeout = -1;
    if (FILE_KIND(key) == FK_SOCK && !awaited) {
        /* (asyncio's loop.sock_* want a non-blocking socket and wait
         * for it in the loop, whatever its timeout) */
        const struct ksock *k = sock_at(m, FILE_INDEX(key));
        if (k->nonblock || k->timeout == 0)
            return GH_GO;      /* it raises BlockingIOError itself */
        timeout = k->timeout;
    }
    if (file_events(m, key) & (want | POLL_ERR | POLL_HUP | POLL_NVAL))
        return GH_GO;
    if (timeout > 0) {
        if (deadline && deadline <= m->tick) {
            task_raise(m, t, program_code(m, t->prog)->code[t->pc].pos, EXC_TIMEOUT,
                       "timed out");
            return GH_TIMED;
        }
        x->deadline = deadline ? deadline : tick_after(m->tick, timeout);
    }
    return park_fd(m, t, h, fd, key, want, call);
}

static int patched_fd(struct machine *m, struct task *t, struct hub *h,
                      const struct insn *in)
{
    if (t->pipe_op != PIPE_OP_NONE ||
        (in->method != METHOD_SEND && in->method != METHOD_RECV))
        return GH_GO;          /* a long send under way finishes as it is */
    int fd = pipe_fd(m, t, in);
    if (fd == -2)
        return GH_TIMED;       /* raised */
    if (fd < 0)
        return GH_GO;
    bool recv = in->method == METHOD_RECV;
    return wait_ready(m, t, h, fd, recv ? POLL_IN : POLL_OUT, recv ? "recv" : "send",
                      in->flags & INSN_AWAIT);
}

/* connect on a stream socket: gevent's way (socket.connect in
 * gevent/_socketcommon.py): start it as on a non-blocking socket
 * (connect_ex: the SYN goes, EINPROGRESS), park until the socket is
 * writable, then run the connect again, which reports how it went. */
static int patched_connect(struct machine *m, struct task *t, struct hub *h,
                           const struct insn *in, int fd)
{
    int32_t key = fd_key(m, proc_of(m, t), fd);
    if (!key || FILE_KIND(key) != FK_SOCK)
        return GH_GO;
    int s = FILE_INDEX(key);
    struct ksock *k = sock_at(m, s);
    bool awaited = in->flags & INSN_AWAIT;
    if (k->type == ST_UDP || k->type == ST_UNIX_DGRAM || k->connecting ||
        (!awaited && (k->nonblock || k->timeout == 0)))
        return GH_GO;          /* no wait, or its own EINPROGRESS */
    if (k->nb_connecting) {
        if (k->state == SOCKS_SYN_SENT)
            return park_fd(m, t, h, fd, key, POLL_OUT, "connect");
        return GH_GO;          /* done: the connect reports it */
    }
    if (k->state != SOCKS_UNCONN || k->listening)
        return GH_GO;          /* its error (already connected ...) */
    struct insn start = *in;
    start.method = SOCKM_CONNECT_EX;
    start.var = -1;
    int pc = t->pc, prog = t->prog, me = h->current;
    bool nonblock = k->nonblock;
    k->nonblock = true;
    sock_exec(m, t, &start);
    k = sock_at(m, s);
    k->nonblock = nonblock;
    /* connect_ex ends with pc + 1; anything else was an exception (a bad
     * address): caught, or the end of this greenlet or thread */
    if (m->status != MS_RUNNING || t->state != 'R' || h->current != me ||
        t->prog != prog || t->pc != pc + 1)
        return GH_TIMED;
    t->pc = pc;                /* the connect runs again when writable */
    if (!k->nb_connecting)
        return GH_TIMED;       /* failed at once: again, it raises */
    return park_fd(m, t, h, fd, key, POLL_OUT, "connect");
}

static int patched_sock(struct machine *m, struct task *t, struct hub *h,
                        const struct insn *in)
{
    uint32_t want;
    const char *call;
    switch (in->method) {
    case SOCKM_ACCEPT:   want = POLL_IN;  call = "accept";   break;
    case SOCKM_RECVFROM: want = POLL_IN;  call = "recvfrom"; break;
    case SOCKM_SENDALL:  want = POLL_OUT; call = "sendall";  break;
    case SOCKM_SENDTO:   want = POLL_OUT; call = "sendto";   break;
    case SOCKM_CONNECT:  want = POLL_OUT; call = "connect";  break;
    default:
        return GH_GO;
    }
    if (!in->e2)
        return GH_GO;
    int64_t fd;
    if (!expr_int(m, t, in->e2, &fd))
        return GH_TIMED;
    if (fd < 0 || fd > INT32_MAX)
        return GH_GO;
    if (in->method == SOCKM_CONNECT)
        return patched_connect(m, t, h, in, (int)fd);
    return wait_ready(m, t, h, (int)fd, want, call, in->flags & INSN_AWAIT);
}

int green_patched(struct machine *m, struct task *t, struct hub *h, const struct insn *in)
{
    if (t->left)
        return GH_GO;
    switch (in->op) {
    case OP_SLEEP:
        if (!h->patched)
            return GH_GO;
        return patched_sleep(m, t, h, in);
    case OP_FD:
    case OP_OBJ:
        return patched_fd(m, t, h, in);
    case OP_SOCK:
        return patched_sock(m, t, h, in);
    default:
        return GH_GO;
    }
}
