"""``python -m viz_app`` behaves exactly like the ``viz-app`` command."""

import sys

from viz_app.cli import main

if __name__ == "__main__":
    sys.exit(main())
