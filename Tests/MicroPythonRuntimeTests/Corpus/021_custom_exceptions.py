class AppError(Exception):
    pass

class ValidationError(AppError):
    def __init__(self, field, message):
        super().__init__(field, message)
        self.field = field
        self.message = message
    def __str__(self):
        return "%s: %s" % (self.field, self.message)

class NotFound(AppError):
    code = 404

def validate(user):
    if "name" not in user:
        raise ValidationError("name", "required")
    if len(user["name"]) < 3:
        raise ValidationError("name", "too short")
    if user.get("age", 0) < 0:
        raise ValidationError("age", "negative")
    return "ok"

for u in [{"name": "alice"}, {}, {"name": "al"}, {"name": "bob", "age": -1}]:
    try:
        print(validate(u))
    except ValidationError as e:
        print("invalid", e.field, "-", e.message, "|", str(e))

def lookup(key):
    db = {"a": 1}
    if key not in db:
        raise NotFound("no " + key)
    return db[key]

for k in ["a", "b"]:
    try:
        print(lookup(k))
    except AppError as e:
        print(type(e).__name__, e, getattr(e, "code", None))

class Retry(Exception):
    def __init__(self, attempts):
        self.attempts = attempts

def flaky(state):
    state[0] += 1
    if state[0] < 3:
        raise Retry(state[0])
    return "succeeded after %d" % state[0]

state = [0]
while True:
    try:
        print(flaky(state))
        break
    except Retry as r:
        print("retry", r.attempts)

try:
    try:
        raise ValueError("root")
    except ValueError as root:
        raise AppError("wrapped: " + str(root))
except AppError as e:
    print("caught", e)

print(issubclass(ValidationError, Exception), ValidationError.__name__)
