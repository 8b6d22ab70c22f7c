"""A DeprecationWarning raised from the sandbox's own code fails the test run (pyproject's
filterwarnings); one raised elsewhere only warns. Checked here because the filter's module
field is a regex that is easy to get wrong (too wide, too narrow, or escaped into a literal).
"""

from __future__ import annotations

import datetime as dt
import warnings

import numpy as np
import pytest


def warn_from(module: str) -> None:
    """warnings.warn as code in `module` calls it: the filter sees the caller's __name__."""
    exec("import warnings\nwarnings.warn('going away', DeprecationWarning)", {"__name__": module})


@pytest.mark.parametrize("module", ["sandbox", "sandbox.world.traits", "sandbox.bank.branch"])
def test_a_deprecation_warning_from_the_sandbox_is_an_error(module: str) -> None:
    with pytest.raises(DeprecationWarning, match="going away"):
        warn_from(module)


def recorded(code: str, module: str) -> list[type[Warning]]:
    """Run code as `module` under the test's own filters (pytest.warns would reset them)."""
    with warnings.catch_warnings(record=True) as caught:
        exec(code, {"__name__": module})
    return [w.category for w in caught]


@pytest.mark.parametrize("module", ["pandas.core.frame", "sandboxed", "tests.sandbox", "__main__"])
def test_a_deprecation_warning_from_elsewhere_only_warns(module: str) -> None:
    code = "import warnings\nwarnings.warn('going away', DeprecationWarning)"
    assert recorded(code, module) == [DeprecationWarning]


def test_other_warnings_from_the_sandbox_stay_warnings() -> None:
    assert recorded("import warnings\nwarnings.warn('just so you know')", "sandbox.ui") == [UserWarning]


def test_the_fixed_numpy_calls_keep_their_values() -> None:
    """NumPy 2.5 deprecates the generic unit (np.datetime64("NaT"), datetime + 1); the
    spelled-out units the sandbox now uses give the very same values on every NumPy."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # the old spellings, on NumPy 2.5+
        old_nat = np.full(3, np.datetime64("NaT"), dtype="datetime64[D]")
        old_next = np.datetime64(dt.date(2022, 6, 2), "D") + 1
    new_nat = np.full(3, np.datetime64("NaT", "D"))
    new_next = np.datetime64(dt.date(2022, 6, 2), "D") + np.timedelta64(1, "D")
    assert new_nat.dtype == old_nat.dtype and np.isnat(new_nat).all()
    assert new_next == old_next and new_next.dtype == old_next.dtype
