class Animal:
    kingdom = "animalia"
    def __init__(self, name, legs):
        self.name = name
        self.legs = legs
    def speak(self):
        return "..."
    def describe(self):
        return "%s has %d legs and says %s" % (self.name, self.legs, self.speak())

class Dog(Animal):
    def __init__(self, name):
        super().__init__(name, 4)
    def speak(self):
        return "woof"

class Bird(Animal):
    def __init__(self, name, can_fly=True):
        Animal.__init__(self, name, 2)
        self.can_fly = can_fly
    def speak(self):
        return "tweet"
    def describe(self):
        base = super().describe()
        return base + (" and flies" if self.can_fly else " and walks")

class Puppy(Dog):
    def speak(self):
        return super().speak().upper() + "!"

zoo = [Dog("rex"), Bird("tweety"), Bird("pingu", False), Puppy("bit"), Animal("blob", 0)]
for a in zoo:
    print(a.describe())
print(isinstance(zoo[3], Dog), isinstance(zoo[3], Animal), isinstance(zoo[1], Dog))
print(issubclass(Puppy, Animal), issubclass(Animal, Dog))
print(Dog.kingdom, zoo[0].kingdom, type(zoo[0]).__name__, Puppy.__name__)
Dog.kingdom = "canis"
print(zoo[0].kingdom, zoo[3].kingdom, zoo[1].kingdom)
zoo[0].kingdom = "own"
print(zoo[0].kingdom, Dog.kingdom)
print(hasattr(zoo[1], "can_fly"), hasattr(zoo[0], "can_fly"), getattr(zoo[0], "nope", "default"))
setattr(zoo[0], "age", 3)
print(zoo[0].age)

class A:
    def who(self):
        return "A"
class B(A):
    def who(self):
        return "B" + super().who()
class C(A):
    def who(self):
        return "C" + super().who()
class D(B, C):
    def who(self):
        return "D" + super().who()
print(D().who())
