#!/usr/bin/env python3
"""Checks that every relative link in the repository's Markdown files points at a file that exists and, for
`file.md#anchor`, at a heading (GitHub's anchor rules) or an explicit <a id/name> that exists in it.
Links inside fenced code blocks and absolute URLs are not checked. Exit 1 with one line per broken link."""
import os
import re
import subprocess
import sys

FENCE = re.compile(r"```.*?```", re.S)


def anchors(path):
    text = open(path, encoding="utf-8").read()
    found = set(re.findall(r'<a (?:id|name)="([^"]+)"', text))
    for heading in re.findall(r"^#{1,6}\s+(.*?)\s*$", FENCE.sub("", text), re.M):
        found.add(re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-"))
    return found


def main(root):
    files = subprocess.run(["git", "-C", root, "ls-files", "--cached", "--others", "--exclude-standard", "*.md"],
                           check=True, capture_output=True, text=True).stdout.split()
    broken = []
    for name in files:
        path = os.path.join(root, name)
        if not os.path.exists(path):
            continue
        for link in re.findall(r"\]\(([^)\s]+)\)", FENCE.sub("", open(path, encoding="utf-8").read())):
            if re.match(r"^[a-z][a-z0-9+.-]*:", link):
                continue
            target_part, _, fragment = link.partition("#")
            target = os.path.normpath(os.path.join(os.path.dirname(path), target_part)) if target_part else path
            if not os.path.exists(target):
                broken.append(f"{name}: {link}: no such file")
            elif fragment and target.endswith(".md") and fragment not in anchors(target):
                broken.append(f"{name}: {link}: no such heading")
    for line in broken:
        print(line, file=sys.stderr)
    print(f"{len(files)} Markdown files, {len(broken)} broken relative links", file=sys.stderr)
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))
