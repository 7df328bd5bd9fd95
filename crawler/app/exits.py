"""The exit codes of `raqib`, one meaning each (docs/operations.md lists them for cron and systemd)."""

EXIT_OK = 0  # done; deliveries held on purpose (quiet hours, digests, rate limits) count as done
EXIT_FAILURE = 1  # failed: a delivery went to the dead letters, Redis does not answer …
EXIT_USAGE = 2  # bad usage, configuration or input
# sysexits' EX_TEMPFAIL, "try again later": deliveries failed for now and wait to be retried.
EXIT_TEMPFAIL = 75
