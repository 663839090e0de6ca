# Word Counter: counts the words of each saved note; `main` reports totals.
import notes
import sandpiper
import ui
from textstats import count_words

seen = {}


@sandpiper.on("note.saved")
def on_saved(note):
    words = count_words(note["body"]) + count_words(note["title"])
    seen[note["id"]] = words
    ui.notify("'%s' has %d words (%d notes counted so far)" % (note["title"], words, len(seen)))
    return words


def main(args):
    total = 0
    for note in notes.list():
        total += count_words(note["title"]) + count_words(note["body"])
    return {"notes": len(notes.list()), "words": total}
