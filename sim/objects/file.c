/*
 * file.c - fd tables and readiness watches (file.h), for every kind of
 * file: pipe ends (pipe.c), sockets (socket.c), epoll instances (epoll.c).
 *
 * fd tables are slots in one machine-wide array (a process points to its
 * table once it opens a file beyond 0, 1 and 2), each with its own array
 * of entries grown to the highest fd used, up to `config nofile`.
 *
 * Watches are slots in another array. Each file keeps a doubly linked list
 * of the watches on it (its kind's watch_head); each task keeps a singly
 * linked list of its own (machine.twatch, by task slot), so a select that
 * ends drops all of them at once, as Linux's poll_freewait does.
 */
#include "kernel.h"

#include <stdio.h>
#include <stdlib.h>

const struct file_ops *file_ops_of(int32_t key)
{
    switch (FILE_KIND(key)) {
    case FK_PIPE: return &pipe_file_ops;
    case FK_SOCK: return &sock_file_ops;
    case FK_EPOLL: return &epoll_file_ops;
    default: return NULL;
    }
}

/* ------------------------------------------------------------- fd tables */

void files_init(struct machine *m)
{
    m->fdt_free = m->fw_free = -1;
}

static struct fdtab *fdtab_of(const struct machine *m, const struct proc *p)
{
    return p->fdt ? &m->fdtabs[p->fdt - 1] : NULL;
}

/* A new empty table (index + 1, for proc.fdt), 0 when out of memory. */
static int fdtab_new(struct machine *m)
{
    if (m->fdt_free < 0) {
        int cap = m->fdt_cap ? m->fdt_cap * 2 : 16;
        struct fdtab *n = realloc(m->fdtabs, (size_t)cap * sizeof *n);
        if (!n)
            return 0;
        for (int i = cap - 1; i >= m->fdt_cap; i--) {
            n[i] = (struct fdtab){ .next_free = m->fdt_free };
            m->fdt_free = i;
        }
        m->fdtabs = n;
        m->fdt_cap = cap;
    }
    int i = m->fdt_free;
    struct fdtab *ft = &m->fdtabs[i];
    m->fdt_free = ft->next_free;
    ft->nopen = 0;
    ft->next_free = -1;
    ft->used = true;
    if (ft->fd)
        memset(ft->fd, 0, (size_t)ft->cap * sizeof *ft->fd);
    return i + 1;
}

static void fdtab_release(struct machine *m, struct proc *p)
{
    int i = p->fdt - 1;
    m->fdtabs[i].used = false;
    m->fdtabs[i].next_free = m->fdt_free;
    m->fdt_free = i;
    p->fdt = 0;
}

/* Room in table ft for fd; false out of memory. The array keeps its
 * memory when the table is freed and used again. */
static bool fdtab_reach(struct fdtab *ft, int fd)
{
    if (fd < ft->cap)
        return true;
    int cap = ft->cap ? ft->cap : 16;
    while (cap <= fd)
        cap *= 2;
    int32_t *n = realloc(ft->fd, (size_t)cap * sizeof *n);
    if (!n)
        return false;
    memset(n + ft->cap, 0, (size_t)(cap - ft->cap) * sizeof *n);
    ft->fd = n;
    ft->cap = cap;
    return true;
}

int32_t fd_key(const struct machine *m, const struct proc *p, int64_t fd)
{
    const struct fdtab *ft = fdtab_of(m, p);
    return ft && fd >= FD_FIRST && fd < ft->cap ? ft->fd[fd] : 0;
}

int fd_lowest_free(const struct machine *m, const struct proc *p, int from)
{
    const struct fdtab *ft = fdtab_of(m, p);
    for (int fd = from; fd < m->cfg.nofile; fd++)
        if (!ft || fd >= ft->cap || !ft->fd[fd])
            return fd;
    return -1;
}

int fd_bound(const struct machine *m, const struct proc *p)
{
    const struct fdtab *ft = fdtab_of(m, p);
    if (!ft)
        return 0;
    int n = ft->cap;
    while (n > 0 && !ft->fd[n - 1])
        n--;
    return n;
}

bool fd_install(struct machine *m, struct proc *p, int fd, int32_t key)
{
    if (!p->fdt && !(p->fdt = fdtab_new(m)))
        goto oom;
    struct fdtab *ft = &m->fdtabs[p->fdt - 1];
    if (!fdtab_reach(ft, fd))
        goto oom;
    ft->fd[fd] = key;
    ft->nopen++;
    file_ops_of(key)->ref(m, FILE_INDEX(key));
    return true;
oom:
    machine_fail(m, (struct srcpos){ 0, 0 }, "out of memory");
    return false;
}

int fd_open(struct machine *m, struct proc *p, int32_t key)
{
    int fd = fd_lowest_free(m, p, FD_FIRST);
    if (fd < 0)
        return -24;
    return fd_install(m, p, fd, key) ? fd : -12;
}

