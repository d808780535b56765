/*
 * viz.h - procsim-viz, the SDL2 window that animates a recorded run.
 *
 * viz/ is the only code that includes SDL. Everything on screen is a
 * function of the recorded run, the snapshot of the current tick and the
 * UI state (struct viz):
 *
 *   layout.c   viz_layout(): snapshot + size -> rectangles (pure, no SDL
 *              rendering; what the tests assert)
 *   draw.c     viz_draw(): one frame on any SDL_Renderer (a window's, or a
 *              software renderer on a surface for screenshots and tests)
 *   font.c     fontconfig lookup and a cache of rendered text
 *   app.c      loading and reloading, stepping through ticks, animation,
 *              input (viz_handle_event(), fed by SDL or by tests)
 *   main.c     the program: window loop, --screenshot, --bench
 */
#ifndef PROCSIM_VIZ_H
#define PROCSIM_VIZ_H

#include <SDL.h>
#include <SDL_ttf.h>
#include <stdbool.h>
#include <stdint.h>

#include "run.h"

/* ------------------------------------------------------------------ fonts */

struct text_cache;

/* What was drawn as text, for tests that read a frame back: the string,
 * where it went and in which colour. */
struct text_drawn {
    char text[160];
    SDL_Rect r;
    SDL_Color c;
    bool clipped;              /* cut at max_w: part of it is not on screen */
};
#define TEXT_LOG_MAX 2048
struct text_log {
    struct text_drawn e[TEXT_LOG_MAX];
    int n;
};

struct font {
    TTF_Font *regular, *bold, *small;
    int size;                  /* pixel size of `regular` */
    int line;                  /* line height of `regular` */
    int small_line;
    int small_advance;         /* width of one character of `small` (monospace) */
    int advance;               /* width of one character of `regular` */
    struct text_cache *cache;
    struct text_log *log;      /* when set, font_draw records every string */
};

/* Find DejaVu Sans Mono through fontconfig (or use `path`) and open it at
 * `px` pixels. On failure returns false and writes a message naming the
 * Debian package into msg. */
bool font_open(struct font *f, const char *path, int px, char *msg, size_t msgsize);
void font_close(struct font *f);

enum font_style { FONT_REGULAR, FONT_BOLD, FONT_SMALL };

/* Draw text with its top-left at (x, y), clipped to max_w pixels when
 * max_w > 0; returns the width drawn. Rendered text is cached. */
int font_draw(struct font *f, SDL_Renderer *r, enum font_style st, const char *text,
              SDL_Color c, int x, int y, int max_w);
int font_width(struct font *f, enum font_style st, const char *text);
/* Forget every cached texture (they belong to one renderer). */
void font_flush(struct font *f);

/* ----------------------------------------------------------------- layout */

/* The board's groups, left to right. */
enum group { G_RUNNING, G_QUEUE, G_SLEEPING, G_DISK, G_STOPPED, G_ZOMBIE, G_COUNT };

#define LAYOUT_MAX_CARDS 512
#define LAYOUT_TID_SLOTS 1024

struct card {
    int task;                  /* index into snapshot.tasks */
    int tid, pid;
    enum group group;
    int order;                 /* place within its group */
    SDL_Rect r;
};

struct layout {
    int w, h;                  /* window size in pixels */
    int unit;                  /* base spacing, scales with the font */
    SDL_Rect header, notes, cpu_lanes, proc_lanes, board, tree, events, inspector;
    SDL_Rect objects;          /* shared objects and the wait-for graph (w 0: none) */
    SDL_Rect bar;              /* the bottom line: hints, status, an error */
    int legend_row;            /* 1: the legend has a header row of its own */
    int title_rows;            /* rows the title takes (it wraps when too long) */
    int title_per;             /* characters of the title beside the legend */
    SDL_Rect groups[G_COUNT];  /* the board's columns */
    bool group_wide[G_COUNT];  /* false: a state the run never has, a narrow column */
    bool selected, present;    /* laid out for a selection, for presenting */
    int foot_h;                /* the foot of each column: "+N more", a terminal */
    int lane_h;                /* height of one lane */
    int label_w;               /* width of the lanes' labels */
    struct card cards[LAYOUT_MAX_CARDS];
    int ncards;
    short by_tid[LAYOUT_TID_SLOTS];   /* a hash of tids: card index + 1, 0 empty */
};

/* What the layout depends on besides the snapshot. */
struct layout_in {
    const struct snapshot *snap;
    int w, h;                  /* window, pixels */
    int line, small_line;      /* line heights of the regular and small fonts */
    int adv, small_adv;        /* their character widths (monospace) */
    int lanes;                 /* process lanes in view */
    const int *scroll;         /* per board group: cards scrolled out (or NULL) */
    unsigned groups;           /* bit g: the run has tasks in group g at some tick */
    int title_chars;           /* the title's length */
    const char *title;
    const char *const *notes;  /* the lesson's paragraphs */
    int nnotes;
    int objects;               /* lines the objects panel needs; 0: no panel */
    bool graph;                /* tasks wait for locks: room for the wait-for graph */
    int chans;                 /* pipes and queues in the snapshot (a wider panel) */
    int tree_rows;             /* processes in the tree */
    int inspector_lines;       /* lines of the selected task's PCB and program */
    int bar_lines;             /* lines of the bottom bar (an error may need several) */
    bool present;              /* presentation mode */
    bool selected;             /* a task is selected */
    bool forks;                /* the run has more than one process under init */
    bool net;                  /* sockets or select calls: the widest panel */
    int src_lines;             /* a Python run: its .py lines (the inspector
                                  shows them), 0 otherwise */
    int src_chars;             /* and its widest line with the line numbers:
                                  the right column widens for it */
};
void viz_layout_in(const struct layout_in *in, struct layout *out);
/* How many lines `s` takes wrapped at `per` characters (at spaces). */
/* Where to end a line of at most `per` characters of s: at a space. */
int wrap_cut(const char *s, int per);
int wrap_count(const char *s, int per);
/* The describe lines as paragraphs: a line that does not end a sentence
 * continues on the next (authors wrap long notes by hand; the panel wraps
 * them again at its own width). */
