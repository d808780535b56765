/*
 * register.c - register, modify and unregister on a poll object, an epoll
 * instance (epoll_ctl ADD/MOD/DEL) or a selector, with the errors CPython
 * and Linux give:
 *   poll:     register again = modify; modify of an fd not registered:
 *             FileNotFoundError [Errno 2]; unregister of one: KeyError.
 *   epoll:    a closed fd: OSError [Errno 9]; register twice:
 *             FileExistsError [Errno 17]; modify/unregister of an fd not
 *             registered: FileNotFoundError [Errno 2]; the instance itself:
 *             OSError [Errno 22].
 *   selector: register twice, modify or unregister an fd not registered:
 *             KeyError; events other than EVENT_READ|EVENT_WRITE:
 *             ValueError. Its data comes back with each event.
 * An epoll entry that is ready when it is added or modified goes on the
 * ready list at once (ep_insert, ep_modify).
 */
#include "mux.h"

#include <stdio.h>

#define POLL_DEFAULT (POLL_IN | POLL_PRI | POLL_OUT)    /* CPython's default masks */
#define EPOLL_DEFAULT (POLL_IN | POLL_PRI | POLL_OUT)

static const char *const verbs[] = { "registers", "modifies", "unregisters" };

/* A selector's EVENT_READ|EVENT_WRITE as epoll's mask. */
static uint32_t selector_mask(int64_t ev)
{
    return (ev & 1 ? POLL_IN : 0) | (ev & 2 ? POLL_OUT : 0);
}

static void ctl_event(struct machine *m, struct task *t, const struct insn *in, int mx,
                      int fd, uint32_t events, int epfd)
{
    const struct kmux *k = &m->muxst->mux[mx];
    char what[48];
    if (k->kind == MK_POLL)
        snprintf(what, sizeof what, "poll object %d", k->id);
    else
        snprintf(what, sizeof what, "%s fd %d", k->kind == MK_EPOLL ? "epoll" : "selector",
                 epfd);
    emit_textf(m, EV_MUX, MX_CTL, t, fd, k->n, "pid %d %s fd %d %s %s (events 0x%x; "
               "%d registered)", mux_pid(m, t), verbs[in->method - MUXM_REGISTER], fd,
               in->method == MUXM_UNREGISTER ? "from" : "with", what, events, k->n);
}

static bool poll_ctl(struct machine *m, struct task *t, const struct insn *in, int mx,
                     int fd, uint32_t events)
{
    int e = mux_find(m, mx, fd, 0);
    if (in->method == MUXM_UNREGISTER) {
        if (e < 0) {
            task_raise(m, t, in->pos, EXC_KEY, "the fd is not registered");
            return false;
        }
        muxent_free(m, e);
        mux_index(m, mx, fd, -1);
    } else if (e < 0 && in->method == MUXM_MODIFY) {
        task_raise(m, t, in->pos, EXC_FILE_NOT_FOUND, "[Errno 2] No such file or directory");
        return false;
    } else {
        if (e < 0 && ((e = muxent_new(m, mx)) < 0 || !mux_index(m, mx, fd, e)))
            return false;
        m->muxst->ent[e].fd = fd;
        m->muxst->ent[e].events = events;
    }
    return true;
}

