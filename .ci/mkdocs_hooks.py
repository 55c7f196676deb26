"""mkdocs hook: each application's README becomes the guide's page
`applications/<app>.md`, so the page and the README are one text.

The READMEs link to the pictures in `docs/` as `../../docs/NAME`; on the
site the page sits one folder below `docs/`, so those links become
`../NAME`."""

import pathlib

from mkdocs.structure.files import File

ROOT = pathlib.Path(__file__).resolve().parents[1]


def on_files(files, config):
    for readme in sorted((ROOT / "applications").glob("*/README.md")):
        text = readme.read_text(encoding="utf-8").replace("../../docs/", "../")
        files.append(File.generated(config, f"applications/{readme.parent.name}.md", content=text))
    return files
