/*
 * sockops.c - the socket statements (docs §7 "Sockets"): socket,
 * socketpair, bind, listen, accept, connect, send, sendall, recv, sendto,
 * recvfrom, shutdown, setblocking, settimeout, setsockopt, getsockopt,
 * getsockname, getpeername, unlink; the errors Linux gives for misuse,
 * raised as the exceptions CPython maps them to.
 *
 * Bytes move in sockio.c; what the statements share is in sockutil.c.
 *
 * Each takes one tick. A call that cannot complete blocks (sock_block:
 * pc stays, it runs again when woken), or with setblocking(False) raises
 * BlockingIOError, or with settimeout(N) raises TimeoutError N ticks after
 * it first blocked (t->timeout_at keeps the deadline across wake-ups).
 */
#include "kernel.h"

#include <stdio.h>
#include <stdlib.h>

/* ------------------------------------------------------------- socket */

static void do_socket(struct machine *m, struct task *t, const struct insn *in)
{
    if (fd_lowest_free(m, proc_of(m, t), FD_FIRST) < 0)
        return sock_raise(m, t, in, 24);
    int s = sock_new(m, in->aop);
    if (s < 0)
        return;
    sock_at(m, s)->pid = sock_pid(m, t);
    int fd = sock_open_fd(m, t, in, s);
    if (fd < 0)
        return;
    sock_done(m, t);
    set_result(m, t, in->var, fd);
    sev(m, SK_NEW, t, s + 1, fd, "pid %d makes a %s socket: fd %d (socket %d)",
        sock_pid(m, t), sock_type_name(in->aop), fd, s + 1);
}

static void do_pair(struct machine *m, struct task *t, const struct insn *in)
{
    struct proc *p = proc_of(m, t);
    int fa = fd_lowest_free(m, p, FD_FIRST);
    if (fa < 0 || fd_lowest_free(m, p, fa + 1) < 0)
        return sock_raise(m, t, in, 24);
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
    fa = sock_open_fd(m, t, in, a);
    int fb = fa >= 0 ? sock_open_fd(m, t, in, b) : -1;
    if (fb < 0)
        return;                            /* out of memory: the run stopped */
    sock_done(m, t);
    set_result(m, t, in->var, fa);
    set_result(m, t, in->var2, fb);
    sev(m, SK_NEW, t, a + 1, fa, "pid %d makes a connected pair of %s sockets: fd %d "
        "(socket %d) and fd %d (socket %d)", sock_pid(m, t), sock_type_name(type), fa, a + 1,
        fb, b + 1);
}

/* --------------------------------------------------------- bind, listen */

