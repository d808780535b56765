/*
 * cmd_ss.c - `procsim ss FILE --at T [--json]`: the sockets during tick T,
 * like `ss -tuxanp`: Netid, State, Recv-Q, Send-Q, the local and peer
 * addresses and the processes holding each socket (pid and fd). As in
 * Linux, a listening socket's Recv-Q is the number of connections waiting
 * for accept and its Send-Q the backlog listen() was given.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "snapshot.h"

static const char *netid(int type)
{
    static const char *const n[] = { "tcp", "udp", "u_str", "u_dgr" };
    return type >= 0 && type < 4 ? n[type] : "?";
}

const char *ss_state_name(int state)
{
    static const char *const n[] = { "UNCONN", "LISTEN", "SYN-SENT", "SYN-RECV", "ESTAB",
                                     "FIN-WAIT-1", "FIN-WAIT-2", "CLOSE-WAIT", "LAST-ACK",
                                     "CLOSING", "TIME-WAIT", "CLOSED" };
    return state >= 0 && state <= SOCKS_CLOSED ? n[state] : "?";
}

static const char *comm_of(const struct snapshot *snap, int pid)
{
    const struct snap_task *t = snapshot_find(snap, pid);
    return t ? t->comm : "?";
}

static void print_json(const struct snapshot *snap)
{
    printf("[");
    for (int i = 0; i < snap->nsocks; i++) {
        const struct snap_sock *k = &snap->socks[i];
        bool listen = k->state == SOCKS_LISTEN;
        printf("%s\n  {\"id\": %d, \"netid\": \"%s\", \"state\": \"%s\", \"recv_q\": %lld, "
               "\"send_q\": %lld, \"local\": ", i ? "," : "", k->id, netid(k->type),
               ss_state_name(k->state),
               (long long)(listen ? k->backlog : k->rcv_bytes),
               (long long)(listen ? k->backlog_max : k->snd_bytes));
        cli_json_string(k->local);
        printf(", \"peer\": ");
        cli_json_string(k->peer);
        printf(", \"peer_id\": %d, \"rcvbuf\": %lld, \"sndbuf\": %lld, \"processes\": [",
               k->peer_id, (long long)k->rcv_cap, (long long)k->snd_cap);
        for (int h = 0; h < k->nholders && h < SNAP_MAX_SOCK_FDS; h++) {
            printf("%s{\"comm\": ", h ? ", " : "");
            cli_json_string(comm_of(snap, k->holder_pid[h]));
            printf(", \"pid\": %d, \"fd\": %d}", k->holder_pid[h], k->holder_fd[h]);
        }
        printf("], \"waiting\": [");
        for (int w = 0; w < k->nwaiting; w++)
            printf("%s%d", w ? ", " : "", k->waiting[w]);
        printf("]}");
    }
    printf("%s]\n", snap->nsocks ? "\n" : "");
}

static void print_table(const struct snapshot *snap)
{
    printf("%-6s %-10s %7s %7s %-24s %-24s %s\n", "Netid", "State", "Recv-Q", "Send-Q",
           "Local Address:Port", "Peer Address:Port", "Process");
    for (int i = 0; i < snap->nsocks; i++) {
        const struct snap_sock *k = &snap->socks[i];
        bool listen = k->state == SOCKS_LISTEN;
        bool inet = k->type == SOCKT_TCP || k->type == SOCKT_UDP;
        const char *local = k->local[0] ? k->local : inet ? "0.0.0.0:*" : "*";
        const char *peer = k->peer[0] ? k->peer : inet ? "0.0.0.0:*" : "*";
        printf("%-6s %-10s %7lld %7lld %-24s ", netid(k->type), ss_state_name(k->state),
               (long long)(listen ? k->backlog : k->rcv_bytes),
               (long long)(listen ? k->backlog_max : k->snd_bytes), local);
        printf(k->nholders > 0 ? "%-24s " : "%s", peer);
        if (k->nholders > 0) {
            printf("users:(");
            for (int h = 0; h < k->nholders && h < SNAP_MAX_SOCK_FDS; h++)
                printf("%s(\"%s\",pid=%d,fd=%d)", h ? "," : "",
                       comm_of(snap, k->holder_pid[h]), k->holder_pid[h], k->holder_fd[h]);
            if (k->nholders > SNAP_MAX_SOCK_FDS)
                printf(",...");
            printf(")");
        }
        printf("\n");
    }
}

int cmd_ss(const struct cli_opts *o)
{
    struct snapshot snap;
    bool failed;
    struct scenario *s = cli_state_at(o, &snap, &failed);
    if (!s)
        return EXIT_INVALID;
    if (o->json)
        print_json(&snap);
    else
        print_table(&snap);
    snapshot_free(&snap);
    scenario_free(s);
    return failed ? EXIT_INVALID : EXIT_OK;
}
