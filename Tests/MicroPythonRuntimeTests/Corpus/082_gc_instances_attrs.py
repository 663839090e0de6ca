# expected: native
# GC-heavy: class instances with many attributes, mutated and replaced, with
# explicit gc.collect() calls between steps.
import gc

class Particle:
    def __init__(self, i):
        self.x = i % 37
        self.y = i % 23
        self.vx = (i % 5) - 2
        self.vy = (i % 7) - 3
        self.name = "p" + str(i)
        self.trail = []
    def step(self):
        self.x = (self.x + self.vx) % 100
        self.y = (self.y + self.vy) % 100
        self.trail.append((self.x, self.y))
        if len(self.trail) > 8:
            self.trail = self.trail[-4:]

def main():
    ps = [Particle(i) for i in range(800)]
    for t in range(60):
        for p in ps:
            p.step()
        if t % 10 == 9:
            ps = ps[1:] + [Particle(1000 + t)]
            gc.collect()
    sx = sum(p.x for p in ps)
    sy = sum(p.y for p in ps)
    trails = sum(len(p.trail) for p in ps)
    print(len(ps), sx, sy, trails)
    print(ps[0].name, ps[-1].name, ps[-1].trail)

main()