/* epoll_ctl(ADD/MOD/DEL) on instance mx; a selector's key checks first. */
static bool epoll_ctl(struct machine *m, struct task *t, const struct insn *in, int mx,
                      int fd, uint32_t events, struct value data)
{
    bool sel = m->muxst->mux[mx].kind == MK_SELECTOR;
    int32_t key = fd_key(m, proc_of(m, t), fd);
    int e = mux_find(m, mx, fd, key);
    if (sel && (in->method == MUXM_REGISTER) == (e >= 0)) {
        task_raise(m, t, in->pos, EXC_KEY, e >= 0 ? "the fd is already registered"
                                                  : "the fd is not registered");
        return false;
    }
    if (sel && in->method == MUXM_UNREGISTER && m->muxst->ent[e].w < 0) {
        muxent_free(m, e);             /* its file is closed: CPython ignores */
        return mux_index(m, mx, fd, -1);   /* the EBADF of the kernel's part */
    }
    if (!key) {
        task_raise(m, t, in->pos, EXC_OS, "[Errno 9] Bad file descriptor");
        return false;
    }
    if (key == FILE_KEY(FK_EPOLL, mx)) {
        task_raise(m, t, in->pos, EXC_OS, "[Errno 22] Invalid argument");
        return false;
    }
    if (in->method == MUXM_REGISTER && e >= 0) {
        task_raise(m, t, in->pos, EXC_FILE_EXISTS, "[Errno 17] File exists");
        return false;
    }
    if (in->method != MUXM_REGISTER && e < 0) {
        task_raise(m, t, in->pos, EXC_FILE_NOT_FOUND, "[Errno 2] No such file or directory");
        return false;
    }
    struct muxstate *ms = m->muxst;
    if (in->method == MUXM_UNREGISTER) {
        epoll_unready(m, e);
        fwatch_remove(m, ms->ent[e].w);
        muxent_free(m, e);
        return !sel || mux_index(m, mx, fd, -1);
    }
    if (in->method == MUXM_MODIFY && ms->ent[e].w < 0) {
        task_raise(m, t, in->pos, EXC_OS, "[Errno 9] Bad file descriptor");
        return false;
    }
    if (in->method == MUXM_REGISTER) {
        if ((e = muxent_new(m, mx)) < 0 || (sel && !mux_index(m, mx, fd, e)))
            return false;
        int w = fwatch_add(m, key, fd, events, FW_EPOLL, mx, e);
        if (w < 0)
            return false;
        ms = m->muxst;
        ms->ent[e].w = w;
        ms->ent[e].fd = fd;
        ms->ent[e].key = key;
    }
    struct muxent *x = &ms->ent[e];
    x->events = events;
    x->disabled = false;
    x->data = data;
    m->fw[x->w].events = events;
    if (file_events(m, key) & (events | POLL_ERR | POLL_HUP))
        epoll_ready(m, e);
    return true;
}

bool mux_register(struct machine *m, struct task *t, const struct insn *in, int mx,
                  int epfd)
{
    int64_t fd, mask = -1;
    if (!expr_int(m, t, in->e1, &fd))
        return false;
    if (in->argc > 0 && !expr_int(m, t, in->argv[0], &mask))
        return false;
    struct value data = v_none();
    if (in->argc > 1 && !expr_value(m, t, in->argv[1], &data))
        return false;
    if (fd < 0 || fd > INT32_MAX) {
        task_raise(m, t, in->pos, EXC_VALUE, "file descriptor cannot be a negative integer");
        return false;
    }
    enum mux_kind kind = (enum mux_kind)m->muxst->mux[mx].kind;
    uint32_t events;
    if (kind == MK_SELECTOR) {
        if (in->method != MUXM_UNREGISTER && (mask < 1 || mask > 3)) {
            task_raise(m, t, in->pos, EXC_VALUE, mask < 0
                       ? "a selector's register needs events: EVENT_READ, EVENT_WRITE or both"
                       : "Invalid events (EVENT_READ, EVENT_WRITE or both)");
            return false;
        }
        events = selector_mask(mask);
    } else {
        events = mask < 0 ? (kind == MK_POLL ? POLL_DEFAULT : EPOLL_DEFAULT)
                          : (uint32_t)mask;
    }
    if (in->method == MUXM_UNREGISTER)
        events = 0;
    bool ok = kind == MK_POLL ? poll_ctl(m, t, in, mx, (int)fd, events)
                              : epoll_ctl(m, t, in, mx, (int)fd, events, data);
    if (!ok)
        return false;
    t->pc++;
    ctl_event(m, t, in, mx, (int)fd, events, epfd);
    return false;
}
