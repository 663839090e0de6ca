# Auto Tagger: derives tags from #hashtags and keywords when a note is saved.
import notes
import sandpiper

KEYWORDS = {
    "todo": "task",
    "meeting": "meeting",
    "http://": "link",
    "https://": "link",
    "idea": "idea",
}


def tags_for(text):
    tags = []
    for word in text.split():
        if word.startswith("#") and len(word) > 1:
            tag = word[1:].strip(".,;:!?").lower()
            if tag and tag not in tags:
                tags.append(tag)
    lowered = text.lower()
    for needle, tag in KEYWORDS.items():
        if needle in lowered and tag not in tags:
            tags.append(tag)
    return sorted(tags)


@sandpiper.on("note.saved")
def tag(note):
    tags = tags_for(note["title"] + " " + note["body"])
    if tags != sorted(note["tags"]):
        notes.set_tags(note["id"], tags)
    return tags
