/* gnuplot.c: starting gnuplot without a shell and quoting text for its
 * scripts (see gnuplot.h). */
#include "plot/gnuplot.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "output/files.h"
#include "base/signals.h"

/* What of gnuplot's stderr is kept for the message. */
#define STDERR_KEEP 600

static int is_executable_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

int ntr_gnuplot_available(const char *program)
{
    if (!program)
        program = NTR_GNUPLOT_DEFAULT;
    if (!*program)
        return 0;
    if (strchr(program, '/'))
        return is_executable_file(program);
    const char *path = getenv("PATH");
    if (!path)
        path = "/usr/local/bin:/usr/bin:/bin";
    size_t plen = strlen(program);
    const char *p = path;
    for (;;) {
        const char *end = strchr(p, ':');
        size_t dlen = end ? (size_t)(end - p) : strlen(p);
        char *full = malloc(dlen + plen + 3);
        if (!full)
            return 0;
        if (dlen == 0)
            snprintf(full, dlen + plen + 3, "./%s", program);
        else
            snprintf(full, dlen + plen + 3, "%.*s/%s", (int)dlen, p, program);
        int ok = is_executable_file(full);
        free(full);
        if (ok)
            return 1;
        if (!end)
            return 0;
        p = end + 1;
    }
}

static int refuse_char(unsigned char c)
{
    return c < 0x20 || c == 0x7f;
}

int ntr_gp_quote(const char *s, char *buf, size_t size, ntr_error *err)
{
    size_t w = 0;
    if (size < 3)
        return ntr_fail(err, NTR_E_INTERNAL, "no room to quote a string for gnuplot");
    buf[w++] = '\'';
    for (const char *p = s; *p; p++) {
        if (refuse_char((unsigned char)*p)) {
            buf[0] = '\0';
            return ntr_fail(err, NTR_E_INPUT,
                            "cannot pass '%.200s' to gnuplot: it holds a control character "
                            "(newline, tab ...)", s);
        }
        size_t need = *p == '\'' ? 2 : 1;
        if (w + need + 2 > size) {
            buf[0] = '\0';
            return ntr_fail(err, NTR_E_INPUT, "name too long for a gnuplot script: '%.200s'", s);
        }
        buf[w++] = *p;
        if (*p == '\'')
            buf[w++] = '\'';
    }
    buf[w++] = '\'';
    buf[w] = '\0';
    return 0;
}

int ntr_gp_put_string(FILE *f, const char *s, ntr_error *err)
{
    for (const char *p = s; *p; p++)
        if (refuse_char((unsigned char)*p))
            return ntr_fail(err, NTR_E_INPUT,
                            "cannot pass '%.200s' to gnuplot: it holds a control character "
                            "(newline, tab ...)", s);
    fputc('\'', f);
    for (const char *p = s; *p; p++) {
        fputc(*p, f);
        if (*p == '\'')
            fputc('\'', f);
    }
    fputc('\'', f);
    return 0;
}

void ntr_gp_sanitize(const char *s, char *buf, size_t size)
{
    if (size == 0)
        return;
    size_t w = 0;
    for (const char *p = s; *p && w + 1 < size; p++)
        buf[w++] = (char)(refuse_char((unsigned char)*p) ? ' ' : *p);
    buf[w] = '\0';
}

typedef struct terminal_row {
    const char *format, *terminal, *ext;
} terminal_row;

static const terminal_row terminals[] = {
    {"png", "set terminal pngcairo noenhanced size 900,600 font ',11'", "png"},
    {"pdf", "set terminal pdfcairo noenhanced size 6in,4in font ',11'", "pdf"},
    {"svg", "set terminal svg noenhanced size 900,600 font ',11' dynamic background '#ffffff'",
     "svg"},
};

int ntr_gp_terminal(const char *format, const char **terminal, const char **ext,
                    ntr_error *err)
{
    for (size_t i = 0; i < sizeof terminals / sizeof terminals[0]; i++)
        if (strcmp(format, terminals[i].format) == 0) {
            *terminal = terminals[i].terminal;
            *ext = terminals[i].ext;
            return 0;
        }
    return ntr_fail(err, NTR_E_INPUT, "unknown figure format '%.100s' (png, pdf or svg)", format);
}

/* The child: set up descriptors and directory, exec; on failure report errno
 * through status_fd (close-on-exec, so a successful exec closes it). */
static void child(pid_t parent, const char *dir, int err_fd, int status_fd, char *const argv[],
                  const sigset_t *mask)
{
    /* gnuplot gets the signals ntr keeps pending while it waits for it */
    sigprocmask(SIG_SETMASK, mask, NULL);
    /* gnuplot dies with ntr (kill -9 of ntr-run): it must not go on writing
     * a figure into a folder that a resumed run is cleaning. */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
        _exit(127);
    int e = 0;
    if (dir && chdir(dir) != 0)
        e = errno;
    if (!e) {
        int null_fd = open("/dev/null", O_RDWR);
        if (null_fd < 0 || dup2(null_fd, 0) < 0 || dup2(null_fd, 1) < 0 || dup2(err_fd, 2) < 0)
            e = errno;
        if (null_fd > 2)
            close(null_fd);
    }
    if (!e) {
        close(err_fd);
        execvp(argv[0], argv);
        e = errno;
    }
    ssize_t wr = write(status_fd, &e, sizeof e);
    (void)wr;
    _exit(127);
}

