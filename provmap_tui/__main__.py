"""Allow `python -m provmap_tui`."""

from provmap_tui.cli import main

raise SystemExit(main())
