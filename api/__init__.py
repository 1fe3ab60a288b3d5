"""The read API (/api/v1/): open data without a key, activity and statistics with one."""