/* End gnuplot: SIGTERM, then SIGKILL if it is still there after half a
 * second; reap it. */
static void stop_child(pid_t pid)
{
    kill(pid, SIGTERM);
    for (int i = 0; i < 50; i++) {
        if (waitpid(pid, NULL, WNOHANG) == pid)
            return;
        struct timespec ts = {0, 10L * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    kill(pid, SIGKILL);
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
        ;
}

/* Read everything from fd, keeping the first keep bytes in buf, while
 * watching sig_fd (a signalfd of the stop signals): returns 1 when a stop
 * signal came first (it stays pending), 0 at the end of fd. */
static int drain(int fd, int sig_fd, char *buf, size_t keep)
{
    size_t len = 0;
    char tmp[4096];
    int stopped = 0;
    for (;;) {
        struct pollfd pf[2] = {{fd, POLLIN, 0}, {sig_fd, POLLIN, 0}};
        int n = poll(pf, sig_fd >= 0 ? 2 : 1, -1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            break;
        if (sig_fd >= 0 && (pf[1].revents & POLLIN)) {
            stopped = 1;
            break;
        }
        ssize_t got = read(fd, tmp, sizeof tmp);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        size_t take = (size_t)got < keep - len ? (size_t)got : keep - len;
        memcpy(buf + len, tmp, take);
        len += take;
    }
    while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == ' ' || buf[len - 1] == '\r'))
        len--;
    buf[len] = '\0';
    for (size_t i = 0; i < len; i++)
        if (buf[i] == '\n')
            buf[i] = '|';
    return stopped;
}

/* The pipes gnuplot's stderr (errp) and its exec status (statp) come back
 * through, and a signalfd of the stop signals (*sig_fd, -1 when there is
 * none).  -1, with errno kept and nothing left open, when a pipe cannot be
 * made. */
static int open_channels(const sigset_t *stops, int errp[2], int statp[2], int *sig_fd)
{
    errp[0] = errp[1] = statp[0] = statp[1] = -1;
    *sig_fd = signalfd(-1, stops, SFD_CLOEXEC | SFD_NONBLOCK);
    if (pipe(errp) != 0 || pipe(statp) != 0) {
        int e = errno;
        for (int i = 0; i < 2; i++) {
            if (errp[i] >= 0)
                close(errp[i]);
            if (statp[i] >= 0)
                close(statp[i]);
        }
        if (*sig_fd >= 0)
            close(*sig_fd);
        errno = e;
        return -1;
    }
    fcntl(errp[0], F_SETFD, FD_CLOEXEC);
    fcntl(statp[0], F_SETFD, FD_CLOEXEC);
    fcntl(statp[1], F_SETFD, FD_CLOEXEC);
    return 0;
}

/* How gnuplot (pid) ended, once its stderr (msg) is read: 0, or the error
 * naming the program, the script and what gnuplot said.  Closes stat_fd. */
static int child_outcome(pid_t pid, int stat_fd, const char *program, const char *dir,
                         const char *script, const char *msg, ntr_error *err)
{
    int child_errno = 0;
    ssize_t got;
    do
        got = read(stat_fd, &child_errno, sizeof child_errno);
    while (got < 0 && errno == EINTR);
    close(stat_fd);
    int status = 0;
    pid_t w;
    do
        w = waitpid(pid, &status, 0);
    while (w < 0 && errno == EINTR);
    int rc = 0;
    if (got == (ssize_t)sizeof child_errno)
        rc = ntr_fail(err, NTR_E_IO, "cannot run %s%s%s: %s", program, dir ? " in " : "",
                      dir ? dir : "", strerror(child_errno));
    else if (w < 0)
        rc = ntr_fail(err, NTR_E_IO, "waiting for %s: %s", program, strerror(errno));
    else if (WIFSIGNALED(status))
        rc = ntr_fail(err, NTR_E_IO, "%s killed by signal %d on %s: %s", program,
                      WTERMSIG(status), script, msg);
    else if (WEXITSTATUS(status) != 0)
        rc = ntr_fail(err, NTR_E_IO, "%s failed (exit %d) on %s: %s", program,
                      WEXITSTATUS(status), script, msg);
    return rc;
}

/* Start argv in dir with the signal mask child_mask, keep its stderr for
 * the message, and wait for it; a stop signal (watched through stops) ends
 * it at once. */
static int spawn_and_wait(const char *program, const char *dir, const char *script,
                          char *const argv[], const sigset_t *stops, const sigset_t *child_mask,
                          ntr_error *err)
{
    int errp[2], statp[2], sig_fd;
    if (open_channels(stops, errp, statp, &sig_fd) != 0)
        return ntr_fail(err, NTR_E_IO, "cannot create a pipe: %s", strerror(errno));
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0)
        child(parent, dir, errp[1], statp[1], argv, child_mask);
    close(errp[1]);
    close(statp[1]);
    if (pid < 0) {
        int e = errno;
        close(errp[0]);
        close(statp[0]);
        if (sig_fd >= 0)
            close(sig_fd);
        return ntr_fail(err, NTR_E_IO, "cannot start %s: %s", program, strerror(e));
    }
    char msg[STDERR_KEEP + 1];
    int stopped = drain(errp[0], sig_fd, msg, STDERR_KEEP);
    close(errp[0]);
    if (sig_fd >= 0)
        close(sig_fd);
    if (stopped) {
        stop_child(pid);
        close(statp[0]);
        return ntr_fail(err, NTR_E_INTERRUPTED, "interrupted while gnuplot drew %s", script);
    }
    return child_outcome(pid, statp[0], program, dir, script, msg, err);
}

