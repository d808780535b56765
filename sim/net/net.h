/*
 * net.h - sockets and the simulated loopback network (issue 13; docs §7
 * "Sockets"). Private to sim/: the kernel's struct machine holds one
 * struct knet; front ends see snap_sock and snap_packet (snapshot.h).
 *
 * Files, one job each:
 *   socket.c        socket objects, their byte buffers, wait queues, the
 *                   fd glue (sock_file_ops) and the machine hooks
 *   net.c           the network: segments in flight, delivered in order
 *   tcp.c           TCP's states: handshake, data, FIN and RST
 *   sockops.c       the statements (socket, bind, listen, accept, connect,
 *                   shutdown, options) and their dispatch
 *   sockio.c        moving bytes: send, sendall, recv, sendto, recvfrom
 *   sockutil.c      what those share: errors, arguments, blocking
 *   sock_snapshot.c what front ends see, wait channel names
 *
 * Everything is in flat arrays linked by index, so machine_clone copies it
 * with one memcpy per array. A socket slot is never reused during a run:
 * its id is its index + 1, and segments in flight name sockets by slot.
 */
#ifndef PROCSIM_NET_H
#define PROCSIM_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "heap.h"
#include "value.h"

struct machine;
struct task;
struct insn;
struct srcpos;

/* Socket types (as snap_sock_type). */
enum { ST_TCP, ST_UDP, ST_UNIX, ST_UNIX_DGRAM };
/* Socket states: as snap_sock_state (TCP's names). */

/* A piece of a byte buffer: bytes [off, off + len) of string `str`, from
 * send number `sendno` (so a recv can tell how many sends it merged). A
 * datagram's chunk also holds its sender's address. */
struct nchunk {
    struct value str;
    int32_t off, len;
    int32_t next;              /* the next chunk of its buffer, -1; free
                                  ones: the next free */
    int32_t sendno;
    struct value from;         /* datagrams: the sender's address value */
};

struct nbuf {                  /* a list of chunks */
    int32_t head, tail;        /* -1 empty */
    int64_t bytes;
    int32_t count;             /* chunks (datagrams) */
};

struct ksock {
    bool used;
    uint8_t type;              /* ST_* */
    uint8_t state;             /* SOCKS_* (snapshot.h) */
    bool nonblock;
    bool listening;
    bool shut_rd, shut_wr;     /* this side's shutdown (or close) */
    bool peer_fin;             /* the peer's FIN came: EOF after the data */
    bool fin_pending;          /* a FIN to send once the data is out */
    bool fin_sent;
    bool connecting;           /* a blocking connect waits for its result */
    bool nb_connecting;        /* a non-blocking connect under way or done
                                  but not yet reported by a connect again */
    bool reuseaddr;
    bool closed;               /* no fd names it any more */
    bool got_rst;              /* the connection was reset */
    int pid;                   /* the process that made it (events) */
    int refs;                  /* fds naming it, every process's */
    int watch;                 /* readiness watches (file.h), -1 */
    int err;                   /* pending error (errno), 0 none */
    int port;                  /* local port (inet), 0 none */
    struct value path;         /* unix: bound path (a string), or None */
    int peer;                  /* the socket at the other end, -1 */
    int rport;                 /* peer's port (inet) / peer's socket for
                                  unix; for getpeername */
    struct value rpath;        /* unix: the path it connected to */
    int listener;              /* a connection not yet accepted: its
                                  listening socket, -1 */
    /* listening */
    int backlog;               /* listen's, capped by somaxconn */
    int aq_head, aq_tail, aq_len;  /* completed connections (aq_next) */
    int aq_next;
    int nsyn;                  /* connections in SYN_RECV */
    /* connecting: SYN retransmission */
    int syn_tries;
    int64_t syn_timer;         /* kheap position token, unused (-1) */
    /* buffers */
    struct nbuf rcv, snd;      /* rcv: to read; snd: not yet arrived */
    int64_t rcv_cap, snd_cap;  /* SO_RCVBUF, SO_SNDBUF (as getsockopt) */
    int64_t inflight;          /* bytes of snd in segments on the way */
    int32_t sendno;            /* sends made so far */
    int npkts;                 /* segments in flight from or to it */
    int64_t timeout;           /* settimeout, ticks; -1 none */
    /* tasks blocked on it, FIFO through task.wq_next */
    int rd_head, rd_tail, nrd; /* accept, recv, recvfrom */
    int wr_head, wr_tail, nwr; /* send, sendall, connect */
};