int note_paragraphs(const struct scenario *scn, char *buf, size_t n, const char **para, int max);
int legend_width(const struct layout_in *in);

/* Place everything for this snapshot in a w x h window whose font line is
 * `line` pixels, with room for `lanes` process lanes; each board group's
 * first `scroll[g]` cards are scrolled out of view (scroll may be NULL).
 * Pure: depends only on its arguments. */
void viz_layout(const struct snapshot *s, int w, int h, int line, int lanes, const int *scroll,
                struct layout *out);

/* The board's cards (the layout's last step, in cards.c): for each group
 * the tasks from its scroll position on that fit its column above its
 * foot (out->foot_h), in card order; cards card_h pixels high. */
void layout_cards(const struct snapshot *s, int line, int card_h, const int *scroll,
                  struct layout *out);

/* The regular font size for a w x h pixel window with k pixels per point
 * (HiDPI): it grows with the window, so a projector gets larger text rather
 * than more empty space; larger still in presentation mode. */
int viz_font_px(int w, int h, float k, bool present);

/* Rebuild the tid hash of out->cards (after cards moved or left). */
void layout_index_cards(struct layout *out);

/* The card of a task (by tid), or NULL. */
const struct card *layout_card(const struct layout *l, int tid);

/* The group a task's card belongs in. */
enum group group_of(const struct snap_task *t);

/* ------------------------------------------------------------------ lanes */

/* One process lane: a task's life in the run. */
struct lane {
    int tid;
    int pid;                   /* its process (tid for a main thread) */
    int prog;                  /* a thread's program; a process's at its end */
    bool thread;
    int64_t from, to;          /* it exists in [from, to); to -1: to the end */
    char name[TASK_NAME_LEN];  /* a thread's name (its start event's text:
                                  Python's Thread.name), "" none */
};

struct viz;
/* Build the lanes of the loaded run (after its state index). */
bool lanes_build(struct viz *v);
/* The lanes whose life overlaps ticks [t0, t1], in display order: writes
 * up to `max` indices into v->lanes, skipping the first `skip`; returns
 * how many there are in all. */
int lanes_in_view(const struct viz *v, int64_t t0, int64_t t1, int skip, int *out, int max);

/* ------------------------------------------------- pipes and queues */

/* Where one pipe's or queue's block goes in the objects panel (chans.c):
 * rectangles and the strings drawn in them, from the snapshot alone. */
#define CHAN_MAX_CHIPS (2 * SNAP_MAX_WAITERS)
/* One direction of a pipe: a duplex pipe has two (its messages to end 0
 * flow right, to end 1 flow left: end 1 is drawn on the left, end 0 on
 * the right); a simplex pipe and a queue have one. */
struct chan_lane {
    int reader;                /* the end that reads what is in it */
    bool leftward;             /* flows right to left */
    SDL_Rect tube;             /* the messages' tube */
    SDL_Rect tail, head;       /* its ends: messages go in at the tail, out at the head */
    int route_y;               /* a free row under the tube, where arrows to and
                                  from its far end run to the panel's edge */
    int ncells;                /* messages shown; cell[0] is the head's (next out) */
    SDL_Rect cell[SNAP_MAX_MSGS];
    int msg[SNAP_MAX_MSGS];    /* each cell's index in snap_chan.msgs */
    char cell_text[SNAP_MAX_MSGS][SNAP_MSG_TEXT + 4];
    SDL_Rect more;             /* "+N": messages not shown (w 0: none) */
    char more_text[16];
};

/* Where one pipe's or queue's block goes in the objects panel (chans.c):
 * rectangles and the strings drawn in them, from the snapshot alone. */
struct chan_geom {
    int chan;                  /* index into snapshot.chans */
    SDL_Rect box;              /* the whole block */
    char title[64];            /* "pipe p (simplex)", left of the title row */
    int title_x, title_y;      /* where it goes (a short panel: left of the tube) */
    char fill_text[96];        /* "3 msgs, 45 B of 64 KiB", right of it */
    struct chan_lane lane[2];
    int nlanes;
    SDL_Rect buffer;           /* a Queue's feeder buffers, left of its pipe (w 0: none) */
    char buffer_text[24];
    SDL_Rect bar;              /* bytes used of the capacity (w 0: no bar) */
    int bar_fill;              /* pixels of it filled */
    bool bar_full;
    int row_y;                 /* the holders' row */
    char tail_text[96], head_text[96];   /* left and right of that row */
    bool tail_alarm, head_alarm;   /* an end closed by all, a queue full */
    SDL_Rect wlabel, rlabel;   /* "send:" / "recv:" before the waiters (w 0: none) */
    char wlabel_text[8], rlabel_text[8];
    int nchips;                /* waiting tasks */
    SDL_Rect chip[CHAN_MAX_CHIPS];
    int chip_tid[CHAN_MAX_CHIPS];
    bool chip_reader[CHAN_MAX_CHIPS];
    char note[96];             /* "2 waits but holds w itself: no EOF", or "" */
    int note_y;
};
#define VIZ_MAX_CHANS 32

/* Place the snapshot's pipes and queues in `area`, stacked from its top,
 * for a small font of line height sl and advance adv; returns how many
 * fit (at most max). Pure. */