/* ntr_gnuplot_run with the stop signals blocked (old: the mask before). */
static int run_blocked(const char *program, const char *dir, const char *pre_command,
                       const char *script, const sigset_t *stops, const sigset_t *old,
                       ntr_error *err)
{
    if (ntr_signal_pending())
        return ntr_fail(err, NTR_E_INTERRUPTED, "interrupted: %s not drawn", script);
    sigset_t child_mask = *old;
    sigdelset(&child_mask, SIGINT);
    sigdelset(&child_mask, SIGTERM);
    sigdelset(&child_mask, SIGHUP);
    /* A script name starting with '-' would be read as an option. */
    char *script_arg = malloc(strlen(script) + 3);
    if (!script_arg)
        return ntr_fail(err, NTR_E_INTERNAL, "out of memory");
    sprintf(script_arg, "%s%s", script[0] == '-' ? "./" : "", script);
    char *argv[5];
    int argc = 0;
    argv[argc++] = (char *)program;
    if (pre_command) {
        argv[argc++] = "-e";
        argv[argc++] = (char *)pre_command;
    }
    argv[argc++] = script_arg;
    argv[argc] = NULL;
    int rc = spawn_and_wait(program, dir, script, argv, stops, &child_mask, err);
    free(script_arg);
    return rc;
}

int ntr_gnuplot_run(const char *program, const char *dir, const char *pre_command,
                    const char *script, ntr_error *err)
{
    if (!program)
        program = NTR_GNUPLOT_DEFAULT;
    /* While gnuplot runs the stop signals stay blocked and are watched: one
     * of them ends gnuplot at once and is left pending, so that the caller
     * (which blocks them across all its figures) stops drawing and its
     * handler sees the signal when it unblocks them. */
    sigset_t stops, old;
    ntr_stop_signals(&stops);
    sigprocmask(SIG_BLOCK, &stops, &old);
    int rc = run_blocked(program, dir, pre_command, script, &stops, &old, err);
    sigprocmask(SIG_SETMASK, &old, NULL);
    return rc;
}

static int draw_blocked(const char *program, const char *plots, const char *name,
                        const char *ext, ntr_error *err);

int ntr_gnuplot_draw(const char *program, const char *plots, const char *name, const char *ext,
                     ntr_error *err)
{
    /* The stop signals wait until the temporary is renamed or removed. */
    sigset_t stops, old;
    ntr_stop_signals(&stops);
    sigprocmask(SIG_BLOCK, &stops, &old);
    int rc = draw_blocked(program, plots, name, ext, err);
    sigprocmask(SIG_SETMASK, &old, NULL);
    return rc;
}

static int draw_blocked(const char *program, const char *plots, const char *name,
                        const char *ext, ntr_error *err)
{
    char final[1100], tmp[1100];
    if (ntr_path(final, sizeof final, err, "%s/%s.%s", plots, name, ext) != 0 ||
        ntr_path(tmp, sizeof tmp, err, "%s.tmp.XXXXXX", final) != 0)
        return -1;
    int fd = mkstemp(tmp);
    if (fd < 0)
        return ntr_fail(err, NTR_E_IO, "cannot create a file in %s: %s", plots, strerror(errno));
    /* mkstemp makes the file private (0600); a figure gets the mode of any
     * other file ntr writes (0666 less the umask). */
    mode_t mask = umask(0);
    umask(mask);
    (void)fchmod(fd, 0666 & ~mask);
    close(fd);
    char cmd[200], quoted[120], script[64];
    int rc = ntr_gp_quote(strrchr(tmp, '/') + 1, quoted, sizeof quoted, err);
    if (rc == 0) {
        snprintf(cmd, sizeof cmd, "ntr_output = %s", quoted);
        snprintf(script, sizeof script, "%s.gp", name);
        rc = ntr_gnuplot_run(program, plots, cmd, script, err);
    }
    if (rc == 0 && rename(tmp, final) != 0)
        rc = ntr_fail(err, NTR_E_IO, "cannot write %s: %s", final, strerror(errno));
    if (rc != 0)
        unlink(tmp);
    return rc;
}
