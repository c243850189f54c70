import os
import sys

from editions.errors import missing_module
from editions.interrupt import Interrupted, acknowledge, stop_on_signals

# First: a signal during the imports ends the program as one during a build does.
stop_on_signals()
try:
    try:
        from editions.cli import main
    except ModuleNotFoundError as error:  # run by a Python without the dependencies
        if (message := missing_module(error)) is None:
            raise
        print(f"error: {message}", file=sys.stderr)
        sys.exit(1)

    code = main()
except Interrupted as stopped:
    acknowledge()
    print("error: interrupted", file=sys.stderr)
    code = stopped.code
# Every edition is written and closed, every worker has ended: leave without tearing down
# WeasyPrint's and the renderers' objects one by one (a tenth of a second of a cold build).
sys.stdout.flush()
sys.stderr.flush()
os._exit(code)
