name = "Ada"
age = 36
pi = 3.14159265
print(f"{name} is {age} years old")
print(f"{name!r} {age + 1} {age * 2:5d}|{age:<5}|{age:^7}|{age:>4}")
print(f"{pi:.2f} {pi:10.4f}| {pi:e}")
print(f"{255:x} {255:X} {255:o} {255:b} {255:#x} {255:08b}")
print(f"{1234567:,}")
print(f"{'nested'} {[1, 2, 3][1]} {dict(a=1)['a']}")
print("{} {} {}".format(1, "two", 3.0))
print("{0} {1} {0}".format("x", "y"))
print("{a}-{b}".format(a=1, b=2))
print("{:>10}|{:<10}|{:^10}|".format("r", "l", "c"))
print("{:*^11}".format("mid"))
print("{:+d} {:+d} {: d}".format(5, -5, 7))
print("{:.3}".format("truncate"))
print("{{literal}} {}".format(9))
items = [("apple", 1.5, 3), ("banana", 0.25, 12), ("cherry", 10.0, 1)]
for n, p, q in items:
    print(f"{n:<8}{p:>8.2f}{q:>4}{p * q:>9.2f}")
print("%5s|%-5s|%05d|%x|%c|%%" % ("ab", "cd", 42, 255, 65))
print("%(x)s and %(y)d" % {"x": "X", "y": 7})
w = 6
print(f"{'dyn':>{w}}|")
