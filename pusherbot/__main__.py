import sys

from pusherbot.cli import main

sys.exit(main())
