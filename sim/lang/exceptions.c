/* exceptions.c - the Python exceptions procsim raises: their names, what
 * Python prints for them, and their classes (a clause catches subclasses:
 * `except OSError` catches BrokenPipeError, as in Python). */
#include <string.h>

#include "scenario.h"

static const struct {
    const char *name;          /* as a scenario writes it */
    const char *qualname;      /* as CPython's traceback prints it */
    int parent;
} table[EXC_COUNT] = {
    [EXC_EXCEPTION]   = { "Exception", "Exception", EXC_BASE },
    [EXC_EMPTY]       = { "Empty", "_queue.Empty", EXC_EXCEPTION },
    [EXC_FULL]        = { "Full", "queue.Full", EXC_EXCEPTION },
    [EXC_EOF]         = { "EOFError", "EOFError", EXC_EXCEPTION },
    [EXC_OS]          = { "OSError", "OSError", EXC_EXCEPTION },
    [EXC_BROKEN_PIPE] = { "BrokenPipeError", "BrokenPipeError", EXC_CONNECTION },
    [EXC_TIMEOUT]     = { "TimeoutError", "TimeoutError", EXC_OS },
    [EXC_TYPE]        = { "TypeError", "TypeError", EXC_EXCEPTION },
    [EXC_INDEX]       = { "IndexError", "IndexError", EXC_LOOKUP },
    [EXC_VALUE]       = { "ValueError", "ValueError", EXC_EXCEPTION },
    [EXC_ASSERTION]   = { "AssertionError", "AssertionError", EXC_EXCEPTION },
    [EXC_MEMORY]      = { "MemoryError", "MemoryError", EXC_EXCEPTION },
    [EXC_UNPICKLING]  = { "UnpicklingError", "_pickle.UnpicklingError", EXC_EXCEPTION },
    [EXC_RUNTIME]     = { "RuntimeError", "RuntimeError", EXC_EXCEPTION },
    [EXC_CANCELLED]   = { "CancelledError", "concurrent.futures._base.CancelledError",
                          EXC_EXCEPTION },
    [EXC_POOL_TIMEOUT] = { "PoolTimeoutError", "multiprocessing.context.TimeoutError",
                           EXC_EXCEPTION },
    [EXC_STOP_ITERATION] = { "StopIteration", "StopIteration", EXC_EXCEPTION },
    [EXC_BLOCKING_IO] = { "BlockingIOError", "BlockingIOError", EXC_OS },
    [EXC_CONNECTION]  = { "ConnectionError", "ConnectionError", EXC_OS },
    [EXC_CONN_REFUSED] = { "ConnectionRefusedError", "ConnectionRefusedError",
                           EXC_CONNECTION },
    [EXC_CONN_RESET]  = { "ConnectionResetError", "ConnectionResetError", EXC_CONNECTION },
    [EXC_CONN_ABORTED] = { "ConnectionAbortedError", "ConnectionAbortedError",
                           EXC_CONNECTION },
    [EXC_FILE_NOT_FOUND] = { "FileNotFoundError", "FileNotFoundError", EXC_OS },
    [EXC_INTERRUPTED] = { "InterruptedError", "InterruptedError", EXC_OS },
    [EXC_KEY]         = { "KeyError", "KeyError", EXC_LOOKUP },
    [EXC_FILE_EXISTS] = { "FileExistsError", "FileExistsError", EXC_OS },
    [EXC_ZERO_DIV]    = { "ZeroDivisionError", "ZeroDivisionError", EXC_ARITHMETIC },
    [EXC_ATTRIBUTE]   = { "AttributeError", "AttributeError", EXC_EXCEPTION },
    [EXC_NAME]        = { "NameError", "NameError", EXC_EXCEPTION },
    [EXC_RECURSION]   = { "RecursionError", "RecursionError", EXC_RUNTIME },
    [EXC_SYSTEM_EXIT] = { "SystemExit", "SystemExit", EXC_BASE },
    [EXC_KEYBOARD_INTERRUPT] = { "KeyboardInterrupt", "KeyboardInterrupt", EXC_BASE },
    [EXC_NOT_IMPLEMENTED] = { "NotImplementedError", "NotImplementedError", EXC_RUNTIME },
    [EXC_ARITHMETIC]  = { "ArithmeticError", "ArithmeticError", EXC_EXCEPTION },
    [EXC_LOOKUP]      = { "LookupError", "LookupError", EXC_EXCEPTION },
    [EXC_BASE]        = { "BaseException", "BaseException", EXC_BASE },
    [EXC_CHILD_PROCESS] = { "ChildProcessError", "ChildProcessError", EXC_OS },
    [EXC_PROCESS_LOOKUP] = { "ProcessLookupError", "ProcessLookupError", EXC_OS },
};

const char *exc_name(int exc)
{
    return exc >= 0 && exc < EXC_COUNT ? table[exc].name : "Exception";
}

const char *exc_qualname(int exc)
{
    return exc >= 0 && exc < EXC_COUNT ? table[exc].qualname : "Exception";
}

int exc_parent(int exc)
{
    return exc >= 0 && exc < EXC_COUNT ? table[exc].parent : EXC_BASE;
}

int exc_from_name(const char *name, size_t len)
{
    for (int i = 0; i < EXC_COUNT; i++)
        if (strlen(table[i].name) == len && !memcmp(table[i].name, name, len))
            return i;
    return -1;
}

bool exc_matches(int raised, int clause)
{
    for (int e = raised;; e = exc_parent(e)) {
        if (e == clause)
            return true;
        if (e == EXC_BASE)         /* the root: BaseException */
            return false;
    }
}
