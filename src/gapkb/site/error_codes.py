"""The error-codes page: every code of gapkb.errors with its rule and fix, one anchor each.

Generated from the registry, so the page and the codes that `gapkb check` prints cannot
drift apart; a message's code links here as `errors.md#gk203`.
"""

from __future__ import annotations

from gapkb.errors import GROUPS, RULES, anchor
from gapkb.site.render import Page

PATH = "errors.md"

INTRO = """\
# Error codes

Every problem `gapkb check` reports names the file, the line, a stable code, the field,
what is wrong and how to fix it:

```text
concepts/redress.yaml:4: GK205 category: 'acountability' is not allowed — did you mean 'accountability'?
```

The code stays the same when the wording of a message improves, so it can be searched
for here, in the check's JSON output (`gapkb check --format json`, the `code` of each
finding) and in the annotations of a pull request. `gapkb fix FILE` repairs what can be
repaired without a decision of yours: the order of fields, `updated`, quotes around values
YAML would misread, trailing spaces and an `id` that differs from the file name.

**Editor** says whether an editor with the entry's JSON Schema (the first line of every
entry, `# yaml-language-server: $schema=...`) shows the same problem while you type. The
others involve more than one field's value, another file, or the whole knowledge base, so
only `gapkb check` finds them.
"""


def error_codes_markdown() -> str:
    """The page's Markdown: the introduction, then each group of codes."""
    out = [INTRO]
    for prefix, heading in GROUPS.items():
        rules = [r for r in RULES if r.code.startswith(prefix)]
        out += [f"## {prefix}xx: {heading}", ""]
        out += ["| code | problem | editor |", "|---|---|---|"]
        out += [
            f"| [{r.code}](#{anchor(r.code)}) | {r.title} | {'yes' if r.editor else 'no'} |"
            for r in rules
        ]
        out.append("")
        for rule in rules:
            out += [
                f'<a id="{anchor(rule.code)}"></a>',
                "",
                f"### {rule.code}: {rule.title}",
                "",
                f"**Rule.** {rule.rule}",
                "",
                f"**Fix.** {rule.fix}",
                "",
                f"**Shown by an editor:** {'yes' if rule.editor else 'no, only by `gapkb check`'}.",
                "",
            ]
    return "\n".join(out)


def error_codes_page() -> Page:
    return Page(PATH, error_codes_markdown())
