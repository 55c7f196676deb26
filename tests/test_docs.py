"""The API reference lists what the package exports (the site itself is
built, with warnings as errors, by `.ci/docs`)."""

import importlib
import pathlib
import re
import shlex
import textwrap

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
APPS = ("char_lm", "sentiment", "translate", "caption", "ntm", "tag", "forecast")
APP_READMES = sorted((ROOT / "applications").glob("*/README.md"))  # as .ci/mkdocs_hooks.py finds them


@pytest.mark.parametrize("app", APPS)
def test_each_application_page_documents_every_export(app):
    package = importlib.import_module(f"keras_seq.applications.{app}")
    page = (ROOT / "docs" / "api" / "applications" / f"{app}.md").read_text(encoding="utf-8")
    documented = set(re.findall(rf"^::: keras_seq\.applications\.{app}\.\w+\.(\w+)$", page, flags=re.M))
    assert documented == set(package.__all__)
    for name in documented:  # each reference names the module the object lives in
        (line,) = re.findall(rf"^::: (keras_seq\.applications\.{app}\.\w+)\.{name}$", page, flags=re.M)
        assert getattr(importlib.import_module(line), name) is getattr(package, name)


def test_every_page_is_in_the_navigation():
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    pages = {str(p.relative_to(ROOT / "docs")) for p in (ROOT / "docs").rglob("*.md")}
    pages |= {f"applications/{p.parent.name}.md" for p in APP_READMES}  # their pages (.ci/mkdocs_hooks.py)
    listed = set(re.findall(r":\s*([\w/.-]+\.md)\s*$", config, flags=re.M))
    assert pages == listed


FENCE = re.compile(r"^( *)```(\w*)\n(.*?)^\1```$", flags=re.M | re.S)
NOT_RUN = re.compile(r"<!-- not run: (.+?) -->\n *\Z", flags=re.S)
RUN = ("python",)  # the languages whose blocks run; `text` blocks are listings and outputs, not code


def _pages():
    """The README, the guide and each application's README (its guide page)."""
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md")), *APP_READMES]
    return [p for p in pages if "api" not in p.relative_to(ROOT).parts]


def code_blocks(page):
    """`(language, code, reason it is not run or None)` for each fenced block."""
    text = page.read_text(encoding="utf-8")
    blocks = []
    for match in FENCE.finditer(text):
        marker = NOT_RUN.search(text[: match.start()][-300:])
        code = textwrap.dedent(match.group(3))
        blocks.append((match.group(2), code, " ".join(marker.group(1).split()) if marker else None))
    return blocks


@pytest.mark.parametrize("page", _pages(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_code_block_runs_or_says_why_not(page, tmp_path, monkeypatch):
    """A page's Python blocks run in order in one namespace (as a reader
    pastes them), in an empty folder; a block that cannot run here (it
    trains for minutes, needs a cluster or another package) says why in a
    `<!-- not run: ... -->` line right above it, and so does every shell
    block."""
    monkeypatch.chdir(tmp_path)
    namespace = {"__name__": "__docs__"}
    for number, (language, code, reason) in enumerate(code_blocks(page), 1):
        if language == "text":
            continue
        assert reason or language in RUN, f"block {number} ({language or 'no language'}) neither runs nor says why"
        if reason is None:
            exec(compile(code, f"{page.name}, block {number}", "exec"), namespace)


def test_the_readme_table_of_applications_names_real_commands_classes_and_verbs():
    from keras_seq.applications import cli

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = re.findall(
        r"^\| \[`([\w-]+)`\]\(applications/(\w+)/README\.md\) \| [^|]+ "  # the app, what it does
        r"\| `keras-seq ([^`]+)` \| `(\w+)\.load\(d\)\.(\w+)\(",  # its command line, its Python line
        readme,
        flags=re.M,
    )
    assert {name: package for name, package, *_ in rows} == cli.APPLICATIONS
    parser = cli.build_parser()
    for name, package, command, task_class, verb in rows:
        args = parser.parse_args(shlex.split(command))  # the command line parses as written
        assert args.action == shlex.split(command)[1]
        task = getattr(importlib.import_module(f"keras_seq.applications.{package}"), task_class)
        assert callable(getattr(task, verb)) and callable(task.load)


@pytest.mark.parametrize("app", APPS)
def test_each_application_readme_has_the_same_headings_in_the_same_order(app):
    readme = (ROOT / "applications" / app / "README.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## (.+)$", FENCE.sub("", readme), flags=re.M)  # outside the code blocks
    assert headings == ["What it does", "Data formats", "Train", "Use", "Export", "Quality", "Limits"]