/* Segment kinds (as snap_packet_kind), and a timer entry. */
enum { NP_SYN, NP_SYNACK, NP_ACK, NP_DATA, NP_FIN, NP_RST, NP_DGRAM, NP_RETX };

struct npkt {
    int64_t sent, arrives;
    int from, to;              /* socket slots; to -1: nobody (yet) */
    int to_port;               /* SYN, DGRAM to an inet port: looked up on
                                  arrival; 0 else */
    uint8_t kind;
    bool lost;
    bool used;
    int32_t bytes;
    int32_t sends;             /* DATA: sends it carries bytes of */
    int32_t chunk;             /* DGRAM: its chunk (the bytes), -1 */
    int32_t next_free;
};

/* What a task's send under way has done (by task slot). */
struct nsend {
    int sock;                  /* the socket, -1 none */
    int tid;                   /* the task that made it (slots are reused) */
    int64_t done;              /* bytes of its data already in the buffer */
};

#define NET_PORTS 65536
#define NET_EPHEMERAL 40000    /* ephemeral ports are handed out from here */
#define NET_EPHEMERAL_END 61000    /* ... up to here (Linux's range ends at 60999) */

struct knet {
    struct ksock *socks;   int nsocks, sock_cap;
    struct nchunk *chunks; int chunk_cap, chunk_free;
    struct npkt *pkts;     int pkt_cap, pkt_free;
    struct kheap flight;       /* packets by (arrives, seq) */
    int32_t seq;               /* packets sent, the tie-break */
    int32_t *port_sock;        /* NET_PORTS entries, socket slot + 1; NULL
                                  until the first bind */
    int next_port;
    struct nsend *tsend;   int tsend_cap;
};

/* ------------------------------------------------------------ socket.c */
void net_init(struct machine *m);
void net_free(struct machine *m);
bool net_clone(struct machine *dst, const struct machine *src);
void net_mark(struct machine *m);
/* Bytes the network and sockets take (machine_memory). */
size_t net_memory(const struct machine *m);
/* A new socket slot of this type, -1 out of memory (the run is stopped). */
int sock_new(struct machine *m, int type);
struct ksock *sock_at(struct machine *m, int s);
/* Chunks */
int chunk_new(struct machine *m, struct value str, int32_t off, int32_t len,
              int32_t sendno);
void nbuf_init(struct nbuf *b);
void nbuf_push(struct machine *m, struct nbuf *b, int c);
/* Move `n` bytes from the front of `from` to the back of `to` (splitting a
 * chunk); returns how many distinct sends they came from. */
int nbuf_move(struct machine *m, struct nbuf *from, struct nbuf *to, int64_t n);
void nbuf_clear(struct machine *m, struct nbuf *b);
/* Something happened to socket s: readiness watches fire, and its blocked
 * tasks wake (readers, writers, or both) to run their call again. */
void sock_changed(struct machine *m, int s, bool rd, bool wr);
/* What a task's own call left (bytes, datagrams or connections still in
 * after its recv or accept, room after its send) goes to the next blocked
 * task at once; readiness watches do not fire, since nothing happened to
 * the socket from outside: Linux's recvmsg and accept call no
 * sk_data_ready, which is why an edge-triggered epoll reader that reads
 * only part of the data is not told again (epoll(7)). */
void sock_wake_next(struct machine *m, int s, bool rd, bool wr);
/* Task t blocks on socket s (reader or writer queue); timeout from its
 * settimeout (the deadline kept in t->timeout_at). */
void sock_block(struct machine *m, struct task *t, int s, bool writer);
/* Names for events. */
int sock_pid(const struct machine *m, const struct task *t);
bool sock_tracing(const struct machine *m);
const char *sock_addr_text(const struct machine *m, int s, bool peer, char *buf,
                           unsigned size);
/* The port map */
int port_owner(const struct machine *m, int port);
bool port_take(struct machine *m, int port, int s);
void port_release(struct machine *m, int port, int s);
int port_ephemeral(struct machine *m, int s);
/* A unix path's bound socket, -1 */
int path_owner(const struct machine *m, struct value path);

/* ------------------------------------------------------------- net.c */
/* Send a segment from socket `from` to `to`, arriving after net_latency
 * ticks (or `delay` ticks when >= 0). Returns the packet, -1 out of memory. */
