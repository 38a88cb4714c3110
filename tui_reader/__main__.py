"""Run the reader with `python -m tui_reader`."""
from .cli import main

raise SystemExit(main())