int chans_layout(const struct snapshot *s, const struct scenario *scn, SDL_Rect area, int sl,
                 int adv, struct chan_geom *out, int max);
/* The lines of small text the channels need (for the layout's request). */
int chans_lines(const struct snapshot *s);
/* The index in c->msgs of the next message out of `lane`, or -1. */
int chan_head_msg(const struct snap_chan *c, int lane);
/* s cut to max characters, an ellipsis at the end when cut. */
void chan_cut(const char *s, int max, char *out, size_t n);
/* The fd table of process pid, as `ls -l /proc/PID/fd` would list it: a
 * heading, 0 1 2 (the terminal) as one line, then one line per pipe end
 * ("3      pipe r, w: read end (r)"); returns the count. */
#define FD_LINES_MAX 16
#define FD_LINE 128
int fd_table_lines(const struct snapshot *s, const struct scenario *scn, int pid,
                   char lines[][FD_LINE], int max);

/* flows.c: a message or failure of this tick between a task and a pipe or
 * queue (from the events, through a table of the IPC event kinds). */
struct flow {
    int chan;                  /* index into snapshot.chans */
    int tid;                   /* the task: sender, reader, failing caller */
    bool into;                 /* card -> tube (a send, a put, a Full) */
    bool head;                 /* at the head (reads) or the tail (writes) */
    bool buffer;               /* into a Queue's feeder buffer (a put) */
    bool feed;                 /* from the feeder buffer into the pipe */
    bool alarm;                /* EOF, SIGPIPE, EPIPE, Full, Empty, a timeout */
    int lane;                  /* the lane of the pipe (chan_geom.lane) */
    int from;                  /* the message's sender (its tint), 0 none */
    char label[64];            /* the message's repr, cut, or the word */
};
int flows_at(const struct viz *v, struct flow *out, int max);

/* ------------------------------------------------- pools and executors */

/* Where one pool's or executor's block goes in the objects panel (pools.c),
 * from the snapshot alone: a title row (`Pool(4) p  (pid 2)` and its state
 * and counts), the task queue as a tube of chips (head at the right: the
 * next task a free worker takes), the workers as cards in a row (or, when
 * there are too many for cards, a grid of cells), and the last results. */
#define POOL_CHIP_TEXT 48
#define POOL_CARD_LINES 3
struct pool_geom {
    int pool;                  /* index into snapshot.pools */
    SDL_Rect box;              /* the whole block */
    char title[64];
    char status[96];           /* "running: 7 submitted, 2 completed", right of the title */
    bool status_alarm;         /* terminated with tasks that never run */
    int title_y;
    /* the task queue */
    SDL_Rect tube, tail, head; /* tasks go in at the tail (left), out at the head */
    int nchips;                /* pending tasks shown; chip[0] is the head's */
    SDL_Rect chip[SNAP_MAX_JOBS];
    int chip_job[SNAP_MAX_JOBS];   /* index into snap_pool.pending */
    char chip_text[SNAP_MAX_JOBS][POOL_CHIP_TEXT];
    SDL_Rect more;             /* "+N" tasks not shown (w 0: none) */
    char more_text[16];
    char empty_text[32];       /* "queue", at the tail; in an empty tube
                                  "queue: no task waiting" */
    /* the workers: cards (grid false) or the cells of a grid */
    bool grid;
    int ncards;
    SDL_Rect card[SNAP_MAX_POOL_WORKERS];
    int card_worker[SNAP_MAX_POOL_WORKERS];    /* index into snap_pool.workers */
    int card_lines;            /* text lines in each card (0: a bare cell) */
    char card_text[SNAP_MAX_POOL_WORKERS][POOL_CARD_LINES][POOL_CHIP_TEXT];
    char workers_text[96];     /* under a grid: "64 workers: 60 busy, 4 idle" */
    int workers_y;
    /* the last results, newest first */
    SDL_Rect rlabel;
    char rlabel_text[16];
    int nres;
    SDL_Rect res[SNAP_MAX_DONE];
    int res_job[SNAP_MAX_DONE];    /* index into snap_pool.done */
    char res_text[SNAP_MAX_DONE][POOL_CHIP_TEXT];
    int route_y;               /* a free row under the block for result arrows */
};
#define VIZ_MAX_POOLS 8

/* Place the snapshot's pools in `area`, stacked from its top; returns how
 * many fit (at most max). facts[i] (when not NULL) adds what the trace
 * says of pool i. Pure. */
/* What the trace says of a pool that its snapshot does not. */
struct pool_facts {
    /* each busy worker's task as the trace said it when the worker took
     * it ("4: f(4)"; "" when not found) */
    char running[SNAP_MAX_POOL_WORKERS][POOL_CHIP_TEXT];
    int never;                 /* terminated, leaving this many tasks that
                                  never run; -1: not terminated */
    char pending[SNAP_MAX_JOBS][POOL_CHIP_TEXT];   /* the queued tasks
                                  listed, as the trace said them when
                                  they were submitted ("3: cpu(3)"), "" */
    int replaces[SNAP_MAX_POOL_WORKERS];   /* a new worker (no task done
                                  yet): the pid of the worker it replaces
                                  (maxtasksperchild), 0 none */
};
int pools_layout(const struct snapshot *s, const struct scenario *scn, SDL_Rect area, int sl,
                 int adv, const struct pool_facts *facts, struct pool_geom *out, int max);
/* The facts of each pool (facts[i] for snapshot.pools[i]) into
 * v->pool_facts, by each seek. */
