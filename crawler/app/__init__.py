"""The application: the `raqib` command and its sub-commands, the daemon, the status endpoint."""
