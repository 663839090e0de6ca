class Account:
    def __init__(self, owner, balance=0):
        self.owner = owner
        self.balance = balance
        self.history = []
        self.state = "open"
    def _log(self, kind, amount):
        self.history.append((kind, amount, self.balance))
    def deposit(self, amount):
        if self.state != "open":
            raise RuntimeError("account " + self.state)
        if amount <= 0:
            raise ValueError("deposit must be positive")
        self.balance += amount
        self._log("deposit", amount)
    def withdraw(self, amount):
        if self.state != "open":
            raise RuntimeError("account " + self.state)
        if amount > self.balance:
            raise ValueError("insufficient funds")
        self.balance -= amount
        self._log("withdraw", amount)
    def freeze(self):
        self.state = "frozen"

acct = Account("ann", 100)
ops = [("deposit", 50), ("withdraw", 30), ("withdraw", 500), ("deposit", -5), ("freeze", None), ("deposit", 10)]
for op, amt in ops:
    try:
        if amt is None:
            getattr(acct, op)()
        else:
            getattr(acct, op)(amt)
        print(op, amt, "->", acct.balance)
    except (ValueError, RuntimeError) as e:
        print(op, amt, "failed:", type(e).__name__, e)
print(acct.history, acct.state)

TRANSITIONS = {
    ("idle", "coin"): "ready",
    ("ready", "coin"): "ready",
    ("ready", "push"): "vending",
    ("vending", "done"): "idle",
    ("idle", "push"): "idle",
}

def run(events):
    state = "idle"
    trace = [state]
    for ev in events:
        state = TRANSITIONS.get((state, ev), "error")
        trace.append(state)
        if state == "error":
            break
    return trace

print(run(["push", "coin", "coin", "push", "done"]))
print(run(["coin", "done"]))