void pool_trace_facts(struct viz *v);
/* Lines of small text the pools need (for the layout's request). */
int pools_lines(const struct snapshot *s);
/* "4: f(4)": a task as its chip says it (its number, the call). */
void pool_job_text(const struct snap_job *j, char *out, size_t n);
/* "Pool(4) p", "ThreadPoolExecutor(4) ex": the size the scenario asks for
 * (`pool p 4`; `pool p` the CPUs; a ThreadPoolExecutor min(32, CPUs + 4)),
 * not how many workers live now (a closed pool's exit one by one). */
void pool_kind_text(const struct snapshot *s, const struct scenario *scn,
                    const struct snap_pool *p, char *out, size_t n);
/* The inspector's lines about tid's pools: as a worker (its pool and its
 * task), as an owner (its pools, busy workers, waiting tasks), as a pool's
 * result handler. Returns the count. */
int pool_inspector_lines(const struct snapshot *s, const struct scenario *scn,
                         const struct pool_facts *facts, int tid, char lines[][FD_LINE],
                         int max);

/* What a pool does in this tick, from the snapshot of this tick and the
 * next one: a task submitted (owner -> queue), taken (queue -> worker), a
 * result (worker -> the owner's result handler). */
enum pool_flow_kind { PF_SUBMIT, PF_TAKE, PF_RESULT };
struct pool_flow {
    int pool;                  /* index into snapshot.pools */
    enum pool_flow_kind kind;
    int job;                   /* the task's number */
    int worker;                /* index into snap_pool.workers (take, result), -1 */
    int tid;                   /* the card at the far end (owner, handler), 0 */
    bool alarm;                /* a failure: red */
    int row;                   /* a take: which row of the gap under the
                                  queue it runs along (so that two takes
                                  in one tick do not share a stretch) */
    char label[POOL_CHIP_TEXT];
};
int pool_flows_at(const struct viz *v, struct pool_flow *out, int max);
/* pools.c: the blocks in `area` of the objects panel; returns the y under them. */
int draw_pools(struct viz *v, SDL_Renderer *r, SDL_Rect area);
/* Their flows: the arrows under the cards, the riding chips over them. */
void draw_pool_paths(struct viz *v, SDL_Renderer *r);
void draw_pool_flows(struct viz *v, SDL_Renderer *r, SDL_Rect *taken, int *ntaken, int max_taken);
bool pool_flow_leaves(const struct viz *v, int pool, int job);
/* The worker (its tid) whose card or cell is at (x, y) as last drawn, or 0. */
int pool_worker_at(const struct viz *v, int x, int y);

/* flows.c, shared with pools.c: a path of straight stretches, routed from
 * a point of the objects panel to a card (by the gap left of the panel). */
#define PATH_MAX_POINTS 8
struct path {
    int n;
    SDL_Point p[PATH_MAX_POINTS];
};
int path_to_card(SDL_Point from, const SDL_Rect *card, int gap_x, SDL_Point *q, int n);
void path_draw(SDL_Renderer *r, const struct path *p, SDL_Color c);
SDL_Point path_along(const struct path *p, float t);
/* How far this tick's moving things have got (0 to 1, eased; 1 at rest). */
float flow_progress(const struct viz *v);
/* The x of the gap left of the objects panel, where lines run down. */
int flow_gap_x(const struct layout *l);

/* ------------------------------------------ sockets, the network, select */

/* Where the sockets, their connections, the packets on the loopback and
 * the select/poll/epoll calls go in the objects panel (net.c), from the
 * snapshot alone. Two sides with the network between them: processes
 * that listen or accept (servers) on the left, the others (clients) on
 * the right; under each process its sockets as boxes (the fd and state,
 * then the send and receive buffers as tubes, or a listener's backlog as
 * cells) and its last select/poll/epoll_wait. A connection is a line from
 * a box's network edge to its peer's; packets ride these lines. When the
 * sockets do not all fit, each process shows its most interesting ones
 * and a "+N more" row that stands for the rest (their connections are one
 * line with a count). */
#define NET_MAX_GROUPS 24
#define NET_MAX_BOXES 96
#define NET_MAX_LINKS 96
#define NET_MAX_PKTS 48
#define NET_MAX_MUX 8
#define NET_MAX_CELLS 16           /* backlog cells drawn one by one */
#define NET_MAX_CHIPS 24           /* fds drawn per select/poll/epoll */
#define NET_TEXT 96

struct net_box {
    int sock;                  /* index into snapshot.socks */
    int group;                 /* index into net_geom.groups */
    int fd;                    /* the fd its process knows it by, -1 */
    SDL_Rect r;                /* the box */
    SDL_Point port;            /* where its connection lines attach */
    char text[NET_TEXT];       /* "fd 4 ESTAB :8080", fitted to the box */
    bool ready;                /* its process's select/poll/epoll returned it ready */
    int nwait;                 /* waiting tasks shown as chips on its text row */
    SDL_Rect wait_chip[2];
    int wait_tid[2];
    char wait_more[16];        /* "+3" beyond those, "" */
    /* the buffers: tubes filling and draining (w 0: none) */
    SDL_Rect snd, rcv;
    int snd_fill, rcv_fill;    /* pixels filled */
    bool snd_full, rcv_full;
    char snd_text[32], rcv_text[32];
    /* a listener: its backlog as cells, or a bar when listen(n) is large */
    int ncells;
    SDL_Rect cell[NET_MAX_CELLS];
    int cells_used;
    SDL_Rect backlog_bar;      /* w 0: none */
    int backlog_fill;
    char backlog_text[32];
    int backlog_x, backlog_y;  /* where that text goes */
    bool backlog_full;
};

