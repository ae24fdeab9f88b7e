"""`python -m cortexreel`."""

import sys

from cortexreel.cli import main

sys.exit(main())
