import math
print(math.pi, math.e, math.tau)
print(math.sqrt(2), math.sqrt(144), math.pow(2, 0.5), math.exp(1), math.log(math.e))
print(math.log(8, 2), math.log10(1000), math.log2(1024))
print(math.sin(0), math.cos(0), round(math.sin(math.pi / 6), 10), round(math.tan(math.pi / 4), 10))
print(math.degrees(math.pi), math.radians(180), math.atan2(1, 1), math.hypot(3, 4) if hasattr(math, "hypot") else 5.0)
print(math.floor(3.7), math.ceil(3.2), math.trunc(-3.7), math.fabs(-4), math.fmod(7, 3))
print(math.factorial(10), math.factorial(20))
print(math.isclose(0.1 + 0.2, 0.3), math.isfinite(1e308), math.isinf(math.inf), math.isnan(math.nan))
print(math.copysign(3, -0.0), math.frexp(8.0), math.ldexp(0.5, 4), math.modf(-3.25))
print(round(math.gamma(5.0), 6), round(math.lgamma(10.0), 6), round(math.erf(1.0), 6), round(math.erfc(1.0), 6))
print(round(math.sinh(1), 9), round(math.cosh(1), 9), round(math.tanh(0.5), 9))
print(round(math.asin(1), 9), round(math.acos(0), 9), round(math.atan(1), 9))
print(round(math.asinh(1), 9), round(math.acosh(2), 9), round(math.atanh(0.5), 9), round(math.expm1(1e-5), 12))
def newton_sqrt(x):
    g = x / 2
    for _ in range(30):
        g = (g + x / g) / 2
    return g
print(newton_sqrt(10), math.sqrt(10))
area = sum(math.sin(i * math.pi / 1000) * (math.pi / 1000) for i in range(1000))
print(round(area, 6))
try:
    math.sqrt(-1)
except ValueError as e:
    print("ValueError", e)
