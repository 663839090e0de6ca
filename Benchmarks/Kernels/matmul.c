// 200x200 double-precision matrix multiply (i-k-j order): f64 arithmetic and loads/stores.
// Returns a checksum of every product so no repetition can be skipped.
#include "kernel.h"

#define N 200
static double a[N][N], b[N][N], c[N][N];

EXPORT("matmul") double matmul(i32 repetitions) {
    for (i32 i = 0; i < N; i++)
        for (i32 j = 0; j < N; j++) {
            a[i][j] = (double)((i * 7 + j * 3) % 17) * 0.25 - 1.5;
            b[i][j] = (double)((i * 5 + j * 11) % 13) * 0.5 - 2.0;
        }
    double checksum = 0;
    for (i32 r = 0; r < repetitions; r++) {
        for (i32 i = 0; i < N; i++) {
            for (i32 j = 0; j < N; j++) c[i][j] = 0;
            for (i32 k = 0; k < N; k++) {
                double aik = a[i][k];
                for (i32 j = 0; j < N; j++) c[i][j] += aik * b[k][j];
            }
        }
        for (i32 i = 0; i < N; i++)
            for (i32 j = 0; j < N; j++) checksum += c[i][j] * (double)((i + j) % 5 + 1);
        a[r % N][(r * 7) % N] += 0.125;   // the next product differs
    }
    return checksum;
}
