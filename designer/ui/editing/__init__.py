"""The open document and what watches it: undo stack, autosave and recovery, live checks, the editor context."""
