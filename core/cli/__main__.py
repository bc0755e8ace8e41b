"""``python -m core.cli``."""
from core.cli import main

raise SystemExit(main())
