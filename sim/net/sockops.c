/*
 * sockops.c - the socket statements (docs §7 "Sockets"): socket,
 * socketpair, bind, listen, accept, connect, send, sendall, recv, sendto,
 * recvfrom, shutdown, setblocking, settimeout, setsockopt, getsockopt,
 * getsockname, getpeername, unlink; the errors Linux gives for misuse,
 * raised as the exceptions CPython maps them to.
 *
 * Each takes one tick. A call that cannot complete blocks (sock_block:
 * pc stays, it runs again when woken), or with setblocking(False) raises
 * BlockingIOError, or with settimeout(N) raises TimeoutError N ticks after
 * it first blocked (t->timeout_at keeps the deadline across wake-ups).
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
static void sock_raise(struct machine *m, struct task *t, const struct insn *in, int e)
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

static bool is_dgram(const struct ksock *k)
{
    return k->type == ST_UDP || k->type == ST_UNIX_DGRAM;
}

static bool is_inet(const struct ksock *k)
{
    return k->type == ST_TCP || k->type == ST_UDP;
}

static const char *type_name(int type)
{
    static const char *const n[] = { "TCP", "UDP", "Unix stream", "Unix datagram" };
    return n[type & 3];
}

/* ("127.0.0.1", port) */
static struct value inet_addr(struct machine *m, int port)
{
    struct value items[2], out = v_none();
    if (v_str(&m->heap, "127.0.0.1", 9, &items[0]) != VE_OK)
        return out;
    items[1] = v_int(port);
    if (v_seq(&m->heap, V_TUPLE, items, 2, &out) != VE_OK)
        return v_none();
    return out;
}

static struct value empty_str(struct machine *m)
{
    struct value v = v_none();
    v_str(&m->heap, "", 0, &v);
    return v;
}

/* The address a socket is named by (getsockname): unix: its path or "". */
static struct value local_addr(struct machine *m, int s)
{
    struct ksock *k = sock_at(m, s);
    if (is_inet(k) && !k->port) {
        struct value items[2], out = v_none();
        if (v_str(&m->heap, "0.0.0.0", 7, &items[0]) == VE_OK) {
            items[1] = v_int(0);
            v_seq(&m->heap, V_TUPLE, items, 2, &out);
        }
        return out;
    }
    if (is_inet(k))
        return inet_addr(m, k->port);
    return k->path.type == V_STR ? k->path : empty_str(m);
}

/* An address value: a port (inet) or path (unix). For inet, an int or a
 * tuple ("127.0.0.1", port). *port gets the port; false after TypeError. */
