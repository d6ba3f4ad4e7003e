"""Allows `python -m mentorquest`."""

from mentorquest.cli.main import main

if __name__ == "__main__":
    main()
