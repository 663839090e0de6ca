# Link Checker: fetches every http(s) link in a saved note and reports its status.
import net
import sandpiper
import ui


def links_in(text):
    found = []
    for word in text.split():
        word = word.strip("()<>,;")
        if word.startswith("http://") or word.startswith("https://"):
            found.append(word)
    return found


@sandpiper.on("note.saved")
def check(note):
    report = {}
    for url in links_in(note["body"]):
        try:
            status = net.fetch(url)["status"]
            report[url] = status
        except PermissionError as e:
            report[url] = "blocked"
        except OSError as e:
            report[url] = "unreachable"
    if report:
        broken = [u for u in report if report[u] != 200]
        ui.notify("%d links checked in '%s', %d not OK" % (len(report), note["title"], len(broken)))
    return report
