"""Shared knowledge, each piece in one place, below every domain layer.

- `columns`: the one column vocabulary (canonical name, Chinese header, aliases)
- `text`: how a typed cell becomes text; `checkdigits`: Luhn and GB 11643 check characters
- `identifiers`: ID and card numbers cleaned and checked; `parsing`: amounts, areas, dates
- `calendar`: business days (holidays and 调休 working days); `cards`: card statuses
- `normalize`: a whole roster cleaned; `submissions`: what trainees submit, read whole;
  `masking`: privacy of published tables; `wire`: the JSON a session exchanges

Nothing here imports the rest of the sandbox except sandbox.errors.
"""