static bool addr_arg(struct machine *m, struct task *t, const struct insn *in,
                     const struct expr *e, const struct ksock *k, int64_t *port,
                     struct value *path)
{
    struct value v;
    if (!expr_value(m, t, e, &v))
        return false;
    if (is_inet(k)) {
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
static int sock_of_fd(struct machine *m, struct task *t, const struct insn *in, int *fd_out)
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
static int open_fd(struct machine *m, struct task *t, const struct insn *in, int s)
{
    int fd = fd_open(m, proc_of(m, t), FILE_KEY(FK_SOCK, s));
    if (fd == -24)
        sock_raise(m, t, in, 24);
    return fd < 0 ? -1 : fd;
}

/* The call cannot complete now: EAGAIN, a timeout, or block. */
static void would_block(struct machine *m, struct task *t, const struct insn *in, int s,
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

static void done(struct machine *m, struct task *t)
{
    (void)m;
    procobj_wait_done(t);
    t->pc++;
}

/* ------------------------------------------------------------- socket */

static void do_socket(struct machine *m, struct task *t, const struct insn *in)
{
    int s = sock_new(m, in->aop);
    if (s < 0)
        return;
    sock_at(m, s)->pid = sock_pid(m, t);
    int fd = open_fd(m, t, in, s);
    if (fd < 0) {
        sock_at(m, s)->closed = true;
        sock_at(m, s)->state = SOCKS_CLOSED;
        return;
    }
    done(m, t);
    set_result(m, t, in->var, fd);
    sev(m, SK_NEW, t, s + 1, fd, "pid %d makes a %s socket: fd %d (socket %d)",
        sock_pid(m, t), type_name(in->aop), fd, s + 1);
}

static void do_pair(struct machine *m, struct task *t, const struct insn *in)
{
    int type = in->aop == SOCK_KIND_UNIX_DGRAM ? ST_UNIX_DGRAM : ST_UNIX;
    int a = sock_new(m, type), b = a >= 0 ? sock_new(m, type) : -1;
    if (b < 0)
        return;
    for (int i = 0; i < 2; i++) {
        struct ksock *k = sock_at(m, i ? b : a);
        k->pid = sock_pid(m, t);
        k->peer = i ? a : b;
        k->state = type == ST_UNIX ? SOCKS_ESTAB : SOCKS_UNCONN;
    }
    int fa = open_fd(m, t, in, a);
    int fb = fa >= 0 ? open_fd(m, t, in, b) : -1;
    if (fb < 0) {
        if (fa >= 0)
            fd_close(m, proc_of(m, t), t, fa, false);
        return;
    }
    done(m, t);
    set_result(m, t, in->var, fa);
    set_result(m, t, in->var2, fb);
    sev(m, SK_NEW, t, a + 1, fa, "pid %d makes a connected pair of %s sockets: fd %d "
        "(socket %d) and fd %d (socket %d)", sock_pid(m, t), type_name(type), fa, a + 1,
        fb, b + 1);
}

/* --------------------------------------------------------- bind, listen */

static void do_bind(struct machine *m, struct task *t, const struct insn *in, int s, int fd)
{
    struct ksock *k = sock_at(m, s);
    int64_t port = 0;
    struct value path = v_none();
    if (!addr_arg(m, t, in, in->e1, k, &port, &path))
        return;
    k = sock_at(m, s);
    if (k->port || k->path.type == V_STR) {
        sock_raise(m, t, in, 22);
        return;
    }
    char a[64];
    if (is_inet(k)) {
        if (port == 0) {
            if (!port_ephemeral(m, s))
                return sock_raise(m, t, in, 98);
        } else if (port_owner(m, (int)port) >= 0) {
            sev(m, SK_BIND, t, s + 1, fd, "pid %d binds fd %d to port %lld: in use by "
                "socket %d (EADDRINUSE)", sock_pid(m, t), fd, (long long)port,
                port_owner(m, (int)port) + 1);
            return sock_raise(m, t, in, 98);
        } else if (!port_take(m, (int)port, s)) {
            return;
        }
    } else {
        if (path_owner(m, path) >= 0)
            return sock_raise(m, t, in, 98);
        k->path = path;
    }
    done(m, t);
    sev(m, SK_BIND, t, s + 1, fd, "pid %d binds fd %d (socket %d) to %s", sock_pid(m, t), fd,
        s + 1, sock_addr_text(m, s, false, a, sizeof a));
}

static void do_listen(struct machine *m, struct task *t, const struct insn *in, int s, int fd)
{
    int64_t n = 128;                       /* Python's default: min(SOMAXCONN, 128) */
    if (in->e1 && !expr_int(m, t, in->e1, &n))
        return;
    struct ksock *k = sock_at(m, s);
    if (is_dgram(k))
        return sock_raise(m, t, in, 95);
    if (!k->listening && k->state != SOCKS_UNCONN)
        return sock_raise(m, t, in, 22);
    if (!is_inet(k) && k->path.type != V_STR)
        return sock_raise(m, t, in, 22);
    if (is_inet(k) && !k->port && !port_ephemeral(m, s))
        return sock_raise(m, t, in, 98);
    k = sock_at(m, s);
    if (n < 0)
        n = 0;
    if (n > m->cfg.somaxconn)
        n = m->cfg.somaxconn;
    k->backlog = (int)n;
    k->listening = true;
    k->state = SOCKS_LISTEN;
    done(m, t);
    char a[64];
    sev(m, SK_LISTEN, t, s + 1, fd, "pid %d listens on %s (fd %d, backlog %d: up to %d "
        "connections wait for accept)", sock_pid(m, t), sock_addr_text(m, s, false, a, sizeof a),
        fd, k->backlog, k->backlog + 1);
    file_changed(m, FILE_KEY(FK_SOCK, s));
}

/* --------------------------------------------------------------- accept */

static void do_accept(struct machine *m, struct task *t, const struct insn *in, int s, int fd)
{
    struct ksock *k = sock_at(m, s);
    if (!k->listening)
        return sock_raise(m, t, in, 22);
    if (k->aq_len == 0)
        return would_block(m, t, in, s, false, "accept", fd, "no connection is queued");
    int c = k->aq_head;
    int nfd = open_fd(m, t, in, c);
    if (nfd < 0)
        return;
    k = sock_at(m, s);
    k->aq_head = sock_at(m, c)->aq_next;
    if (k->aq_head < 0)
        k->aq_tail = -1;
    k->aq_len--;
    struct ksock *ck = sock_at(m, c);
    ck->listener = -1;
    ck->aq_next = -1;
    ck->pid = sock_pid(m, t);
    done(m, t);
    set_result(m, t, in->var, nfd);
    if (in->var2 >= 0) {
        struct value addr = is_inet(ck) ? inet_addr(m, ck->rport)
                            : ck->rpath.type == V_STR ? ck->rpath : empty_str(m);
        set_result_value(m, t, in->var2, addr);
    }
    ck = sock_at(m, c);
    int from = ck->peer >= 0 ? sock_at(m, ck->peer)->pid : 0;
    char a[64];
    k = sock_at(m, s);
    sev(m, SK_ACCEPT, t, s + 1, nfd, "pid %d accepts a connection from pid %d (%s): fd %d "
        "(socket %d); backlog %d/%d left", sock_pid(m, t), from,
        sock_addr_text(m, c, true, a, sizeof a), nfd, c + 1, k->aq_len, k->backlog);
    if (k->aq_len > 0)
        sock_changed(m, s, true, false);   /* the next waiter takes the next */
}

/* -------------------------------------------------------------- connect */

static void connect_result(struct machine *m, struct task *t, const struct insn *in, int e)
{
    if (in->method == SOCKM_CONNECT_EX) {
        done(m, t);
        set_result(m, t, in->var, e < 0 ? 11 : e);
        return;
    }
    if (e)
        sock_raise(m, t, in, e);
    else
        done(m, t);
}

static void do_connect(struct machine *m, struct task *t, const struct insn *in, int s, int fd)
{
    struct ksock *k = sock_at(m, s);
    char a[64];
    if (k->connecting || k->nb_connecting) {
        bool nb = k->nb_connecting && !k->connecting;
        if (k->state == SOCKS_SYN_SENT) {
            if (nb)
                return connect_result(m, t, in, 114);
            if (k->nonblock || k->timeout == 0 ||
                (k->timeout > 0 && procobj_deadline(m, t, k->timeout) == 0)) {
                /* timed out: the connect goes on without it */
                k->connecting = false;
                k->nb_connecting = true;
                return connect_result(m, t, in, k->timeout > 0 ? -1 : 115);
            }
            sock_block(m, t, s, true);
            return;
        }
        k->connecting = k->nb_connecting = false;
        int e = k->err;
        k->err = 0;
        if (!e)
            sev(m, SK_CONNECT, t, s + 1, fd, "pid %d is connected: fd %d (%s) to %s",
                sock_pid(m, t), fd, sock_addr_text(m, s, false, a, sizeof a),
                sock_addr_text(m, s, true, a + 32, 32));
        else
            sev(m, SK_CONNECT, t, s + 1, fd, "pid %d's connect on fd %d fails (errno %d)",
                sock_pid(m, t), fd, e);
        return connect_result(m, t, in, e);
    }
    int64_t port = 0;
    struct value path = v_none();
    if (!addr_arg(m, t, in, in->e1, k, &port, &path))
        return;
    k = sock_at(m, s);
    if (k->listening || k->state != SOCKS_UNCONN)
        return connect_result(m, t, in, 106);
    k->err = 0;
    if (is_dgram(k)) {
        /* a datagram socket's default destination */
        k->rport = (int)port;
        k->rpath = path;
        if (is_inet(k) && !k->port && !port_ephemeral(m, s))
            return connect_result(m, t, in, 98);
        return connect_result(m, t, in, 0);
    }
    int to = -1;
    if (!is_inet(k)) {
        to = path_owner(m, path);
        if (to < 0)
            return connect_result(m, t, in, 2);
        const struct ksock *l = sock_at(m, to);
        if (!l->listening || l->closed || l->type != k->type)
            return connect_result(m, t, in, 111);
        k->rpath = path;
    } else if (!k->port && !port_ephemeral(m, s)) {
        return connect_result(m, t, in, 98);
    }
    tcp_connect(m, s, (int)port, to);
    k = sock_at(m, s);
    if (!is_inet(k))
        k->rport = to;
    if (is_inet(k))
        sev(m, SK_CONNECT, t, s + 1, fd, "pid %d connect to %lld: SYN sent from %s (fd %d)",
            sock_pid(m, t), (long long)port, sock_addr_text(m, s, false, a, sizeof a), fd);
    else
        sev(m, SK_CONNECT, t, s + 1, fd, "pid %d connect to %s: SYN sent (fd %d)",
            sock_pid(m, t), sock_addr_text(m, s, true, a, sizeof a), fd);
    if (k->nonblock || k->timeout == 0) {
        k->nb_connecting = true;
        return connect_result(m, t, in, 115);
    }
    k->connecting = true;
    procobj_wait_done(t);
    sock_block(m, t, s, true);
}

/* ----------------------------------------------------------------- send */

/* The data of a send: a string, else TypeError. */
static bool data_arg(struct machine *m, struct task *t, const struct insn *in,
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

static void do_dgram_send(struct machine *m, struct task *t, const struct insn *in, int s,
                          int fd, struct value data, size_t len, const struct expr *addr);

static void do_send(struct machine *m, struct task *t, const struct insn *in, int s, int fd,
                    bool all)
{
    struct value data;
    size_t len;
    if (!data_arg(m, t, in, &data, &len))
        return;
    struct ksock *k = sock_at(m, s);
    if (is_dgram(k))
        return do_dgram_send(m, t, in, s, fd, data, len, NULL);
    struct nsend *ns = sock_tsend(m, t);
    if (ns->sock != s || ns->tid != t->tid) {
        ns->sock = s;
        ns->tid = t->tid;
        ns->done = 0;
    }
    k = sock_at(m, s);
    if (k->err) {
        int e = k->err;
        k->err = 0;
        return sock_raise(m, t, in, e);
    }
    if (k->shut_wr)
        return sock_raise(m, t, in, 32);
    if (k->state == SOCKS_SYN_SENT)
        return would_block(m, t, in, s, true, "send", fd, "the connection is not made yet");
    if (k->state != SOCKS_ESTAB && k->state != SOCKS_CLOSE_WAIT)
        return sock_raise(m, t, in, 32);
    int64_t room = k->snd_cap - k->snd.bytes;
    int64_t take = (int64_t)len - ns->done;
    if (take > room)
        take = room;
    if (take > 0) {
        if (ns->done == 0)
            k->sendno++;
        int c = chunk_new(m, data, (int32_t)ns->done, (int32_t)take, k->sendno);
        if (c < 0)
            return;
        k = sock_at(m, s);
        nbuf_push(m, &k->snd, c);
        ns->done += take;
        tcp_push(m, s);
        k = sock_at(m, s);
    }
    if (ns->done == (int64_t)len || (!all && ns->done > 0 && (k->nonblock ||
                                                              k->timeout >= 0))) {
        int64_t n = ns->done;
        ns->sock = -1;
        done(m, t);
        set_result(m, t, in->var, n);
        sev(m, SK_SEND, t, s + 1, n, "pid %d %s %lld bytes on fd %d: the send buffer "
            "holds %lld/%lld", sock_pid(m, t), all ? "sendall" : "send", (long long)n, fd,
            (long long)k->snd.bytes, (long long)k->snd_cap);
        if (k->snd.bytes < k->snd_cap)
            sock_changed(m, s, false, true);   /* room for the next writer */
        return;
    }
    char why[96];
    snprintf(why, sizeof why, "the send buffer is full (%lld/%lld; %lld of %zu bytes in)",
             (long long)k->snd.bytes, (long long)k->snd_cap, (long long)ns->done, len);
    if (k->timeout > 0 && ns->done > 0 && !all &&
        procobj_deadline(m, t, k->timeout) == 0) {
        int64_t n = ns->done;
        ns->sock = -1;
        done(m, t);
        set_result(m, t, in->var, n);
        return;
    }
    would_block(m, t, in, s, true, all ? "sendall" : "send", fd, why);
}

/* ----------------------------------------------------------------- recv */

/* Copy the first n bytes of buffer b into a new string. */
static bool take_bytes(struct machine *m, struct nbuf *bp, int s, bool rcv, int64_t n,
                       struct value *out, int *sends)
{
    char *buf = malloc(n > 0 ? (size_t)n : 1);
    if (!buf) {
        machine_fail(m, (struct srcpos){ 0, 0 }, "out of memory");
        return false;
    }
    int64_t got = 0;
    for (int c = bp->head; c >= 0 && got < n; c = m->net.chunks[c].next) {
        const struct nchunk *ch = &m->net.chunks[c];
        size_t len;
        const char *d = v_str_data(&m->heap, ch->str, &len);
        int64_t k = ch->len < n - got ? ch->len : n - got;
        memcpy(buf + got, d + ch->off, (size_t)k);
        got += k;
    }
    struct ksock *k = sock_at(m, s);
    *sends = nbuf_move(m, rcv ? &k->rcv : bp, NULL, n);
    enum verr e = v_str(&m->heap, buf, (size_t)n, out);
    free(buf);
    if (e != VE_OK) {
        machine_fail(m, (struct srcpos){ 0, 0 }, "out of memory");
        return false;
    }
    return true;
}

static void do_recv(struct machine *m, struct task *t, const struct insn *in, int s, int fd,
                    bool from)
{
    int64_t want;
    if (!in->e1) {
        task_raise(m, t, in->pos, EXC_TYPE, "recv() takes the most bytes to read: "
                   "recv N -> data");
        return;
    }
    if (!expr_int(m, t, in->e1, &want))
        return;
    if (want < 0) {
        task_raise(m, t, in->pos, EXC_VALUE, "negative buffersize in recv");
        return;
    }
    struct ksock *k = sock_at(m, s);
    struct value data;
    int sends;
    if (is_dgram(k)) {
        if (k->rcv.count == 0)
            return would_block(m, t, in, s, false, from ? "recvfrom" : "recv", fd,
                               "no datagram has come");
        const struct nchunk *ch = &m->net.chunks[k->rcv.head];
        int64_t len = ch->len, n = want < len ? want : len;
        struct value addr = ch->from;
        if (!take_bytes(m, &k->rcv, s, true, n, &data, &sends))
            return;
        k = sock_at(m, s);
        if (n < len)
            nbuf_move(m, &k->rcv, NULL, len - n);   /* the rest is lost */
        done(m, t);
        set_result_value(m, t, in->var, data);
        set_result_value(m, t, in->var2, addr);
        sev(m, SK_RECV, t, s + 1, n, "pid %d %s: one datagram of %lld bytes%s; %d more "
            "waiting", sock_pid(m, t), from ? "recvfrom" : "recv", (long long)len,
            n < len ? " (truncated: the rest is lost)" : "", k->rcv.count);
        if (k->rcv.count > 0)
            sock_changed(m, s, true, false);
        return;
    }
    if (k->listening)
        return sock_raise(m, t, in, 107);
    if (k->rcv.bytes > 0 && want > 0) {
        int64_t n = want < k->rcv.bytes ? want : k->rcv.bytes;
        if (!take_bytes(m, &k->rcv, s, true, n, &data, &sends))
            return;
        k = sock_at(m, s);
        done(m, t);
        set_result_value(m, t, in->var, data);
        if (from)
            set_result_value(m, t, in->var2, v_none());
        char merged[32] = "";
        if (sends > 1)
            snprintf(merged, sizeof merged, " (%d sends merged)", sends);
        sev(m, SK_RECV, t, s + 1, n, "pid %d recv: %lld bytes%s on fd %d; %lld left in "
            "the receive buffer", sock_pid(m, t), (long long)n, merged, fd,
            (long long)k->rcv.bytes);
        if (k->peer >= 0)
            tcp_push(m, k->peer);          /* the window opened */
        k = sock_at(m, s);
        if (k->rcv.bytes > 0)
            sock_changed(m, s, true, false);
        return;
    }
    if (want == 0 || k->peer_fin || (k->shut_rd && !k->err)) {
        done(m, t);
        set_result_value(m, t, in->var, empty_str(m));
        if (from)
            set_result_value(m, t, in->var2, v_none());
        if (want > 0)
            sev(m, SK_EOF, t, s + 1, fd, "pid %d gets EOF on fd %d (%s): recv returns \"\"",
                sock_pid(m, t), fd, k->peer_fin ? "the peer closed" : "shut down");
        return;
    }
    if (k->err) {
        int e = k->err;
        k->err = 0;
        return sock_raise(m, t, in, e);
    }
    if (k->state == SOCKS_UNCONN || k->state == SOCKS_CLOSED)
        return sock_raise(m, t, in, 107);
    would_block(m, t, in, s, false, from ? "recvfrom" : "recv", fd, "nothing to read");
}

/* ----------------------------------------------------------- datagrams */

static void do_dgram_send(struct machine *m, struct task *t, const struct insn *in, int s,
                          int fd, struct value data, size_t len, const struct expr *addr)
{
    struct ksock *k = sock_at(m, s);
    int64_t port = k->rport;
    struct value path = k->rpath;
    if (addr && !addr_arg(m, t, in, addr, k, &port, &path))
        return;
    k = sock_at(m, s);
    if (!addr && ((is_inet(k) && !port) || (!is_inet(k) && path.type != V_STR &&
                                             k->peer < 0)))
        return sock_raise(m, t, in, 89);
    if (len > 65507)
        return sock_raise(m, t, in, 90);
    int to = -1;
    if (is_inet(k)) {
        if (!k->port && !port_ephemeral(m, s))
            return sock_raise(m, t, in, 98);
    } else if (k->peer >= 0 && !addr) {
        to = k->peer;
    } else {
        to = path_owner(m, path);
        if (to < 0)
            return sock_raise(m, t, in, 2);
        if (sock_at(m, to)->type != ST_UNIX_DGRAM || sock_at(m, to)->closed)
            return sock_raise(m, t, in, 111);
    }
    k = sock_at(m, s);
    int c = chunk_new(m, data, 0, (int32_t)len, ++k->sendno);
    if (c < 0)
        return;
    m->net.chunks[c].from = local_addr(m, s);
    bool lost = is_inet(k) && m->cfg.udp_loss > 0 && (int)(rng_next(&m->rng) % 100) < m->cfg.udp_loss;
    int p = net_send(m, NP_DGRAM, s, to, (int32_t)len, -1);
    if (p < 0)
        return;
    m->net.pkts[p].to_port = is_inet(k) ? (int)port : 0;
    m->net.pkts[p].chunk = c;
    m->net.pkts[p].lost = lost;
    done(m, t);
    set_result(m, t, in->var, (int64_t)len);
    char a[64];
    sev(m, SK_SEND, t, s + 1, (int64_t)len, "pid %d sends a datagram of %zu bytes from fd %d "
        "to %s%s", sock_pid(m, t), len, fd,
        is_inet(k) ? (snprintf(a, sizeof a, "port %lld", (long long)port), a) : "a path",
        lost ? " (it will be lost: udp_loss)" : "");
}

void udp_arrive(struct machine *m, struct npkt *pk)
{
    int r = pk->to >= 0 ? pk->to : port_owner(m, pk->to_port);
    struct nbuf drop;
    nbuf_init(&drop);
    nbuf_push(m, &drop, pk->chunk);
    struct ksock *rk = r >= 0 ? sock_at(m, r) : NULL;
    const char *why = pk->lost ? "lost on the way (udp_loss)"
                      : !rk || rk->closed || !is_dgram(rk) ? "nobody is bound there"
                      : rk->rcv.bytes + pk->bytes > rk->rcv_cap ? "the receive buffer is full"
                      : NULL;
    if (why) {
        sev(m, SK_NET, NULL, pk->from + 1, pk->bytes, "a datagram of %d bytes from socket "
            "%d is dropped: %s", pk->bytes, pk->from + 1, why);
        nbuf_clear(m, &drop);
        return;
    }
    nbuf_move(m, &drop, &rk->rcv, pk->bytes);
    if (drop.head >= 0)                    /* an empty datagram */
        nbuf_push(m, &sock_at(m, r)->rcv, drop.head);
    sock_changed(m, r, true, false);
}

/* ------------------------------------------------------------- the rest */

static void do_shutdown(struct machine *m, struct task *t, const struct insn *in, int s,
                        int fd)
{
    struct ksock *k = sock_at(m, s);
    if (is_dgram(k) ? k->rport == 0 && k->peer < 0
                    : k->state != SOCKS_ESTAB && k->state != SOCKS_CLOSE_WAIT &&
                      k->state != SOCKS_FIN_WAIT1 && k->state != SOCKS_FIN_WAIT2)
        return sock_raise(m, t, in, 107);
    if (in->aop != 1)
        k->shut_rd = true;
    if (in->aop != 0 && !is_dgram(k))
        tcp_shutdown_wr(m, s);
    else if (in->aop != 0)
        k->shut_wr = true;
    done(m, t);
    static const char *const how[] = { "SHUT_RD", "SHUT_WR", "SHUT_RDWR" };
    sev(m, SK_CLOSE, t, s + 1, fd, "pid %d shuts down fd %d (%s)%s", sock_pid(m, t), fd,
        how[in->aop % 3], in->aop != 0 ? ": a FIN follows the data" : "");
    sock_changed(m, s, true, true);
}

static void do_opt(struct machine *m, struct task *t, const struct insn *in, int s, int fd)
{
    struct ksock *k = sock_at(m, s);
    struct value v = v_none();
    if (in->e1 && !expr_value(m, t, in->e1, &v))
        return;
    k = sock_at(m, s);
    switch (in->method) {
    case SOCKM_SETBLOCKING:
        k->nonblock = !v_truthy(&m->heap, v);
        k->timeout = -1;
        break;
    case SOCKM_SETTIMEOUT:
        if (v.type == V_NONE) {
            k->nonblock = false;
            k->timeout = -1;
        } else if (!v_is_int(v)) {
            task_raise(m, t, in->pos, EXC_TYPE, "Timeout value must be int (ticks) or None");
            return;
        } else if (v.i < 0) {
            task_raise(m, t, in->pos, EXC_VALUE, "Timeout value out of range");
            return;
        } else {
            k->nonblock = v.i == 0;
            k->timeout = v.i;
        }
        break;
    case SOCKM_SETSOCKOPT: {
        if (!v_is_int(v)) {
            task_raise(m, t, in->pos, EXC_TYPE, "setsockopt takes an int");
            return;
        }
        int64_t x = v.i < 0 ? 0 : v.i > 212992 ? 212992 : v.i;   /* wmem_max, rmem_max */
        if (in->aop == SOCKOPT_SNDBUF)
            k->snd_cap = x * 2 < 4608 ? 4608 : x * 2;
        else if (in->aop == SOCKOPT_RCVBUF)
            k->rcv_cap = x * 2 < 2304 ? 2304 : x * 2;
        else if (in->aop == SOCKOPT_REUSEADDR)
            k->reuseaddr = v.i != 0;
        else
            return sock_raise(m, t, in, 22);
        break;
    }
    case SOCKM_GETSOCKOPT: {
        int64_t r = 0;
        switch (in->aop) {
        case SOCKOPT_SNDBUF: r = k->snd_cap; break;
        case SOCKOPT_RCVBUF: r = k->rcv_cap; break;
        case SOCKOPT_REUSEADDR: r = k->reuseaddr; break;
        case SOCKOPT_ERROR: r = k->err; k->err = 0; break;
        case SOCKOPT_TYPE: r = is_dgram(k) ? 2 : 1; break;
        default: break;
        }
        set_result(m, t, in->var, r);
        break;
    }
    case SOCKM_GETSOCKNAME:
        set_result_value(m, t, in->var, local_addr(m, s));
        break;
    case SOCKM_GETPEERNAME: {
        bool connected = is_dgram(k) ? k->rport > 0 || k->peer >= 0 || k->rpath.type == V_STR
                         : k->state != SOCKS_UNCONN && k->state != SOCKS_LISTEN &&
                           k->state != SOCKS_CLOSED && k->state != SOCKS_SYN_SENT;
        if (!connected)
            return sock_raise(m, t, in, 107);
        set_result_value(m, t, in->var, is_inet(k) ? inet_addr(m, k->rport)
                                         : k->rpath.type == V_STR ? k->rpath : empty_str(m));
        break;
    }
    default:
        break;
    }
    (void)fd;
    done(m, t);
}

/* unlink PATH: os.unlink of a Unix socket's file (the socket stays). */
static void do_unlink(struct machine *m, struct task *t, const struct insn *in)
{
    struct value v;
    if (!expr_value(m, t, in->e1, &v))
        return;
    if (v.type != V_STR) {
        task_raise(m, t, in->pos, EXC_TYPE, "unlink takes a path (a string)");
        return;
    }
    int s = path_owner(m, v);
    if (s < 0)
        return sock_raise(m, t, in, 2);
    sock_at(m, s)->path = v_none();
    done(m, t);
}

/* ------------------------------------------------------------ dispatch */

bool sock_fd_op(struct machine *m, struct task *t, const struct insn *in, int s, int fd)
{
    if (in->method == METHOD_SEND)
        do_send(m, t, in, s, fd, false);
    else if (in->method == METHOD_RECV)
        do_recv(m, t, in, s, fd, false);
    else
        task_raise(m, t, in->pos, EXC_OS, "[Errno 22] Invalid argument");
    return m->status == MS_RUNNING;
}

bool sock_exec(struct machine *m, struct task *t, const struct insn *in)
{
    sock_tsend(m, t);
    if (m->status != MS_RUNNING)
        return false;
    if (in->method == SOCKM_SOCKET) {
        do_socket(m, t, in);
        return false;
    }
    if (in->method == SOCKM_PAIR) {
        do_pair(m, t, in);
        return false;
    }
    if (in->method == SOCKM_UNLINK) {
        do_unlink(m, t, in);
        return false;
    }
    int fd;
    int s = sock_of_fd(m, t, in, &fd);
    if (s < 0)
        return false;
    switch (in->method) {
    case SOCKM_BIND: do_bind(m, t, in, s, fd); break;
    case SOCKM_LISTEN: do_listen(m, t, in, s, fd); break;
    case SOCKM_ACCEPT: do_accept(m, t, in, s, fd); break;
    case SOCKM_CONNECT:
    case SOCKM_CONNECT_EX: do_connect(m, t, in, s, fd); break;
    case SOCKM_SENDALL: do_send(m, t, in, s, fd, true); break;
    case SOCKM_SENDTO: {
        struct value data;
        size_t len;
        if (!data_arg(m, t, in, &data, &len))
            break;
        if (!is_dgram(sock_at(m, s))) {
            sock_raise(m, t, in, sock_at(m, s)->state == SOCKS_UNCONN ? 32 : 106);
            break;
        }
        do_dgram_send(m, t, in, s, fd, data, len, in->argv[0]);
        break;
    }
    case SOCKM_RECVFROM: do_recv(m, t, in, s, fd, true); break;
    case SOCKM_SHUTDOWN: do_shutdown(m, t, in, s, fd); break;
    default: do_opt(m, t, in, s, fd); break;
    }
    return false;
}
