"""The domain: the pathway model, its vocabulary, files, network queries, timeline and rules.

Never imports Qt (checked by lint-imports and tests/test_architecture.py).
"""
