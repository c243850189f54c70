import os
import sys

from editions.cli import main

code = main()
# Every edition is written and closed, every worker has ended: leave without tearing down
# WeasyPrint's and the renderers' objects one by one (a tenth of a second of a cold build).
sys.stdout.flush()
sys.stderr.flush()
os._exit(code)
