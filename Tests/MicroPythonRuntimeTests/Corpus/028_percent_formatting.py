print("%d %i %s %r" % (42, -7, "str", "repr"))
print("%5d|%-5d|%05d|%+d" % (42, 42, 42, 42))
print("%x %X %o %#x %#o" % (3054, 3054, 64, 255, 8))
print("%f %.1f %10.3f|%-10.2f|" % (3.14159, 2.25, 2.0 / 3, 1.005))
print("%e %.2E" % (123456.789, 0.000123))
print("%g %g %g" % (0.0001, 123456789.0, 1.5))
print("%c%c%c" % (72, 105, 33))
print("%s" % [1, 2], "%s" % (None,), "%s and %s" % ("a", "b"))
print("%%d literal %d" % 5)
print("%*d|" % (6, 7))
print("%(name)s is %(age)d" % {"name": "Eve", "age": 29})
table = [("id", "name", "score"), (1, "ann", 93.5), (22, "bo", 7.25), (333, "cy", 100.0)]
for row in table:
    if isinstance(row[0], str):
        print("%-4s %-6s %7s" % row)
    else:
        print("%-4d %-6s %7.2f" % row)
