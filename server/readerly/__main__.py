"""`python3 -m readerly …` runs the command line, whether or not the `readerly` script is on PATH."""

from readerly.cli import main

raise SystemExit(main())
