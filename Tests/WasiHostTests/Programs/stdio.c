// Standard streams, arguments, environment and exit status. argv[1] picks the mode:
//   echo        copy stdin to stdout, then write "done" to stderr
//   args        print argc, each argument and each environment entry
//   flood       write to stdout forever (the host must stop it)
//   exit N      exit with status N (through proc_exit)
//   return N    return N from main
//   isatty      print isatty() of 0, 1, 2
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "";
    if (!strcmp(mode, "echo")) {
        char buffer[7];  // small, so several reads happen
        ssize_t n;
        long total = 0;
        while ((n = read(0, buffer, sizeof buffer)) > 0) {
            write(1, buffer, n);
            total += n;
        }
        dprintf(2, "done %ld %zd\n", total, n);
        return 0;
    }
    if (!strcmp(mode, "args")) {
        printf("argc %d\n", argc);
        for (int i = 0; i < argc; i++) printf("arg %d [%s]\n", i, argv[i]);
        for (char **e = environ; *e; e++) printf("env [%s]\n", *e);
        printf("HOME=%s\n", getenv("HOME") ? getenv("HOME") : "(unset)");
        return 0;
    }
    if (!strcmp(mode, "flood")) {
        char line[100];
        memset(line, 'x', sizeof line - 1);
        line[sizeof line - 1] = '\n';
        for (;;) write(1, line, sizeof line);
    }
    if (!strcmp(mode, "exit") && argc > 2) {
        printf("exiting with %s\n", argv[2]);
        exit(atoi(argv[2]));
    }
    if (!strcmp(mode, "return") && argc > 2) return atoi(argv[2]);
    if (!strcmp(mode, "isatty")) {
        printf("isatty %d %d %d\n", isatty(0), isatty(1), isatty(2));
        return 0;
    }
    fprintf(stderr, "unknown mode %s\n", mode);
    return 2;
}
