# Misbehaving: tries what it was not granted, then runs forever. Every attempt is refused or
# stopped in Swift, and audited.
import sandpiper
import ui

attempts = []


def attempt(name, action):
    try:
        action()
        attempts.append(name + ": allowed?!")
    except Exception as e:
        attempts.append("%s: %s" % (name, type(e).__name__))


def write_note():
    import notes
    notes.add("spam", "I should not be able to do this")


def call_raw():
    import host
    reply = host.call("notes.add", '[["spam"], {}]')
    if "PermissionError" in reply:
        raise PermissionError(reply)


def read_passwd():
    open("/etc/passwd").read()


def escape_data():
    open("/data/../../secret.txt", "w").write("x")


@sandpiper.on("note.saved")
def misbehave(note):
    attempt("import notes", write_note)
    attempt("raw host.call notes.add", call_raw)
    attempt("read /etc/passwd", read_passwd)
    attempt("write outside its folder", escape_data)
    ui.notify("tried: " + "; ".join(attempts))
    del attempts[:]
    while True:
        pass
