"""The pure core: records, dates and horizons, status, compression, trends and score.

Nothing here imports the store or the CLI, and nothing reads the clock.
"""
