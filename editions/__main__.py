import os
import sys

from editions.errors import missing_module

try:
    from editions.cli import main
except ModuleNotFoundError as error:  # run by a Python without the dependencies
    if (message := missing_module(error)) is None:
        raise
    print(f"error: {message}", file=sys.stderr)
    sys.exit(1)

code = main()
# Every edition is written and closed, every worker has ended: leave without tearing down
# WeasyPrint's and the renderers' objects one by one (a tenth of a second of a cold build).
sys.stdout.flush()
sys.stderr.flush()
os._exit(code)
