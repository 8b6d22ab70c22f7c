"""The install routes a newcomer relies on: pip (`make lab`/`make test`), conda and Binder
all install the same dependencies, and the `sandbox` command starts from each entry point."""

from __future__ import annotations

import fnmatch
import re
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent

# pip lines in environment.yml that install the sandbox itself rather than a dependency
LOCAL_INSTALLS = {"-e .", ".", "-e ./", "./"}


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def environment() -> dict:
    return yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))


def requirement_map(lines: list[str]) -> dict[str, str]:
    """Normalised project name -> version specifier (sorted), e.g. {"pyyaml": ">=6.0"}."""
    found: dict[str, str] = {}
    for line in lines:
        req = Requirement(line)
        name = canonicalize_name(req.name)
        if name in found:
            raise AssertionError(f"{name} listed twice")
        extras = "[" + ",".join(sorted(req.extras)) + "]" if req.extras else ""
        found[name] = extras + ",".join(sorted(str(s) for s in req.specifier))
    return found


def conda_pip_lines() -> list[str]:
    pip_sections = [d["pip"] for d in environment()["dependencies"] if isinstance(d, dict)]
    assert len(pip_sections) == 1, "environment.yml needs exactly one `pip:` section"
    return [str(line).strip() for line in pip_sections[0]]


def test_requirement_map_normalises_names_and_keeps_specifiers() -> None:
    assert requirement_map(["PyYAML>=6.0", "python_stdnum >= 1.20"]) == {
        "pyyaml": ">=6.0",
        "python-stdnum": ">=1.20",
    }
    with pytest.raises(AssertionError, match="listed twice"):
        requirement_map(["faker", "Faker>=30"])


def test_conda_environment_installs_the_same_dependencies_as_pyproject() -> None:
    from_pyproject = requirement_map(pyproject()["project"]["dependencies"])
    from_conda = requirement_map([x for x in conda_pip_lines() if x not in LOCAL_INSTALLS])
    missing = sorted(set(from_pyproject) - set(from_conda))
    extra = sorted(set(from_conda) - set(from_pyproject))
    assert not missing, f"environment.yml lacks {missing}; copy them from pyproject.toml"
    assert not extra, f"environment.yml has {extra} that pyproject.toml does not"
    differing = {
        name: (spec, from_conda[name])
        for name, spec in from_pyproject.items()
        if from_conda[name] != spec
    }
    assert not differing, f"versions differ (pyproject, environment.yml): {differing}"


def test_conda_environment_pins_python_and_installs_the_sandbox() -> None:
    conda_deps = [d for d in environment()["dependencies"] if isinstance(d, str)]
    assert "python=3.11" in conda_deps
    assert "pip" in conda_deps
    assert LOCAL_INSTALLS & set(conda_pip_lines()), "environment.yml must install the sandbox"


def test_binder_reads_the_root_configuration() -> None:
    # repo2docker ignores root files when a binder/ or .binder/ folder exists.
    shadowing = [d for d in ("binder", ".binder") if (ROOT / d).is_dir()]
    assert not shadowing, f"{shadowing} would hide environment.yml and postBuild from Binder"
    post_build = ROOT / "postBuild"
    assert post_build.is_file()
    assert "pip install" in post_build.read_text(encoding="utf-8")


def run(command: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, capture_output=True, text=True, timeout=60, cwd=ROOT, check=False
    )


def test_python_dash_m_sandbox_shows_help() -> None:
    result = run([sys.executable, "-m", "sandbox", "--help"])
    assert result.returncode == 0, result.stderr
    assert "usage: sandbox" in result.stdout
    assert "validate" in result.stdout


def test_console_script_is_installed_and_runs() -> None:
    script = Path(sysconfig.get_path("scripts")) / "sandbox"
    assert script.is_file(), f"{script} missing: reinstall with pip install -e ."
    result = run([str(script), "--help"])
    assert result.returncode == 0, result.stderr
    assert "usage: sandbox" in result.stdout


def makefile_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([A-Za-z][\w-]*)\s*:(?!=)", text, flags=re.MULTILINE))


def test_readme_gives_the_two_commands_that_the_makefile_has() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for target in ("lab", "test"):
        assert f"make {target}" in readme, f"README must tell newcomers to run `make {target}`"
        assert target in makefile_targets(), f"README promises `make {target}`; Makefile lacks it"


def test_readme_links_point_at_files_in_the_repository() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", readme)
    local = [link for link in links if "://" not in link and not link.startswith("mailto:")]
    assert local, "README should link the docs"
    missing = [link for link in local if not (ROOT / link).exists()]
    assert not missing, f"README links to files that do not exist: {missing}"


def test_package_data_names_every_data_file_in_the_package():
    """Every file the package reads that is not Python (scenarios, regions, migrations' template)
    is named by package-data, so an installed sandbox has it too."""
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))[
        "tool"]["setuptools"]["package-data"]
    package = ROOT / "sandbox"
    data_files = [p for p in package.rglob("*") if p.is_file() and p.suffix not in {".py", ".pyc"}
                  and "__pycache__" not in p.parts]
    assert any(p.name == "zhoukou.yaml" for p in data_files)

    def named(path: Path) -> bool:
        for owner, globs in package_data.items():
            base = ROOT / owner.replace(".", "/")
            if base not in path.parents:
                continue
            relative = path.relative_to(base).as_posix()
            if any(fnmatch.fnmatch(relative, g) and relative.count("/") == g.count("/") for g in globs):
                return True
        return False

    assert [p.relative_to(ROOT).as_posix() for p in data_files if not named(p)] == []
