def matmul(a, b):
    n, m, p = len(a), len(b), len(b[0])
    return [[sum(a[i][k] * b[k][j] for k in range(m)) for j in range(p)] for i in range(n)]

def identity(n):
    return [[1 if i == j else 0 for j in range(n)] for i in range(n)]

def matpow(m, e):
    r = identity(len(m))
    while e:
        if e & 1:
            r = matmul(r, m)
        m = matmul(m, m)
        e >>= 1
    return r

a = [[1, 2, 3], [4, 5, 6]]
b = [[7, 8], [9, 10], [11, 12]]
print(matmul(a, b))
print(matpow([[1, 1], [1, 0]], 90)[0][1])
def transpose(m):
    return [list(r) for r in zip(*m)]
print(transpose(a))
def det(m):
    if len(m) == 1:
        return m[0][0]
    return sum((-1) ** c * m[0][c] * det([row[:c] + row[c + 1:] for row in m[1:]]) for c in range(len(m)))
print(det([[2, 0, 1], [1, 3, 2], [1, 1, 1]]), det([[1, 2], [3, 4]]))
n = 20
m1 = [[(i * j) % 7 for j in range(n)] for i in range(n)]
m2 = [[(i + j) % 5 for j in range(n)] for i in range(n)]
p = matmul(m1, m2)
print(sum(sum(r) for r in p), p[3][:6])
def gauss_solve(A, b):
    n = len(A)
    M = [row[:] + [b[i]] for i, row in enumerate(A)]
    for c in range(n):
        piv = max(range(c, n), key=lambda r: abs(M[r][c]))
        M[c], M[piv] = M[piv], M[c]
        for r in range(n):
            if r != c:
                f = M[r][c] / M[c][c]
                M[r] = [x - f * y for x, y in zip(M[r], M[c])]
    return [round(M[i][n] / M[i][i], 9) for i in range(n)]
print(gauss_solve([[2, 1, -1], [-3, -1, 2], [-2, 1, 2]], [8, -11, -3]))
