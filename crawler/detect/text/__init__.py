"""Arabic text as detection reads it: normalising, sentences, clitics, matching terms."""
