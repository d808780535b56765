/* A signal sent to a process goes to a thread that wants it, the main one
 * first (complete_signal and wants_signal in kernel/signal.c): while main
 * sleeps in pthread_join, a worker sends SIGUSR1 to its own process, and
 * the handler runs in the main thread, which then goes back to its join.
 * The worker waits for the handler to tell it it has run: if the handler
 * ran on the worker, or only after the join, the lines would differ. */
#include <pthread.h>
#include <sys/syscall.h>

#include "real.h"

static int handled[2];

static void on_usr1(int sig)
{
    (void)sig;
    say(syscall(SYS_gettid) == getpid() ? "handler runs in the main thread"
                                        : "handler runs in another thread");
    post(handled);
}

static void *worker(void *arg)
{
    pid_t main_tid = *(pid_t *)arg;
    await_state(main_tid, 'S');      /* main is in its join */
    kill(getpid(), SIGUSR1);
    await(handled);
    say("worker: the handler has run");
    return NULL;
}

int main(void)
{
    chan(handled);
    on(SIGUSR1, on_usr1);
    pid_t self = getpid();
    pthread_t t;
    if (pthread_create(&t, NULL, worker, &self) != 0)
        die("pthread_create");
    if (pthread_join(t, NULL) != 0)
        die("pthread_join");
    say("main: joined");
    return 0;
}
