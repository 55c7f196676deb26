"""mkdocs hook: each application's README becomes the guide's page
`applications/<app>.md`, so the page and the README are one text.

The READMEs link to the pictures in `docs/` as `../../docs/NAME`; on the
site the page sits one folder below `docs/`, so those links become
`../NAME`; the page's "Edit" link opens the README."""

import pathlib

from mkdocs.structure.files import File

ROOT = pathlib.Path(__file__).resolve().parents[1]


def on_files(files, config):
    for readme in sorted((ROOT / "applications").glob("*/README.md")):
        text = readme.read_text(encoding="utf-8").replace("../../docs/", "../")
        files.append(File.generated(config, f"applications/{readme.parent.name}.md", content=text))
    return files


def on_page_markdown(markdown, page, config, files):
    """An application's page is edited in its README, not under `docs/`."""
    if page.file.src_uri.startswith("applications/") and config.repo_url:
        app = page.file.src_uri.split("/")[1].removesuffix(".md")
        page.edit_url = f"{config.repo_url.rstrip('/')}/edit/main/applications/{app}/README.md"
    return markdown
