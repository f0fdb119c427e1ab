"""Every collection the platform searches; importing this package registers them."""

from qiao.search.collections import (  # noqa: F401
    careers,
    cases,
    organisations,
    profiles,
    resources,
    sandbox,
)
