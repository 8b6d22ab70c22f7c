"""The trainee's handle (`Session`): one desk per stage, a local or HTTP backend, feedback,
and the display hooks a caller may choose. It never holds the answer key."""
