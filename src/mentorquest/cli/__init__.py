"""The `mentorquest` command line."""