int net_send(struct machine *m, int kind, int from, int to, int32_t bytes,
             int64_t delay);
/* Step 2: deliver every segment due now, in (arrival, sequence) order. */
void net_deliver(struct machine *m);
bool net_busy(const struct machine *m);
int64_t net_next_arrival(const struct machine *m);

/* ------------------------------------------------------------- tcp.c */
/* A segment arrives (net.c calls it). */
void tcp_arrive(struct machine *m, struct npkt *pk);
void udp_arrive(struct machine *m, struct npkt *pk);
/* Start sending what the send buffer holds (as the window allows), and
 * the FIN once all of it is out. */
void tcp_push(struct machine *m, int s);
/* connect: send the SYN. */
void tcp_connect(struct machine *m, int s, int port, int unix_to);
/* The last fd of s closed: FIN, RST, or nothing. */
void tcp_close(struct machine *m, int s, int pid);
/* shutdown(SHUT_WR): a FIN after the data. */
void tcp_shutdown_wr(struct machine *m, int s);
/* Connection of a listening socket gone (a close of the listener with
 * connections queued): RST to each. */
void tcp_reset_queue(struct machine *m, int s);

/* ---------------------------------------------------------- sockops.c */
/* OP_FD on a socket fd: send, recv (sock_file_ops.op). */
bool sock_fd_op(struct machine *m, struct task *t, const struct insn *in, int idx,
                int fd);

/* ----------------------------------------------------------- sockio.c */
/* send (all: sendall), recv (from: recvfrom), a datagram to `addr` (NULL:
 * the connected peer). */
void sock_do_send(struct machine *m, struct task *t, const struct insn *in, int s, int fd,
                  bool all);
void sock_do_recv(struct machine *m, struct task *t, const struct insn *in, int s, int fd,
                  bool from);
void sock_do_dgram_send(struct machine *m, struct task *t, const struct insn *in, int s,
                        int fd, struct value data, size_t len, const struct expr *addr);

/* --------------------------------------------------------- sockutil.c */
/* The task's send progress record. */
struct nsend *sock_tsend(struct machine *m, struct task *t);
/* Raise errno e as CPython does (32: SIGPIPE first; -1: TimeoutError
 * "timed out"); the statement is over. */
void sock_raise(struct machine *m, struct task *t, const struct insn *in, int e);
bool sock_is_dgram(const struct ksock *k);
bool sock_is_inet(const struct ksock *k);
const char *sock_type_name(int type);
/* ("127.0.0.1", port); "" ; what getsockname returns */
struct value sock_inet_addr(struct machine *m, int port);
struct value sock_empty_str(struct machine *m);
struct value sock_local_addr(struct machine *m, int s);
/* An address argument: *port (inet) or *path (unix); false after an
 * exception. */
bool sock_addr_arg(struct machine *m, struct task *t, const struct insn *in,
                   const struct expr *e, const struct ksock *k, int64_t *port,
                   struct value *path);
/* The socket in.e2's fd names (its slot), -1 after EBADF/ENOTSOCK. */
int sock_of_fd(struct machine *m, struct task *t, const struct insn *in, int *fd_out);
/* A new fd on socket s, -1 after EMFILE. */
int sock_open_fd(struct machine *m, struct task *t, const struct insn *in, int s);
/* The call cannot complete: EAGAIN, a timeout, or block (saying `why`). */
void sock_would_block(struct machine *m, struct task *t, const struct insn *in, int s,
                      bool writer, const char *what, int fd, const char *why);
/* The call is over: past its statement, its deadline forgotten. */
void sock_done(struct machine *m, struct task *t);
/* The data argument (in.e1): a string, else TypeError. */
bool sock_data_arg(struct machine *m, struct task *t, const struct insn *in,
                   struct value *v, size_t *len);

/* machine hooks (socket.c) */
void sock_unwait(struct machine *m, struct task *t);
bool sock_timed_out(struct machine *m, struct task *t);
/* The run is stuck: explain the tasks blocked on sockets (events). */
void sockets_stuck(struct machine *m);

/* An EV_SOCK event, its text made only when the trace keeps it. */
#define sev(m, reason, t, a, b, ...) \
    emit_textf(m, EV_SOCK, reason, t, a, b, __VA_ARGS__)

#endif
