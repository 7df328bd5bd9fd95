"""The Redis plumbing both sides share: connections (or the embedded server), key names, streams, processes."""
