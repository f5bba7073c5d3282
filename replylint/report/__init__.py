"""``replylint report``: quality reports for trainers over many past replies.

- :mod:`.aggregate` — streaming aggregation (constant memory) and the quality score
- :mod:`.summary`   — the report figures as one dict (the JSON output)
- :mod:`.html`, :mod:`.formats` — HTML, Markdown, CSV and JSON renderings of that dict
- :mod:`.privacy`   — masking of customer data in excerpts, agent pseudonyms
- :mod:`.runner`    — reading, linting (optionally in N processes), progress
- :mod:`.cli`       — the ``report`` command
"""
