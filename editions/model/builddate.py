"""The one build date of every edition: SOURCE_DATE_EPOCH when set, else the publication's date."""

from __future__ import annotations

import datetime as dt
import os

from editions.errors import EditionsError


def build_datetime(publication_date: dt.date) -> dt.datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
        except ValueError as error:
            raise EditionsError(
                f"SOURCE_DATE_EPOCH='{epoch}' is not a whole number of seconds"
            ) from error
    return dt.datetime.combine(publication_date, dt.time(), tzinfo=dt.UTC)