static void do_bind(struct machine *m, struct task *t, const struct insn *in, int s, int fd)
{
    struct ksock *k = sock_at(m, s);
    int64_t port = 0;
    struct value path = v_none();
    if (!sock_addr_arg(m, t, in, in->e1, k, &port, &path))
        return;
    k = sock_at(m, s);
    if (k->port || k->path.type == V_STR) {
        sock_raise(m, t, in, 22);
        return;
    }
    char a[64];
    if (sock_is_inet(k)) {
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
    sock_done(m, t);
    sev(m, SK_BIND, t, s + 1, fd, "pid %d binds fd %d (socket %d) to %s", sock_pid(m, t), fd,
        s + 1, sock_addr_text(m, s, false, a, sizeof a));
}

static void do_listen(struct machine *m, struct task *t, const struct insn *in, int s, int fd)
{
    int64_t n = 128;                       /* Python's default: min(SOMAXCONN, 128) */
    if (in->e1 && !expr_int(m, t, in->e1, &n))
        return;
    struct ksock *k = sock_at(m, s);
    if (sock_is_dgram(k))
        return sock_raise(m, t, in, 95);
    if (!k->listening && k->state != SOCKS_UNCONN)
        return sock_raise(m, t, in, 22);
    if (!sock_is_inet(k) && k->path.type != V_STR)
        return sock_raise(m, t, in, 22);
    if (sock_is_inet(k) && !k->port && !port_ephemeral(m, s))
        return sock_raise(m, t, in, 98);
    k = sock_at(m, s);
    if (n < 0)
        n = 0;
    if (n > m->cfg.somaxconn)
        n = m->cfg.somaxconn;
    k->backlog = (int)n;
    k->listening = true;
    k->state = SOCKS_LISTEN;
    sock_done(m, t);
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
        return sock_would_block(m, t, in, s, false, "accept", fd, "no connection is queued");
    int c = k->aq_head;
    int nfd = sock_open_fd(m, t, in, c);
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
    sock_done(m, t);
    set_result(m, t, in->var, nfd);
    if (in->var2 >= 0) {
        struct value addr = sock_is_inet(ck) ? sock_inet_addr(m, ck->rport)
                            : ck->rpath.type == V_STR ? ck->rpath : sock_empty_str(m);
        set_result_value(m, t, in->var2, addr);
    }
    ck = sock_at(m, c);
    int from = ck->peer >= 0 ? sock_at(m, ck->peer)->pid : 0;
    char a[64];
    k = sock_at(m, s);
    sev(m, SK_ACCEPT, t, s + 1, nfd, "pid %d accepts a connection from pid %d (%s): fd %d "
        "(socket %d); %d more queued (listen(%d))", sock_pid(m, t), from,
        sock_addr_text(m, c, true, a, sizeof a), nfd, c + 1, k->aq_len, k->backlog);
    if (k->aq_len > 0)
        sock_wake_next(m, s, true, false); /* the next waiter takes the next */
}

/* -------------------------------------------------------------- connect */

static void connect_result(struct machine *m, struct task *t, const struct insn *in, int e)
{
    if (in->method == SOCKM_CONNECT_EX) {
        sock_done(m, t);
        set_result(m, t, in->var, e < 0 ? 11 : e);
        return;
    }
    if (e)
        sock_raise(m, t, in, e);
    else
        sock_done(m, t);
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
    if (!sock_addr_arg(m, t, in, in->e1, k, &port, &path))
        return;
    k = sock_at(m, s);
    if (k->listening || k->state != SOCKS_UNCONN)
        return connect_result(m, t, in, 106);
    k->err = 0;
    if (sock_is_dgram(k)) {
        /* a datagram socket's default destination */
        k->rport = (int)port;
        k->rpath = path;
        if (sock_is_inet(k) && !k->port && !port_ephemeral(m, s))
            return connect_result(m, t, in, 98);
        return connect_result(m, t, in, 0);
    }
    int to = -1;
    if (!sock_is_inet(k)) {
        to = path_owner(m, path);
        if (to < 0)
            return connect_result(m, t, in, 2);
        const struct ksock *l = sock_at(m, to);
        if (!l->listening || l->closed || l->type != k->type)
            return connect_result(m, t, in, 111);
        k->rpath = path;
    } else if (!k->port && !port_ephemeral(m, s)) {
        return connect_result(m, t, in, 99);   /* EADDRNOTAVAIL */
    }
    tcp_connect(m, s, (int)port, to);
    k = sock_at(m, s);
    if (!sock_is_inet(k))
        k->rport = to;
    if (sock_is_inet(k))
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

/* ------------------------------------------------------------- the rest */

static void do_shutdown(struct machine *m, struct task *t, const struct insn *in, int s,
                        int fd)
{
    struct ksock *k = sock_at(m, s);
    if (sock_is_dgram(k) ? k->rport == 0 && k->peer < 0
                    : k->state != SOCKS_ESTAB && k->state != SOCKS_CLOSE_WAIT &&
                      k->state != SOCKS_FIN_WAIT1 && k->state != SOCKS_FIN_WAIT2)
        return sock_raise(m, t, in, 107);
    if (in->aop != 1)
        k->shut_rd = true;
    if (in->aop != 0 && !sock_is_dgram(k))
        tcp_shutdown_wr(m, s);
    else if (in->aop != 0)
        k->shut_wr = true;
    sock_done(m, t);
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
        /* a bigger window or send buffer: data may move, writers go on */
        if (k->peer >= 0 && !sock_is_dgram(k))
            tcp_push(m, k->peer);
        sock_changed(m, s, false, true);
        k = sock_at(m, s);
        break;
    }
    case SOCKM_GETSOCKOPT: {
        int64_t r = 0;
        switch (in->aop) {
        case SOCKOPT_SNDBUF: r = k->snd_cap; break;
        case SOCKOPT_RCVBUF: r = k->rcv_cap; break;
        case SOCKOPT_REUSEADDR: r = k->reuseaddr; break;
        case SOCKOPT_ERROR: r = k->err; k->err = 0; break;
        case SOCKOPT_TYPE: r = sock_is_dgram(k) ? 2 : 1; break;
        default: break;
        }
        set_result(m, t, in->var, r);
        break;
    }
    case SOCKM_GETSOCKNAME:
        set_result_value(m, t, in->var, sock_local_addr(m, s));
        break;
    case SOCKM_GETPEERNAME: {
        bool connected = sock_is_dgram(k) ? k->rport > 0 || k->peer >= 0 || k->rpath.type == V_STR
                         : k->state != SOCKS_UNCONN && k->state != SOCKS_LISTEN &&
                           k->state != SOCKS_CLOSED && k->state != SOCKS_SYN_SENT;
        if (!connected)
            return sock_raise(m, t, in, 107);
        set_result_value(m, t, in->var, sock_is_inet(k) ? sock_inet_addr(m, k->rport)
                                         : k->rpath.type == V_STR ? k->rpath : sock_empty_str(m));
        break;
    }
    default:
        break;
    }
    (void)fd;
    sock_done(m, t);
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
    sock_done(m, t);
}

/* ------------------------------------------------------------ dispatch */

bool sock_fd_op(struct machine *m, struct task *t, const struct insn *in, int s, int fd)
{
    if (in->method == METHOD_SEND)
        sock_do_send(m, t, in, s, fd, false);
    else if (in->method == METHOD_RECV)
        sock_do_recv(m, t, in, s, fd, false);
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
    case SOCKM_SENDALL: sock_do_send(m, t, in, s, fd, true); break;
    case SOCKM_SENDTO: {
        struct value data;
        size_t len;
        if (!sock_data_arg(m, t, in, &data, &len))
            break;
        if (!sock_is_dgram(sock_at(m, s))) {
            sock_raise(m, t, in, sock_at(m, s)->state == SOCKS_UNCONN ? 32 : 106);
            break;
        }
        sock_do_dgram_send(m, t, in, s, fd, data, len, in->argv[0]);
        break;
    }
    case SOCKM_RECVFROM: sock_do_recv(m, t, in, s, fd, true); break;
    case SOCKM_SHUTDOWN: do_shutdown(m, t, in, s, fd); break;
    default: do_opt(m, t, in, s, fd); break;
    }
    return false;
}
