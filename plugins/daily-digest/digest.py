# Daily Digest: writes /data/digest/<date>.md listing every note, grouped by tag.
import notes
import os
import sandpiper


def write_digest(date):
    by_tag = {}
    all_notes = notes.list()
    for note in all_notes:
        for tag in (note["tags"] or ["untagged"]):
            by_tag.setdefault(tag, []).append(note)
    lines = ["# Digest for %s" % date, "", "%d notes." % len(all_notes), ""]
    for tag in sorted(by_tag):
        lines.append("## %s" % tag)
        for note in by_tag[tag]:
            lines.append("- %s (#%d)" % (note["title"], note["id"]))
        lines.append("")
    path = "/data/digest/%s.md" % date
    with open(path, "w") as f:
        f.write("\n".join(lines))
    return {"path": path, "notes": len(all_notes), "files": sorted(os.listdir("/data/digest"))}


@sandpiper.on("daily")
def daily(payload):
    return write_digest(payload["date"])


def main(args):
    return write_digest(args[0] if args else "today")
