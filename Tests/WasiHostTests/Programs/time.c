// Clocks, sleeping, polling and randomness. argv[1] picks the mode:
//   clock       print realtime and monotonic readings (two each)
//   sleep MS    sleep MS milliseconds (nanosleep -> poll_oneoff) and print the monotonic elapsed time
//   poll        poll() stdin with a 5 s timeout and print what is ready
//   random      print 16 bytes of getentropy, /dev/urandom and /dev/random in hex; use /dev/null
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long long ns(clockid_t id) {
    struct timespec t;
    clock_gettime(id, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void hex(const char *label, const unsigned char *b, int n) {
    printf("%s ", label);
    for (int i = 0; i < n; i++) printf("%02x", b[i]);
    printf("\n");
}

static void device(const char *path) {
    unsigned char b[16] = {0};
    int fd = open(path, O_RDONLY);
    if (fd < 0) { printf("%s errno %d\n", path, errno); return; }
    ssize_t n = read(fd, b, sizeof b);
    close(fd);
    if (n != 16) printf("%s short %zd\n", path, n);
    hex(path, b, 16);
}

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "";
    if (!strcmp(mode, "clock")) {
        long long r1 = ns(CLOCK_REALTIME), r2 = ns(CLOCK_REALTIME);
        long long m1 = ns(CLOCK_MONOTONIC), m2 = ns(CLOCK_MONOTONIC);
        printf("realtime %lld %lld\nmonotonic %lld %lld\n", r1, r2, m1, m2);
        struct timespec res;
        clock_getres(CLOCK_MONOTONIC, &res);
        printf("resolution %ld\n", res.tv_nsec);
        printf("time %lld\n", (long long)time(NULL));
        return 0;
    }
    if (!strcmp(mode, "sleep") && argc > 2) {
        long ms = atol(argv[2]);
        long long before = ns(CLOCK_MONOTONIC);
        struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };
        int r = nanosleep(&t, NULL);
        long long after = ns(CLOCK_MONOTONIC);
        printf("slept %d %lld\n", r, (after - before) / 1000000);
        return 0;
    }
    if (!strcmp(mode, "poll")) {
        struct pollfd p = { .fd = 0, .events = POLLIN };
        int r = poll(&p, 1, 5000);
        printf("poll %d revents %d\n", r, p.revents & POLLIN);
        return 0;
    }
    if (!strcmp(mode, "random")) {
        unsigned char b[16];
        if (getentropy(b, sizeof b) != 0) printf("getentropy errno %d\n", errno);
        hex("getentropy", b, 16);
        device("/dev/urandom");
        device("/dev/random");
        int fd = open("/dev/null", O_RDWR);
        printf("null write %zd read %zd\n", write(fd, "abc", 3), read(fd, b, 16));
        close(fd);
        printf("create in dev errno %d\n", open("/dev/new", O_WRONLY | O_CREAT, 0644) < 0 ? errno : 0);
        return 0;
    }
    fprintf(stderr, "unknown mode %s\n", mode);
    return 2;
}
