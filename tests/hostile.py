"""A copy of the fixture catalog whose text is written the way an attacker would write it.

Every field that reaches a page carries template syntax, a script-closing tag
and markup; the guides and the case study carry raw HTML and ``javascript:``
links. The site must show the text literally and run none of it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.conftest import FIXTURE_CATALOG

# each piece once broke or could break a page: a Jinja expression (evaluated by
# branca's second render), an unclosed raw block and comment (500s), and a
# script-closing tag (ends an inline script early)
TEMPLATE_PAYLOAD = "{{ 7*7 }} {% raw %} {# </script><script>window.pwned=1</script>"

MARKDOWN_PAYLOAD = """
<img src="x" onerror="window.pwned=1">
<svg onload="window.pwned=1"></svg>
<iframe src="javascript:window.pwned=1"></iframe>
<script>window.pwned=1</script>
<a href="javascript:window.pwned=1" id="js-link">raw link</a>

[a markdown link](javascript:window.pwned=1) and [a data link](data:text/html,<script>1</script>)

<div onmouseover="window.pwned=1" style="position:fixed;inset:0">cover</div>
<form action="https://example.org/">
<button formaction="javascript:window.pwned=1">Go</button></form>
<object data="javascript:window.pwned=1"></object>

[a relative link](/places/atlanta-ga) and [a web link](https://example.org/)
"""


def hostile(label: str) -> str:
    """Return a payload that also says where it was put, for assertions."""
    return f"{label} {TEMPLATE_PAYLOAD}"


def write_hostile_catalog(target: Path) -> Path:
    """Copy the fixture catalog to ``target`` and poison its text; return ``target``."""
    shutil.copytree(FIXTURE_CATALOG, target)
    catalog = target / "catalog.geojson"
    collection = json.loads(catalog.read_text())
    for feature in collection["features"]:
        props = feature["properties"]
        props["title"] = hostile(f"Title of {props['id']}")
        props["place"] = hostile(props["place"])
        props["summary"] = hostile(f"Summary of {props['id']} long enough for the schema")
        for source in props["sources"]:
            source["title"] = hostile("Source title")
    catalog.write_text(json.dumps(collection, indent=1))

    for guide in (target / "categories").glob("*.md"):
        text = guide.read_text()
        name = text.split("name: ", 1)[1].split("\n", 1)[0]
        text = text.replace(f"name: {name}", f"name: {json.dumps(hostile(name))}", 1)
        guide.write_text(text + MARKDOWN_PAYLOAD)
    study = target / "case_studies" / "nashville.md"
    text = study.read_text().replace(
        "event: A vote happened.", f"event: {json.dumps(hostile('Vote'))}"
    )
    text = text.replace("place: Nashville", f"place: {json.dumps(hostile('Nashville'))}")
    study.write_text(text + MARKDOWN_PAYLOAD)
    return target