struct net_group {             /* a process and what it has on one side */
    int pid;                   /* 0: sockets no process holds any more */
    bool left;
    SDL_Rect head;             /* its title row */
    char title[48];
    int first_box, nboxes;
    int hidden;                /* sockets not drawn, counted in the more row */
    SDL_Rect more;             /* "+997 more: 997 ESTAB" (w 0: none) */
    bool more_in_head;         /* no box: the title row counts them ("pid 2
                                  server: 1002 sockets") and is `more` */
    char more_text[NET_TEXT];
    SDL_Point more_port;
    int score;                 /* how much it has going on (which to keep) */
};

struct net_link {              /* a connection (or many, aggregated) */
    struct path path;
    int a, b;                  /* endpoints: box index, or -(group + 1) for
                                  a group's more row */
    int count;                 /* connections it stands for */
    char label[24];            /* "997" on an aggregated line, "" */
    SDL_Rect label_r;
};

struct net_pkt {               /* a packet on a line */
    int packet;                /* index into snapshot.packets */
    struct path path;          /* from its sender's port to its receiver's */
    char text[48];             /* "SYN", "12 B", "dgram 5 B" */
    bool alarm;                /* RST: red */
    bool lost;                 /* a datagram that will be dropped: fades */
    int w, h;                  /* its chip's size */
};

struct net_mux {               /* a task's select/poll/epoll_wait */
    int mux;                   /* index into snapshot.muxes */
    int group;
    SDL_Rect r;
    char text[NET_TEXT];       /* "select t6: 3 watched, 1 ready" */
    int nchips;
    SDL_Rect chip[NET_MAX_CHIPS];
    int chip_fd[NET_MAX_CHIPS];
    bool chip_ready[NET_MAX_CHIPS];
    char more_text[16];        /* "+998", "" */
    SDL_Rect more;
    char cost_text[64];        /* "cost 30 ticks of CPU", "waits since tick 7" */
    int cost_y;
};

struct net_geom {
    SDL_Rect box;              /* the whole block */
    char title[NET_TEXT];      /* "network: loopback, latency 1 tick" */
    char summary[NET_TEXT];    /* "3 sockets: 1 LISTEN, 2 ESTAB; 1 connection" */
    int summary_y;
    SDL_Rect strip;            /* the network between the two sides */
    int ngroups, nboxes, nlinks, npkts, nmuxes;
    struct net_group groups[NET_MAX_GROUPS];
    struct net_box boxes[NET_MAX_BOXES];
    struct net_link links[NET_MAX_LINKS];
    struct net_pkt pkts[NET_MAX_PKTS];
    struct net_mux muxes[NET_MAX_MUX];
    int hidden_groups[2];      /* processes left out, per side (0 left, 1 right) */
    SDL_Rect hidden_row[2];
    char hidden_text[2][NET_TEXT];
    int hidden_pkts;           /* packets between sockets not drawn */
    char note[NET_TEXT];       /* under the strip: "2 packets not drawn", "" */
};

/* Place the snapshot's sockets, connections and multiplexing calls, and
 * the packets of `wire` (the state at the end of the tick, which holds
 * those sent in it; NULL: s's own), in `area` for a small font of line
 * height sl and advance adv; returns the y under the block (area.y when
 * there is nothing). Pure. */
int net_layout(const struct snapshot *s, const struct snapshot *wire, const struct config *cfg,
               SDL_Rect area, int sl, int adv, struct net_geom *out);
/* Where the packets come from: the end of the tick when there is one. */
const struct snapshot *net_wire(const struct viz *v);
/* Lines of small text the block wants (for the layout's request). */
int net_lines(const struct snapshot *s);
/* Does the snapshot have anything for it (sockets, packets, a select)? */
bool net_any(const struct snapshot *s);
/* ss's names for a socket's state and type ("ESTAB", "tcp"). */
const char *net_state_name(int state);
const char *net_type_name(int type);
/* The socket with this id (snap_sock.id), or NULL. */
const struct snap_sock *net_sock(const struct snapshot *s, int id);
/* The fd table's lines for a socket or epoll fd (fd_table_lines): as
 * ls -l /proc/PID/fd names it ("4      socket:[2] tcp ESTAB :8080 <->
 * :40001"), then, for a socket, what ss adds (queues, backlog, options)
 * indented under it. Returns how many (at most max). */
int net_fd_lines(const struct snapshot *s, const struct snap_fd *f, char lines[][FD_LINE],
                 int max);
/* The inspector's lines about thread tid's select/poll/epoll_wait and its
 * greenlets. Returns the count. */
int net_inspector_lines(const struct snapshot *s, int tid, int64_t tick, char lines[][FD_LINE],
                        int max);
/* Where packet p is along its path, 0 to 1, at `phase` (0 to 1) of the
 * way through tick `tick` (it covers one tick's stretch of its trip a
 * tick; a screenshot shows it half way through). */
float net_packet_frac(const struct snap_packet *p, int64_t tick, float phase);
/* The task to select for a click at (x, y) on the block as last drawn: a
 * waiting task's chip, a select row's caller, a process's title or one of
 * its sockets (its main thread); 0 none. */
int net_task_at(const struct viz *v, int x, int y);
/* The lines a tip over socket box b says: its process and fd as
 * ls -l /proc/PID/fd names it, ss's queues, the first bytes waiting.
 * Returns the count. */
int net_box_tip(const struct viz *v, const struct net_box *b, char lines[][FD_LINE], int max);
/* netdraw.c: the tip of the socket box under the mouse, over the panel. */
void draw_net_hover(struct viz *v, SDL_Renderer *r);
/* netdraw.c: the block (still part), and the packets on it (every frame). */
int draw_net(struct viz *v, SDL_Renderer *r, SDL_Rect area);
void draw_net_packets(struct viz *v, SDL_Renderer *r);