void fd_close(struct machine *m, struct proc *p, const struct task *t, int fd,
              bool at_exit)
{
    struct fdtab *ft = &m->fdtabs[p->fdt - 1];
    int32_t key = ft->fd[fd];
    ft->fd[fd] = 0;
    ft->nopen--;
    int ps = (int)(p - m->procs);
    if (ft->nopen == 0)
        fdtab_release(m, p);
    file_ops_of(key)->close(m, ps, t, FILE_INDEX(key), fd, at_exit);
}

void fd_each(const struct machine *m, const struct proc *p,
             void (*f)(const struct machine *m, const struct proc *p, int fd,
                       int32_t key, void *arg), void *arg)
{
    const struct fdtab *ft = fdtab_of(m, p);
    for (int fd = FD_FIRST; ft && fd < ft->cap; fd++)
        if (ft->fd[fd])
            f(m, p, fd, ft->fd[fd], arg);
}

bool fds_fork(struct machine *m, int parent_slot, int child_slot)
{
    if (!m->procs[parent_slot].fdt)
        return true;
    int n = fdtab_new(m);
    if (!n)
        return false;
    struct proc *pp = &m->procs[parent_slot], *cp = &m->procs[child_slot];
    cp->fdt = n;
    struct fdtab *from = &m->fdtabs[pp->fdt - 1], *to = &m->fdtabs[n - 1];
    int bound = fd_bound(m, pp);
    if (bound > 0 && !fdtab_reach(to, bound - 1))
        return false;
    memcpy(to->fd, from->fd, (size_t)bound * sizeof *to->fd);
    to->nopen = from->nopen;
    for (int fd = FD_FIRST; fd < bound; fd++)
        if (to->fd[fd])
            file_ops_of(to->fd[fd])->ref(m, FILE_INDEX(to->fd[fd]));
    return true;
}

void fds_exit(struct machine *m, int ps)
{
    struct proc *p = &m->procs[ps];
    if (!p->fdt)
        return;
    const struct task *t = &m->tasks[p->main_task];
    char text[300];
    size_t n = (size_t)snprintf(text, sizeof text, "pid %d's exit closes its fds", p->pid);
    int bound = fd_bound(m, p);
    int shown = 0;
    for (int fd = FD_FIRST; fd < bound && p->fdt; fd++)
        if (m->fdtabs[p->fdt - 1].fd[fd]) {
            if (n + 24 < sizeof text) {
                n += (size_t)snprintf(text + n, sizeof text - n, " %d", fd);
                shown++;
            } else if (n + 5 < sizeof text) {
                n += (size_t)snprintf(text + n, sizeof text - n, " ...");
            }
            fd_close(m, p, t, fd, true);
        }
    emit_textf(m, EV_PIPE, PIPE_CLOSE, t, -1, -1, "%s", text);
}

bool fds_clone(struct machine *dst, const struct machine *src)
{
    dst->fdtabs = NULL;
    if (!src->fdt_cap)
        return true;
    dst->fdtabs = malloc((size_t)src->fdt_cap * sizeof *dst->fdtabs);
    if (!dst->fdtabs)
        return false;
    memcpy(dst->fdtabs, src->fdtabs, (size_t)src->fdt_cap * sizeof *dst->fdtabs);
    for (int i = 0; i < src->fdt_cap; i++)
        dst->fdtabs[i].fd = NULL;
    for (int i = 0; i < src->fdt_cap; i++) {
        const struct fdtab *s = &src->fdtabs[i];
        struct fdtab *d = &dst->fdtabs[i];
        if (!s->used) {
            d->cap = 0;
            continue;
        }
        d->fd = malloc((size_t)s->cap * sizeof *d->fd);
        if (!d->fd) {
            d->cap = 0;
            fds_free(dst);
            return false;
        }
        memcpy(d->fd, s->fd, (size_t)s->cap * sizeof *d->fd);
    }
    return true;
}

void fds_free(struct machine *m)
{
    for (int i = 0; m->fdtabs && i < m->fdt_cap; i++)
        free(m->fdtabs[i].fd);
    free(m->fdtabs);
    m->fdtabs = NULL;
    m->fdt_cap = 0;
}

/* ---------------------------------------------------------------- watches */

uint32_t file_events(const struct machine *m, int32_t key)
{
    const struct file_ops *ops = file_ops_of(key);
    return ops && ops->events ? ops->events(m, FILE_INDEX(key)) : POLL_NVAL;
}

static int *watch_head(struct machine *m, int32_t key)
{
    return file_ops_of(key)->watch_head(m, FILE_INDEX(key));
}

/* Room in twatch for every task slot; false out of memory. */
static bool twatch_reserve(struct machine *m)
{
    if (m->twatch_cap >= m->task_cap)
        return true;
    int32_t *n = realloc(m->twatch, (size_t)m->task_cap * sizeof *n);
    if (!n)
        return false;
    for (int i = m->twatch_cap; i < m->task_cap; i++)
        n[i] = -1;
    m->twatch = n;
    m->twatch_cap = m->task_cap;
    return true;
}

