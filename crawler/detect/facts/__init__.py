"""Facts a report states: places (and the gazetteer), casualty counts, numbers and dates."""
