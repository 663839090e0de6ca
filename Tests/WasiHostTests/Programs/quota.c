// Write and open-file quotas. argv[1] picks the mode:
//   write PATH TOTAL CHUNK   write TOTAL bytes to PATH in CHUNK-byte writes
//   open COUNT               create and keep open files f0, f1, ... up to COUNT
//   grow PATH SIZE           ftruncate PATH to SIZE bytes
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "";
    if (!strcmp(mode, "write") && argc > 4) {
        long total = atol(argv[3]), chunk = atol(argv[4]), written = 0;
        int fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0) { printf("open errno %d\n", errno); return 1; }
        char *buffer = malloc(chunk);
        memset(buffer, 'q', chunk);
        while (written < total) {
            ssize_t n = write(fd, buffer, chunk);
            if (n < 0) { printf("wrote %ld errno %d\n", written, errno); return 0; }
            written += n;
        }
        printf("wrote %ld\n", written);
        return 0;
    }
    if (!strcmp(mode, "open") && argc > 2) {
        int count = atoi(argv[2]);
        for (int i = 0; i < count; i++) {
            char name[32];
            snprintf(name, sizeof name, "f%d", i);
            if (open(name, O_WRONLY | O_CREAT, 0644) < 0) { printf("opened %d errno %d\n", i, errno); return 0; }
        }
        printf("opened %d\n", count);
        return 0;
    }
    if (!strcmp(mode, "grow") && argc > 3) {
        int fd = open(argv[2], O_WRONLY | O_CREAT, 0644);
        int r = ftruncate(fd, atoll(argv[3]));
        printf("grow %d errno %d\n", r, r < 0 ? errno : 0);
        return 0;
    }
    fprintf(stderr, "unknown mode %s\n", mode);
    return 2;
}
