/*
 * sockutil.c - what the socket statements share (sockops.c, sockio.c):
 * Linux's errno raised as the exception CPython maps it to (EPIPE with
 * SIGPIPE first), the arguments (an fd naming a socket, an address, the
 * data), and what a call that cannot complete does: BlockingIOError when
 * non-blocking, TimeoutError once its settimeout has run out, else it
 * blocks (pc stays; it runs again when woken).
 */
#include "kernel.h"

#include <stdio.h>
#include <stdlib.h>

/* ------------------------------------------------------------- errors */

static void sock_sigpipe(struct machine *m, struct task *t, const struct insn *in)
{
    struct proc *p = proc_of(m, t);
    bool dies = p->sigact[SIG_PIPE] == SIGACT_DEFAULT && !(t->blocked & (1u << SIG_PIPE));
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

/* Raise what errno `e` is in Python (EPIPE: SIGPIPE first, as send(2)). */
void sock_raise(struct machine *m, struct task *t, const struct insn *in, int e)
{
    procobj_wait_done(t);
    sock_tsend(m, t)->sock = -1;
    int exc = EXC_OS;
    const char *msg = "[Errno 22] Invalid argument";
    switch (e) {
    case 2: exc = EXC_FILE_NOT_FOUND; msg = "[Errno 2] No such file or directory"; break;
    case 9: msg = "[Errno 9] Bad file descriptor"; break;
    case 11: exc = EXC_BLOCKING_IO; msg = "[Errno 11] Resource temporarily unavailable"; break;
    case 24: msg = "[Errno 24] Too many open files"; break;
    case 32: sev(m, SK_ERROR, t, 0, 32, "pid %d writes on a connection whose peer is "
                 "gone: EPIPE and SIGPIPE", sock_pid(m, t));
        sock_sigpipe(m, t, in);
        return;
    case 88: msg = "[Errno 88] Socket operation on non-socket"; break;
    case 89: msg = "[Errno 89] Destination address required"; break;
    case 90: msg = "[Errno 90] Message too long"; break;
    case 95: msg = "[Errno 95] Operation not supported"; break;
    case 98: msg = "[Errno 98] Address already in use"; break;
    case 99: msg = "[Errno 99] Cannot assign requested address"; break;
    case 104: exc = EXC_CONN_RESET; msg = "[Errno 104] Connection reset by peer"; break;
    case 106: msg = "[Errno 106] Transport endpoint is already connected"; break;
    case 107: msg = "[Errno 107] Transport endpoint is not connected"; break;
    case 110: exc = EXC_TIMEOUT; msg = "[Errno 110] Connection timed out"; break;
    case 111: exc = EXC_CONN_REFUSED; msg = "[Errno 111] Connection refused"; break;
    case 114: exc = EXC_BLOCKING_IO; msg = "[Errno 114] Operation already in progress"; break;
    case 115: exc = EXC_BLOCKING_IO; msg = "[Errno 115] Operation now in progress"; break;
    case -1: exc = EXC_TIMEOUT; msg = "timed out"; break;
    default: break;
    }
    task_raise(m, t, in->pos, exc, msg);
}

/* ------------------------------------------------------------ helpers */

struct nsend *sock_tsend(struct machine *m, struct task *t)
{
    struct knet *n = &m->net;
    if (n->tsend_cap < m->task_cap) {
        struct nsend *a = realloc(n->tsend, (size_t)m->task_cap * sizeof *a);
        if (!a) {
            machine_fail(m, (struct srcpos){ 0, 0 }, "out of memory");
            static struct nsend dummy;
            dummy = (struct nsend){ -1, 0, 0 };
            return &dummy;
        }
        for (int i = n->tsend_cap; i < m->task_cap; i++)
            a[i] = (struct nsend){ -1, 0, 0 };
        n->tsend = a;
        n->tsend_cap = m->task_cap;
    }
    return &n->tsend[t - m->tasks];
}

bool sock_is_dgram(const struct ksock *k)
{
    return k->type == ST_UDP || k->type == ST_UNIX_DGRAM;
}

bool sock_is_inet(const struct ksock *k)
{
    return k->type == ST_TCP || k->type == ST_UDP;
}

const char *sock_type_name(int type)
{
    static const char *const n[] = { "TCP", "UDP", "Unix stream", "Unix datagram" };
    return n[type & 3];
}

/* ("127.0.0.1", port) */
struct value sock_inet_addr(struct machine *m, int port)
{
    struct value items[2], out = v_none();
    if (v_str(&m->heap, "127.0.0.1", 9, &items[0]) != VE_OK)
        return out;
    items[1] = v_int(port);
    if (v_seq(&m->heap, V_TUPLE, items, 2, &out) != VE_OK)
        return v_none();
    return out;
}

struct value sock_empty_str(struct machine *m)
{
    struct value v = v_none();
    v_str(&m->heap, "", 0, &v);
    return v;
}

/* The address a socket is named by (getsockname): unix: its path or "". */
struct value sock_local_addr(struct machine *m, int s)
{
    struct ksock *k = sock_at(m, s);
    if (sock_is_inet(k) && !k->port) {
        struct value items[2], out = v_none();
        if (v_str(&m->heap, "0.0.0.0", 7, &items[0]) == VE_OK) {
            items[1] = v_int(0);
            v_seq(&m->heap, V_TUPLE, items, 2, &out);
        }
        return out;
    }
    if (sock_is_inet(k))
        return sock_inet_addr(m, k->port);
    return k->path.type == V_STR ? k->path : sock_empty_str(m);
}

/* An address value: a port (inet) or path (unix). For inet, an int or a
 * tuple ("127.0.0.1", port). *port gets the port; false after TypeError. */
bool sock_addr_arg(struct machine *m, struct task *t, const struct insn *in,
                   const struct expr *e, const struct ksock *k, int64_t *port,
                   struct value *path)
{
    struct value v;
    if (!expr_value(m, t, e, &v))
        return false;
    if (sock_is_inet(k)) {
        if (v.type == V_TUPLE) {
            uint32_t n;
            const struct value *it = v_items(&m->heap, v, &n);
            if (n == 2 && v_is_int(it[1]))
                v = it[1];
        }
        if (!v_is_int(v)) {
            task_raise(m, t, in->pos, EXC_TYPE, "AF_INET address must be a port (int) "
                       "or a tuple (host, port)");
            return false;
        }
        if (v.i < 0 || v.i > 65535) {
            task_raise(m, t, in->pos, EXC_OS, "port must be 0-65535.");
            return false;
        }
        *port = v.i;
        return true;
    }
    if (v.type != V_STR) {
        task_raise(m, t, in->pos, EXC_TYPE, "AF_UNIX address must be a path (str)");
        return false;
    }
    *path = v;
    return true;
}

/* The socket an fd names in t's process: its slot, or -1 after an
 * exception. */
int sock_of_fd(struct machine *m, struct task *t, const struct insn *in, int *fd_out)
{
    int64_t fd;
    if (!expr_int(m, t, in->e2, &fd))
        return -1;
    int32_t key = fd_key(m, proc_of(m, t), fd);
    if (!key) {
        sock_raise(m, t, in, 9);
        return -1;
    }
    if (FILE_KIND(key) != FK_SOCK) {
        sock_raise(m, t, in, 88);
        return -1;
    }
    *fd_out = (int)fd;
    return FILE_INDEX(key);
}

/* Open an fd on socket s in t's process: the fd, or -1 after EMFILE. */
int sock_open_fd(struct machine *m, struct task *t, const struct insn *in, int s)
{
    int fd = fd_open(m, proc_of(m, t), FILE_KEY(FK_SOCK, s));
    if (fd == -24)
        sock_raise(m, t, in, 24);
    return fd < 0 ? -1 : fd;
}

/* The call cannot complete now: EAGAIN, a timeout, or block. */
void sock_would_block(struct machine *m, struct task *t, const struct insn *in, int s,
                      bool writer, const char *what, int fd, const char *why)
{
    struct ksock *k = sock_at(m, s);
    if (k->nonblock || k->timeout == 0) {
        sev(m, SK_WAIT, t, s + 1, fd, "pid %d %s on fd %d would block: "
            "BlockingIOError (non-blocking socket)", sock_pid(m, t), what, fd);
        sock_raise(m, t, in, 11);
        return;
    }
    if (k->timeout > 0 && procobj_deadline(m, t, k->timeout) == 0) {
        sev(m, SK_WAIT, t, s + 1, fd, "pid %d %s on fd %d: timed out after %lld ticks",
            sock_pid(m, t), what, fd, (long long)k->timeout);
        sock_raise(m, t, in, -1);
        return;
    }
    if (why)
        sev(m, SK_WAIT, t, s + 1, fd, "pid %d %s on fd %d: %s, it waits", sock_pid(m, t),
            what, fd, why);
    sock_block(m, t, s, writer);
}

void sock_done(struct machine *m, struct task *t)
{
    (void)m;
    procobj_wait_done(t);
    t->pc++;
}


/* The data of a send: a string, else TypeError. */
bool sock_data_arg(struct machine *m, struct task *t, const struct insn *in,
                   struct value *v, size_t *len)
{
    if (!expr_value(m, t, in->e1, v))
        return false;
    if (v->type != V_STR) {
        char msg[80];
        snprintf(msg, sizeof msg, "a bytes-like object is required, not '%s'",
                 v_type_name(*v));
        (void)msg;
        task_raise(m, t, in->pos, EXC_TYPE, "a bytes-like object is required (a string)");
        return false;
    }
    v_str_data(&m->heap, *v, len);
    return true;
}