/* greens.c: greenlets as lanes inside their thread's card. The layout's
 * last step makes those cards taller (a row per greenlet, up to
 * GREEN_MAX_ROWS) and moves the cards under them down; draw_greens paints
 * the lanes over the cards. */
#define GREEN_MAX_ROWS 6
void layout_green_cards(const struct snapshot *s, int sl, struct layout *out);
int green_rows(const struct snapshot *s, int tid);
void green_lane_text(const struct snap_green *g, int64_t tick, char *out, size_t n);
/* Paint task t's lanes at the foot of its card rc (drawn with alpha), its
 * text starting pad pixels in. */
struct snap_task;
void draw_green_lanes(struct viz *v, SDL_Renderer *r, const struct snap_task *t, SDL_Rect rc,
                      int pad, float alpha);


/* ------------------------------------------- a Python run's source (issue 14) */

/* source.c: the .py source in the inspector, each thread's current line
 * marked. source_view is what is shown, from the snapshot alone: lines
 * first .. first + rows - 1 of nlines, and the marks (a thread on a line). */
#define SRC_MAX_MARKS 64
struct src_mark {
    int line, tid;
    char state;                /* its state: the chip's colour */
    bool running, handler;     /* on a CPU; in a signal handler */
    bool sel;                  /* the selected thread */
    char label[16];            /* "pid 2", "t5" */
};
#define SRC_MAX_ROWS 256
struct source_view {
    int nlines;                /* the .py file's */
    int first;                 /* the first line shown */
    int nrows;                 /* rows shown: line[i] is row i's line, 0 for
                                  a fold (lines between marks left out) */
    int line[SRC_MAX_ROWS];
    int sel_line;              /* the selected thread's line, 0 none */
    int nmarks;
    struct src_mark marks[SRC_MAX_MARKS];
};
struct viz;
/* A run translated from Python, with its .py source. */
bool viz_python(const struct viz *v);
int source_nlines(const struct scenario *s);
/* Its widest line, in characters (tabs to 4). */
int source_width(const struct scenario *s);
/* The view of `rows` lines for process pid's threads (every task when
 * pid is 0), sel_tid selected: lines in a row, all the marked ones when
 * they fit; else each marked line with context and the lines between
 * folded; else the selected thread's (or the most marks) in a row. */
void source_view(const struct snapshot *snap, const struct scenario *scn, int pid, int sel_tid,
                 int rows, struct source_view *out);
/* Line l as drawn in `max` characters: tabs expanded; too long, without
 * its comment, then cut with an ellipsis. */
void source_text(const struct scenario *s, int l, int max, char *buf, size_t n);
/* Is line shown in sv? */
bool source_shows(const struct source_view *sv, int line);
/* Draw it in area (a heading line, then the lines); returns the y under. */
int draw_source(struct viz *v, SDL_Renderer *r, SDL_Rect area, int pid, int sel_tid);

/* ------------------------------------------------------------- app state */

/* Card animation: where a task's card was and is going. */
struct anim {
    int tid;
    SDL_Rect from, to;
    uint32_t start;            /* ms */
    float alpha_from, alpha_to;
    bool fading;               /* a reaped zombie on its way out */
    char label[48];
};

#define VIZ_MAX_ANIMS 1024
#define VIZ_MAX_ADDED 64

/* The process tree's rows as last drawn, so a reparented process's edge
 * can swing from where its old parent was to its new parent. */
struct tree_row {
    int pid;
    int x, y;                  /* the row's state marker, top-left */
};
#define VIZ_TREE_ROWS 256

struct tree_swing {
    int pid;                   /* the orphan */
    int from_x, from_y;        /* its old parent's marker */
    uint32_t start;            /* ms */
};
#define VIZ_MAX_SWINGS 32
#define SWING_MS 700

struct viz {
    /* what is loaded */
    char path[512];
    char *src;                 /* the file's text */
    struct scenario *scn;
    struct config cfg;
    struct run *run;
    char error[1024];          /* the last load error ("" none) */
    bool error_is_reload;      /* the error came from a reload: the old run stays */
    int64_t mtime;             /* the file's modification time at load */
    /* where we are */
    int64_t tick;
    struct snapshot snap;
    bool playing;
    int speed;                 /* ticks per second when playing */
    double play_acc;           /* fractional ticks accumulated */
    /* UI */
    int selected_tid;          /* inspector's task, 0 none */
    int hover_tid;
    int mouse_x, mouse_y;
    bool help;
    bool present;              /* presentation mode (F5): larger, only the lesson's panels */
    bool dragging;             /* on the timeline */
    bool quit;
    int event_scroll;          /* events panel: lines scrolled back */
    int notes_scroll;          /* "what to watch": lines scrolled down */
    int lanes_scroll;          /* process lanes: rows scrolled down */
    int board_scroll[G_COUNT]; /* each board group: cards scrolled down */
    char status[768];          /* a one-line message ("saved shot.png") */
    uint32_t status_until;
    /* signals sent from the window (recomputed runs), can be undone */
    struct outside added[VIZ_MAX_ADDED];
    int nadded;
    /* animation */
    struct anim anims[VIZ_MAX_ANIMS];
    int nanims;
    uint32_t now;              /* ms clock the animations use */
    struct tree_row tree_rows[VIZ_TREE_ROWS];
    int ntree_rows;
    struct tree_swing swings[VIZ_MAX_SWINGS];
    int nswings;
    bool animate;              /* off for screenshots and tests */
    /* drawing */
    struct font font;
    struct layout layout;
    int w, h;
    char shot_path[512];       /* S saves here */
    bool want_shot;            /* S was pressed: the loop saves a PNG */
    int *state_index;          /* per tid: first index into state_order */
    int *state_order;          /* trace.states indices grouped by tid */
    int state_index_n;         /* entries in state_index (pid_max + 1) */
    /* Indexes of the snapshot, rebuilt by each seek, so that drawing finds
     * a task or a process's children without searching all the tasks. */
    int *task_at;              /* per tid: index in snap.tasks + 1, 0 none */
    int *first_child;          /* per pid: its first child's pid (pid order), 0 none */
    int *next_sibling;         /* per pid: the next child of its parent, 0 none */
    int *anim_at;              /* per tid: scratch for retarget, all 0 between uses */
    int index_n;               /* entries in each (pid_max + 1) */
    struct lane *lanes;        /* every task life of the run */
    int nlanes;
    int lane_rows[LAYOUT_MAX_CARDS];  /* indices into lanes, as last drawn */
    int nlane_rows;
    /* the still part of the frame while cards glide (layer.c) */
    SDL_Texture *layer;
    SDL_Renderer *layer_r;     /* the renderer it belongs to */
    int layer_w, layer_h;
    bool layer_ok;             /* it holds the still part of the last frame */
    bool layer_drawing;        /* this frame's still part is going into it */
    bool reuse_layer;          /* set by the caller: since the last frame only
                                  time has passed (no input, seek, reload) */

