"""The API reference lists what the package exports (the site itself is
built, with warnings as errors, by `.ci/docs`)."""

import importlib
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
APPS = ("char_lm", "sentiment", "translate", "caption", "ntm", "tag", "forecast")


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
    listed = set(re.findall(r":\s*([\w/.-]+\.md)\s*$", config, flags=re.M))
    assert pages == listed
