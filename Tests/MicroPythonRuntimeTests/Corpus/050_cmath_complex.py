import cmath
z = complex(3, 4)
print(z, abs(z), z.real, z.imag)
w = 1 + 2j
print(z + w, z - w, z * w, z / w)
print(cmath.sqrt(-1), cmath.exp(0j), cmath.polar(1j), cmath.phase(-1))
r, phi = cmath.polar(z)
back = cmath.rect(r, phi)
print(round(back.real, 9), round(back.imag, 9))
roots = []
for k in range(4):
    c = cmath.exp(2j * cmath.pi * k / 4)
    roots.append((round(c.real, 9) + 0.0, round(c.imag, 9) + 0.0))
print(roots)
print(1j * 1j, (2 + 0j) ** 2, complex(1, 2) == 1 + 2j)
