class Temperature:
    def __init__(self, celsius=0.0):
        self._c = celsius
    @property
    def celsius(self):
        return self._c
    @celsius.setter
    def celsius(self, value):
        if value < -273.15:
            raise ValueError("below absolute zero")
        self._c = value
    @property
    def fahrenheit(self):
        return self._c * 9 / 5 + 32
    @fahrenheit.setter
    def fahrenheit(self, f):
        self.celsius = (f - 32) * 5 / 9

t = Temperature(25)
print(t.celsius, t.fahrenheit)
t.fahrenheit = 212
print(t.celsius, t.fahrenheit)
try:
    t.celsius = -300
except ValueError as e:
    print("error:", e)
print(t.celsius)

class Rect:
    def __init__(self, w, h):
        self.w, self.h = w, h
    @property
    def area(self):
        return self.w * self.h

r = Rect(3, 4)
print(r.area)
try:
    r.area = 5
except AttributeError:
    print("read-only")

class Lazy:
    def __init__(self):
        self.computed = 0
        self._v = None
    @property
    def value(self):
        if self._v is None:
            self.computed += 1
            self._v = sum(range(1000))
        return self._v
    @value.deleter
    def value(self):
        self._v = None

l = Lazy()
print(l.value, l.value, l.computed)
del l.value
print(l.value, l.computed)