    /* the pipes and queues as last drawn (chans.c), for the flows */
    struct chan_geom chan_geom[VIZ_MAX_CHANS];
    int nchan_geom;
    /* the pools as last drawn (pools.c), and the next tick's snapshot
     * (when the run has pools): what changes between them moves */
    struct pool_geom pool_geom[VIZ_MAX_POOLS];
    int npool_geom;
    struct snapshot next;
    bool has_next;
    struct pool_facts pool_facts[VIZ_MAX_POOLS];   /* pool_trace_facts() */
    struct net_geom net;       /* the sockets as last drawn (net.c) */
    bool net_drawn;
    /* The state at the end of this tick (run_state_after), when the run has
     * sockets: the packets on the network come from it. */
    struct snapshot wire;
    bool has_wire;
    uint32_t flow_start;       /* ms: when this tick's messages set off */
    /* Tests: called on each new snapshot before it is laid out (to add
     * what a test wants drawn). NULL in the window. */
    void (*snap_hook)(struct snapshot *s, void *arg);
    void *snap_hook_arg;

    unsigned groups;           /* board groups the run ever has (layout_in.groups) */
    int bar_lines;             /* lines of the bottom bar, as laid out */
};

/* The span of ticks a timeline in `area` shows (following the cursor):
 * the first tick and pixels per tick. Lanes start after the labels. */
void viz_timeline_span(const struct viz *v, const SDL_Rect *area, int64_t *t0,
                       double *px_per_tick);

/* The visible state of task `tid` during `tick`, from the trace:
 * 'R','S','D','T','Z', or 0 when it did not exist. */
char viz_state_at(const struct viz *v, int tid, int64_t tick);

/* The task with this tid in the current snapshot, or NULL. */
const struct snap_task *viz_task(const struct viz *v, int tid);

/* Load `path`. On a parse error: the first load keeps an empty run and
 * shows the error; a reload keeps the last good run and shows the error in
 * a banner. Returns true when the file loaded. */
bool viz_load(struct viz *v, const char *path);
bool viz_reload(struct viz *v);
void viz_free(struct viz *v);

/* Lay the window out again (the size, the selection or the mode changed). */
void viz_relayout(struct viz *v);

/* Go to a tick (clamped) and refresh the snapshot and animations. */
void viz_seek(struct viz *v, int64_t tick);
int64_t viz_end_tick(const struct viz *v);

/* The next / previous tick with events, or -1. */
int64_t viz_next_event_tick(const struct viz *v, int64_t from, int dir);

/* Send a signal from the window to the selected process at the current
 * tick (recomputes the run); KEY_SIGNAL_* below. */
bool viz_send(struct viz *v, int kind, int sig);
/* Forget the signals sent from the window. */
void viz_undo_sent(struct viz *v);
/* Append the sent signals to the scenario file as `at` lines. */
bool viz_save_sent(struct viz *v);

/* Handle one SDL event (keyboard, mouse, window). The window loop and the
 * tests both call this. */
void viz_handle_event(struct viz *v, const SDL_Event *e);

/* How far an animation has got, 0 to 1 (eased out over 250 ms; 1 when
 * animation is off, as in screenshots). */
float viz_anim_progress(const struct viz *v, const struct anim *a);

/* Is anything moving (playback, a card glide, a swing, a status line about
 * to go)? When not, the window does not need redrawing until an event. */
bool viz_busy(const struct viz *v);

/* Advance playback by dt milliseconds. */
void viz_update(struct viz *v, uint32_t dt_ms);

/* objects.c: the objects panel (shared objects, GILs, the wait-for graph). */
void draw_objects(struct viz *v, SDL_Renderer *r);
/* chans.c: the pipes and queues in `area` of the objects panel; returns
 * the y under them. */
int draw_chans(struct viz *v, SDL_Renderer *r, SDL_Rect area);
/* flows.c: this tick's messages and failures as arrows (labels placed
 * among `taken`), the lines from waiters to their cards (under the cards),
 * whether a message is still on its way, whether channel c's head message
 * leaves in this tick. */
void draw_flows(struct viz *v, SDL_Renderer *r, SDL_Rect *taken, int *ntaken, int max_taken);
void draw_waiter_lines(struct viz *v, SDL_Renderer *r);
bool flows_moving(const struct viz *v);
bool flow_leaves_head(const struct viz *v, int chan, int lane);
/* draw.c: a free place for a w x h label along the line (x1,y1)-(x2,y2),
 * inside the board, over no card and none of `taken`. */
