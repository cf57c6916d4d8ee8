"""The local web page for commissioners (`commissioning serve`).

`create_app()` builds a Flask application: one form to upload a provider return, a results
page (check report, findings table and chart, drafted section) and downloads produced from
the upload in the same request. See docs/web.md.
"""

from __future__ import annotations

from commissioning.web.app import create_app

__all__ = ["create_app"]
