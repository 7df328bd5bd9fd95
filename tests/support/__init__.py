"""What several test modules share: local servers, sample feeds and reports, the browser."""