bool viz_label_spot(const struct layout *l, int x1, int y1, int x2, int y2, int w, int h,
                    const SDL_Rect *taken, int ntaken, SDL_Rect *out);
/* arrays.c: the shared arrays as rows of cells in `area`; returns the y
 * under them. array_lines: the lines of small text they need.
 * array_lost_ticks: for items 0 .. n-1 of array obj, the tick of each
 * one's last lost update up to this tick (-1 none). */
int draw_arrays(struct viz *v, SDL_Renderer *r, SDL_Rect area);
int array_lines(const struct viz *v);
void array_lost_ticks(const struct viz *v, int obj, int64_t *last, int n);
/* Is tid on a cycle of the wait-for graph (a deadlock)? */
bool viz_in_cycle(const struct viz *v, int tid);

/* Draw the frame for the current state. */
void viz_draw(SDL_Renderer *r, struct viz *v);

/* draw.c: a filled rectangle and an outline in colour c (blended only when
 * c is not opaque), for every part of the window that draws boxes. */
void viz_fill(SDL_Renderer *r, SDL_Rect rc, SDL_Color c);
void viz_frame(SDL_Renderer *r, SDL_Rect rc, SDL_Color c);

/* The layer (layer.c). layer_begin: true when the caller must draw the
 * still part of the frame now (into the layer if cards are gliding),
 * then call layer_end; false when the layer was copied to the screen
 * instead. layer_free: forget it (it belongs to one renderer). */
bool layer_begin(struct viz *v, SDL_Renderer *r);
void layer_end(struct viz *v, SDL_Renderer *r);
void layer_free(struct viz *v);

/* Save the renderer's current frame as a PNG. */
bool viz_save_png(SDL_Renderer *r, const char *path, char *msg, size_t msgsize);

/* ------------------------------------------------------- clips, handouts */

#define CLIP_FPS 25            /* frames per second of a recorded clip */

struct clip_opts {
    const char *out;           /* .gif, .webm or .mp4: the name picks the format */
    int64_t from, to;          /* the ticks shown, both included; to -1: the end */
    int speed;                 /* ticks per second (each tick shows 1/speed s) */
    int w, h;                  /* frame size in pixels */
};

/* How many frames a clip of ticks [from, to] at `speed` has. */
int64_t clip_frames(int64_t from, int64_t to, int speed);

/* Record ticks [o->from, o->to] of the loaded run as the window shows them
 * while playing, card glides included, encoded by the ffmpeg command.
 * Returns 0; 2 when the options do not fit the run (span, extension,
 * speed); 1 when ffmpeg is missing or fails. msg says what went wrong. */
int clip_record(struct viz *v, struct clip_opts *o, char *msg, size_t n);

/* Where a handout's lanes are, for drawing and for tests. */
struct handout {
    int w, h;                  /* the picture */
    int x0, lane_w;            /* the lanes' first pixel column and width */
    int cpu_y, proc_y;         /* the first CPU lane's and process lane's top */
    int lane_h;
    int nrows;                 /* process lanes drawn (at most HANDOUT_MAX_ROWS) */
    int64_t nticks;            /* ticks 0 .. nticks - 1 */
    int legend_rows;           /* rows of its own the legend takes (0: beside the title) */
};
#define HANDOUT_MAX_ROWS 400

/* The handout's geometry for a picture `w` pixels wide. */
void handout_layout(struct viz *v, int w, struct handout *out);
/* The tick drawn at lane column x (0 .. lane_w - 1). */
int64_t handout_tick_at(const struct handout *g, int x);
/* Draw the whole run's CPU and process lanes, w pixels wide, to a PNG.
 * Returns 0, or 1 with msg set. */
int handout_lanes_png(struct viz *v, const char *path, int w, char *msg, size_t n);

/* ----------------------------------------------------------------- colours */

/* palette.c. State colours, after Perfetto where it has one (running dark
 * green, runnable a lighter green, D orange); all dark enough for 3:1
 * contrast on every panel and apart from each other and from every other
 * colour on screen, also under deuteranopia and protanopia. */
SDL_Color state_colour(char state, bool running);
/* A stable pale tint per process for the CPU lanes (never state-like). */
SDL_Color pid_colour(int pid);
/* White or ink, whichever reads better on bg. */
SDL_Color text_on(SDL_Color bg);

extern const SDL_Color VIZ_INK, VIZ_MUTED, VIZ_PAPER, VIZ_PANEL, VIZ_RULE, VIZ_WHITE, VIZ_ACCENT,
    VIZ_HILITE, VIZ_BOARD, VIZ_HEADER, VIZ_PRINT, VIZ_CARD_EDGE, VIZ_TIP, VIZ_ALARM, VIZ_WAIT,
    VIZ_STATUS;
/* Every colour drawn that is not a state or process colour; returns how many. */
int palette_others(SDL_Color *out, int max);

/* Colour arithmetic, for the tests that hold the palette to its promises. */
enum cvd { CVD_NONE, CVD_DEUTAN, CVD_PROTAN };
double colour_luminance(SDL_Color c);                 /* WCAG relative luminance */
double colour_contrast(SDL_Color a, SDL_Color b);     /* WCAG ratio, 1 to 21 */
SDL_Color colour_simulate(SDL_Color c, enum cvd kind); /* as a dichromat sees it */
void colour_lab(SDL_Color c, double lab[3]);          /* CIE L*a*b* (D65) */
/* CIE76 distance between a and b as seen with `kind`. */
double colour_distance(SDL_Color a, SDL_Color b, enum cvd kind);

#endif
