#!/usr/bin/env python3
"""Converts VADER's vader_lexicon.txt (vaderSentiment 3.3.2 wheel, MIT) to lexicons/general.tsv.

    pip download --no-deps vaderSentiment==3.3.2 && unzip vaderSentiment-3.3.2-*.whl
    python3 lexicons/tools/import_vader.py vaderSentiment/vader_lexicon.txt > lexicons/general.tsv

VADER's file repeats some keys (vaderSentiment issue #122) and its loader silently keeps the last one.
Our loader refuses duplicates, so this script keeps the last value (what VADER itself uses) and lists
every dropped line in the notes column of the kept one, so nothing changes without a trace.
voc looks terms up lowercased, so emoticons that differ only in case (":D" and ":d") would collide:
the first one in VADER's file is kept and the others are listed in its notes.
"""
import sys

rows, order = {}, []
for number, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    parts = line.rstrip("\n").split("\t")
    if len(parts) < 2 or not parts[0].strip():
        continue
    term, mean, sd = parts[0].strip(), float(parts[1]), parts[2] if len(parts) > 2 else ""
    if term in rows:
        prev = rows[term]
        rows[term] = (mean, sd, prev[2] + ["duplicate in VADER line %d (was %s)" % (prev[3], prev[0])], number)
    else:
        rows[term] = (mean, sd, [], number)
        order.append(term)
folded, kept = {}, []
for term in order:
    key = term.lower()
    if key in folded:
        first = folded[key]
        mean, sd, notes, number = rows[first]
        rows[first] = (mean, sd, notes + ["case variant %r (%s) at VADER line %d dropped" % (term, rows[term][0], rows[term][3])], number)
        continue
    folded[key] = term
    kept.append(term)
print("term\tvalence\tnotes")
for term in kept:
    mean, sd, notes, number = rows[term]
    if "\t" in term or term.startswith("#"):
        continue
    print("%s\t%s\t%s" % (term, repr(mean), "; ".join(["sd " + sd] + notes)))