int fwatch_add(struct machine *m, int32_t key, int fd, uint32_t events, int kind,
               int owner, int64_t data)
{
    if ((kind == FW_TASK && !twatch_reserve(m)))
        goto oom;
    if (m->fw_free < 0) {
        int cap = m->fw_cap ? m->fw_cap * 2 : 64;
        struct fwatch *n = realloc(m->fw, (size_t)cap * sizeof *n);
        if (!n)
            goto oom;
        for (int i = cap - 1; i >= m->fw_cap; i--) {
            n[i] = (struct fwatch){ .onext = m->fw_free };
            m->fw_free = i;
        }
        m->fw = n;
        m->fw_cap = cap;
    }
    int w = m->fw_free;
    struct fwatch *x = &m->fw[w];
    m->fw_free = x->onext;
    int *head = watch_head(m, key);
    *x = (struct fwatch){ .key = key, .fd = fd, .events = events, .kind = (uint8_t)kind,
                          .used = true, .owner = owner, .prev = -1, .next = *head,
                          .onext = -1, .data = data };
    if (*head >= 0)
        m->fw[*head].prev = w;
    *head = w;
    if (kind == FW_TASK) {
        x->onext = m->twatch[owner];
        m->twatch[owner] = w;
    }
    return w;
oom:
    machine_fail(m, (struct srcpos){ 0, 0 }, "out of memory");
    return -1;
}

/* Take watch w off its file's list and free it (not off its owner's). */
static void unlink_free(struct machine *m, int w)
{
    struct fwatch *x = &m->fw[w];
    if (x->prev >= 0)
        m->fw[x->prev].next = x->next;
    else
        *watch_head(m, x->key) = x->next;
    if (x->next >= 0)
        m->fw[x->next].prev = x->prev;
    x->used = false;
    x->onext = m->fw_free;
    m->fw_free = w;
}

void fwatch_remove(struct machine *m, int w)
{
    struct fwatch *x = &m->fw[w];
    if (x->kind == FW_TASK) {
        int *at = &m->twatch[x->owner];
        while (*at != w)
            at = &m->fw[*at].onext;
        *at = x->onext;
    }
    unlink_free(m, w);
}

void fwatch_drop_task(struct machine *m, int s)
{
    if (s >= m->twatch_cap)
        return;
    for (int w = m->twatch[s]; w >= 0;) {
        int next = m->fw[w].onext;
        unlink_free(m, w);
        w = next;
    }
    m->twatch[s] = -1;
}

int fwatch_of_task(const struct machine *m, int s)
{
    return s < m->twatch_cap ? m->twatch[s] : -1;
}

/* A task watching a file wakes, if it is still waiting for it. */
static void wake_watcher(struct machine *m, int s)
{
    struct task *t = &m->tasks[s];
    if (t->state == 'S' && (t->wchan == WC_POLL || t->wchan == WC_HUB))
        task_wake(m, t, WHY_OBJ, 0);
}

void file_changed(struct machine *m, int32_t key)
{
    file_changed_mask(m, key, ~0u);
}

void file_changed_mask(struct machine *m, int32_t key, uint32_t what)
{
    int *head = watch_head(m, key);
    if (*head < 0)
        return;
    uint32_t now = file_events(m, key);
    for (int w = *head; w >= 0;) {
        struct fwatch *x = &m->fw[w];
        int next = x->next;
        uint32_t asked = x->events | POLL_ERR | POLL_HUP;
        if ((now & asked) && (what & asked)) {
            if (x->kind == FW_TASK)
                wake_watcher(m, x->owner);
            else
                epoll_fired(m, w);
        }
        w = next;
    }
}

void fwatch_drop_file(struct machine *m, int32_t key)
{
    int *head = watch_head(m, key);
    while (*head >= 0) {
        int w = *head;
        if (m->fw[w].kind == FW_TASK) {
            int s = m->fw[w].owner;
            fwatch_remove(m, w);
            wake_watcher(m, s);
        } else {
            epoll_dropped(m, w);
            if (*head == w)             /* epoll.c left it: remove it here */
                unlink_free(m, w);
        }
    }
}

bool fwatch_clone(struct machine *dst, const struct machine *src)
{
    dst->fw = NULL;
    dst->twatch = NULL;
    if (src->fw_cap) {
        dst->fw = malloc((size_t)src->fw_cap * sizeof *dst->fw);
        if (!dst->fw)
            return false;
        memcpy(dst->fw, src->fw, (size_t)src->fw_cap * sizeof *dst->fw);
    }
    if (src->twatch_cap) {
        dst->twatch = malloc((size_t)src->twatch_cap * sizeof *dst->twatch);
        if (!dst->twatch) {
            free(dst->fw);
            dst->fw = NULL;
            return false;
        }
        memcpy(dst->twatch, src->twatch, (size_t)src->twatch_cap * sizeof *dst->twatch);
    }
    return true;
}

void fwatch_free(struct machine *m)
{
    free(m->fw);
    free(m->twatch);
    m->fw = NULL;
    m->twatch = NULL;
    m->fw_cap = m->twatch_cap = 0;
}
