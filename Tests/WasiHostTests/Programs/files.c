// File operations through wasi-libc, under the directory given as argv[1] (a preopen such as
// "/" or "/data"). Prints one line per step; the Swift test compares the lines.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char base[256];

static const char *at(const char *name) {
    static char buffer[4][512];
    static int next;
    char *b = buffer[next++ % 4];
    snprintf(b, 512, "%s/%s", base, name);
    return b;
}

static int compare(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void list(const char *name) {
    DIR *d = opendir(at(name));
    if (!d) { printf("list %s: errno %d\n", name, errno); return; }
    char *names[64];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 64) names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, n, sizeof names[0], compare);
    printf("list %s:", name);
    for (int i = 0; i < n; i++) { printf(" %s", names[i]); free(names[i]); }
    printf("\n");
}

static void report(const char *what, int result) {
    if (result < 0) printf("%s: errno %d\n", what, errno);
    else printf("%s: ok\n", what);
}

static void show(const char *name) {
    char text[256] = {0};
    int fd = open(at(name), O_RDONLY);
    if (fd < 0) { printf("read %s: errno %d\n", name, errno); return; }
    ssize_t n = read(fd, text, sizeof text - 1);
    close(fd);
    for (ssize_t i = 0; i < n; i++) if (text[i] == 0) text[i] = '.';
    printf("read %s: %zd [%.*s]\n", name, n, (int)n, text);
}

int main(int argc, char **argv) {
    snprintf(base, sizeof base, "%s", argc > 1 ? argv[1] : "");
    report("mkdir dir", mkdir(at("dir"), 0755));

    FILE *f = fopen(at("dir/hello.txt"), "w");
    if (!f) { printf("fopen: errno %d\n", errno); return 1; }
    fputs("hello world\n", f);
    fclose(f);
    show("dir/hello.txt");

    int fd = open(at("dir/hello.txt"), O_RDWR);
    lseek(fd, 6, SEEK_SET);
    write(fd, "WASI!", 5);
    printf("end %lld\n", (long long)lseek(fd, 0, SEEK_END));
    printf("tell %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
    char buf[8] = {0};
    printf("pread %zd [%s]\n", pread(fd, buf, 5, 0), buf);
    pwrite(fd, "H", 1, 0);
    close(fd);
    show("dir/hello.txt");

    fd = open(at("dir/hello.txt"), O_WRONLY | O_APPEND);
    lseek(fd, 0, SEEK_SET);
    write(fd, "more\n", 5);
    close(fd);
    struct stat st;
    report("stat file", stat(at("dir/hello.txt"), &st));
    printf("size %lld regular %d\n", (long long)st.st_size, S_ISREG(st.st_mode));
    report("stat dir", stat(at("dir"), &st));
    printf("directory %d\n", S_ISDIR(st.st_mode));

    report("truncate", truncate(at("dir/hello.txt"), 5));
    show("dir/hello.txt");

    fd = open(at("dir/sparse.bin"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    lseek(fd, 4, SEEK_SET);
    write(fd, "x", 1);
    close(fd);
    show("dir/sparse.bin");

    report("rename", rename(at("dir/hello.txt"), at("dir/renamed.txt")));
    report("stat old name", stat(at("dir/hello.txt"), &st));
    report("mkdir dir/sub", mkdir(at("dir/sub"), 0755));
    list("dir");
    report("rename into sub", rename(at("dir/renamed.txt"), at("dir/sub/moved.txt")));
    list("dir/sub");

    report("open missing", open(at("missing.txt"), O_RDONLY));
    report("create existing exclusively", open(at("dir/sparse.bin"), O_WRONLY | O_CREAT | O_EXCL, 0644));
    report("mkdir existing", mkdir(at("dir"), 0755));
    report("unlink directory", unlink(at("dir/sub")));
    report("rmdir file", rmdir(at("dir/sparse.bin")));
    report("rmdir non-empty", rmdir(at("dir")));
    report("open file as directory", open(at("dir/sparse.bin/x"), O_RDONLY));
    report("write to read-only descriptor", (fd = open(at("dir/sparse.bin"), O_RDONLY), write(fd, "x", 1)));
    close(fd);

    report("unlink moved", unlink(at("dir/sub/moved.txt")));
    report("unlink sparse", unlink(at("dir/sparse.bin")));
    report("rmdir sub", rmdir(at("dir/sub")));
    report("rmdir dir", rmdir(at("dir")));

    f = fopen(at("keep.txt"), "w");
    fputs("kept", f);
    fclose(f);
    list(".");
    return 0;
}
