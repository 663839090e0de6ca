// Confinement probes. The arguments are a list of commands; each prints one line
// "<command> <path>[ <path2>] = <errno>" (0 for success). Raw WASI calls take a directory
// descriptor; the libc ones take a path and let wasi-libc pick the preopen.
//   open FD PATH          path_open for reading (following links)
//   create FD PATH        path_open with O_CREAT for writing
//   stat FD PATH          path_filestat_get (following links)
//   mkdir FD PATH         path_create_directory
//   unlink FD PATH        path_unlink_file
//   rmdir FD PATH         path_remove_directory
//   readlink FD PATH      path_readlink
//   rename FD PATH FD2 PATH2
//   link FD PATH FD2 PATH2
//   symlink TARGET FD PATH
//   libc-open PATH        open(O_RDONLY); on success also prints the first line read
//   libc-create PATH      open(O_WRONLY | O_CREAT | O_TRUNC) and write "pwned"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wasi/api.h>

#define READ_RIGHTS (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_TELL | __WASI_RIGHTS_FD_FILESTAT_GET)
#define WRITE_RIGHTS (__WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_TELL)

int main(int argc, char **argv) {
    for (int i = 1; i < argc;) {
        const char *op = argv[i++];
        int error = -1;
        const char *path = "", *path2 = NULL;
        if (!strcmp(op, "libc-open") || !strcmp(op, "libc-create")) {
            path = argv[i++];
            int fd = !strcmp(op, "libc-open") ? open(path, O_RDONLY) : open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
            error = fd < 0 ? errno : 0;
            if (fd >= 0) {
                char line[64] = {0};
                if (!strcmp(op, "libc-open")) read(fd, line, sizeof line - 1);
                else write(fd, "pwned", 5);
                line[strcspn(line, "\n")] = 0;
                if (line[0]) printf("%s %s read [%s]\n", op, path, line);
                close(fd);
            }
        } else if (!strcmp(op, "symlink")) {
            const char *target = argv[i++];
            int fd = atoi(argv[i++]);
            path = argv[i++];
            error = __wasi_path_symlink(target, fd, path);
        } else {
            int fd = atoi(argv[i++]);
            path = argv[i++];
            __wasi_fd_t opened;
            __wasi_filestat_t st;
            if (!strcmp(op, "open")) {
                error = __wasi_path_open(fd, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, path, 0, READ_RIGHTS, 0, 0, &opened);
                if (!error) (void)!__wasi_fd_close(opened);
            } else if (!strcmp(op, "create")) {
                error = __wasi_path_open(fd, 0, path, __WASI_OFLAGS_CREAT, WRITE_RIGHTS, 0, 0, &opened);
                if (!error) (void)!__wasi_fd_close(opened);
            } else if (!strcmp(op, "stat")) {
                error = __wasi_path_filestat_get(fd, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, path, &st);
            } else if (!strcmp(op, "mkdir")) {
                error = __wasi_path_create_directory(fd, path);
            } else if (!strcmp(op, "unlink")) {
                error = __wasi_path_unlink_file(fd, path);
            } else if (!strcmp(op, "rmdir")) {
                error = __wasi_path_remove_directory(fd, path);
            } else if (!strcmp(op, "readlink")) {
                char buf[256];
                __wasi_size_t used;
                error = __wasi_path_readlink(fd, path, (uint8_t *)buf, sizeof buf, &used);
            } else if (!strcmp(op, "rename") || !strcmp(op, "link")) {
                int fd2 = atoi(argv[i++]);
                path2 = argv[i++];
                error = !strcmp(op, "rename") ? __wasi_path_rename(fd, path, fd2, path2)
                                              : __wasi_path_link(fd, 0, path, fd2, path2);
            } else {
                printf("unknown command %s\n", op);
                return 2;
            }
        }
        if (path2) printf("%s %s %s = %d\n", op, path, path2, error);
        else printf("%s %s = %d\n", op, path, error);
    }
    return 0;
}
