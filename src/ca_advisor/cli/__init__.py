"""The ``ca-advisor`` command line: one module per command group.

Exit status, whatever the output format: 0 when no finding reaches ``--fail-on``,
1 when one does, 2 for unreadable or invalid input and usage errors.
"""

from __future__ import annotations

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="ca-advisor")
def main() -> None:
    """Check Central Asia defence and security assistance proposals against the
    advice of DIIS Report 2013:12."""


# Each module registers its commands on ``main``.
from . import check_cmd  # noqa: E402,F401
from . import rules_cmd  # noqa: E402,F401
from . import explain_cmd  # noqa: E402,F401
from . import profiles_cmd  # noqa: E402,F401
from . import review_cmd  # noqa: E402,F401
from . import packs_cmd  # noqa: E402,F401
from . import portfolio_cmd  # noqa: E402,F401
