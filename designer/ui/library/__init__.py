"""The library browser and its preview (the library itself is designer.library)."""
